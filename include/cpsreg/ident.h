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
 * Accepted: spaces, dots, dashes and brackets between the characters, the
 * country prefix, lower case, full-width digits and letters (folded to
 * ASCII), and a line end pasted with the number.  '/' and ',' are refused.
 *
 * On CPS_OK, norm holds the VAT form: the VAT prefix and the number without
 * separators, e.g. "DK13585628", "NO988077917MVA", "SE556036079301",
 * "FI20774740", "GB980780684", "EL123456789", "CHE123456788".
 * Every CPS country (AT BE CZ DK FI FR DE HU IE IT LU NL NO PL PT SK ES SE
 * GB CH) is checked down to its check digits by the rule its authority
 * publishes; the other EU countries (BG CY EE EL HR LT LV MT RO SI) by the
 * VIES format only.  Particular cases:
 *  - SE: a sole trader's organisation number is their personnummer (or
 *    samordningsnummer): accepted when its first six digits are a date;
 *    the 12-digit forms with the century (19, 20, or 16 for a company) in
 *    front are understood; the VAT form adds 01.
 *  - GB: XI in front (Northern Ireland) is accepted and kept: "XI980780684".
 *  - CH: MWST, TVA, IVA or TPV after the number is dropped; CHE is added
 *    when left out.
 *
 * CPS_ERR_INVALID: the number is empty, malformed or fails its check digit
 * (the message says which, naming the number as cps_ident_name does), the
 * country is unknown, or norm is NULL or shorter than needed
 * (CPS_IDENT_MAX is always enough).  On any failure a non-NULL norm with
 * normlen > 0 is set to "". */
enum cps_err cps_ident_check(const char *country, const char *input,
			     char *norm, size_t normlen,
			     struct cps_error *err);

/* The same as cps_ident_check, except that a check digit that does not
 * match is let through: the format (length, letters, prefix, suffix) is
 * still checked and norm gets the same normal form.  For a number staff
 * accept although its check digit fails. */
enum cps_err cps_ident_format(const char *country, const char *input,
			      char *norm, size_t normlen,
			      struct cps_error *err);

/* The country's own word for the business identifier, for labels and
 * messages, translated: "CVR number" (DK), "organisation number" (NO, SE),
 * "Business ID (Y-tunnus)" (FI), "UID number" (CH), "VAT number (UID)"
 * (AT), "VAT number (NIF)" (ES, PT) and so on for each CPS country;
 * "VAT number" for GB, IE, the other countries, or NULL. */
const char *cps_ident_name(const char *country);

/* A hint for the form field, translated, in buf (len bytes): what the
 * number looks like with a valid example, and who has which number where
 * that helps, e.g. for SE "10 digits, like 556036-0793. A sole trader uses
 * their personnummer."  Short enough for one line of an 80-column screen
 * (78 columns) in every language.  "" for an unknown country.
 * Returns buf (or "" when buf is NULL or len is 0). */
const char *cps_ident_hint(const char *country, char *buf, size_t len);

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
