/* store_limit.c - SQL for the rate limits of resume codes and logins. */
#include "cpsreg/i18n.h"
#include "store_limit.h"
#include "store_private.h"

enum cps_err cps_store_limit_get(struct cps_store *s, const char *scope, const char *key,
				 int *failures, time_t *last_failed_at, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT failures, last_failed_at FROM attempt_limit WHERE scope = ? AND key = ?", &st);

	*failures = 0;
	*last_failed_at = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the wrong tries"));
	cps_bind_text(st, 1, scope, &rc);
	cps_bind_text(st, 2, key, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		*failures = sqlite3_column_int(st, 0);
		*last_failed_at = (time_t)sqlite3_column_int64(st, 1);
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the wrong tries"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_limit_failed(struct cps_store *s, const char *scope, const char *key,
				    time_t now, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO attempt_limit (scope, key, failures, last_failed_at) VALUES (?1, ?2, 1, ?3)"
		" ON CONFLICT (scope, key) DO UPDATE SET failures = min(failures + 1, 1000000),"
		" last_failed_at = ?3", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("recording a wrong try"));
	cps_bind_text(st, 1, scope, &rc);
	cps_bind_text(st, 2, key, &rc);
	cps_bind_int64(st, 3, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("recording a wrong try"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_limit_clear(struct cps_store *s, const char *scope, const char *key,
				   int *removed, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"DELETE FROM attempt_limit WHERE scope = ? AND (?2 IS NULL OR key = ?2)", &st);

	if (removed)
		*removed = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("lifting a limit"));
	cps_bind_text(st, 1, scope, &rc);
	if (key)
		cps_bind_text(st, 2, key, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("lifting a limit"));
	if (r == CPS_OK && removed)
		*removed = sqlite3_changes(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_limit_login_clear(struct cps_store *s, const char *email, int *removed,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE account SET failed_logins = 0, last_failed_at = NULL"
		" WHERE failed_logins > 0 AND (?1 IS NULL OR email = ?1 COLLATE NOCASE)", &st);

	*removed = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("lifting a limit"));
	if (email)
		cps_bind_text(st, 1, email, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("lifting a limit"));
	if (r == CPS_OK)
		*removed = sqlite3_changes(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_limits_each(struct cps_store *s,
				   int (*fn)(const char *scope, const char *key, int failures,
					     time_t last_failed_at, void *arg),
				   void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT scope, key, failures, last_failed_at FROM attempt_limit"
		" UNION ALL SELECT 'login', email, failed_logins, coalesce(last_failed_at, 0)"
		" FROM account WHERE failed_logins > 0 ORDER BY 1, 2", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the wrong tries"));
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       sqlite3_column_int(st, 2), (time_t)sqlite3_column_int64(st, 3), arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the wrong tries"));
	cps_store_release(s, st);
	return r;
}
