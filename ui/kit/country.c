/* country.c - the one country picker (see country.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/catalog.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "country.h"
#include "sanitize.h"

void country_shown(const struct country_picker *p, const char *code, char *out, size_t len)
{
	const struct cps_country *c = code[0] ? cps_country_find(p->e, code) : NULL;
	char buf[128];

	if (!c)
		snprintf(buf, sizeof(buf), "%s", code);
	else if (p->with_code)
		snprintf(buf, sizeof(buf), "%s (%s)", cps_country_name(c), c->code);
	else
		snprintf(buf, sizeof(buf), "%s", cps_country_name(c));
	sanitize_line(buf, out, len);
}

/* The country's names to match typed text against: the screen's language
 * (cur, cps_lang_current(): asked once per search, not per name) first,
 * then the others (a Dane at an English screen types "Danmark"). */
static const char *name_in(const struct cps_country *c, int k, int cur)
{
	return c->names[k == 0 ? cur : (k <= cur ? k - 1 : k)];
}

/* How well country c fits the folded text q: 1 its code, 2 a name starts
 * with q, 3 a word of a name does; 0 not at all. */
static int fits(const struct cps_country *c, const char *q, int cur)
{
	char name[256];
	size_t ql = strlen(q);
	int best = 0;

	if (ql == 2 && (q[0] & ~0x20) == c->code[0] && (q[1] & ~0x20) == c->code[1])
		return 1;
	for (int k = 0; k < CPS_LANGS && best != 2; k++) {
		cps_catalog_fold(name_in(c, k, cur), name, sizeof(name));
		if (strncmp(name, q, ql) == 0)
			best = 2;
		for (const char *sp = strchr(name, ' '); !best && sp; sp = strchr(sp + 1, ' '))
			if (strncmp(sp + 1, q, ql) == 0)
				best = 3;
	}
	return best;
}

/* The countries that fit text, best first (in the list's order within a
 * rank): their indexes in *idx, how many in the return value (at most
 * max, W_SUGGEST_MAX at most).  One pass: each country's names are folded
 * once per key typed, not once per rank. */
static int matches(const struct country_picker *p, const char *text, size_t *idx, int max)
{
	char q[128];
	size_t count = cps_country_count(p->e);
	size_t by_rank[3][W_SUGGEST_MAX];
	int have[3] = { 0, 0, 0 }, n = 0, cur = cps_lang_current();

	if (max > W_SUGGEST_MAX)
		max = W_SUGGEST_MAX;
	cps_catalog_fold(text, q, sizeof(q));
	if (!q[0])
		return 0;
	for (size_t i = 0; i < count && have[0] < max; i++) {
		const struct cps_country *c = cps_country_at(p->e, i);
		int rank = !p->cps_only || c->cps ? fits(c, q, cur) : 0;
		if (rank && have[rank - 1] < max)
			by_rank[rank - 1][have[rank - 1]++] = i;
	}
	for (int r = 0; r < 3; r++)
		for (int k = 0; k < have[r] && n < max; k++)
			idx[n++] = by_rank[r][k];
	return n;
}

int country_suggest(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max)
{
	const struct country_picker *p = arg;
	size_t idx[W_SUGGEST_MAX];
	int n;

	if (!p)
		return 0;
	if (max > W_SUGGEST_MAX)
		max = W_SUGGEST_MAX;
	n = matches(p, text, idx, max);
	for (int i = 0; i < n; i++)
		country_shown(p, cps_country_at(p->e, idx[i])->code, out[i], W_SUGGEST_LEN);
	return n;
}

int country_read(const struct country_picker *p, const char *text, char code[3],
		 char *msg, size_t len)
{
	char t[128], q[128], name[256];
	size_t n, count = cps_country_count(p->e), idx[2];
	const struct cps_country *one = NULL;

	/* without the spaces around it */
	while (*text == ' ')
		text++;
	snprintf(t, sizeof(t), "%s", text);
	for (n = strlen(t); n && t[n - 1] == ' '; n--)
		t[n - 1] = '\0';
	code[0] = '\0';
	if (!t[0])
		return 0;
	if (n >= 4 && t[n - 1] == ')' && t[n - 4] == '(') {   /* "Norway (NO)" */
		char cc[3] = { t[n - 3], t[n - 2], '\0' };
		one = cps_country_find(p->e, cc);
	}
	cps_catalog_fold(t, q, sizeof(q));
	int cur = cps_lang_current();
	for (size_t i = 0; !one && i < count; i++) {
		const struct cps_country *c = cps_country_at(p->e, i);
		for (int k = 0; !one && k < CPS_LANGS; k++) {
			cps_catalog_fold(name_in(c, k, cur), name, sizeof(name));
			if (strcmp(name, q) == 0)
				one = c;
		}
	}
	if (!one)
		one = cps_country_find(p->e, t);
	if (!one) {
		/* the one country the list offers for it */
		int m = matches(p, t, idx, 2);
		if (m == 1) {
			one = cps_country_at(p->e, idx[0]);
		} else {
			if (m > 1)
				snprintf(msg, len, _("Several countries start with \"%s\": please pick one from the list."), t);
			else
				snprintf(msg, len, _("No country is called \"%s\": type the first letters and pick it from the list."), t);
			return -1;
		}
	}
	snprintf(code, 3, "%s", one->code);
	return 0;
}
