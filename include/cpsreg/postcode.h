/* postcode.h - a postcode checked by its country's format (the countries
 * CPS serves: DK, NO, FI and the others of assets/countries.csv), with the
 * normal form stored ("12345" in Sweden is "123 45") and a hint that shows
 * what one looks like.  Offline and by shape only: a postcode of the right
 * form that the post does not use is not caught. */
#ifndef CPSREG_POSTCODE_H
#define CPSREG_POSTCODE_H

#include <stddef.h>

#include "cpsreg/err.h"

/* The longest normal form, NUL included. */
#define CPS_POSTCODE_MAX 16

/* Checks postcode in (trimmed, any case, a "DK-" style prefix of the
 * country allowed) for country (ISO 3166-1 alpha-2; "" or a country
 * without a rule here: letters, digits, spaces and dashes).  CPS_OK with
 * the normal form in out (outlen bytes); CPS_ERR_INVALID with a message
 * that gives the country's form and an example, naming the country as
 * country_name (NULL: its code). */
enum cps_err cps_postcode_check(const char *country, const char *country_name,
				const char *in, char *out, size_t outlen,
				struct cps_error *err);

/* An example postcode of country ("2100" for DK, "SW1A 1AA" for GB), or
 * NULL when there is no rule for it. */
const char *cps_postcode_example(const char *country);

#endif
