/* test_text.c - the engine's one UTF-8 decoder and its one sanitiser for
 * quoted values: every kind of invalid sequence refused, controls and bidi
 * controls neutralised, and a cut that never splits a character, always
 * leaves room for the dots and the NUL, and never writes past the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cpsreg/text.h"

static size_t dec(const char *s, uint32_t *cp)
{
	return cps_utf8_decode(s, strlen(s), cp);
}

static void test_decode_valid(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(dec("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(dec("\xc3\xb8", &cp), 2); /* ø */
	assert_int_equal(cp, 0xf8);
	assert_int_equal(dec("\xe2\x82\xac", &cp), 3); /* € */
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(dec("\xf0\x9f\x93\xb7", &cp), 4); /* camera */
	assert_int_equal(cp, 0x1f4f7);
	assert_int_equal(dec("\xf4\x8f\xbf\xbf", &cp), 4); /* U+10FFFF */
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(dec("\xed\x9f\xbf", &cp), 3); /* U+D7FF */
	assert_int_equal(dec("\xee\x80\x80", &cp), 3); /* U+E000 */
	assert_int_equal(dec("\xc2\x80", &cp), 2);     /* U+0080: valid, a control */
	assert_int_equal(cps_utf8_decode("x", 1, NULL), 1);
}

static void test_decode_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80", "\xbf",                 /* stray continuation */
		"\xc0\xaf", "\xc1\xbf",         /* overlong two-byte forms */
		"\xe0\x80\x80", "\xe0\x9f\xbf", /* overlong three-byte forms */
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", /* overlong four-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf", /* surrogates */
		"\xf4\x90\x80\x80",             /* above U+10FFFF */
		"\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff",
		"\xc3", "\xe2\x82", "\xf0\x9f\x93", /* cut short */
		"\xc3\x28", "\xe2\x28\xa1",     /* a non-continuation inside */
	};
	uint32_t cp = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dec(bad[i], &cp) != 0)
			fail_msg("sequence %zu was taken as valid", i);
	/* n limits what may be read */
	assert_int_equal(cps_utf8_decode("\xc3\xb8", 1, &cp), 0);
	assert_int_equal(cps_utf8_decode("A", 0, &cp), 0);
	assert_true(cps_utf8_valid("K\xc3\xb8" "benhavn", 10));
	assert_false(cps_utf8_valid("K\xc3" "benhavn", 8));
	assert_false(cps_utf8_valid("\xed\xa0\x80", 3));
}

static void test_controls(void **state)
{
	static const uint32_t ctl[] = { 0, '\n', 0x1b, 0x7f, 0x80, 0x9b, 0x9f,
					0x061c, 0x200e, 0x200f, 0x202a, 0x202e,
					0x2066, 0x2069 };
	static const uint32_t ok[] = { ' ', 'a', 0xa0, 0xf8, 0x2065, 0x206a,
				       0x2029, 0x202f, 0x1f4f7 };

	(void)state;
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++)
		assert_true(cps_text_is_control(ctl[i]));
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_false(cps_text_is_control(ok[i]));
}

static void test_quote_neutralises(void **state)
{
	char buf[128];

	(void)state;
	/* the title-setting escape from a crafted cps.ini */
	assert_string_equal(cps_text_quote("x\x1b]0;PWNED\a", buf, sizeof(buf), CPS_TEXT_LINE),
			    "x?]0;PWNED?");
	/* C1 CSI, DEL, a right-to-left override, one '?' per bad sequence */
	assert_string_equal(cps_text_quote("a\xc2\x9b" "2Jb\x7f", buf, sizeof(buf), CPS_TEXT_LINE),
			    "a?2Jb?");
	assert_string_equal(cps_text_quote("inv\xe2\x80\xaeoice.pdf", buf, sizeof(buf), CPS_TEXT_LINE),
			    "inv?oice.pdf");
	assert_string_equal(cps_text_quote("\xe0\x80\x80|\xed\xa0\x80|\xf5|\xc0\xaf", buf, sizeof(buf), CPS_TEXT_LINE),
			    "???|???|?|??");
	/* a sequence cut short is one bad sequence, whatever its length */
	assert_string_equal(cps_text_quote("\xe2\x82" "A|\xf0\x9f\x93" "B|\xc3", buf, sizeof(buf), CPS_TEXT_LINE),
			    "?A|?B|?");
	assert_int_equal(cps_utf8_invalid_len("\xe2\x82" "A", 3), 2);
	assert_int_equal(cps_utf8_invalid_len("\xf0\x9f\x93", 3), 3);
	assert_int_equal(cps_utf8_invalid_len("\xe0\x80\x80", 3), 1);
	assert_int_equal(cps_utf8_invalid_len("\xff", 1), 1);
	assert_int_equal(cps_utf8_invalid_len("", 0), 0);
	/* line breaks: refused on one line, kept in a text */
	assert_string_equal(cps_text_quote("a\nb\tc", buf, sizeof(buf), CPS_TEXT_LINE), "a?b?c");
	assert_string_equal(cps_text_quote("a\nb\tc", buf, sizeof(buf), CPS_TEXT_KEEP_NL), "a\nb\tc");
	assert_string_equal(cps_text_quote("a\rb", buf, sizeof(buf), CPS_TEXT_KEEP_NL), "a?b");
	/* good text passes unchanged */
	assert_string_equal(cps_text_quote("Bj\xc3\xb8rn \xe2\x82\xac \xf0\x9f\x93\xb7", buf, sizeof(buf), CPS_TEXT_LINE),
			    "Bj\xc3\xb8rn \xe2\x82\xac \xf0\x9f\x93\xb7");
	assert_string_equal(cps_text_quote(NULL, buf, sizeof(buf), CPS_TEXT_LINE), "");
}

/* Every buffer size for values with multi-byte characters at every
 * offset: the result is valid UTF-8, fits (NUL included), is the whole
 * value or a prefix of it on a character boundary followed by "...". */
static void test_quote_cut_everywhere(void **state)
{
	static const char *const vals[] = {
		"Nordlys Fotografi og Bildebyra Aksjeselskap avdeling Tromso\xc3\xb8 S\xc3\xb8r",
		"\xc3\xb8\xc3\xb8\xc3\xb8\xc3\xb8\xc3\xb8\xc3\xb8\xc3\xb8",
		"a\xe2\x82\xac" "b\xf0\x9f\x93\xb7" "c\xe2\x82\xac" "d",
		"\xf0\x9f\x93\xb7\xf0\x9f\x93\xb7\xf0\x9f\x93\xb7",
		"plain ascii value",
	};

	(void)state;
	for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
		size_t full = strlen(vals[v]);

		for (size_t len = 0; len <= full + 6; len++) {
			/* a guard byte after the buffer catches a write past it */
			char *buf = malloc(len + 1);

			assert_non_null(buf);
			buf[len] = '#';
			if (len)
				memset(buf, 'Z', len);
			cps_text_quote(vals[v], buf, len, CPS_TEXT_LINE);
			assert_int_equal(buf[len], '#');
			if (len == 0) {
				free(buf);
				continue;
			}
			size_t n = strlen(buf);

			assert_true(n < len);
			assert_true(cps_utf8_valid(buf, n));
			if (len < 4) {
				assert_int_equal(n, 0);
			} else if (n == full) {
				assert_memory_equal(buf, vals[v], full);
			} else {
				assert_true(n >= 3);
				assert_string_equal(buf + n - 3, "...");
				assert_memory_equal(buf, vals[v], n - 3);
				/* as much as fits: one more character would not */
				size_t next = cps_utf8_decode(vals[v] + n - 3, full - (n - 3), NULL);
				assert_true(n - 3 + next + 4 > len);
			}
			free(buf);
		}
	}
}

/* A NUL ends a sequence early: reading with the NUL-terminated bound
 * never goes past it. */
static void test_decode_nul_terminated(void **state)
{
	char cut[4] = { '\xe2', '\x82', '\0', 'x' };
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(cps_utf8_decode(cut, CPS_UTF8_NUL_TERMINATED, &cp), 0);
	assert_int_equal(cps_utf8_decode("\xc3\xa6!", CPS_UTF8_NUL_TERMINATED, &cp), 2);
	assert_int_equal(cp, 0xe6);
	assert_int_equal(cps_utf8_decode("", CPS_UTF8_NUL_TERMINATED, &cp), 1);
	assert_int_equal(cp, 0);
}

static void test_local_time(void **state)
{
	char buf[32], tiny[8];

	(void)state;
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
	/* 2021-05-14 09:30:00 UTC */
	assert_int_equal(cps_local_time_text(1620984600, CPS_TIME_MINUTE, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "2021-05-14 09:30");
	assert_int_equal(cps_local_time_text(1620984600, CPS_TIME_DATE, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "2021-05-14");
	/* no room: the number of seconds, cut, but always terminated */
	assert_int_equal(cps_local_time_text(1620984600, CPS_TIME_MINUTE, tiny, sizeof(tiny)), 0);
	assert_string_equal(tiny, "1620984");
	/* a year localtime_r cannot give */
	if (sizeof(time_t) > 4) {
		time_t huge = (time_t)1 << 62;
		assert_int_equal(cps_local_time_text(huge, CPS_TIME_DATE, buf, sizeof(buf)), 0);
		assert_non_null(strchr("0123456789", buf[0]));
	}
}

/* Composition (all of NFC is in test_nfc.c): a letter and its combining
 * mark become the one letter, in place, and nothing else moves. */
static void test_compose(void **state)
{
	char out[64];
	/* "Sto" e U+0301 "rgata": the accent stays on its e */
	static const char typed[] = "Stoe\xcc\x81rgata";
	size_t n;

	(void)state;
	assert_int_equal(cps_text_compose('e', 0x0301), 0x00E9);
	assert_int_equal(cps_text_compose('A', 0x030A), 0x00C5);    /* Å */
	assert_int_equal(cps_text_compose('o', 0x0308), 0x00F6);    /* ö */
	assert_int_equal(cps_text_compose('z', 0x030C), 0x017E);    /* ž */
	assert_int_equal(cps_text_compose('e', 0x0328), 0x0119);    /* ę */
	assert_int_equal(cps_text_compose('q', 0x0301), 0);
	assert_int_equal(cps_text_compose(0x00E9, 0x0301), 0);
	n = cps_text_nfc(typed, strlen(typed), out);
	assert_string_equal(out, "St\x6f\xc3\xa9rgata");
	assert_int_equal(n, strlen(out));
	/* Å written as A and a ring, twice; a mark the table lacks stays where it was */
	n = cps_text_nfc("A\xcc\x8a" "A\xcc\x8a x\xcc\x81y", 12, out);
	assert_string_equal(out, "\xc3\x85\xc3\x85 x\xcc\x81y");
	/* a lone mark at the start, and bytes that are not UTF-8, unchanged */
	n = cps_text_nfc("\xcc\x81" "a\xff" "b", 5, out);
	assert_memory_equal(out, "\xcc\x81" "a\xff" "b", 6);
	assert_int_equal(n, 5);
}

/* The one policy for text coming in: the first control (C0, DEL, C1, a
 * bidi control) or bad byte, with its code point; clean text has none. */
static void test_find_control(void **state)
{
	uint32_t cp = 0;
	static const char rlo[] = "Foto \xe2\x80\xae" "SpA";
	static const char c1[] = "ab\xc2\x9b" "2J";
	static const char bad[] = "ab\xff";
	static const char clean[] = "Bl\xc3\xa5" "b\xc3\xa6r \xef\xbf\xbd";   /* U+FFFD is text */

	(void)state;
	assert_int_equal(cps_text_find_control(rlo, strlen(rlo), &cp), 5);
	assert_int_equal(cp, 0x202E);
	assert_int_equal(cps_text_find_control(c1, strlen(c1), &cp), 2);
	assert_int_equal(cp, 0x9B);
	assert_int_equal(cps_text_find_control("a\tb", 3, &cp), 1);
	assert_int_equal(cp, '\t');
	assert_int_equal(cps_text_find_control(bad, strlen(bad), &cp), 2);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(cps_text_find_control(clean, strlen(clean), NULL), strlen(clean));
	for (uint32_t c = 0x2066; c <= 0x2069; c++) {
		char s[4] = { (char)0xe2, (char)0x81, (char)(0x80 | (c & 0x3f)), 0 };
		assert_int_equal(cps_text_find_control(s, 3, &cp), 0);
		assert_int_equal(cp, c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_compose),
		cmocka_unit_test(test_find_control),
		cmocka_unit_test(test_decode_nul_terminated),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_quote_neutralises),
		cmocka_unit_test(test_quote_cut_everywhere),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
