/* store_legacy_remote.c - SQL for the old CPS accounts asked of the
 * remote (see src/store_legacy_remote.h). */
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_legacy_remote.h"
#include "store_private.h"

enum cps_err cps_store_legacy_to_ask(struct cps_store *s, int max,
				     int (*fn)(const char *email, void *arg), void *arg,
				     struct cps_error *err)
{
	sqlite3_stmt *st;
	/* one row per e-mail whatever its case: two customers giving the
	 * same old e-mail ask once */
	int rc = cps_store_prepare(s,
		"SELECT min(a.old_email) FROM account a"
		" WHERE a.old_email <> '' AND a.status <> 'draft'"
		" AND NOT EXISTS (SELECT 1 FROM migration m WHERE m.account_id = a.id)"
		" AND NOT EXISTS (SELECT 1 FROM legacy_account l WHERE l.email = a.old_email)"
		" AND NOT EXISTS (SELECT 1 FROM legacy_not_found n WHERE n.email = a.old_email)"
		" GROUP BY a.old_email COLLATE NOCASE ORDER BY min(a.id) LIMIT ?", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the old CPS e-mails to look up"));
	cps_bind_int64(st, 1, max, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		if (t && fn((const char *)t, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the old CPS e-mails to look up"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_not_found_add(struct cps_store *s, const char *email,
					    time_t now, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT OR IGNORE INTO legacy_not_found (email, asked_at) VALUES (?, ?)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing the remote's answer"));
	cps_bind_text(st, 1, email, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing the remote's answer"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_not_found_has(struct cps_store *s, const char *email,
					    int *found, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, "SELECT 1 FROM legacy_not_found WHERE email = ?", &st);

	*found = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_bind_text(st, 1, email, &rc);
	rc = cps_store_step(st, rc);
	*found = rc == SQLITE_ROW;
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_model(struct cps_store *s, const char *model, long long *id,
				    int *release_year, struct cps_error *err)
{
	sqlite3_stmt *st;
	/* the name index serves it (catalog_model_key, on lower(model)) */
	int rc = cps_store_prepare(s,
		"SELECT id, release_year FROM catalog WHERE lower(model) = lower(?)"
		" ORDER BY active DESC, id LIMIT 1", &st);

	*id = 0;
	*release_year = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the product catalog"));
	cps_bind_text(st, 1, model, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*release_year = sqlite3_column_int(st, 1);
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the product catalog"));
	cps_store_release(s, st);
	return r;
}
