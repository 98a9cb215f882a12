/* store_product.c - SQL for registered products and dealer suggestions
 * (see store_product.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_private.h"
#include "store_product.h"

/* A detail counts as given when it is neither NULL nor ''; a serial that
 * does not fit its model's pattern only once staff confirmed it. */
#define COMPLETE_SQL \
	"(coalesce(p.serial, '') <> '' AND coalesce(p.purchase_date, '') <> ''" \
	" AND coalesce(p.purchase_country, '') <> '' AND coalesce(p.dealer, '') <> ''" \
	" AND (p.serial_unusual = 0 OR p.serial_confirmed IS p.serial))"

#define PRODUCT_SELECT \
	"SELECT p.id, p.account_id, p.catalog_id, c.model, c.category, c.active," \
	" p.serial, p.purchase_date, p.purchase_country, p.dealer, p.points," \
	" p.completed_at, p.origin, c.points, p.serial_unusual, p.serial_confirmed," \
	" p.serial_confirmed_by, p.serial_confirmed_at" \
	" FROM product p JOIN catalog c ON c.id = p.catalog_id"

static void copy_text(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", v ? v : "");
}

static void read_product(sqlite3_stmt *st, struct cps_product *p)
{
	char cat[16], origin[16];

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->account_id = sqlite3_column_int64(st, 1);
	p->catalog_id = sqlite3_column_int64(st, 2);
	copy_text(p->model, sizeof(p->model), st, 3);
	copy_text(cat, sizeof(cat), st, 4);
	if (cps_catalog_category_parse(cat, &p->category) != CPS_OK)
		p->category = CPS_CAT_OTHER;
	p->model_active = sqlite3_column_int(st, 5) != 0;
	copy_text(p->serial, sizeof(p->serial), st, 6);
	copy_text(p->purchase_date, sizeof(p->purchase_date), st, 7);
	switch (strlen(p->purchase_date)) {
	case 4:  p->date_precision = CPS_DATE_YEAR; break;
	case 7:  p->date_precision = CPS_DATE_MONTH; break;
	case 10: p->date_precision = CPS_DATE_DAY; break;
	default: p->date_precision = CPS_DATE_NONE; break;
	}
	copy_text(p->purchase_country, sizeof(p->purchase_country), st, 8);
	copy_text(p->dealer, sizeof(p->dealer), st, 9);
	p->points = sqlite3_column_type(st, 10) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 10);
	p->completed_at = (time_t)sqlite3_column_int64(st, 11);
	copy_text(origin, sizeof(origin), st, 12);
	p->origin = strcmp(origin, "migrated") == 0 ? CPS_ORIGIN_MIGRATED : CPS_ORIGIN_REGISTERED;
	p->worth = p->points > 0 ? p->points : sqlite3_column_int(st, 13);
	p->serial_unusual = sqlite3_column_int(st, 14) != 0;
	char confirmed[CPS_SERIAL_SIZE];
	copy_text(confirmed, sizeof(confirmed), st, 15);
	if (p->serial_unusual && confirmed[0] && strcmp(confirmed, p->serial) == 0) {
		copy_text(p->serial_confirmed_by, sizeof(p->serial_confirmed_by), st, 16);
		p->serial_confirmed_at = (time_t)sqlite3_column_int64(st, 17);
	}
	p->complete = cps_product_is_complete(p);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (v && *v)
		cps_bind_text(st, i, v, rc);
	else
		cps_bind_null(st, i, rc);
}

/* Binds catalog_id, the four details, points and completed_at to i..i+6. */
static void bind_fields(sqlite3_stmt *st, int i, const struct cps_product *p, int *rc)
{
	cps_bind_int64(st, i, p->catalog_id, rc);
	bind_opt(st, i + 1, p->serial, rc);
	bind_opt(st, i + 2, p->purchase_date, rc);
	bind_opt(st, i + 3, p->purchase_country, rc);
	bind_opt(st, i + 4, p->dealer, rc);
	if (p->points > 0)
		cps_bind_int(st, i + 5, p->points, rc);
	else
		cps_bind_null(st, i + 5, rc);
	if (p->completed_at)
		cps_bind_int64(st, i + 6, (sqlite3_int64)p->completed_at, rc);
	else
		cps_bind_null(st, i + 6, rc);
}

enum cps_err cps_store_product_insert(struct cps_store *s,
				      const struct cps_product *p, time_t now,
				      long long *id, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO product (account_id, catalog_id, serial, purchase_date,"
		" purchase_country, dealer, points, completed_at, origin, created_at, updated_at,"
		" serial_unusual)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("saving the product"));
	cps_bind_int64(st, 1, p->account_id, &rc);
	bind_fields(st, 2, p, &rc);
	cps_bind_text(st, 9, p->origin == CPS_ORIGIN_MIGRATED ? "migrated" : "registered", &rc);
	cps_bind_int64(st, 10, (sqlite3_int64)now, &rc);
	cps_bind_int(st, 11, p->serial_unusual != 0, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("saving the product"));
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_update(struct cps_store *s,
				      const struct cps_product *p, time_t now,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE product SET catalog_id = ?1, serial = ?2, purchase_date = ?3,"
		" purchase_country = ?4, dealer = ?5, points = ?6, completed_at = ?7,"
		" updated_at = ?8, serial_unusual = ?10 WHERE id = ?9", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("saving the product"));
	bind_fields(st, 1, p, &rc);
	cps_bind_int64(st, 8, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 9, p->id, &rc);
	cps_bind_int(st, 10, p->serial_unusual != 0, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("saving the product"));
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("this product is not registered"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_delete(struct cps_store *s, long long id,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"DELETE FROM product WHERE id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("removing the product"));
	cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("removing the product"));
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("this product is not registered"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_get(struct cps_store *s, long long id,
				   struct cps_product *out,
				   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		PRODUCT_SELECT " WHERE p.id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the product"));
	cps_bind_int64(st, 1, id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r;
	if (rc == SQLITE_ROW) {
		read_product(st, out);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("this product is not registered"));
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading the product"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_list(struct cps_store *s, long long account_id,
	int incomplete_only,
	int (*fn)(const struct cps_product *p, void *arg), void *arg,
	struct cps_error *err)
{
	sqlite3_stmt *st;
	struct cps_product p;
	int rc = cps_store_prepare(s,
		PRODUCT_SELECT " WHERE p.account_id = ?1 AND (?2 = 0 OR NOT " COMPLETE_SQL ")"
		" ORDER BY p.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the products"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int(st, 2, incomplete_only != 0, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		read_product(st, &p);
		if (fn(&p, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the products"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_confirm_serial(struct cps_store *s, long long id,
					      const char *serial, const char *staff,
					      time_t now, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE product SET serial_confirmed = ?2, serial_confirmed_by = ?3,"
		" serial_confirmed_at = ?4, updated_at = ?4 WHERE id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("saving the product"));
	cps_bind_int64(st, 1, id, &rc);
	cps_bind_text(st, 2, serial, &rc);
	cps_bind_text(st, 3, staff, &rc);
	cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("saving the product"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_find_serial(struct cps_store *s,
					   long long catalog_id,
					   const char *serial,
					   long long exclude_id,
					   long long *account_id,
					   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT account_id FROM product WHERE catalog_id = ?1 AND serial = ?2"
		" AND id <> ?3 LIMIT 1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("checking the serial number"));
	cps_bind_int64(st, 1, catalog_id, &rc);
	cps_bind_text(st, 2, serial, &rc);
	cps_bind_int64(st, 3, exclude_id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r;
	if (rc == SQLITE_ROW) {
		*account_id = sqlite3_column_int64(st, 0);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = CPS_ERR_NOT_FOUND;
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("checking the serial number"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_product_totals(struct cps_store *s, long long account_id,
				      long *points, int *complete,
				      int *registered, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT coalesce(sum(CASE WHEN " COMPLETE_SQL
		" THEN coalesce(p.points, c.points) END), 0),"
		" count(CASE WHEN " COMPLETE_SQL " THEN 1 END), count(*)"
		" FROM product p JOIN catalog c ON c.id = p.catalog_id"
		" WHERE p.account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("adding up the points"));
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = CPS_OK;
	if (rc == SQLITE_ROW) {
		*points = (long)sqlite3_column_int64(st, 0);
		*complete = sqlite3_column_int(st, 1);
		*registered = sqlite3_column_int(st, 2);
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("adding up the points"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_dealer_suggest(struct cps_store *s, const char *like,
	size_t max, int (*fn)(const char *dealer, void *arg), void *arg,
	struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT min(dealer), count(*) AS uses FROM product"
		" WHERE coalesce(dealer, '') <> '' AND dealer LIKE ?1 ESCAPE '\\'"
		" GROUP BY lower(dealer) ORDER BY uses DESC, min(dealer) LIMIT ?2", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up dealers"));
	cps_bind_text(st, 1, like, &rc);
	cps_bind_int64(st, 2, (sqlite3_int64)max, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		if (d && fn(d, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("looking up dealers"));
	cps_store_release(s, st);
	return r;
}
