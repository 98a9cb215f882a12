/* workdays.h - calendar dates, working days and public holidays.
 *
 * The expected answer date of an application is the submission plus 2
 * working days: Saturdays, Sundays and the holidays of the customer's
 * country are skipped.  Invoice due dates are calendar days.  A time_t is
 * read in the local time of the kiosk (TZ); struct cps_ymd is a plain
 * calendar date with no time zone at all, so the counting itself cannot be
 * upset by a daylight-saving change.
 *
 * Holidays come from a CSV file (assets/holidays.csv):
 *
 *     # comment lines and blank lines are ignored
 *     country,date,name
 *     DK,2026-12-25,Christmas Day
 *
 * The header line is optional; a field may be in double quotes; the name
 * is the rest of the line, so it may contain commas. */
#ifndef CPSREG_WORKDAYS_H
#define CPSREG_WORKDAYS_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/err.h"

/* A calendar date: y 1..9999, m 1..12, d 1..31. */
struct cps_ymd {
	int y;
	int m;
	int d;
};

#define CPS_YMD_SIZE 11 /* "YYYY-MM-DD" and a NUL */

/* The longest span cps_workdays_add and cps_date_add_days accept. */
#define CPS_WORKDAYS_MAX 36500

/* A country's public holidays, loaded from CSV; opaque. */
struct cps_holidays;

/* 1 if d is a real date in years 1..9999, else 0. */
int cps_ymd_valid(struct cps_ymd d);

/* Days since 1970-01-01 (negative before), and back. */
long cps_ymd_to_days(struct cps_ymd d);
struct cps_ymd cps_ymd_from_days(long days);

/* ISO weekday: 1 = Monday ... 6 = Saturday, 7 = Sunday. */
int cps_ymd_weekday(struct cps_ymd d);

/* d plus days calendar days (days may be negative). */
struct cps_ymd cps_ymd_add(struct cps_ymd d, long days);

/* <0, 0, >0 as a is before, the same as, or after b. */
int cps_ymd_cmp(struct cps_ymd a, struct cps_ymd b);

/* Reads exactly "YYYY-MM-DD"; CPS_ERR_INVALID for anything else or a date
 * that does not exist (2026-02-30). */
enum cps_err cps_ymd_parse(const char *s, struct cps_ymd *out,
			   struct cps_error *err);

/* Writes d as "YYYY-MM-DD". */
void cps_ymd_format(struct cps_ymd d, char out[CPS_YMD_SIZE]);

/* The local calendar date at t. */
enum cps_err cps_ymd_from_time(time_t t, struct cps_ymd *out);

/* Loads holidays from a CSV file.  A missing file (or path NULL) is not an
 * error: *out is then an empty list.  A bad line is CPS_ERR_INVALID with
 * "path:line: what is wrong".  Free *out with cps_holidays_free. */
enum cps_err cps_holidays_load(const char *path, struct cps_holidays **out,
			       struct cps_error *err);

/* The same from len bytes at buf; name is used in messages. */
enum cps_err cps_holidays_parse(const char *buf, size_t len, const char *name,
				struct cps_holidays **out,
				struct cps_error *err);

void cps_holidays_free(struct cps_holidays *h);

/* How many holidays were loaded (all countries). */
size_t cps_holidays_count(const struct cps_holidays *h);

/* The name of the holiday on d in country (two letters, any case), or NULL
 * when d is not a holiday there.  h may be NULL. */
const char *cps_holidays_find(const struct cps_holidays *h,
			      const char *country, struct cps_ymd d);

/* 1 if d is a working day in country: not a Saturday, Sunday or holiday
 * there.  country or h may be NULL (then only weekends count). */
int cps_workdays_is_workday(struct cps_ymd d, const char *country,
			    const struct cps_holidays *h);

/* The working day that is days working days after start: each following
 * working day counts one, so a Friday or a Saturday plus 2 is the Tuesday.
 * With days = 0 it is start itself if that is a working day, else the next
 * working day.  days must be 0..CPS_WORKDAYS_MAX (else CPS_ERR_INVALID). */
enum cps_err cps_workdays_add_ymd(struct cps_ymd start, int days,
				  const char *country,
				  const struct cps_holidays *h,
				  struct cps_ymd *out);

/* The same for a moment in local time: *out is on the resulting day at the
 * same wall-clock time as start (a time that a DST change skips on that
 * day, such as 02:30, becomes an hour later, as mktime does it). */
enum cps_err cps_workdays_add(time_t start, int days, const char *country,
			      const struct cps_holidays *h, time_t *out);

/* start plus days calendar days at the same local wall-clock time (an
 * invoice's due date); days may be negative, |days| <= CPS_WORKDAYS_MAX. */
enum cps_err cps_date_add_days(time_t start, int days, time_t *out);

#endif
