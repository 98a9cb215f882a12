/* test_workdays.c - unit tests for src/workdays.c: dates, the holiday
 * list and working days.  Runs in TZ=Europe/Copenhagen (set in main) so
 * the daylight-saving changes of 2026 fall where the tests expect them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpsreg/err.h"
#include "cpsreg/workdays.h"

/* Danish holidays around Easter, Christmas and New Year 2026/27, written
 * the way assets/holidays.csv is: comments, a header, and one oddity of
 * each kind a hand-edited file has. */
static const char dk_csv[] =
	"\xEF\xBB\xBF# Public holidays (test data)\n"
	"# country,date,name\n"
	"country,date,name\r\n"
	"\n"
	"DK,2026-04-02,Skærtorsdag\n"
	"DK,2026-04-03,Langfredag\n"
	"dk , 2026-04-06 , 2. påskedag\r\n"
	"DK,2026-12-24,Juleaften\n"
	"DK,2026-12-25,\"Juledag, 1. juledag\"\n"
	"DK,2026-12-26,2. juledag\n"
	"   # an indented comment\n"
	"DK,2027-01-01,Nytårsdag\n"
	"\"NO\",\"2026-05-17\",\"Grunnlovsdag\"";

static struct cps_holidays *dk;

static struct cps_ymd ymd(int y, int m, int d)
{
	struct cps_ymd r = { y, m, d };

	return r;
}

#define assert_ymd(got, yy, mm, dd) do { \
	struct cps_ymd g_ = (got); \
	if (g_.y != (yy) || g_.m != (mm) || g_.d != (dd)) \
		fail_msg("got %04d-%02d-%02d, expected %04d-%02d-%02d", \
			 g_.y, g_.m, g_.d, (yy), (mm), (dd)); \
} while (0)

/* start + days working days in country with the DK test list */
static struct cps_ymd add(struct cps_ymd start, int days, const char *country)
{
	struct cps_ymd out = { 0, 0, 0 };

	assert_int_equal(cps_workdays_add_ymd(start, days, country, dk, &out),
			 CPS_OK);
	return out;
}

/* A local time in the test's time zone. */
static time_t local(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void assert_local(time_t t, int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	assert_non_null(localtime_r(&t, &tm));
	if (tm.tm_year + 1900 != y || tm.tm_mon + 1 != mo || tm.tm_mday != d ||
	    tm.tm_hour != h || tm.tm_min != mi)
		fail_msg("got %04d-%02d-%02d %02d:%02d, expected %04d-%02d-%02d %02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, y, mo, d, h, mi);
}

static int setup(void **state)
{
	struct cps_error err;

	(void)state;
	if (cps_holidays_parse(dk_csv, sizeof(dk_csv) - 1, "test.csv", &dk,
			       &err) != CPS_OK) {
		fprintf(stderr, "test data: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cps_holidays_free(dk);
	dk = NULL;
	return 0;
}

/* --- dates ------------------------------------------------------------- */

static void test_days_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(cps_ymd_to_days(ymd(1970, 1, 1)), 0);
	assert_int_equal(cps_ymd_to_days(ymd(1969, 12, 31)), -1);
	assert_int_equal(cps_ymd_to_days(ymd(2000, 3, 1)), 11017);
	assert_ymd(cps_ymd_from_days(0), 1970, 1, 1);
	assert_ymd(cps_ymd_from_days(-1), 1969, 12, 31);
	assert_int_equal(cps_ymd_weekday(ymd(1970, 1, 1)), 4);     /* Thu */
	assert_int_equal(cps_ymd_weekday(ymd(2026, 12, 25)), 5);   /* Fri */
	assert_int_equal(cps_ymd_weekday(ymd(2026, 3, 7)), 6);     /* Sat */
	assert_int_equal(cps_ymd_weekday(ymd(2026, 3, 8)), 7);     /* Sun */
	assert_int_equal(cps_ymd_weekday(ymd(2000, 1, 3)), 1);     /* Mon */
	assert_int_equal(cps_ymd_weekday(ymd(1900, 1, 1)), 1);     /* Mon */

	/* every day from 1600 to 2400 round-trips and follows the last */
	struct cps_ymd prev = ymd(1599, 12, 31);
	long first = cps_ymd_to_days(ymd(1600, 1, 1));
	long last = cps_ymd_to_days(ymd(2400, 12, 31));

	for (long n = first; n <= last; n++) {
		struct cps_ymd d = cps_ymd_from_days(n);

		assert_true(cps_ymd_valid(d));
		assert_int_equal(cps_ymd_to_days(d), n);
		assert_true(cps_ymd_cmp(prev, d) < 0);
		prev = d;
	}
}

static void test_valid_and_add(void **state)
{
	(void)state;
	assert_true(cps_ymd_valid(ymd(2024, 2, 29)));
	assert_false(cps_ymd_valid(ymd(2026, 2, 29)));
	assert_true(cps_ymd_valid(ymd(2000, 2, 29)));
	assert_false(cps_ymd_valid(ymd(1900, 2, 29)));
	assert_false(cps_ymd_valid(ymd(2026, 4, 31)));
	assert_false(cps_ymd_valid(ymd(2026, 13, 1)));
	assert_false(cps_ymd_valid(ymd(2026, 0, 1)));
	assert_false(cps_ymd_valid(ymd(0, 1, 1)));
	assert_false(cps_ymd_valid(ymd(10000, 1, 1)));

	assert_ymd(cps_ymd_add(ymd(2026, 1, 31), 30), 2026, 3, 2);
	assert_ymd(cps_ymd_add(ymd(2024, 1, 31), 30), 2024, 3, 1);
	assert_ymd(cps_ymd_add(ymd(2026, 12, 15), 30), 2027, 1, 14);
	assert_ymd(cps_ymd_add(ymd(2026, 3, 1), -1), 2026, 2, 28);
	assert_int_equal(cps_ymd_cmp(ymd(2026, 1, 1), ymd(2026, 1, 1)), 0);
	assert_true(cps_ymd_cmp(ymd(2025, 12, 31), ymd(2026, 1, 1)) < 0);
	assert_true(cps_ymd_cmp(ymd(2026, 2, 1), ymd(2026, 1, 31)) > 0);
}

static void test_parse_format(void **state)
{
	struct cps_ymd d;
	struct cps_error err;
	char s[CPS_YMD_SIZE];

	(void)state;
	assert_int_equal(cps_ymd_parse("2026-12-25", &d, &err), CPS_OK);
	assert_ymd(d, 2026, 12, 25);
	assert_int_equal(cps_ymd_parse("2024-02-29", &d, &err), CPS_OK);

	cps_error_clear(&err);
	assert_int_equal(cps_ymd_parse("2026-02-29", &d, &err), CPS_ERR_INVALID);
	assert_string_equal(err.msg, "There is no date 2026-02-29.");
	assert_int_equal(cps_ymd_parse("25.12.2026", &d, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
	assert_int_equal(cps_ymd_parse("2026-1-5", &d, NULL), CPS_ERR_INVALID);
	assert_int_equal(cps_ymd_parse("2026-12-25x", &d, NULL), CPS_ERR_INVALID);
	assert_int_equal(cps_ymd_parse("+026-12-25", &d, NULL), CPS_ERR_INVALID);
	assert_int_equal(cps_ymd_parse("", &d, NULL), CPS_ERR_INVALID);
	assert_int_equal(cps_ymd_parse(NULL, &d, NULL), CPS_ERR_INVALID);

	cps_ymd_format(ymd(2026, 4, 6), s);
	assert_string_equal(s, "2026-04-06");
	cps_ymd_format(ymd(987, 1, 2), s);
	assert_string_equal(s, "0987-01-02");
	cps_ymd_format(ymd(2026, 2, 30), s);
	assert_string_equal(s, "0000-00-00");
}

static void test_from_time(void **state)
{
	struct cps_ymd d;

	(void)state;
	/* 2026-12-31 23:30 UTC is already New Year in Copenhagen */
	assert_int_equal(cps_ymd_from_time((time_t)1798759800, &d), CPS_OK);
	assert_ymd(d, 2027, 1, 1);
	assert_int_equal(cps_ymd_from_time(local(2026, 3, 29, 12, 0), &d), CPS_OK);
	assert_ymd(d, 2026, 3, 29);
}

/* --- the holiday list -------------------------------------------------- */

static void test_holidays_parse(void **state)
{
	(void)state;
	assert_int_equal(cps_holidays_count(dk), 8);
	assert_string_equal(cps_holidays_find(dk, "DK", ymd(2026, 4, 3)), "Langfredag");
	assert_string_equal(cps_holidays_find(dk, "dk", ymd(2026, 4, 6)), "2. påskedag");
	assert_string_equal(cps_holidays_find(dk, "DK", ymd(2026, 12, 25)),
			    "Juledag, 1. juledag");
	assert_string_equal(cps_holidays_find(dk, "NO", ymd(2026, 5, 17)), "Grunnlovsdag");
	assert_null(cps_holidays_find(dk, "NO", ymd(2026, 12, 25)));
	assert_null(cps_holidays_find(dk, "DK", ymd(2026, 12, 27)));
	assert_null(cps_holidays_find(dk, "DNK", ymd(2026, 12, 25)));
	assert_null(cps_holidays_find(dk, NULL, ymd(2026, 12, 25)));
	assert_null(cps_holidays_find(NULL, "DK", ymd(2026, 12, 25)));
}

static void assert_bad_csv(const char *csv, const char *want)
{
	static char sentinel;
	struct cps_holidays *h = (struct cps_holidays *)&sentinel;
	struct cps_error err;

	cps_error_clear(&err);
	assert_int_equal(cps_holidays_parse(csv, strlen(csv), "h.csv", &h, &err),
			 CPS_ERR_INVALID);
	assert_null(h); /* set to NULL on failure */
	if (strcmp(err.msg, want) != 0)
		fail_msg("message is \"%s\", expected \"%s\"", err.msg, want);
}

static void test_holidays_bad_lines(void **state)
{
	(void)state;
	assert_bad_csv("country,date,name\nDK,2026-13-01,X\n",
		       "h.csv:2: \"2026-13-01\" is not a date of the form YYYY-MM-DD");
	assert_bad_csv("# c\n\nDK,25.12.2026,Juledag\n",
		       "h.csv:3: \"25.12.2026\" is not a date of the form YYYY-MM-DD");
	assert_bad_csv("DNK,2026-12-25,Juledag\n",
		       "h.csv:1: \"DNK\" is not a two-letter country code (such as DK)");
	assert_bad_csv("D1,2026-12-25,Juledag\n",
		       "h.csv:1: \"D1\" is not a two-letter country code (such as DK)");
	assert_bad_csv("DK;2026-12-25;Juledag\n",
		       "h.csv:1: expected country,date,name (such as DK,2026-12-25,Christmas Day)");
	assert_bad_csv("DK,2026-12-25\n",
		       "h.csv:1: expected country,date,name (such as DK,2026-12-25,Christmas Day)");
	assert_bad_csv("DK,2026-12-25,\n", "h.csv:1: the holiday has no name");
	assert_bad_csv("DK,2026-12-25,\"\"\n", "h.csv:1: the holiday has no name");
	assert_bad_csv("DK,2026-12-25,Jule\x1b[2Jdag\n",
		       "h.csv:1: the holiday name contains a control character");
	/* the header is only a header on the first line */
	assert_bad_csv("DK,2026-12-25,Juledag\ncountry,date,name\n",
		       "h.csv:2: \"country\" is not a two-letter country code (such as DK)");
}

static void test_holidays_empty(void **state)
{
	struct cps_holidays *h = NULL;
	struct cps_error err;

	(void)state;
	assert_int_equal(cps_holidays_parse("", 0, NULL, &h, &err), CPS_OK);
	assert_non_null(h);
	assert_int_equal(cps_holidays_count(h), 0);
	cps_holidays_free(h);
	const char *csv = "# only a comment\ncountry,date,name\n";

	assert_int_equal(cps_holidays_parse(csv, strlen(csv), NULL, &h, &err),
			 CPS_OK);
	assert_int_equal(cps_holidays_count(h), 0);
	cps_holidays_free(h);
	cps_holidays_free(NULL);
}

static void test_holidays_load(void **state)
{
	char path[] = "/tmp/cps-holidays-XXXXXX";
	struct cps_holidays *h = NULL;
	struct cps_error err;
	int fd;
	FILE *f;

	(void)state;
	/* no file: no holidays, and no error */
	assert_int_equal(cps_holidays_load("/nonexistent/holidays.csv", &h, &err),
			 CPS_OK);
	assert_non_null(h);
	assert_int_equal(cps_holidays_count(h), 0);
	cps_holidays_free(h);
	assert_int_equal(cps_holidays_load(NULL, &h, &err), CPS_OK);
	assert_int_equal(cps_holidays_count(h), 0);
	cps_holidays_free(h);

	/* a directory is not a missing file */
	cps_error_clear(&err);
	h = NULL;
	assert_int_equal(cps_holidays_load("/", &h, &err), CPS_ERR_IO);
	assert_null(h);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(dk_csv, f);
	fputs("\nSE,2026-06-19,Midsommarafton\nFI,2026-02-30,Ei\n", f);
	fclose(f);
	cps_error_clear(&err);
	assert_int_equal(cps_holidays_load(path, &h, &err), CPS_ERR_INVALID);
	assert_null(h);
	{
		char want[256];

		snprintf(want, sizeof(want),
			 "%s:15: \"2026-02-30\" is not a date of the form YYYY-MM-DD",
			 path);
		assert_string_equal(err.msg, want);
	}

	f = fopen(path, "w");
	assert_non_null(f);
	fputs(dk_csv, f);
	fputs("\nSE,2026-06-19,Midsommarafton\n", f);
	fclose(f);
	assert_int_equal(cps_holidays_load(path, &h, &err), CPS_OK);
	assert_int_equal(cps_holidays_count(h), 9);
	assert_string_equal(cps_holidays_find(h, "SE", ymd(2026, 6, 19)), "Midsommarafton");
	cps_holidays_free(h);
	unlink(path);
}

/* The shipped list (written separately) must load; skipped when it is not
 * there, e.g. when the test runs outside the source tree. */
static void test_holidays_asset(void **state)
{
	struct cps_holidays *h = NULL;
	struct cps_error err;

	(void)state;
	if (access("assets/holidays.csv", R_OK) != 0)
		skip();
	cps_error_clear(&err);
	if (cps_holidays_load("assets/holidays.csv", &h, &err) != CPS_OK)
		fail_msg("%s", err.msg);
	assert_true(cps_holidays_count(h) > 0);
	cps_holidays_free(h);
}

/* --- working days ------------------------------------------------------ */

static void test_weekends(void **state)
{
	(void)state;
	assert_ymd(add(ymd(2026, 3, 6), 2, "DK"), 2026, 3, 10);   /* Fri -> Tue */
	assert_ymd(add(ymd(2026, 3, 7), 2, "DK"), 2026, 3, 10);   /* Sat -> Tue */
	assert_ymd(add(ymd(2026, 3, 8), 2, "DK"), 2026, 3, 10);   /* Sun -> Tue */
	assert_ymd(add(ymd(2026, 3, 4), 2, "DK"), 2026, 3, 6);    /* Wed -> Fri */
	assert_ymd(add(ymd(2026, 3, 5), 2, "DK"), 2026, 3, 9);    /* Thu -> Mon */
	assert_ymd(add(ymd(2026, 3, 6), 1, "DK"), 2026, 3, 9);    /* Fri -> Mon */
	assert_ymd(add(ymd(2026, 3, 2), 10, "DK"), 2026, 3, 16);  /* two weeks */
	assert_true(cps_workdays_is_workday(ymd(2026, 3, 6), "DK", dk));
	assert_false(cps_workdays_is_workday(ymd(2026, 3, 7), "DK", dk));
	assert_false(cps_workdays_is_workday(ymd(2026, 3, 8), NULL, NULL));
}

static void test_zero_days(void **state)
{
	(void)state;
	assert_ymd(add(ymd(2026, 3, 4), 0, "DK"), 2026, 3, 4);    /* Wed */
	assert_ymd(add(ymd(2026, 3, 7), 0, "DK"), 2026, 3, 9);    /* Sat -> Mon */
	assert_ymd(add(ymd(2026, 12, 24), 0, "DK"), 2026, 12, 28);
}

static void test_christmas(void **state)
{
	(void)state;
	/* Wed 23 Dec: 24, 25 (holidays), 26, 27 (weekend), Mon 28, Tue 29 */
	assert_ymd(add(ymd(2026, 12, 23), 2, "DK"), 2026, 12, 29);
	assert_ymd(add(ymd(2026, 12, 23), 2, "dk"), 2026, 12, 29);
	assert_ymd(add(ymd(2026, 12, 22), 1, "DK"), 2026, 12, 23);
	assert_ymd(add(ymd(2026, 12, 22), 2, "DK"), 2026, 12, 28);
	/* the Danish holidays do not apply elsewhere, nor without a country */
	assert_ymd(add(ymd(2026, 12, 23), 2, "SE"), 2026, 12, 25);
	assert_ymd(add(ymd(2026, 12, 23), 2, NULL), 2026, 12, 25);
	assert_ymd(add(ymd(2026, 12, 23), 2, "Denmark"), 2026, 12, 25);
	assert_false(cps_workdays_is_workday(ymd(2026, 12, 24), "DK", dk));
	assert_true(cps_workdays_is_workday(ymd(2026, 12, 24), "NO", dk));
}

static void test_easter(void **state)
{
	(void)state;
	/* Wed 1 Apr: Thu 2, Fri 3 (holidays), weekend, Mon 6 (holiday),
	 * Tue 7, Wed 8 */
	assert_ymd(add(ymd(2026, 4, 1), 2, "DK"), 2026, 4, 8);
	/* submitted on Good Friday: counts from Tuesday */
	assert_ymd(add(ymd(2026, 4, 3), 1, "DK"), 2026, 4, 7);
	assert_ymd(add(ymd(2026, 4, 3), 2, "DK"), 2026, 4, 8);
	assert_ymd(add(ymd(2026, 3, 31), 1, "DK"), 2026, 4, 1);
	assert_ymd(add(ymd(2026, 3, 31), 2, "DK"), 2026, 4, 7);
}

static void test_year_end(void **state)
{
	(void)state;
	/* Wed 30 Dec: Thu 31, Fri 1 Jan (holiday), weekend, Mon 4 Jan */
	assert_ymd(add(ymd(2026, 12, 30), 2, "DK"), 2027, 1, 4);
	assert_ymd(add(ymd(2026, 12, 30), 2, "SE"), 2027, 1, 1);
	assert_ymd(add(ymd(2026, 12, 31), 1, "DK"), 2027, 1, 4);
}

static void test_bad_arguments(void **state)
{
	struct cps_ymd out;
	time_t t;

	(void)state;
	assert_int_equal(cps_workdays_add_ymd(ymd(2026, 3, 4), -1, "DK", dk, &out),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_workdays_add_ymd(ymd(2026, 2, 30), 2, "DK", dk, &out),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_workdays_add_ymd(ymd(2026, 3, 4), 2, "DK", dk, NULL),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_workdays_add_ymd(ymd(9999, 12, 31), 2, "DK", dk, &out),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_workdays_add(time(NULL), -2, "DK", dk, &t),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_date_add_days(time(NULL), CPS_WORKDAYS_MAX + 1, &t),
			 CPS_ERR_INVALID);
}

/* --- local time and daylight saving ------------------------------------ */

static void test_time_dst_spring(void **state)
{
	time_t start = local(2026, 3, 27, 14, 30), out;

	(void)state;
	/* Fri 27 Mar 14:30 CET; clocks go forward on Sun 29 Mar */
	assert_int_equal(cps_workdays_add(start, 2, "DK", dk, &out), CPS_OK);
	assert_local(out, 2026, 3, 31, 14, 30);
	assert_int_equal(out - start, 4 * 86400 - 3600);
}

static void test_time_dst_autumn(void **state)
{
	time_t start = local(2026, 10, 23, 9, 0), out;

	(void)state;
	/* Fri 23 Oct 09:00 CEST; clocks go back on Sun 25 Oct */
	assert_int_equal(cps_workdays_add(start, 2, "DK", dk, &out), CPS_OK);
	assert_local(out, 2026, 10, 27, 9, 0);
	assert_int_equal(out - start, 4 * 86400 + 3600);
}

static void test_time_holidays(void **state)
{
	time_t out;

	(void)state;
	/* late on 23 Dec, just before midnight: still the 23rd locally */
	assert_int_equal(cps_workdays_add(local(2026, 12, 23, 23, 59), 2, "DK",
					  dk, &out), CPS_OK);
	assert_local(out, 2026, 12, 29, 23, 59);
	assert_int_equal(cps_workdays_add(local(2026, 12, 30, 8, 0), 2, "DK",
					  dk, &out), CPS_OK);
	assert_local(out, 2027, 1, 4, 8, 0);
	assert_int_equal(cps_workdays_add(local(2026, 3, 7, 11, 0), 0, "DK",
					  NULL, &out), CPS_OK);
	assert_local(out, 2026, 3, 9, 11, 0);
}

static void test_date_add_days(void **state)
{
	time_t out;
	struct tm tm;

	(void)state;
	/* an invoice issued before the spring change is due after it */
	assert_int_equal(cps_date_add_days(local(2026, 3, 15, 10, 0), 30, &out),
			 CPS_OK);
	assert_local(out, 2026, 4, 14, 10, 0);
	assert_int_equal(cps_date_add_days(local(2026, 12, 15, 16, 45), 30, &out),
			 CPS_OK);
	assert_local(out, 2027, 1, 14, 16, 45);
	assert_int_equal(cps_date_add_days(local(2026, 1, 31, 12, 0), 30, &out),
			 CPS_OK);
	assert_local(out, 2026, 3, 2, 12, 0);
	assert_int_equal(cps_date_add_days(local(2026, 3, 2, 12, 0), -30, &out),
			 CPS_OK);
	assert_local(out, 2026, 1, 31, 12, 0);

	/* 02:30 does not exist on 29 Mar 2026: mktime moves it to 03:30 */
	assert_int_equal(cps_date_add_days(local(2026, 3, 28, 2, 30), 1, &out),
			 CPS_OK);
	assert_non_null(localtime_r(&out, &tm));
	assert_int_equal(tm.tm_mday, 29);
	assert_int_equal(tm.tm_hour, 3);
	assert_int_equal(tm.tm_min, 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_and_weekdays),
		cmocka_unit_test(test_valid_and_add),
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_from_time),
		cmocka_unit_test(test_holidays_parse),
		cmocka_unit_test(test_holidays_bad_lines),
		cmocka_unit_test(test_holidays_empty),
		cmocka_unit_test(test_holidays_load),
		cmocka_unit_test(test_holidays_asset),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_zero_days),
		cmocka_unit_test(test_christmas),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_time_dst_spring),
		cmocka_unit_test(test_time_dst_autumn),
		cmocka_unit_test(test_time_holidays),
		cmocka_unit_test(test_date_add_days),
	};

	/* the kiosk's local time; the DST tests depend on it */
	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests_name("workdays", tests, setup, teardown);
}
