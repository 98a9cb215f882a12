/* store_outbox.c - SQL for the outbox and the message table. */
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_outbox.h"
#include "store_private.h"

static void bind_account(sqlite3_stmt *st, int i, long long account_id, int *rc)
{
	if (account_id > 0)
		cps_bind_int64(st, i, account_id, rc);
	else
		cps_bind_null(st, i, rc);
}

enum cps_err cps_store_outbox_insert(struct cps_store *s, const char *idem_key,
				     const char *kind, long long account_id,
				     const char *payload, time_t now,
				     struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"INSERT INTO outbox (idem_key, kind, account_id, payload, created_at)"
		" VALUES (?, ?, ?, ?, ?)", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("recording a change for the remote"));
	cps_bind_text(st, 1, idem_key, &rc);
	cps_bind_text(st, 2, kind, &rc);
	bind_account(st, 3, account_id, &rc);
	cps_bind_text(st, 4, payload, &rc);
	cps_bind_int64(st, 5, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("recording a change for the remote"));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_outbox_pending(struct cps_store *s, long long *count,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"SELECT count(*) FROM outbox WHERE sent_at IS NULL", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("counting changes for the remote"));
	rc = cps_store_step(st, rc);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("counting changes for the remote"));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_message_insert(struct cps_store *s, long long account_id,
				      const char *kind, const char *recipient,
				      const char *subject, const char *body,
				      time_t now, long long *id,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"INSERT INTO message (account_id, kind, recipient, subject, body, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("queueing a message"));
	bind_account(st, 1, account_id, &rc);
	cps_bind_text(st, 2, kind, &rc);
	cps_bind_text(st, 3, recipient, &rc);
	cps_bind_text(st, 4, subject, &rc);
	cps_bind_text(st, 5, body, &rc);
	cps_bind_int64(st, 6, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("queueing a message"));
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_messages_pending(struct cps_store *s, const char *email,
					int (*fn)(const struct cps_message *m, void *arg),
					void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"SELECT id, account_id, kind, recipient, subject, body, created_at"
		" FROM message WHERE delivered_at IS NULL"
		" AND (?1 IS NULL OR recipient = ?1 COLLATE NOCASE) ORDER BY id", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	if (email)
		cps_bind_text(st, 1, email, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct cps_message m = {
			.id = sqlite3_column_int64(st, 0),
			.account_id = sqlite3_column_int64(st, 1),
			.kind = (const char *)sqlite3_column_text(st, 2),
			.recipient = (const char *)sqlite3_column_text(st, 3),
			.subject = (const char *)sqlite3_column_text(st, 4),
			.body = (const char *)sqlite3_column_text(st, 5),
			.created_at = (time_t)sqlite3_column_int64(st, 6),
		};
		if (fn(&m, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_message_delivered(struct cps_store *s, long long id,
					 const char *via, time_t now,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"UPDATE message SET delivered_at = ?, delivered_via = ?"
		" WHERE id = ? AND delivered_at IS NULL", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("marking a message delivered"));
	cps_bind_int64(st, 1, (sqlite3_int64)now, &rc);
	cps_bind_text(st, 2, via, &rc);
	cps_bind_int64(st, 3, id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("marking a message delivered"));
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, _("no undelivered message %lld"), id);
	sqlite3_finalize(st);
	return r;
}
