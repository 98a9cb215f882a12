/* membership.h - membership numbers, invoice numbers and the bank transfer
 * details shown with an invoice.
 *
 * Membership number: "CPS-" and 9 digits, e.g. "CPS-123456786": 8 random
 * digits (the first never 0) and a check digit after the Damm algorithm
 * (a totally anti-symmetric quasigroup of order 10).  Damm was chosen over
 * Luhn because it catches every single-digit error and every swap of two
 * adjacent digits, the check digit included; Luhn misses 09 <-> 90.  The
 * numbers are random, not sequential, so that one number says nothing
 * about the next; a new one is never a number in use nor an old CPS member
 * number (the customer is told that the number has changed).
 *
 * Invoice number: "INV-YYYY-NNNNNN", sequential per year from 000001. */
#ifndef CPSREG_MEMBERSHIP_H
#define CPSREG_MEMBERSHIP_H

#include <stddef.h>

#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/err.h"

#define CPS_MEMBERSHIP_PREFIX "CPS-"
#define CPS_MEMBERSHIP_DIGITS 9        /* 8 random digits and the check digit */
#define CPS_MEMBERSHIP_NUMBER_LEN 13   /* "CPS-123456786" */
#define CPS_MEMBERSHIP_NUMBER_SIZE (CPS_MEMBERSHIP_NUMBER_LEN + 1)

#define CPS_INVOICE_NUMBER_LEN 15      /* "INV-2026-000001" */
#define CPS_INVOICE_NUMBER_SIZE (CPS_INVOICE_NUMBER_LEN + 1)
#define CPS_INVOICE_SEQ_MAX 999999

/* The Damm check digit (0-9) of a string of decimal digits, or -1 when it
 * is empty or holds anything else.  A string followed by its check digit
 * has check digit 0. */
int cps_membership_check_digit(const char *digits);

/* Turns a membership number as a person typed it into the form
 * "CPS-123456786": ignores case, spaces and dashes, and the "CPS" prefix
 * may be left out.  out needs CPS_MEMBERSHIP_NUMBER_SIZE bytes.
 * CPS_ERR_INVALID says what is wrong (not 9 digits, or the check digit
 * does not match: a typo). */
enum cps_err cps_membership_number_normalise(const char *in, char *out,
					     size_t len,
					     struct cps_error *err);

/* 1 if str is a membership number (in any form the function above
 * accepts), else 0. */
int cps_membership_number_valid(const char *str);

/* A new membership number (random digits, retried until no membership and
 * no old CPS account has it) into out (CPS_MEMBERSHIP_NUMBER_SIZE bytes).
 * Call it inside the transaction that stores the membership, so nobody
 * takes the number in between. */
enum cps_err cps_membership_number_new(struct cps_engine *e, char *out,
				       size_t len, struct cps_error *err);

/* The next invoice number of the year ("INV-2026-000042") into out
 * (CPS_INVOICE_NUMBER_SIZE bytes).  Must be called inside the caller's
 * cps_store_begin()/cps_store_commit() transaction that also stores the
 * invoice (CPS_ERR_STATE otherwise), so two kiosks never get the same
 * number.  year is the issue date's year (1000-9999).  CPS_ERR_STATE when
 * the year has used up all CPS_INVOICE_SEQ_MAX numbers. */
enum cps_err cps_invoice_number_next(struct cps_engine *e, int year,
				     char *out, size_t len,
				     struct cps_error *err);

/* 1 if str is exactly of the form "INV-YYYY-NNNNNN" (NNNNNN not 000000). */
int cps_invoice_number_valid(const char *str);

/* The bank transfer details for an invoice, from [payment] in the config.
 * Empty strings for values that are not set. */
struct cps_bank_details {
	int configured;          /* an IBAN is set; else the invoice has the details */
	char bank_name[128];
	char account_holder[128];
	char iban[48];           /* grouped in fours: "NO93 8601 1117 947" */
	char bic[12];
	char reference[256];     /* payment.reference with {invoice} replaced */
	char text[1024];         /* all of it as lines ready to show, translated */
};

/* Fills out for invoice_number (which replaces every "{invoice}" in
 * payment.reference).  When no IBAN is configured, out->text says that the
 * bank details are on the invoice (and gives the reference, if any).
 * CPS_ERR_INVALID when invoice_number is empty or a value does not fit. */
enum cps_err cps_payment_bank_details(const struct cps_config *cfg,
				      const char *invoice_number,
				      struct cps_bank_details *out,
				      struct cps_error *err);

#endif
