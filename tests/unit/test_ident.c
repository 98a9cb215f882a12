/* test_ident.c - unit tests of the identifier, e-mail and phone checks
 * (src/ident.c): per country, published numbers and numbers computed by the
 * rule that must pass, and for each rule a number one digit off that must
 * fail; every accepted spelling, the wording of every refusal, and hostile
 * input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

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

/* Valid, and each other last digit refused: a slip in the check digit is
 * the commonest typo, and every rule must catch it. */
static void ok_and_last_digit_off(const char *cc, const char *in,
				  const char *want)
{
	char v[64];
	size_t n;
	int d;

	ok_ident(cc, in, want);
	snprintf(v, sizeof(v), "%s", in);
	n = strlen(v);
	if (n == 0 || v[n - 1] < '0' || v[n - 1] > '9')
		fail_msg("%s \"%s\": the test needs a last digit", cc, in);
	for (d = '0'; d <= '9'; d++) {
		if (d == in[n - 1])
			continue;
		v[n - 1] = (char)d;
		bad_ident(cc, v, NULL, NULL);
	}
}

/* --- Denmark ------------------------------------------------------------ */

static void test_dk_spellings(void **state)
{
	static const char *const in[] = {
		"13585628", "DK13585628", "dk 13 58 56 28", "DK 13 58 56 28",
		"13.58.56.28", "13-58-56-28", "  dk-13585628  ",
		"\t13585628\t", "Dk13585628", "13\xc2\xa0" "58\xc2\xa0" "56 28",
		"13\xe2\x80\x93" "58\xe2\x80\x93" "5628",
		/* a paste brings its line end along */
		"13585628\n", "13585628\r\n", "\r\n13585628\r", "DK 13585628 \n",
		/* full-width digits and letters from an Asian input method */
		"\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x98\xef\xbc\x95"
		"\xef\xbc\x96\xef\xbc\x92\xef\xbc\x98",
		"\xef\xbc\xa4\xef\xbc\xab" "13585628",
		"\xef\xbd\x84\xef\xbd\x8b" "\xe3\x80\x80" "13585628",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ok_ident("DK", in[i], "DK13585628");
		ok_ident("dk", in[i], "DK13585628");
	}
	ok_and_last_digit_off("DK", "13585628", "DK13585628");
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
	/* '/' and ',' are no separators: two numbers, or a slip */
	bad_ident("DK", "13/58/56/28", "cannot contain \"/\"", "CVR number");
	bad_ident("DK", "13585628/13585628", "cannot contain \"/\"", NULL);
	bad_ident("DK", "13,585,628", "cannot contain \",\"", NULL);
	/* a line end inside the number is still a control character */
	bad_ident("DK", "1358\n5628", "control character", NULL);
	bad_ident("DK", "1358\r5628", "control character", NULL);
}

/* --- Norway ------------------------------------------------------------- */

static void test_no(void **state)
{
	static const char *const in[] = {
		"988077917", "NO 988 077 917 MVA", "no988077917mva",
		"988 077 917 MVA", "988.077.917", "NO988077917", " 988077917mva ",
		"988077917 MVA\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("NO", in[i], "NO988077917MVA");
	ok_and_last_digit_off("NO", "988077917", "NO988077917MVA");
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
		/* Skatteverket's 12-digit form: 16 in front of a company */
		"16556036-0793", "165560360793",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("SE", in[i], "SE556036079301");
	ok_and_last_digit_off("SE", "5560360793", "SE556036079301");
	/* Uppsala universitet, a state body (group 2) */
	ok_and_last_digit_off("SE", "202100-2932", "SE202100293201");
	ok_ident("SE", "SE202100293201", "SE202100293201");
	bad_check_digit("SE", "5560360794");
	bad_ident("SE", "556036079302", "10-digit", "followed by 01");
	bad_ident("SE", "556036079", "10 digits", "entered: 9");
	bad_ident("SE", "55603607930", "10 digits", "entered: 11");
}

/* A sole trader (enskild näringsidkare) is registered under their
 * personnummer: it is their organisation number, and SE + it + 01 their
 * VAT number. */
static void test_se_sole_trader(void **state)
{
	static const char *const in[] = {
		"811218-9876", "8112189876", "SE811218987601", "811218987601",
		/* the 12-digit form with the century */
		"19811218-9876", "198112189876", "SE 19811218-9876 01",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("SE", in[i], "SE811218987601");
	/* Skatteverket's own example personnummer */
	ok_and_last_digit_off("SE", "121212-1212", "SE121212121201");
	ok_ident("SE", "19121212-1212", "SE121212121201");
	/* born in 2000, a leap year: 29 February exists */
	ok_ident("SE", "000229-0005", "SE000229000501");
	ok_ident("SE", "20000229-0005", "SE000229000501");
	/* a samordningsnummer: the day plus 60 */
	ok_ident("SE", "701063-2391", "SE701063239101");
	/* Luhn still holds */
	bad_check_digit("SE", "811218-9877");
	bad_check_digit("SE", "19811218-9877");
	bad_check_digit("SE", "811218987701");
	/* digits 3-4 are neither a month nor 20 or more */
	bad_ident("SE", "811318-0007", "personnummer", "13 is neither");
	bad_ident("SE", "810000-0002", "00 is neither", NULL);
	/* a month, but no such day */
	bad_ident("SE", "810230-0004", "personnummer", "810230 is not a date");
	bad_ident("SE", "010229-0004", "010229 is not a date", NULL);
	bad_ident("SE", "19000229-0005", "000229 is not a date", NULL);
	/* the century in front of the wrong kind of number */
	bad_ident("SE", "19556036-0793", "16 stands in front of a company",
		  NULL);
	bad_ident("SE", "16811218-9876", "19 or 20 in front of a personnummer",
		  NULL);
	bad_ident("SE", "18811218-9876", "century (19 or 20)", NULL);
}

/* --- Finland ------------------------------------------------------------ */

static void test_fi(void **state)
{
	static const char *const in[] = {
		"2077474-0", "FI 2077474-0", "FI20774740", "20774740",
		"fi2077474-0", "2077474 0", "2077474-0\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ok_ident("FI", in[i], "FI20774740");
	ok_and_last_digit_off("FI", "2077474-0", "FI20774740");
	bad_check_digit("FI", "2077474-1");
	bad_check_digit("FI", "FI20774741");
	/* remainder 1: no check digit is valid */
	bad_check_digit("FI", "2077488-0");
	bad_ident("FI", "207747-0", "7 digits", "entered: 7");
	bad_ident("FI", "2077474-X", "letter X", "Y-tunnus");
	bad_ident("FI", "2077474/0", "cannot contain \"/\"", NULL);
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
	ok_and_last_digit_off("GB", "980780684", "GB980780684");
	ok_ident("gb", "GB 980 7806 84 001", "GB980780684001");
	ok_ident("GB", "GBGD001", "GBGD001");
	ok_ident("GB", "gd 499", "GBGD499");
	ok_ident("GB", "GB HA500", "GBHA500");
	/* the newer numbers use the variant with 55 added */
	ok_and_last_digit_off("GB", "100 0000 34", "GB100000034");
	ok_ident("GB", "100000132", "GB100000132");
	/* below 100 0000 00 only the first rule holds */
	ok_ident("GB", "001000091", "GB001000091");
	bad_check_digit("GB", "001000036");
	bad_check_digit("GB", "001000134");
	bad_check_digit("GB", "802311781");
	bad_ident("GB", "GD500", "GD", "000 to 499");
	bad_ident("GB", "HA499", "HA", "500");
	bad_ident("GB", "98078068", "9 digits", "entered: 8");
	bad_ident("GB", "9807806840", "9 digits", "entered: 10");
	bad_ident("GB", "98078O684", "letter O", NULL);
}

/* Northern Ireland: the same number with XI in front, kept as typed. */
static void test_gb_northern_ireland(void **state)
{
	(void)state;
	ok_ident("GB", "XI 980 7806 84", "XI980780684");
	ok_ident("gb", "xi980780684", "XI980780684");
	ok_ident("GB", "XI980780684001", "XI980780684001");
	ok_ident("GB", "XI 100 0000 34", "XI100000034");
	ok_ident("GB", "XIGD001", "XIGD001");
	bad_check_digit("GB", "XI980780685");
	bad_check_digit("GB", "XI802311781");
	bad_ident("GB", "XI98078068", "9 digits", "entered: 8");
	/* XI is the UK's: for any other country it is a foreign prefix */
	bad_ident("IE", "XI980780684", "starts with XI", "another country");
}

/* --- the CPS countries with VAT numbers of the VIES kind ------------------ */

static void test_at(void **state)
{
	(void)state;
	ok_and_last_digit_off("AT", "ATU10223006", "ATU10223006");
	ok_and_last_digit_off("AT", "ATU13585627", "ATU13585627");
	ok_ident("at", "u 102 230 06", "ATU10223006");
	ok_ident("AT", "ATU12345675", "ATU12345675");
	bad_check_digit("AT", "ATU12345678");
	bad_check_digit("AT", "ATU10223106"); /* a doubled place off by one */
	bad_ident("AT", "10223006", "letter U", "ATU12345675");
	bad_ident("AT", "ATU1022300", "letter U and 8 digits", "VAT number (UID)");
}

static void test_be(void **state)
{
	(void)state;
	ok_ident("BE", "BE 0428.759.497", "BE0428759497");
	ok_ident("BE", "428759497", "BE0428759497");       /* old 9-digit */
	ok_ident("BE", "BE(0)428759497", "BE0428759497");
	ok_and_last_digit_off("BE", "0417 497 106", "BE0417497106");
	bad_check_digit("BE", "BE0431150351");
	bad_ident("BE", "2428759497", "starting with 0 or 1", "BTW/TVA");
}

static void test_ch(void **state)
{
	(void)state;
	ok_ident("CH", "CHE-116.281.710 MWST", "CHE116281710");
	ok_ident("CH", "che116281710tva", "CHE116281710");
	ok_ident("CH", "CHE 116 281 710 IVA", "CHE116281710");
	/* Romansh */
	ok_ident("CH", "CHE-116.281.710 TPV", "CHE116281710");
	/* without CHE, CHE is added, whichever way the number is typed */
	ok_ident("CH", "116.281.710", "CHE116281710");
	ok_ident("ch", "CH 116281710", "CHE116281710");
	ok_ident("CH", "116281710 MWST", "CHE116281710");
	ok_and_last_digit_off("CH", "CHE-107.787.577", "CHE107787577");
	ok_and_last_digit_off("CH", "CHE-123.456.788", "CHE123456788");
	bad_check_digit("CH", "CHE-123.456.789");
	bad_check_digit("CH", "CHE-116.281.711 MWST");
	/* 11 - (sum mod 11) = 10: never issued, whatever the last digit */
	bad_check_digit("CH", "CHE-100.000.160");
	bad_check_digit("CH", "CHE-100.000.161");
	bad_ident("CH", "CHE-116.281.71", "CHE and 9 digits", "entered: 8");
	bad_ident("CH", "CHE-116.281.710 MWT", "UID number", NULL);
}

static void test_cz(void **state)
{
	(void)state;
	/* companies: the IČO (Škoda Auto, ČEZ) */
	ok_and_last_digit_off("CZ", "CZ00177041", "CZ00177041");
	ok_and_last_digit_off("CZ", "CZ45274649", "CZ45274649");
	ok_and_last_digit_off("CZ", "25123891", "CZ25123891");
	bad_ident("CZ", "92345679", "cannot start with 9", "DIČ");
	/* the special 9-digit numbers starting with 6 */
	ok_and_last_digit_off("CZ", "CZ640903926", "CZ640903926");
	/* birth numbers: a man born 1971, women (month + 50) */
	ok_and_last_digit_off("CZ", "CZ7103192745", "CZ7103192745");
	ok_and_last_digit_off("CZ", "8557120000", "CZ8557120000");
	ok_ident("CZ", "8507120006", "CZ8507120006");
	ok_ident("CZ", "5602290001", "CZ5602290001"); /* 1956 was a leap year */
	/* since 2004 the month may have 20 more */
	ok_ident("CZ", "0427120001", "CZ0427120001");
	bad_ident("CZ", "0327120002", "birth number", "032712 is not one");
	/* before 1985 a remainder of 10 was written 0 */
	ok_ident("CZ", "7001010050", "CZ7001010050");
	/* 9 digits: born before 1954, no check digit */
	ok_ident("CZ", "531231123", "CZ531231123");
	bad_ident("CZ", "541231123", "birth number", "541231 is not one");
	bad_ident("CZ", "5402290003", "540229 is not one", NULL);
	bad_ident("CZ", "7113192745", "711319 is not one", NULL);
	bad_ident("CZ", "1234567", "8 to 10 digits", "entered: 7");
}

static void test_de(void **state)
{
	(void)state;
	ok_ident("DE", "DE 136 695 976", "DE136695976");
	ok_ident("DE", "129430206", "DE129430206");
	ok_and_last_digit_off("DE", "811167738", "DE811167738");
	/* 11 - product is 10, which stands for check digit 0 */
	ok_ident("DE", "136695950", "DE136695950");
	bad_check_digit("DE", "136695978");
	bad_ident("DE", "13669597", "9 digits", "entered: 8");
	bad_ident("DE", "de136,695,976", "cannot contain \",\"", "USt-IdNr.");
}

static void test_es(void **state)
{
	(void)state;
	/* a person's DNI: the specimen card's number and the classic
	 * example */
	ok_ident("ES", "99999999R", "ES99999999R");
	ok_ident("ES", "12345678-z", "ES12345678Z");
	bad_check_digit("ES", "12345678Y");
	bad_check_digit("ES", "12345679Z");
	bad_ident("ES", "123456789", "starts with 1 ends in a letter", NULL);
	/* a foreigner's NIE (X, Y, Z for 0, 1, 2) */
	ok_ident("ES", "X1234567L", "ESX1234567L");
	ok_ident("ES", "Y1234567X", "ESY1234567X");
	ok_ident("ES", "Z1234567R", "ESZ1234567R");
	bad_check_digit("ES", "X1234567M");
	bad_check_digit("ES", "Y1234567L");
	/* K, L, M: the DNI letter over 7 digits */
	ok_ident("ES", "K1234567L", "ESK1234567L");
	bad_check_digit("ES", "M1234568L");
	/* entities: Telefónica (A, a digit), Amazon's Spanish branch (W, a
	 * letter), and computed ones */
	ok_and_last_digit_off("ES", "ESA28015865", "ESA28015865");
	ok_and_last_digit_off("ES", "B12345674", "ESB12345674");
	ok_ident("ES", "W0184081H", "ESW0184081H");
	ok_ident("ES", "Q1234567D", "ESQ1234567D");
	/* G may end in either */
	ok_ident("ES", "G12345674", "ESG12345674");
	ok_ident("ES", "G1234567D", "ESG1234567D");
	bad_check_digit("ES", "W0184081J");
	bad_check_digit("ES", "G1234567E");
	bad_ident("ES", "A1234567D", "starts with A ends in a digit", NULL);
	ok_ident("ES", "E12345674", "ESE12345674");
	bad_ident("ES", "E1234567D", "starts with E ends in a digit", NULL);
	ok_ident("ES", "N1234567D", "ESN1234567D");
	bad_ident("ES", "Q12345674", "starts with Q ends in a letter", NULL);
	bad_ident("ES", "I12345674", "cannot start with the letter I", "NIF");
	bad_ident("ES", "XX123456X", "7 digits", NULL);
}

static void test_fr(void **state)
{
	(void)state;
	/* the numeric key */
	ok_ident("FR", "FR 40 303 265 045", "FR40303265045");
	ok_and_last_digit_off("FR", "40303265045", "FR40303265045");
	ok_ident("FR", "FR 61 954 506 077", "FR61954506077");
	ok_ident("FR", "FR11123456782", "FR11123456782");
	bad_check_digit("FR", "FR41303265045");
	bad_check_digit("FR", "FR40303265046"); /* the SIREN's Luhn */
	/* the letter keys */
	ok_ident("FR", "K7 399859412", "FRK7399859412");
	ok_ident("FR", "FR0H303265045", "FR0H303265045");
	ok_ident("FR", "fr 2j 303265045", "FR2J303265045");
	bad_check_digit("FR", "FRK8399859412");
	bad_check_digit("FR", "FR0J303265045");
	bad_ident("FR", "FRI7399859412", "never the letters I or O", "TVA");
	bad_ident("FR", "FR1O303265045", "did you mean 1 or 0", NULL);
	/* Monaco: the 000 numbers carry no Luhn digit */
	ok_ident("FR", "FR 50 000 480 001", "FR50000480001");
	bad_check_digit("FR", "FR 51 000 480 001");
	/* a French number may itself start with the letters FR; this one's
	 * key does not hold */
	bad_check_digit("FR", "FR399859412");
	bad_ident("FR", "FR4030326504", "2 letters or digits and 9 digits",
		  NULL);
}

static void test_hu(void **state)
{
	(void)state;
	/* Magyar Telekom */
	ok_and_last_digit_off("HU", "HU10773381", "HU10773381");
	ok_and_last_digit_off("HU", "12892312", "HU12892312");
	bad_check_digit("HU", "HU12345678");
	bad_ident("HU", "1234567", "8 digits", "adószám");
}

static void test_ie(void **state)
{
	(void)state;
	/* 7 digits and the check letter (Google Ireland) */
	ok_ident("IE", "IE 6388047V", "IE6388047V");
	ok_ident("IE", "6433435f", "IE6433435F");
	bad_check_digit("IE", "IE6388047W");
	bad_check_digit("IE", "IE6388048V");
	/* since 2013: a ninth character A to I, which counts */
	ok_ident("IE", "IE 3628739UA", "IE3628739UA");
	ok_ident("IE", "6433435OA", "IE6433435OA");
	ok_ident("IE", "1234567FA", "IE1234567FA");
	ok_ident("IE", "1234567II", "IE1234567II");
	bad_check_digit("IE", "6433435OB");
	bad_check_digit("IE", "3628739UB");
	/* W: the older numbers of married women, counting as 0 */
	ok_ident("IE", "1234567TW", "IE1234567TW");
	bad_ident("IE", "1234567TJ", "ninth character", "W or a letter from A to I");
	bad_ident("IE", "1234567TZ", "not Z", NULL);
	/* the oldest form: a letter, + or * second */
	ok_ident("IE", "8Z49289F", "IE8Z49289F");
	ok_ident("IE", "1+23456W", "IE1+23456W");
	ok_ident("IE", "1*23456W", "IE1*23456W");
	bad_check_digit("IE", "8Z49289G");
	bad_check_digit("IE", "1+23456A");
	bad_ident("IE", "12345678", "7 digits and one or two letters", NULL);
}

static void test_it(void **state)
{
	(void)state;
	/* Ferrari */
	ok_and_last_digit_off("IT", "IT 00159560366", "IT00159560366");
	ok_and_last_digit_off("IT", "00743110157", "IT00743110157");
	ok_ident("IT", "IT 123 456 700 17", "IT12345670017");
	/* the special offices */
	ok_ident("IT", "12345671205", "IT12345671205");
	ok_ident("IT", "12345671213", "IT12345671213");
	ok_ident("IT", "12345678887", "IT12345678887");
	ok_ident("IT", "12345679992", "IT12345679992");
	ok_ident("IT", "12345671007", "IT12345671007");
	bad_ident("IT", "12345671015", "tax office", "not 101");
	bad_ident("IT", "12345670000", "not 000", "partita IVA");
	bad_ident("IT", "00000000018", "cannot all be 0", NULL);
	bad_check_digit("IT", "12345670018");
	bad_check_digit("IT", "12345671204");
	bad_ident("IT", "1234567890", "11 digits", "entered: 10");
}

static void test_lu(void **state)
{
	(void)state;
	/* Amazon EU */
	ok_and_last_digit_off("LU", "LU20260743", "LU20260743");
	ok_and_last_digit_off("LU", "15027442", "LU15027442");
	bad_check_digit("LU", "LU12345678");
	bad_check_digit("LU", "LU20260843");
	bad_ident("LU", "123456789", "8 digits", "TVA");
}

static void test_nl(void **state)
{
	(void)state;
	ok_ident("NL", "NL004495445B01", "NL004495445B01");
	ok_ident("NL", "004495445b01", "NL004495445B01");
	ok_ident("NL", "NL 0073.03.907.B.01", "NL007303907B01");
	ok_ident("NL", "813086188B01", "NL813086188B01");
	ok_ident("NL", "NL004495445B99", "NL004495445B99");
	/* the newer mod 97 kind (its mod 11 check does not hold) */
	ok_ident("NL", "NL123456789B13", "NL123456789B13");
	bad_check_digit("NL", "NL123456789B14");
	bad_check_digit("NL", "004495446B01");
	/* B00 is never issued */
	bad_ident("NL", "NL004495445B00", "B01 to B99", "B00 is never issued");
	bad_ident("NL", "004495445", "letter B", "NL123456782B01");
}

static void test_pl(void **state)
{
	(void)state;
	/* PKN Orlen */
	ok_and_last_digit_off("PL", "PL 774-00-01-454", "PL7740001454");
	ok_and_last_digit_off("PL", "8567346215", "PL8567346215");
	ok_ident("PL", "PL 123-456-32-18", "PL1234563218");
	bad_check_digit("PL", "PL1234567890");
	/* the sum modulo 11 is 10: never issued */
	bad_check_digit("PL", "1234567890");
	bad_ident("PL", "PL12345678A0", "letter A", "NIP");
}

static void test_pt(void **state)
{
	(void)state;
	ok_and_last_digit_off("PT", "PT 501 964 843", "PT501964843");
	ok_ident("PT", "123456789", "PT123456789");
	/* the two-digit starts */
	ok_ident("PT", "452345677", "PT452345677");
	ok_ident("PT", "702345679", "PT702345679");
	ok_ident("PT", "992345677", "PT992345677");
	bad_check_digit("PT", "PT501964842");
	/* these pass the check digit, but no NIF starts so */
	bad_ident("PT", "023456787", "cannot start with 0", "NIF");
	bad_ident("PT", "402345673", "cannot start with 40", NULL);
	bad_ident("PT", "423456784", "cannot start with 42", NULL);
	bad_ident("PT", "732345677", "cannot start with 73", NULL);
	bad_ident("PT", "972345671", "cannot start with 97", NULL);
}

static void test_sk(void **state)
{
	(void)state;
	ok_and_last_digit_off("SK", "SK2022749619", "SK2022749619");
	ok_and_last_digit_off("SK", "1234567895", "SK1234567895");
	bad_check_digit("SK", "SK2022749618");
	/* divisible by 11, but not a Slovak number */
	bad_ident("SK", "1010000002", "third digit", "not 1");
	bad_ident("SK", "1050000006", "third digit", "IČ DPH");
	bad_ident("SK", "0220000000", "cannot start with 0", NULL);
}

/* --- the countries checked by the format only -------------------------- */

static void test_vies_formats(void **state)
{
	(void)state;
	ok_ident("BG", "BG 123456789", "BG123456789");
	ok_ident("BG", "1234567890", "BG1234567890");
	bad_ident("BG", "12345678", "9 or 10 digits", "entered: 8");
	ok_ident("CY", "CY 12345678X", "CY12345678X");
	bad_ident("CY", "123456789", "8 digits and a letter", NULL);
	ok_ident("EE", "EE123456789", "EE123456789");
	ok_ident("HR", "HR12345678901", "HR12345678901");
	ok_ident("LT", "LT123456789", "LT123456789");
	ok_ident("LT", "123456789012", "LT123456789012");
	bad_ident("LT", "1234567890", "9 or 12 digits", "entered: 10");
	ok_ident("LV", "LV12345678901", "LV12345678901");
	ok_ident("MT", "MT12345678", "MT12345678");
	ok_ident("RO", "RO 18", "RO18");
	ok_ident("RO", "1234567890", "RO1234567890");
	bad_ident("RO", "1", "2 to 10 digits", NULL);
	bad_ident("RO", "12345678901", "2 to 10 digits", NULL);
	ok_ident("SI", "SI12345678", "SI12345678");
	ok_ident("GR", "123456789", "EL123456789");
	ok_ident("EL", "EL 123 456 789", "EL123456789");
	ok_ident("gr", "gr123456789", "EL123456789");
	ok_ident("el", "GR-123456789", "EL123456789");
	bad_ident("GR", "12345678", "9 digits", "entered: 8");
}

/* --- what any country gets -------------------------------------------- */

static void test_foreign_prefix(void **state)
{
	(void)state;
	bad_ident("DK", "SE556036079301", "starts with SE", "another country");
	bad_ident("NO", "DK13585628", "starts with DK", "another country");
	bad_ident("DE", "ATU12345675", "starts with AT", NULL);
	bad_ident("FI", "EL123456789", "starts with EL", NULL);
	bad_ident("SE", "GR123456789", "starts with GR", NULL);
}

static void test_unknown_country(void **state)
{
	char norm[CPS_IDENT_MAX];

	(void)state;
	bad_ident("US", "123456789", "Unknown country US", NULL);
	bad_ident("xx", "123456789", "Unknown country XX", NULL);
	bad_ident("XI", "980780684", "Unknown country XI", NULL);
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
	assert_int_equal(cps_ident_check("SE", "811318-0007", norm,
					 sizeof(norm), NULL), CPS_ERR_INVALID);
}

static void test_empty(void **state)
{
	(void)state;
	bad_ident("DK", "", "Please enter the CVR number", NULL);
	bad_ident("DK", NULL, "Please enter", NULL);
	bad_ident("NO", "   ", "Please enter the organisation number", NULL);
	bad_ident("FI", " - ", "Please enter the Business ID", NULL);
	bad_ident("DE", "\t", "Please enter the VAT number (USt-IdNr.)", NULL);
	bad_ident("PL", "\r\n", "Please enter the VAT number (NIP)", NULL);
	bad_ident("DK", "DK", "after the country prefix DK", NULL);
	bad_ident("CH", "CHE-", "after the country prefix CHE", NULL);
	bad_ident("GB", "XI", "after the country prefix XI", NULL);
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
	/* 33 full-width digits: folded, they count the same */
	in[0] = '\0';
	for (int i = 0; i < 33; i++)
		strcat(in, "\xef\xbc\x99");
	bad_ident("GB", in, "too long", NULL);
}

static void test_non_ascii_and_controls(void **state)
{
	(void)state;
	bad_ident("DK", "13585628\xc3\xa9", "does not belong", "A-Z");
	/* full-width digits fold, but other digits do not (Arabic-Indic) */
	ok_ident("DK", "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x98"
		 "5628", "DK13585628");
	bad_ident("DK", "\xd9\xa1\xd9\xa3\xd9\xa5\xd9\xa8" "5628",
		  "does not belong", NULL);
	bad_ident("NO", "988\xc3\x98" "77917", "does not belong", NULL);
	/* broken UTF-8, a full-width digit cut short among it */
	bad_ident("DK", "1358\xff" "5628", "does not belong", NULL);
	bad_ident("DK", "1358\xc3", "does not belong", NULL);
	bad_ident("DK", "1358562\xef\xbc", "does not belong", NULL);
	bad_ident("DK", "1358\x01" "5628", "control character", NULL);
	bad_ident("DK", "1358\x1b[2J5628", "control character", NULL);
	bad_ident("DK", "1358\x7f" "5628", "control character", NULL);
	bad_ident("DK", "13585628\x1b", "control character", NULL);
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
	ok_ident("GB", "XI980780684001", "XI980780684001");
	ok_ident("SE", "19811218-9876", "SE811218987601");
	ok_ident("LT", "123456789012", "LT123456789012");
}

static void test_name(void **state)
{
	static const struct { const char *cc, *name; } names[] = {
		{ "DK", "CVR number" }, { "dk", "CVR number" },
		{ "NO", "organisation number" }, { "se", "organisation number" },
		{ "FI", "Business ID (Y-tunnus)" },
		{ "AT", "VAT number (UID)" }, { "BE", "VAT number (BTW/TVA)" },
		{ "CH", "UID number" }, { "CZ", "VAT number (DIČ)" },
		{ "DE", "VAT number (USt-IdNr.)" }, { "ES", "VAT number (NIF)" },
		{ "FR", "VAT number (TVA)" }, { "HU", "VAT number (adószám)" },
		{ "IT", "VAT number (partita IVA)" }, { "LU", "VAT number (TVA)" },
		{ "NL", "VAT number (btw-id)" }, { "PL", "VAT number (NIP)" },
		{ "PT", "VAT number (NIF)" }, { "SK", "VAT number (IČ DPH)" },
		{ "GB", "VAT number" }, { "IE", "VAT number" },
		{ "GR", "VAT number" }, { "EL", "VAT number" },
		{ "DKK", "VAT number" }, { "", "VAT number" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(cps_ident_name(names[i].cc), names[i].name);
	assert_string_equal(cps_ident_name(NULL), "VAT number");
	/* the messages use the same word */
	bad_ident("AT", "ATU1022300", "VAT number (UID)", NULL);
	bad_ident("ES", "ES", "Please enter the VAT number (NIF) after", NULL);
	bad_ident("IT", "IT1234567890A", "partita IVA", NULL);
	bad_ident("CZ", "CZ1234567A", "DIČ", NULL);
	bad_ident("CH", "CHE-116.281.7l0", "UID number", "letter L");
}

/* The hint's example passes its own check, for every country; the hint
 * says what matters where it matters. */
static void test_hint(void **state)
{
	static const char *const all[] = {
		"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL",
		"ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT", "LT", "LU",
		"LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
	};
	char hint[256], example[64], *p, *end;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		char norm[CPS_IDENT_MAX];
		struct cps_error err = { 0 };

		cps_ident_hint(all[i], hint, sizeof(hint));
		p = strstr(hint, ", like ");
		if (!p)
			fail_msg("%s: hint \"%s\" has no example", all[i], hint);
		snprintf(example, sizeof(example), "%s", p + 7);
		end = strstr(example, ". ");
		if (end)
			*end = '\0';
		else if (example[0] && example[strlen(example) - 1] == '.')
			example[strlen(example) - 1] = '\0';
		if (cps_ident_check(all[i], example, norm, sizeof(norm), &err) !=
		    CPS_OK)
			fail_msg("%s: the hint's example \"%s\" is refused: %s",
				 all[i], example, err.msg);
		/* one line of the screen: 80 columns less the margins */
		if (strlen(hint) > 78)
			fail_msg("%s: hint \"%s\" is longer than 78", all[i], hint);
		if (hint[0] >= 'a' && hint[0] <= 'z')
			fail_msg("%s: hint \"%s\" is no sentence", all[i], hint);
	}
	cps_ident_hint("SE", hint, sizeof(hint));
	assert_non_null(strstr(hint, "sole trader"));
	assert_non_null(strstr(hint, "personnummer"));
	cps_ident_hint("gb", hint, sizeof(hint));
	assert_non_null(strstr(hint, "Northern Ireland"));
	assert_non_null(strstr(hint, "XI"));
	cps_ident_hint("CH", hint, sizeof(hint));
	assert_non_null(strstr(hint, "TPV"));
	assert_string_equal(cps_ident_hint("US", hint, sizeof(hint)), "");
	assert_string_equal(cps_ident_hint(NULL, hint, sizeof(hint)), "");
	assert_string_equal(cps_ident_hint("DK", NULL, 10), "");
	/* a short buffer holds a cut hint, never more */
	memset(hint, '#', sizeof(hint));
	cps_ident_hint("SE", hint, 12);
	assert_int_equal(strlen(hint), 11);
	assert_int_equal(hint[12], '#');
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
	/* in NFC: an accent typed apart is the one letter */
	ok_email("Rene\xcc\x81@cafe\xcc\x81.fr", "Ren\xc3\xa9@caf\xc3\xa9.fr");
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

/* The hint fits one line (78 columns) in Norwegian and Danish too, and
 * the messages keep the country's word.  Needs the compiled catalogues
 * of the source tree ("make" builds them; "make check" always has). */
static void test_hint_translated(void **state)
{
	static const char *const all[] = {
		"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "EL",
		"ES", "FI", "FR", "GB", "HR", "HU", "IE", "IT", "LT", "LU",
		"LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
	};
	static const char *const langs[] = { "nb", "da" };
	static const char *const word[] = { "mva-nummer (NIF)",
					    "momsnummer (NIF)" };
	char hint[256], mo[64];
	wchar_t wide[256];
	size_t i, l;

	(void)state;
	for (l = 0; l < 2; l++) {
		snprintf(mo, sizeof(mo), "assets/locale/%s/LC_MESSAGES/cpsreg.mo",
			 langs[l]);
		if (access(mo, R_OK) != 0)
			skip();
	}
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	bindtextdomain("cpsreg", "assets/locale");
	bind_textdomain_codeset("cpsreg", "UTF-8");
	for (l = 0; l < 2; l++) {
		setenv("LANGUAGE", langs[l], 1);
		/* gettext's way of hearing that LANGUAGE changed */
		textdomain(textdomain(NULL));
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			size_t w;

			cps_ident_hint(all[i], hint, sizeof(hint));
			w = mbstowcs(wide, hint, sizeof(wide) / sizeof(wide[0]));
			if (w == (size_t)-1 || w > 78)
				fail_msg("%s %s: hint \"%s\" is longer than 78",
					 langs[l], all[i], hint);
		}
		cps_ident_hint("SE", hint, sizeof(hint));
		assert_non_null(strstr(hint, "personnummer"));
		assert_null(strstr(hint, "sole trader"));
		bad_ident("ES", "", word[l], NULL);
	}
}

/* Back to English for the tests that follow, even after a failure. */
static int english_again(void **state)
{
	(void)state;
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C");
	textdomain(textdomain(NULL));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dk_spellings),
		cmocka_unit_test(test_dk_refused),
		cmocka_unit_test(test_no),
		cmocka_unit_test(test_se),
		cmocka_unit_test(test_se_sole_trader),
		cmocka_unit_test(test_fi),
		cmocka_unit_test(test_gb),
		cmocka_unit_test(test_gb_northern_ireland),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_be),
		cmocka_unit_test(test_ch),
		cmocka_unit_test(test_cz),
		cmocka_unit_test(test_de),
		cmocka_unit_test(test_es),
		cmocka_unit_test(test_fr),
		cmocka_unit_test(test_hu),
		cmocka_unit_test(test_ie),
		cmocka_unit_test(test_it),
		cmocka_unit_test(test_lu),
		cmocka_unit_test(test_nl),
		cmocka_unit_test(test_pl),
		cmocka_unit_test(test_pt),
		cmocka_unit_test(test_sk),
		cmocka_unit_test(test_vies_formats),
		cmocka_unit_test(test_foreign_prefix),
		cmocka_unit_test(test_unknown_country),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_non_ascii_and_controls),
		cmocka_unit_test(test_norm_buffer),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_hint),
		cmocka_unit_test_teardown(test_hint_translated, english_again),
		cmocka_unit_test(test_email_ok),
		cmocka_unit_test(test_email_refused),
		cmocka_unit_test(test_email_buffer),
		cmocka_unit_test(test_phone_ok),
		cmocka_unit_test(test_phone_refused),
		cmocka_unit_test(test_phone_buffer),
	};

	return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
