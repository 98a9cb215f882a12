/* membership.c - membership numbers (Damm check digit), invoice numbers
 * and the bank transfer details of an invoice (see
 * include/cpsreg/membership.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/membership.h"
#include "cpsreg/payment.h"
#include "cpsreg/secret.h"
#include "engine_private.h"
#include "store_membership.h"

/* Damm's quasigroup of order 10 (H. M. Damm, 2004): every row and column
 * is a permutation (so any single wrong digit changes the result), the
 * diagonal is 0 (so a number followed by its check digit gives 0), and
 * (c*x)*y = (c*y)*x only when x = y (so swapping two adjacent digits
 * always changes the result).  The tests check all three properties. */
static const unsigned char damm[10][10] = {
	{ 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
	{ 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
	{ 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
	{ 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
	{ 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
	{ 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
	{ 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
	{ 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
	{ 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
	{ 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

/* Enough random attempts that a failure means something is wrong rather
 * than bad luck: with 90 million numbers, even a million memberships make
 * one attempt fail with a chance of about 1 in 90. */
#define NEW_NUMBER_ATTEMPTS 64

int cps_membership_check_digit(const char *digits)
{
	int interim = 0;

	if (!digits || !*digits)
		return -1;
	for (const char *p = digits; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		interim = damm[interim][*p - '0'];
	}
	return interim;
}

enum cps_err cps_membership_number_normalise(const char *in, char *out,
					     size_t len,
					     struct cps_error *err)
{
	char buf[32];
	size_t n = 0;
	const char *d;

	if (out && len)
		out[0] = '\0';
	if (!out || len < CPS_MEMBERSHIP_NUMBER_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("internal error: no room for the membership number"));
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '-')
			continue;
		if (n == sizeof(buf) - 1)
			break;
		buf[n++] = (char)toupper((unsigned char)*p);
	}
	buf[n] = '\0';
	if (n == 0)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter a membership number."));
	d = strncmp(buf, "CPS", 3) == 0 ? buf + 3 : buf;
	if (strlen(d) != CPS_MEMBERSHIP_DIGITS || strspn(d, "0123456789") != CPS_MEMBERSHIP_DIGITS)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A membership number is CPS- followed by %d digits, like on your membership confirmation."),
			CPS_MEMBERSHIP_DIGITS);
	if (cps_membership_check_digit(d) != 0)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("This membership number is not right: a digit is wrong or two digits are swapped. Please check it against your membership confirmation."));
	snprintf(out, len, "%s%s", CPS_MEMBERSHIP_PREFIX, d);
	return CPS_OK;
}

int cps_membership_number_valid(const char *str)
{
	char out[CPS_MEMBERSHIP_NUMBER_SIZE];

	return cps_membership_number_normalise(str, out, sizeof(out), NULL) == CPS_OK;
}

/* n random decimal digits, the first not 0 (so that nobody drops it);
 * bytes that would make some digits likelier than others are skipped. */
static enum cps_err random_digits(char *d, int n, struct cps_error *err)
{
	unsigned char buf[32];
	size_t have = 0, used = 0;
	enum cps_err rc;

	for (int i = 0; i < n;) {
		if (used == have) {
			rc = cps_secret_random(buf, sizeof(buf), err);
			if (rc != CPS_OK)
				return rc;
			have = sizeof(buf);
			used = 0;
		}
		unsigned b = buf[used++];
		if (i == 0) {
			if (b < 252)
				d[i++] = (char)('1' + b % 9);
		} else if (b < 250) {
			d[i++] = (char)('0' + b % 10);
		}
	}
	d[n] = '\0';
	return CPS_OK;
}

enum cps_err cps_membership_number_new(struct cps_engine *e, char *out,
				       size_t len, struct cps_error *err)
{
	char digits[CPS_MEMBERSHIP_DIGITS + 1];
	enum cps_err rc;

	if (out && len)
		out[0] = '\0';
	if (!out || len < CPS_MEMBERSHIP_NUMBER_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("internal error: no room for the membership number"));
	for (int i = 0; i < NEW_NUMBER_ATTEMPTS; i++) {
		int taken = 1;

		rc = random_digits(digits, CPS_MEMBERSHIP_DIGITS - 1, err);
		if (rc != CPS_OK)
			return rc;
		digits[CPS_MEMBERSHIP_DIGITS - 1] =
			(char)('0' + cps_membership_check_digit(digits));
		digits[CPS_MEMBERSHIP_DIGITS] = '\0';
		snprintf(out, len, "%s%s", CPS_MEMBERSHIP_PREFIX, digits);
		rc = cps_store_membership_number_taken(e->store, out, digits,
						       &taken, err);
		if (rc != CPS_OK) {
			out[0] = '\0';
			return rc;
		}
		if (!taken)
			return CPS_OK;
	}
	out[0] = '\0';
	return cps_error_set(err, CPS_ERR_STATE, "%s",
		_("No free membership number could be found. Please try again, or ask staff for help."));
}

enum cps_err cps_invoice_number_next(struct cps_engine *e, int year,
				     char *out, size_t len,
				     struct cps_error *err)
{
	long seq;
	enum cps_err rc;

	if (out && len)
		out[0] = '\0';
	if (!out || len < CPS_INVOICE_NUMBER_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("internal error: no room for the invoice number"));
	if (year < 1000 || year > 9999)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("internal error: %d is not a year for an invoice number"), year);
	rc = cps_store_invoice_last_seq(e->store, year, &seq, err);
	if (rc != CPS_OK)
		return rc;
	if (seq >= CPS_INVOICE_SEQ_MAX)
		return cps_error_set(err, CPS_ERR_STATE,
			_("All invoice numbers of %d are used up. Please ask staff for help."), year);
	snprintf(out, len, "INV-%04d-%06ld", year, seq + 1);
	return CPS_OK;
}

int cps_invoice_number_valid(const char *str)
{
	if (!str || strlen(str) != CPS_INVOICE_NUMBER_LEN ||
	    strncmp(str, "INV-", 4) != 0 || str[8] != '-' ||
	    strspn(str + 4, "0123456789") != 4 ||
	    strspn(str + 9, "0123456789") != 6)
		return 0;
	return str[4] != '0' && strcmp(str + 9, "000000") != 0;
}

/* --- bank transfer details ------------------------------------------- */

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Copies s without spaces, in upper case; 0 if it does not fit. */
static int compact_upper(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (n + 1 >= len)
			return 0;
		out[n++] = (char)toupper((unsigned char)*s);
	}
	out[n] = '\0';
	return 1;
}

static int group_fours(const char *s, char *out, size_t len)
{
	char flat[64];
	size_t n = 0;

	if (!compact_upper(s, flat, sizeof(flat)))
		return 0;
	for (size_t i = 0; flat[i]; i++) {
		if (i && i % 4 == 0) {
			if (n + 1 >= len)
				return 0;
			out[n++] = ' ';
		}
		if (n + 1 >= len)
			return 0;
		out[n++] = flat[i];
	}
	out[n] = '\0';
	return 1;
}

static int expand_reference(const char *tmpl, const char *invoice, char *out,
			    size_t len)
{
	size_t n = 0, il = strlen(invoice);
	static const char ph[] = "{invoice}";

	for (const char *p = tmpl; *p;) {
		if (strncmp(p, ph, sizeof(ph) - 1) == 0) {
			if (n + il >= len)
				return 0;
			memcpy(out + n, invoice, il);
			n += il;
			p += sizeof(ph) - 1;
		} else {
			if (n + 1 >= len)
				return 0;
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return 1;
}

/* Appends a "label: value" line when value is set; 0 if it does not fit. */
static int add_line(char *text, size_t len, const char *label,
		    const char *value)
{
	size_t n = strlen(text);
	int w;

	if (!*value)
		return 1;
	w = snprintf(text + n, len - n, "%s: %s\n", label, value);
	return w >= 0 && (size_t)w < len - n;
}

enum cps_err cps_payment_bank_details(const struct cps_config *cfg,
				      const char *invoice_number,
				      struct cps_bank_details *out,
				      struct cps_error *err)
{
	int ok;

	memset(out, 0, sizeof(*out));
	if (!invoice_number || !*invoice_number)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("internal error: the payment details need an invoice number"));
	for (const char *p = invoice_number; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("internal error: the invoice number contains a control character"));
	ok = snprintf(out->bank_name, sizeof(out->bank_name), "%s", nz(cfg->bank_name)) < (int)sizeof(out->bank_name) &&
	     snprintf(out->account_holder, sizeof(out->account_holder), "%s", nz(cfg->account_holder)) < (int)sizeof(out->account_holder) &&
	     group_fours(nz(cfg->iban), out->iban, sizeof(out->iban)) &&
	     compact_upper(nz(cfg->bic), out->bic, sizeof(out->bic)) &&
	     expand_reference(nz(cfg->reference), invoice_number, out->reference, sizeof(out->reference));
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("The bank details in the configuration ([payment]) are too long to show."));
	}
	out->configured = out->iban[0] != '\0';
	if (out->configured) {
		ok = add_line(out->text, sizeof(out->text), _("Bank"), out->bank_name) &&
		     add_line(out->text, sizeof(out->text), _("Account holder"), out->account_holder) &&
		     add_line(out->text, sizeof(out->text), _("IBAN"), out->iban) &&
		     add_line(out->text, sizeof(out->text), _("BIC"), out->bic);
	} else {
		ok = snprintf(out->text, sizeof(out->text), "%s\n",
			      _("The bank details are not set up here yet: please ask staff for them.")) < (int)sizeof(out->text);
	}
	ok = ok && add_line(out->text, sizeof(out->text), _("Payment reference"), out->reference);
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("The bank details in the configuration ([payment]) are too long to show."));
	}
	return CPS_OK;
}

enum cps_err cps_membership_bank_details(const struct cps_config *cfg,
					 const struct cps_membership *m,
					 struct cps_bank_details *out,
					 struct cps_error *err)
{
	int ok;

	if (!m->bank_iban[0])
		return cps_payment_bank_details(cfg, m->invoice_number, out, err);
	/* the remote's invoice names its own account: the configured one
	 * may be another */
	memset(out, 0, sizeof(*out));
	ok = snprintf(out->account_holder, sizeof(out->account_holder), "%s", m->bank_holder) < (int)sizeof(out->account_holder) &&
	     group_fours(m->bank_iban, out->iban, sizeof(out->iban)) &&
	     compact_upper(m->bank_bic, out->bic, sizeof(out->bic)) &&
	     snprintf(out->reference, sizeof(out->reference), "%s", m->reference) < (int)sizeof(out->reference);
	out->configured = 1;
	ok = ok && add_line(out->text, sizeof(out->text), _("Account holder"), out->account_holder) &&
	     add_line(out->text, sizeof(out->text), _("IBAN"), out->iban) &&
	     add_line(out->text, sizeof(out->text), _("BIC"), out->bic) &&
	     add_line(out->text, sizeof(out->text), _("Payment reference"), out->reference);
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("The invoice's bank details are too long to show."));
	}
	return CPS_OK;
}
