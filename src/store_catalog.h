/* store_catalog.h - SQL for the product catalog (src/ only). */
#ifndef CPSREG_STORE_CATALOG_H
#define CPSREG_STORE_CATALOG_H

#include <stddef.h>

#include "cpsreg/catalog.h"
#include "cpsreg/store.h"

/* Models in the catalog; active_only counts the offered ones only. */
enum cps_err cps_store_catalog_count(struct cps_store *s, int active_only,
				     size_t *count, struct cps_error *err);

/* Whether the catalog has any model at all: stops at the first (every
 * start asks, and a shop's catalog may hold 100,000). */
enum cps_err cps_store_catalog_any(struct cps_store *s, int *any, struct cps_error *err);

/* One model by id, or by name (ASCII case ignored); CPS_ERR_NOT_FOUND. */
enum cps_err cps_store_catalog_get(struct cps_store *s, long long id,
				   struct cps_catalog_item *out,
				   struct cps_error *err);
enum cps_err cps_store_catalog_get_model(struct cps_store *s, const char *model,
					 struct cps_catalog_item *out,
					 struct cps_error *err);

/* A new model for cps_store_catalog_add. */
struct cps_store_catalog_row {
	const char *model, *pattern;
	enum cps_category category;
	int points, release_year;
};

/* Adds new models (active, of the import's generation) in one statement,
 * as many as next gives: it fills row and returns 1, or returns 0 when no
 * more go in.  Row's texts must stay as they are until the statement
 * ends.  On a failure the message names the model being added. */
enum cps_err cps_store_catalog_add(struct cps_store *s,
	int (*next)(void *arg, struct cps_store_catalog_row *row),
	void *arg, struct cps_error *err);

/* Rewrites model item->id from item (name, category, points, year,
 * pattern, active). */
enum cps_err cps_store_catalog_update(struct cps_store *s,
				      const struct cps_catalog_item *item,
				      struct cps_error *err);

/* Changes only what has no index (category, points, release year, serial
 * pattern) of the row item->id: cheaper than cps_store_catalog_update
 * when the name and the active flag stay. */
enum cps_err cps_store_catalog_set_details(struct cps_store *s,
					   const struct cps_catalog_item *item,
					   struct cps_error *err);

/* Calls fn for every model, retired ones too, active ones first and then
 * by id (the order cps_store_catalog_get_model picks from); fn returns
 * non-zero to stop. */
enum cps_err cps_store_catalog_each(struct cps_store *s,
	int (*fn)(const struct cps_catalog_item *item, void *arg),
	void *arg, struct cps_error *err);

/* Calls fn for every active model; fn returns non-zero to stop. */
enum cps_err cps_store_catalog_each_active(struct cps_store *s,
	int (*fn)(const struct cps_catalog_item *item, void *arg),
	void *arg, struct cps_error *err);

#endif
