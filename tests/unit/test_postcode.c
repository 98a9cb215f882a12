/* test_postcode.c - postcodes by their country's format: the normal form
 * of each served country, the forms refused with a message giving an
 * example, the country's letter prefix, and the countries without a rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpsreg/postcode.h"

static void good(const char *country, const char *in, const char *want)
{
	char out[CPS_POSTCODE_MAX];
	struct cps_error err = { 0 };

	if (cps_postcode_check(country, NULL, in, out, sizeof(out), &err) != CPS_OK)
		fail_msg("%s \"%s\" refused: %s", country, in, err.msg);
	if (strcmp(out, want) != 0)
		fail_msg("%s \"%s\" gave \"%s\", not \"%s\"", country, in, out, want);
}

static void bad(const char *country, const char *in, const char *part)
{
	char out[CPS_POSTCODE_MAX] = "x";
	struct cps_error err = { 0 };

	if (cps_postcode_check(country, "Testland", in, out, sizeof(out), &err) != CPS_ERR_INVALID)
		fail_msg("%s \"%s\" taken as \"%s\"", country, in, out);
	assert_string_equal(out, "");
	if (!strstr(err.msg, part))
		fail_msg("%s \"%s\": \"%s\" lacks \"%s\"", country, in, err.msg, part);
}

static void test_nordic(void **state)
{
	(void)state;
	good("DK", "2100", "2100");
	good("DK", "DK-2100", "2100");
	good("NO", "0150", "0150");
	good("NO", " 0150 ", "0150");
	good("FI", "00100", "00100");
	good("SE", "11351", "113 51");
	good("SE", "113 51", "113 51");
	good("SE", "SE-113 51", "113 51");
	bad("DK", "210", "A postcode in Testland has 4 digits, such as 2100.");
	bad("DK", "21000", "4 digits");
	bad("NO", "O150", "4 digits");        /* a letter O for a zero */
	bad("FI", "0010", "5 digits, such as 00100");
	bad("SE", "1135", "is written like 113 51");
	bad("SE", "113 5A", "113 51");
}

static void test_gb(void **state)
{
	(void)state;
	good("GB", "SW1A 1AA", "SW1A 1AA");
	good("GB", "sw1a1aa", "SW1A 1AA");
	good("GB", "M1 1AE", "M1 1AE");
	good("GB", "B33 8TH", "B33 8TH");
	good("GB", "CR2 6XH", "CR2 6XH");
	good("GB", "DN55 1PT", "DN55 1PT");
	good("GB", "W1A 0AX", "W1A 0AX");
	bad("GB", "SW1A", "is written like SW1A 1AA");
	bad("GB", "1AA SW1", "SW1A 1AA");
	bad("GB", "SW1A 1A1", "SW1A 1AA");
	bad("GB", "SWAA 1AA", "SW1A 1AA");
}

static void test_others(void **state)
{
	(void)state;
	good("NL", "1012ab", "1012 AB");
	good("PL", "00950", "00-950");
	good("PT", "1100-148", "1100-148");
	good("CZ", "11000", "110 00");
	good("DE", "D-10115", "10115");
	good("LU", "L-1160", "1160");
	good("IE", "d02x285", "D02 X285");
	bad("NL", "1012", "1012 AB");
	bad("DE", "1011", "5 digits");
	bad("AT", "10100", "4 digits");
	bad("PL", "0095", "00-950");
	/* every served country has an example that passes its own check */
	static const char *const served[] = { "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR",
					      "GB", "HU", "IE", "IT", "LU", "NL", "NO", "PL", "PT",
					      "SE", "SK" };
	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		const char *ex = cps_postcode_example(served[i]);
		assert_non_null(ex);
		good(served[i], ex, ex);
	}
}

static void test_no_rule(void **state)
{
	(void)state;
	/* no country yet, or one without a rule: the characters only */
	assert_null(cps_postcode_example("XK"));
	good("", "ab-12 3", "AB-12 3");
	good("XK", "10000", "10000");
	bad("", "12#4", "only letters, digits, spaces and dashes");
	bad("XK", "1\xc3\xa5", "only letters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nordic),
		cmocka_unit_test(test_gb),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_no_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
