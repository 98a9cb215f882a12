/* store_import.c - SQL for imports written in batches (see store_import.h). */
#include <stdio.h>

#include "cpsreg/i18n.h"
#include "store_import.h"
#include "store_private.h"

/* The newest rows first: an unfinished import's rows are the last ones
 * written, so the scan from the end finds them at once. */
static enum cps_err drop_from(struct cps_store *s, const char *sql, long long shown,
			      int limit, int *dropped, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, sql, &st);

	*dropped = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("removing an unfinished import"));
	cps_bind_int64(st, 1, shown, &rc);
	cps_bind_int(st, 2, limit, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("removing an unfinished import"));
	if (r == CPS_OK)
		*dropped = sqlite3_changes(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_import_drop(struct cps_store *s, int legacy, long long shown,
				   int limit, int *dropped, struct cps_error *err)
{
	enum cps_err rc;

	if (!legacy)
		return drop_from(s, "DELETE FROM catalog WHERE id IN (SELECT id FROM catalog"
				 " WHERE gen > ?1 ORDER BY id DESC LIMIT ?2)",
				 shown, limit, dropped, err);
	rc = drop_from(s, "DELETE FROM legacy_product WHERE id IN (SELECT id FROM legacy_product"
		       " WHERE gen > ?1 ORDER BY id DESC LIMIT ?2)", shown, limit, dropped, err);
	if (rc != CPS_OK || *dropped > 0)
		return rc;
	return drop_from(s, "DELETE FROM legacy_account WHERE id IN (SELECT id FROM legacy_account"
			 " WHERE gen > ?1 ORDER BY id DESC LIMIT ?2)", shown, limit, dropped, err);
}

int cps_store_import_unsynced(struct cps_store *s, int on, int level)
{
	sqlite3 *db = cps_store_db(s);
	sqlite3_stmt *st;
	char sql[40];

	/* Settings that cannot change only cost time: nothing to report. */
	if (!on) {
		if (level >= 0) {
			snprintf(sql, sizeof(sql), "PRAGMA synchronous = %d", level);
			sqlite3_exec(db, sql, NULL, NULL, NULL);
		}
		return level;
	}
	/* The batches are unseen until the import's last transaction, whose
	 * commit (synchronous again) puts every one of them on the disk
	 * with it: in WAL mode a power cut before that loses at most some of
	 * the unseen batches, which the next import drops anyway, and the
	 * database stays whole (SQLite's promise for synchronous = NORMAL).
	 * Waiting for the disk at every batch bought nothing. */
	level = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			level = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (level > 1)
		sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	return level;
}
