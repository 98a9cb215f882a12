/* product.h - "My products": the Canon products an account registers.
 *
 * A product is a catalog model plus four details: serial number, purchase
 * date, country of purchase and dealer.  Any of them may be missing while
 * the customer looks things up (the product is saved incomplete); with all
 * four it is complete (the green tick) and counts for points.
 *
 * Points: the first time a product becomes complete, the catalog's points
 * of its model are fixed in the product and never follow a later catalog
 * change.  A complete product edited back to incomplete stops counting but
 * keeps that earned value, and counts it again once completed (so editing
 * cannot be used to pick up a higher value from a newer catalog).  Only a
 * change of model starts over: the product then earns the new model's
 * points when it is next complete.
 *
 * Every add, change and removal is recorded for the remote (outbox kind
 * "product") in the same transaction; input that is refused changes
 * nothing. */
#ifndef CPSREG_PRODUCT_H
#define CPSREG_PRODUCT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/err.h"

#define CPS_SERIAL_MAX 30                         /* characters after cleaning */
#define CPS_SERIAL_SIZE (CPS_SERIAL_MAX + 1)
#define CPS_DATE_SIZE 11                          /* "YYYY-MM-DD" and NUL */
#define CPS_DEALER_MAX 100                        /* characters */
#define CPS_DEALER_SIZE (CPS_DEALER_MAX * 4 + 1)  /* bytes of UTF-8 */
#define CPS_WARNING_MAX 512

/* How much of a purchase date the customer knew. */
enum cps_date_precision {
	CPS_DATE_NONE = 0,   /* no date given */
	CPS_DATE_YEAR,       /* "2021" */
	CPS_DATE_MONTH,      /* "2021-05" */
	CPS_DATE_DAY         /* "2021-05-14" */
};

enum cps_product_origin {
	CPS_ORIGIN_REGISTERED = 0,  /* typed in here */
	CPS_ORIGIN_MIGRATED         /* moved from an old CPS account */
};

/* The details missing for the green tick (cps_product_missing). */
enum cps_missing {
	CPS_MISSING_SERIAL = 1 << 0,
	CPS_MISSING_DATE = 1 << 1,
	CPS_MISSING_COUNTRY = 1 << 2,
	CPS_MISSING_DEALER = 1 << 3,
	/* the serial does not fit the model's pattern: staff must confirm it */
	CPS_MISSING_SERIAL_CHECK = 1 << 4
};

struct cps_product {
	long long id;
	long long account_id;
	long long catalog_id;
	char model[CPS_MODEL_SIZE];
	enum cps_category category;
	int model_active;                /* 0: the model has been retired */
	char serial[CPS_SERIAL_SIZE];    /* "" when missing */
	char purchase_date[CPS_DATE_SIZE]; /* as stored: YYYY, YYYY-MM or YYYY-MM-DD; "" when missing */
	enum cps_date_precision date_precision;
	char purchase_country[3];        /* "DK"; "" when missing */
	char dealer[CPS_DEALER_SIZE];    /* "" when missing */
	int points;        /* earned (fixed when first complete); 0 if never */
	int worth;         /* what it counts when complete: the earned points,
			    * or, never complete yet, the catalog's points now */
	int complete;      /* all four details given (and an unusual serial
			    * confirmed by staff): the green tick */
	int serial_unusual;              /* the serial does not fit the model's pattern */
	char serial_confirmed_by[128];   /* staff who confirmed this serial; "" if none */
	time_t serial_confirmed_at;
	time_t completed_at;             /* first complete; 0 if never */
	enum cps_product_origin origin;
};

/* What the customer typed.  NULL or "" (after trimming) means "not given
 * yet".  Text is cleaned as described at each function below. */
struct cps_product_draft {
	long long catalog_id;
	const char *serial;
	const char *purchase_date;
	const char *purchase_country;
	const char *dealer;
};

/* Cleans a serial number: spaces and dashes are removed, letters are made
 * upper case; any other character is refused (CPS_ERR_INVALID, the
 * character named).  Longer than CPS_SERIAL_MAX is refused.  Empty input
 * gives "".  out must hold CPS_SERIAL_SIZE bytes (len). */
enum cps_err cps_serial_normalise(const char *text, char *out, size_t len,
				  struct cps_error *err);

/* Checks a serial as typed for one model, for the screen to show as the
 * customer types: the cleaned serial goes to out; a refusal is an error;
 * a serial that does not look like the model's usual ones gives CPS_OK
 * and a text in warning (NULL allowed; "" when there is nothing to say). */
enum cps_err cps_serial_check(struct cps_engine *e, long long catalog_id,
			      const char *text, char *out, size_t len,
			      char warning[CPS_WARNING_MAX],
			      struct cps_error *err);

/* Reads a purchase date the way people write it, a best guess allowed:
 * 2021, 2021-05, 05.2021, 5/2021, 2021-05-14, 14.05.2021, 14/05/2021
 * (a dotted or slashed date is day first, as in Europe; '-' works for the
 * day-first forms too).  Writes the stored form (YYYY, YYYY-MM or
 * YYYY-MM-DD) to out (CPS_DATE_SIZE bytes) and its precision.  Empty input
 * gives "" and CPS_DATE_NONE.  A date that does not exist (2021-02-30) or
 * that cannot be read is CPS_ERR_INVALID, with a message that quotes the
 * text and says which forms work.  No check against today: see
 * cps_purchase_date_check(). */
enum cps_err cps_purchase_date_parse(const char *text, char *out, size_t len,
				     enum cps_date_precision *precision,
				     struct cps_error *err);

/* cps_purchase_date_parse() plus the rules: not in the future (compared at
 * the precision given: this month is fine for "2026-11" in November 2026)
 * by the engine's clock, and not before release_year (0: no such check). */
enum cps_err cps_purchase_date_check(struct cps_engine *e, int release_year,
				     const char *text, char *out, size_t len,
				     enum cps_date_precision *precision,
				     struct cps_error *err);

/* Cleans a dealer name: spaces around it are dropped; at most
 * CPS_DEALER_MAX characters, valid UTF-8, no control characters. */
enum cps_err cps_dealer_normalise(const char *text, char *out, size_t len,
				  struct cps_error *err);

/* Checks a country of purchase: a two-letter code from countries.csv (any
 * country of the list, any case); out gets it in upper case, "" if empty. */
enum cps_err cps_purchase_country_check(struct cps_engine *e, const char *text,
					char out[3], struct cps_error *err);

/* The country of purchase to suggest: the account's country (out[0] is
 * '\0' when the account has none yet).  CPS_ERR_NOT_FOUND: no account. */
enum cps_err cps_product_default_country(struct cps_engine *e,
					 long long account_id, char out[3],
					 struct cps_error *err);

/* Dealers already typed on products, most used first, whose name starts
 * with prefix (case ignored; "" lists the most used).  Each result is
 * CPS_DEALER_SIZE bytes; at most max; *n says how many. */
enum cps_err cps_dealer_suggest(struct cps_engine *e, const char *prefix,
				char (*results)[CPS_DEALER_SIZE], size_t max,
				size_t *n, struct cps_error *err);

/* Registers a product for the account.  The model must be active.  Every
 * detail given is checked (see above); a serial already registered for the
 * same model, by anyone, is CPS_ERR_EXISTS.  *id gets the new product's id
 * (id may be NULL); warning (may be NULL) gets a note that does not stop
 * the saving, such as an unusual serial number, or "". */
enum cps_err cps_product_add(struct cps_engine *e, long long account_id,
			     const struct cps_product_draft *draft,
			     long long *id, char warning[CPS_WARNING_MAX],
			     struct cps_error *err);

/* Replaces the details (and the model) of a product with draft.  A retired
 * model may stay, but a product cannot be moved to one. */
enum cps_err cps_product_update(struct cps_engine *e, long long id,
				const struct cps_product_draft *draft,
				char warning[CPS_WARNING_MAX],
				struct cps_error *err);

enum cps_err cps_product_get(struct cps_engine *e, long long id,
			     struct cps_product *out, struct cps_error *err);

enum cps_err cps_product_delete(struct cps_engine *e, long long id,
				struct cps_error *err);

/* The account's products in the order they were registered.  *out is an
 * array of *n products (NULL when none) for cps_product_list_free(). */
enum cps_err cps_product_list(struct cps_engine *e, long long account_id,
			      struct cps_product **out, size_t *n,
			      struct cps_error *err);

/* The same, only the incomplete products, each with the points it would
 * add if completed (worth). */
enum cps_err cps_product_list_incomplete(struct cps_engine *e,
					 long long account_id,
					 struct cps_product **out, size_t *n,
					 struct cps_error *err);

void cps_product_list_free(struct cps_product *list);

/* 1 when p earns the green tick and its points: the four details given,
 * and a serial that does not fit the model's pattern confirmed by staff. */
int cps_product_is_complete(const struct cps_product *p);

/* Staff confirm the serial number of the account's product that does
 * not fit its model's pattern (they saw the product or its receipt): the
 * product then earns the tick and its points once its details are given.
 * serial as typed (cleaned as cps_serial_normalise does).  Recorded with
 * who and when in the audit log; a changed serial needs confirming again.
 * CPS_ERR_NOT_FOUND: the account has no product with that serial;
 * CPS_ERR_STATE: the serial fits the pattern (nothing to confirm) or is
 * confirmed already. */
enum cps_err cps_product_confirm_serial(struct cps_engine *e, long long account_id,
					const char *serial, const char *staff,
					struct cps_product *out, struct cps_error *err);

/* Which details are missing (enum cps_missing flags; 0: complete).  When
 * text is not NULL it gets the list for the screen, translated:
 * "missing: serial number, dealer" ("" when complete). */
unsigned cps_product_missing(const struct cps_product *p, char *text,
			     size_t len);

/* For the points step: points = sum of the points of the complete
 * products, complete_count = how many are complete, registered_count =
 * all products of the account.  Any pointer may be NULL. */
enum cps_err cps_product_totals(struct cps_engine *e, long long account_id,
				long *points, int *complete_count,
				int *registered_count, struct cps_error *err);

#endif
