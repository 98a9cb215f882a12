/* ident.h - offline checks of what a customer types into the application:
 * the business identifier (VAT number, CVR number, organisation number,
 * Y-tunnus), the e-mail address and the phone number.
 *
 * Each check accepts the spellings people use (spaces, dots, dashes, a
 * country prefix, lower case), writes one normalised form into a buffer the
 * caller owns, and on failure says in customer's words what is wrong.
 * The checks are hints: the remote may confirm a number online, and staff
 * may override. */
#ifndef CPSREG_IDENT_H
#define CPSREG_IDENT_H

#include <stddef.h>

#include "cpsreg/err.h"

/* Room for any normalised VAT number, e.g. "NO988077917MVA", with the NUL. */
#define CPS_IDENT_MAX 20
/* Room for a normalised e-mail address (at most 254 bytes) with the NUL. */
#define CPS_EMAIL_MAX 255
/* Room for a normalised phone number ("+" and 15 digits) with the NUL. */
#define CPS_PHONE_MAX 17

/* Checks the business identifier `input` for `country` (ISO 3166 alpha-2,
 * either case; GR and EL both mean Greece; CH is Switzerland's UID).
 *
 * On CPS_OK, norm holds the VAT form: the VAT prefix and the number without
 * separators, e.g. "DK13585628", "NO988077917MVA", "SE556036079301",
 * "FI20774740", "GB980780684", "EL123456789", "CHE123456789".
 * Denmark, Norway, Sweden, Finland, the United Kingdom, Belgium, Germany
 * and the Netherlands are checked down to the check digits; the other EU
 * countries by the VIES format only.
 *
 * CPS_ERR_INVALID: the number is empty, malformed or fails its check digit
 * (the message says which), the country is unknown, or norm is NULL or
 * shorter than needed (CPS_IDENT_MAX is always enough).  On any failure a
 * non-NULL norm with normlen > 0 is set to "". */
enum cps_err cps_ident_check(const char *country, const char *input,
			     char *norm, size_t normlen,
			     struct cps_error *err);

/* The local name of the business identifier, for labels, translated:
 * "CVR number" (DK), "organisation number" (NO, SE), "Business ID
 * (Y-tunnus)" (FI), "VAT number" (any other country, or NULL). */
const char *cps_ident_name(const char *country);

/* Checks an e-mail address: surrounding white space is trimmed; then one @,
 * something before it, a domain after it with a dot (no empty part between
 * dots), no spaces or control characters, at most 254 bytes.  Liberal
 * otherwise: any UTF-8 is accepted.  norm gets the address with its domain
 * in lower case (the part before the @ is kept as typed).
 * CPS_ERR_INVALID with a message otherwise, or when norm is NULL or too
 * short (CPS_EMAIL_MAX is always enough). */
enum cps_err cps_ident_email(const char *input, char *norm, size_t len,
			     struct cps_error *err);

/* Checks a phone number (an optional field): digits, spaces, dashes, dots,
 * brackets and a leading +.  norm gets "+" and the digits for an
 * international number ("+45 12 34 56 78" -> "+4512345678"; the "(0)" of
 * "+44 (0)20 ..." is dropped), or only the digits for a number without +.
 * 6 to 15 digits (E.164).  Empty or blank input is CPS_OK with norm "".
 * CPS_ERR_INVALID with a message otherwise, or when norm is NULL or too
 * short (CPS_PHONE_MAX is always enough). */
enum cps_err cps_ident_phone(const char *input, char *norm, size_t len,
			     struct cps_error *err);

#endif
