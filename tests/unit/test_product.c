/* test_product.c - "My products": serial numbers, purchase dates, country
 * and dealer; adding, changing and removing products; completeness and
 * the points fixed at completion; duplicates; the outbox. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/message.h"
#include "cpsreg/product.h"
#include "testutil.h"

#define NOW 1790000000 /* Monday 2026-09-21, 16:13 in Copenhagen */

/* --- helpers -------------------------------------------------------- */

static long long outbox(struct tu_engine *t)
{
	long long n = -1;
	struct cps_error err = { 0 };

	assert_int_equal(cps_outbox_pending(t->e, &n, &err), CPS_OK);
	return n;
}

/* Everything a refused call must leave as it was. */
struct snapshot {
	long long outbox;
	long points[2];
	int complete[2], registered[2];
};

static void snap(struct tu_engine *t, long long a, long long b, struct snapshot *s)
{
	struct cps_error err = { 0 };

	memset(s, 0, sizeof(*s));
	s->outbox = outbox(t);
	assert_int_equal(cps_product_totals(t->e, a, &s->points[0], &s->complete[0],
					    &s->registered[0], &err), CPS_OK);
	if (b)
		assert_int_equal(cps_product_totals(t->e, b, &s->points[1], &s->complete[1],
						    &s->registered[1], &err), CPS_OK);
}

static void unchanged(struct tu_engine *t, long long a, long long b, const struct snapshot *before)
{
	struct snapshot now;

	snap(t, a, b, &now);
	assert_memory_equal(&now, before, sizeof(now));
}

static struct cps_product get(struct tu_engine *t, long long id)
{
	struct cps_product p;
	struct cps_error err = { 0 };

	if (cps_product_get(t->e, id, &p, &err) != CPS_OK)
		fail_msg("product %lld: %s", id, err.msg);
	return p;
}

static long long add(struct tu_engine *t, long long acct, const struct cps_product_draft *d)
{
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	long long id = 0;

	if (cps_product_add(t->e, acct, d, &id, warning, &err) != CPS_OK)
		fail_msg("add: %s", err.msg);
	return id;
}

/* A product draft with all four details. */
static struct cps_product_draft full(long long catalog_id, const char *serial)
{
	return (struct cps_product_draft){
		.catalog_id = catalog_id,
		.serial = serial,
		.purchase_date = "2024-03",
		.purchase_country = "dk",
		.dealer = "Foto Rasmussen",
	};
}

/* Imports the assets' catalog with one line replaced. */
static void import_with(struct tu_engine *t, const char *line_start, const char *line)
{
	size_t len;
	char *text = tu_read_file("assets/catalog.csv", &len);
	char path[700];
	struct cps_error err = { 0 };
	struct cps_catalog_report rep;

	assert_non_null(text);
	char *p = strstr(text, line_start);
	assert_non_null(p);
	char *end = strchr(p, '\n');
	assert_non_null(end);
	char *out = malloc(len + strlen(line) + 2);
	assert_non_null(out);
	memcpy(out, text, (size_t)(p - text));
	sprintf(out + (p - text), "%s%s", line, end);
	snprintf(path, sizeof(path), "%s/import.csv", t->dir);
	tu_write_file(path, out, strlen(out));
	free(out);
	free(text);
	if (cps_catalog_import(t->e, path, &rep, &err) != CPS_OK)
		fail_msg("import: %s", err.msg);
	cps_catalog_report_free(&rep);
}

/* --- serial numbers ------------------------------------------------- */

static void test_serial_normalise(void **state)
{
	char out[CPS_SERIAL_SIZE];
	struct cps_error err = { 0 };

	(void)state;
	assert_int_equal(cps_serial_normalise(" 0123 456-789 ", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "0123456789");
	assert_int_equal(cps_serial_normalise("ab12cd\t", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "AB12CD");
	assert_int_equal(cps_serial_normalise("12\xC2\xA0" "34\xE2\x80\x93" "56", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "123456");
	assert_int_equal(cps_serial_normalise("", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "");
	assert_int_equal(cps_serial_normalise(NULL, out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "");

	assert_int_equal(cps_serial_normalise("12/34", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"/\" is not allowed"));
	assert_non_null(strstr(err.msg, "letters and digits"));
	assert_string_equal(out, "");
	assert_int_equal(cps_serial_normalise("12é4", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"é\" is not allowed"));
	assert_int_equal(cps_serial_normalise("12.4", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\".\""));
	assert_int_equal(cps_serial_normalise("12\x1b[31m", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "control character"));
	assert_int_equal(cps_serial_normalise("12\xff", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "cannot be read"));
	assert_int_equal(cps_serial_normalise("123456789012345678901234567890", out, sizeof(out), &err), CPS_OK);
	assert_int_equal(cps_serial_normalise("1234567890 1234567890 1234567890 1", out, sizeof(out), &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "too long"));
}

static void test_serial_warnings(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char out[CPS_SERIAL_SIZE], warning[CPS_WARNING_MAX];
	long long id;

	(void)state;
	tu_engine_new(&t, NOW);
	long long acct = tu_account_draft(&t, "a@example.com", "DK");
	long long lens = tu_model(&t, "RF 24-70mm F2.8L IS USM");        /* d10 */
	long long flash = tu_model(&t, "Speedlite EL-1");                /* no pattern */

	assert_int_equal(cps_serial_check(t.e, lens, "1234 567 890", out, sizeof(out), warning, &err), CPS_OK);
	assert_string_equal(out, "1234567890");
	assert_string_equal(warning, "");
	assert_int_equal(cps_serial_check(t.e, lens, "12345", out, sizeof(out), warning, &err), CPS_OK);
	assert_non_null(strstr(warning, "12345"));
	assert_non_null(strstr(warning, "10 digits"));
	assert_non_null(strstr(warning, "RF 24-70mm F2.8L IS USM"));
	assert_int_equal(cps_serial_check(t.e, flash, "AB1", out, sizeof(out), warning, &err), CPS_OK);
	assert_non_null(strstr(warning, "unusually short"));
	assert_int_equal(cps_serial_check(t.e, flash, "AB12345", out, sizeof(out), warning, &err), CPS_OK);
	assert_string_equal(warning, "");
	assert_int_equal(cps_serial_check(t.e, lens, "12#", out, sizeof(out), warning, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"#\""));

	/* a mismatch is saved, with the warning */
	struct cps_product_draft d = full(lens, "ABC123");
	assert_int_equal(cps_product_add(t.e, acct, &d, &id, warning, &err), CPS_OK);
	assert_non_null(strstr(warning, "10 digits"));
	assert_string_equal(get(&t, id).serial, "ABC123");
	d.serial = "9876543210";
	assert_int_equal(cps_product_update(t.e, id, &d, warning, &err), CPS_OK);
	assert_string_equal(warning, "");
	d.serial = "98765";
	assert_int_equal(cps_product_update(t.e, id, &d, warning, &err), CPS_OK);
	assert_non_null(strstr(warning, "98765"));
	tu_engine_free(&t);
}

/* --- purchase dates ------------------------------------------------- */

static void date_ok(const char *text, const char *want, enum cps_date_precision prec)
{
	char out[CPS_DATE_SIZE];
	enum cps_date_precision p = 99;
	struct cps_error err = { 0 };

	if (cps_purchase_date_parse(text, out, sizeof(out), &p, &err) != CPS_OK)
		fail_msg("\"%s\": %s", text, err.msg);
	if (strcmp(out, want) != 0 || p != prec)
		fail_msg("\"%s\" gives \"%s\" (%d), expected \"%s\" (%d)", text, out, p, want, prec);
}

static void date_bad(const char *text, const char *words1, const char *words2)
{
	char out[CPS_DATE_SIZE];
	enum cps_date_precision p = 99;
	struct cps_error err = { 0 };

	if (cps_purchase_date_parse(text, out, sizeof(out), &p, &err) != CPS_ERR_INVALID)
		fail_msg("\"%s\" accepted as \"%s\"", text, out);
	assert_string_equal(out, "");
	assert_int_equal(p, CPS_DATE_NONE);
	if (!strstr(err.msg, words1) || (words2 && !strstr(err.msg, words2)))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"/\"%s\"", text, err.msg, words1,
			 words2 ? words2 : "");
}

static void test_date_forms(void **state)
{
	(void)state;
	date_ok("2021", "2021", CPS_DATE_YEAR);
	date_ok(" 2021 ", "2021", CPS_DATE_YEAR);
	date_ok("2021-05", "2021-05", CPS_DATE_MONTH);
	date_ok("2021-5", "2021-05", CPS_DATE_MONTH);
	date_ok("2021/05", "2021-05", CPS_DATE_MONTH);
	date_ok("05.2021", "2021-05", CPS_DATE_MONTH);
	date_ok("5/2021", "2021-05", CPS_DATE_MONTH);
	date_ok("05-2021", "2021-05", CPS_DATE_MONTH);
	date_ok("2021-05-14", "2021-05-14", CPS_DATE_DAY);
	date_ok("2021-5-4", "2021-05-04", CPS_DATE_DAY);
	date_ok("14.05.2021", "2021-05-14", CPS_DATE_DAY);
	date_ok("14/05/2021", "2021-05-14", CPS_DATE_DAY);
	date_ok("4/5/2021", "2021-05-04", CPS_DATE_DAY);   /* day first */
	date_ok("14-05-2021", "2021-05-14", CPS_DATE_DAY);
	date_ok("14. 05. 2021", "2021-05-14", CPS_DATE_DAY);
	date_ok("29.02.2024", "2024-02-29", CPS_DATE_DAY);
	date_ok("", "", CPS_DATE_NONE);
	date_ok("   ", "", CPS_DATE_NONE);
	date_ok(NULL, "", CPS_DATE_NONE);

	date_bad("2021-02-30", "\"2021-02-30\"", "no day 30");
	date_bad("30.02.2021", "\"30.02.2021\"", "no day 30");
	date_bad("29.02.2023", "no day 29", NULL);
	date_bad("05/14/2021", "no month 14", NULL);       /* the US order */
	date_bad("13.2021", "no month 13", NULL);
	date_bad("2021-00", "no month 0", NULL);
	date_bad("14.05.21", "four digits", NULL);
	date_bad("05.21", "four digits", NULL);
	date_bad("May 2021", "\"May 2021\"", "2021-05");
	date_bad("2021-05-14x", "14.05.2021", NULL);
	date_bad("14.05/2021", "a year (2021)", NULL);
	date_bad("2021-05-", "not a date", NULL);
	date_bad("20210514", "not a date", NULL);
	date_bad("1.2.3.2021", "not a date", NULL);
	date_bad("0999", "too early", NULL);
	date_bad("-5", "not a date", NULL);
}

static void test_date_rules(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char out[CPS_DATE_SIZE];
	enum cps_date_precision p;

	(void)state;
	tu_engine_new(&t, NOW);
	/* today is 2026-09-21: compared at the precision given */
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "2026", out, sizeof(out), &p, &err), CPS_OK);
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "09.2026", out, sizeof(out), &p, &err), CPS_OK);
	assert_string_equal(out, "2026-09");
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "21.09.2026", out, sizeof(out), &p, &err), CPS_OK);
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "22.09.2026", out, sizeof(out), &p, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"22.09.2026\" is in the future"));
	assert_string_equal(out, "");
	assert_int_equal(p, CPS_DATE_NONE);
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "2026-10", out, sizeof(out), &p, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "future"));
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "2027", out, sizeof(out), &p, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "future"));
	/* not before the model came out; the release year itself is fine */
	assert_int_equal(cps_purchase_date_check(t.e, 2024, "12.2023", out, sizeof(out), &p, &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "before this model came out (2024)"));
	assert_int_equal(cps_purchase_date_check(t.e, 2024, "2024", out, sizeof(out), &p, &err), CPS_OK);
	assert_int_equal(cps_purchase_date_check(t.e, 2024, "01.01.2024", out, sizeof(out), &p, &err), CPS_OK);
	assert_int_equal(cps_purchase_date_check(t.e, 0, "1995", out, sizeof(out), &p, &err), CPS_OK);
	/* a day later, the 22nd is today */
	cps_engine_set_now(t.e, NOW + 86400);
	assert_int_equal(cps_purchase_date_check(t.e, 2020, "22.09.2026", out, sizeof(out), &p, &err), CPS_OK);
	tu_engine_free(&t);
}

/* --- country, dealer ------------------------------------------------ */

static void test_country_and_dealer(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char c[3], d[CPS_DEALER_SIZE], big[600];

	(void)state;
	tu_engine_new(&t, NOW);
	assert_int_equal(cps_purchase_country_check(t.e, "dk", c, &err), CPS_OK);
	assert_string_equal(c, "DK");
	assert_int_equal(cps_purchase_country_check(t.e, " IS ", c, &err), CPS_OK); /* not a CPS country */
	assert_string_equal(c, "IS");
	assert_int_equal(cps_purchase_country_check(t.e, "", c, &err), CPS_OK);
	assert_string_equal(c, "");
	assert_int_equal(cps_purchase_country_check(t.e, "XX", c, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "\"XX\" is not a country"));
	assert_int_equal(cps_purchase_country_check(t.e, "Denmark", c, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "two-letter code"));

	long long a = tu_account_draft(&t, "a@example.com", "NO");
	long long b = tu_account_draft(&t, "b@example.com", "");
	assert_int_equal(cps_product_default_country(t.e, a, c, &err), CPS_OK);
	assert_string_equal(c, "NO");
	assert_int_equal(cps_product_default_country(t.e, b, c, &err), CPS_OK);
	assert_string_equal(c, "");
	assert_int_equal(cps_product_default_country(t.e, 9999, c, &err), CPS_ERR_NOT_FOUND);

	assert_int_equal(cps_dealer_normalise("  Foto Rasmussen, Århus \t", d, sizeof(d), &err), CPS_OK);
	assert_string_equal(d, "Foto Rasmussen, Århus");
	assert_int_equal(cps_dealer_normalise(NULL, d, sizeof(d), &err), CPS_OK);
	assert_string_equal(d, "");
	/* stored in NFC: e and a combining acute are the one letter */
	assert_int_equal(cps_dealer_normalise("Fe\xcc\x81te Foto", d, sizeof(d), &err), CPS_OK);
	assert_string_equal(d, "F\xc3\xa9te Foto");
	big[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(big, "ø");
	assert_int_equal(cps_dealer_normalise(big, d, sizeof(d), &err), CPS_OK);  /* 100 characters */
	assert_string_equal(d, big);
	strcat(big, "x");
	assert_int_equal(cps_dealer_normalise(big, d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "longer than 100"));
	memset(big, 'x', 500);
	big[500] = '\0';
	assert_int_equal(cps_dealer_normalise(big, d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "longer than 100"));
	assert_int_equal(cps_dealer_normalise("Foto\nShop", d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "control character"));
	assert_int_equal(cps_dealer_normalise("Foto\x1b[2J", d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_dealer_normalise("Foto\xC2\x9B" "2J", d, sizeof(d), &err), CPS_ERR_INVALID);
	/* a bidi override would make the name read backwards on the screen */
	assert_int_equal(cps_dealer_normalise("Foto\xE2\x80\xAE" "pohS", d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "control character"));
	assert_int_equal(cps_dealer_normalise("Foto\xC3", d, sizeof(d), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "cannot be read"));
	tu_engine_free(&t);
}

static void test_dealer_suggest(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char res[8][CPS_DEALER_SIZE];
	size_t n;
	static const char *const dealers[] = {
		"Foto Rasmussen", "foto rasmussen", "Foto Rasmussen", "Fotoshop",
		"Camera Store", "Camera Store", "Café 100%", "",
	};

	(void)state;
	tu_engine_new(&t, NOW);
	long long a = tu_account_draft(&t, "a@example.com", "DK");
	long long b = tu_account_draft(&t, "b@example.com", "SE");
	long long lens = tu_model(&t, "EF 50mm f/1.8 STM");
	for (size_t i = 0; i < sizeof(dealers) / sizeof(dealers[0]); i++) {
		char serial[16];
		snprintf(serial, sizeof(serial), "10000000%02zu", i);
		struct cps_product_draft d = full(lens, serial);
		d.dealer = dealers[i];
		add(&t, i % 2 ? a : b, &d);
	}
	assert_int_equal(cps_dealer_suggest(t.e, "foto", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 2);
	assert_string_equal(res[0], "Foto Rasmussen");   /* 3 uses, any case */
	assert_string_equal(res[1], "Fotoshop");
	assert_int_equal(cps_dealer_suggest(t.e, " FOTO R", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cps_dealer_suggest(t.e, "", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 4);
	assert_string_equal(res[0], "Foto Rasmussen");
	assert_string_equal(res[1], "Camera Store");
	assert_int_equal(cps_dealer_suggest(t.e, "", res, 2, &n, &err), CPS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(cps_dealer_suggest(t.e, "%", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cps_dealer_suggest(t.e, "Café 100%", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	/* the e and its accent typed apart find the one letter */
	assert_int_equal(cps_dealer_suggest(t.e, "Cafe\xcc\x81", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0], "Café 100%");
	assert_int_equal(cps_dealer_suggest(t.e, "F_to", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cps_dealer_suggest(t.e, "zz", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	tu_engine_free(&t);
}

/* --- products ------------------------------------------------------- */

static void test_add_complete_and_incomplete(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX], text[256];
	long long id1, id2;
	long points;
	int complete, registered;

	(void)state;
	tu_engine_new(&t, NOW);
	long long acct = tu_account_draft(&t, "a@example.com", "DK");
	long long r5 = tu_model(&t, "EOS R5");                /* 700 points */
	long long lens = tu_model(&t, "RF 24-70mm F2.8L IS USM"); /* 500 points */
	assert_int_equal(outbox(&t), 0);

	struct cps_product_draft d = {
		.catalog_id = r5, .serial = "0123 4567 8901", .purchase_date = "14.05.2021",
		.purchase_country = "dk", .dealer = "  Foto Rasmussen ",
	};
	assert_int_equal(cps_product_add(t.e, acct, &d, &id1, warning, &err), CPS_OK);
	assert_string_equal(warning, "");
	assert_int_equal(outbox(&t), 1);
	struct cps_product p = get(&t, id1);
	assert_int_equal(p.account_id, acct);
	assert_int_equal(p.catalog_id, r5);
	assert_string_equal(p.model, "EOS R5");
	assert_int_equal(p.category, CPS_CAT_BODY);
	assert_string_equal(p.serial, "012345678901");
	assert_string_equal(p.purchase_date, "2021-05-14");
	assert_int_equal(p.date_precision, CPS_DATE_DAY);
	assert_string_equal(p.purchase_country, "DK");
	assert_string_equal(p.dealer, "Foto Rasmussen");
	assert_true(p.complete);
	assert_int_equal(p.points, 700);
	assert_int_equal(p.worth, 700);
	assert_int_equal(p.completed_at, NOW);
	assert_int_equal(p.origin, CPS_ORIGIN_REGISTERED);
	assert_int_equal(cps_product_missing(&p, text, sizeof(text)), 0);
	assert_string_equal(text, "");

	/* saved without serial and dealer: no tick, no points yet */
	struct cps_product_draft inc = { .catalog_id = lens, .purchase_date = "2022",
					 .purchase_country = "SE", .serial = "  ", .dealer = NULL };
	assert_int_equal(cps_product_add(t.e, acct, &inc, &id2, warning, &err), CPS_OK);
	assert_int_equal(outbox(&t), 2);
	p = get(&t, id2);
	assert_false(p.complete);
	assert_int_equal(p.points, 0);
	assert_int_equal(p.worth, 500);
	assert_int_equal(p.completed_at, 0);
	assert_string_equal(p.serial, "");
	assert_int_equal(p.date_precision, CPS_DATE_YEAR);
	assert_int_equal(cps_product_missing(&p, text, sizeof(text)),
			 CPS_MISSING_SERIAL | CPS_MISSING_DEALER);
	assert_string_equal(text, "missing: serial number, dealer");
	struct cps_product empty = { 0 };
	assert_int_equal(cps_product_missing(&empty, text, sizeof(text)),
			 CPS_MISSING_SERIAL | CPS_MISSING_DATE | CPS_MISSING_COUNTRY | CPS_MISSING_DEALER);
	assert_string_equal(text, "missing: serial number, purchase date, country of purchase, dealer");
	assert_int_equal(cps_product_missing(&empty, NULL, 0), 15);

	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(points, 700);
	assert_int_equal(complete, 1);
	assert_int_equal(registered, 2);

	struct cps_product *list;
	size_t n;
	assert_int_equal(cps_product_list(t.e, acct, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, id1);
	assert_int_equal(list[1].id, id2);
	cps_product_list_free(list);
	assert_int_equal(cps_product_list_incomplete(t.e, acct, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id2);
	assert_int_equal(list[0].worth, 500);
	cps_product_list_free(list);
	assert_int_equal(cps_product_list(t.e, 9999, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	assert_null(list);

	/* completing it fixes its points now */
	cps_engine_set_now(t.e, NOW + 60);
	inc.serial = "1234567890";
	inc.dealer = "Fotoshop";
	assert_int_equal(cps_product_update(t.e, id2, &inc, warning, &err), CPS_OK);
	assert_int_equal(outbox(&t), 3);
	p = get(&t, id2);
	assert_true(p.complete);
	assert_int_equal(p.points, 500);
	assert_int_equal(p.completed_at, NOW + 60);
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(points, 1200);
	assert_int_equal(complete, 2);
	/* saving it again unchanged records nothing */
	assert_int_equal(cps_product_update(t.e, id2, &inc, warning, &err), CPS_OK);
	assert_int_equal(outbox(&t), 3);

	/* and removing it is heard of too */
	assert_int_equal(cps_product_delete(t.e, id2, &err), CPS_OK);
	assert_int_equal(outbox(&t), 4);
	assert_int_equal(cps_product_get(t.e, id2, &p, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_product_delete(t.e, id2, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_product_update(t.e, id2, &inc, warning, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(outbox(&t), 4);
	assert_int_equal(cps_product_totals(t.e, acct, &points, NULL, &registered, &err), CPS_OK);
	assert_int_equal(points, 700);
	assert_int_equal(registered, 1);

	/* it all survives a restart */
	tu_engine_reopen(&t);
	p = get(&t, id1);
	assert_int_equal(p.points, 700);
	assert_string_equal(p.dealer, "Foto Rasmussen");
	tu_engine_free(&t);
}

/* Calls add and update with a bad draft and checks the refusal. */
static void refuse(struct tu_engine *t, long long acct, long long other, long long existing,
		   const struct cps_product_draft *d, enum cps_err code, const char *words)
{
	struct snapshot before;
	struct cps_product was = get(t, existing), now;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX] = "x";
	long long id = -1;

	snap(t, acct, other, &before);
	assert_int_equal(cps_product_add(t->e, acct, d, &id, warning, &err), code);
	if (!strstr(err.msg, words))
		fail_msg("add: \"%s\" lacks \"%s\"", err.msg, words);
	assert_int_equal(id, -1);
	assert_string_equal(warning, "");
	unchanged(t, acct, other, &before);

	/* a retired model: see test_retired_model; no model: update keeps it */
	if (code == CPS_ERR_STATE || d->catalog_id <= 0)
		return;
	err.msg[0] = '\0';
	assert_int_equal(cps_product_update(t->e, existing, d, warning, &err), code);
	if (!strstr(err.msg, words))
		fail_msg("update: \"%s\" lacks \"%s\"", err.msg, words);
	unchanged(t, acct, other, &before);
	now = get(t, existing);
	assert_memory_equal(&now, &was, sizeof(now));
}

static void test_refusals_change_nothing(void **state)
{
	struct tu_engine t;
	struct cps_product_draft d;

	(void)state;
	tu_engine_new(&t, NOW);
	long long a = tu_account_draft(&t, "a@example.com", "DK");
	long long b = tu_account_draft(&t, "b@example.com", "SE");
	long long r5m2 = tu_model(&t, "EOS R5 Mark II");       /* 2024 */
	long long lens = tu_model(&t, "RF 50mm F1.8 STM");
	struct cps_product_draft ok = full(r5m2, "111122223333");
	ok.purchase_date = "2025-01";
	long long mine = add(&t, a, &ok);
	struct cps_product_draft theirs = full(lens, "5555555555");
	add(&t, b, &theirs);

	d = full(r5m2, "12/34");
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "\"/\" is not allowed");
	d = full(r5m2, "123456789012");
	d.purchase_date = "2021-02-30";
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "no day 30");
	d.purchase_date = "May";
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "14.05.2021");
	d.purchase_date = "10.2026";                              /* next month */
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "in the future");
	d.purchase_date = "2023";                                 /* before 2024 */
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "before this model came out (2024)");
	d = full(r5m2, "123456789012");
	d.purchase_country = "XX";
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "not a country");
	d.purchase_country = "DK";
	d.dealer = "Foto\tRasmussen";
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "control character");
	d = full(999999, "123456789012");
	refuse(&t, a, b, mine, &d, CPS_ERR_NOT_FOUND, "not in the catalog");
	d = full(0, "123456789012");
	refuse(&t, a, b, mine, &d, CPS_ERR_INVALID, "from the catalog");

	/* an account that does not exist */
	struct snapshot before;
	struct cps_error err = { 0 };
	long long id = -1;
	d = full(r5m2, "123456789012");
	snap(&t, a, b, &before);
	assert_int_equal(cps_product_add(t.e, 4242, &d, &id, NULL, &err), CPS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "no such account"));
	assert_int_equal(cps_product_add(t.e, a, NULL, &id, NULL, &err), CPS_ERR_INVALID);
	unchanged(&t, a, b, &before);
	tu_engine_free(&t);
}

static void test_duplicate_serial(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct snapshot before;
	char warning[CPS_WARNING_MAX];
	long long id = -1;

	(void)state;
	tu_engine_new(&t, NOW);
	free(t.cfg->support_phone);
	t.cfg->support_phone = strdup("+45 70 00 00 00");
	long long a = tu_account_draft(&t, "a@example.com", "DK");
	long long b = tu_account_draft(&t, "b@example.com", "SE");
	long long lens = tu_model(&t, "RF 50mm F1.8 STM");
	long long other = tu_model(&t, "RF 16mm F2.8 STM");
	struct cps_product_draft d = full(lens, "1234567890");
	long long first = add(&t, a, &d);

	/* someone else, the same serial typed differently */
	snap(&t, a, b, &before);
	d.serial = "12345-67890";
	assert_int_equal(cps_product_add(t.e, b, &d, &id, warning, &err), CPS_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "RF 50mm F1.8 STM with serial number 1234567890 is already registered"));
	assert_non_null(strstr(err.msg, "contact CPS Priority support (+45 70 00 00 00)"));
	unchanged(&t, a, b, &before);
	/* the same account again */
	assert_int_equal(cps_product_add(t.e, a, &d, &id, warning, &err), CPS_ERR_EXISTS);
	assert_non_null(strstr(err.msg, "already registered this RF 50mm F1.8 STM"));
	unchanged(&t, a, b, &before);
	/* even incomplete */
	struct cps_product_draft bare = { .catalog_id = lens, .serial = "1234567890" };
	assert_int_equal(cps_product_add(t.e, b, &bare, &id, warning, &err), CPS_ERR_EXISTS);
	unchanged(&t, a, b, &before);

	/* the same serial on another model is another product */
	d.catalog_id = other;
	long long second = add(&t, b, &d);
	/* changing it into the first one's model is refused */
	struct cps_product_draft clash = full(lens, "1234567890");
	snap(&t, a, b, &before);
	assert_int_equal(cps_product_update(t.e, second, &clash, warning, &err), CPS_ERR_EXISTS);
	unchanged(&t, a, b, &before);
	/* saving the first one with its own serial is fine */
	d = full(lens, "1234567890");
	assert_int_equal(cps_product_update(t.e, first, &d, warning, &err), CPS_OK);
	/* and once it is removed the serial is free again */
	assert_int_equal(cps_product_delete(t.e, first, &err), CPS_OK);
	assert_int_equal(cps_product_update(t.e, second, &clash, warning, &err), CPS_OK);
	tu_engine_free(&t);
}

static void test_points_fixed_at_completion(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	long points;
	int complete;

	(void)state;
	tu_engine_new(&t, NOW);
	long long acct = tu_account_draft(&t, "a@example.com", "DK");
	long long r5 = tu_model(&t, "EOS R5");                   /* 700 */
	struct cps_product_draft d1 = full(r5, "100000000001");
	long long done = add(&t, acct, &d1);
	struct cps_product_draft d2 = full(r5, "100000000002");
	d2.dealer = "";
	long long later = add(&t, acct, &d2);
	assert_int_equal(get(&t, later).worth, 700);

	/* Canon raises the EOS R5 to 900 points */
	import_with(&t, "EOS R5,", "EOS R5,body,900,2020,d12|d10");
	struct cps_product p = get(&t, done);
	assert_int_equal(p.points, 700);               /* not retroactive */
	assert_int_equal(get(&t, later).worth, 900);   /* not earned yet */
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 700);

	/* the one completed now earns the new value */
	d2.dealer = "Fotoshop";
	assert_int_equal(cps_product_update(t.e, later, &d2, warning, &err), CPS_OK);
	assert_int_equal(get(&t, later).points, 900);
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 1600);
	assert_int_equal(complete, 2);

	/* made incomplete, the first stops counting but keeps its 700 */
	d1.purchase_country = NULL;
	assert_int_equal(cps_product_update(t.e, done, &d1, warning, &err), CPS_OK);
	p = get(&t, done);
	assert_false(p.complete);
	assert_int_equal(p.points, 700);
	assert_int_equal(p.worth, 700);
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 900);
	assert_int_equal(complete, 1);
	struct cps_product *list;
	size_t n;
	assert_int_equal(cps_product_list_incomplete(t.e, acct, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].worth, 700);
	cps_product_list_free(list);
	/* and counts 700 again when completed, not the catalog's 900 */
	d1.purchase_country = "DK";
	assert_int_equal(cps_product_update(t.e, done, &d1, warning, &err), CPS_OK);
	p = get(&t, done);
	assert_int_equal(p.points, 700);
	assert_int_equal(p.completed_at, NOW);
	assert_int_equal(cps_product_totals(t.e, acct, &points, NULL, NULL, &err), CPS_OK);
	assert_int_equal(points, 1600);

	/* another model starts over with that model's points */
	struct cps_product_draft d3 = full(tu_model(&t, "EOS R6"), "100000000001"); /* 500 */
	assert_int_equal(cps_product_update(t.e, done, &d3, warning, &err), CPS_OK);
	p = get(&t, done);
	assert_string_equal(p.model, "EOS R6");
	assert_int_equal(p.points, 500);
	tu_engine_free(&t);
}

/* A serial that does not fit the model's pattern ("123" for an EOS R5)
 * earns neither the tick nor the points until staff confirm it; a
 * changed serial needs confirming again; the confirmation is audited. */
static void test_unusual_serial_needs_staff(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX], missing[256];
	struct cps_product p;
	long points;
	int complete;

	(void)state;
	tu_engine_new(&t, NOW);
	long long acct = tu_account_draft(&t, "a@example.com", "DK");
	long long r5 = tu_model(&t, "EOS R5");                   /* 700, d12|d10 */
	struct cps_product_draft d = full(r5, "123");
	long long id = 0;
	assert_int_equal(cps_product_add(t.e, acct, &d, &id, warning, &err), CPS_OK);
	assert_non_null(strstr(warning, "Please check the serial number 123"));
	p = get(&t, id);
	assert_true(p.serial_unusual);
	assert_false(p.complete);
	assert_int_equal(p.points, 0);
	assert_int_equal(cps_product_missing(&p, missing, sizeof(missing)), CPS_MISSING_SERIAL_CHECK);
	assert_non_null(strstr(missing, "staff to confirm"));
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 0);
	assert_int_equal(complete, 0);

	/* only for a product of that account, with that serial, that needs it */
	assert_int_equal(cps_product_confirm_serial(t.e, acct, "999", "Kim", NULL, &err), CPS_ERR_NOT_FOUND);
	struct cps_product_draft ok = full(r5, "100000000001");
	long long fits = add(&t, acct, &ok);
	assert_true(get(&t, fits).complete);
	assert_int_equal(cps_product_confirm_serial(t.e, acct, "100000000001", "Kim", NULL, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "nothing to confirm"));

	/* staff confirm it: the tick and the points */
	assert_int_equal(cps_product_confirm_serial(t.e, acct, " 1-23 ", "Kim", &p, &err), CPS_OK);
	assert_true(p.complete);
	p = get(&t, id);
	assert_true(p.complete);
	assert_int_equal(p.points, 700);
	assert_string_equal(p.serial_confirmed_by, "Kim");
	assert_int_equal(p.serial_confirmed_at, NOW);
	assert_int_equal(cps_product_missing(&p, NULL, 0), 0);
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 1400);
	assert_int_equal(complete, 2);
	assert_int_equal(cps_product_confirm_serial(t.e, acct, "123", "Kim", NULL, &err), CPS_ERR_STATE);

	/* another unusual serial: confirmed was "123", not this one */
	d.serial = "124";
	assert_int_equal(cps_product_update(t.e, id, &d, warning, &err), CPS_OK);
	p = get(&t, id);
	assert_false(p.complete);
	assert_string_equal(p.serial_confirmed_by, "");
	assert_int_equal(cps_product_totals(t.e, acct, &points, &complete, NULL, &err), CPS_OK);
	assert_int_equal(points, 700);
	/* a serial that fits needs no one */
	d.serial = "100000000002";
	assert_int_equal(cps_product_update(t.e, id, &d, warning, &err), CPS_OK);
	assert_true(get(&t, id).complete);
	tu_engine_free(&t);
}

static void test_retired_model(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	struct snapshot before;
	long long id = -1;

	(void)state;
	tu_engine_new(&t, NOW);
	long long acct = tu_account_draft(&t, "a@example.com", "DK");
	long long old = tu_model(&t, "EOS 650");
	long long r5 = tu_model(&t, "EOS R5");
	struct cps_product_draft d = full(old, "1234567");
	d.purchase_date = "1990";
	d.dealer = NULL;
	long long kept = add(&t, acct, &d);
	struct cps_product_draft other = full(r5, "123456789012");
	long long moved = add(&t, acct, &other);

	/* a newer catalog drops the EOS 650 */
	import_with(&t, "EOS 650,", "");
	struct cps_product p = get(&t, kept);
	assert_false(p.model_active);
	assert_string_equal(p.model, "EOS 650");

	snap(&t, acct, 0, &before);
	d.serial = "7654321";
	assert_int_equal(cps_product_add(t.e, acct, &d, &id, warning, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "EOS 650 is no longer in the catalog"));
	unchanged(&t, acct, 0, &before);
	/* nor can another product become one */
	assert_int_equal(cps_product_update(t.e, moved, &d, warning, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "no longer in the catalog"));
	unchanged(&t, acct, 0, &before);

	/* but the one registered before is kept and can be completed */
	d.serial = "1234567";
	d.dealer = "Foto Rasmussen";
	assert_int_equal(cps_product_update(t.e, kept, &d, warning, &err), CPS_OK);
	p = get(&t, kept);
	assert_true(p.complete);
	assert_int_equal(p.points, 50);
	/* catalog_id 0 in a draft keeps the model */
	d.catalog_id = 0;
	d.dealer = "Foto Rasmussen A/S";
	assert_int_equal(cps_product_update(t.e, kept, &d, warning, &err), CPS_OK);
	assert_int_equal(get(&t, kept).catalog_id, old);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_serial_normalise, tu_cleanup),
		cmocka_unit_test_teardown(test_serial_warnings, tu_cleanup),
		cmocka_unit_test_teardown(test_date_forms, tu_cleanup),
		cmocka_unit_test_teardown(test_date_rules, tu_cleanup),
		cmocka_unit_test_teardown(test_country_and_dealer, tu_cleanup),
		cmocka_unit_test_teardown(test_dealer_suggest, tu_cleanup),
		cmocka_unit_test_teardown(test_add_complete_and_incomplete, tu_cleanup),
		cmocka_unit_test_teardown(test_refusals_change_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_duplicate_serial, tu_cleanup),
		cmocka_unit_test_teardown(test_points_fixed_at_completion, tu_cleanup),
		cmocka_unit_test_teardown(test_retired_model, tu_cleanup),
		cmocka_unit_test_teardown(test_unusual_serial_needs_staff, tu_cleanup),
	};

	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
