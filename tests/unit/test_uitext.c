/* test_uitext.c - unit tests of the screen kit's text layer, which has no
 * curses: the sanitiser (ui/kit/sanitize.c) and the text measure
 * (ui/kit/text.c): widths in terminal columns, cutting with the ellipsis,
 * wrapping. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sanitize.h"
#include "text.h"

static int utf8_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}


/* sanitize_line of in, as a string. */
static const char *line(const char *in)
{
	static char buf[256];

	return sanitize_line(in, buf, sizeof(buf));
}

/* --- the sanitiser ------------------------------------------------------ */

static void valid_utf8_passes(void **state)
{
	(void)state;
	assert_string_equal(line("Bj\xc3\xb8rn"), "Bj\xc3\xb8rn");
	assert_string_equal(line("\xe2\x82\xac 5"), "\xe2\x82\xac 5");            /* U+20AC */
	assert_string_equal(line("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(line("\xed\x9f\xbf"), "\xed\x9f\xbf");                /* U+D7FF */
	assert_string_equal(line("\xee\x80\x80"), "\xee\x80\x80");                /* U+E000 */
	assert_string_equal(line("\xf0\x9f\x93\xb7"), "\xf0\x9f\x93\xb7");        /* U+1F4F7 */
	assert_string_equal(line("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");        /* U+10FFFF */
	assert_string_equal(line("\xc2\xa0x"), "\xc2\xa0x");                      /* U+00A0 */
	assert_string_equal(line(NULL), "");
}

static void controls_become_question_marks(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(line("a\x1b[31mb"), "a?[31mb");
	assert_string_equal(line("a\nb\tc\x7f"), "a?b?c?");
	assert_string_equal(sanitize_text("a\nb\tc\x7f", buf, sizeof(buf)), "a\nb\tc?");
	/* C1 controls: one '?' for the two bytes of each */
	assert_string_equal(line("a\xc2\x9b" "31m"), "a?31m");
	assert_string_equal(line("\xc2\x80\xc2\x9f"), "??");
}

static void overlong_forms_are_refused(void **state)
{
	(void)state;
	assert_string_equal(line("\xc0\xaf"), "??");             /* '/' in two bytes */
	assert_string_equal(line("\xc1\xbf"), "??");
	assert_string_equal(line("\xe0\x80\x80"), "???");         /* NUL in three */
	assert_string_equal(line("\xe0\x9f\xbf"), "???");
	assert_string_equal(line("\xf0\x80\x80\x80"), "????");    /* NUL in four */
	assert_string_equal(line("\xf0\x8f\xbf\xbf"), "????");
	assert_string_equal(line("x\xe0\x80\xafy"), "x???y");
}

static void surrogates_are_refused(void **state)
{
	(void)state;
	assert_string_equal(line("\xed\xa0\x80"), "???");         /* U+D800 */
	assert_string_equal(line("\xed\xbf\xbf"), "???");         /* U+DFFF */
	assert_string_equal(line("\xed\xa0\xbd\xed\xb3\xb7"), "??????");  /* a CESU pair */
}

static void beyond_unicode_is_refused(void **state)
{
	(void)state;
	assert_string_equal(line("\xf4\x90\x80\x80"), "????");    /* U+110000 */
	assert_string_equal(line("\xf5\x80\x80\x80"), "????");
	for (int b = 0xf5; b <= 0xff; b++) {
		char in[3] = { (char)b, 'a', '\0' };
		assert_string_equal(line(in), "?a");
	}
}

static void broken_sequences_give_one_mark_each(void **state)
{
	(void)state;
	assert_string_equal(line("\x80x"), "?x");                  /* a stray continuation */
	assert_string_equal(line("\xe2\x82" "A"), "?A");            /* cut short */
	assert_string_equal(line("\xf0\x9f\x93"), "?");             /* cut by the end */
	assert_string_equal(line("\xc3"), "?");
	assert_string_equal(line("\xc3\xc3\xa6"), "?\xc3\xa6");
}

static void output_is_cut_on_a_character(void **state)
{
	char buf[4];

	(void)state;
	/* "æøå": two bytes each; 3 bytes and the NUL take one */
	assert_string_equal(sanitize_line("\xc3\xa6\xc3\xb8\xc3\xa5", buf, sizeof(buf)), "\xc3\xa6");
	assert_string_equal(sanitize_line("abcdef", buf, sizeof(buf)), "abc");
	assert_string_equal(sanitize_line("abc", buf, 1), "");
}

/* --- widths -------------------------------------------------------------- */

static void widths_are_terminal_columns(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xc3\xa6\xc3\xb8\xc3\xa5"), 3);              /* æøå */
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);              /* two wide */
	assert_int_equal(text_width("e\xcc\x81"), 1);                              /* e + combining acute */
	assert_int_equal(text_width("\xff" "a"), 2);                               /* '?' and a */
	assert_int_equal(text_width("\xe0\x80\x80"), 3);                           /* '???' */
	assert_int_equal(text_width_n("abc", 2), 2);
}

static void ellipsis_follows_the_terminal(void **state)
{
	(void)state;
	assert_true(text_utf8());
	assert_string_equal(text_ellipsis(), "\xe2\x80\xa6");
}

static void ascii_ellipsis_without_utf8(void **state)
{
	char out[32];

	(void)state;
	assert_non_null(setlocale(LC_ALL, "C"));
	assert_false(text_utf8());
	assert_string_equal(text_ellipsis(), "...");
	assert_string_equal(text_cut("abcdefgh", 6, out, sizeof(out)), "abc...");
	assert_string_equal(text_cut("abcdef", 6, out, sizeof(out)), "abcdef");
	assert_string_equal(text_cut("abcdefgh", 2, out, sizeof(out)), "ab");
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
}

/* --- cutting -------------------------------------------------------------- */

static void a_cut_ends_in_the_ellipsis(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(text_cut("abcdef", 6, out, sizeof(out)), "abcdef");
	assert_string_equal(text_cut("abcdef", 4, out, sizeof(out)), "abc\xe2\x80\xa6");
	/* 日本語 in 5 columns: 日本 and the ellipsis */
	assert_string_equal(text_cut("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, out, sizeof(out)),
			    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	/* in 4 columns: 本 would pass the width with the ellipsis */
	assert_string_equal(text_cut("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, out, sizeof(out)),
			    "\xe6\x97\xa5\xe2\x80\xa6");
	assert_string_equal(text_cut("abc", 0, out, sizeof(out)), "");
	assert_string_equal(text_cut_more("abc", 3, 10, out, sizeof(out)), "abc\xe2\x80\xa6");
	assert_string_equal(text_cut_more("abcdef", 6, 4, out, sizeof(out)), "abc\xe2\x80\xa6");
}

static void a_cut_never_passes_the_width(void **state)
{
	static const char *const texts[] = {
		"Bj\xc3\xb8rn \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81t\xc3\xa9 \xf0\x9f\x93\xb7 end",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac",
		"plain ascii text that is long",
	};
	char out[128], clean[128];

	(void)state;
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		for (int w = 0; w < 40; w++) {
			text_cut(texts[t], w, out, sizeof(out));
			assert_true(text_width(out) <= w);
			/* cut on a character: nothing became invalid */
			assert_string_equal(sanitize_line(out, clean, sizeof(clean)), out);
		}
	}
	/* a small buffer still ends on a character, and in the ellipsis */
	text_cut("\xc3\xa6\xc3\xb8\xc3\xa5\xc3\xa6\xc3\xb8\xc3\xa5", 4, out, 6);
	assert_string_equal(out, "\xc3\xa6\xe2\x80\xa6");
}

static void cells_are_padded(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(text_cell("ab", 4, 0, out, sizeof(out)), "ab  ");
	assert_string_equal(text_cell("ab", 4, 1, out, sizeof(out)), "  ab");
	assert_string_equal(text_cell("abcdef", 4, 0, out, sizeof(out)), "abc\xe2\x80\xa6");
	assert_string_equal(text_cell("\xe6\x97\xa5", 3, 0, out, sizeof(out)), "\xe6\x97\xa5 ");
	assert_int_equal(text_width(text_cell("\xe6\x97\xa5\xe6\x9c\xac", 3, 0, out, sizeof(out))), 3);
}

/* --- wrapping ------------------------------------------------------------- */

/* Line i of s as wrapped, as a string. */
static const char *nth(const char *s, const struct text_line *l, int i)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%.*s", (int)l[i].len, s + l[i].off);
	return buf;
}

static void wrap_breaks_between_words(void **state)
{
	const char *s = "the quick brown fox";
	struct text_line l[8];

	(void)state;
	assert_int_equal(text_wrap(s, 10, l, 8), 2);
	assert_string_equal(nth(s, l, 0), "the quick");
	assert_string_equal(nth(s, l, 1), "brown fox");
	assert_int_equal(l[0].cols, 9);
	assert_int_equal(text_wrap(s, 19, l, 8), 1);
	/* the, qui, ck, bro, wn, fox */
	assert_int_equal(text_wrap(s, 3, l, 8), 6);
	assert_string_equal(nth(s, l, 2), "ck");
	assert_string_equal(nth(s, l, 5), "fox");
	s = "one\ttwo";
	assert_int_equal(text_wrap(s, 5, l, 8), 2);
	assert_string_equal(nth(s, l, 1), "two");
}

static void wrap_counts_without_lines(void **state)
{
	(void)state;
	assert_int_equal(text_wrap("", 10, NULL, 0), 0);
	assert_int_equal(text_wrap("the quick brown fox", 10, NULL, 0), 2);
	assert_int_equal(text_wrap("a\n\nb", 10, NULL, 0), 3);
	assert_int_equal(text_wrap("a\n", 10, NULL, 0), 1);
}

static void wrap_cuts_a_long_word(void **state)
{
	const char *s = "abcdefghij";
	struct text_line l[8];

	(void)state;
	assert_int_equal(text_wrap(s, 4, l, 8), 3);
	assert_string_equal(nth(s, l, 0), "abcd");
	assert_string_equal(nth(s, l, 2), "ij");
	assert_int_equal(text_wrap(s, 0, NULL, 0), 10);   /* a width below 1 is 1 */
}

static void wrap_measures_columns(void **state)
{
	/* 日本語日本語: two columns each */
	const char *s = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
	const char *latin = "\xc3\xa6\xc3\xb8\xc3\xa5 \xc3\xa6\xc3\xb8\xc3\xa5";
	struct text_line l[8];

	(void)state;
	assert_int_equal(text_wrap(s, 5, l, 8), 3);
	assert_string_equal(nth(s, l, 0), "\xe6\x97\xa5\xe6\x9c\xac");
	assert_int_equal(l[0].cols, 4);
	/* a wide character in one column goes alone, not lost */
	assert_int_equal(text_wrap("\xe6\x97\xa5", 1, l, 8), 1);
	assert_int_equal(l[0].len, 3);
	/* æøå æøå is seven columns (fourteen bytes) */
	assert_int_equal(text_wrap(latin, 7, l, 8), 1);
	assert_int_equal(text_wrap(latin, 6, l, 8), 2);
}

static void wrap_fills_only_max_lines(void **state)
{
	const char *s = "a b c d e";
	struct text_line l[2];

	(void)state;
	assert_int_equal(text_wrap(s, 1, l, 2), 5);
	assert_string_equal(nth(s, l, 0), "a");
	assert_string_equal(nth(s, l, 1), "b");
}

int main(void)
{
	const struct CMUnitTest utf8[] = {
		cmocka_unit_test(valid_utf8_passes),
		cmocka_unit_test(controls_become_question_marks),
		cmocka_unit_test(overlong_forms_are_refused),
		cmocka_unit_test(surrogates_are_refused),
		cmocka_unit_test(beyond_unicode_is_refused),
		cmocka_unit_test(broken_sequences_give_one_mark_each),
		cmocka_unit_test(output_is_cut_on_a_character),
		cmocka_unit_test(widths_are_terminal_columns),
		cmocka_unit_test(ellipsis_follows_the_terminal),
		cmocka_unit_test(a_cut_ends_in_the_ellipsis),
		cmocka_unit_test(a_cut_never_passes_the_width),
		cmocka_unit_test(cells_are_padded),
		cmocka_unit_test(wrap_breaks_between_words),
		cmocka_unit_test(wrap_counts_without_lines),
		cmocka_unit_test(wrap_cuts_a_long_word),
		cmocka_unit_test(wrap_measures_columns),
		cmocka_unit_test(wrap_fills_only_max_lines),
		cmocka_unit_test(ascii_ellipsis_without_utf8),   /* last: it changes the locale */
	};

	return cmocka_run_group_tests_name("uitext", utf8, utf8_locale, NULL);
}
