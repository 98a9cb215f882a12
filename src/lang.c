/* lang.c - which of the three languages is meant, and switching gettext to
 * one of them for a while (see lang.h). */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/lang.h"

static const char *const codes[CPS_LANGS] = { "en", "nb", "da" };

int cps_lang_index(const char *code)
{
	if (!code || !code[0] || !code[1])
		return -1;
	/* "no" is the older name for Norwegian; bokmål is what most write */
	if (!strncmp(code, "nb", 2) || !strncmp(code, "no", 2))
		return CPS_LANG_NB;
	if (!strncmp(code, "da", 2))
		return CPS_LANG_DA;
	if (!strncmp(code, "en", 2))
		return CPS_LANG_EN;
	return -1;
}

const char *cps_lang_code(int lang)
{
	return lang >= 0 && lang < CPS_LANGS ? codes[lang] : codes[CPS_LANG_EN];
}

int cps_lang_current(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
		const char *cur = getenv(vars[v]);
		if (cur && *cur) {
			int i = cps_lang_index(cur);
			return i < 0 ? CPS_LANG_EN : i;
		}
	}
	return CPS_LANG_EN;
}

/* gettext keeps the translations it found; changing textdomain is the
 * documented way to tell it the catalogue may have changed. */
static void forget_lookups(void)
{
	const char *dom = textdomain(NULL);
	char keep[128];

	snprintf(keep, sizeof(keep), "%s", dom ? dom : "messages");
	textdomain(keep);
}

void cps_lang_push(const char *code, struct cps_lang_saved *saved)
{
	const char *cur = getenv("LANGUAGE");
	int lang = cps_lang_index(code);

	memset(saved, 0, sizeof(*saved));
	if (lang < 0)
		return;
	saved->had = cur != NULL;
	snprintf(saved->language, sizeof(saved->language), "%s", cur ? cur : "");
	if (cur && !strcmp(cur, codes[lang]))
		return;
	setenv("LANGUAGE", codes[lang], 1);
	/* gettext ignores LANGUAGE under the C locale (a staff shell with
	 * LANG=C); C.UTF-8 is on every Debian machine and honours it */
	const char *loc = setlocale(LC_MESSAGES, NULL);
	if (loc && (!strcmp(loc, "C") || !strcmp(loc, "POSIX"))) {
		snprintf(saved->locale, sizeof(saved->locale), "%s", loc);
		if (!setlocale(LC_MESSAGES, "C.UTF-8"))
			saved->locale[0] = '\0';
	}
	forget_lookups();
	saved->pushed = 1;
}

void cps_lang_pop(struct cps_lang_saved *saved)
{
	if (!saved->pushed)
		return;
	if (saved->had)
		setenv("LANGUAGE", saved->language, 1);
	else
		unsetenv("LANGUAGE");
	if (saved->locale[0])
		setlocale(LC_MESSAGES, saved->locale);
	forget_lookups();
	saved->pushed = 0;
}

/* all digits, exactly n of them */
static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

const char *cps_date_shown(const char *iso, char *out, size_t len)
{
	size_t n = iso ? strlen(iso) : 0;

	if (!out || !len)
		return out;
	if (cps_lang_current() != CPS_LANG_EN && n == 10 && iso[4] == '-' && iso[7] == '-' &&
	    digits(iso, 4) && digits(iso + 5, 2) && digits(iso + 8, 2))
		snprintf(out, len, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	else if (cps_lang_current() != CPS_LANG_EN && n == 7 && iso[4] == '-' &&
		 digits(iso, 4) && digits(iso + 5, 2))
		snprintf(out, len, "%.2s.%.4s", iso + 5, iso);
	else
		snprintf(out, len, "%s", iso ? iso : "");
	return out;
}

const char *cps_points_text(long n, char *out, size_t len)
{
	char digits[32];
	size_t o = 0, nd;
	int sign = n < 0;

	if (!out || !len)
		return out;
	/* 0UL - x: the magnitude of LONG_MIN too, without overflow */
	snprintf(digits, sizeof(digits), "%lu", sign ? 0UL - (unsigned long)n : (unsigned long)n);
	nd = strlen(digits);
	if (sign && o + 1 < len)
		out[o++] = '-';
	for (size_t i = 0; i < nd && o + 1 < len; i++) {
		if (i && (nd - i) % 3 == 0 && cps_lang_current() == CPS_LANG_DA) {
			if (o + 2 >= len)
				break;
			out[o++] = '.';
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

const char *cps_number_text(double v, int decimals, char *out, size_t len)
{
	if (!out || !len)
		return out;
	snprintf(out, len, "%.*f", decimals, v);
	/* the C library's locale would do this, but only where it is generated */
	if (cps_lang_current() != CPS_LANG_EN)
		for (char *c = out; *c; c++)
			if (*c == '.')
				*c = ',';
	return out;
}
