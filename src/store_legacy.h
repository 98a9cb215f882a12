/* store_legacy.h - SQL for the old CPS accounts and products (src/ only).
 *
 * Writes happen inside the caller's cps_store_begin()/cps_store_commit(). */
#ifndef CPSREG_STORE_LEGACY_H
#define CPSREG_STORE_LEGACY_H

#include <time.h>

#include "cpsreg/legacy.h"
#include "cpsreg/store.h"

/* Calls fn for every catalog entry (retired ones too: old products may be
 * of models no longer sold).  fn returns non-zero to stop. */
enum cps_err cps_store_legacy_catalog_each(struct cps_store *s,
	int (*fn)(long long id, const char *model, int release_year, void *arg),
	void *arg, struct cps_error *err);

/* The old account by e-mail (any ASCII case), by member number (exact) or
 * by id; CPS_ERR_NOT_FOUND when there is none. */
enum cps_err cps_store_legacy_account_by_email(struct cps_store *s,
					       const char *email,
					       struct cps_legacy_account *out,
					       struct cps_error *err);
enum cps_err cps_store_legacy_account_by_number(struct cps_store *s,
						const char *member_number,
						struct cps_legacy_account *out,
						struct cps_error *err);
enum cps_err cps_store_legacy_account_by_id(struct cps_store *s, long long id,
					    struct cps_legacy_account *out,
					    struct cps_error *err);
/* The same by e-mail or number with *found saying whether there is one
 * (CPS_OK either way, no message for none): for an import's lookups. */
enum cps_err cps_store_legacy_account_seek_email(struct cps_store *s, const char *email,
						 struct cps_legacy_account *out, int *found,
						 struct cps_error *err);
enum cps_err cps_store_legacy_account_seek_number(struct cps_store *s,
						  const char *member_number,
						  struct cps_legacy_account *out, int *found,
						  struct cps_error *err);

/* Whether any old account and any old product is stored, whatever its
 * generation: an import into a store without them has nothing to look
 * up row by row. */
enum cps_err cps_store_legacy_any(struct cps_store *s, int *accounts, int *products,
				  struct cps_error *err);

enum cps_err cps_store_legacy_account_insert(struct cps_store *s,
					     const char *email,
					     const char *member_number,
					     const char *name, time_t now,
					     long long *id,
					     struct cps_error *err);
/* The same for n accounts (an import's), written in groups of one
 * statement each; each one's id is set. */
struct cps_store_legacy_new_account {
	const char *email, *member_number, *name;
	long long id;
};
enum cps_err cps_store_legacy_accounts_insert(struct cps_store *s,
					      struct cps_store_legacy_new_account *v,
					      size_t n, time_t now, struct cps_error *err);
enum cps_err cps_store_legacy_account_set_name(struct cps_store *s,
					       long long id, const char *name,
					       struct cps_error *err);

/* The old product of this model with this serial number, whoever has it:
 * *id and *account_id (0 when there is none) and *same = 1 when its date,
 * country and dealer equal the ones given (NULL meaning missing). */
enum cps_err cps_store_legacy_product_by_serial(struct cps_store *s,
						long long catalog_id,
						const char *serial,
						const char *date,
						const char *country,
						const char *dealer,
						long long *id,
						long long *account_id,
						int *same,
						struct cps_error *err);

/* How many products without a serial number the old account has of this
 * model with exactly these details (NULL meaning missing). */
enum cps_err cps_store_legacy_product_count_plain(struct cps_store *s,
						  long long account_id,
						  long long catalog_id,
						  const char *date,
						  const char *country,
						  const char *dealer,
						  long long *count,
						  struct cps_error *err);

/* Values NULL are stored as missing (SQL NULL). */
enum cps_err cps_store_legacy_product_insert(struct cps_store *s,
					     long long account_id,
					     long long catalog_id,
					     const char *serial,
					     const char *date,
					     const char *country,
					     const char *dealer,
					     struct cps_error *err);
/* on 1: for an import, the statements of many rows keep their undo
 * journal in memory; on 0 the connection's default again. */
void cps_store_legacy_bulk(struct cps_store *s, int on);

/* The same for n products (an import's), written in groups of one
 * statement each. */
struct cps_store_legacy_new_product {
	long long account_id;
	long long catalog_id;
	const char *serial, *date, *country, *dealer;
};
enum cps_err cps_store_legacy_products_insert(struct cps_store *s,
					      const struct cps_store_legacy_new_product *v,
					      size_t n, struct cps_error *err);
enum cps_err cps_store_legacy_product_set_details(struct cps_store *s,
						  long long id,
						  const char *date,
						  const char *country,
						  const char *dealer,
						  struct cps_error *err);

/* Calls fn for every product of an old account, in import order. */
enum cps_err cps_store_legacy_products_each(struct cps_store *s,
	long long account_id,
	int (*fn)(const struct cps_legacy_product *p, void *arg),
	void *arg, struct cps_error *err);

#endif
