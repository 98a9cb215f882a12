/* store_flow.c - SQL for the flow: the migration and membership rows of an
 * account, read in one read transaction (see src/store_flow.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_flow.h"
#include "store_private.h"

static void col_text(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, len, "%s", t ? (const char *)t : "");
}

static enum cps_err read_migration(struct cps_store *s, long long account_id,
				   struct cps_store_flow_facts *f,
				   struct cps_error *err)
{
	const char *what = _("reading the migration of your products");
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT products, migrated_at FROM migration WHERE account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		f->migrated = 1;
		f->migrated_products = sqlite3_column_int(st, 0);
		f->migrated_at = (time_t)sqlite3_column_int64(st, 1);
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

static enum cps_err read_membership(struct cps_store *s, long long account_id,
				    struct cps_store_flow_facts *f,
				    struct cps_error *err)
{
	const char *what = _("reading the membership");
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT number, old_number, level_id, level_name, active_from"
		" FROM membership WHERE account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		f->member = 1;
		col_text(st, 0, f->number, sizeof(f->number));
		col_text(st, 1, f->old_number, sizeof(f->old_number));
		col_text(st, 2, f->level_id, sizeof(f->level_id));
		col_text(st, 3, f->level_name, sizeof(f->level_name));
		f->active_from = (time_t)sqlite3_column_int64(st, 4);
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_flow_facts(struct cps_store *s, long long account_id,
				  struct cps_store_flow_facts *f,
				  struct cps_error *err)
{
	enum cps_err r;

	memset(f, 0, sizeof(*f));
	r = read_migration(s, account_id, f, err);
	if (r == CPS_OK)
		r = read_membership(s, account_id, f, err);
	return r;
}

static enum cps_err exec_plain(struct cps_store *s, const char *sql,
			       const char *what, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, sql, &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_flow_read_begin(struct cps_store *s, int *started,
				       struct cps_error *err)
{
	enum cps_err r;

	*started = 0;
	if (!sqlite3_get_autocommit(cps_store_db(s)))
		return CPS_OK;
	/* deferred: a reader takes no write lock and never waits for one */
	r = exec_plain(s, "BEGIN DEFERRED", _("reading where you are in the registration"), err);
	if (r == CPS_OK)
		*started = 1;
	return r;
}

void cps_store_flow_read_end(struct cps_store *s, int started)
{
	/* nothing was written: ending it either way is the same, and a
	 * rollback cannot fail halfway */
	if (started)
		cps_store_rollback(s);
}
