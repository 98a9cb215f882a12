/* store_catalog.c - SQL for the product catalog (see store_catalog.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_catalog.h"
#include "store_private.h"

#define ITEM_COLUMNS "id, model, category, points, release_year, serial_pattern, active"

/* Fills item from the ITEM_COLUMNS of the current row, starting at col. */
static void read_item(sqlite3_stmt *st, int col, struct cps_catalog_item *item)
{
	const char *model = (const char *)sqlite3_column_text(st, col + 1);
	const char *cat = (const char *)sqlite3_column_text(st, col + 2);
	const char *pattern = (const char *)sqlite3_column_text(st, col + 5);

	memset(item, 0, sizeof(*item));
	item->id = sqlite3_column_int64(st, col);
	snprintf(item->model, sizeof(item->model), "%s", model ? model : "");
	if (!cat || cps_catalog_category_parse(cat, &item->category) != CPS_OK)
		item->category = CPS_CAT_OTHER;
	item->points = sqlite3_column_int(st, col + 3);
	item->release_year = sqlite3_column_int(st, col + 4);
	snprintf(item->serial_pattern, sizeof(item->serial_pattern), "%s",
		 pattern ? pattern : "");
	item->active = sqlite3_column_int(st, col + 6) != 0;
}

enum cps_err cps_store_catalog_count(struct cps_store *s, int active_only,
				     size_t *count, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT count(*) FROM catalog WHERE (?1 = 0 OR active = 1) AND "
		CPS_SHOWN_CATALOG("gen"), &st);

	*count = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("counting the catalog"));
	cps_bind_int(st, 1, active_only != 0, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*count = (size_t)sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("counting the catalog"));
	cps_store_release(s, st);
	return r;
}

/* Runs a prepared one-row lookup into out (rc: the result of binding). */
static enum cps_err get_one(struct cps_store *s, sqlite3_stmt *st, int rc,
			    struct cps_catalog_item *out, struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r;

	if (rc == SQLITE_ROW) {
		read_item(st, 0, out);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("this product is not in the catalog"));
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_catalog_get(struct cps_store *s, long long id,
				   struct cps_catalog_item *out,
				   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT " ITEM_COLUMNS " FROM catalog WHERE id = ?1 AND " CPS_SHOWN_CATALOG("gen"), &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	cps_bind_int64(st, 1, id, &rc);
	return get_one(s, st, rc, out, err);
}

enum cps_err cps_store_catalog_get_model(struct cps_store *s, const char *model,
					 struct cps_catalog_item *out,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT " ITEM_COLUMNS " FROM catalog WHERE model = ?1 COLLATE NOCASE"
		" AND " CPS_SHOWN_CATALOG("gen") " ORDER BY active DESC, id LIMIT 1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	cps_bind_text(st, 1, model, &rc);
	return get_one(s, st, rc, out, err);
}

/* Binds the writable fields of item to ?1..?7. */
static void bind_item(sqlite3_stmt *st, const struct cps_catalog_item *item,
		      const char *search_key, int *rc)
{
	cps_bind_text(st, 1, item->model, rc);
	cps_bind_text(st, 2, cps_catalog_category_id(item->category), rc);
	cps_bind_int(st, 3, item->points, rc);
	cps_bind_int(st, 4, item->release_year, rc);
	cps_bind_text(st, 5, item->serial_pattern, rc);
	cps_bind_text(st, 6, search_key, rc);
	cps_bind_int(st, 7, item->active != 0, rc);
}

enum cps_err cps_store_catalog_insert(struct cps_store *s,
				      const struct cps_catalog_item *item,
				      const char *search_key, long long *id,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO catalog (model, category, points, release_year,"
		" serial_pattern, search_key, active, gen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("adding \"%s\" to the catalog"), item->model);
	bind_item(st, item, search_key, &rc);
	cps_bind_int64(st, 8, cps_store_insert_gen(s), &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, _("adding \"%s\" to the catalog"), item->model);
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

/* Runs a bound UPDATE of item's row and gives the statement back;
 * CPS_ERR_NOT_FOUND when no row has its id. */
static enum cps_err run_change(struct cps_store *s, sqlite3_stmt *st, int rc,
			       const struct cps_catalog_item *item, struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, _("changing \"%s\" in the catalog"), item->model);
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) == 0)
		r = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				  _("this product is not in the catalog"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_catalog_update(struct cps_store *s,
				      const struct cps_catalog_item *item,
				      const char *search_key,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE catalog SET model = ?1, category = ?2, points = ?3,"
		" release_year = ?4, serial_pattern = ?5, search_key = ?6, active = ?7"
		" WHERE id = ?8", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("changing \"%s\" in the catalog"), item->model);
	bind_item(st, item, search_key, &rc);
	cps_bind_int64(st, 8, item->id, &rc);
	return run_change(s, st, rc, item, err);
}

enum cps_err cps_store_catalog_set_details(struct cps_store *s,
					   const struct cps_catalog_item *item,
					   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE catalog SET category = ?1, points = ?2, release_year = ?3,"
		" serial_pattern = ?4 WHERE id = ?5", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("changing \"%s\" in the catalog"), item->model);
	cps_bind_text(st, 1, cps_catalog_category_id(item->category), &rc);
	cps_bind_int(st, 2, item->points, &rc);
	cps_bind_int(st, 3, item->release_year, &rc);
	cps_bind_text(st, 4, item->serial_pattern, &rc);
	cps_bind_int64(st, 5, item->id, &rc);
	return run_change(s, st, rc, item, err);
}

/* Hands each catalog row of the query sql to fn until it returns non-zero. */
static enum cps_err walk_items(struct cps_store *s, const char *sql,
	int (*fn)(const struct cps_catalog_item *item, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	struct cps_catalog_item item;
	int rc = cps_store_prepare(s, sql, &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		read_item(st, 0, &item);
		if (fn(&item, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_catalog_each(struct cps_store *s,
	int (*fn)(const struct cps_catalog_item *item, void *arg),
	void *arg, struct cps_error *err)
{
	return walk_items(s, cps_store_importing(s)
			  ? "SELECT " ITEM_COLUMNS " FROM catalog ORDER BY active DESC, id"
			  : "SELECT " ITEM_COLUMNS " FROM catalog WHERE "
			    CPS_SHOWN_CATALOG("gen") " ORDER BY active DESC, id",
			  fn, arg, err);
}

enum cps_err cps_store_catalog_each_active(struct cps_store *s,
	int (*fn)(const struct cps_catalog_item *item, void *arg),
	void *arg, struct cps_error *err)
{
	return walk_items(s, "SELECT " ITEM_COLUMNS " FROM catalog WHERE active = 1 AND "
			  CPS_SHOWN_CATALOG("gen") " ORDER BY id",
			  fn, arg, err);
}

enum cps_err cps_store_catalog_search(struct cps_store *s, const char *like,
	int (*fn)(const struct cps_catalog_item *item, const char *key, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	struct cps_catalog_item item;
	int rc = cps_store_prepare(s,
		"SELECT " ITEM_COLUMNS ", search_key FROM catalog"
		" WHERE active = 1 AND search_key LIKE ?1 ESCAPE '\\' AND " CPS_SHOWN_CATALOG("gen"), &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("searching the catalog"));
	cps_bind_text(st, 1, like, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		const char *key = (const char *)sqlite3_column_text(st, 7);
		read_item(st, 0, &item);
		if (fn(&item, key ? key : "", arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("searching the catalog"));
	cps_store_release(s, st);
	return r;
}
