/* lang.h - the languages cpsreg speaks (English, Norwegian bokmål, Danish)
 * and writing a text in a language other than the screen's.
 *
 * The language is chosen through the LANGUAGE variable, which gettext
 * reads without the locale being generated on the machine: a fresh
 * machine with only C.UTF-8 still shows Norwegian or Danish. */
#ifndef CPSREG_LANG_H
#define CPSREG_LANG_H

#include <stddef.h>

enum { CPS_LANG_EN, CPS_LANG_NB, CPS_LANG_DA, CPS_LANGS };

/* The language a code or locale name means: "nb", "no_NO.UTF-8" and
 * "nb_NO" are bokmål, "da_DK.UTF-8" Danish, "en_GB" English; the first of a
 * LANGUAGE list ("da:nb").  -1 for anything else (C, POSIX, "fr"). */
int cps_lang_index(const char *code);
/* "en", "nb" or "da"; "en" for an index out of range. */
const char *cps_lang_code(int lang);
/* The language of the screen: LANGUAGE, else LC_ALL, LC_MESSAGES, LANG;
 * English when none names one of the three. */
int cps_lang_current(void);

/* Composing in another language: push switches gettext to `code` (a code
 * cps_lang_index knows; anything else leaves the language as it is), pop
 * puts back what was there.  Not for use from two threads at once. */
struct cps_lang_saved {
	char language[64];
	char locale[64];  /* LC_MESSAGES before, when push had to change it */
	int had;     /* LANGUAGE was set */
	int pushed;  /* push changed something that pop must undo */
};
void cps_lang_push(const char *code, struct cps_lang_saved *saved);
void cps_lang_pop(struct cps_lang_saved *saved);

/* A stored date ("2026-12-05", or the best guess "2021-05" or "2021") as
 * the screen's language writes it: Norwegian and Danish "05.12.2026" and
 * "05.2021" (what the customer typed comes back the same), English as
 * stored.  cps_local_time_text (text.h) follows the same rule.  Anything else is
 * copied.  Returns out. */
const char *cps_date_shown(const char *iso, char *out, size_t len);

/* v with this many decimals as the screen's language writes it: "10.5" in
 * English, "10,5" in Norwegian and Danish (no locale data needed).
 * Returns out. */
const char *cps_number_text(double v, int decimals, char *out, size_t len);

/* A number of points as the screen's language writes it: Danish groups
 * the thousands with a point ("2.000 point", as Canon's Danish text),
 * English and Norwegian do not ("2000 poeng", as Canon's Norwegian
 * text).  Returns out. */
const char *cps_points_text(long n, char *out, size_t len);

#endif
