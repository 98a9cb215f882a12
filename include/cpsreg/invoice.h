/* invoice.h - the remote's invoice for a membership (README, "The remote"
 * and rules 8; the contract's Invoice schema in assets/api/openapi.yaml).
 *
 * With a remote, enrolling stores the invoice as requested
 * (payment.h); the remote makes it and the sync brings it, in the answer
 * to POST /enrollments or later from GET /invoices.  What the remote
 * sends is read strictly: a field missing, of the wrong type or out of
 * its form, an account this shop does not know or that has no requested
 * invoice, a payment link that is not https:// -- each is refused with a
 * message naming the field ("invoices[2].payment_link: ..."), and then
 * nothing of that answer is stored.  An invoice for a customer erased at
 * the shop is skipped: nothing of them is stored again.  A stored invoice sent again (the
 * same number: a page fetched twice, an answer replayed) changes
 * nothing.  Once stored, the invoice e-mail is composed in the customer's
 * language: by card with the remote's payment link, by bank transfer with
 * the invoice's bank details (or the configured ones). */
#ifndef CPSREG_INVOICE_H
#define CPSREG_INVOICE_H

#include <stddef.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/payment.h"
#include "cpsreg/workdays.h"

#define CPS_REMOTE_INVOICE_NUMBER_MAX 31   /* letters, digits and . / _ - */
#define CPS_REMOTE_AMOUNT_MAX 100000000L   /* cents: a million in the currency */

/* One invoice of the remote, as read and checked. */
struct cps_remote_invoice {
	long long account_id;                  /* the shop's account number */
	char number[CPS_REMOTE_INVOICE_NUMBER_MAX + 1];
	long amount_cents;                     /* with VAT: what is to be paid */
	char currency[CPS_CURRENCY_SIZE];      /* "EUR" */
	char issued_on[CPS_YMD_SIZE];          /* YYYY-MM-DD */
	char due_on[CPS_YMD_SIZE];
	char payment_link[CPS_PAYMENT_LINK_SIZE]; /* https://..., "" when none */
	/* bank: all "" when the invoice gives none */
	char bank_holder[128];
	char bank_iban[48];                    /* as sent (checked, spaces kept) */
	char bank_bic[12];
	char bank_reference[CPS_REFERENCE_SIZE];
};

/* Reads one Invoice object from JSON text (len bytes).  where names it in
 * a message ("invoice", "invoices[0]").  CPS_ERR_INVALID with the field
 * and what is wrong; out is zeroed then. */
enum cps_err cps_invoice_parse(const char *text, size_t len, const char *where,
			       struct cps_remote_invoice *out, struct cps_error *err);

/* Stores a checked invoice on its account's membership, in a transaction
 * of its own, and queues the invoice e-mail.  *applied is 1 when it was
 * stored, 0 when the same invoice was stored before or its customer was
 * erased.  CPS_ERR_INVALID, with the field, when it is refused (no such
 * account, no membership, an invoice the shop issued itself, another
 * invoice of the remote stored already, its number another account's, a
 * card invoice without a payment link): nothing is stored. */
enum cps_err cps_invoice_receive(struct cps_engine *e, const struct cps_remote_invoice *inv,
				 int *applied, struct cps_error *err);

#endif
