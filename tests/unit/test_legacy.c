/* test_legacy.c - importing the export of the old CPS system: the sample
 * file, every kind of bad row refused with file:line and nothing stored,
 * conflicts with earlier imports, idempotent re-imports, the rows matched
 * in memory (e-mails by ASCII case, model and serial) with the problems
 * in their order, rows written many to a statement, and looking up an
 * old account and its products. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cpsreg/catalog.h"
#include "cpsreg/legacy.h"
#include "cpsreg/store.h"
#include "engine_private.h"
#include "store_private.h"
#include "cpsreg/product.h"
#include "testutil.h"

#define NOW 1790000000 /* 2026-09-21 */

#define HEADER "email,member_number,name,model,serial,purchase_date,purchase_country,dealer\n"

/* The engine fills the catalog from assets/catalog.csv on opening. */
static void setup_engine(struct tu_engine *t)
{
	tu_engine_new(t, NOW);
}

static void write_csv(const struct tu_engine *t, const char *name,
		      const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", t->dir, name);
	tu_write_file(path, text, strlen(text));
}

/* Imports text (written to a file) and returns the result. */
static enum cps_err import_text(struct tu_engine *t, const char *text,
				struct cps_legacy_report *rep,
				struct cps_error *err, char *path, size_t len)
{
	write_csv(t, "export.csv", text, path, len);
	return cps_legacy_import(t->e, path, rep, err);
}

static int has_error(const struct cps_legacy_report *rep, const char *path,
		     unsigned long line, const char *part)
{
	char head[700];

	snprintf(head, sizeof(head), "%s:%lu: ", path, line);
	for (size_t i = 0; i < rep->nkept; i++)
		if (strncmp(rep->errors[i], head, strlen(head)) == 0 &&
		    strstr(rep->errors[i], part))
			return 1;
	return 0;
}

static void expect_error(const struct cps_legacy_report *rep, const char *path,
			 unsigned long line, const char *part)
{
	if (has_error(rep, path, line, part))
		return;
	for (size_t i = 0; i < rep->nkept; i++)
		print_message("  %s\n", rep->errors[i]);
	fail_msg("no error \"%s\" on line %lu", part, line);
}

static int products_of(struct tu_engine *t, const char *email)
{
	struct cps_legacy_account a;
	struct cps_error err = { 0 };
	enum cps_err rc = cps_legacy_find(t->e, email, &a, &err);

	if (rc == CPS_ERR_NOT_FOUND)
		return -1;
	assert_int_equal(rc, CPS_OK);
	return a.products;
}

struct listed {
	int n;
	int stop_after;
	char lines[16][256];
};

static int collect(const struct cps_legacy_product *p, void *arg)
{
	struct listed *l = arg;

	if (l->n < 16)
		snprintf(l->lines[l->n], sizeof(l->lines[0]), "%s|%s|%s|%s|%s|%d",
			 p->model, p->serial, p->purchase_date, p->purchase_country,
			 p->dealer, p->points > 0);
	l->n++;
	return l->stop_after && l->n >= l->stop_after;
}

static void list(struct tu_engine *t, const char *email, struct listed *l)
{
	struct cps_legacy_account a;
	struct cps_error err = { 0 };

	memset(l, 0, sizeof(*l));
	assert_int_equal(cps_legacy_find(t->e, email, &a, &err), CPS_OK);
	assert_int_equal(cps_legacy_products(t->e, a.id, collect, l, &err), CPS_OK);
	assert_int_equal(l->n, a.products);
}

/* --- the sample ------------------------------------------------------ */

static void test_sample_imports(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct cps_legacy_account a;
	struct listed l;
	char path[600];

	(void)state;
	setup_engine(&t);
	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t.cfg->assets_dir);
	if (cps_legacy_import(t.e, path, &rep, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(rep.rows, 7);
	assert_int_equal(rep.accounts_added, 3);
	assert_int_equal(rep.products_added, 6);
	assert_int_equal(rep.nerrors, 0);
	assert_int_equal(rep.accounts_unchanged + rep.accounts_updated +
			 rep.products_unchanged + rep.products_updated, 0);
	cps_legacy_report_free(&rep);

	assert_int_equal(cps_legacy_find(t.e, "  Kari.Nordmann@EXAMPLE.no ", &a, &err), CPS_OK);
	assert_string_equal(a.email, "kari.nordmann@example.no");
	assert_string_equal(a.member_number, "CPS-NO-104233");
	assert_string_equal(a.name, "Kari Nordmann Foto");
	assert_int_equal(a.products, 4);
	assert_int_equal(a.imported_at, NOW);
	list(&t, "kari.nordmann@example.no", &l);
	assert_string_equal(l.lines[0], "EOS R5|012345678901|2021-05-14|NO|Japan Photo Oslo|1");
	assert_string_equal(l.lines[1], "RF 24-70mm F2.8L IS USM|4521003311|2021-05|NO|Japan Photo Oslo|1");
	assert_string_equal(l.lines[2], "EF 70-200mm f/2.8L IS III USM|2210456789|2019|NO|Foto Knudsen, Bergen|1");
	/* missing details stay missing: no green tick until completed */
	assert_string_equal(l.lines[3], "Speedlite EL-1||2021|NO||1");
	list(&t, "jens.hansen@example.dk", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.lines[1], "EF 50mm f/1.2L USM|||||1");
	/* an old account without products */
	assert_int_equal(products_of(&t, "anna.svensson@example.se"), 0);
	tu_engine_free(&t);
}

static void test_import_twice_adds_nothing(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t.cfg->assets_dir);
	assert_int_equal(cps_legacy_import(t.e, path, &rep, &err), CPS_OK);
	cps_legacy_report_free(&rep);
	tu_engine_reopen(&t);
	assert_int_equal(cps_legacy_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.accounts_added, 0);
	assert_int_equal(rep.accounts_unchanged, 3);
	assert_int_equal(rep.products_added, 0);
	assert_int_equal(rep.products_unchanged, 6);
	assert_int_equal(rep.accounts_updated + rep.products_updated, 0);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "kari.nordmann@example.no"), 4);
	assert_int_equal(products_of(&t, "jens.hansen@example.dk"), 2);
	tu_engine_free(&t);
}

/* --- bad rows ---------------------------------------------------------- */

static void test_bad_rows_refused_with_line(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	const char *text =
		"# an export with a problem on nearly every line\n"           /* 1 */
		HEADER                                                         /* 2 */
		"good@example.com,M-1,Good Name,EOS R5,111111111111,2021,DK,Shop\n" /* 3 */
		"not-an-email,M-2,,EOS R5,,,,\n"                               /* 4 */
		"nomember@example.com,,,EOS R5,,,,\n"                          /* 5 */
		"other@example.com,M-1,,,,,,\n"                                /* 6: M-1 is good@'s */
		"x@example.com,M-3,,EOS R99 Mark X,,,,\n"                      /* 7 */
		"x@example.com,M-3,,EOS R5,,2021-13,,\n"                       /* 8 */
		"x@example.com,M-3,,EOS R5,,21-05-21,,\n"                      /* 9 */
		"x@example.com,M-3,,EOS R5,,2021-02-30,,\n"                    /* 10 */
		"x@example.com,M-3,,EOS R5,,2026-10,,\n"                       /* 11: future */
		"x@example.com,M-3,,EOS R5,,2019-12-31,,\n"                    /* 12: before 2020 */
		"x@example.com,M-3,,EOS R5,,,NOR,\n"                           /* 13 */
		"x@example.com,M-3,,EOS R5,,,1A,\n"                            /* 14 */
		"x@example.com,M-3,,EOS R5,AB_123,,,\n"                        /* 15 */
		"good@example.com,M-4,,,,,,\n"                                 /* 16: other member no. */
		"y@example.com,M-5,,EOS R5,1111 1111 1111,,,\n"                /* 17: good@'s serial */
		"z@example.com,M-6,,,222,,,\n"                                 /* 18: serial, no model */
		"z@example.com,M-6,,EOS R5,,,,\"bad \x01 dealer\"\n"           /* 19 */
		"z@example.com,M-6,,EOS R5,,,,a\"b\n"                          /* 20: stray quote */
		"z@example.com,M 6,,,,,,\n"                                    /* 21 */
		"w@example.com,M-7,A,,,,,\n"                                   /* 22 */
		"w@example.com,M-7,B,,,,,\n"                                   /* 23: another name */
		"v@example.com,M-8,,EOS R5,,0000,,\n"                          /* 24 */
		"u@example.com,M-9,Foto \xe2\x80\xae" "SpA,,,,,\n";              /* 25: RLO */

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	expect_error(&rep, path, 4, "e-mail address \"not-an-email\" is not valid");
	expect_error(&rep, path, 5, "member number is missing");
	expect_error(&rep, path, 6, "M-1 is also given to good@example.com on line 3");
	expect_error(&rep, path, 7, "\"EOS R99 Mark X\" is not in the product catalog");
	/* dates and serials by the product rules, in their words */
	expect_error(&rep, path, 8, "the purchase date is not valid: \"2021-13\" is not a real date");
	expect_error(&rep, path, 9, "\"21-05-21\": please write the year with four digits");
	expect_error(&rep, path, 10, "\"2021-02-30\" is not a real date");
	expect_error(&rep, path, 11, "\"2026-10\" is in the future");
	expect_error(&rep, path, 12, "\"2019-12-31\" is before this model came out (2020)");
	expect_error(&rep, path, 13, "\"NOR\" is not a two-letter country code");
	expect_error(&rep, path, 14, "\"1A\" is not a two-letter country code");
	expect_error(&rep, path, 15, "the serial number is not valid: A serial number has only letters and digits: \"_\" is not allowed");
	expect_error(&rep, path, 16, "\"M-4\" differs from M-1 on line 3 for the same e-mail good@example.com");
	expect_error(&rep, path, 17, "EOS R5 with the serial number 111111111111 is also on line 3");
	expect_error(&rep, path, 18, "the model is missing");
	expect_error(&rep, path, 19, "dealer contains a control character (U+0001)");
	/* the engine's one policy for bidi controls: refused, named, never raw */
	expect_error(&rep, path, 25, "name contains a control character (U+202E)");
	for (size_t i = 0; i < rep.nkept; i++)
		assert_null(strstr(rep.errors[i], "\xe2\x80\xae"));
	expect_error(&rep, path, 20, "quote");
	expect_error(&rep, path, 21, "\"M 6\" is not valid");
	expect_error(&rep, path, 23, "\"B\" differs from \"A\"");
	expect_error(&rep, path, 24, "\"0000\" is not a purchase date");
	assert_int_equal(rep.nerrors, 21);
	assert_int_equal(rep.nkept, 21);
	/* listed in the order of the file, whichever check found them */
	unsigned long prev = 0;
	for (size_t i = 0; i < rep.nkept; i++) {
		unsigned long line = strtoul(rep.errors[i] + strlen(path) + 1, NULL, 10);
		assert_true(line > prev);
		prev = line;
	}
	assert_int_equal(prev, 25);
	assert_int_equal(rep.rows, 23);
	assert_int_equal(rep.accounts_added + rep.products_added, 0);
	/* err: the first problem, how many more, and that nothing happened */
	assert_non_null(strstr(err.msg, ":4: "));
	assert_non_null(strstr(err.msg, "and 20 more problems"));
	assert_non_null(strstr(err.msg, "Nothing was imported."));
	cps_legacy_report_free(&rep);
	assert_null(rep.errors);

	/* nothing stored, not even the good rows */
	assert_int_equal(products_of(&t, "good@example.com"), -1);
	assert_int_equal(products_of(&t, "x@example.com"), -1);
	tu_engine_free(&t);
}

static void test_each_bad_row_alone_stores_nothing(void **state)
{
	static const char *const bad[] = {
		"a@b,M-1,,EOS R5,,,,\n",
		",M-1,,EOS R5,,,,\n",
		"a@example.com,,,EOS R5,,,,\n",
		"a@example.com,M-1,,No Such Camera,,,,\n",
		"a@example.com,M-1,,EOS R5,,2021-05-,,\n",
		"a@example.com,M-1,,EOS R5,,1899,,\n",
		"a@example.com,M-1,,EOS R5,,14.05.21,,\n",
		"a@example.com,M-1,,EOS R5,,2027,,\n",
		"a@example.com,M-1,,EOS R5,,2026-09-22,,\n",
		"a@example.com,M-1,,EOS R5,,,N,\n",
		"a@example.com,M-1,,EOS R5,,,Ø1,\n",
		"a@example.com,M-1,,EOS R5,12_3,,,\n",
		"a@example.com,M-1,,EOS R5,123456789012345678901234567890123,,,\n",
		"a@example.com,M-1,,,,,DK,\n",
		"a@example.com,M-1,\"Name\x7f\",,,,,\n",
		"a@example.com,\"unclosed,,,,,,\n",
	};
	struct tu_engine t;
	char path[600];

	(void)state;
	setup_engine(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cps_legacy_report rep;
		struct cps_error err = { 0 };
		char text[512];

		/* one good row, then the bad one on line 3 */
		snprintf(text, sizeof(text), HEADER "good@example.com,G-1,,EOS R6,,,,\n%s", bad[i]);
		assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
		if (!has_error(&rep, path, 3, ""))
			fail_msg("row %zu: no error on line 3: %s", i, err.msg);
		assert_int_equal(rep.nerrors, 1);
		cps_legacy_report_free(&rep);
		assert_int_equal(products_of(&t, "good@example.com"), -1);
	}
	tu_engine_free(&t);
}

/* A serial is taken only as long as a registered product may hold it
 * (CPS_SERIAL_MAX), so a migrated serial is never cut short. */
static void test_serial_no_longer_than_a_product_holds(void **state)
{
	static const char serial30[] = "ABCDEFGHIJ1234567890KLMNOPQRST";
	static const char serial31[] = "ABCDEFGHIJ1234567890KLMNOPQRSTU";
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct listed l;
	char path[600], text[512], msg[64], want[128], out[CPS_SERIAL_SIZE];

	(void)state;
	assert_int_equal(strlen(serial30), CPS_SERIAL_MAX);
	assert_int_equal(strlen(serial31), CPS_SERIAL_MAX + 1);
	/* the same limit as the product's own rule */
	assert_int_equal(cps_serial_normalise(serial30, out, sizeof(out), &err), CPS_OK);
	assert_int_equal(cps_serial_normalise(serial31, out, sizeof(out), &err), CPS_ERR_INVALID);

	setup_engine(&t);
	snprintf(text, sizeof(text), HEADER
		 "long@example.com,M-1,,EOS R5,%s,,,\n"       /* 2: 30, good */
		 "long@example.com,M-1,,EOS R6,%s,,,\n"       /* 3: 31 */
		 "long@example.com,M-1,,EOS R6,%.16s %s,,,\n", /* 4: 31 once the space is dropped */
		 serial30, serial31, serial31, serial31 + 16);
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	snprintf(msg, sizeof(msg), "too long: at most %d letters and digits", CPS_SERIAL_MAX);
	expect_error(&rep, path, 3, msg);
	expect_error(&rep, path, 4, msg);
	assert_int_equal(rep.nerrors, 2);
	assert_int_equal(rep.accounts_added + rep.products_added, 0);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "long@example.com"), -1);

	/* 30 characters (written in lower case with spaces) come through whole */
	snprintf(text, sizeof(text), HEADER
		 "long@example.com,M-1,,EOS R5,abcde fghij 1234567890 klmnopqrst,,,\n");
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.products_added, 1);
	cps_legacy_report_free(&rep);
	list(&t, "long@example.com", &l);
	assert_int_equal(l.n, 1);
	snprintf(want, sizeof(want), "EOS R5|%s||||1", serial30);
	assert_string_equal(l.lines[0], want);
	tu_engine_free(&t);
}

/* The import takes serials and dates by the same rules as the wizard: a
 * serial typed with a dash in the wizard is stored without it, and so it
 * is from the export; a day-first date is stored as YYYY-MM-DD. */
static void test_product_rules_as_in_the_wizard(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct listed l;
	char path[600], serial[CPS_SERIAL_SIZE], date[CPS_DATE_SIZE];
	enum cps_date_precision prec;

	(void)state;
	assert_int_equal(cps_serial_normalise("AB-123456", serial, sizeof(serial), &err), CPS_OK);
	assert_string_equal(serial, "AB123456");
	assert_int_equal(cps_purchase_date_parse("14.05.2021", date, sizeof(date), &prec, &err), CPS_OK);

	setup_engine(&t);
	if (import_text(&t, HEADER
			"dash@example.com,M-1,,EOS R5,AB-123456,14.05.2021,dk,Foto\n"
			"dash@example.com,M-1,,EOS R6,ab 12\xe2\x80\x93" "34,05.2021,,\n",
			&rep, &err, path, sizeof(path)) != CPS_OK) {
		for (size_t i = 0; i < rep.nkept; i++)
			print_message("  %s\n", rep.errors[i]);
		fail_msg("%s", err.msg);
	}
	assert_int_equal(rep.products_added, 2);
	cps_legacy_report_free(&rep);
	list(&t, "dash@example.com", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.lines[0], "EOS R5|AB123456|2021-05-14|DK|Foto|1");
	assert_string_equal(l.lines[1], "EOS R6|AB1234|2021-05|||1");
	tu_engine_free(&t);
}

static void test_bad_file(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	/* a column missing from the header */
	assert_int_equal(import_text(&t, "email,member_number,name,model,serial,purchase_date,dealer\n",
				     &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "purchase_country"));
	assert_int_equal(rep.nerrors, 1);
	cps_legacy_report_free(&rep);
	/* empty */
	assert_int_equal(import_text(&t, "", &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	cps_legacy_report_free(&rep);
	/* missing */
	snprintf(path, sizeof(path), "%s/nonexistent.csv", t.dir);
	assert_int_equal(cps_legacy_import(t.e, path, &rep, &err), CPS_ERR_IO);
	assert_non_null(strstr(err.msg, "nonexistent.csv"));
	cps_legacy_report_free(&rep);
	/* a header only: nothing to do, and fine */
	assert_int_equal(import_text(&t, HEADER, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.rows, 0);
	cps_legacy_report_free(&rep);
	tu_engine_free(&t);
}

static void test_many_errors_kept_and_counted(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	size_t cap = 300 * 64 + sizeof(HEADER);
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	setup_engine(&t);
	strcpy(text, HEADER);
	for (int i = 0; i < 300; i++)
		snprintf(text + strlen(text), cap - strlen(text), "bad%d,M-%d,,,,,,\n", i, i);
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	assert_int_equal(rep.nerrors, 300);
	assert_int_equal(rep.nkept, CPS_LEGACY_MAX_ERRORS);
	assert_non_null(strstr(err.msg, "and 299 more problems"));
	cps_legacy_report_free(&rep);
	free(text);
	tu_engine_free(&t);
}

/* --- against earlier imports -------------------------------------------- */

static void test_conflicts_with_earlier_import(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, HEADER
		"first@example.com,F-1,First,EOS R5,123456789012,2021,DK,Shop\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	cps_legacy_report_free(&rep);

	assert_int_equal(import_text(&t, HEADER
		"new@example.com,N-1,,EOS R6,,,,\n"                     /* 2: fine */
		"FIRST@example.com,F-2,,,,,,\n"                         /* 3 */
		"second@example.com,F-1,,,,,,\n"                        /* 4 */
		"third@example.com,T-1,,eos r5,1234 5678 9012,,,\n",    /* 5 */
		&rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	expect_error(&rep, path, 3, "imported before with the member number F-1, not F-2");
	expect_error(&rep, path, 4, "F-1 was imported before for first@example.com");
	expect_error(&rep, path, 5, "EOS R5 with the serial number 123456789012 was imported before for another old account (first@example.com)");
	assert_int_equal(rep.nerrors, 3);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "new@example.com"), -1);
	assert_int_equal(products_of(&t, "first@example.com"), 1);
	tu_engine_free(&t);
}

static void test_reimport_updates_and_adds(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct cps_legacy_account a;
	struct listed l;
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, HEADER
		"p@example.com,P-1,,EOS R5,123456789012,2021,DK,Shop\n"
		"p@example.com,P-1,,Speedlite EL-1,,2021,DK,\n"
		"p@example.com,P-1,,Speedlite EL-1,,2021,DK,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 1);
	assert_int_equal(rep.products_added, 3);  /* two identical flashes are two */
	cps_legacy_report_free(&rep);

	/* a newer export: a name, a corrected dealer, a third flash, a lens;
	 * e-mail, model and serial written differently */
	assert_int_equal(import_text(&t, HEADER
		"P@Example.COM,P-1,Pia Photo,eos  r5,1234 5678 9012,2021-06,dk,Camera Shop\n"
		"p@example.com,P-1,,Speedlite EL-1,,2021,DK,\n"
		"p@example.com,P-1,,Speedlite EL-1,,2021,DK,\n"
		"p@example.com,P-1,,Speedlite EL-1,,2021,DK,\n"
		"p@example.com,P-1,,RF 50mm F1.8 STM,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 0);
	assert_int_equal(rep.accounts_updated, 1);
	assert_int_equal(rep.products_added, 2);
	assert_int_equal(rep.products_updated, 1);
	assert_int_equal(rep.products_unchanged, 2);
	cps_legacy_report_free(&rep);

	assert_int_equal(cps_legacy_find(t.e, "p@example.com", &a, &err), CPS_OK);
	assert_string_equal(a.name, "Pia Photo");
	assert_int_equal(a.products, 5);
	list(&t, "p@example.com", &l);
	assert_string_equal(l.lines[0], "EOS R5|123456789012|2021-06|DK|Camera Shop|1");

	/* fewer rows than stored: an import never deletes */
	assert_int_equal(import_text(&t, HEADER "p@example.com,P-1,,,,,,\n",
				     &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_unchanged, 1);
	assert_int_equal(rep.products_added + rep.products_updated + rep.products_unchanged, 0);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "p@example.com"), 5);
	tu_engine_free(&t);
}

static void test_crlf_bom_and_quotes(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct listed l;
	char path[600];

	(void)state;
	setup_engine(&t);
	if (import_text(&t, "\xef\xbb\xbf"
		"Email , Member_Number,NAME,model,serial,purchase_date,purchase_country,dealer,notes\r\n"
		"q@example.com,Q-1,\"Quist, Q.\",EOS R5,,2022,se,\"Foto \"\"Q\"\"\r\nStockholm\",extra\r\n",
		&rep, &err, path, sizeof(path)) != CPS_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(rep.products_added, 1);
	cps_legacy_report_free(&rep);
	list(&t, "q@example.com", &l);
	assert_string_equal(l.lines[0], "EOS R5||2022|SE|Foto \"Q\" Stockholm|1");
	tu_engine_free(&t);
}

/* Two rows of one e-mail with different names, each with an "ø" whose two
 * bytes straddle the 60-byte cut of a quoted value: the message that
 * quotes both once wrote past its buffer (a crash in the normal build). */
static void test_long_names_cut_on_a_character(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	/* 59 bytes of ASCII, then "ø" at bytes 60-61, then more */
	const char *name1 = "Nordlys Fotografi og Bildebyra Aksjeselskap avdeling Tromso\xc3\xb8 Nord";
	const char *name2 = "Nordlys Fotografi og Bildebyra Aksjeselskap avdeling Tromso\xc3\xb8 S\xc3\xb8r";
	char csv[1024];

	(void)state;
	assert_int_equal(strlen(name1) > 61, 1);
	assert_int_equal((unsigned char)name1[59], 0xc3);
	snprintf(csv, sizeof(csv), HEADER
		 "nordlys@example.no,N-1,%s,EOS R5,,2021,NO,Foto\n"
		 "nordlys@example.no,N-1,%s,EOS R6,,2022,NO,Foto\n", name1, name2);
	setup_engine(&t);
	assert_int_equal(import_text(&t, csv, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	expect_error(&rep, path, 3, "differs from");
	for (size_t i = 0; i < rep.nkept; i++) {
		const char *e = rep.errors[i];
		const char *cut = strstr(e, "...");

		/* cut whole: no half "ø" before the dots, and the dots shown */
		assert_non_null(cut);
		assert_int_not_equal((unsigned char)cut[-1], 0xc3);
		assert_non_null(strstr(e, "Tromso..."));
	}
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "nordlys@example.no"), -1);
	tu_engine_free(&t);
}

/* Text is stored in NFC: a name and a dealer written decomposed on one
 * row and composed on the next are the same, and stored composed. */
static void test_text_stored_nfc(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_legacy_account a;
	struct cps_error err = { 0 };
	struct listed l;
	char path[600];

	(void)state;
	setup_engine(&t);
	if (import_text(&t, HEADER
		"nfc@example.no,N-2,Bla\xcc\x8a" "b\xc3\xa6r Foto,EOS R5,,2021,NO,Fe\xcc\x81te\n"
		"nfc@example.no,N-2,Bl\xc3\xa5" "b\xc3\xa6r Foto,EOS R6,,2022,NO,F\xc3\xa9te\n",
		&rep, &err, path, sizeof(path)) != CPS_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(rep.products_added, 2);
	cps_legacy_report_free(&rep);
	assert_int_equal(cps_legacy_find(t.e, "nfc@example.no", &a, &err), CPS_OK);
	assert_string_equal(a.name, "Bl\xc3\xa5" "b\xc3\xa6r Foto");
	list(&t, "nfc@example.no", &l);
	assert_int_equal(l.n, 2);
	assert_non_null(strstr(l.lines[0], "|F\xc3\xa9te|"));
	assert_non_null(strstr(l.lines[1], "|F\xc3\xa9te|"));
	tu_engine_free(&t);
}

/* --- looking up --------------------------------------------------------- */

static void test_find_and_products(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct cps_legacy_account a;
	struct listed l = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(cps_legacy_find(t.e, "nobody@example.com", &a, &err), CPS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "nobody@example.com"));
	assert_non_null(strstr(err.msg, "CPS Priority support"));
	assert_int_equal(cps_legacy_find(t.e, "not an e-mail", &a, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_legacy_find(t.e, NULL, &a, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_legacy_products(t.e, 42, collect, &l, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(l.n, 0);

	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t.cfg->assets_dir);
	assert_int_equal(cps_legacy_import(t.e, path, &rep, &err), CPS_OK);
	cps_legacy_report_free(&rep);
	assert_int_equal(cps_legacy_find(t.e, "kari.nordmann@example.no", &a, &err), CPS_OK);
	/* the callback may stop early */
	l.stop_after = 2;
	assert_int_equal(cps_legacy_products(t.e, a.id, collect, &l, &err), CPS_OK);
	assert_int_equal(l.n, 2);
	tu_engine_free(&t);
}

/* --- written in batches, seen all at once ------------------------------ */

/* n accounts b0..b(n-1)@example.com, each with one camera. */
static char *batch_csv(int n)
{
	size_t cap = sizeof(HEADER) + (size_t)n * 100;
	char *text = malloc(cap);
	size_t used;

	assert_non_null(text);
	used = (size_t)snprintf(text, cap, "%s", HEADER);
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used,
			"b%d@example.com,B-%d,,EOS R5,%012d,2021,DK,Shop\n", i, i, 100000 + i);
	return text;
}

struct watch {
	struct cps_engine *other;  /* another process's view of the database */
	int batches;
	int seen;                  /* accounts the other view found meanwhile */
	int stop_at;               /* stop the import after this batch (0: never) */
	int die_at;                /* end the process after this batch (0: never) */
};

static int after_batch(void *arg, size_t written)
{
	struct watch *w = arg;
	struct cps_legacy_account a;
	struct cps_error err = { 0 };

	assert_true(written > 0);
	w->batches++;
	if (w->die_at && w->batches == w->die_at)
		_exit(9);
	if (w->other) {
		for (int i = 0; i < 40; i++) {
			char email[40];
			snprintf(email, sizeof(email), "b%d@example.com", i);
			if (cps_legacy_find(w->other, email, &a, &err) == CPS_OK)
				w->seen++;
		}
	}
	return w->stop_at && w->batches == w->stop_at;
}

/* How many rows the table holds, published or not: the store's own
 * counts see only published rows. */
static long long raw_rows(struct tu_engine *t, const char *table)
{
	char sql[100];
	long long n = -1;
	sqlite3 *db;
	sqlite3_stmt *st;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	assert_int_equal(sqlite3_open_v2(t->cfg->database, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_batches_seen_only_when_done(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct watch w = { 0 };
	char path[600];
	char *text = batch_csv(40);

	(void)state;
	setup_engine(&t);
	assert_int_equal(cps_engine_open(&w.other, t.cfg, &err), CPS_OK);
	t.e->import_batch_rows = 7;
	t.e->import_batch_done = after_batch;
	t.e->import_batch_arg = &w;
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 40);
	assert_int_equal(rep.products_added, 40);
	cps_legacy_report_free(&rep);
	/* 80 rows, 7 a batch: 11 batches, the last 3 rows written in the
	 * last transaction (no commit and pause of their own) */
	assert_int_equal(w.batches, 11);
	assert_int_equal(w.seen, 0);
	assert_int_equal(products_of(&t, "b39@example.com"), 1);
	{
		struct cps_legacy_account a;
		assert_int_equal(cps_legacy_find(w.other, "b0@example.com", &a, &err), CPS_OK);
	}
	cps_engine_close(w.other);
	free(text);
	tu_engine_free(&t);
}

static void test_stopped_import_leaves_nothing(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct watch w = { .stop_at = 3 };
	char path[600];
	char *text = batch_csv(40);

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, HEADER "keep@example.com,K-1,,EOS R5,999999999999,2021,DK,Shop\n",
				     &rep, &err, path, sizeof(path)), CPS_OK);
	cps_legacy_report_free(&rep);
	t.e->import_batch_rows = 5;
	t.e->import_batch_done = after_batch;
	t.e->import_batch_arg = &w;
	assert_int_not_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 0);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "b0@example.com"), -1);
	assert_int_equal(raw_rows(&t, "legacy_account"), 1);
	assert_int_equal(raw_rows(&t, "legacy_product"), 1);
	assert_int_equal(products_of(&t, "keep@example.com"), 1);

	/* the claim ended with it: the same file now goes in whole */
	t.e->import_batch_done = NULL;
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 40);
	cps_legacy_report_free(&rep);
	assert_int_equal(raw_rows(&t, "legacy_account"), 41);
	free(text);
	tu_engine_free(&t);
}

static void test_killed_import_dropped_by_next(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	char *text = batch_csv(40);
	int status;
	pid_t pid;

	(void)state;
	setup_engine(&t);
	write_csv(&t, "export.csv", text, path, sizeof(path));
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct watch w = { .die_at = 4 };
		struct tu_engine c = t;
		struct cps_error e2 = { 0 };

		/* the child's own connection, as another process would have */
		if (cps_engine_open(&c.e, t.cfg, &e2) != CPS_OK) {
			fprintf(stderr, "child: %s\n", e2.msg);
			_exit(2);
		}
		c.e->import_batch_rows = 6;
		c.e->import_batch_done = after_batch;
		c.e->import_batch_arg = &w;
		cps_legacy_import(c.e, path, &rep, &e2);
		_exit(3);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 9);

	/* 24 rows were committed and are not seen; the claim names a
	 * process that has ended */
	assert_int_equal(raw_rows(&t, "legacy_account") + raw_rows(&t, "legacy_product"), 24);
	assert_int_equal(products_of(&t, "b0@example.com"), -1);
	{
		char claim[CPS_STORE_META_MAX];
		char dead[32];
		assert_int_equal(cps_store_meta_get(t.e->store, "import_running", claim,
						    sizeof(claim), &err), CPS_OK);
		snprintf(dead, sizeof(dead), "%ld ", (long)pid);
		assert_memory_equal(claim, dead, strlen(dead));
	}

	/* the next import, of either kind, takes the claim over and drops
	 * those rows first: here the shipped catalog again */
	{
		struct cps_catalog_report crep;
		char cat[700];
		snprintf(cat, sizeof(cat), "%s/catalog.csv", t.cfg->assets_dir);
		assert_int_equal(cps_catalog_import(t.e, cat, &crep, &err), CPS_OK);
		assert_int_equal(crep.added + crep.updated + crep.retired, 0);
		cps_catalog_report_free(&crep);
	}
	assert_int_equal(raw_rows(&t, "legacy_account") + raw_rows(&t, "legacy_product"), 0);
	assert_int_equal(cps_legacy_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.accounts_added, 40);
	cps_legacy_report_free(&rep);
	assert_int_equal(raw_rows(&t, "legacy_account"), 40);
	assert_int_equal(raw_rows(&t, "legacy_product"), 40);
	assert_int_equal(products_of(&t, "b7@example.com"), 1);
	free(text);
	tu_engine_free(&t);
}

static void test_second_import_waits_its_turn(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600], claim[64];

	(void)state;
	setup_engine(&t);
	/* a live process (this one) holds the claim */
	snprintf(claim, sizeof(claim), "%ld 0", (long)getpid());
	assert_int_equal(cps_store_meta_set(t.e->store, "import_running", claim, &err), CPS_OK);
	if (import_text(&t, HEADER "w@example.com,W-1,,,,,,\n", &rep, &err, path,
			sizeof(path)) != CPS_ERR_BUSY)
		fail_msg("not refused as busy: %s", err.msg);
	assert_non_null(strstr(err.msg, "another import is running"));
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "w@example.com"), -1);
	/* and a catalog import waits for the same claim */
	{
		struct cps_catalog_report crep;
		write_csv(&t, "cat.csv", "model,category,points,release_year,serial_pattern\n"
			  "EOS Test,body,100,2024,\n", path, sizeof(path));
		assert_int_equal(cps_catalog_import(t.e, path, &crep, &err), CPS_ERR_BUSY);
		cps_catalog_report_free(&crep);
	}
	assert_int_equal(cps_store_meta_set(t.e->store, "import_running", "", &err), CPS_OK);
	assert_int_equal(import_text(&t, HEADER "w@example.com,W-1,,,,,,\n",
				     &rep, &err, path, sizeof(path)), CPS_OK);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "w@example.com"), 0);
	tu_engine_free(&t);
}

/* A model and a date seen on an earlier row are answered again without
 * a lookup (README, Performance): the same date is still judged by each
 * row's model, whichever of the two was seen first and however the model
 * is written. */
static void test_repeated_dates_judged_per_model(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	const char *text =
		HEADER                                                         /* 1 */
		"a@example.com,A-1,,EOS 5D Mark III,111111111111,2013,,\n"    /* 2: 2012 */
		"a@example.com,A-1,,EOS R5,222222222222,2013,,\n"             /* 3: 2020 */
		"a@example.com,A-1,,EOS 5D Mark III,333333333333,2013,,\n"    /* 4 */
		"a@example.com,A-1,,eos  r5,444444444444,2013,,\n"            /* 5 */
		"a@example.com,A-1,,EOS R5,555555555555,2021,,\n"             /* 6 */
		"a@example.com,A-1,,EOS 5D Mark III,666666666666,2011,,\n"    /* 7 */
		"a@example.com,A-1,,EOS R5,777777777777,2021,,\n"             /* 8 */
		"a@example.com,A-1,,EOS R99,888888888888,2021,,\n"            /* 9 */
		"a@example.com,A-1,,EOS R99,999999999999,2021,,\n";           /* 10 */

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	expect_error(&rep, path, 3, "\"2013\" is before this model came out (2020)");
	expect_error(&rep, path, 5, "\"2013\" is before this model came out (2020)");
	expect_error(&rep, path, 7, "\"2011\" is before this model came out (2012)");
	expect_error(&rep, path, 9, "\"EOS R99\" is not in the product catalog");
	expect_error(&rep, path, 10, "\"EOS R99\" is not in the product catalog");
	assert_int_equal(rep.nerrors, 5);
	cps_legacy_report_free(&rep);
	tu_engine_free(&t);
}

/* --- matching rows in memory ------------------------------------------ */

/* An e-mail is one account whatever the case of its ASCII letters (as
 * the store's NOCASE index), and only those: Å and å are two. */
static void test_emails_matched_by_ascii_case(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, HEADER
		"Kari@Example.COM,K-1,Kari,EOS R5,111111111111,2021,NO,\n"
		"\xc3\x85se@example.com,A-1,,,,,,\n"                 /* Åse */
		"kari@example.com,K-1,,EOS R6,222222222222,,,\n"
		"\xc3\xa5se@example.com,A-2,,EOS R5,333333333333,,,\n" /* åse */
		"\xc3\x85SE@EXAMPLE.COM,A-1,,EOS R6,444444444444,,,\n", /* ÅSE */
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 3);
	assert_int_equal(rep.products_added, 4);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "KARI@example.com"), 2);
	assert_int_equal(products_of(&t, "\xc3\x85se@example.com"), 1);
	assert_int_equal(products_of(&t, "\xc3\xa5se@example.com"), 1);

	/* the same e-mail with another member number, in another case */
	assert_int_not_equal(import_text(&t, HEADER
		"new@example.com,N-1,,,,,,\n"
		"NEW@example.com,N-2,,,,,,\n"
		"\xc3\xa5SE@EXAMPLE.COM,A-2,,,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.nerrors, 1);
	expect_error(&rep, path, 3, "the member number \"N-2\" differs from N-1 on line 2 for the same e-mail NEW@example.com");
	cps_legacy_report_free(&rep);

	/* stored before: found in any ASCII case */
	assert_int_equal(import_text(&t, HEADER
		"KARI@EXAMPLE.COM,K-1,,,,,,\n"
		"\xc3\xa5SE@EXAMPLE.COM,A-2,,,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 0);
	assert_int_equal(rep.accounts_unchanged, 2);
	cps_legacy_report_free(&rep);
	tu_engine_free(&t);
}

/* A model and serial twice: each later row names the latest earlier
 * one; the model written in another case or with more spaces, and the
 * serial with a dash, are the same product; another model is not. */
static void test_serial_duplicates_in_memory(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_not_equal(import_text(&t, HEADER
		"a@example.com,A-1,,EOS R5,AB123456,,,\n"
		"b@example.com,B-1,,EOS R6,AB123456,,,\n"
		"c@example.com,C-1,,eos  r5,AB-123456,,,\n"
		"a@example.com,A-1,,EOS R5,ab123456,,,\n"
		"d@example.com,A-1,,,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.nerrors, 3);
	expect_error(&rep, path, 4, "EOS R5 with the serial number AB123456 is also on line 2");
	expect_error(&rep, path, 5, "EOS R5 with the serial number AB123456 is also on line 4");
	expect_error(&rep, path, 6, "the member number A-1 is also given to a@example.com on line 2");
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "a@example.com"), -1);
	tu_engine_free(&t);
}

/* More problems than the report keeps: the rows' own first, then those
 * between rows in the order of the e-mails (not of the lines), as they
 * are found. */
static void test_kept_problems_in_email_order(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];
	size_t cap = 64 * 1024, used;
	char *text = malloc(cap);
	int n = CPS_LEGACY_MAX_ERRORS;

	(void)state;
	assert_non_null(text);
	setup_engine(&t);
	used = (size_t)snprintf(text, cap, "%s", HEADER);
	/* lines 2..: e-mails z..., then a..., each with two member numbers */
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used,
			"%c%03d@example.com,X-%d,,,,,,\n%c%03d@example.com,Y-%d,,,,,,\n",
			i < n / 2 ? 'z' : 'a', i, i, i < n / 2 ? 'z' : 'a', i, i);
	assert_int_not_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.nerrors, (size_t)n);
	assert_int_equal(rep.nkept, (size_t)n);
	cps_legacy_report_free(&rep);

	/* one row's own problem more: the last e-mail's in order (z099)
	 * is the one left out, though its line is not the last */
	used += (size_t)snprintf(text + used, cap - used, "bad,Q-1,,,,,,\n");
	assert_int_not_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.nerrors, (size_t)n + 1);
	assert_int_equal(rep.nkept, (size_t)n);
	expect_error(&rep, path, (unsigned long)(2 * n + 2), "the e-mail address \"bad\" is not valid");
	expect_error(&rep, path, 2 * (n - 1) + 3, "a199@example.com");
	expect_error(&rep, path, 2 * (n / 2 - 2) + 3, "z098@example.com");
	assert_false(has_error(&rep, path, 2 * (n / 2 - 1) + 3, "z099@example.com"));
	cps_legacy_report_free(&rep);
	free(text);
	tu_engine_free(&t);
}

/* Rows go out many to a statement: across batches of 7, more than one
 * statement's worth for one account, every row in its place and order. */
static void test_many_rows_to_a_statement(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	struct watch w = { 0 };
	struct listed l;
	char path[600];
	size_t cap = 64 * 1024, used;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	setup_engine(&t);
	used = (size_t)snprintf(text, cap, "%s", HEADER);
	for (int i = 0; i < 70; i++)
		used += (size_t)snprintf(text + used, cap - used,
			"m%d@example.com,M-%d,,EOS R5,%012d,2021,DK,Shop\n", i, i, 500000 + i);
	for (int i = 0; i < 75; i++)
		used += (size_t)snprintf(text + used, cap - used,
			"big@example.com,G-1,,%s,%s%d,,,\n", i % 2 ? "EOS R6" : "Speedlite EL-1",
			i % 3 ? "S" : "", i);
	t.e->import_batch_rows = 7;
	t.e->import_batch_done = after_batch;
	t.e->import_batch_arg = &w;
	assert_int_equal(import_text(&t, text, &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 71);
	assert_int_equal(rep.products_added, 145);
	cps_legacy_report_free(&rep);
	/* 216 rows, 7 a batch: 30 batches, the last 6 rows written in the
	 * last transaction */
	assert_int_equal(w.batches, 30);
	assert_int_equal(raw_rows(&t, "legacy_account"), 71);
	assert_int_equal(raw_rows(&t, "legacy_product"), 145);
	for (int i = 0; i < 70; i += 23) {
		char email[40];
		snprintf(email, sizeof(email), "m%d@example.com", i);
		assert_int_equal(products_of(&t, email), 1);
	}
	list(&t, "big@example.com", &l);
	assert_int_equal(l.n, 75);
	assert_string_equal(l.lines[0], "Speedlite EL-1|0||||1");
	assert_string_equal(l.lines[1], "EOS R6|S1||||1");
	assert_string_equal(l.lines[15], "EOS R6|15||||1");
	free(text);
	tu_engine_free(&t);
}

/* The first import into a store without old accounts looks nothing up;
 * the next ones do, with accounts but no products stored, then both. */
static void test_accounts_then_products(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(import_text(&t, HEADER "o@example.com,O-1,,,,,,\n",
				     &rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_added, 1);
	cps_legacy_report_free(&rep);
	assert_int_not_equal(import_text(&t, HEADER "p@example.com,O-1,,,,,,\n",
					 &rep, &err, path, sizeof(path)), CPS_OK);
	expect_error(&rep, path, 2, "the member number O-1 was imported before for o@example.com");
	cps_legacy_report_free(&rep);
	assert_int_equal(import_text(&t, HEADER
		"O@example.com,O-1,,EOS R5,777777777777,,,\n"
		"o@example.com,O-1,,Speedlite EL-1,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.accounts_unchanged, 1);
	assert_int_equal(rep.products_added, 2);
	cps_legacy_report_free(&rep);
	assert_int_equal(import_text(&t, HEADER
		"o@example.com,O-1,,EOS R5,777777777777,,,\n"
		"o@example.com,O-1,,Speedlite EL-1,,,,\n"
		"o@example.com,O-1,,Speedlite EL-1,,,,\n",
		&rep, &err, path, sizeof(path)), CPS_OK);
	assert_int_equal(rep.products_added, 1);
	assert_int_equal(rep.products_unchanged, 2);
	cps_legacy_report_free(&rep);
	assert_int_equal(products_of(&t, "o@example.com"), 3);
	tu_engine_free(&t);
}

static int pragma(struct tu_engine *t, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store), sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The import's batches commit without waiting for the disk and leave the
 * log to be copied at the end; afterwards, whether it went in or was
 * refused (before it wrote, or checking the store), the connection waits
 * again (synchronous FULL), copies the log every 1,000 pages again, and
 * its temporary storage is as it was. */
static void test_settings_back_after_import(void **state)
{
	struct tu_engine t;
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	(void)state;
	setup_engine(&t);
	assert_int_equal(pragma(&t, "PRAGMA synchronous"), 2);
	assert_int_equal(pragma(&t, "PRAGMA temp_store"), 0);
	assert_int_equal(pragma(&t, "PRAGMA wal_autocheckpoint"), 1000);
	assert_int_equal(import_text(&t, HEADER "s@example.com,S-1,,EOS R5,888888888888,,,\n",
				     &rep, &err, path, sizeof(path)), CPS_OK);
	cps_legacy_report_free(&rep);
	assert_int_equal(pragma(&t, "PRAGMA synchronous"), 2);
	assert_int_equal(pragma(&t, "PRAGMA temp_store"), 0);
	assert_int_equal(pragma(&t, "PRAGMA wal_autocheckpoint"), 1000);
	assert_int_not_equal(import_text(&t, HEADER "bad,S-2,,,,,,\n",
					 &rep, &err, path, sizeof(path)), CPS_OK);
	cps_legacy_report_free(&rep);
	assert_int_equal(pragma(&t, "PRAGMA synchronous"), 2);
	assert_int_equal(pragma(&t, "PRAGMA temp_store"), 0);
	assert_int_equal(pragma(&t, "PRAGMA wal_autocheckpoint"), 1000);
	/* the same product for another old account: refused by the store */
	assert_int_equal(import_text(&t, HEADER "t@example.com,T-1,,EOS R5,888888888888,,,\n",
				     &rep, &err, path, sizeof(path)), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "was imported before for another old account"));
	cps_legacy_report_free(&rep);
	assert_int_equal(pragma(&t, "PRAGMA synchronous"), 2);
	assert_int_equal(pragma(&t, "PRAGMA wal_autocheckpoint"), 1000);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sample_imports, tu_cleanup),
		cmocka_unit_test_teardown(test_import_twice_adds_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_bad_rows_refused_with_line, tu_cleanup),
		cmocka_unit_test_teardown(test_repeated_dates_judged_per_model, tu_cleanup),
		cmocka_unit_test_teardown(test_text_stored_nfc, tu_cleanup),
		cmocka_unit_test_teardown(test_each_bad_row_alone_stores_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_serial_no_longer_than_a_product_holds, tu_cleanup),
		cmocka_unit_test_teardown(test_product_rules_as_in_the_wizard, tu_cleanup),
		cmocka_unit_test_teardown(test_bad_file, tu_cleanup),
		cmocka_unit_test_teardown(test_many_errors_kept_and_counted, tu_cleanup),
		cmocka_unit_test_teardown(test_conflicts_with_earlier_import, tu_cleanup),
		cmocka_unit_test_teardown(test_reimport_updates_and_adds, tu_cleanup),
		cmocka_unit_test_teardown(test_crlf_bom_and_quotes, tu_cleanup),
		cmocka_unit_test_teardown(test_long_names_cut_on_a_character, tu_cleanup),
		cmocka_unit_test_teardown(test_find_and_products, tu_cleanup),
		cmocka_unit_test_teardown(test_batches_seen_only_when_done, tu_cleanup),
		cmocka_unit_test_teardown(test_stopped_import_leaves_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_killed_import_dropped_by_next, tu_cleanup),
		cmocka_unit_test_teardown(test_second_import_waits_its_turn, tu_cleanup),
		cmocka_unit_test_teardown(test_emails_matched_by_ascii_case, tu_cleanup),
		cmocka_unit_test_teardown(test_serial_duplicates_in_memory, tu_cleanup),
		cmocka_unit_test_teardown(test_kept_problems_in_email_order, tu_cleanup),
		cmocka_unit_test_teardown(test_many_rows_to_a_statement, tu_cleanup),
		cmocka_unit_test_teardown(test_accounts_then_products, tu_cleanup),
		cmocka_unit_test_teardown(test_settings_back_after_import, tu_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
