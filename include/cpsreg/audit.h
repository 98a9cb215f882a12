/* audit.h - the audit log: one line for every staff action (approve,
 * reject, accept a VAT number, a document seen in person, a message
 * handed over, an old e-mail corrected, an export, an erasure, a proof
 * document written out, a new resume or password code, a message sent
 * again, a wait lifted).
 *
 * The log is append-only: the engine has no call that changes or removes a
 * line, and the database refuses UPDATE and DELETE on it.  A line names
 * the customer only by the account's number, so that it can stay when the
 * customer's data is erased (README, rules 3.5). */
#ifndef CPSREG_AUDIT_H
#define CPSREG_AUDIT_H

#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

struct cps_audit_line {
	long long id;
	time_t at;
	const char *actor;      /* the staff name given (or the Unix user) */
	const char *os_user;    /* the Unix user the program ran as */
	const char *action;     /* approve, reject, accept_id, seen_in_person,
				   handed_over, correct_old_email, export, erase,
				   export_document, reissue_resume_code,
				   reissue_password_code, resend, unlock */
	long long account_id;   /* 0: none */
	const char *email;      /* the account's e-mail today; NULL once erased */
	long long ref;          /* the message's id for handed_over and resend, else 0 */
};

/* A staff member's name as typed at a shared screen (the console opened
 * at a kiosk with the PIN, which names nobody), for the audit: spaces
 * around it dropped; refused when empty, longer than CPS_STAFF_NAME_CHARS
 * characters, or holding a control character.  out gets the name
 * (len >= CPS_STAFF_NAME_SIZE). */
#define CPS_STAFF_NAME_CHARS 40
#define CPS_STAFF_NAME_SIZE (CPS_STAFF_NAME_CHARS * 4 + 1)
enum cps_err cps_audit_staff_name(const char *typed, char *out, size_t len,
				  struct cps_error *err);

/* Calls fn for every line, oldest first; only the lines of account_id when
 * it is not 0.  The strings live during the call only.  fn returns
 * non-zero to stop. */
enum cps_err cps_audit_list(struct cps_engine *e, long long account_id,
			    int (*fn)(const struct cps_audit_line *l, void *arg),
			    void *arg, struct cps_error *err);

#endif
