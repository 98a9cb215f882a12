/* fuzz_date.c - the best-guess purchase date of a product
 * (cps_purchase_date_parse) and its rules against the engine's clock and a
 * release year (cps_purchase_date_check).
 *
 * Properties: a read date is "" or YYYY, YYYY-MM or YYYY-MM-DD as its
 * precision says, and reading it again gives itself; a date the rules
 * accept is one the parser reads the same way. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/product.h"
#include "fuzz.h"

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void shape(const char *d, enum cps_date_precision p)
{
	size_t n = strlen(d);

	switch (p) {
	case CPS_DATE_NONE:
		FZ_ASSERT(n == 0);
		break;
	case CPS_DATE_YEAR:
		FZ_ASSERT(n == 4 && digits(d, 4));
		break;
	case CPS_DATE_MONTH:
		FZ_ASSERT(n == 7 && digits(d, 4) && d[4] == '-' && digits(d + 5, 2));
		break;
	case CPS_DATE_DAY:
		FZ_ASSERT(n == 10 && digits(d, 4) && d[4] == '-' && digits(d + 5, 2) &&
			  d[7] == '-' && digits(d + 8, 2));
		break;
	default:
		FZ_ASSERT(!"a known precision");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[CPS_DATE_SIZE], again[CPS_DATE_SIZE], checked[CPS_DATE_SIZE];
	enum cps_date_precision p, p2, p3;
	struct cps_error err = { 0 };
	int release_year;
	char *s;

	if (size > 4096)
		return 0;
	/* the first byte picks a release year around the dates people type */
	release_year = size ? 1980 + data[0] % 64 : 0;
	s = fz_cstr(size ? data + 1 : data, size ? size - 1 : 0);
	if (cps_purchase_date_parse(s, out, sizeof(out), &p, &err) == CPS_OK) {
		shape(out, p);
		FZ_ASSERT(cps_purchase_date_parse(out, again, sizeof(again), &p2, &err) == CPS_OK);
		FZ_ASSERT(p2 == p && strcmp(again, out) == 0);
	} else {
		FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		p = CPS_DATE_NONE;
		out[0] = '\0';
	}
	if (cps_purchase_date_check(fz_engine(), release_year, s, checked,
				    sizeof(checked), &p3, &err) == CPS_OK) {
		FZ_ASSERT(p3 == p && strcmp(checked, out) == 0);
	}
	free(s);
	return 0;
}
