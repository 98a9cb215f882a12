/* test_sanitize.c - the screen-text sanitiser (ui/sanitize.c): control
 * characters and every kind of invalid UTF-8 become '?', valid text is
 * kept, and a cut never splits a character. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sanitize.h"

static void assert_line(const char *in, const char *want)
{
	char buf[64];

	assert_ptr_equal(sanitize_line(in, buf, sizeof(buf)), buf);
	assert_string_equal(buf, want);
}

static void test_valid_text_is_kept(void **state)
{
	(void)state;
	assert_line("EOS R5", "EOS R5");
	assert_line("Fotograf \xc3\x98yvind AS", "Fotograf \xc3\x98yvind AS");
	assert_line("\xe2\x82\xac 10", "\xe2\x82\xac 10");          /* euro sign */
	assert_line("\xf0\x9f\x93\xb7", "\xf0\x9f\x93\xb7");        /* U+1F4F7 */
	assert_line("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");        /* U+10FFFF */
	assert_line("\xed\x9f\xbf", "\xed\x9f\xbf");                /* U+D7FF */
}

static void test_controls_become_question_marks(void **state)
{
	char buf[32];

	(void)state;
	assert_line("x\x1b]0;PWNED\x07y", "x?]0;PWNED?y");
	assert_line("a\x7f" "b", "a?b");
	assert_line("a\xc2\x85" "b", "a??b");                       /* C1 NEL */
	assert_line("a\tb\nc", "a?b?c");
	assert_string_equal(sanitize_text("a\tb\nc\r", buf, sizeof(buf)), "a\tb\nc?");
}

/* Found by tests/fuzz/fuzz_sanitize: a lead byte above 0xF4 was taken as
 * the start of a 3-byte character, so "\xff\x80\xac" reached the screen. */
static void test_invalid_utf8_becomes_question_marks(void **state)
{
	(void)state;
	assert_line("\xff\x80\xac", "???");
	assert_line("\xf5\x80\x80\x80", "????");
	assert_line("\xfe\xfe", "??");
	assert_line("\xc0\xaf", "??");                              /* overlong '/' */
	assert_line("\xe0\x80\xaf", "???");                         /* overlong '/' */
	assert_line("\xf0\x80\x80\xaf", "????");                    /* overlong '/' */
	assert_line("\xed\xa0\x80", "???");                         /* a surrogate */
	assert_line("\xf4\x90\x80\x80", "????");                    /* above U+10FFFF */
	assert_line("a\xc3", "a?");                                 /* cut off */
	assert_line("\xe2\x82", "??");
	assert_line("\x80x", "?x");
}

static void test_cut_on_a_character_boundary(void **state)
{
	char buf[4];

	(void)state;
	assert_string_equal(sanitize_line("a\xc3\xb8\xc3\xb8", buf, sizeof(buf)), "a\xc3\xb8");
	assert_string_equal(sanitize_line("\xf0\x9f\x93\xb7", buf, sizeof(buf)), "");
	assert_string_equal(sanitize_line(NULL, buf, sizeof(buf)), "");
	assert_string_equal(sanitize_line("abc", buf, 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_text_is_kept),
		cmocka_unit_test(test_controls_become_question_marks),
		cmocka_unit_test(test_invalid_utf8_becomes_question_marks),
		cmocka_unit_test(test_cut_on_a_character_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
