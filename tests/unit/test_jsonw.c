/* test_jsonw.c - the direct JSON writer of the outbox payloads against
 * jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS), which the remote's
 * rows were always written with: the same bytes for quotes, backslashes,
 * every control character, '/', DEL, non-ASCII, null, booleans and the
 * largest integers; invalid UTF-8 refused by both; and random strings. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonw.h"

#define FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)

/* jansson's text of v (stolen), or NULL when v could not be made. */
static char *jansson_text(json_t *v)
{
	char *t = v ? json_dumps(v, FLAGS) : NULL;

	json_decref(v);
	return t;
}

/* The writer's and jansson's text of the string s agree: the same bytes,
 * or both refuse it. */
static void same_string(const char *s)
{
	struct cps_jw w;
	char *want = jansson_text(json_string(s));

	cps_jw_init(&w);
	cps_jw_str(&w, s);
	if (!want) {
		assert_false(cps_jw_ok(&w));
	} else {
		assert_true(cps_jw_ok(&w));
		assert_string_equal(w.buf, want);
		assert_int_equal(w.len, strlen(want));
	}
	free(want);
	cps_jw_free(&w);
}

static void test_strings_tricky(void **state)
{
	static const char *const cases[] = {
		"", "plain", "\"", "\\", "\\\"", "say \"hi\"\\n", "a/b", "</script>",
		"\b\f\n\r\t", "\x01", "\x1f", "\x7f", "line\r\nbreak",
		"Ærø Foto – København", "\xc3\xb8", "\xe2\x82\xac", "\xef\xbf\xbd",
		"\xf0\x9f\x93\xb7 camera", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80",
		"\xc2\x80\xc2\x9f", "\xe2\x80\xae" "bidi",
		/* invalid: jansson refuses them, and so must the writer */
		"\x80", "a\xc3", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "ok\xe2\x82",
		"\xf0\x8f\xbf\xbf",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_string(cases[i]);
	/* every byte below 0x80 on its own, in a word */
	for (int c = 1; c < 0x80; c++) {
		char s[4] = { 'x', (char)c, 'y', 0 };
		same_string(s);
	}
}

/* Random strings over the bytes that matter: quotes, backslash, controls,
 * ASCII, lead and continuation bytes (valid and not). */
static void test_strings_random(void **state)
{
	static const unsigned char alphabet[] = {
		'a', 'Z', '0', ' ', '/', '"', '\\', 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d,
		0x1b, 0x1f, 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef,
		0xf0, 0xf4, 0xf5, 0xff, 0x82, 0x9f, 0xa0,
	};
	unsigned seed = 12345;
	int refused = 0, written = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		char s[24];
		size_t n;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % (sizeof(s) - 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (char)alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		s[n] = '\0';
		json_t *v = json_string(s);
		if (v)
			written++;
		else
			refused++;
		json_decref(v);
		same_string(s);
	}
	/* both kinds were tried */
	assert_true(refused > 100);
	assert_true(written > 100);
}

static void test_numbers_and_words(void **state)
{
	static const long long ints[] = {
		0, 1, -1, 9, 10, 99, 100, -100, 1234567890123LL, INT_MAX, INT_MIN,
		LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, LLONG_MIN + 1,
	};
	struct cps_jw w;

	(void)state;
	cps_jw_init(&w);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		char *want = jansson_text(json_integer(ints[i]));
		cps_jw_reset(&w);
		cps_jw_int(&w, ints[i]);
		assert_true(cps_jw_ok(&w));
		assert_string_equal(w.buf, want);
		free(want);
	}
	for (int b = 0; b <= 1; b++) {
		char *want = jansson_text(json_boolean(b));
		cps_jw_reset(&w);
		cps_jw_bool(&w, b);
		assert_string_equal(w.buf, want);
		free(want);
	}
	char *null = jansson_text(json_null());
	cps_jw_reset(&w);
	cps_jw_opt_str(&w, "");
	assert_string_equal(w.buf, null);
	cps_jw_reset(&w);
	cps_jw_opt_str(&w, NULL);
	assert_string_equal(w.buf, null);
	cps_jw_reset(&w);
	cps_jw_opt_str(&w, "x\"");
	assert_string_equal(w.buf, "\"x\\\"\"");
	free(null);
	cps_jw_free(&w);
}

/* An object with nested arrays, written key by key in sorted order, is
 * the text jansson makes of the same object built in another order. */
static void test_object_as_jansson(void **state)
{
	json_t *o = json_object(), *a = json_array(), *x = json_object();
	struct cps_jw w;

	(void)state;
	json_object_set_new(x, "serial", json_null());
	json_object_set_new(x, "model", json_string("EOS R5 \"Mark\" \\ II"));
	json_object_set_new(x, "complete", json_false());
	json_object_set_new(x, "id", json_integer(LLONG_MAX));
	json_array_append_new(a, x);
	json_array_append_new(a, json_integer(-7));
	json_object_set_new(o, "zeta", json_string("\xc3\xa6\n"));
	json_object_set_new(o, "list", a);
	json_object_set_new(o, "empty", json_array());
	json_object_set_new(o, "alpha", json_true());
	char *want = jansson_text(o);

	cps_jw_init(&w);
	cps_jw_lit(&w, "{\"alpha\":");
	cps_jw_bool(&w, 1);
	cps_jw_lit(&w, ",\"empty\":[],\"list\":[{\"complete\":");
	cps_jw_bool(&w, 0);
	cps_jw_lit(&w, ",\"id\":");
	cps_jw_int(&w, LLONG_MAX);
	cps_jw_lit(&w, ",\"model\":");
	cps_jw_str(&w, "EOS R5 \"Mark\" \\ II");
	cps_jw_lit(&w, ",\"serial\":");
	cps_jw_opt_str(&w, "");
	cps_jw_lit(&w, "},");
	cps_jw_int(&w, -7);
	cps_jw_lit(&w, "],\"zeta\":");
	cps_jw_str(&w, "\xc3\xa6\n");
	cps_jw_lit(&w, "}");
	assert_true(cps_jw_ok(&w));
	assert_string_equal(w.buf, want);
	free(want);
	cps_jw_free(&w);
}

/* Once a string was refused, nothing more is written and the text is not
 * ok, so a payload missing a value never reaches the remote. */
static void test_failure_sticks(void **state)
{
	struct cps_jw w;

	(void)state;
	cps_jw_init(&w);
	assert_false(cps_jw_ok(&w));
	cps_jw_lit(&w, "{\"a\":");
	assert_true(cps_jw_ok(&w));
	cps_jw_str(&w, "bad\xff");
	assert_false(cps_jw_ok(&w));
	size_t len = w.len;
	cps_jw_int(&w, 5);
	cps_jw_lit(&w, "}");
	assert_int_equal(w.len, len);
	assert_false(cps_jw_ok(&w));
	cps_jw_free(&w);
	/* a long text grows its buffer and stays whole */
	cps_jw_init(&w);
	for (int i = 0; i < 5000; i++)
		cps_jw_str(&w, "0123456789\t");
	assert_true(cps_jw_ok(&w));
	assert_int_equal(w.len, 5000 * 14);
	assert_int_equal(strlen(w.buf), w.len);
	assert_memory_equal(w.buf + 13 * 14, "\"0123456789\\t\"", 14);
	cps_jw_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_tricky),
		cmocka_unit_test(test_strings_random),
		cmocka_unit_test(test_numbers_and_words),
		cmocka_unit_test(test_object_as_jansson),
		cmocka_unit_test(test_failure_sticks),
	};

	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
