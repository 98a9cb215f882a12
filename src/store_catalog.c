/* store_catalog.c - SQL for the product catalog (see store_catalog.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_catalog.h"
#include "store_feed.h"
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

/* The one number a prepared counting query gives (rc: the result of
 * preparing and binding it), the statement given back. */
static enum cps_err count_row(struct cps_store *s, sqlite3_stmt *st, int rc,
			      long long *out, struct cps_error *err)
{
	enum cps_err r;

	*out = 0;
	if (rc != SQLITE_OK && !st)
		return cps_store_fail(s, rc, err, "%s", _("counting the catalog"));
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("counting the catalog"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_catalog_any(struct cps_store *s, int *any, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT EXISTS (SELECT 1 FROM catalog WHERE " CPS_SHOWN_CATALOG("gen") ")", &st);

	long long n = 0;
	enum cps_err r = count_row(s, st, rc, &n, err);

	*any = n != 0;
	return r;
}

enum cps_err cps_store_catalog_count(struct cps_store *s, int active_only,
				     size_t *count, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT count(*) FROM catalog WHERE (?1 = 0 OR active = 1) AND "
		CPS_SHOWN_CATALOG("gen"), &st);

	long long n = 0;

	if (rc == SQLITE_OK)
		cps_bind_int(st, 1, active_only != 0, &rc);
	enum cps_err r = count_row(s, st, rc, &n, err);

	*count = (size_t)n;
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
		"SELECT " ITEM_COLUMNS " FROM catalog WHERE lower(model) = lower(?1)"
		" AND " CPS_SHOWN_CATALOG("gen") " ORDER BY active DESC, id LIMIT 1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the catalog"));
	cps_bind_text(st, 1, model, &rc);
	return get_one(s, st, rc, out, err);
}

/* Binds the writable fields of item to ?1..?6. */
static void bind_item(sqlite3_stmt *st, const struct cps_catalog_item *item, int *rc)
{
	cps_bind_text(st, 1, item->model, rc);
	cps_bind_text(st, 2, cps_catalog_category_id(item->category), rc);
	cps_bind_int(st, 3, item->points, rc);
	cps_bind_int(st, 4, item->release_year, rc);
	cps_bind_text(st, 5, item->serial_pattern, rc);
	cps_bind_int(st, 6, item->active != 0, rc);
}

/* --- adding many models at once ---------------------------------------
 *
 * An import adds up to 250,000 models: one INSERT ... SELECT per
 * transaction from a feed (store_feed.h) that hands over the import's
 * rows from memory, binding two values instead of eight per row. */

static const struct cps_store_feed_kind feed_kind = {
	.name = "cps_catalog_feed",
	.columns = "model, category, points, release_year, serial_pattern",
	.ncolumns = 5,
};

enum { FEED_MODEL, FEED_CATEGORY, FEED_POINTS, FEED_YEAR, FEED_PATTERN };

struct add {
	int (*next)(void *arg, struct cps_store_catalog_row *row);
	void *arg;
	struct cps_store_catalog_row row;   /* the current one */
};

static int add_next(void *arg)
{
	struct add *a = arg;

	return a->next(a->arg, &a->row);
}

static void feed_text(sqlite3_context *ctx, const char *t)
{
	/* the texts outlive the statement (see store_catalog.h) */
	sqlite3_result_text(ctx, t, -1, SQLITE_STATIC);
}

static void add_column(void *arg, sqlite3_context *ctx, int col)
{
	const struct cps_store_catalog_row *r = &((struct add *)arg)->row;

	switch (col) {
	case FEED_MODEL:    feed_text(ctx, r->model); break;
	case FEED_CATEGORY: feed_text(ctx, cps_catalog_category_id(r->category)); break;
	case FEED_POINTS:   sqlite3_result_int(ctx, r->points); break;
	case FEED_YEAR:     sqlite3_result_int(ctx, r->release_year); break;
	case FEED_PATTERN:  feed_text(ctx, r->pattern); break;
	default:            sqlite3_result_null(ctx); break;
	}
}

#define ADD_SQL "INSERT INTO catalog (model, category, points, release_year," \
	" serial_pattern, active, gen) SELECT model, category, points," \
	" release_year, serial_pattern, 1, ?2 FROM cps_catalog_feed(?1)"

enum cps_err cps_store_catalog_add(struct cps_store *s,
	int (*next)(void *arg, struct cps_store_catalog_row *row),
	void *arg, struct cps_error *err)
{
	struct add a = { .next = next, .arg = arg };
	struct cps_store_feed f = { .next = add_next, .column = add_column, .arg = &a };
	sqlite3_stmt *st;
	int rc = cps_store_feed_prepare(s, &feed_kind, ADD_SQL, &f, &st);

	if (rc != SQLITE_OK && !st)
		return cps_store_fail(s, rc, err, "%s", _("adding the new models to the catalog"));
	cps_bind_int64(st, 2, cps_store_insert_gen(s), &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = CPS_OK;
	/* the row being written when it failed: the current one (unless
	 * SQLite read them all first, as it does for a table with triggers) */
	if (rc != SQLITE_DONE && f.more)
		r = cps_store_fail(s, rc, err, _("adding \"%s\" to the catalog"), a.row.model);
	else if (rc != SQLITE_DONE)
		r = cps_store_fail(s, rc, err, "%s", _("adding the new models to the catalog"));
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
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"UPDATE catalog SET model = ?1, category = ?2, points = ?3,"
		" release_year = ?4, serial_pattern = ?5, active = ?6"
		" WHERE id = ?7", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("changing \"%s\" in the catalog"), item->model);
	bind_item(st, item, &rc);
	cps_bind_int64(st, 7, item->id, &rc);
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
