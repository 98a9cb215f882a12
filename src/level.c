/* level.c - the invitation and the open membership levels (see
 * include/cpsreg/level.h), and amounts of money for display. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/level.h"

/* The points a level needs, the invitation included.  long long, because
 * a config edited in a test may say INT_MAX and Corporate adds one. */
static long long points_needed(const struct cps_config *cfg,
			       const struct cps_level *l)
{
	long long need = l->corporate ? (long long)cfg->corporate_above + 1
				      : (long long)l->points;

	return need > cfg->invite_points ? need : (long long)cfg->invite_points;
}

static int missing(long long need, long long have)
{
	long long m = need - have;

	return m > 0 ? (int)m : 0;
}

static int has_corporate(const struct cps_config *cfg)
{
	for (int i = 0; i < cfg->nlevels; i++)
		if (cfg->levels[i].corporate)
			return 1;
	return 0;
}

static void level_status(const struct cps_config *cfg, const struct cps_level *l,
			 int points, int products, struct cps_level_status *st)
{
	st->level = l;
	st->corporate = l->corporate != 0;
	st->points_missing = missing(points_needed(cfg, l), points);
	/* Corporate's only condition is the points (README, rules 7); the
	 * product counts are guidance unless the shop makes them one */
	st->products_guidance = l->corporate ? l->products : 0;
	st->products_missing = l->corporate && cfg->corporate_products_required
			       ? missing(l->products, products) : 0;
	st->open = st->points_missing == 0 && st->products_missing == 0;
}

void cps_level_evaluate(const struct cps_config *cfg, int points,
			int registered_products,
			struct cps_level_status out[CPS_MAX_LEVELS], int *n,
			struct cps_invitation *inv)
{
	int count = 0;

	if (points < 0)
		points = 0;
	if (registered_products < 0)
		registered_products = 0;
	if (cfg && out) {
		for (int i = 0; i < cfg->nlevels && i < CPS_MAX_LEVELS; i++)
			level_status(cfg, &cfg->levels[i], points,
				     registered_products, &out[count++]);
	}
	if (n)
		*n = count;
	if (!inv)
		return;
	memset(inv, 0, sizeof(*inv));
	if (!cfg)
		return;
	inv->points_missing = missing(cfg->invite_points, points);
	inv->invited = inv->points_missing == 0;
	long long above = (long long)cfg->corporate_above + 1;
	if (above < cfg->invite_points)
		above = cfg->invite_points;
	inv->corporate_points_missing = missing(above, points);
	inv->corporate_switch_available = inv->corporate_points_missing == 0 &&
					  has_corporate(cfg);
}

static enum cps_err not_invited(const struct cps_config *cfg, int missing_pts,
				struct cps_error *err)
{
	return cps_error_set(err, CPS_ERR_STATE,
		dngettext(CPS_TEXTDOMAIN,
			  "You are not invited to CPS yet: the invitation comes at %d points, and you need %d more point. Register more products, or complete the ones without a green tick.",
			  "You are not invited to CPS yet: the invitation comes at %d points, and you need %d more points. Register more products, or complete the ones without a green tick.",
			  (unsigned long)missing_pts),
		cfg->invite_points, missing_pts);
}

enum cps_err cps_level_can_choose(const struct cps_config *cfg,
				  const char *level_id, int points,
				  int registered_products,
				  struct cps_error *err)
{
	const struct cps_level *l = cfg && level_id ? cps_config_level(cfg, level_id) : NULL;
	struct cps_level_status st;
	char pts[CPS_ERROR_MAX / 2], prods[CPS_ERROR_MAX / 2], n1[32], n2[32];

	if (!l)
		return cps_error_set(err, CPS_ERR_NOT_FOUND,
			_("There is no membership level \"%s\". Choose one of the levels shown."),
			level_id ? level_id : "");
	if (points < 0)
		points = 0;
	if (registered_products < 0)
		registered_products = 0;
	int invite_missing = missing(cfg->invite_points, points);
	if (invite_missing)
		return not_invited(cfg, invite_missing, err);
	level_status(cfg, l, points, registered_products, &st);
	if (st.open)
		return CPS_OK;
	if (!l->corporate)
		return cps_error_set(err, CPS_ERR_STATE,
			dngettext(CPS_TEXTDOMAIN,
				  "%s opens at %s points: you need %s more point.",
				  "%s opens at %s points: you need %s more points.",
				  (unsigned long)st.points_missing),
			l->name, cps_points_text(l->points, n1, sizeof(n1)),
			cps_points_text(st.points_missing, n2, sizeof(n2)));
	pts[0] = prods[0] = '\0';
	if (st.points_missing)
		snprintf(pts, sizeof(pts),
			 dngettext(CPS_TEXTDOMAIN,
				   "Corporate levels open above %s points: you need %s more point.",
				   "Corporate levels open above %s points: you need %s more points.",
				   (unsigned long)st.points_missing),
			 cps_points_text(cfg->corporate_above, n1, sizeof(n1)),
			 cps_points_text(st.points_missing, n2, sizeof(n2)));
	if (st.products_missing)
		snprintf(prods, sizeof(prods),
			 dngettext(CPS_TEXTDOMAIN,
				   "%s needs %d registered products: register %d more product.",
				   "%s needs %d registered products: register %d more products.",
				   (unsigned long)st.products_missing),
			 l->name, l->products, st.products_missing);
	return cps_error_set(err, CPS_ERR_STATE, "%s%s%s", pts,
			     *pts && *prods ? " " : "", prods);
}

/* How each language writes an amount (lang.h's order): carried here, not
 * taken from the C library's locale data, which a fresh machine lacks. */
static const struct { const char *group, *point; } money_style[CPS_LANGS] = {
	{ "", "." },    /* en: 5000.00, as before */
	{ " ", "," },   /* nb: 5 000,00 */
	{ ".", "," },   /* da: 5.000,00 */
};

char *cps_money_format(long cents, const char *currency, char *buf, size_t len)
{
	unsigned long mag, units;
	char digits[32], grouped[64];
	size_t n, o = 0;
	int w, lang = cps_lang_current();

	if (!buf || !len)
		return buf;
	/* 0UL - x: the magnitude of LONG_MIN too, without overflow */
	mag = cents < 0 ? 0UL - (unsigned long)cents : (unsigned long)cents;
	units = mag / 100;
	if (!currency)
		currency = "";
	snprintf(digits, sizeof(digits), "%lu", units);
	n = strlen(digits);
	for (size_t i = 0; i < n && o + 2 < sizeof(grouped); i++) {
		if (i && (n - i) % 3 == 0)
			o += (size_t)snprintf(grouped + o, sizeof(grouped) - o, "%s",
					      money_style[lang].group);
		grouped[o++] = digits[i];
		grouped[o] = '\0';
	}
	w = snprintf(buf, len, "%s%s%s%02lu%s%s", cents < 0 ? "-" : "", grouped,
		     money_style[lang].point, mag % 100, *currency ? " " : "", currency);
	if (w < 0 || (size_t)w >= len)
		buf[0] = '\0';
	return buf;
}

/* Rounds num/den to the nearest whole number, halves away from zero; both
 * positive here (fees and rates are never negative). */
static long round_div(long long num, long long den)
{
	return den > 0 ? (long)((num + den / 2) / den) : 0;
}

void cps_fee_of_gross(const struct cps_config *cfg, long gross_cents, struct cps_fee *out)
{
	int rate = cps_config_vat_hundredths(cfg);

	memset(out, 0, sizeof(*out));
	if (gross_cents < 0)
		gross_cents = 0;
	out->vat_hundredths = rate;
	out->gross_cents = gross_cents;
	/* the VAT is what is left after the net, so that net + VAT is the
	 * gross to the cent */
	out->net_cents = round_div((long long)gross_cents * 10000, 10000LL + rate);
	out->vat_cents = gross_cents - out->net_cents;
}

void cps_fee_split(const struct cps_config *cfg, long fee_cents, struct cps_fee *out)
{
	int rate = cps_config_vat_hundredths(cfg);

	if (!cfg || cfg->fees_include_vat) {
		cps_fee_of_gross(cfg, fee_cents, out);
		return;
	}
	memset(out, 0, sizeof(*out));
	if (fee_cents < 0)
		fee_cents = 0;
	out->vat_hundredths = rate;
	out->net_cents = fee_cents;
	out->vat_cents = round_div((long long)fee_cents * rate, 10000);
	out->gross_cents = fee_cents + out->vat_cents;
}

char *cps_percent_format(int hundredths, char *buf, size_t len)
{
	char num[32];
	int lang = cps_lang_current();

	if (!buf || !len)
		return buf;
	if (hundredths < 0)
		hundredths = 0;
	if (hundredths % 100 == 0)
		snprintf(num, sizeof(num), "%d", hundredths / 100);
	else if (hundredths % 10 == 0)
		snprintf(num, sizeof(num), "%d%s%d", hundredths / 100,
			 money_style[lang].point, hundredths % 100 / 10);
	else
		snprintf(num, sizeof(num), "%d%s%02d", hundredths / 100,
			 money_style[lang].point, hundredths % 100);
	/* Norwegian and Danish put a space before the sign */
	snprintf(buf, len, "%s%s%%", num, lang == CPS_LANG_EN ? "" : " ");
	return buf;
}

const char *cps_level_benefits(const struct cps_config *cfg, const struct cps_level *l)
{
	int lang = cps_lang_current();

	if (!l)
		return "";
	if (lang == CPS_LANG_NB && l->benefits_nb[0])
		return l->benefits_nb;
	if (lang == CPS_LANG_DA && l->benefits_da[0])
		return l->benefits_da;
	if (!l->benefits[0])
		return "";
	/* the built-in levels' lines are the program's own msgids; a file's
	 * are the shop's words, shown as written */
	return cfg && cfg->levels_source == CPS_SRC_DEFAULT ? _(l->benefits) : l->benefits;
}
