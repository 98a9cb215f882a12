/* store_account.c - SQL for accounts (applications), proof documents and
 * password tokens (see src/store_account.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_account.h"
#include "store_private.h"

/* The columns every loader reads, in the order row_to_app expects. */
#define APP_SELECT \
	"SELECT a.id, a.email, a.company, a.country, a.street, a.postcode," \
	" a.city, a.first_name, a.last_name, a.phone, a.language," \
	" a.vat_registered, a.vat_number, a.id_override_by, a.id_override_at," \
	" a.authorised, a.old_email, a.status, a.submitted_at, a.expected_by," \
	" a.decided_at, a.decided_by, a.reject_reason," \
	" a.password_hash IS NOT NULL, a.wizard_step, a.created_at, a.updated_at," \
	" d.doc_type, d.filename, d.mime, d.size, d.sha256, d.seen_by, d.created_at," \
	" a.version" \
	" FROM account a LEFT JOIN document d ON d.account_id = a.id"

static void col_text(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, len, "%s", t ? (const char *)t : "");
}

static enum cps_app_status status_parse(const char *s)
{
	for (int i = CPS_APP_DRAFT; i <= CPS_APP_REJECTED; i++)
		if (strcmp(s, cps_app_status_id((enum cps_app_status)i)) == 0)
			return (enum cps_app_status)i;
	return CPS_APP_DRAFT;
}

static void row_to_app(sqlite3_stmt *st, struct cps_application *a)
{
	char status[16], doc_type[40];

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	col_text(st, 1, a->email, sizeof(a->email));
	col_text(st, 2, a->company, sizeof(a->company));
	col_text(st, 3, a->country, sizeof(a->country));
	col_text(st, 4, a->street, sizeof(a->street));
	col_text(st, 5, a->postcode, sizeof(a->postcode));
	col_text(st, 6, a->city, sizeof(a->city));
	col_text(st, 7, a->first_name, sizeof(a->first_name));
	col_text(st, 8, a->last_name, sizeof(a->last_name));
	col_text(st, 9, a->phone, sizeof(a->phone));
	col_text(st, 10, a->language, sizeof(a->language));
	a->vat_registered = sqlite3_column_int(st, 11);
	col_text(st, 12, a->vat_number, sizeof(a->vat_number));
	col_text(st, 13, a->id_override_by, sizeof(a->id_override_by));
	a->id_override_at = (time_t)sqlite3_column_int64(st, 14);
	a->authorised = sqlite3_column_int(st, 15);
	col_text(st, 16, a->old_email, sizeof(a->old_email));
	col_text(st, 17, status, sizeof(status));
	a->status = status_parse(status);
	a->submitted_at = (time_t)sqlite3_column_int64(st, 18);
	col_text(st, 19, a->expected_by, sizeof(a->expected_by));
	a->decided_at = (time_t)sqlite3_column_int64(st, 20);
	col_text(st, 21, a->decided_by, sizeof(a->decided_by));
	col_text(st, 22, a->reject_reason, sizeof(a->reject_reason));
	a->has_password = sqlite3_column_int(st, 23);
	col_text(st, 24, a->wizard_step, sizeof(a->wizard_step));
	a->created_at = (time_t)sqlite3_column_int64(st, 25);
	a->updated_at = (time_t)sqlite3_column_int64(st, 26);
	if (sqlite3_column_type(st, 27) != SQLITE_NULL) {
		col_text(st, 27, doc_type, sizeof(doc_type));
		a->doc.type = cps_doc_type_parse(doc_type);
		col_text(st, 28, a->doc.filename, sizeof(a->doc.filename));
		col_text(st, 29, a->doc.mime, sizeof(a->doc.mime));
		a->doc.size = sqlite3_column_int64(st, 30);
		col_text(st, 31, a->doc.sha256, sizeof(a->doc.sha256));
		col_text(st, 32, a->doc.seen_by, sizeof(a->doc.seen_by));
		a->doc.created_at = (time_t)sqlite3_column_int64(st, 33);
	}
	a->version = sqlite3_column_int64(st, 34);
}

/* Runs a loader prepared with one text or integer parameter already bound
 * (rc: the result of binding it). */
static enum cps_err load_one(struct cps_store *s, sqlite3_stmt *st, int rc,
			     struct cps_application *a, struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r;

	if (rc == SQLITE_ROW) {
		row_to_app(st, a);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("No such application was found."));
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading an application"));
	}
	cps_store_release(s, st);
	return r;
}

static enum cps_err prepare(struct cps_store *s, const char *sql,
			    sqlite3_stmt **st, const char *what,
			    struct cps_error *err)
{
	int rc = cps_store_prepare(s, sql, st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	return CPS_OK;
}

/* Steps a write statement (unless binding failed: rc), gives it back, and
 * reports whether a row
 * changed (CPS_ERR_NOT_FOUND if none did and must_change is set). */
static enum cps_err finish_write(struct cps_store *s, sqlite3_stmt *st, int rc,
				 int must_change, const char *what,
				 struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", what);

	cps_store_release(s, st);
	if (r == CPS_OK && must_change && sqlite3_changes(cps_store_db(s)) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("No such application was found."));
	return r;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (v && *v)
		cps_bind_text_copy(st, i, v, rc);
	else
		cps_bind_null(st, i, rc);
}

/* Binds the customer's fields to ?1..?15 (the same order for insert and
 * update). */
static void bind_fields(sqlite3_stmt *st, const struct cps_application *a,
			int *rc)
{
	bind_text_or_null(st, 1, a->email, rc);
	cps_bind_text_copy(st, 2, a->company, rc);
	cps_bind_text_copy(st, 3, a->country, rc);
	cps_bind_text_copy(st, 4, a->street, rc);
	cps_bind_text_copy(st, 5, a->postcode, rc);
	cps_bind_text_copy(st, 6, a->city, rc);
	cps_bind_text_copy(st, 7, a->first_name, rc);
	cps_bind_text_copy(st, 8, a->last_name, rc);
	cps_bind_text_copy(st, 9, a->phone, rc);
	cps_bind_text_copy(st, 10, a->language, rc);
	cps_bind_int(st, 11, a->vat_registered, rc);
	cps_bind_text_copy(st, 12, a->vat_number, rc);
	cps_bind_int(st, 13, a->authorised ? 1 : 0, rc);
	cps_bind_text_copy(st, 14, a->old_email, rc);
	cps_bind_text_copy(st, 15, a->wizard_step, rc);
}

enum cps_err cps_store_account_insert(struct cps_store *s,
				      const struct cps_application *a,
				      const char *resume_hash, time_t now,
				      long long *id, struct cps_error *err)
{
	const char *what = _("saving the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		/* never the number of an erased account, which its audit lines
		 * still carry: a plain INTEGER PRIMARY KEY would give the
		 * highest one out again */
		"INSERT INTO account (id, email, company, country, street, postcode,"
		" city, first_name, last_name, phone, language, vat_registered,"
		" vat_number, authorised, old_email, wizard_step, resume_hash,"
		" status, created_at, updated_at, version)"
		" VALUES (1 + max(coalesce((SELECT max(id) FROM account), 0),"
		" coalesce((SELECT max(account_id) FROM audit), 0)),"
		" ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		" ?14, ?15, ?16, 'draft', ?17, ?17, 1)", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	bind_fields(st, a, &rc);
	cps_bind_text_copy(st, 16, resume_hash, &rc);
	cps_bind_int64(st, 17, (sqlite3_int64)now, &rc);
	r = finish_write(s, st, rc, 0, what, err);
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	return r;
}

enum cps_err cps_store_account_update_fields(struct cps_store *s,
					     const struct cps_application *a,
					     int keep_override, time_t now,
					     struct cps_error *err)
{
	const char *what = _("saving the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET email = ?1, company = ?2, country = ?3,"
		" street = ?4, postcode = ?5, city = ?6, first_name = ?7,"
		" last_name = ?8, phone = ?9, language = ?10, vat_registered = ?11,"
		" vat_number = ?12, authorised = ?13, old_email = ?14,"
		" wizard_step = ?15, updated_at = ?16, version = version + 1,"
		" id_override_by = CASE WHEN ?17 THEN id_override_by END,"
		" id_override_at = CASE WHEN ?17 THEN id_override_at END"
		" WHERE id = ?18", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	bind_fields(st, a, &rc);
	cps_bind_int64(st, 16, (sqlite3_int64)now, &rc);
	cps_bind_int(st, 17, keep_override ? 1 : 0, &rc);
	cps_bind_int64(st, 18, a->id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_set_step(struct cps_store *s, long long id,
					const char *step, time_t now,
					struct cps_error *err)
{
	const char *what = _("saving the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET wizard_step = ?, updated_at = ? WHERE id = ?",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, step, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 3, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_load(struct cps_store *s, long long id,
				    struct cps_application *a,
				    struct cps_error *err)
{
	sqlite3_stmt *st;
	enum cps_err r = prepare(s, APP_SELECT " WHERE a.id = ?", &st,
				 _("reading an application"), err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, id, &rc);
	return load_one(s, st, rc, a, err);
}

enum cps_err cps_store_account_find_email(struct cps_store *s,
					  const char *email,
					  struct cps_application *a,
					  struct cps_error *err)
{
	sqlite3_stmt *st;
	enum cps_err r = prepare(s, APP_SELECT " WHERE a.email = ?", &st,
				 _("reading an application"), err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, email, &rc);
	return load_one(s, st, rc, a, err);
}

enum cps_err cps_store_account_find_resume(struct cps_store *s,
					   const char *resume_hash,
					   struct cps_application *a,
					   struct cps_error *err)
{
	sqlite3_stmt *st;
	enum cps_err r = prepare(s, APP_SELECT " WHERE a.resume_hash = ?", &st,
				 _("reading an application"), err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, resume_hash, &rc);
	return load_one(s, st, rc, a, err);
}

enum cps_err cps_store_account_email_taken(struct cps_store *s,
					   const char *email,
					   long long except_id, int *taken,
					   struct cps_error *err)
{
	const char *what = _("checking the e-mail address");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"SELECT count(*) FROM account WHERE email = ? AND id <> ?",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, email, &rc);
	cps_bind_int64(st, 2, except_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*taken = sqlite3_column_int64(st, 0) > 0;
	else
		r = cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_account_submit(struct cps_store *s, long long id,
				      time_t now, const char *expected_by,
				      struct cps_error *err)
{
	const char *what = _("submitting the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET status = 'pending', submitted_at = ?1,"
		" expected_by = ?2, decided_at = NULL, decided_by = NULL,"
		" reject_reason = NULL, updated_at = ?1 WHERE id = ?3",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, (sqlite3_int64)now, &rc);
	cps_bind_text_copy(st, 2, expected_by, &rc);
	cps_bind_int64(st, 3, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_decide(struct cps_store *s, long long id,
				      enum cps_app_status status,
				      const char *staff, const char *reason,
				      time_t now, struct cps_error *err)
{
	const char *what = _("recording the decision");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET status = ?1, decided_at = ?2, decided_by = ?3,"
		" reject_reason = ?4, updated_at = ?2 WHERE id = ?5",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text(st, 1, cps_app_status_id(status), &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	cps_bind_text_copy(st, 3, staff, &rc);
	bind_text_or_null(st, 4, reason, &rc);
	cps_bind_int64(st, 5, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_override(struct cps_store *s, long long id,
					const char *vat_number,
					const char *staff, time_t now,
					struct cps_error *err)
{
	const char *what = _("recording the staff override");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET vat_number = ?1, id_override_by = ?2,"
		" id_override_at = ?3, updated_at = ?3 WHERE id = ?4",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, vat_number, &rc);
	cps_bind_text_copy(st, 2, staff, &rc);
	cps_bind_int64(st, 3, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 4, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_login_get(struct cps_store *s,
					 const char *email,
					 struct cps_store_login *l,
					 struct cps_error *err)
{
	const char *what = _("reading the account");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"SELECT id, status, password_hash, failed_logins, last_failed_at"
		" FROM account WHERE email = ?", &st, what, err);
	char status[16];

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, email, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		memset(l, 0, sizeof(*l));
		l->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, status, sizeof(status));
		l->status = status_parse(status);
		col_text(st, 2, l->password_hash, sizeof(l->password_hash));
		l->failed_logins = sqlite3_column_int(st, 3);
		l->last_failed_at = (time_t)sqlite3_column_int64(st, 4);
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("No such application was found."));
	} else {
		r = cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_account_login_failed(struct cps_store *s, long long id,
					    time_t now, struct cps_error *err)
{
	const char *what = _("recording a failed login");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET failed_logins = failed_logins + 1,"
		" last_failed_at = ? WHERE id = ?", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 2, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_login_reset(struct cps_store *s, long long id,
					   struct cps_error *err)
{
	const char *what = _("recording a login");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET failed_logins = 0, last_failed_at = NULL"
		" WHERE id = ?", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_set_password(struct cps_store *s, long long id,
					    const char *hash, time_t now,
					    struct cps_error *err)
{
	const char *what = _("saving the password");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET password_hash = ?, failed_logins = 0,"
		" last_failed_at = NULL, updated_at = ? WHERE id = ?",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, hash, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 3, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

enum cps_err cps_store_account_counts(struct cps_store *s,
				      struct cps_store_account_counts *c,
				      struct cps_error *err)
{
	const char *what = _("counting accounts");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"SELECT (SELECT count(*) FROM account),"
		" (SELECT count(*) FROM document),"
		" (SELECT count(*) FROM password_token)", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->accounts = sqlite3_column_int64(st, 0);
		c->documents = sqlite3_column_int64(st, 1);
		c->tokens = sqlite3_column_int64(st, 2);
	} else {
		r = cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_account_country(struct cps_store *s,
				       long long account_id, char out[3],
				       struct cps_error *err)
{
	const char *what = _("reading the account");
	sqlite3_stmt *st;
	enum cps_err r;

	out[0] = '\0';
	r = prepare(s, "SELECT country FROM account WHERE id = ?", &st, what, err);
	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		if (c && strlen(c) == 2)
			memcpy(out, c, 3);
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("there is no such account"));
	} else {
		r = cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_document_put(struct cps_store *s, long long account_id,
				    const struct cps_store_document *d,
				    time_t now, struct cps_error *err)
{
	const char *what = _("saving the proof document");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"INSERT INTO document (account_id, doc_type, filename, mime, size,"
		" sha256, content, seen_by, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (account_id) DO UPDATE SET doc_type = excluded.doc_type,"
		" filename = excluded.filename, mime = excluded.mime,"
		" size = excluded.size, sha256 = excluded.sha256,"
		" content = excluded.content, seen_by = excluded.seen_by,"
		" created_at = excluded.created_at", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_text_copy(st, 2, d->type_id, &rc);
	cps_bind_text_copy(st, 3, d->filename ? d->filename : "", &rc);
	cps_bind_text_copy(st, 4, d->mime ? d->mime : "", &rc);
	cps_bind_int64(st, 5, d->size, &rc);
	cps_bind_text_copy(st, 6, d->sha256 ? d->sha256 : "", &rc);
	if (d->content)
		cps_bind_blob(st, 7, d->content, d->content_len, &rc);
	else
		cps_bind_null(st, 7, &rc);
	bind_text_or_null(st, 8, d->seen_by, &rc);
	cps_bind_int64(st, 9, (sqlite3_int64)now, &rc);
	return finish_write(s, st, rc, 0, what, err);
}

enum cps_err cps_store_document_content(struct cps_store *s,
					long long account_id, void **buf,
					size_t *len, struct cps_error *err)
{
	const char *what = _("reading the proof document");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"SELECT content FROM document WHERE account_id = ?", &st, what, err);

	*buf = NULL;
	*len = 0;
	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			const void *b = sqlite3_column_blob(st, 0);
			size_t n = (size_t)sqlite3_column_bytes(st, 0);
			*buf = malloc(n ? n : 1);
			if (!*buf)
				r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
			else {
				if (n)
					memcpy(*buf, b, n);
				*len = n;
			}
		}
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("The application has no proof document."));
	} else {
		r = cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_token_insert(struct cps_store *s, long long account_id,
				    const char *token_hash, const char *purpose,
				    time_t now, time_t expires_at,
				    struct cps_error *err)
{
	const char *what = _("saving the password code");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"INSERT INTO password_token (account_id, token_hash, purpose,"
		" created_at, expires_at) VALUES (?, ?, ?, ?, ?)", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_text_copy(st, 2, token_hash, &rc);
	cps_bind_text_copy(st, 3, purpose, &rc);
	cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 5, (sqlite3_int64)expires_at, &rc);
	return finish_write(s, st, rc, 0, what, err);
}

enum cps_err cps_store_token_find(struct cps_store *s, long long account_id,
				  const char *token_hash,
				  struct cps_store_token *t,
				  struct cps_error *err)
{
	const char *what = _("reading the password code");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"SELECT id, purpose, created_at, expires_at, used_at"
		" FROM password_token WHERE account_id = ? AND token_hash = ?",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_text_copy(st, 2, token_hash, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, t->purpose, sizeof(t->purpose));
		t->created_at = (time_t)sqlite3_column_int64(st, 2);
		t->expires_at = (time_t)sqlite3_column_int64(st, 3);
		t->used_at = (time_t)sqlite3_column_int64(st, 4);
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("No such password code was found."));
	} else {
		r = cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_token_use_all(struct cps_store *s, long long account_id,
				     time_t now, struct cps_error *err)
{
	const char *what = _("using up the password code");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE password_token SET used_at = ?"
		" WHERE account_id = ? AND used_at IS NULL", &st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 2, account_id, &rc);
	return finish_write(s, st, rc, 0, what, err);
}

/* Runs st (its parameters bound, rc the result of binding them) and calls
 * fn with every account it gives; gives st back. */
static enum cps_err each_app(struct cps_store *s, sqlite3_stmt *st, int rc,
			     int (*fn)(const struct cps_application *a, void *arg),
			     void *arg, const char *what, struct cps_error *err)
{
	struct cps_application *a = malloc(sizeof(*a));
	enum cps_err r;

	if (!a) {
		cps_store_release(s, st);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		row_to_app(st, a);
		if (fn(a, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	r = rc == SQLITE_DONE ? CPS_OK : cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	free(a);
	return r;
}

enum cps_err cps_store_account_pending(struct cps_store *s,
				       int (*fn)(const struct cps_application *a, void *arg),
				       void *arg, struct cps_error *err)
{
	const char *what = _("reading the applications waiting");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s, APP_SELECT " WHERE a.status = 'pending'"
				 " ORDER BY a.submitted_at, a.id", &st, what, err);

	if (r != CPS_OK)
		return r;
	return each_app(s, st, SQLITE_OK, fn, arg, what, err);
}

enum cps_err cps_store_account_set_old_email(struct cps_store *s, long long id,
					     const char *old_email, time_t now,
					     struct cps_error *err)
{
	const char *what = _("correcting the old CPS e-mail");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET old_email = ?1, updated_at = ?2 WHERE id = ?3",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	bind_text_or_null(st, 1, old_email, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 3, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

/* A new resume code for the account (staff reissued it): the old one no
 * longer opens it. */
enum cps_err cps_store_account_set_resume_hash(struct cps_store *s, long long id,
					       const char *resume_hash, time_t now,
					       struct cps_error *err)
{
	const char *what = _("saving the new resume code");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"UPDATE account SET resume_hash = ?1, updated_at = ?2 WHERE id = ?3",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_text_copy(st, 1, resume_hash, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 3, id, &rc);
	return finish_write(s, st, rc, 1, what, err);
}

/* --- values kept as typed ------------------------------------------------ */

enum cps_err cps_store_typed_put(struct cps_store *s, long long account_id,
				 int field, const char *text, time_t now,
				 struct cps_error *err)
{
	const char *what = _("saving the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s, text && *text
		? "INSERT INTO application_typed (account_id, field, text, updated_at)"
		  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, field)"
		  " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
		: "DELETE FROM application_typed WHERE account_id = ?1 AND field = ?2",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int(st, 2, field, &rc);
	if (text && *text) {
		cps_bind_text_copy(st, 3, text, &rc);
		cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
	}
	return finish_write(s, st, rc, 0, what, err);
}

enum cps_err cps_store_account_search(struct cps_store *s, const char *pattern,
				      int (*fn)(const struct cps_application *a, void *arg),
				      void *arg, struct cps_error *err)
{
	const char *what = _("finding a customer");
	sqlite3_stmt *st;
	int rc = SQLITE_OK;
	enum cps_err r = prepare(s, APP_SELECT
		" LEFT JOIN membership m ON m.account_id = a.id"
		" WHERE a.email LIKE ?1 ESCAPE '\\' OR a.company LIKE ?1 ESCAPE '\\'"
		" OR a.vat_number LIKE ?1 ESCAPE '\\' OR m.number LIKE ?1 ESCAPE '\\'"
		" OR m.old_number LIKE ?1 ESCAPE '\\' ORDER BY a.id", &st, what, err);

	if (r != CPS_OK)
		return r;
	cps_bind_text_copy(st, 1, pattern, &rc);
	return each_app(s, st, rc, fn, arg, what, err);
}

enum cps_err cps_store_typed_clear(struct cps_store *s, long long account_id,
				   unsigned clear_mask, struct cps_error *err)
{
	const char *what = _("saving the application");
	sqlite3_stmt *st;
	enum cps_err r = prepare(s,
		"DELETE FROM application_typed WHERE account_id = ?1 AND ((?2 >> field) & 1)",
		&st, what, err);

	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)clear_mask, &rc);
	return finish_write(s, st, rc, 0, what, err);
}

enum cps_err cps_store_typed_get(struct cps_store *s, long long account_id,
				 char out[][CPS_APP_TYPED_SIZE], int nfields,
				 struct cps_error *err)
{
	const char *what = _("reading an application");
	sqlite3_stmt *st;
	enum cps_err r;

	for (int i = 0; i < nfields; i++)
		out[i][0] = '\0';
	r = prepare(s, "SELECT field, text FROM application_typed WHERE account_id = ?", &st,
		    what, err);
	if (r != CPS_OK)
		return r;
	int rc = SQLITE_OK;

	cps_bind_int64(st, 1, account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		int f = sqlite3_column_int(st, 0);
		if (f >= 0 && f < nfields)
			col_text(st, 1, out[f], CPS_APP_TYPED_SIZE);
	}
	if (rc != SQLITE_DONE)
		r = cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}
