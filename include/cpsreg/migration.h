/* migration.h - "MIGRATE PRODUCTS": moving the products of an old CPS
 * account to the new business account (README, rules 5).
 *
 * The action is offered when the account is validated, the application
 * gave the old CPS e-mail, an old account with that e-mail exists (staff
 * imported it, see legacy.h, or the remote sent it, see legacy_remote.h)
 * and it has products, and the account has not migrated yet.  With a
 * remote, an old e-mail that names no old account at the shop is
 * CPS_MIGRATION_LOOKING_UP until the remote's answer is stored (or the
 * remote said it has none: CPS_MIGRATION_OLD_NOT_FOUND).  cps_migration_check() says
 * whether it is offered and, when it is not, why, in words for the
 * screen, with the advice of Canon's instructions (register the products
 * again, or contact CPS Priority support).
 *
 * cps_migration_run() is one transaction, all or nothing:
 *   - every product of the old account becomes a product of this account
 *     (origin "migrated", linked to the old product), with its details as
 *     they were; a complete one gets its green tick and the catalog's
 *     points of today, fixed as for any product completed now; an
 *     incomplete one moves without a tick and earns its points once the
 *     customer completes it ("View product");
 *   - an old product whose model and serial number this account has
 *     registered already is skipped and reported as already registered;
 *   - an old product whose model and serial number ANOTHER account has
 *     registered stops the whole migration: nothing moves, and the message
 *     names the product and points to support;
 *   - the migration is recorded (which old account, how many products,
 *     when) with an outbox row "migration" for the remote.
 * Running it again moves nothing: it returns CPS_OK with result.already
 * set (so a retry after a lost answer is harmless), never a second copy. */
#ifndef CPSREG_MIGRATION_H
#define CPSREG_MIGRATION_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/ident.h"
#include "cpsreg/legacy.h"
#include "cpsreg/product.h"

#define CPS_MIGRATION_TEXT_MAX 2048

/* Why MIGRATE PRODUCTS is (not) offered. */
enum cps_migration_reason {
	CPS_MIGRATION_OFFERED = 0,      /* the action is there */
	CPS_MIGRATION_NOT_VALIDATED,    /* the account is not validated yet */
	CPS_MIGRATION_NO_OLD_EMAIL,     /* no old CPS e-mail in the application */
	CPS_MIGRATION_OLD_NOT_FOUND,    /* no old account with that e-mail */
	CPS_MIGRATION_NO_PRODUCTS,      /* the old account has no products */
	CPS_MIGRATION_DONE,             /* this account has migrated already */
	CPS_MIGRATION_MOVED_ELSEWHERE,  /* the old account's products went to
					 * another business account */
	CPS_MIGRATION_LOOKING_UP        /* a remote is configured and has not
					 * answered for the old e-mail yet: the
					 * sync asks it (legacy_remote.h) */
};

/* What happens (or happened) to one old product. */
enum cps_migration_item_state {
	CPS_MIGRATE_MOVE = 0,  /* moves (in a result: was moved) */
	CPS_MIGRATE_YOURS,     /* this account registered it already: skipped */
	CPS_MIGRATE_TAKEN      /* another account registered it: blocks the move */
};

/* One product of the old account.  Text is "" when the old system had
 * nothing; the texts belong to the list and go with it (they are never
 * NULL), and each is at most as long as its field in the product (the
 * model CPS_MODEL_SIZE - 1 bytes, the serial CPS_SERIAL_SIZE - 1, the
 * date CPS_DATE_SIZE - 1, the country 2, the dealer
 * CPS_LEGACY_DEALER_MAX). */
struct cps_migration_item {
	long long legacy_product_id;
	long long catalog_id;
	long long product_id;        /* this account's product: the new one after
				      * a run, the one registered already for
				      * CPS_MIGRATE_YOURS; else 0 */
	const char *model;
	const char *serial;
	const char *purchase_date;
	const char *purchase_country;
	const char *dealer;
	int complete;                /* all four details: moves with its tick */
	int points;                  /* complete: what it earns on moving (the
				      * catalog's points now); incomplete: what
				      * it would earn once completed */
	enum cps_migration_item_state state;
};

/* The answer of cps_migration_check().  Free with cps_migration_info_free(). */
struct cps_migration_info {
	int offered;                          /* show MIGRATE PRODUCTS */
	enum cps_migration_reason reason;
	char text[CPS_MIGRATION_TEXT_MAX];    /* translated: why not, or what will move */
	char old_email[CPS_EMAIL_MAX];        /* as given in the application */
	char member_number[CPS_LEGACY_MEMBER_MAX + 1]; /* the old CPS member number, "" if unknown */
	/* CPS_MIGRATION_DONE */
	time_t migrated_at;
	int migrated_count;                   /* products moved then */
	/* CPS_MIGRATION_OFFERED: every old product, in the old system's order */
	struct cps_migration_item *items;
	size_t nitems;
	int to_move;                          /* items in state MOVE */
	int already_yours;                    /* items in state YOURS */
	int conflicts;                        /* items in state TAKEN: the run
					       * would be refused (text says so) */
	int complete;                         /* of to_move, with all details */
	long points;                          /* what the complete ones add */
};

/* The answer of cps_migration_run().  Free with cps_migration_result_free(). */
struct cps_migration_result {
	int already;                          /* migrated before: nothing moved now */
	int moved;                            /* products moved now (already: then) */
	int skipped;                          /* already registered by this account */
	int complete;                         /* of the moved, with the green tick */
	int incomplete;                       /* of the moved, to be completed */
	long points;                          /* earned by the moved complete ones */
	time_t migrated_at;
	char member_number[CPS_LEGACY_MEMBER_MAX + 1];
	char text[CPS_MIGRATION_TEXT_MAX];    /* translated summary for the screen */
	struct cps_migration_item *items;     /* every old product and its fate
					       * (NULL when already) */
	size_t nitems;
};

/* Whether MIGRATE PRODUCTS is offered to the account, and why not.  Only
 * reads.  CPS_OK whatever the answer (see info->reason); CPS_ERR_NOT_FOUND
 * when there is no such account; a store error otherwise.  info (the
 * caller's, may be uninitialised) is always set; free its list with
 * cps_migration_info_free(). */
enum cps_err cps_migration_check(struct cps_engine *e, long long account_id,
				 struct cps_migration_info *info,
				 struct cps_error *err);

void cps_migration_info_free(struct cps_migration_info *info);

/* Moves the products (see the top of this file).  Returns
 *   CPS_OK             moved now, or moved before (result->already)
 *   CPS_ERR_STATE      not offered: err has the reason's text
 *   CPS_ERR_EXISTS     an old product is registered to another account:
 *                      err names it and the support contact; nothing moved
 *   CPS_ERR_NOT_FOUND  no such account
 * and a store error otherwise; whenever it is not CPS_OK nothing changed.
 * result (the caller's, may be uninitialised) is always set; free it with
 * cps_migration_result_free(). */
enum cps_err cps_migration_run(struct cps_engine *e, long long account_id,
			       struct cps_migration_result *result,
			       struct cps_error *err);

void cps_migration_result_free(struct cps_migration_result *result);

#endif
