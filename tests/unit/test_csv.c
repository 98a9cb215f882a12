/* test_csv.c - unit tests of the CSV reader (src/csv.c) and checks of the
 * CSV files in assets/ (catalog, countries, holidays) that go through it.
 *
 * The asset checks read $CPSREG_ASSETS, or assets/ relative to the
 * directory the test runs in (the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "cpsreg/csv.h"

/* --- helpers -------------------------------------------------------- */

struct dump {
	char *s;
	size_t len, cap;
};

static void put(struct dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(d->s + d->len, d->cap - d->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if ((size_t)n < d->cap - d->len)
			break;
		d->cap = (d->cap + (size_t)n + 1) * 2;
		d->s = realloc(d->s, d->cap);
		assert_non_null(d->s);
	}
	d->len += (size_t)n;
}

/* Reads every record of c and writes it as text: "L-M:[f1][f2]\n" for a
 * record on lines L to M, "E:message\n" for an error.  Stops at the end, at
 * a final error, or after 100000 results. */
static char *dump_reader(struct cps_csv *c)
{
	struct dump d = { .s = malloc(64), .len = 0, .cap = 64 };
	struct cps_csv_row row;
	struct cps_error err;
	int n;

	assert_non_null(d.s);
	d.s[0] = '\0';
	for (n = 0; n < 100000; n++) {
		enum cps_err rc = cps_csv_next(c, &row, &err);

		if (rc == CPS_CSV_END)
			break;
		if (rc != CPS_OK) {
			assert_int_equal(err.code, rc);
			put(&d, "E:%s\n", err.msg);
			if (rc != CPS_ERR_INVALID)
				break;
			continue;
		}
		put(&d, "%lu-%lu:", row.line, row.last_line);
		for (size_t i = 0; i < row.count; i++)
			put(&d, "[%s]", row.fields[i]);
		put(&d, "\n");
	}
	return d.s;
}

static char *dump_mem_n(const char *in, size_t len, unsigned flags)
{
	struct cps_csv *c;
	struct cps_error err;
	char *s;

	assert_int_equal(cps_csv_open_mem(&c, in, len, "t.csv", flags, &err),
			 CPS_OK);
	s = dump_reader(c);
	cps_csv_free(c);
	return s;
}

static char *dump_mem(const char *in, unsigned flags)
{
	return dump_mem_n(in, strlen(in), flags);
}

#define CHECK(in, flags, want) do { \
	char *got_ = dump_mem(in, flags); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

#define CHECK_N(in, len, flags, want) do { \
	char *got_ = dump_mem_n(in, len, flags); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* --- the reader ----------------------------------------------------- */

static void test_simple(void **state)
{
	(void)state;
	CHECK("a,b,c\n1,2,3\n", 0, "1-1:[a][b][c]\n2-2:[1][2][3]\n");
	CHECK("one\n", 0, "1-1:[one]\n");
}

static void test_quoted_comma_and_doubled_quote(void **state)
{
	(void)state;
	CHECK("\"a,b\",\"say \"\"hi\"\"\",c\n", 0,
	      "1-1:[a,b][say \"hi\"][c]\n");
	CHECK("\"\"\"\",\"x\"\"\"\n", 0, "1-1:[\"][x\"]\n");
	CHECK("\"\",x,\"\"\n", 0, "1-1:[][x][]\n");
}

static void test_embedded_newlines(void **state)
{
	(void)state;
	CHECK("\"x\ny\",z\nnext,1\n", 0, "1-2:[x\ny][z]\n3-3:[next][1]\n");
	/* a CRLF inside quotes is kept as it is, and counts as one line */
	CHECK("\"x\r\ny\",z\r\nnext,1\r\n", 0,
	      "1-2:[x\r\ny][z]\n3-3:[next][1]\n");
	CHECK("\"a\n\nb\"\nc\n", 0, "1-3:[a\n\nb]\n4-4:[c]\n");
}

static void test_crlf(void **state)
{
	(void)state;
	CHECK("a,b\r\nc,d\r\n", 0, "1-1:[a][b]\n2-2:[c][d]\n");
	CHECK("a,\"b\"\r\nc\r\n", 0, "1-1:[a][b]\n2-2:[c]\n");
	/* old Mac line ends */
	CHECK("a\rb\r", 0, "1-1:[a]\n2-2:[b]\n");
}

static void test_bom(void **state)
{
	(void)state;
	CHECK("\xEF\xBB\xBFmodel,points\nR5,600\n", 0,
	      "1-1:[model][points]\n2-2:[R5][600]\n");
	CHECK("\xEF\xBB\xBF\"q\"\n", 0, "1-1:[q]\n");
	CHECK("\xEF\xBB\xBF", 0, "");
	/* only at the very start */
	CHECK("a\n\xEF\xBB\xBF\n", 0, "1-1:[a]\n2-2:[\xEF\xBB\xBF]\n");
}

static void test_end_of_input(void **state)
{
	(void)state;
	CHECK("a,b\n", 0, "1-1:[a][b]\n");
	CHECK("a,b\n\n", 0, "1-1:[a][b]\n");
	CHECK("a,b\r\n\r\n", 0, "1-1:[a][b]\n");
	CHECK("a,b", 0, "1-1:[a][b]\n");
	CHECK("a,", 0, "1-1:[a][]\n");
	CHECK("a,\"b\"", 0, "1-1:[a][b]\n");
	CHECK("", 0, "");
	CHECK("\n\r\n\n", 0, "");
	CHECK_N(NULL, 0, 0, "");
}

static void test_end_is_repeated(void **state)
{
	struct cps_csv *c;
	struct cps_csv_row row;
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_csv_open_mem(&c, "x\n", 2, "t.csv", 0, &err),
			 CPS_OK);
	assert_int_equal(cps_csv_next(c, &row, &err), CPS_OK);
	assert_int_equal(cps_csv_next(c, &row, &err), CPS_CSV_END);
	assert_string_equal(err.msg, "t.csv: end of file");
	assert_int_equal(cps_csv_next(c, &row, &err), CPS_CSV_END);
	assert_int_equal(cps_csv_next(c, NULL, NULL), CPS_CSV_END);
	cps_csv_free(c);
	cps_csv_free(NULL);
}

static void test_blank_lines_skipped(void **state)
{
	(void)state;
	CHECK("\n\na\r\n\r\n\nb\n", 0, "3-3:[a]\n6-6:[b]\n");
	/* a line of spaces or a lone comma is data, not blank */
	CHECK(" \n,\n", 0, "1-1:[ ]\n2-2:[][]\n");
}

static void test_empty_and_spaced_fields(void **state)
{
	(void)state;
	CHECK(",,\n", 0, "1-1:[][][]\n");
	CHECK(" a , b \n", 0, "1-1:[ a ][ b ]\n");
	CHECK("\"\"\n", 0, "1-1:[]\n");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	CHECK("a,b\n\"open,c\nd\n", 0,
	      "1-1:[a][b]\n"
	      "E:t.csv:2: a quoted field starts here but is never closed (a missing quote?)\n");
	CHECK("x,\"", 0,
	      "E:t.csv:1: a quoted field starts here but is never closed (a missing quote?)\n");
}

static void test_quote_in_unquoted_field(void **state)
{
	(void)state;
	CHECK("ab\"c,d\nok\n", 0,
	      "E:t.csv:1: a quote inside an unquoted field (put the whole field in quotes and double the quote)\n"
	      "2-2:[ok]\n");
	CHECK("a\nb\nc,5\" lens\nok\n", 0,
	      "1-1:[a]\n2-2:[b]\n"
	      "E:t.csv:3: a quote inside an unquoted field (put the whole field in quotes and double the quote)\n"
	      "4-4:[ok]\n");
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	CHECK("\"ab\"c,d\nok\n", 0,
	      "E:t.csv:1: text after the closing quote of a field (a quote inside a quoted field must be doubled)\n"
	      "2-2:[ok]\n");
	/* the line is counted through the earlier multi-line fields */
	CHECK("\"a\nb\",\"c\nd\" x\nok\n", 0,
	      "E:t.csv:3: text after the closing quote of a field (a quote inside a quoted field must be doubled)\n"
	      "4-4:[ok]\n");
	/* the bad record's quotes are still followed: the comma and newline
	 * inside the quoted field do not start a new record */
	CHECK("x\"y,\"p\nq\"\nok\n", 0,
	      "E:t.csv:1: a quote inside an unquoted field (put the whole field in quotes and double the quote)\n"
	      "3-3:[ok]\n");
}

static void test_nul_byte(void **state)
{
	static const char in[] = "a\0b\nok\n\"q\0\"\nok2";

	(void)state;
	CHECK_N(in, sizeof(in) - 1, 0,
		"E:t.csv:1: a NUL byte (is this a text file?)\n"
		"2-2:[ok]\n"
		"E:t.csv:3: a NUL byte (is this a text file?)\n"
		"4-4:[ok2]\n");
}

static void test_utf8_valid(void **state)
{
	(void)state;
	CHECK("S\xC3\xB8rensen,\xE2\x82\xAC,\xF0\x9F\x93\xB7,\xEF\xBF\xBF,\xF4\x8F\xBF\xBF\n",
	      0, "1-1:[S\xC3\xB8rensen][\xE2\x82\xAC][\xF0\x9F\x93\xB7][\xEF\xBF\xBF][\xF4\x8F\xBF\xBF]\n");
	CHECK("\"\xC3\xA6\n\xC3\xB8\"\n", 0, "1-2:[\xC3\xA6\n\xC3\xB8]\n");
}

static void test_utf8_invalid(void **state)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ "ok\nbad\xFF\nok\n",
		  "1-1:[ok]\nE:t.csv:2: invalid UTF-8 (byte 0xFF); save the file as UTF-8\n3-3:[ok]\n" },
		{ "\x80\n", "E:t.csv:1: invalid UTF-8 (byte 0x80); save the file as UTF-8\n" },
		/* overlong forms */
		{ "\xC0\xAF\n", "E:t.csv:1: invalid UTF-8 (byte 0xC0); save the file as UTF-8\n" },
		{ "\xE0\x80\xAF\n", "E:t.csv:1: invalid UTF-8 (byte 0x80); save the file as UTF-8\n" },
		{ "\xF0\x80\x80\xAF\n", "E:t.csv:1: invalid UTF-8 (byte 0x80); save the file as UTF-8\n" },
		/* a surrogate, and beyond U+10FFFF */
		{ "\xED\xA0\x80\n", "E:t.csv:1: invalid UTF-8 (byte 0xA0); save the file as UTF-8\n" },
		{ "\xF4\x90\x80\x80\n", "E:t.csv:1: invalid UTF-8 (byte 0x90); save the file as UTF-8\n" },
		{ "\xF5\x80\x80\x80\n", "E:t.csv:1: invalid UTF-8 (byte 0xF5); save the file as UTF-8\n" },
		/* Latin-1, as an old spreadsheet would save it */
		{ "J\xF8rgensen,1\nok\n",
		  "E:t.csv:1: invalid UTF-8 (byte 0xF8); save the file as UTF-8\n2-2:[ok]\n" },
		/* cut off by a comma, a newline, the end of input */
		{ "\xC3,x\n", "E:t.csv:1: invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8\n" },
		{ "\xE2\x82\nok\n", "E:t.csv:1: invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8\n2-2:[ok]\n" },
		{ "a\n\xC3", "1-1:[a]\nE:t.csv:2: invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8\n" },
		/* inside quotes, on the second line of the field */
		{ "\"a\nb\xFE\"\n", "E:t.csv:2: invalid UTF-8 (byte 0xFE); save the file as UTF-8\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(cases[i].in, 0, cases[i].want);
}

static void test_record_too_long(void **state)
{
	size_t n = CPS_CSV_MAX_RECORD;
	char *in = malloc(n + 64);
	char *got;

	(void)state;
	assert_non_null(in);
	/* exactly the limit (two fields of n/2 bytes) is fine */
	memset(in, 'x', n + 1);
	in[n / 2] = ',';
	strcpy(in + n + 1, "\nok\n");
	got = dump_mem(in, 0);
	assert_int_equal(strlen(got), strlen("1-1:[]\n") + n + 2 + strlen("2-2:[ok]\n"));
	assert_string_equal(got + strlen(got) - strlen("2-2:[ok]\n"), "2-2:[ok]\n");
	free(got);
	/* one byte more is not */
	memset(in, 'x', n + 1);
	strcpy(in + n + 1, "\nok\n");
	CHECK(in, 0,
	      "E:t.csv:1: the record that starts on line 1 is longer than 65536 bytes\n"
	      "2-2:[ok]\n");
	/* an unclosed quote runs into the limit, not to the end of memory */
	in[0] = '"';
	memset(in + 1, '\n', n + 10);
	in[n + 11] = '\0';
	CHECK(in, 0,
	      "E:t.csv:65537: the record that starts on line 1 is longer than 65536 bytes\n");
	free(in);
}

static void test_limits(void **state)
{
	struct cps_csv *c;
	struct cps_error err;
	char *got;

	(void)state;
	assert_int_equal(cps_csv_open_mem(&c, "ab,c\nabcd,e\nab,c,d,e\nz\n", 23,
					  "t.csv", 0, &err), CPS_OK);
	cps_csv_set_limits(c, 4, 3);
	got = dump_reader(c);
	assert_string_equal(got,
			    "1-1:[ab][c]\n"
			    "E:t.csv:2: the record that starts on line 2 is longer than 4 bytes\n"
			    "E:t.csv:3: more than 3 fields in one record\n"
			    "4-4:[z]\n");
	free(got);
	cps_csv_free(c);
}

static void test_too_many_fields(void **state)
{
	char in[2 * (CPS_CSV_MAX_FIELDS + 1) + 8];
	size_t i, n = 0;
	char *got;

	(void)state;
	for (i = 0; i < CPS_CSV_MAX_FIELDS; i++) {
		in[n++] = 'f';
		in[n++] = ',';
	}
	in[n - 1] = '\n'; /* exactly the limit */
	in[n] = '\0';
	got = dump_mem(in, 0);
	assert_int_equal(strlen(got), strlen("1-1:\n") + 3 * CPS_CSV_MAX_FIELDS);
	free(got);
	in[n - 1] = ',';  /* one more */
	strcpy(in + n, "g\nok\n");
	CHECK(in, 0, "E:t.csv:1: more than 256 fields in one record\n2-2:[ok]\n");
}

static void test_comments(void **state)
{
	(void)state;
	CHECK("# about\n#\n\n# more\r\nh1,h2\n#x,y\n", CPS_CSV_COMMENTS,
	      "5-5:[h1][h2]\n6-6:[#x][y]\n");
	CHECK("\xEF\xBB\xBF# about \"quotes\" and, commas\nh\n", CPS_CSV_COMMENTS,
	      "2-2:[h]\n");
	CHECK("# only comments\n", CPS_CSV_COMMENTS, "");
	CHECK("# no newline", CPS_CSV_COMMENTS, "");
	/* without the flag a '#' line is data */
	CHECK("# about\nh\n", 0, "1-1:[# about]\n2-2:[h]\n");
	/* a '#' after the start of a line is data either way */
	CHECK(" # x\n", CPS_CSV_COMMENTS, "1-1:[ # x]\n");
}

static void test_utf16_refused(void **state)
{
	static const char le[] = "\xFF\xFEm\0o\0\n\0";
	static const char be[] = "\xFE\xFF\0m\0o\0\n";
	const char *in[] = { le, be };
	struct cps_csv *c;
	struct cps_csv_row row;
	struct cps_error err;

	(void)state;
	for (int k = 0; k < 2; k++) {
		assert_int_equal(cps_csv_open_mem(&c, in[k], sizeof(le) - 1,
						  "t.csv", 0, &err), CPS_OK);
		/* the error is final: every call returns it */
		for (int i = 0; i < 3; i++) {
			assert_int_equal(cps_csv_next(c, &row, &err),
					 CPS_ERR_INVALID);
			assert_string_equal(err.msg,
					    "t.csv:1: the file is UTF-16; save it as UTF-8 (\"CSV UTF-8\")");
		}
		cps_csv_free(c);
	}
}

static void test_same_count(void **state)
{
	(void)state;
	CHECK("a,b\n1,2\n3\n4,5,6\n7,8\n", CPS_CSV_SAME_COUNT,
	      "1-1:[a][b]\n2-2:[1][2]\n"
	      "E:t.csv:3: 1 fields where the first row has 2\n"
	      "E:t.csv:4: 3 fields where the first row has 2\n"
	      "5-5:[7][8]\n");
	CHECK("a,b\n3\n", 0, "1-1:[a][b]\n2-2:[3]\n");
}

/* Builds an input with every kind of awkward record, long enough to cross
 * the reader's buffer many times at different places. */
static char *tricky_input(size_t pad, size_t *len)
{
	struct dump d = { .s = malloc(64), .len = 0, .cap = 64 };

	assert_non_null(d.s);
	d.s[0] = '\0';
	put(&d, "\xEF\xBB\xBF# comment\r\nmodel,note\r\n");
	for (size_t i = 0; i < pad; i++)
		put(&d, "\n");
	for (int i = 0; i < 4000; i++) {
		switch (i % 5) {
		case 0: put(&d, "m%d,\"a, \"\"b\"\"\r\nc\"\r\n", i); break;
		case 1: put(&d, "m%d,S\xC3\xB8ren \xE2\x82\xAC\n", i); break;
		case 2: put(&d, "\"m%d\",\r\n\r\n", i); break;
		case 3: put(&d, "m%d,%*s\r", i, i % 97, "x"); break;
		case 4: put(&d, "m%d,\"\xF0\x9F\x93\xB7\"\n", i); break;
		}
	}
	put(&d, "last,row");
	*len = d.len;
	return d.s;
}

/* Runs of plain bytes are taken at once: around them the quotes, the
 * commas, tabs, line ends inside quotes, characters of several bytes and
 * a problem (whose record is dropped whole) come out as before. */
static void test_plain_runs(void **state)
{
	(void)state;
	CHECK("abc\tdef,\"x,y\"\"z\",caf\xc3\xa9 au lait\n\"multi\nline\" end\n"
	      "ok,a\"b,long plain text after the problem\nnext,\xc3\xa9t\xc3\xa9,\"\"\n",
	      0,
	      "1-1:[abc\tdef][x,y\"z][caf\xc3\xa9 au lait]\n"
	      "E:t.csv:3: text after the closing quote of a field (a quote inside a quoted field must be doubled)\n"
	      "E:t.csv:4: a quote inside an unquoted field (put the whole field in quotes and double the quote)\n"
	      "5-5:[next][\xc3\xa9t\xc3\xa9][]\n");
	CHECK("caf\xc3,after\n", 0,
	      "E:t.csv:1: invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8\n");
}

/* Whether a record is all ASCII, for a reader of its fields: each
 * record on its own, wherever the other bytes are (plain, quoted, on a
 * line of their own inside quotes, after a bad record). */
static void test_ascii_records(void **state)
{
	static const char in[] =
		"a,b\n"
		"caf\xc3\xa9,x\n"
		"p,\"q\n\xe2\x82\xac\"\n"
		"c,d\n"
		"\xff,bad\n"
		"e,\"f\"\"g\"\n";
	static const int want[] = { 1, 0, 0, 1, 1 };
	struct cps_csv *c;
	struct cps_csv_row row;
	struct cps_error err;
	size_t i = 0;
	enum cps_err rc;

	(void)state;
	assert_int_equal(cps_csv_open_mem(&c, in, sizeof(in) - 1, "t.csv", 0, &err), CPS_OK);
	while ((rc = cps_csv_next(c, &row, &err)) != CPS_CSV_END) {
		if (rc == CPS_ERR_INVALID)
			continue;   /* the record with the byte 0xFF */
		assert_int_equal(rc, CPS_OK);
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_int_equal(row.ascii, want[i]);
		i++;
	}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	cps_csv_free(c);
}

static void test_file_same_as_memory(void **state)
{
	(void)state;
	for (size_t pad = 0; pad < 6; pad++) {
		size_t len;
		char *in = tricky_input(pad, &len);
		struct cps_csv *c;
		struct cps_error err;
		FILE *fp = tmpfile();
		char *from_mem, *from_file;

		assert_non_null(fp);
		assert_int_equal(fwrite(in, 1, len, fp), len);
		rewind(fp);
		assert_int_equal(cps_csv_open_file(&c, fp, "t.csv",
						   CPS_CSV_COMMENTS, &err), CPS_OK);
		from_file = dump_reader(c);
		cps_csv_free(c);
		fclose(fp); /* the reader did not close it */
		from_mem = dump_mem_n(in, len, CPS_CSV_COMMENTS);
		assert_string_equal(from_file, from_mem);
		assert_null(strstr(from_mem, "E:"));
		assert_non_null(strstr(from_mem, ":[last][row]\n"));
		free(from_mem);
		free(from_file);
		free(in);
	}
}

/* Records of unquoted plain fields (most of an export), read from a
 * file: wherever the reader's buffer ends (inside a field, on a comma,
 * on a line end), every field comes out whole, as from memory. */
static void test_plain_fields_across_buffer(void **state)
{
	(void)state;
	for (size_t pad = 0; pad < 24; pad++) {
		struct dump d = { .s = malloc(64), .len = 0, .cap = 64 };
		struct cps_csv *c;
		struct cps_error err;
		FILE *fp = tmpfile();
		char *from_mem, *from_file, want[64];

		assert_non_null(d.s);
		assert_non_null(fp);
		d.s[0] = '\0';
		put(&d, "email,member,name,dealer\n");
		for (size_t i = 0; i < pad; i++)
			put(&d, "\n");
		for (int i = 0; i < 3000; i++)
			put(&d, "u%d@example.com,OLD-%07d,User %d,%s\n", i, i / 4, i,
			    i % 7 ? "Dealer" : "");
		assert_int_equal(fwrite(d.s, 1, d.len, fp), d.len);
		rewind(fp);
		assert_int_equal(cps_csv_open_file(&c, fp, "t.csv", 0, &err), CPS_OK);
		from_file = dump_reader(c);
		cps_csv_free(c);
		fclose(fp);
		from_mem = dump_mem_n(d.s, d.len, 0);
		assert_string_equal(from_file, from_mem);
		assert_null(strstr(from_mem, "E:"));
		snprintf(want, sizeof(want), ":[u2999@example.com][OLD-0000749][User 2999][Dealer]\n");
		assert_non_null(strstr(from_mem, want));
		assert_non_null(strstr(from_mem, ":[u2996@example.com][OLD-0000749][User 2996][]\n"));
		free(from_mem);
		free(from_file);
		free(d.s);
	}
}

static void test_open_missing_file(void **state)
{
	struct cps_csv *c = (struct cps_csv *)1;
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_csv_open(&c, "/nonexistent/cps/x.csv", 0, &err),
			 CPS_ERR_IO);
	assert_null(c);
	assert_int_equal(err.code, CPS_ERR_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/cps/x.csv"));
}

static void test_error_helper_and_name(void **state)
{
	struct cps_csv *c;
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_csv_open_mem(&c, "", 0, "dealers.csv", 0, &err),
			 CPS_OK);
	assert_string_equal(cps_csv_name(c), "dealers.csv");
	assert_int_equal(cps_csv_error(c, 7, &err, CPS_ERR_INVALID,
				       "points \"%s\" is not a number", "x1"),
			 CPS_ERR_INVALID);
	assert_string_equal(err.msg, "dealers.csv:7: points \"x1\" is not a number");
	cps_csv_error(c, 0, &err, CPS_ERR_IO, "gone");
	assert_string_equal(err.msg, "dealers.csv: gone");
	assert_int_equal(err.code, CPS_ERR_IO);
	assert_int_equal(cps_csv_error(c, 3, NULL, CPS_ERR_EXISTS, "x"),
			 CPS_ERR_EXISTS);
	cps_csv_free(c);
}

/* --- the header ----------------------------------------------------- */

static struct cps_csv *open_text(const char *text, unsigned flags)
{
	struct cps_csv *c;
	struct cps_error err;

	assert_int_equal(cps_csv_open_mem(&c, text, strlen(text), "t.csv",
					  flags, &err), CPS_OK);
	return c;
}

static void test_header_map(void **state)
{
	struct cps_csv_column cols[] = {
		{ .name = "model", .required = 1 },
		{ .name = "points", .required = 1 },
		{ .name = "serial_pattern", .required = 0 },
		{ .name = "category", .required = 1 },
	};
	struct cps_csv *c = open_text("# c\n Model ,POINTS,extra,Category\nEOS R5,600,z\n",
				      CPS_CSV_COMMENTS);
	struct cps_csv_row row;
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_OK);
	assert_int_equal(cols[0].index, 0);
	assert_int_equal(cols[1].index, 1);
	assert_int_equal(cols[2].index, -1);
	assert_int_equal(cols[3].index, 3);
	assert_int_equal(cps_csv_next(c, &row, &err), CPS_OK);
	assert_int_equal(row.line, 3);
	assert_string_equal(cps_csv_get(&row, &cols[0]), "EOS R5");
	assert_string_equal(cps_csv_get(&row, &cols[1]), "600");
	assert_string_equal(cps_csv_get(&row, &cols[2]), ""); /* absent */
	assert_string_equal(cps_csv_get(&row, &cols[3]), ""); /* short row */
	assert_string_equal(cps_csv_get(NULL, &cols[0]), "");
	cps_csv_free(c);
}

static void test_header_missing_columns(void **state)
{
	struct cps_csv_column cols[] = {
		{ .name = "model", .required = 1 },
		{ .name = "points", .required = 1 },
		{ .name = "release_year", .required = 1 },
		{ .name = "serial_pattern", .required = 0 },
	};
	struct cps_csv *c;
	struct cps_error err;

	(void)state;
	c = open_text("\n\nmodel,release_year,pointz\n", 0);
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg,
			    "t.csv:3: the column \"points\" is missing from the header");
	cps_csv_free(c);

	c = open_text("model\n", 0);
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg,
			    "t.csv:1: these columns are missing from the header: points, release_year");
	cps_csv_free(c);

	c = open_text("model,points,MODEL,release_year\n", 0);
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg,
			    "t.csv:1: the column \"model\" appears twice in the header");
	cps_csv_free(c);

	c = open_text("# just a comment\n\n", CPS_CSV_COMMENTS);
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg, "t.csv: the file is empty (no header row)");
	cps_csv_free(c);

	/* a broken header is reported as such */
	c = open_text("model,\"points\n", 0);
	assert_int_equal(cps_csv_header(c, cols, 4, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "never closed"));
	cps_csv_free(c);
}

static void test_map_header_row(void **state)
{
	struct cps_csv_column cols[] = {
		{ .name = "code", .required = 1 },
		{ .name = "cps", .required = 1 },
	};
	char f0[] = "CPS", f1[] = "\tcode\t";
	char *fields[] = { f0, f1 };
	struct cps_csv_row row = { .fields = fields, .count = 2, .line = 4, .last_line = 4 };
	struct cps_csv *c = open_text("", 0);
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_csv_map_header(c, &row, cols, 2, &err), CPS_OK);
	assert_int_equal(cols[0].index, 1);
	assert_int_equal(cols[1].index, 0);
	row.count = 1;
	assert_int_equal(cps_csv_map_header(c, &row, cols, 2, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg,
			    "t.csv:4: the column \"code\" is missing from the header");
	cps_csv_free(c);
}

/* --- the asset files ------------------------------------------------ */

static struct cps_csv *open_asset(const char *file, unsigned flags)
{
	const char *dir = getenv("CPSREG_ASSETS");
	char path[4096];
	struct cps_csv *c;
	struct cps_error err;

	if (!dir || !*dir)
		dir = "assets";
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (cps_csv_open(&c, path, flags, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	return c;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* A positive decimal number without a leading zero, at most max. */
static long number(const char *s, long max)
{
	long v = 0;

	if (!all_digits(s) || s[0] == '0' || strlen(s) > 9)
		return -1;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	return v <= max ? v : -1;
}

/* The catalog's serial_pattern language (see the header of catalog.csv):
 * alternatives split by '|', each a run of tokens dN, aN or xN. */
static int serial_pattern_ok(const char *p)
{
	if (!*p)
		return 1;
	for (;;) {
		int tokens = 0;

		while (*p == 'd' || *p == 'a' || *p == 'x') {
			int n = 0;

			p++;
			if (*p < '1' || *p > '9')
				return 0;
			while (*p >= '0' && *p <= '9')
				n = n * 10 + (*p++ - '0');
			if (n > 20)
				return 0;
			tokens++;
		}
		if (tokens == 0)
			return 0;
		if (*p == '\0')
			return 1;
		if (*p++ != '|')
			return 0;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int trimmed(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != ' ' && s[n - 1] != ' ';
}

static void test_asset_catalog(void **state)
{
	static const char *const categories[] = {
		"body", "lens", "cinema", "flash", "printer", "other"
	};
	enum { NCAT = sizeof(categories) / sizeof(categories[0]) };
	struct cps_csv_column cols[] = {
		{ .name = "model", .required = 1 },
		{ .name = "category", .required = 1 },
		{ .name = "points", .required = 1 },
		{ .name = "release_year", .required = 1 },
		{ .name = "serial_pattern", .required = 1 },
	};
	struct cps_csv *c = open_asset("catalog.csv",
				       CPS_CSV_COMMENTS | CPS_CSV_SAME_COUNT);
	struct cps_csv_row row;
	struct cps_error err;
	enum cps_err rc;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int per_cat[NCAT] = { 0 };

	(void)state;
	if (cps_csv_header(c, cols, 5, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	while ((rc = cps_csv_next(c, &row, &err)) == CPS_OK) {
		const char *model = cps_csv_get(&row, &cols[0]);
		const char *cat = cps_csv_get(&row, &cols[1]);
		const char *points = cps_csv_get(&row, &cols[2]);
		const char *year = cps_csv_get(&row, &cols[3]);
		const char *pattern = cps_csv_get(&row, &cols[4]);
		size_t k;

		if (!trimmed(model))
			fail_msg("catalog.csv:%lu: model \"%s\"", row.line, model);
		for (k = 0; k < NCAT; k++)
			if (strcmp(cat, categories[k]) == 0)
				break;
		if (k == NCAT)
			fail_msg("catalog.csv:%lu: category \"%s\"", row.line, cat);
		per_cat[k]++;
		if (number(points, 100000) <= 0)
			fail_msg("catalog.csv:%lu: points \"%s\"", row.line, points);
		long y = number(year, 9999);
		if (y < 1987 || y > 2026)
			fail_msg("catalog.csv:%lu: release_year \"%s\"", row.line, year);
		if (!serial_pattern_ok(pattern))
			fail_msg("catalog.csv:%lu: serial_pattern \"%s\"", row.line, pattern);
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[n] = strdup(model);
		assert_non_null(names[n]);
		n++;
	}
	if (rc != CPS_CSV_END)
		fail_msg("%s", err.msg);
	cps_csv_free(c);
	assert_true(n >= 150);
	for (size_t k = 0; k < NCAT; k++)
		if (per_cat[k] == 0)
			fail_msg("catalog.csv: no product in category %s", categories[k]);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(names[i - 1], names[i]) == 0)
			fail_msg("catalog.csv: model \"%s\" appears twice", names[i]);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void test_asset_countries(void **state)
{
	static const char cps_countries[] =
		"AT BE CZ DK FI FR DE HU IE IT LU NL NO PL PT SK ES SE GB CH";
	static const char must_have[] =
		"AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL "
		"PT RO SK SI ES SE NO GB CH IS LI";
	struct cps_csv_column cols[] = {
		{ .name = "code", .required = 1 },
		{ .name = "name", .required = 1 },
		{ .name = "cps", .required = 1 },
	};
	struct cps_csv *c = open_asset("countries.csv",
				       CPS_CSV_COMMENTS | CPS_CSV_SAME_COUNT);
	struct cps_csv_row row;
	struct cps_error err;
	enum cps_err rc;
	char seen[2048] = " ", flagged[2048] = " ";
	int rows = 0;

	(void)state;
	if (cps_csv_header(c, cols, 3, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	while ((rc = cps_csv_next(c, &row, &err)) == CPS_OK) {
		const char *code = cps_csv_get(&row, &cols[0]);
		const char *name = cps_csv_get(&row, &cols[1]);
		const char *cps = cps_csv_get(&row, &cols[2]);
		char key[8];

		if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' ||
		    code[1] < 'A' || code[1] > 'Z')
			fail_msg("countries.csv:%lu: code \"%s\"", row.line, code);
		if (!trimmed(name))
			fail_msg("countries.csv:%lu: name \"%s\"", row.line, name);
		if (strcmp(cps, "0") != 0 && strcmp(cps, "1") != 0)
			fail_msg("countries.csv:%lu: cps \"%s\"", row.line, cps);
		snprintf(key, sizeof(key), " %s ", code);
		if (strstr(seen, key))
			fail_msg("countries.csv:%lu: %s appears twice", row.line, code);
		assert_true(strlen(seen) + 4 < sizeof(seen));
		strcat(seen, code);
		strcat(seen, " ");
		if (cps[0] == '1') {
			strcat(flagged, code);
			strcat(flagged, " ");
		}
		rows++;
	}
	if (rc != CPS_CSV_END)
		fail_msg("%s", err.msg);
	cps_csv_free(c);
	assert_true(rows >= 32);
	/* exactly the CPS countries are flagged */
	for (const char *p = cps_countries; *p; p += p[2] ? 3 : 2) {
		char key[5] = { ' ', p[0], p[1], ' ', '\0' };

		if (!strstr(flagged, key))
			fail_msg("countries.csv: %.2s is not flagged cps=1", p);
	}
	if (strlen(flagged) != 1 + 3 * 20)
		fail_msg("countries.csv: flagged cps=1:%s; expected only %s",
			 flagged, cps_countries);
	for (const char *p = must_have; *p; p += p[2] ? 3 : 2) {
		char key[5] = { ' ', p[0], p[1], ' ', '\0' };

		if (!strstr(seen, key))
			fail_msg("countries.csv: %.2s is missing", p);
	}
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long day_number(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* Western Easter Sunday (the anonymous Gregorian algorithm). */
static long easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return day_number(y, month, day);
}

/* Parses YYYY-MM-DD strictly; returns the day number or -1. */
static long parse_date(const char *s, int *year)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*year = y;
	return day_number(y, m, d);
}

static void test_easter_dates(void **state)
{
	(void)state;
	assert_int_equal(easter(2025), day_number(2025, 4, 20));
	assert_int_equal(easter(2026), day_number(2026, 4, 5));
	assert_int_equal(easter(2027), day_number(2027, 3, 28));
	assert_int_equal(day_number(1970, 1, 1), 0);
	assert_int_equal(day_number(2000, 3, 1) - day_number(2000, 2, 28), 2);
}

static void test_asset_holidays(void **state)
{
	static const char *const countries[] = { "DK", "NO", "SE", "FI", "GB", "DE" };
	enum { NC = sizeof(countries) / sizeof(countries[0]), NY = 3 };
	struct cps_csv_column cols[] = {
		{ .name = "country", .required = 1 },
		{ .name = "date", .required = 1 },
		{ .name = "name", .required = 1 },
	};
	struct cps_csv *c = open_asset("holidays.csv",
				       CPS_CSV_COMMENTS | CPS_CSV_SAME_COUNT);
	struct cps_csv_row row;
	struct cps_error err;
	enum cps_err rc;
	long days[NC][64];
	int ndays[NC] = { 0 };
	int good_friday[NC][NY] = { { 0 } };
	int christmas[NC][NY] = { { 0 } };

	(void)state;
	if (cps_csv_header(c, cols, 3, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	while ((rc = cps_csv_next(c, &row, &err)) == CPS_OK) {
		const char *cc = cps_csv_get(&row, &cols[0]);
		const char *date = cps_csv_get(&row, &cols[1]);
		const char *name = cps_csv_get(&row, &cols[2]);
		int k, y = 0;
		long dn = parse_date(date, &y);

		for (k = 0; k < NC; k++)
			if (strcmp(cc, countries[k]) == 0)
				break;
		if (k == NC)
			fail_msg("holidays.csv:%lu: country \"%s\"", row.line, cc);
		if (dn < 0 || y < 2025 || y > 2027)
			fail_msg("holidays.csv:%lu: date \"%s\"", row.line, date);
		if (!trimmed(name))
			fail_msg("holidays.csv:%lu: name \"%s\"", row.line, name);
		for (int i = 0; i < ndays[k]; i++)
			if (days[k][i] == dn)
				fail_msg("holidays.csv:%lu: %s %s appears twice",
					 row.line, cc, date);
		assert_true(ndays[k] < 64);
		days[k][ndays[k]++] = dn;
		if (dn == easter(y) - 2)
			good_friday[k][y - 2025] = 1;
		if (strstr(name, "Christmas Day"))
			christmas[k][y - 2025] = 1;
	}
	if (rc != CPS_CSV_END)
		fail_msg("%s", err.msg);
	cps_csv_free(c);
	/* Good Friday is a holiday in all six; a wrong Easter shows here */
	for (int k = 0; k < NC; k++)
		for (int y = 0; y < NY; y++) {
			if (!good_friday[k][y])
				fail_msg("holidays.csv: %s has no Good Friday in %d",
					 countries[k], 2025 + y);
			if (!christmas[k][y])
				fail_msg("holidays.csv: %s has no Christmas Day in %d",
					 countries[k], 2025 + y);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_quoted_comma_and_doubled_quote),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_end_of_input),
		cmocka_unit_test(test_end_is_repeated),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_empty_and_spaced_fields),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_quote_in_unquoted_field),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_record_too_long),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_utf16_refused),
		cmocka_unit_test(test_same_count),
		cmocka_unit_test(test_plain_runs),
		cmocka_unit_test(test_ascii_records),
		cmocka_unit_test(test_file_same_as_memory),
		cmocka_unit_test(test_plain_fields_across_buffer),
		cmocka_unit_test(test_open_missing_file),
		cmocka_unit_test(test_error_helper_and_name),
		cmocka_unit_test(test_header_map),
		cmocka_unit_test(test_header_missing_columns),
		cmocka_unit_test(test_map_header_row),
		cmocka_unit_test(test_easter_dates),
		cmocka_unit_test(test_asset_catalog),
		cmocka_unit_test(test_asset_countries),
		cmocka_unit_test(test_asset_holidays),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
