/* store_remote.c - SQL for the sync with the remote (see src/store_remote.h). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_private.h"
#include "store_remote.h"

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return strdup(v ? (const char *)v : "");
}

void cps_store_outbox_item_free(struct cps_outbox_item *item)
{
	if (!item)
		return;
	free(item->idem_key);
	free(item->kind);
	free(item->payload);
	memset(item, 0, sizeof(*item));
}

enum cps_err cps_store_outbox_next(struct cps_store *s, long long after_id,
				   struct cps_outbox_item *item, int *found,
				   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT id, coalesce(account_id, 0), idem_key, kind, payload FROM outbox"
		" WHERE id > ?1 AND sent_at IS NULL AND parked_at IS NULL ORDER BY id LIMIT 1", &st);

	memset(item, 0, sizeof(*item));
	*found = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the changes for the remote"));
	cps_bind_int64(st, 1, after_id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = CPS_OK;
	if (rc == SQLITE_ROW) {
		item->id = sqlite3_column_int64(st, 0);
		item->account_id = sqlite3_column_int64(st, 1);
		item->idem_key = dup_col(st, 2);
		item->kind = dup_col(st, 3);
		item->payload = dup_col(st, 4);
		if (!item->idem_key || !item->kind || !item->payload) {
			cps_store_outbox_item_free(item);
			r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		} else {
			*found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		r = cps_store_fail(s, rc, err, "%s", _("reading the changes for the remote"));
	}
	cps_store_release(s, st);
	return r;
}

/* Runs one UPDATE of a single outbox row; CPS_ERR_NOT_FOUND when no row
 * changed and must_change.  A sync's own updates need not change one: a
 * second sync running at the same time (cron beside --watch) may have sent
 * the row meanwhile, and the remote did it once whoever asks. */
static enum cps_err update_row(struct cps_store *s, const char *sql, long long id,
			       const char *text, long long when, int must_change,
			       struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, sql, &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("recording the remote's answer"));
	cps_bind_int64(st, 1, id, &rc);
	if (sqlite3_bind_parameter_count(st) >= 2)
		cps_bind_text(st, 2, text, &rc);
	if (sqlite3_bind_parameter_count(st) >= 3)
		cps_bind_int64(st, 3, when, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("recording the remote's answer"));
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) == 0 && must_change)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND,
				  _("change %lld is not waiting to be sent"), id);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_outbox_sent(struct cps_store *s, long long id, time_t now,
				   struct cps_error *err)
{
	return update_row(s, "UPDATE outbox SET sent_at = ?3, attempts = attempts + 1,"
			  " last_error = ?2, next_attempt_at = NULL"
			  " WHERE id = ?1 AND sent_at IS NULL", id, NULL, (long long)now, 0, err);
}

enum cps_err cps_store_outbox_remote_message(struct cps_store *s, long long id,
					     long long *message_id, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT CAST(json_extract(payload, '$.data.message_id') AS INTEGER) FROM outbox"
		" WHERE id = ?1 AND kind = 'message'"
		" AND json_extract(payload, '$.data.delivery') = 'remote'", &st);

	*message_id = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the outbox"));
	cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*message_id = sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the outbox"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_outbox_failed(struct cps_store *s, long long id,
				     const char *why, int park, time_t now,
				     struct cps_error *err)
{
	return update_row(s, park
			  ? "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
			    " parked_at = ?3 WHERE id = ?1 AND sent_at IS NULL"
			  : "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
			    " next_attempt_at = ?3 WHERE id = ?1 AND sent_at IS NULL",
			  id, why, (long long)now, 0, err);
}

enum cps_err cps_store_outbox_unpark(struct cps_store *s, long long id,
				     struct cps_error *err)
{
	return update_row(s, "UPDATE outbox SET parked_at = NULL WHERE id = ?1"
			  " AND sent_at IS NULL AND parked_at IS NOT NULL", id, NULL, 0, 1, err);
}

enum cps_err cps_store_outbox_parked(struct cps_store *s,
				     int (*fn)(const struct cps_outbox_parked *p, void *arg),
				     void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT o.id, o.kind, coalesce(o.account_id, 0), coalesce(a.email, ''),"
		" o.attempts, coalesce(o.last_error, ''), o.created_at, o.parked_at"
		" FROM outbox o LEFT JOIN account a ON a.id = o.account_id"
		" WHERE o.sent_at IS NULL AND o.parked_at IS NOT NULL ORDER BY o.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the changes for the remote"));
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct cps_outbox_parked p = {
			.id = sqlite3_column_int64(st, 0),
			.kind = (const char *)sqlite3_column_text(st, 1),
			.account_id = sqlite3_column_int64(st, 2),
			.email = (const char *)sqlite3_column_text(st, 3),
			.attempts = sqlite3_column_int(st, 4),
			.reason = (const char *)sqlite3_column_text(st, 5),
			.created_at = (time_t)sqlite3_column_int64(st, 6),
			.parked_at = (time_t)sqlite3_column_int64(st, 7),
		};
		if (fn(&p, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the changes for the remote"));
	cps_store_release(s, st);
	return r;
}
