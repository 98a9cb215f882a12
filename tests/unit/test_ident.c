/* test_ident.c - unit tests of the identifier, e-mail and phone checks
 * (src/ident.c): the public examples of README, rules 9, every accepted
 * spelling, the wording of every refusal, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cpsreg/err.h"
#include "cpsreg/ident.h"

/* --- helpers ------------------------------------------------------------ */

static void ok_ident(const char *cc, const char *in, const char *want)
{
	char norm[CPS_IDENT_MAX];
	struct cps_error err = { 0 };
	enum cps_err rc;

	memset(norm, 'x', sizeof(norm));
	rc = cps_ident_check(cc, in, norm, sizeof(norm), &err);
	if (rc != CPS_OK)
		fail_msg("%s \"%s\": refused: %s", cc ? cc : "(null)",
			 in ? in : "(null)", err.msg);
	if (strcmp(norm, want) != 0)
		fail_msg("%s \"%s\": got \"%s\", want \"%s\"", cc, in, norm,
			 want);
}

/* Refused, with a message containing each of the (up to two) words. */
static void bad_ident(const char *cc, const char *in, const char *w1,
		      const char *w2)
{
	const char *ccs = cc ? cc : "(null)", *ins = in ? in : "(null)";
	char norm[CPS_IDENT_MAX];
	struct cps_error err = { 0 };
	enum cps_err rc;

	memset(norm, 'x', sizeof(norm));
	rc = cps_ident_check(cc, in, norm, sizeof(norm), &err);
	if (rc != CPS_ERR_INVALID)
		fail_msg("%s \"%s\": rc %d, want CPS_ERR_INVALID (norm \"%.*s\")",
			 ccs, ins, (int)rc, (int)sizeof(norm) - 1, norm);
	assert_int_equal(err.code, CPS_ERR_INVALID);
	assert_int_equal(norm[0], '\0');
	if (w1 && !strstr(err.msg, w1))
		fail_msg("%s \"%s\": message \"%s\" lacks \"%s\"", ccs, ins,
			 err.msg, w1);
	if (w2 && !strstr(err.msg, w2))
		fail_msg("%s \"%s\": message \"%s\" lacks \"%s\"", ccs, ins,
			 err.msg, w2);
}

static void bad_check_digit(const char *cc, const char *in)
{
	bad_ident(cc, in, "check digit does not match", "typos");
}

static void ok_email(const char *in, const char *want)
{
	char norm[CPS_EMAIL_MAX];
	struct cps_error err = { 0 };

	if (cps_ident_email(in, norm, sizeof(norm), &err) != CPS_OK)
		fail_msg("e-mail \"%s\": refused: %s", in, err.msg);
	assert_string_equal(norm, want);
}

static void bad_email(const char *in, const char *w1, const char *w2)
{
	char norm[CPS_EMAIL_MAX];
	struct cps_error err = { 0 };

	memset(norm, 'x', sizeof(norm));
	if (cps_ident_email(in, norm, sizeof(norm), &err) != CPS_ERR_INVALID)
		fail_msg("e-mail \"%s\": accepted as \"%s\"", in, norm);
	assert_int_equal(norm[0], '\0');
	if (w1 && !strstr(err.msg, w1))
		fail_msg("e-mail \"%s\": message \"%s\" lacks \"%s\"", in,
			 err.msg, w1);
	if (w2 && !strstr(err.msg, w2))
		fail_msg("e-mail \"%s\": message \"%s\" lacks \"%s\"", in,
			 err.msg, w2);
}

static void ok_phone(const char *in, const char *want)
{
	char norm[CPS_PHONE_MAX];
	struct cps_error err = { 0 };

	memset(norm, 'x', sizeof(norm));
	if (cps_ident_phone(in, norm, sizeof(norm), &err) != CPS_OK)
		fail_msg("phone \"%s\": refused: %s", in ? in : "(null)",
			 err.msg);
	assert_string_equal(norm, want);
}

static void bad_phone(const char *in, const char *w1, const char *w2)
{
	char norm[CPS_PHONE_MAX];
	struct cps_error err = { 0 };

	memset(norm, 'x', sizeof(norm));
	if (cps_ident_phone(in, norm, sizeof(norm), &err) != CPS_ERR_INVALID)
		fail_msg("phone \"%s\": accepted as \"%s\"", in, norm);
	assert_int_equal(norm[0], '\0');
	if (w1 && !strstr(err.msg, w1))
		fail_msg("phone \"%s\": message \"%s\" lacks \"%s\"", in,
			 err.msg, w1);
	if (w2 && !strstr(err.msg, w2))
		fail_msg("phone \"%s\": message \"%s\" lacks \"%s\"", in,
			 err.msg, w2);
}

/* --- Denmark ------------------------------------------------------------ */

static void test_dk_spellings(void **state)
{
	static const char *const in[] = {
		"13585628", "DK13585628", "dk 13 58 56 28", "DK 13 58 56 28",
		"13.58.56.28", "13-58-56-28", "13/58/56/28", "  dk-13585628  ",
		"\t13585628\t", "Dk13585628", "13\xc2\xa0" "58\xc2\xa0" "56 28",
		"13\xe2\x80\x93" "58\xe2\x80\x93" "5628",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ok_ident("DK", in[i], "DK13585628");
		ok_ident("dk", in[i], "DK13585628");
	}
}

static void test_dk_refused(void **state)
{
	(void)state;
	bad_check_digit("DK", "13585627");
	bad_check_digit("DK", "DK 13 58 56 27");
	bad_ident("DK", "1358562", "8 digits", "entered: 7");
	bad_ident("DK", "135856280", "8 digits", "entered: 9");
	bad_ident("DK", "03585628", "start with 0", NULL);
	bad_ident("DK", "1358562O", "letter O", "CVR number");
	bad_ident("DK", "DK1358A628", "letter A", NULL);
	bad_ident("DK", "1358+5628", "cannot contain \"+\"", NULL);
	bad_ident("DK", "1358#5628", "cannot contain \"#\"", NULL);
}

/* --- Norway ------------------------------------------------------------- */

static void test_no(void **state)
{
	static const char *const in[] = {
		"988077917", "NO 988 077 917 MVA", "no988077917mva",
		"988 077 917 MVA", "988.077.917", "NO988077917", " 988077917mva ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("NO", in[i], "NO988077917MVA");
	bad_check_digit("NO", "988077918");
	bad_check_digit("NO", "NO 988 077 918 MVA");
	/* 98807795x: 11 - (sum mod 11) is 10, no check digit fits */
	bad_check_digit("NO", "988077950");
	bad_ident("NO", "98807791", "9 digits", "entered: 8");
	bad_ident("NO", "988O77917", "letter O", "organisation number");
	bad_ident("NO", "988077917MVB", "letter M", NULL);
}

/* --- Sweden ------------------------------------------------------------- */

static void test_se(void **state)
{
	static const char *const in[] = {
		"5560360793", "556036-0793", "SE556036079301",
		"se 556036-0793 01", "SE 5560360793", "556036 0793",
		"556036079301",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("SE", in[i], "SE556036079301");
	bad_check_digit("SE", "5560360794");
	bad_ident("SE", "556036079302", "followed by 01", NULL);
	bad_ident("SE", "556036079", "10 digits", "entered: 9");
	/* Luhn-valid, but digits 3-4 are a month: a person, not a company */
	bad_ident("SE", "811218-9876", "personal identity number", "20");
}

/* --- Finland ------------------------------------------------------------ */

static void test_fi(void **state)
{
	static const char *const in[] = {
		"2077474-0", "FI 2077474-0", "FI20774740", "20774740",
		"fi2077474-0", "2077474 0",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("FI", in[i], "FI20774740");
	bad_check_digit("FI", "2077474-1");
	bad_check_digit("FI", "FI20774741");
	/* remainder 1: no check digit is valid */
	bad_check_digit("FI", "2077488-0");
	bad_ident("FI", "207747-0", "7 digits", "entered: 7");
	bad_ident("FI", "2077474-X", "letter X", "Y-tunnus");
}

/* --- United Kingdom ----------------------------------------------------- */

static void test_gb(void **state)
{
	static const char *const in[] = {
		"980780684", "GB 980 7806 84", "gb980780684", "980 7806 84",
		"GB980780684",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("GB", in[i], "GB980780684");
	ok_ident("gb", "GB 980 7806 84 001", "GB980780684001");
	ok_ident("GB", "GBGD001", "GBGD001");
	ok_ident("GB", "gd 499", "GBGD499");
	ok_ident("GB", "GB HA500", "GBHA500");
	/* the newer numbers use the variant with 55 added */
	ok_ident("GB", "100 0000 34", "GB100000034");
	bad_check_digit("GB", "802311781");
	bad_ident("GB", "GD500", "GD", "000 to 499");
	bad_ident("GB", "HA499", "HA", "500");
	bad_ident("GB", "98078068", "9 digits", "entered: 8");
	bad_ident("GB", "9807806840", "9 digits", "entered: 10");
	bad_ident("GB", "98078O684", "letter O", NULL);
}

/* --- the other countries ------------------------------------------------ */

static void test_vies_formats(void **state)
{
	(void)state;
	ok_ident("AT", "ATU12345678", "ATU12345678");
	ok_ident("at", "u 123 456 78", "ATU12345678");
	bad_ident("AT", "12345678", "letter U", "ATU12345678");
	ok_ident("BG", "BG 123456789", "BG123456789");
	ok_ident("BG", "1234567890", "BG1234567890");
	bad_ident("BG", "12345678", "9 or 10 digits", "entered: 8");
	ok_ident("CY", "CY 12345678X", "CY12345678X");
	bad_ident("CY", "123456789", "8 digits and a letter", NULL);
	ok_ident("CZ", "CZ12345678", "CZ12345678");
	ok_ident("CZ", "1234567890", "CZ1234567890");
	ok_ident("EE", "EE123456789", "EE123456789");
	ok_ident("ES", "ES X1234567X", "ESX1234567X");
	ok_ident("ES", "a12345678", "ESA12345678");
	ok_ident("ES", "12345678Z", "ES12345678Z");
	bad_ident("ES", "XX123456X", "7 digits", NULL);
	ok_ident("FR", "FR 40 303 265 045", "FR40303265045");
	ok_ident("FR", "40303265045", "FR40303265045");
	ok_ident("FR", "K7 399859412", "FRK7399859412");
	/* a French number may itself start with the letters FR */
	ok_ident("FR", "FR399859412", "FRFR399859412");
	ok_ident("FR", "FRFR399859412", "FRFR399859412");
	ok_ident("HR", "HR12345678901", "HR12345678901");
	ok_ident("HU", "HU12345678", "HU12345678");
	ok_ident("IE", "IE 1234567WA", "IE1234567WA");
	ok_ident("IE", "1234567t", "IE1234567T");
	ok_ident("IE", "1+23456A", "IE1+23456A");
	ok_ident("IE", "8Z49289F", "IE8Z49289F");
	bad_ident("IE", "12345678", "7 digits and one or two letters", NULL);
	ok_ident("IT", "IT 123 456 789 01", "IT12345678901");
	ok_ident("LT", "LT123456789", "LT123456789");
	ok_ident("LT", "123456789012", "LT123456789012");
	bad_ident("LT", "1234567890", "9 or 12 digits", "entered: 10");
	ok_ident("LU", "LU12345678", "LU12345678");
	ok_ident("LV", "LV12345678901", "LV12345678901");
	ok_ident("MT", "MT12345678", "MT12345678");
	ok_ident("PL", "PL 123-456-78-90", "PL1234567890");
	ok_ident("PT", "PT123456789", "PT123456789");
	ok_ident("RO", "RO 18", "RO18");
	ok_ident("RO", "1234567890", "RO1234567890");
	bad_ident("RO", "1", "2 to 10 digits", NULL);
	bad_ident("RO", "12345678901", "2 to 10 digits", NULL);
	ok_ident("SI", "SI12345678", "SI12345678");
	ok_ident("SK", "SK1234567890", "SK1234567890");
	bad_ident("PL", "PL12345678A0", "letter A", NULL);
}

static void test_greece_and_switzerland(void **state)
{
	(void)state;
	ok_ident("GR", "123456789", "EL123456789");
	ok_ident("EL", "EL 123 456 789", "EL123456789");
	ok_ident("gr", "gr123456789", "EL123456789");
	ok_ident("el", "GR-123456789", "EL123456789");
	bad_ident("GR", "12345678", "9 digits", "entered: 8");
	ok_ident("CH", "CHE-116.281.710 MWST", "CHE116281710");
	ok_ident("CH", "che116281710tva", "CHE116281710");
	ok_ident("CH", "CHE 116 281 710 IVA", "CHE116281710");
	ok_ident("CH", "116.281.710", "CHE116281710");
	ok_ident("ch", "CH 116281710", "CHE116281710");
	bad_ident("CH", "CHE-116.281.71", "CHE and 9 digits", "entered: 8");
}

/* Belgium, Germany and the Netherlands carry check digits we verify. */
static void test_check_digits_be_de_nl(void **state)
{
	(void)state;
	ok_ident("BE", "BE 0428.759.497", "BE0428759497");
	ok_ident("BE", "428759497", "BE0428759497");       /* old 9-digit */
	ok_ident("BE", "BE(0)428759497", "BE0428759497");
	ok_ident("BE", "0417 497 106", "BE0417497106");
	bad_check_digit("BE", "BE0431150351");
	bad_ident("BE", "2428759497", "starting with 0 or 1", NULL);
	ok_ident("DE", "DE 136 695 976", "DE136695976");
	ok_ident("DE", "de136,695,976", "DE136695976");
	ok_ident("DE", "129430206", "DE129430206");
	ok_ident("DE", "811167738", "DE811167738");
	/* 11 - product is 10, which stands for check digit 0 */
	ok_ident("DE", "136695950", "DE136695950");
	bad_check_digit("DE", "136695978");
	bad_ident("DE", "13669597", "9 digits", "entered: 8");
	ok_ident("NL", "NL004495445B01", "NL004495445B01");
	ok_ident("NL", "004495445b01", "NL004495445B01");
	ok_ident("NL", "NL 0073.03.907.B.01", "NL007303907B01");
	ok_ident("NL", "813086188B01", "NL813086188B01");
	/* the newer mod 97 kind (its mod 11 check does not hold) */
	ok_ident("NL", "NL123456789B13", "NL123456789B13");
	bad_check_digit("NL", "NL123456789B14");
	bad_check_digit("NL", "004495446B01");
	bad_ident("NL", "004495445", "letter B", "NL123456782B01");
}

/* --- what any country gets -------------------------------------------- */

static void test_foreign_prefix(void **state)
{
	(void)state;
	bad_ident("DK", "SE556036079301", "starts with SE", "another country");
	bad_ident("NO", "DK13585628", "starts with DK", "another country");
	bad_ident("DE", "ATU12345678", "starts with AT", NULL);
	bad_ident("FI", "EL123456789", "starts with EL", NULL);
	bad_ident("SE", "GR123456789", "starts with GR", NULL);
}

static void test_unknown_country(void **state)
{
	char norm[CPS_IDENT_MAX];

	(void)state;
	bad_ident("US", "123456789", "Unknown country US", NULL);
	bad_ident("xx", "123456789", "Unknown country XX", NULL);
	bad_ident(NULL, "13585628", "country", NULL);
	bad_ident("", "13585628", "country", NULL);
	bad_ident("DNK", "13585628", "country", NULL);
	bad_ident("D1", "13585628", "country", NULL);
	bad_ident("D", "13585628", "country", NULL);
	bad_ident("\xc3\x85X", "13585628", "country", NULL);
	/* err may be NULL */
	assert_int_equal(cps_ident_check("US", "1", norm, sizeof(norm), NULL),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_ident_check("DK", "13585628", norm, sizeof(norm),
					 NULL), CPS_OK);
}

static void test_empty(void **state)
{
	(void)state;
	bad_ident("DK", "", "Please enter the CVR number", NULL);
	bad_ident("DK", NULL, "Please enter", NULL);
	bad_ident("NO", "   ", "Please enter the organisation number", NULL);
	bad_ident("FI", " - ", "Please enter the Business ID", NULL);
	bad_ident("DE", "\t", "Please enter the VAT number", NULL);
	bad_ident("DK", "DK", "after the country prefix DK", NULL);
	bad_ident("CH", "CHE-", "after the country prefix CHE", NULL);
}

static void test_overlong(void **state)
{
	char in[512];

	(void)state;
	memset(in, '1', 200);
	in[200] = '\0';
	bad_ident("DK", in, "too long", NULL);
	bad_ident("AT", in, "too long", NULL);
	/* long, but mostly separators */
	memset(in, ' ', 200);
	memcpy(in + 100, "13585628", 8);
	ok_ident("DK", in, "DK13585628");
	/* more than any input we look at */
	memset(in, ' ', 511);
	in[511] = '\0';
	bad_ident("DK", in, "too long", NULL);
	/* 33 digits: one more than the parser keeps */
	memset(in, '9', 33);
	in[33] = '\0';
	bad_ident("GB", in, "too long", NULL);
}

static void test_non_ascii_and_controls(void **state)
{
	(void)state;
	bad_ident("DK", "13585628\xc3\xa9", "does not belong", "A-Z");
	/* full-width digits look like digits but are not */
	bad_ident("DK", "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x98",
		  "does not belong", NULL);
	bad_ident("NO", "988\xc3\x98" "77917", "does not belong", NULL);
	/* broken UTF-8 */
	bad_ident("DK", "1358\xff" "5628", "does not belong", NULL);
	bad_ident("DK", "1358\xc3", "does not belong", NULL);
	bad_ident("DK", "1358\x01" "5628", "control character", NULL);
	bad_ident("DK", "1358\x1b[2J5628", "control character", NULL);
	bad_ident("DK", "1358\x7f" "5628", "control character", NULL);
	/* zero-width space pasted from a web page */
	bad_ident("DK", "1358\xe2\x80\x8b" "5628", "invisible", NULL);
	/* the bidi isolates and U+061C of the engine's one list (text.h) */
	bad_ident("DK", "1358\xe2\x81\xa6" "5628", "invisible", NULL);
	bad_ident("DK", "1358\xd8\x9c" "5628", "invisible", NULL);
}

static void test_norm_buffer(void **state)
{
	char buf[32];
	struct cps_error err = { 0 };

	(void)state;
	/* NULL buffer */
	assert_int_equal(cps_ident_check("DK", "13585628", NULL, 0, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no room"));
	assert_int_equal(cps_ident_check("DK", "13585628", NULL, 20, &err),
			 CPS_ERR_INVALID);
	/* exactly enough: "DK13585628" and the NUL */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(cps_ident_check("DK", "13585628", buf, 11, &err),
			 CPS_OK);
	assert_string_equal(buf, "DK13585628");
	assert_int_equal(buf[11], '#');
	/* one short: refused, emptied, nothing written past the end */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(cps_ident_check("DK", "13585628", buf, 10, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "11 bytes needed"));
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[10], '#');
	/* zero length: not touched at all */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(cps_ident_check("DK", "13585628", buf, 0, &err),
			 CPS_ERR_INVALID);
	assert_int_equal(buf[0], '#');
	/* a bad number still says what is wrong with the number */
	assert_int_equal(cps_ident_check("DK", "13585627", NULL, 0, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "check digit"));
	/* the longest forms fit CPS_IDENT_MAX */
	ok_ident("NO", "988077917", "NO988077917MVA");
	ok_ident("GB", "980780684001", "GB980780684001");
	ok_ident("LT", "123456789012", "LT123456789012");
}

static void test_name(void **state)
{
	(void)state;
	assert_string_equal(cps_ident_name("DK"), "CVR number");
	assert_string_equal(cps_ident_name("dk"), "CVR number");
	assert_string_equal(cps_ident_name("NO"), "organisation number");
	assert_string_equal(cps_ident_name("se"), "organisation number");
	assert_string_equal(cps_ident_name("FI"), "Business ID (Y-tunnus)");
	assert_string_equal(cps_ident_name("GB"), "VAT number");
	assert_string_equal(cps_ident_name("DE"), "VAT number");
	assert_string_equal(cps_ident_name("GR"), "VAT number");
	assert_string_equal(cps_ident_name("DKK"), "VAT number");
	assert_string_equal(cps_ident_name(""), "VAT number");
	assert_string_equal(cps_ident_name(NULL), "VAT number");
}

/* --- e-mail ------------------------------------------------------------- */

static void test_email_ok(void **state)
{
	char in[300];

	(void)state;
	ok_email("ola.nordmann@example.com", "ola.nordmann@example.com");
	ok_email("Ola.Nordmann@Example.COM", "Ola.Nordmann@example.com");
	ok_email("  anna+cps@foto.dk \t\r\n", "anna+cps@foto.dk");
	ok_email("\xc2\xa0" "x@y.no\xc2\xa0", "x@y.no");
	ok_email("o'brien@shop.co.uk", "o'brien@shop.co.uk");
	ok_email("kari@bl\xc3\xb8tekake.no", "kari@bl\xc3\xb8tekake.no");
	ok_email("J\xc3\xb8rgen@EX-AMPLE.DK", "J\xc3\xb8rgen@ex-ample.dk");
	/* exactly 254 */
	memset(in, 'a', 254);
	memcpy(in + 240, "@example.com", 12);
	memset(in + 252, 'z', 2);
	in[254] = '\0';
	ok_email(in, in);
}

static void test_email_refused(void **state)
{
	char in[300];

	(void)state;
	bad_email("", "Please enter", NULL);
	bad_email(NULL, "Please enter", NULL);
	bad_email("   \t ", "Please enter", NULL);
	bad_email("ola.example.com", "needs an @", NULL);
	bad_email("ola@foto@example.com", "only one @", NULL);
	bad_email("@example.com", "before the @", NULL);
	bad_email("ola@", "after the @ is missing", NULL);
	bad_email("ola\xe2\x81\xa7@example.com", "invisible", NULL);
	bad_email("ola@localhost", "needs a dot", NULL);
	bad_email("ola@.example.com", "dot in the wrong place", NULL);
	bad_email("ola@example.com.", "dot in the wrong place", NULL);
	bad_email("ola@example..com", "two dots", NULL);
	bad_email("ola nordmann@example.com", "spaces", NULL);
	bad_email("ola@example .com", "spaces", NULL);
	bad_email("ola\xc2\xa0nordmann@example.com", "spaces", NULL);
	bad_email("ola@exa\x01mple.com", "control", NULL);
	bad_email("ola\x1b[31m@example.com", "control", NULL);
	bad_email("ola@example.com\x7f", "control", NULL);
	bad_email("ola\xe2\x80\x8b@example.com", "invisible", NULL);
	bad_email("ola\xc2\x85@example.com", "invisible", NULL);
	bad_email("\xff@example.com", "not valid text", NULL);
	bad_email("ola@example.c\xc3", "not valid text", NULL);
	bad_email("ola@\xed\xa0\x80.com", "not valid text", NULL);
	bad_email("ola@\xc0\xae.com", "not valid text", NULL);
	bad_email("ola@example,com", "cannot contain \",\"", NULL);
	bad_email("ola@exam_ple.com", "cannot contain \"_\"", NULL);
	bad_email("Ola <ola@example.com>", "spaces", NULL);
	/* 255 */
	memset(in, 'a', 255);
	memcpy(in + 241, "@example.com", 12);
	in[255] = '\0';
	bad_email(in, "too long", "254");
}

static void test_email_buffer(void **state)
{
	char buf[32];
	struct cps_error err = { 0 };

	(void)state;
	assert_int_equal(cps_ident_email("a@b.co", NULL, 0, &err),
			 CPS_ERR_INVALID);
	memset(buf, '#', sizeof(buf));
	assert_int_equal(cps_ident_email("a@b.co", buf, 6, &err),
			 CPS_ERR_INVALID);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[6], '#');
	assert_int_equal(cps_ident_email("a@b.co", buf, 7, &err), CPS_OK);
	assert_string_equal(buf, "a@b.co");
	assert_int_equal(cps_ident_email("x", buf, 7, NULL), CPS_ERR_INVALID);
}

/* --- phone -------------------------------------------------------------- */

static void test_phone_ok(void **state)
{
	(void)state;
	ok_phone("+45 12 34 56 78", "+4512345678");
	ok_phone("+47 22-33.44.55", "+4722334455");
	ok_phone("(+47) 22 33 44 55", "+4722334455");
	ok_phone("+44 (0)20 7946 0958", "+442079460958");
	ok_phone("+44 (20) 7946 0958", "+442079460958");
	ok_phone("(020) 7946 0958", "02079460958");
	ok_phone("030/1234567", "0301234567");
	ok_phone("  12 34 56 78  ", "12345678");
	ok_phone("0045 12345678", "004512345678");
	ok_phone("+45\xc2\xa0" "12\xe2\x80\x93" "34 56 78", "+4512345678");
	ok_phone("123456", "123456");
	ok_phone("+123456789012345", "+123456789012345");
	/* optional field: blank is fine */
	ok_phone("", "");
	ok_phone("   \t", "");
	ok_phone(NULL, "");
}

static void test_phone_refused(void **state)
{
	char in[400];

	(void)state;
	bad_phone("12345", "at least 6", "entered: 5");
	bad_phone("+", "at least 6", "entered: 0");
	bad_phone("--", "at least 6", NULL);
	bad_phone("+1234567890123456", "at most 15", "entered: 16");
	bad_phone("+45 12 34 56 7a", "cannot contain \"a\"", NULL);
	bad_phone("12345678 ext. 12", "cannot contain \"e\"", NULL);
	bad_phone("45+12345678", "start", NULL);
	bad_phone("++4512345678", "start", NULL);
	bad_phone("(12 345678", "not closed", NULL);
	bad_phone("12) 345678", "closing bracket", NULL);
	bad_phone("((12)) 345678", "inside", NULL);
	bad_phone("12345678,9", "cannot contain \",\"", NULL);
	bad_phone("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95"
		  "\xef\xbc\x96", "does not belong", NULL);
	bad_phone("1234\x01" "5678", "does not belong", NULL);
	bad_phone("1234\xff" "5678", "does not belong", NULL);
	memset(in, '1', 200);
	in[200] = '\0';
	bad_phone(in, "at most 15", NULL);
	memset(in, ' ', 399);
	in[399] = '\0';
	bad_phone(in, "too long", NULL);
}

static void test_phone_buffer(void **state)
{
	char buf[32];
	struct cps_error err = { 0 };

	(void)state;
	assert_int_equal(cps_ident_phone("+4512345678", NULL, 0, &err),
			 CPS_ERR_INVALID);
	memset(buf, '#', sizeof(buf));
	assert_int_equal(cps_ident_phone("+4512345678", buf, 11, &err),
			 CPS_ERR_INVALID);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[11], '#');
	assert_int_equal(cps_ident_phone("+4512345678", buf, 12, &err),
			 CPS_OK);
	assert_string_equal(buf, "+4512345678");
	/* empty needs one byte, and NULL cannot hold it */
	assert_int_equal(cps_ident_phone("", NULL, 0, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_ident_phone("", buf, 1, NULL), CPS_OK);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dk_spellings),
		cmocka_unit_test(test_dk_refused),
		cmocka_unit_test(test_no),
		cmocka_unit_test(test_se),
		cmocka_unit_test(test_fi),
		cmocka_unit_test(test_gb),
		cmocka_unit_test(test_vies_formats),
		cmocka_unit_test(test_greece_and_switzerland),
		cmocka_unit_test(test_check_digits_be_de_nl),
		cmocka_unit_test(test_foreign_prefix),
		cmocka_unit_test(test_unknown_country),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_non_ascii_and_controls),
		cmocka_unit_test(test_norm_buffer),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_email_ok),
		cmocka_unit_test(test_email_refused),
		cmocka_unit_test(test_email_buffer),
		cmocka_unit_test(test_phone_ok),
		cmocka_unit_test(test_phone_refused),
		cmocka_unit_test(test_phone_buffer),
	};

	return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
