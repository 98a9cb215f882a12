/* store_membership.h - SQL for membership and invoice numbers (src/ only). */
#ifndef CPSREG_STORE_MEMBERSHIP_H
#define CPSREG_STORE_MEMBERSHIP_H

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

/* For the unit tests only, until the payment step stores invoices: adds a
 * bare account with an invoice numbered invoice_number and, when
 * member_number is not NULL, a membership with that number. */
enum cps_err cps_store_membership_add_for_tests(struct cps_store *s,
						const char *invoice_number,
						const char *member_number,
						struct cps_error *err);

#endif
