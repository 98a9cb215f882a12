/* store_membership.h - SQL for memberships and invoices, and their
 * numbers (src/ only).  Writes happen inside the caller's
 * cps_store_begin()/cps_store_commit(). */
#ifndef CPSREG_STORE_MEMBERSHIP_H
#define CPSREG_STORE_MEMBERSHIP_H

#include <time.h>

#include "cpsreg/payment.h"
#include "cpsreg/store.h"

/* *taken = 1 when a membership has the number `number`, or an old CPS
 * account has `number` or `digits` (its digits alone) as member number. */
enum cps_err cps_store_membership_number_taken(struct cps_store *s,
					       const char *number,
					       const char *digits, int *taken,
					       struct cps_error *err);

/* The highest sequence number used by the invoices of `year`
 * ("INV-<year>-NNNNNN"), 0 when none.  Only inside a transaction
 * (CPS_ERR_STATE otherwise), so that the next number stays free until
 * the caller's invoice is stored. */
enum cps_err cps_store_invoice_last_seq(struct cps_store *s, int year,
					long *seq, struct cps_error *err);

/* An invoice to store. */
struct cps_store_invoice {
	const char *number;
	const char *level_id;
	const char *level_name;
	long amount_cents;
	const char *currency;
	const char *method;        /* "card" or "bank" */
	const char *reference;     /* "" when none */
	const char *issued_on;     /* YYYY-MM-DD */
	const char *due_on;
	long vat_cents;            /* the VAT within amount_cents */
	int vat_hundredths;        /* its rate: 2500 for 25 %; 0 when none */
	int requested;             /* 1: asked of the remote ('requested'), else 'local' */
};

/* Stores an invoice of the account; *id gets its id. */
enum cps_err cps_store_invoice_insert(struct cps_store *s, long long account_id,
				      const struct cps_store_invoice *inv,
				      time_t now, long long *id,
				      struct cps_error *err);

/* Stores the account's membership (old_number NULL or "": none). */
enum cps_err cps_store_membership_insert(struct cps_store *s,
					 long long account_id,
					 const char *number,
					 const char *old_number,
					 const char *level_id,
					 const char *level_name,
					 long long invoice_id,
					 time_t active_from,
					 struct cps_error *err);

/* The account's membership with its invoice; CPS_ERR_NOT_FOUND (err
 * untouched) when it has none. */
enum cps_err cps_store_membership_get(struct cps_store *s, long long account_id,
				      struct cps_membership *out,
				      struct cps_error *err);

/* How many invoices and memberships the store holds (checks and tests). */
enum cps_err cps_store_membership_counts(struct cps_store *s,
					 long long *invoices,
					 long long *memberships,
					 struct cps_error *err);

/* The invoice of the account's membership. */
struct cps_store_invoice_row {
	long long id;
	char state[12];            /* local, requested, received */
	char number[CPS_INVOICE_NUMBER_SIZE + 16];   /* the shop's */
	char remote_number[40];    /* "" until received */
	char method[8];
};

/* CPS_ERR_NOT_FOUND (err untouched) when the account has no membership. */
enum cps_err cps_store_invoice_of(struct cps_store *s, long long account_id,
				  struct cps_store_invoice_row *out, struct cps_error *err);

/* The account whose invoice has the remote's number remote_number, or 0. */
enum cps_err cps_store_invoice_remote_owner(struct cps_store *s, const char *remote_number,
					    long long *account_id, struct cps_error *err);

/* The remote's invoice, as checked, for a requested row. */
struct cps_store_received {
	const char *number;
	long amount_cents;
	const char *currency;
	const char *issued_on, *due_on;
	const char *payment_link;             /* "" when none */
	const char *bank_holder, *bank_iban, *bank_bic, *bank_reference; /* "" when none */
};

/* Stores it on invoice row invoice_id, which must be 'requested'
 * (CPS_ERR_STATE otherwise); it becomes 'received'. */
enum cps_err cps_store_invoice_receive(struct cps_store *s, long long invoice_id,
				       const struct cps_store_received *inv, time_t now,
				       struct cps_error *err);

/* *erased = 1 when the audit log records that the account was erased
 * (its number is never given again). */
enum cps_err cps_store_account_erased(struct cps_store *s, long long account_id,
				       int *erased, struct cps_error *err);

/* The account whose membership has number, or 0. */
enum cps_err cps_store_membership_number_owner(struct cps_store *s, const char *number,
					       long long *account_id, struct cps_error *err);

/* Gives the account's membership the number (the remote's). */
enum cps_err cps_store_membership_number_set(struct cps_store *s, long long account_id,
					     const char *number, struct cps_error *err);

#endif
