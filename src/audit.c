/* audit.c - the audit log of staff actions (see include/cpsreg/audit.h). */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "audit.h"
#include "store_audit.h"

enum cps_err cps_audit_add(struct cps_engine *e, const char *actor,
			   const char *action, long long account_id,
			   long long ref, struct cps_error *err)
{
	/* the Unix user is taken here, not from the caller: a staff name can
	 * be typed, the user the program runs as cannot */
	struct passwd *pw = getpwuid(geteuid());
	char uid[32];

	if (!pw || !pw->pw_name)
		snprintf(uid, sizeof(uid), "uid %ld", (long)geteuid());
	return cps_store_audit_insert(e->store, cps_engine_now(e), actor,
				      pw && pw->pw_name ? pw->pw_name : uid,
				      action, account_id, ref, err);
}

enum cps_err cps_audit_need_staff(const char *staff, struct cps_error *err)
{
	if (!staff || !*staff)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	return CPS_OK;
}

enum cps_err cps_audit_staff_name(const char *typed, char *out, size_t len,
				  struct cps_error *err)
{
	const char *end;
	size_t n, chars = 0, at;
	uint32_t cp;

	if (!typed)
		typed = "";
	while (*typed == ' ' || *typed == '\t')
		typed++;
	end = typed + strlen(typed);
	while (end > typed && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - typed);
	if (n == 0)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter your name: the audit log records every action with it."));
	at = cps_text_find_control(typed, n, &cp);
	if (at < n)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The name holds an invisible control character (U+%04X)."),
				     (unsigned)cp);
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)typed[i] & 0xC0) != 0x80;
	if (chars > CPS_STAFF_NAME_CHARS || n + 1 > len)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("A name of at most %d characters, please."), CPS_STAFF_NAME_CHARS);
	memcpy(out, typed, n);
	out[n] = '\0';
	return CPS_OK;
}

enum cps_err cps_audit_list(struct cps_engine *e, long long account_id,
			    int (*fn)(const struct cps_audit_line *l, void *arg),
			    void *arg, struct cps_error *err)
{
	return cps_store_audit_list(e->store, account_id, fn, arg, err);
}
