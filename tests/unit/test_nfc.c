/* test_nfc.c - the engine's Unicode NFC (cps_text_nfc): every case of
 * tests/unit/nfc_cases.txt (written by src/gen_unicode.py from Python's
 * unicodedata: every composition pair, every character with a canonical
 * decomposition, reordering, blocking, Hangul, Vietnamese, Greek, the
 * Devanagari exclusions and random mixed strings) gives Python's NFC, and
 * NFC of that is itself; long runs of marks, bytes that are not UTF-8 and
 * the output size the header promises.  Every output buffer is allocated
 * to the byte, so that an overrun is caught under SANITIZE=1.
 * Run from the top of the tree (make check does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpsreg/text.h"

#define CASES "tests/unit/nfc_cases.txt"

static size_t put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

#define CASE_MAX 4096   /* bytes of UTF-8 in a case */

/* The UTF-8 of the hex code points of s up to the first ';' (at most
 * CASE_MAX - 1 bytes); *next is after the ';'.  Returns the length. */
static size_t parse_hex(const char *s, char *out, const char **next)
{
	size_t n = 0;

	while (*s && *s != ';') {
		char *end;
		unsigned long cp = strtoul(s, &end, 16);

		assert_true(end != s);
		assert_true(cp <= 0x10FFFF);
		assert_true(n + 4 < CASE_MAX);
		n += put(out + n, (uint32_t)cp);
		s = end;
		while (*s == ' ')
			s++;
	}
	assert_int_equal(*s, ';');
	*next = s + 1;
	out[n] = '\0';
	return n;
}

/* NFC of the n bytes at in into a buffer of exactly the promised size;
 * the caller frees it. */
static char *nfc(const char *in, size_t n, size_t *len)
{
	char *out = malloc(CPS_TEXT_NFC_SIZE(n));

	assert_non_null(out);
	*len = cps_text_nfc(in, n, out);
	assert_true(*len < CPS_TEXT_NFC_SIZE(n));
	assert_int_equal(out[*len], '\0');
	return out;
}

static void test_vectors(void **state)
{
	FILE *f = fopen(CASES, "r");
	static char line[8 * CASE_MAX], in[CASE_MAX], want[CASE_MAX];
	int cases = 0, failed = 0, version = 0;

	(void)state;
	if (!f)
		fail_msg("cannot open %s: run the test from the top of the tree", CASES);
	while (fgets(line, sizeof(line), f)) {
		const char *p = line, *why;
		size_t n, wn, len, len2;
		char *out, *again;

		assert_non_null(strchr(line, '\n'));   /* the whole line was read */
		if (line[0] == '#')
			continue;
		if (strncmp(line, "@unicode ", 9) == 0) {
			line[strcspn(line, "\n")] = '\0';
			/* the vectors and the tables come from one version */
			assert_string_equal(line + 9, cps_text_unicode_version());
			version = 1;
			continue;
		}
		n = parse_hex(p, in, &p);
		wn = parse_hex(p, want, &why);
		out = nfc(in, n, &len);
		if (len != wn || memcmp(out, want, wn) != 0) {
			if (failed++ < 10)
				print_error("NFC wrong: %s", line);
		}
		/* NFC(NFC(x)) == NFC(x) */
		again = nfc(out, len, &len2);
		if (len2 != len || memcmp(again, out, len) != 0) {
			if (failed++ < 10)
				print_error("NFC not idempotent: %s", line);
		}
		free(again);
		free(out);
		cases++;
	}
	fclose(f);
	assert_true(version);
	assert_true(cases > 5000);
	assert_int_equal(failed, 0);
}

/* The pairs the old table knew, as the Nordic and other CPS languages
 * type them: composed, and the composer agrees. */
static void test_nordic(void **state)
{
	static const char typed[] = "Bla\xcc\x8a" "b\xc3\xa6r K\xc3\xb8" "benhavn "
				    "Go\xcc\x88teborg A\xcc\x8a" "lesund Ca\xcc\x81" "diz "
				    "Z\xcc\x8c" "ur";
	static const char want[] = "Bl\xc3\xa5" "b\xc3\xa6r K\xc3\xb8" "benhavn "
				   "G\xc3\xb6teborg \xc3\x85lesund C\xc3\xa1" "diz "
				   "\xc5\xbd" "ur";
	size_t len;
	char *out;

	(void)state;
	assert_int_equal(cps_text_compose('a', 0x030A), 0x00E5);
	assert_int_equal(cps_text_compose('O', 0x0308), 0x00D6);
	assert_int_equal(cps_text_compose(0x00C5, 0x0301), 0x01FA);   /* Ǻ */
	assert_int_equal(cps_text_compose(0x1100, 0x1161), 0xAC00);   /* Hangul LV */
	assert_int_equal(cps_text_compose(0xAC00, 0x11A8), 0xAC01);   /* LVT */
	assert_int_equal(cps_text_compose(0xAC01, 0x11A8), 0);
	assert_int_equal(cps_text_compose(0x0915, 0x093C), 0);        /* an exclusion */
	assert_int_equal(cps_text_compose(0x0928, 0x093C), 0x0929);
	out = nfc(typed, strlen(typed), &len);
	assert_string_equal(out, want);
	free(out);
	/* what is NFC already is copied as it is */
	out = nfc(want, strlen(want), &len);
	assert_string_equal(out, want);
	free(out);
}

/* A segment of any length: 'a' and 2000 pairs of acute (230) and dot
 * below (220) in the wrong order become a with dot below, the other
 * 1999 dots, then the 2000 acutes (which nothing composes with). */
static void test_long_run(void **state)
{
	enum { PAIRS = 2000 };
	char *in = malloc(1 + 4 * PAIRS), *want = malloc(4 * PAIRS + 4), *out;
	size_t n = 0, w = 0, len;

	(void)state;
	assert_non_null(in);
	assert_non_null(want);
	in[n++] = 'a';
	for (int i = 0; i < PAIRS; i++) {
		n += put(in + n, 0x0301);
		n += put(in + n, 0x0323);
	}
	w += put(want + w, 0x1EA1);
	for (int i = 1; i < PAIRS; i++)
		w += put(want + w, 0x0323);
	for (int i = 0; i < PAIRS; i++)
		w += put(want + w, 0x0301);
	out = nfc(in, n, &len);
	assert_int_equal(len, w);
	assert_memory_equal(out, want, w);
	free(out);
	free(in);
	free(want);
}

/* The longest output the header allows: U+1D160 stays three code
 * points (4 bytes become 12), and U+0390 is decomposed to 6 bytes
 * before it is composed again, in a buffer of exactly 3n + 1. */
static void test_longest(void **state)
{
	char in[64];
	size_t n = 0, len;
	char *out;

	(void)state;
	for (int i = 0; i < 10; i++)
		n += put(in + n, 0x1D160);
	out = nfc(in, n, &len);
	assert_int_equal(len, 3 * n);
	free(out);
	n = 0;
	for (int i = 0; i < 10; i++)
		n += put(in + n, 0x0390);
	out = nfc(in, n, &len);
	assert_int_equal(len, n);
	assert_memory_equal(out, in, n);
	free(out);
}

/* Bytes that are not UTF-8 are copied unchanged, and nothing composes
 * or moves across them. */
static void test_invalid(void **state)
{
	size_t len;
	char *out;

	(void)state;
	out = nfc("a\xff\xcc\x81", 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "a\xff\xcc\x81", 4);
	free(out);
	out = nfc("e\xcc\x81\xff", 4, &len);   /* é, then the byte */
	assert_int_equal(len, 3);
	assert_memory_equal(out, "\xc3\xa9\xff", 3);
	free(out);
	/* marks after the bad byte are still put in order among themselves */
	out = nfc("\xff\xcc\x82\xcc\xa3", 5, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "\xff\xcc\xa3\xcc\x82", 5);
	free(out);
	/* a sequence cut short and a surrogate: byte for byte */
	out = nfc("\xe2\x82" "A\xed\xa0\x80", 6, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(out, "\xe2\x82" "A\xed\xa0\x80", 6);
	free(out);
	/* a NUL inside the n bytes is a character like another */
	out = nfc("a\0\xcc\x81", 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "a\0\xcc\x81", 4);
	free(out);
	out = nfc("", 0, &len);
	assert_int_equal(len, 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_nordic),
		cmocka_unit_test(test_long_run),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests_name("nfc", tests, NULL, NULL);
}
