/* workdays.c - calendar arithmetic, the holiday list and working days
 * (see include/cpsreg/workdays.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/workdays.h"

/* A holiday list is a few dozen lines per country and year; anything much
 * bigger is not one. */
#define HOLIDAYS_FILE_MAX (8L * 1024 * 1024)

struct holiday {
	char country[3]; /* upper case */
	long day;        /* cps_ymd_to_days */
	char *name;
};

struct cps_holidays {
	struct holiday *v;
	size_t n, cap;
};

/* --- dates ------------------------------------------------------------- */

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

int cps_ymd_valid(struct cps_ymd d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 &&
	       d.d >= 1 && d.d <= month_days(d.y, d.m);
}

/* The year is counted from March, so that the leap day falls at its end
 * and the month lengths repeat in a 153-days-per-5-months pattern; the
 * Gregorian cycle of 400 years has exactly 146097 days. */
long cps_ymd_to_days(struct cps_ymd d)
{
	long y = d.y - (d.m <= 2);
	long cycle = (y >= 0 ? y : y - 399) / 400;
	long yoc = y - cycle * 400;                      /* 0..399 */
	long mfm = (d.m + 9) % 12;                       /* March = 0 */
	long doy = (153 * mfm + 2) / 5 + d.d - 1;        /* 0..365 */
	long doc = yoc * 365 + yoc / 4 - yoc / 100 + doy; /* 0..146096 */

	return cycle * 146097 + doc - 719468; /* 719468: 0000-03-01 to 1970 */
}

struct cps_ymd cps_ymd_from_days(long days)
{
	long z = days + 719468;
	long cycle = (z >= 0 ? z : z - 146096) / 146097;
	long doc = z - cycle * 146097;
	long yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;
	long doy = doc - (365 * yoc + yoc / 4 - yoc / 100);
	long mfm = (5 * doy + 2) / 153;
	struct cps_ymd r;

	r.d = (int)(doy - (153 * mfm + 2) / 5 + 1);
	r.m = (int)(mfm < 10 ? mfm + 3 : mfm - 9);
	r.y = (int)(yoc + cycle * 400 + (r.m <= 2));
	return r;
}

static int weekday_of(long days)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

int cps_ymd_weekday(struct cps_ymd d)
{
	return weekday_of(cps_ymd_to_days(d));
}

struct cps_ymd cps_ymd_add(struct cps_ymd d, long days)
{
	return cps_ymd_from_days(cps_ymd_to_days(d) + days);
}

int cps_ymd_cmp(struct cps_ymd a, struct cps_ymd b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

enum cps_err cps_ymd_parse(const char *s, struct cps_ymd *out,
			   struct cps_error *err)
{
	struct cps_ymd d;

	if (!s || !out)
		return cps_error_set(err, CPS_ERR_INVALID, _("No date was given."));
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (d.y = digits(s, 4)) < 0 || (d.m = digits(s + 5, 2)) < 0 ||
	    (d.d = digits(s + 8, 2)) < 0)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%.40s\" is not a date of the form YYYY-MM-DD."),
				     s);
	if (!cps_ymd_valid(d))
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("There is no date %s."), s);
	*out = d;
	return CPS_OK;
}

void cps_ymd_format(struct cps_ymd d, char out[CPS_YMD_SIZE])
{
	if (!cps_ymd_valid(d)) {
		/* never a partial or overlong string */
		memcpy(out, "0000-00-00", CPS_YMD_SIZE);
		return;
	}
	/* by hand: snprintf cannot prove to the compiler that it fits */
	out[0] = (char)('0' + d.y / 1000);
	out[1] = (char)('0' + d.y / 100 % 10);
	out[2] = (char)('0' + d.y / 10 % 10);
	out[3] = (char)('0' + d.y % 10);
	out[4] = '-';
	out[5] = (char)('0' + d.m / 10);
	out[6] = (char)('0' + d.m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d.d / 10);
	out[9] = (char)('0' + d.d % 10);
	out[10] = '\0';
}

enum cps_err cps_ymd_from_time(time_t t, struct cps_ymd *out)
{
	struct tm tm;

	if (!out || !localtime_r(&t, &tm))
		return CPS_ERR_INVALID;
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return cps_ymd_valid(*out) ? CPS_OK : CPS_ERR_INVALID;
}

/* --- the holiday list -------------------------------------------------- */

static int upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static int is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Two ASCII letters, upper-cased into key; 0 if country is not that. */
static int country_key(const char *country, size_t len, char key[3])
{
	if (!country || len != 2 || !is_letter((unsigned char)country[0]) ||
	    !is_letter((unsigned char)country[1]))
		return 0;
	key[0] = (char)upper((unsigned char)country[0]);
	key[1] = (char)upper((unsigned char)country[1]);
	key[2] = '\0';
	return 1;
}

static int holiday_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	int c = strcmp(x->country, y->country);

	if (c)
		return c;
	return (x->day > y->day) - (x->day < y->day);
}

static const struct holiday *holiday_find(const struct cps_holidays *h,
					  const char key[3], long day)
{
	struct holiday probe;

	if (!h || h->n == 0)
		return NULL;
	memcpy(probe.country, key, 3);
	probe.day = day;
	probe.name = NULL;
	return bsearch(&probe, h->v, h->n, sizeof(h->v[0]), holiday_cmp);
}

void cps_holidays_free(struct cps_holidays *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i].name);
	free(h->v);
	free(h);
}

size_t cps_holidays_count(const struct cps_holidays *h)
{
	return h ? h->n : 0;
}

const char *cps_holidays_find(const struct cps_holidays *h,
			      const char *country, struct cps_ymd d)
{
	const struct holiday *hd;
	char key[3];

	if (!country || !country_key(country, strlen(country), key) ||
	    !cps_ymd_valid(d))
		return NULL;
	hd = holiday_find(h, key, cps_ymd_to_days(d));
	return hd ? hd->name : NULL;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims blanks from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_blank((*s)[0]))
		(*s)++, (*n)--;
	while (*n > 0 && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* A spreadsheet may quote every field: "DK","2026-12-25",... */
static void unquote(const char **s, size_t *n)
{
	if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"')
		(*s)++, *n -= 2;
}

static int field_is(const char *s, size_t n, const char *word)
{
	if (strlen(word) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (upper((unsigned char)s[i]) != upper((unsigned char)word[i]))
			return 0;
	return 1;
}

/* The name field, without surrounding double quotes and with "" read as
 * one quote; NULL with err set if it is unusable. */
static char *holiday_name(const char *s, size_t n, enum cps_err *rc,
			  struct cps_error *err)
{
	char *name, *o;
	size_t i;

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	if (n == 0) {
		*rc = cps_error_set(err, CPS_ERR_INVALID,
				    _("the holiday has no name"));
		return NULL;
	}
	name = malloc(n + 1);
	if (!name) {
		*rc = cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
		return NULL;
	}
	for (i = 0, o = name; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* The name goes on screen: no escape sequences. */
		if (c < 0x20 || c == 0x7F) {
			free(name);
			*rc = cps_error_set(err, CPS_ERR_INVALID,
					    _("the holiday name contains a control character"));
			return NULL;
		}
		*o++ = (char)c;
		if (c == '"' && i + 1 < n && s[i + 1] == '"')
			i++;
	}
	*o = '\0';
	return name;
}

/* One line without its '\n'.  *started says whether a line with content
 * was seen before (the header may only come first). */
static enum cps_err parse_line(struct cps_holidays *h, const char *s, size_t n,
			       int *started, struct cps_error *err)
{
	const char *c1, *c2, *cc, *ds, *ns;
	size_t ccn, dsn, nsn;
	char key[3], date[CPS_YMD_SIZE];
	struct cps_ymd d;
	enum cps_err rc = CPS_OK;
	char *name;

	trim(&s, &n);
	if (n == 0 || s[0] == '#')
		return CPS_OK;
	if (memchr(s, '\0', n))
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("the line contains a NUL byte"));
	c1 = memchr(s, ',', n);
	c2 = c1 ? memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s)) : NULL;
	if (!c2)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("expected country,date,name (such as DK,2026-12-25,Christmas Day)"));
	cc = s, ccn = (size_t)(c1 - s);
	ds = c1 + 1, dsn = (size_t)(c2 - ds);
	ns = c2 + 1, nsn = n - (size_t)(ns - s);
	trim(&cc, &ccn);
	trim(&ds, &dsn);
	trim(&ns, &nsn);
	unquote(&cc, &ccn);
	unquote(&ds, &dsn);

	if (!*started && field_is(cc, ccn, "country") && field_is(ds, dsn, "date")) {
		*started = 1;
		return CPS_OK;
	}
	*started = 1;
	if (!country_key(cc, ccn, key))
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%.*s\" is not a two-letter country code (such as DK)"),
				     (int)(ccn > 40 ? 40 : ccn), cc);
	if (dsn != CPS_YMD_SIZE - 1)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%.*s\" is not a date of the form YYYY-MM-DD"),
				     (int)(dsn > 40 ? 40 : dsn), ds);
	memcpy(date, ds, dsn);
	date[dsn] = '\0';
	if (cps_ymd_parse(date, &d, NULL) != CPS_OK)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%s\" is not a date of the form YYYY-MM-DD"),
				     date);
	name = holiday_name(ns, nsn, &rc, err);
	if (!name)
		return rc;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct holiday *v = realloc(h->v, cap * sizeof(*v));

		if (!v) {
			free(name);
			return cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
		}
		h->v = v;
		h->cap = cap;
	}
	memcpy(h->v[h->n].country, key, 3);
	h->v[h->n].day = cps_ymd_to_days(d);
	h->v[h->n].name = name;
	h->n++;
	return CPS_OK;
}

enum cps_err cps_holidays_parse(const char *buf, size_t len, const char *name,
				struct cps_holidays **out,
				struct cps_error *err)
{
	struct cps_holidays *h;
	const char *p = buf, *end = buf + len;
	int lineno = 0, started = 0;
	enum cps_err rc;

	if (!out)
		return cps_error_set(err, CPS_ERR_INVALID, _("No place for the holiday list."));
	*out = NULL;
	if (!buf && len > 0)
		return cps_error_set(err, CPS_ERR_INVALID, _("No holiday list was given."));
	if (!name)
		name = "holidays";
	h = calloc(1, sizeof(*h));
	if (!h)
		return cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a byte order mark from a spreadsheet */
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		lineno++;
		rc = parse_line(h, p, (size_t)(le - p), &started, err);
		if (rc != CPS_OK) {
			cps_error_prefix(err, "%s:%d", name, lineno);
			cps_holidays_free(h);
			return rc;
		}
		p = nl ? nl + 1 : end;
	}
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(h->v[0]), holiday_cmp);
	*out = h;
	return CPS_OK;
}

enum cps_err cps_holidays_load(const char *path, struct cps_holidays **out,
			       struct cps_error *err)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;
	enum cps_err rc;
	FILE *f;
	int e;

	if (!out)
		return cps_error_set(err, CPS_ERR_INVALID, _("No place for the holiday list."));
	*out = NULL;
	/* Holidays are a refinement: without the file only weekends count. */
	f = path ? fopen(path, "rb") : NULL;
	if (!f) {
		if (path && errno != ENOENT && errno != ENOTDIR)
			return cps_error_set(err, CPS_ERR_IO,
					     _("Cannot open the holiday list %s: %s"),
					     path, strerror(errno));
		return cps_holidays_parse(NULL, 0, path, out, err);
	}
	for (;;) {
		if (len == cap) {
			if (cap >= (size_t)HOLIDAYS_FILE_MAX) {
				fclose(f);
				free(buf);
				return cps_error_set(err, CPS_ERR_INVALID,
						     _("The holiday list %s is too large."),
						     path);
			}
			cap = cap ? cap * 2 : 16384;
			nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				return cps_error_set(err, CPS_ERR_NOMEM, _("Out of memory."));
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	e = errno;
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return cps_error_set(err, CPS_ERR_IO,
				     _("Cannot read the holiday list %s: %s"),
				     path, strerror(e));
	}
	fclose(f);
	rc = cps_holidays_parse(buf, len, path, out, err);
	free(buf);
	return rc;
}

/* --- working days ------------------------------------------------------ */

static int workday(long day, const char *key, const struct cps_holidays *h)
{
	if (weekday_of(day) >= 6)
		return 0;
	return !key || !holiday_find(h, key, day);
}

int cps_workdays_is_workday(struct cps_ymd d, const char *country,
			    const struct cps_holidays *h)
{
	char key[3];
	int known = country && country_key(country, strlen(country), key);

	return workday(cps_ymd_to_days(d), known ? key : NULL, h);
}

enum cps_err cps_workdays_add_ymd(struct cps_ymd start, int days,
				  const char *country,
				  const struct cps_holidays *h,
				  struct cps_ymd *out)
{
	char key[3];
	const char *k = NULL;
	long day;

	if (!out || !cps_ymd_valid(start) || days < 0 || days > CPS_WORKDAYS_MAX)
		return CPS_ERR_INVALID;
	if (country && country_key(country, strlen(country), key))
		k = key;
	day = cps_ymd_to_days(start);
	/* A finite holiday list cannot cover every weekday, so both loops
	 * end. */
	if (days == 0) {
		while (!workday(day, k, h))
			day++;
	}
	while (days > 0) {
		day++;
		if (workday(day, k, h))
			days--;
	}
	*out = cps_ymd_from_days(day);
	return cps_ymd_valid(*out) ? CPS_OK : CPS_ERR_INVALID;
}

/* The moment on day d at the wall-clock time in tm (local time). */
static enum cps_err at_same_time(struct tm *tm, struct cps_ymd d, time_t *out)
{
	time_t t;

	tm->tm_year = d.y - 1900;
	tm->tm_mon = d.m - 1;
	tm->tm_mday = d.d;
	tm->tm_isdst = -1; /* the offset of the new day, not the old one */
	t = mktime(tm);
	if (t == (time_t)-1)
		return CPS_ERR_INVALID;
	*out = t;
	return CPS_OK;
}

enum cps_err cps_workdays_add(time_t start, int days, const char *country,
			      const struct cps_holidays *h, time_t *out)
{
	struct cps_ymd s, e;
	struct tm tm;
	enum cps_err rc;

	if (!out || !localtime_r(&start, &tm))
		return CPS_ERR_INVALID;
	s.y = tm.tm_year + 1900;
	s.m = tm.tm_mon + 1;
	s.d = tm.tm_mday;
	rc = cps_workdays_add_ymd(s, days, country, h, &e);
	if (rc != CPS_OK)
		return rc;
	return at_same_time(&tm, e, out);
}

enum cps_err cps_date_add_days(time_t start, int days, time_t *out)
{
	struct cps_ymd s, e;
	struct tm tm;

	if (!out || days < -CPS_WORKDAYS_MAX || days > CPS_WORKDAYS_MAX ||
	    !localtime_r(&start, &tm))
		return CPS_ERR_INVALID;
	s.y = tm.tm_year + 1900;
	s.m = tm.tm_mon + 1;
	s.d = tm.tm_mday;
	e = cps_ymd_add(s, days);
	if (!cps_ymd_valid(e))
		return CPS_ERR_INVALID;
	return at_same_time(&tm, e, out);
}
