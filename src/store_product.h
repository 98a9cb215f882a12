/* store_product.h - SQL for registered products and dealer suggestions
 * (src/ only; what the product module reads of an account is in
 * store_account.h). */
#ifndef CPSREG_STORE_PRODUCT_H
#define CPSREG_STORE_PRODUCT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/product.h"
#include "cpsreg/store.h"

/* Writes p as a new product (p->id is ignored; *id gets the new one).
 * Empty strings are stored as NULL (a missing detail); the earned points
 * and completed_at are stored only when p->completed_at is set. */
enum cps_err cps_store_product_insert(struct cps_store *s,
				      const struct cps_product *p, time_t now,
				      long long *id, struct cps_error *err);

/* Rewrites product p->id: model, details, earned points, completed_at. */
enum cps_err cps_store_product_update(struct cps_store *s,
				      const struct cps_product *p, time_t now,
				      struct cps_error *err);

enum cps_err cps_store_product_delete(struct cps_store *s, long long id,
				      struct cps_error *err);

/* One product with its model's name, category and current points;
 * CPS_ERR_NOT_FOUND if there is none. */
enum cps_err cps_store_product_get(struct cps_store *s, long long id,
				   struct cps_product *out,
				   struct cps_error *err);

/* Calls fn for each product of the account in id order (only the
 * incomplete ones if incomplete_only); fn returns non-zero to stop. */
enum cps_err cps_store_product_list(struct cps_store *s, long long account_id,
	int incomplete_only,
	int (*fn)(const struct cps_product *p, void *arg), void *arg,
	struct cps_error *err);

/* Who has registered this serial of this model, other than product
 * exclude_id: CPS_OK with the owner's account in *account_id, or
 * CPS_ERR_NOT_FOUND when nobody has. */
/* Staff confirmed serial (the product's, as it is now) at now. */
enum cps_err cps_store_product_confirm_serial(struct cps_store *s, long long id,
					      const char *serial, const char *staff,
					      time_t now, struct cps_error *err);

enum cps_err cps_store_product_find_serial(struct cps_store *s,
					   long long catalog_id,
					   const char *serial,
					   long long exclude_id,
					   long long *account_id,
					   struct cps_error *err);

/* Sum of the points of the account's complete products (a complete
 * product whose points were never fixed, as one migrated that way, counts
 * its model's current points), and the counts. */
enum cps_err cps_store_product_totals(struct cps_store *s, long long account_id,
				      long *points, int *complete,
				      int *registered, struct cps_error *err);

/* Distinct dealers LIKE like ('\' escapes), most used first, at most max;
 * fn gets each; returns non-zero to stop. */
enum cps_err cps_store_dealer_suggest(struct cps_store *s, const char *like,
	size_t max, int (*fn)(const char *dealer, void *arg), void *arg,
	struct cps_error *err);

#endif
