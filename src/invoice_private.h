/* invoice_private.h - the remote's invoices as the sync hands them over
 * (src/ only; see include/cpsreg/invoice.h). */
#ifndef CPSREG_INVOICE_PRIVATE_H
#define CPSREG_INVOICE_PRIVATE_H

#include <jansson.h>

#include "cpsreg/invoice.h"

/* Reads one Invoice object (cps_invoice_parse on a parsed value). */
enum cps_err cps_invoice_from_json(json_t *j, const char *where,
				   struct cps_remote_invoice *out, struct cps_error *err);

/* The answer of the remote to the enrollment of account_id (POST
 * /enrollments): its membership_number and invoice, each optional, are
 * checked whole and then stored in one transaction.  *applied counts the
 * invoices stored (0 or 1).  CPS_ERR_INVALID, with the field, when the
 * answer is refused: then nothing is stored. */
enum cps_err cps_invoice_enrolled(struct cps_engine *e, long long account_id, json_t *answer,
				  int *applied, struct cps_error *err);

/* One page of GET /invoices: checked whole, then its invoices and the
 * page's cursor (stored under cursor_key) in one transaction.  *applied
 * counts the invoices stored; *more is 1 when the next page may hold
 * more.  cursor (the one asked with) gets the new one.  CPS_ERR_INVALID
 * when the page is refused: nothing is stored, the cursor stays. */
enum cps_err cps_invoice_page(struct cps_engine *e, json_t *answer, const char *cursor_key,
			      char *cursor, size_t cursor_len, int *applied, int *more,
			      struct cps_error *err);

/* Queues the invoice e-mail of the account's membership as stored, in
 * the customer's language (payment.c).  Inside the caller's transaction. */
enum cps_err cps_payment_invoice_message(struct cps_engine *e, long long account_id,
					 struct cps_error *err);

#endif
