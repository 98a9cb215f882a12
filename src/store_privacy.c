/* store_privacy.c - SQL for a customer's data as a whole (see
 * src/store_privacy.h).  The tables are found by their account_id column,
 * so that a table added later is exported and erased without a change
 * here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_privacy.h"
#include "store_private.h"

/* The tables with an account_id column, in the order of their creation. */
#define TABLES_SQL \
	"SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name <> 'account'" \
	" AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'account_id')" \
	" ORDER BY m.rowid"

static int secret_column(const char *name)
{
	size_t n = strlen(name);

	return n >= 5 && strcmp(name + n - 5, "_hash") == 0;
}

static json_t *row_json(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int ok = o != NULL;

	for (int i = 0; ok && i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		json_t *v;

		if (secret_column(name))
			continue;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer((json_int_t)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_TEXT:
			v = json_stringn((const char *)sqlite3_column_text(st, i),
					 (size_t)sqlite3_column_bytes(st, i));
			break;
		case SQLITE_BLOB:
			v = json_pack("{s:i}", "bytes", sqlite3_column_bytes(st, i));
			break;
		default:
			v = json_null();
		}
		if (!v || json_object_set_new(o, name, v) != 0)
			ok = 0;
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Every row of sql (one parameter: the account) into an array. */
static enum cps_err rows_json(struct cps_store *s, const char *sql, long long id,
			      json_t **out, struct cps_error *err)
{
	const char *what = _("reading the customer's data");
	sqlite3_stmt *st;
	json_t *a = json_array();
	int rc = cps_store_prepare(s, sql, &st);

	*out = NULL;
	if (rc != SQLITE_OK) {
		json_decref(a);
		return cps_store_fail(s, rc, err, "%s", what);
	}
	cps_bind_int64(st, 1, id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		json_t *r = row_json(st);
		if (!a || !r || json_array_append_new(a, r) != 0) {
			cps_store_release(s, st);
			json_decref(a);
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		}
	}
	cps_store_release(s, st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return cps_store_fail(s, rc, err, "%s", what);
	}
	*out = a;
	return CPS_OK;
}

/* The names of the tables with an account_id column; free each and the
 * array. */
static enum cps_err tables(struct cps_store *s, char ***names, size_t *n,
			   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, TABLES_SQL, &st);
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the customer's data"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(*names, cap * sizeof(**names));
			if (!nn)
				break;
			*names = nn;
		}
		(*names)[*n] = strdup((const char *)sqlite3_column_text(st, 0));
		if (!(*names)[*n])
			break;
		(*n)++;
	}
	cps_store_release(s, st);
	if (rc == SQLITE_ROW)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (rc != SQLITE_DONE)
		return cps_store_fail(s, rc, err, "%s", _("reading the customer's data"));
	return CPS_OK;
}

static void free_tables(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

enum cps_err cps_store_customer_json(struct cps_store *s, long long id,
				     json_t **out, struct cps_error *err)
{
	char **names, sql[256];
	size_t n;
	json_t *o = json_object(), *rows;
	enum cps_err r;

	*out = NULL;
	if (!o)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	r = rows_json(s, "SELECT * FROM account WHERE id = ?1", id, &rows, err);
	if (r == CPS_OK && json_array_size(rows) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("There is no such account."));
	if (r == CPS_OK && json_object_set(o, "account", json_array_get(rows, 0)) != 0)
		r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	json_decref(rows);
	if (r != CPS_OK) {
		json_decref(o);
		return r;
	}
	r = tables(s, &names, &n, err);
	for (size_t i = 0; r == CPS_OK && i < n; i++) {
		/* the names come from sqlite_master, not from outside */
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" WHERE account_id = ?1 ORDER BY rowid", names[i]);
		r = rows_json(s, sql, id, &rows, err);
		if (r == CPS_OK && json_object_set_new(o, names[i], rows) != 0)
			r = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	free_tables(names, n);
	if (r != CPS_OK) {
		json_decref(o);
		return r;
	}
	*out = o;
	return CPS_OK;
}

static enum cps_err run(struct cps_store *s, const char *sql, long long id,
			const char *text, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, sql, &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("erasing the customer's data"));
	if (sqlite3_bind_parameter_count(st) == 0)
		; /* a pragma */
	else if (text)
		cps_bind_text(st, 1, text, &rc);
	else
		cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	cps_store_release(s, st);
	/* the pragma answers with its new value */
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cps_store_fail(s, rc, err, "%s", _("erasing the customer's data"));
	return CPS_OK;
}

enum cps_err cps_store_customer_erase(struct cps_store *s, long long id,
				      const char *old_email,
				      struct cps_error *err)
{
	char **names, sql[256];
	size_t n;
	enum cps_err r;

	/* the freed pages are overwritten, not only unlinked */
	r = run(s, "PRAGMA secure_delete = ON", 0, NULL, err);
	if (r != CPS_OK)
		return r;
	/* the tables with a foreign key follow the account (ON DELETE
	 * CASCADE) in the order the keys need */
	r = run(s, "DELETE FROM account WHERE id = ?1", id, NULL, err);
	if (r == CPS_OK)
		r = tables(s, &names, &n, err);
	else
		return r;
	for (size_t i = 0; r == CPS_OK && i < n; i++) {
		if (strcmp(names[i], "audit") == 0)
			continue;
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\" WHERE account_id = ?1", names[i]);
		r = run(s, sql, id, NULL, err);
	}
	free_tables(names, n);
	/* the old CPS account is the same person's; its products left with
	 * the account's (product.legacy_product_id) or stay unclaimed */
	if (r == CPS_OK && old_email && *old_email)
		r = run(s, "DELETE FROM legacy_account WHERE email = ?1 AND id NOT IN"
			" (SELECT legacy_account_id FROM migration)", 0, old_email, err);
	/* and the remote's word that it has none is about that e-mail too */
	if (r == CPS_OK && old_email && *old_email)
		r = run(s, "DELETE FROM legacy_not_found WHERE email = ?1", 0, old_email, err);
	return r;
}

enum cps_err cps_store_checkpoint_truncate(struct cps_store *s, int *busy,
					   struct cps_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(cps_store_db(s), "PRAGMA wal_checkpoint(TRUNCATE)", -1,
				    &st, NULL);

	*busy = 0;
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*busy = sqlite3_column_int(st, 0) != 0;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		*busy = 1;
		return CPS_OK;
	}
	if (rc != SQLITE_DONE)
		return cps_store_fail(s, rc, err, "%s", _("clearing the journal"));
	return CPS_OK;
}
