/* store_legacy.c - SQL for the old CPS accounts and products that staff
 * import (see src/store_legacy.h and include/cpsreg/legacy.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_legacy.h"
#include "store_private.h"

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* A missing detail, NULL or empty, is stored as NULL: MIGRATE PRODUCTS
 * copies the details as they are (schema step 18). */
static void bind_opt(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (v && *v)
		cps_bind_text(st, i, v, rc);
	else
		cps_bind_null(st, i, rc);
}

/* Runs a statement that is done after one step. */
/* what: the msgid (N_), translated only when the step failed: an import
 * stores thousands of rows. */
static enum cps_err step_done(struct cps_store *s, sqlite3_stmt *st, int rc,
			      const char *what, struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _(what));

	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_catalog_each(struct cps_store *s,
	int (*fn)(long long id, const char *model, int release_year, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, cps_store_importing(s)
		? "SELECT id, model, release_year FROM catalog ORDER BY id"
		: "SELECT id, model, release_year FROM catalog WHERE "
		  CPS_SHOWN_CATALOG("gen") " ORDER BY id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the product catalog"));
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (fn(sqlite3_column_int64(st, 0), col_text(st, 1),
		       sqlite3_column_int(st, 2), arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the product catalog"));
	cps_store_release(s, st);
	return r;
}

/* An account query with its condition: seen accounts and products, or
 * (while importing) all of them. */
#define ACCOUNT_SEEN(where) \
	"SELECT a.id, a.email, a.member_number, a.name, a.imported_at," \
	" (SELECT count(*) FROM legacy_product p WHERE p.legacy_account_id = a.id" \
	"  AND " CPS_SHOWN_LEGACY("p.gen") ")" \
	" FROM legacy_account a WHERE " CPS_SHOWN_LEGACY("a.gen") " AND " where
#define ACCOUNT_ALL(where) \
	"SELECT a.id, a.email, a.member_number, a.name, a.imported_at," \
	" (SELECT count(*) FROM legacy_product p WHERE p.legacy_account_id = a.id)" \
	" FROM legacy_account a WHERE " where
#define ACCOUNT_QUERY(s, where) \
	(cps_store_importing(s) ? ACCOUNT_ALL(where) : ACCOUNT_SEEN(where))

/* Steps a prepared account query (bound by the caller) into out. */
/* found NULL: none is CPS_ERR_NOT_FOUND with its message; else *found
 * says (an import looks up every account of its file, most of them new,
 * and a message translated for each would cost more than the lookup). */
static enum cps_err account_row(struct cps_store *s, sqlite3_stmt *st, int rc,
				struct cps_legacy_account *out, int *found,
				struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r;

	memset(out, 0, sizeof(*out));
	if (found)
		*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->email, sizeof(out->email), "%s", col_text(st, 1));
		snprintf(out->member_number, sizeof(out->member_number), "%s", col_text(st, 2));
		snprintf(out->name, sizeof(out->name), "%s", col_text(st, 3));
		out->imported_at = (time_t)sqlite3_column_int64(st, 4);
		out->products = sqlite3_column_int(st, 5);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE && found) {
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("No old CPS account was found."));
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	}
	cps_store_release(s, st);
	return r;
}

static enum cps_err by_email(struct cps_store *s, const char *email,
			     struct cps_legacy_account *out, int *found,
			     struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		ACCOUNT_QUERY(s, "a.email = ? COLLATE NOCASE"), &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_bind_text(st, 1, email, &rc);
	return account_row(s, st, rc, out, found, err);
}

static enum cps_err by_number(struct cps_store *s, const char *member_number,
			      struct cps_legacy_account *out, int *found,
			      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		ACCOUNT_QUERY(s, "a.member_number = ?"), &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_bind_text(st, 1, member_number, &rc);
	return account_row(s, st, rc, out, found, err);
}

enum cps_err cps_store_legacy_account_by_email(struct cps_store *s,
					       const char *email,
					       struct cps_legacy_account *out,
					       struct cps_error *err)
{
	return by_email(s, email, out, NULL, err);
}

enum cps_err cps_store_legacy_account_by_number(struct cps_store *s,
						const char *member_number,
						struct cps_legacy_account *out,
						struct cps_error *err)
{
	return by_number(s, member_number, out, NULL, err);
}

enum cps_err cps_store_legacy_account_seek_email(struct cps_store *s, const char *email,
						 struct cps_legacy_account *out, int *found,
						 struct cps_error *err)
{
	return by_email(s, email, out, found, err);
}

enum cps_err cps_store_legacy_account_seek_number(struct cps_store *s,
						  const char *member_number,
						  struct cps_legacy_account *out, int *found,
						  struct cps_error *err)
{
	return by_number(s, member_number, out, found, err);
}

enum cps_err cps_store_legacy_any(struct cps_store *s, int *accounts, int *products,
				  struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT EXISTS (SELECT 1 FROM legacy_account),"
		" EXISTS (SELECT 1 FROM legacy_product)", &st);

	*accounts = *products = 1;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		*accounts = sqlite3_column_int(st, 0);
		*products = sqlite3_column_int(st, 1);
	}
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_account_by_id(struct cps_store *s, long long id,
					    struct cps_legacy_account *out,
					    struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		ACCOUNT_QUERY(s, "a.id = ?"), &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_bind_int64(st, 1, id, &rc);
	return account_row(s, st, rc, out, NULL, err);
}

enum cps_err cps_store_legacy_account_insert(struct cps_store *s,
					     const char *email,
					     const char *member_number,
					     const char *name, time_t now,
					     long long *id,
					     struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO legacy_account (email, member_number, name, imported_at, gen)"
		" VALUES (?, ?, ?, ?, ?)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing an old CPS account"));
	cps_bind_text(st, 1, email, &rc);
	cps_bind_text(st, 2, member_number, &rc);
	cps_bind_text(st, 3, name ? name : "", &rc);
	cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 5, cps_store_insert_gen(s), &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing an old CPS account"));
	if (r == CPS_OK)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

/* A statement that stores ACCOUNTS_AT_ONCE accounts, numbered by the
 * caller: within the write transaction nobody else adds one, so the
 * numbers after the highest are the ones SQLite would give them one by
 * one. */
#define ACCOUNTS_AT_ONCE 32
#define ONE_ACCOUNT "(?,?,?,?,?,?)"
#define FOUR_ACCOUNTS ONE_ACCOUNT "," ONE_ACCOUNT "," ONE_ACCOUNT "," ONE_ACCOUNT
#define SIXTEEN_ACCOUNTS FOUR_ACCOUNTS "," FOUR_ACCOUNTS "," FOUR_ACCOUNTS "," FOUR_ACCOUNTS

static enum cps_err highest_account(struct cps_store *s, long long *id,
				    struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, "SELECT coalesce(max(id), 0) FROM legacy_account", &st);

	*id = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing an old CPS account"));
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing an old CPS account"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_accounts_insert(struct cps_store *s,
					      struct cps_store_legacy_new_account *v,
					      size_t n, time_t now, struct cps_error *err)
{
	long long gen = cps_store_insert_gen(s), top;
	enum cps_err r;

	if (n >= ACCOUNTS_AT_ONCE && (r = highest_account(s, &top, err)) != CPS_OK)
		return r;
	/* (at the very top of the numbers SQLite picks them at random) */
	while (n >= ACCOUNTS_AT_ONCE && top < INT64_MAX - ACCOUNTS_AT_ONCE) {
		sqlite3_stmt *st;
		int rc = cps_store_prepare(s,
			"INSERT INTO legacy_account (id, email, member_number, name, imported_at, gen)"
			" VALUES " SIXTEEN_ACCOUNTS "," SIXTEEN_ACCOUNTS, &st);

		if (rc != SQLITE_OK)
			return cps_store_fail(s, rc, err, "%s", _("storing an old CPS account"));
		for (int i = 0, k = 1; i < ACCOUNTS_AT_ONCE; i++) {
			v[i].id = ++top;
			cps_bind_int64(st, k++, v[i].id, &rc);
			cps_bind_text(st, k++, v[i].email, &rc);
			cps_bind_text(st, k++, v[i].member_number, &rc);
			cps_bind_text(st, k++, v[i].name ? v[i].name : "", &rc);
			cps_bind_int64(st, k++, (sqlite3_int64)now, &rc);
			cps_bind_int64(st, k++, gen, &rc);
		}
		r = step_done(s, st, rc, N_("storing an old CPS account"), err);
		if (r != CPS_OK)
			return r;
		v += ACCOUNTS_AT_ONCE;
		n -= ACCOUNTS_AT_ONCE;
	}
	for (; n > 0; v++, n--) {
		r = cps_store_legacy_account_insert(s, v->email, v->member_number, v->name,
						    now, &v->id, err);
		if (r != CPS_OK)
			return r;
	}
	return CPS_OK;
}

enum cps_err cps_store_legacy_account_set_name(struct cps_store *s,
					       long long id, const char *name,
					       struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE legacy_account SET name = ? WHERE id = ?", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("updating an old CPS account"));
	cps_bind_text(st, 1, name, &rc);
	cps_bind_int64(st, 2, id, &rc);
	return step_done(s, st, rc, N_("updating an old CPS account"), err);
}

enum cps_err cps_store_legacy_product_by_serial(struct cps_store *s,
						long long catalog_id,
						const char *serial,
						const char *date,
						const char *country,
						const char *dealer,
						long long *id,
						long long *account_id,
						int *same,
						struct cps_error *err)
{
	sqlite3_stmt *st;
#define BY_SERIAL(seen) \
		"SELECT id, legacy_account_id," \
		" purchase_date IS ?3 AND purchase_country IS ?4 AND dealer IS ?5" \
		" FROM legacy_product WHERE catalog_id = ?1 AND serial = ?2" \
		seen " ORDER BY id LIMIT 1"
	int rc = cps_store_prepare(s, cps_store_importing(s) ? BY_SERIAL("")
				   : BY_SERIAL(" AND " CPS_SHOWN_LEGACY("gen")), &st);
#undef BY_SERIAL

	*id = *account_id = 0;
	*same = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS product"));
	cps_bind_int64(st, 1, catalog_id, &rc);
	cps_bind_text(st, 2, serial, &rc);
	bind_opt(st, 3, date, &rc);
	bind_opt(st, 4, country, &rc);
	bind_opt(st, 5, dealer, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*account_id = sqlite3_column_int64(st, 1);
		*same = sqlite3_column_int(st, 2) != 0;
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("looking up an old CPS product"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_product_count_plain(struct cps_store *s,
						  long long account_id,
						  long long catalog_id,
						  const char *date,
						  const char *country,
						  const char *dealer,
						  long long *count,
						  struct cps_error *err)
{
	sqlite3_stmt *st;
#define PLAIN(seen) \
		"SELECT count(*) FROM legacy_product" \
		" WHERE legacy_account_id = ? AND catalog_id = ? AND serial IS NULL" \
		" AND purchase_date IS ? AND purchase_country IS ? AND dealer IS ?" seen
	int rc = cps_store_prepare(s, cps_store_importing(s) ? PLAIN("")
				   : PLAIN(" AND " CPS_SHOWN_LEGACY("gen")), &st);
#undef PLAIN

	*count = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS product"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int64(st, 2, catalog_id, &rc);
	bind_opt(st, 3, date, &rc);
	bind_opt(st, 4, country, &rc);
	bind_opt(st, 5, dealer, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("looking up an old CPS product"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_legacy_product_insert(struct cps_store *s,
					     long long account_id,
					     long long catalog_id,
					     const char *serial,
					     const char *date,
					     const char *country,
					     const char *dealer,
					     struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO legacy_product (legacy_account_id, catalog_id, serial,"
		" purchase_date, purchase_country, dealer, gen) VALUES (?, ?, ?, ?, ?, ?, ?)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing an old CPS product"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int64(st, 2, catalog_id, &rc);
	bind_opt(st, 3, serial, &rc);
	bind_opt(st, 4, date, &rc);
	bind_opt(st, 5, country, &rc);
	bind_opt(st, 6, dealer, &rc);
	cps_bind_int64(st, 7, cps_store_insert_gen(s), &rc);
	return step_done(s, st, rc, N_("storing an old CPS product"), err);
}

void cps_store_legacy_bulk(struct cps_store *s, int on)
{
	/* A statement of many rows keeps what it changed, to undo itself
	 * alone; past 64 KiB SQLite moves that to a temporary file, a write
	 * for each page the statement changes.  In memory it costs a copy.
	 * A setting that cannot change only costs time: nothing to report. */
	sqlite3_exec(cps_store_db(s), on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT",
		     NULL, NULL, NULL);
}

/* A statement that stores PRODUCTS_AT_ONCE products: an import's rows
 * cost far less written together than one statement each (the cursors,
 * the statement's own journal and its end are paid once).  128, as many
 * as src/legacy.c hands over at a time (32 cost 3 % more instructions
 * at 10,000 rows; 896 parameters are within SQLite's oldest limit, 999). */
#define PRODUCTS_AT_ONCE 128
#define ONE_PRODUCT "(?,?,?,?,?,?,?)"
#define FOUR_PRODUCTS ONE_PRODUCT "," ONE_PRODUCT "," ONE_PRODUCT "," ONE_PRODUCT
#define SIXTEEN_PRODUCTS FOUR_PRODUCTS "," FOUR_PRODUCTS "," FOUR_PRODUCTS "," FOUR_PRODUCTS

enum cps_err cps_store_legacy_products_insert(struct cps_store *s,
					      const struct cps_store_legacy_new_product *v,
					      size_t n, struct cps_error *err)
{
	long long gen = cps_store_insert_gen(s);

	while (n >= PRODUCTS_AT_ONCE) {
		sqlite3_stmt *st;
		int rc = cps_store_prepare(s,
			"INSERT INTO legacy_product (legacy_account_id, catalog_id, serial,"
			" purchase_date, purchase_country, dealer, gen) VALUES "
			SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS ","
			SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS "," SIXTEEN_PRODUCTS, &st);

		if (rc != SQLITE_OK)
			return cps_store_fail(s, rc, err, "%s", _("storing an old CPS product"));
		for (int i = 0, k = 1; i < PRODUCTS_AT_ONCE; i++) {
			cps_bind_int64(st, k++, v[i].account_id, &rc);
			cps_bind_int64(st, k++, v[i].catalog_id, &rc);
			bind_opt(st, k++, v[i].serial, &rc);
			bind_opt(st, k++, v[i].date, &rc);
			bind_opt(st, k++, v[i].country, &rc);
			bind_opt(st, k++, v[i].dealer, &rc);
			cps_bind_int64(st, k++, gen, &rc);
		}
		enum cps_err r = step_done(s, st, rc, N_("storing an old CPS product"), err);
		if (r != CPS_OK)
			return r;
		v += PRODUCTS_AT_ONCE;
		n -= PRODUCTS_AT_ONCE;
	}
	for (; n > 0; v++, n--) {
		enum cps_err r = cps_store_legacy_product_insert(s, v->account_id, v->catalog_id,
								 v->serial, v->date, v->country,
								 v->dealer, err);
		if (r != CPS_OK)
			return r;
	}
	return CPS_OK;
}

enum cps_err cps_store_legacy_product_set_details(struct cps_store *s,
						  long long id,
						  const char *date,
						  const char *country,
						  const char *dealer,
						  struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE legacy_product SET purchase_date = ?, purchase_country = ?,"
		" dealer = ? WHERE id = ?", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("updating an old CPS product"));
	bind_opt(st, 1, date, &rc);
	bind_opt(st, 2, country, &rc);
	bind_opt(st, 3, dealer, &rc);
	cps_bind_int64(st, 4, id, &rc);
	return step_done(s, st, rc, N_("updating an old CPS product"), err);
}

enum cps_err cps_store_legacy_products_each(struct cps_store *s,
	long long account_id,
	int (*fn)(const struct cps_legacy_product *p, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT p.id, p.catalog_id, c.model, c.category, c.points,"
		" p.serial, p.purchase_date, p.purchase_country, p.dealer"
		" FROM legacy_product p JOIN catalog c ON c.id = p.catalog_id"
		" WHERE p.legacy_account_id = ? AND " CPS_SHOWN_LEGACY("p.gen")
		" ORDER BY p.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the old CPS products"));
	cps_bind_int64(st, 1, account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		struct cps_legacy_product p = {
			.id = sqlite3_column_int64(st, 0),
			.catalog_id = sqlite3_column_int64(st, 1),
			.model = col_text(st, 2),
			.category = col_text(st, 3),
			.points = sqlite3_column_int(st, 4),
			.serial = col_text(st, 5),
			.purchase_date = col_text(st, 6),
			.purchase_country = col_text(st, 7),
			.dealer = col_text(st, 8),
		};
		if (fn(&p, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the old CPS products"));
	cps_store_release(s, st);
	return r;
}
