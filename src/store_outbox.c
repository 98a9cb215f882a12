/* store_outbox.c - SQL for the outbox and the message table. */
#include <stdio.h>
#include <stdlib.h>
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
	int rc = cps_store_prepare(s,
		"INSERT INTO outbox (idem_key, kind, account_id, payload, created_at)"
		" VALUES (?, ?, ?, ?, ?)", &st);

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
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_outbox_pending(struct cps_store *s, long long *count,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT count(*) FROM outbox WHERE sent_at IS NULL", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("counting changes for the remote"));
	rc = cps_store_step(st, rc);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("counting changes for the remote"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_message_insert(struct cps_store *s, long long account_id,
				      const char *kind, const char *recipient,
				      const char *subject, const char *body,
				      const char *code, time_t code_expires,
				      time_t now, long long *id,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO message (account_id, kind, recipient, subject, body, created_at,"
		" code, code_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("queueing a message"));
	bind_account(st, 1, account_id, &rc);
	cps_bind_text(st, 2, kind, &rc);
	cps_bind_text(st, 3, recipient, &rc);
	cps_bind_text(st, 4, subject, &rc);
	cps_bind_text(st, 5, body, &rc);
	cps_bind_int64(st, 6, (sqlite3_int64)now, &rc);
	cps_bind_text(st, 7, code && *code ? code : NULL, &rc);
	if (code && *code)
		cps_bind_int64(st, 8, (sqlite3_int64)code_expires, &rc);
	else
		cps_bind_null(st, 8, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("queueing a message"));
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

/* Hands each row of a message query (id, account, kind, recipient, subject,
 * body, a time) to fn until it returns non-zero; releases the statement. */
static enum cps_err walk_messages(struct cps_store *s, sqlite3_stmt *st, int rc,
				  int (*fn)(const struct cps_message *m, void *arg),
				  void *arg, struct cps_error *err)
{
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
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_messages_pending(struct cps_store *s, const char *email,
					int (*fn)(const struct cps_message *m, void *arg),
					void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT id, account_id, kind, recipient, subject, body, created_at"
		" FROM message WHERE delivered_at IS NULL"
		" AND (?1 IS NULL OR recipient = ?1 COLLATE NOCASE) ORDER BY id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	if (email)
		cps_bind_text(st, 1, email, &rc);
	return walk_messages(s, st, rc, fn, arg, err);
}

/* created_at carries the time of delivery here */
enum cps_err cps_store_messages_sent(struct cps_store *s,
				     int (*fn)(const struct cps_message *m, void *arg),
				     void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT id, account_id, kind, recipient, subject, body, delivered_at"
		" FROM message WHERE delivered_at IS NOT NULL ORDER BY delivered_at DESC, id DESC",
		&st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	return walk_messages(s, st, rc, fn, arg, err);
}

enum cps_err cps_store_message_get(struct cps_store *s, long long id,
				   int (*fn)(const struct cps_message *m, int delivered, void *arg),
				   void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT id, account_id, kind, recipient, subject, body, created_at,"
		" delivered_at IS NOT NULL FROM message WHERE id = ?", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = CPS_OK;
	if (rc == SQLITE_ROW) {
		struct cps_message m = {
			.id = sqlite3_column_int64(st, 0),
			.account_id = sqlite3_column_int64(st, 1),
			.kind = (const char *)sqlite3_column_text(st, 2),
			.recipient = (const char *)sqlite3_column_text(st, 3),
			.subject = (const char *)sqlite3_column_text(st, 4),
			.body = (const char *)sqlite3_column_text(st, 5),
			.created_at = (time_t)sqlite3_column_int64(st, 6),
		};
		fn(&m, sqlite3_column_int(st, 7), arg);
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, _("There is no message %lld."), id);
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_message_delivered(struct cps_store *s, long long id,
					 const char *via, time_t now,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE message SET delivered_at = ?, delivered_via = ?"
		" WHERE id = ? AND delivered_at IS NULL", &st);

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
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_message_account(struct cps_store *s, long long id,
				       long long *account_id, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT coalesce(account_id, 0) FROM message WHERE id = ?", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	*account_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the messages"));
	if (rc == SQLITE_DONE)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, _("no undelivered message %lld"), id);
	cps_store_release(s, st);
	return r;
}

/* One message whose code is to go. */
struct wipe_row {
	long long id, account_id;
	char *code;
};

static enum cps_err wipe_one(struct cps_store *s, const struct wipe_row *w,
			     const char *via, const char *repl, time_t now,
			     struct cps_error *err)
{
	static const char *const sql[2] = {
		/* the outbox's copy for the remote holds the same code */
		"UPDATE outbox SET payload = replace(payload, ?1, ?2)"
		" WHERE kind = 'message' AND account_id IS ?3",
		"UPDATE message SET body = replace(body, ?1, ?2), code = NULL,"
		" code_expires_at = NULL, delivered_at = coalesce(delivered_at, ?4),"
		" delivered_via = coalesce(delivered_via, ?5) WHERE id = ?6",
	};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int rc = cps_store_prepare(s, sql[i], &st);

		if (rc != SQLITE_OK)
			return cps_store_fail(s, rc, err, "%s", _("removing a used password code"));
		cps_bind_text(st, 1, w->code, &rc);
		cps_bind_text(st, 2, repl, &rc);
		if (w->account_id > 0)
			cps_bind_int64(st, 3, w->account_id, &rc);
		else
			cps_bind_null(st, 3, &rc);
		if (i == 1) {
			cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
			cps_bind_text(st, 5, via, &rc);
			cps_bind_int64(st, 6, w->id, &rc);
		}
		rc = cps_store_step(st, rc);
		cps_store_release(s, st);
		if (rc != SQLITE_DONE)
			return cps_store_fail(s, rc, err, "%s", _("removing a used password code"));
	}
	return CPS_OK;
}

enum cps_err cps_store_message_wipe(struct cps_store *s, enum cps_wipe which,
				    long long key, const char *via,
				    const char *repl, time_t now, int *count,
				    struct cps_error *err)
{
	static const char *const cond[] = {
		[CPS_WIPE_MESSAGE] = " AND id = ?1",
		[CPS_WIPE_ACCOUNT] = " AND account_id = ?1",
		[CPS_WIPE_EXPIRED] = " AND code_expires_at <= ?1",
	};
	char sql[160];
	struct wipe_row *rows = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	enum cps_err r = CPS_OK;
	int rc;

	if (count)
		*count = 0;
	snprintf(sql, sizeof(sql), "SELECT id, coalesce(account_id, 0), code FROM message"
		 " WHERE code IS NOT NULL%s", cond[which]);
	rc = cps_store_prepare(s, sql, &st);
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("removing a used password code"));
	cps_bind_int64(st, 1, which == CPS_WIPE_EXPIRED ? (sqlite3_int64)now : key, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct wipe_row *nr = realloc(rows, ncap * sizeof(*rows));
			if (!nr) {
				r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
				break;
			}
			rows = nr;
			cap = ncap;
		}
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].account_id = sqlite3_column_int64(st, 1);
		rows[n].code = strdup((const char *)sqlite3_column_text(st, 2));
		if (!rows[n].code) {
			r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
			break;
		}
		n++;
	}
	if (r == CPS_OK && rc != SQLITE_DONE)
		r = cps_store_fail(s, rc, err, "%s", _("removing a used password code"));
	cps_store_release(s, st);
	for (size_t i = 0; i < n; i++) {
		if (r == CPS_OK)
			r = wipe_one(s, &rows[i], via, repl, now, err);
		free(rows[i].code);
	}
	free(rows);
	if (r == CPS_OK && count)
		*count = (int)n;
	return r;
}
