/* legacy.h - old CPS accounts and their products, imported by staff from
 * an export of the old CPS system, so that a customer who gives the old
 * CPS e-mail can move ("MIGRATE PRODUCTS") the products to the new account.
 *
 * The export is CSV (RFC 4180, UTF-8; see assets/legacy-sample.csv), one
 * row per old product.  Lines starting with '#' before the header are
 * comments.  The header names these eight columns, in any order (case and
 * surrounding spaces do not matter; other columns are ignored):
 *
 *   email             the old account's e-mail address (required)
 *   member_number     the old CPS member number (required; letters, digits
 *                     and - . / ; at most 32 characters); one per e-mail,
 *                     and never the same for two e-mails
 *   name              the old account's name (optional; the same on every
 *                     row of an e-mail that gives one)
 *   model             the product as named in the catalog (case and extra
 *                     spaces do not matter); empty for an account with no
 *                     products, whose row then has nothing in the columns
 *                     after it
 *   serial            optional; cleaned by cps_serial_normalise(), the
 *                     rule of a registered product: spaces and dashes
 *                     dropped, letters upper-cased, letters and digits
 *                     only, at most CPS_SERIAL_MAX (so that a migrated
 *                     serial is never cut short)
 *   purchase_date     optional; read by cps_purchase_date_check(), as the
 *                     wizard reads it (2021, 2021-05, 05.2021, 2021-05-14,
 *                     14.05.2021, ...): stored as YYYY, YYYY-MM or
 *                     YYYY-MM-DD, not in the future nor before the model's
 *                     release year
 *   purchase_country  optional; a two-letter country code (ISO 3166)
 *   dealer            optional; free text, at most 128 bytes
 *
 * Empty optional details are kept empty: such a product moves over without
 * its green tick until the customer completes it.  Control characters are
 * refused everywhere.
 *
 * Importing is all or nothing: every bad row is reported as
 * "file:line: what is wrong" and then nothing is stored.  Importing the
 * same file again adds nothing: accounts are matched by e-mail (any case);
 * a product with a serial number by its model and serial number (its other
 * details are updated when they changed); products without a serial number
 * by their model and details, counted (two identical rows are two
 * products).  An import never deletes anything. */
#ifndef CPSREG_LEGACY_H
#define CPSREG_LEGACY_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/ident.h"
#include "cpsreg/product.h"

#define CPS_LEGACY_MEMBER_MAX 32   /* bytes of a member number */
#define CPS_LEGACY_NAME_MAX 128    /* bytes of a name */
#define CPS_LEGACY_DEALER_MAX 128

/* The report keeps this many messages; nerrors counts them all. */
#define CPS_LEGACY_MAX_ERRORS 200

struct cps_legacy_report {
	unsigned long rows;          /* records read (the header not counted) */
	int accounts_added;
	int accounts_updated;        /* the name changed */
	int accounts_unchanged;
	int products_added;
	int products_updated;        /* date, country or dealer changed */
	int products_unchanged;
	size_t nerrors;              /* problems found; 0 when imported */
	size_t nkept;                /* of them in errors[] */
	char **errors;               /* "file:line: what is wrong" */
};

/* Imports the export at path (see above).  report (caller's, may be
 * uninitialised) gets the counts and every problem; free it with
 * cps_legacy_report_free() whatever the result.  Returns CPS_OK when
 * everything was imported; CPS_ERR_INVALID when any row is wrong (err has
 * the first problem and how many more there are; nothing was stored);
 * CPS_ERR_IO when the file cannot be read; a store error otherwise. */
enum cps_err cps_legacy_import(struct cps_engine *e, const char *path,
			       struct cps_legacy_report *report,
			       struct cps_error *err);

/* The same done by staff (the commands and the console): a successful
 * import leaves a line "import_legacy" in the audit log naming staff_name
 * and the Unix user, in the import's own transaction; a refused file
 * leaves none.  CPS_ERR_INVALID without a staff name. */
enum cps_err cps_legacy_import_as(struct cps_engine *e, const char *path,
				  const char *staff_name,
				  struct cps_legacy_report *report,
				  struct cps_error *err);

void cps_legacy_report_free(struct cps_legacy_report *report);

struct cps_legacy_account {
	long long id;
	char email[CPS_EMAIL_MAX];
	char member_number[CPS_LEGACY_MEMBER_MAX + 1];
	char name[CPS_LEGACY_NAME_MAX + 1];
	int products;                /* how many would move */
	time_t imported_at;
};

/* The old account with this e-mail (any case, surrounding spaces ignored).
 * CPS_ERR_NOT_FOUND when there is none; CPS_ERR_INVALID when old_email is
 * not an e-mail address. */
enum cps_err cps_legacy_find(struct cps_engine *e, const char *old_email,
			     struct cps_legacy_account *info,
			     struct cps_error *err);

/* A product of an old account.  Strings are never NULL ("" when missing)
 * and live during the callback only. */
struct cps_legacy_product {
	long long id;
	long long catalog_id;
	const char *model;
	const char *category;
	int points;                  /* the catalog's points for the model now */
	const char *serial;
	const char *purchase_date;   /* YYYY, YYYY-MM or YYYY-MM-DD */
	const char *purchase_country;
	const char *dealer;
};

/* Calls fn for every product of the old account legacy_account_id, in the
 * order they were imported; fn returns non-zero to stop.
 * CPS_ERR_NOT_FOUND when there is no such old account. */
enum cps_err cps_legacy_products(struct cps_engine *e,
				 long long legacy_account_id,
				 int (*fn)(const struct cps_legacy_product *p,
					   void *arg),
				 void *arg, struct cps_error *err);

#endif
