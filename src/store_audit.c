/* store_audit.c - SQL for the audit log: an insert and a list, nothing
 * else (see src/store_audit.h). */
#include "cpsreg/i18n.h"
#include "store_audit.h"
#include "store_private.h"

static void bind_id(sqlite3_stmt *st, int i, long long v, int *rc)
{
	if (v > 0)
		cps_bind_int64(st, i, v, rc);
	else
		cps_bind_null(st, i, rc);
}

enum cps_err cps_store_audit_insert(struct cps_store *s, time_t at,
				    const char *actor, const char *os_user,
				    const char *action, long long account_id,
				    long long ref, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO audit (at, actor, os_user, action, account_id, ref)"
		" VALUES (?, ?, ?, ?, ?, ?)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("writing the audit log"));
	cps_bind_int64(st, 1, (sqlite3_int64)at, &rc);
	cps_bind_text(st, 2, actor, &rc);
	cps_bind_text(st, 3, os_user, &rc);
	cps_bind_text(st, 4, action, &rc);
	bind_id(st, 5, account_id, &rc);
	bind_id(st, 6, ref, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("writing the audit log"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_audit_list(struct cps_store *s, long long account_id,
				  int (*fn)(const struct cps_audit_line *l, void *arg),
				  void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT l.id, l.at, l.actor, l.os_user, l.action, l.account_id, a.email, l.ref"
		" FROM audit l LEFT JOIN account a ON a.id = l.account_id"
		" WHERE ?1 IS NULL OR l.account_id = ?1 ORDER BY l.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the audit log"));
	bind_id(st, 1, account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct cps_audit_line l = {
			.id = sqlite3_column_int64(st, 0),
			.at = (time_t)sqlite3_column_int64(st, 1),
			.actor = (const char *)sqlite3_column_text(st, 2),
			.os_user = (const char *)sqlite3_column_text(st, 3),
			.action = (const char *)sqlite3_column_text(st, 4),
			.account_id = sqlite3_column_int64(st, 5),
			.email = (const char *)sqlite3_column_text(st, 6),
			.ref = sqlite3_column_int64(st, 7),
		};
		if (fn(&l, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the audit log"));
	cps_store_release(s, st);
	return r;
}
