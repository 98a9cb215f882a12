/* postcode.c - postcodes by their country's format (see postcode.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/postcode.h"

/* A country's form: '9' a digit, 'A' a letter, ' ' and '-' written as
 * shown (and optional when typed: "12345" is "123 45").  GB has its own
 * check (its outward code varies in length). */
struct form {
	const char *country;
	const char *shape;      /* NULL: GB */
	const char *example;
	const char *prefix;     /* a letter prefix people write ("L-1234"), or NULL */
};

static const struct form forms[] = {
	{ "AT", "9999", "1010", "A" },
	{ "BE", "9999", "1000", "B" },
	{ "CH", "9999", "8001", "CH" },
	{ "CZ", "999 99", "110 00", "CZ" },
	{ "DE", "99999", "10115", "D" },
	{ "DK", "9999", "2100", "DK" },
	{ "ES", "99999", "28001", "E" },
	{ "FI", "99999", "00100", "FI" },
	{ "FR", "99999", "75001", "F" },
	{ "GB", NULL, "SW1A 1AA", NULL },
	{ "HU", "9999", "1051", "H" },
	{ "IE", "A9X XXXX", "D02 X285", NULL },
	{ "IT", "99999", "00184", "I" },
	{ "LU", "9999", "1160", "L" },
	{ "NL", "9999 AA", "1012 AB", "NL" },
	{ "NO", "9999", "0150", "N" },
	{ "PL", "99-999", "00-950", "PL" },
	{ "PT", "9999-999", "1100-148", "P" },
	{ "SE", "999 99", "113 51", "S" },
	{ "SK", "999 99", "811 01", "SK" },
};

static const struct form *form_of(const char *country)
{
	for (size_t i = 0; country && i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strcmp(forms[i].country, country) == 0)
			return &forms[i];
	return NULL;
}

const char *cps_postcode_example(const char *country)
{
	const struct form *f = form_of(country);

	return f ? f->example : NULL;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_letter(char c) { return c >= 'A' && c <= 'Z'; }

/* The letters and digits of s in capitals, without spaces and dashes;
 * -1 when s holds anything else or is too long. */
static int compact(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s; s++) {
		char c = *s;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_digit(c) && !is_letter(c))
			return -1;
		if (n + 1 >= len)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return (int)n;
}

/* c against the form's letter: 1 when it fits. */
static int fits(char shape, char c)
{
	return shape == '9' ? is_digit(c) : shape == 'A' ? is_letter(c) : is_digit(c) || is_letter(c);
}

/* The compact text laid out as the shape ("11300" as "999 99" is
 * "113 00"); -1 when it does not fit. */
static int by_shape(const char *shape, const char *c, char *out, size_t len)
{
	size_t o = 0;

	for (; *shape; shape++) {
		if (o + 1 >= len)
			return -1;
		if (*shape == ' ' || *shape == '-') {
			out[o++] = *shape;
			continue;
		}
		if (!*c || !fits(*shape, *c))
			return -1;
		out[o++] = *c++;
	}
	out[o] = '\0';
	return *c ? -1 : 0;
}

/* A British postcode: the outward code (A9, A99, AA9, AA99, A9A, AA9A)
 * and the inward code (9AA), written with one space between. */
static int gb(const char *c, char *out, size_t len)
{
	size_t n = strlen(c);

	if (n < 5 || n > 7 || len < n + 2)
		return -1;
	const char *in = c + n - 3;
	if (!is_digit(in[0]) || !is_letter(in[1]) || !is_letter(in[2]))
		return -1;
	size_t on = n - 3;
	if (!is_letter(c[0]))
		return -1;
	int ok = (on == 2 && is_digit(c[1])) ||
		 (on == 3 && ((is_digit(c[1]) && (is_digit(c[2]) || is_letter(c[2]))) ||
			      (is_letter(c[1]) && is_digit(c[2])))) ||
		 (on == 4 && is_letter(c[1]) && is_digit(c[2]) && (is_digit(c[3]) || is_letter(c[3])));
	if (!ok)
		return -1;
	memcpy(out, c, on);
	out[on] = ' ';
	memcpy(out + on + 1, in, 3);
	out[n + 1] = '\0';
	return 0;
}

static enum cps_err put(const char *v, char *out, size_t outlen, struct cps_error *err)
{
	if (out && outlen) {
		if (strlen(v) >= outlen)
			return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Internal error: no room for the value."));
		memcpy(out, v, strlen(v) + 1);
	}
	return CPS_OK;
}

enum cps_err cps_postcode_check(const char *country, const char *country_name,
				const char *in, char *out, size_t outlen,
				struct cps_error *err)
{
	const struct form *f = form_of(country);
	char c[CPS_POSTCODE_MAX * 2], v[CPS_POSTCODE_MAX];
	const char *s = in ? in : "";

	if (out && outlen)
		out[0] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (!f) {
		/* no rule for the country: only the characters a postcode has */
		for (const char *p = s; *p; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= 'a' && *p <= 'z') || *p == ' ' || *p == '-'))
				return cps_error_set(err, CPS_ERR_INVALID, "%s",
						     _("A postcode has only letters, digits, spaces and dashes."));
		if (compact(s, c, sizeof(c)) < 0)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("A postcode has only letters, digits, spaces and dashes."));
		/* kept as written, in capitals */
		snprintf(v, sizeof(v), "%s", s);
		for (char *p = v; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		size_t n = strlen(v);
		while (n && v[n - 1] == ' ')
			v[--n] = '\0';
		return put(v, out, outlen, err);
	}
	int n = compact(s, c, sizeof(c));
	/* "DK-2100", "L-1160", "SE-113 51": the country's letters before it */
	if (n > 0) {
		const char *pre[2] = { f->prefix, f->country };
		for (int i = 0; i < 2; i++) {
			size_t pl = pre[i] ? strlen(pre[i]) : 0;
			if (pl && strncmp(c, pre[i], pl) == 0 && is_digit(c[pl])) {
				memmove(c, c + pl, strlen(c + pl) + 1);
				break;
			}
		}
	}
	int good = n > 0 && (f->shape ? by_shape(f->shape, c, v, sizeof(v)) : gb(c, v, sizeof(v))) == 0;
	const char *name = country_name && country_name[0] ? country_name : f->country;
	if (!good) {
		int digits = 0, only_digits = f->shape != NULL;
		for (const char *p = f->shape ? f->shape : ""; *p; p++) {
			if (*p == '9')
				digits++;
			else if (*p != ' ' && *p != '-')
				only_digits = 0;
		}
		if (only_digits && !strchr(f->shape, ' ') && !strchr(f->shape, '-'))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A postcode in %s has %d digits, such as %s."), name, digits, f->example);
		return cps_error_set(err, CPS_ERR_INVALID,
			_("A postcode in %s is written like %s."), name, f->example);
	}
	return put(v, out, outlen, err);
}
