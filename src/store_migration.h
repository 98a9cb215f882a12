/* store_migration.h - SQL for the migration of old CPS products: the
 * record of a migration, the copy of an old product into this account's
 * products, and the old member number an enrollment reports (src/ only).
 *
 * Writes happen inside the caller's cps_store_begin()/cps_store_commit(). */
#ifndef CPSREG_STORE_MIGRATION_H
#define CPSREG_STORE_MIGRATION_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/legacy.h"
#include "cpsreg/store.h"

/* A migration as recorded. */
struct cps_store_migration_row {
	long long account_id;
	long long legacy_account_id;
	int products;            /* how many were moved */
	time_t migrated_at;
};

/* The migration of this account, or of this old account (into whichever
 * business account): CPS_ERR_NOT_FOUND (err untouched) when there is none. */
enum cps_err cps_store_migration_get(struct cps_store *s, long long account_id,
				     struct cps_store_migration_row *out,
				     struct cps_error *err);
enum cps_err cps_store_migration_by_legacy(struct cps_store *s,
					   long long legacy_account_id,
					   struct cps_store_migration_row *out,
					   struct cps_error *err);

enum cps_err cps_store_migration_insert(struct cps_store *s,
					long long account_id,
					long long legacy_account_id,
					int products, time_t now,
					struct cps_error *err);

/* The connection as the migration's transaction wants it (on), or as
 * everything else has it (off); outside a transaction only (inside one
 * SQLite ignores the foreign keys).  On:
 * - no foreign-key checks: the migration's copy is the one writer that
 *   turns them off, for its own transaction: each new product's parents
 *   were read in it (see cps_store_migration_copy_all), and checking
 *   them again cost three index lookups per product, a
 *   fifth of MIGRATE PRODUCTS;
 * - a page cache of 256 KiB instead of 2 MB: the transaction writes
 *   about 850 new pages (3.4 MB at 10,000 products), which go to the
 *   log as the cache fills instead of each taking fresh memory first
 *   (with the engine's malloc settings, see cps_engine_open, a sixth of
 *   MIGRATE PRODUCTS; either alone gains nothing). */
void cps_store_migration_mode(struct cps_store *s, int on);

/* A new product to be made from an old one: the old one's id, its model
 * and details as the old system had them (NULL or "" when missing), and
 * the points it earns when it has every detail (0: it has not). */
struct cps_store_migration_new {
	long long legacy_product_id, catalog_id;
	const char *serial, *purchase_date, *purchase_country, *dealer;
	int points;
};

/* Makes the old products that next gives (it fills row and returns 1, or
 * returns 0 when there are no more) new products of the account (origin
 * 'migrated', legacy_product_id set), in that order, in one statement;
 * they are the caller's, read with cps_store_migration_items in this
 * transaction from the old account legacy_account_id, and row's texts
 * stay as they are until the call returns.  A product with points gets
 * them as earned at now, and its green tick.  When one's model and
 * serial number are registered already, nothing is made and
 * CPS_ERR_EXISTS comes back (the transaction goes on).  *count gets how
 * many were made.  Their ids: when they follow each other (as SQLite
 * gives them), *first_id is the first and fn is not called; else
 * *first_id is 0 and fn hears of each new product. */
enum cps_err cps_store_migration_copy_all(struct cps_store *s,
	long long account_id, long long legacy_account_id, time_t now,
	int (*next)(void *arg, struct cps_store_migration_new *row), void *next_arg,
	long long *first_id,
	void (*fn)(long long legacy_product_id, long long product_id, void *arg),
	void *arg, int *count, struct cps_error *err);

/* An old product as a migration sees it: its details ("" when missing),
 * the catalog's model and points for it now, and the product that has its
 * model and serial number registered already, with its account (0 and 0
 * when none has). */
struct cps_store_migration_old {
	long long id, catalog_id;
	const char *model, *serial, *purchase_date, *purchase_country, *dealer;
	int points;
	long long owner_product_id, owner_account_id;
};

/* The old CPS account with this e-mail (normalised; any case), as
 * cps_legacy_find() finds it, except that out->products counts also the
 * products an unfinished import has not shown yet (room enough for them,
 * not their number).  CPS_ERR_NOT_FOUND (err untouched) when there is
 * none. */
enum cps_err cps_store_migration_old_account(struct cps_store *s, const char *email,
					     struct cps_legacy_account *out,
					     struct cps_error *err);

/* Calls fn for every product of the old account, in the order of their
 * ids, until it returns non-zero; with owners, each with the product that
 * has its model and serial number registered already (else those are 0
 * and 0). */
enum cps_err cps_store_migration_items(struct cps_store *s,
	long long legacy_account_id, int owners,
	int (*fn)(const struct cps_store_migration_old *o, void *arg),
	void *arg, struct cps_error *err);

/* The member number of the old CPS account this account migrated from,
 * or else of the old account its old CPS e-mail names, into out (len
 * bytes); "" when it had none. */
enum cps_err cps_store_migration_old_number(struct cps_store *s,
					    long long account_id, char *out,
					    size_t len, struct cps_error *err);

#endif
