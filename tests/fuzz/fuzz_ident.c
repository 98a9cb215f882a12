/* fuzz_ident.c - the business identifier check (cps_ident_check) of every
 * country it knows, and a few it does not, on one input.
 *
 * Properties: the result is OK or INVALID; on OK the normalised form fits
 * CPS_IDENT_MAX and checking it again gives itself (a stored number stays
 * valid); on failure norm is "".  A short buffer of the input's choosing
 * must never be overrun (it is allocated to the byte, so ASan sees it). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/ident.h"
#include "fuzz.h"

static const char *const countries[] = {
	"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL", "GR",
	"ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
	"MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
	"dk", "no", "XX", "", "D", "DKK"
};

static void check_one(const char *country, const char *input, size_t normlen)
{
	struct cps_error err = { 0 };
	char *norm = malloc(normlen ? normlen : 1);
	enum cps_err rc;

	if (!norm)
		return;
	rc = cps_ident_check(country, input, norm, normlen, &err);
	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
	FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (rc == CPS_OK) {
		char again[CPS_IDENT_MAX];
		struct cps_error e2 = { 0 };

		FZ_ASSERT(memchr(norm, '\0', normlen) != NULL);
		FZ_ASSERT(strlen(norm) < CPS_IDENT_MAX);
		FZ_ASSERT(cps_ident_check(country, norm, again, sizeof(again), &e2) == CPS_OK);
		FZ_ASSERT(strcmp(again, norm) == 0);
	} else if (normlen) {
		FZ_ASSERT(norm[0] == '\0');
	}
	(void)cps_ident_name(country);
	free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);

	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		check_one(countries[i], s, CPS_IDENT_MAX);
	/* "CC:number" picks the country itself; a third byte the buffer */
	if (size >= 3 && s[2] == ':') {
		char cc[3] = { s[0], s[1], '\0' };

		check_one(cc, s + 3, CPS_IDENT_MAX);
		check_one(cc, s + 3, size > 3 ? (size_t)(unsigned char)s[3] % (CPS_IDENT_MAX + 1) : 0);
	}
	free(s);
	return 0;
}
