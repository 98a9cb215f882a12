/* test_level.c - the invitation, the open levels and the Corporate switch
 * (the figures of the Norwegian and Danish seeds on the default config,
 * and a config edited in the struct), and amounts of money. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/config.h"
#include "cpsreg/level.h"

static struct cps_config *defaults(void)
{
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	struct cps_config *cfg = NULL;

	o.env = env;
	assert_int_equal(cps_config_defaults(&cfg, &o, NULL), CPS_OK);
	return cfg;
}

/* The defaults of a shop that makes the Corporate product counts a
 * condition (rules.corporate_products_required = yes). */
static struct cps_config *strict(void)
{
	struct cps_config *cfg = defaults();

	cfg->corporate_products_required = 1;
	return cfg;
}

struct eval {
	struct cps_level_status st[CPS_MAX_LEVELS];
	int n;
	struct cps_invitation inv;
};

static void evaluate(const struct cps_config *cfg, int points, int products,
		     struct eval *ev)
{
	memset(ev, 0x5a, sizeof(*ev)); /* nothing may be left unset */
	cps_level_evaluate(cfg, points, products, ev->st, &ev->n, &ev->inv);
}

static const struct cps_level_status *find(const struct eval *ev, const char *id)
{
	for (int i = 0; i < ev->n; i++)
		if (strcmp(ev->st[i].level->id, id) == 0)
			return &ev->st[i];
	fail_msg("no level %s", id);
	return NULL;
}

/* "silver,gold" style list of the open levels, in order. */
static void open_list(const struct eval *ev, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < ev->n; i++) {
		if (!ev->st[i].open)
			continue;
		if (buf[0])
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, ev->st[i].level->id, len - strlen(buf) - 1);
	}
}

static void expect_open(const struct cps_config *cfg, int points, int products,
			const char *want)
{
	struct eval ev;
	char got[256];

	evaluate(cfg, points, products, &ev);
	open_list(&ev, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%d points, %d products: open \"%s\", expected \"%s\"",
			 points, products, got, want);
}

static void test_default_levels_listed(void **state)
{
	struct cps_config *cfg = defaults();
	struct eval ev;

	(void)state;
	evaluate(cfg, 0, 0, &ev);
	assert_int_equal(ev.n, 6);
	assert_string_equal(ev.st[0].level->id, "silver");
	assert_string_equal(ev.st[5].level->id, "corporate_c");
	for (int i = 0; i < ev.n; i++) {
		assert_ptr_equal(ev.st[i].level, &cfg->levels[i]);
		assert_int_equal(ev.st[i].corporate, cfg->levels[i].corporate);
		assert_false(ev.st[i].open);
	}
	/* every level is shown with the points still needed */
	assert_int_equal(find(&ev, "silver")->points_missing, 500);
	assert_int_equal(find(&ev, "gold")->points_missing, 1000);
	assert_int_equal(find(&ev, "platinum")->points_missing, 1600);
	assert_int_equal(find(&ev, "corporate_a")->points_missing, 2501);
	/* the product counts are guidance, not a condition, by default */
	assert_int_equal(find(&ev, "corporate_a")->products_guidance, 25);
	assert_int_equal(find(&ev, "corporate_c")->products_guidance, 250);
	assert_int_equal(find(&ev, "silver")->products_guidance, 0);
	assert_int_equal(find(&ev, "corporate_a")->products_missing, 0);
	assert_int_equal(find(&ev, "corporate_c")->products_missing, 0);
	cps_config_free(cfg);
}

/* "Så snart det er minst 500 poeng på kontoen din, kommer invitasjonen" */
static void test_seed_499_not_invited(void **state)
{
	struct cps_config *cfg = defaults();
	struct eval ev;

	(void)state;
	evaluate(cfg, 499, 0, &ev);
	assert_false(ev.inv.invited);
	assert_int_equal(ev.inv.points_missing, 1);
	assert_false(ev.inv.corporate_switch_available);
	assert_int_equal(ev.inv.corporate_points_missing, 2002);
	expect_open(cfg, 499, 0, "");
	expect_open(cfg, 499, 1000, "");
	assert_int_equal(find(&ev, "silver")->points_missing, 1);
	assert_int_equal(find(&ev, "gold")->points_missing, 501);
	cps_config_free(cfg);
}

static void test_seed_500_silver(void **state)
{
	struct cps_config *cfg = defaults();
	struct eval ev;

	(void)state;
	evaluate(cfg, 500, 0, &ev);
	assert_true(ev.inv.invited);
	assert_int_equal(ev.inv.points_missing, 0);
	assert_false(ev.inv.corporate_switch_available);
	expect_open(cfg, 500, 0, "silver");
	assert_int_equal(find(&ev, "silver")->points_missing, 0);
	assert_int_equal(find(&ev, "gold")->points_missing, 500);
	assert_int_equal(find(&ev, "platinum")->points_missing, 1100);
	expect_open(cfg, 999, 0, "silver");
	cps_config_free(cfg);
}

static void test_seed_1000_and_2000(void **state)
{
	struct cps_config *cfg = defaults();

	(void)state;
	expect_open(cfg, 1000, 0, "silver,gold");
	expect_open(cfg, 1599, 0, "silver,gold");
	expect_open(cfg, 1600, 0, "silver,gold,platinum");
	/* "Hvis du for eksempel har 2000 poeng, kan du velge et hvilket som
	 * helst nivå." */
	expect_open(cfg, 2000, 0, "silver,gold,platinum");
	expect_open(cfg, 2000, 300, "silver,gold,platinum");
	cps_config_free(cfg);
}

/* "Hvis du har mer enn 2500 poeng, kan du velge mellom bedriftsnivåer og
 * Silver/Gold/Platinum": 2500 is not more than 2500. */
static void test_seed_2500_no_corporate(void **state)
{
	struct cps_config *cfg = defaults();
	struct eval ev;

	(void)state;
	evaluate(cfg, 2500, 300, &ev);
	assert_true(ev.inv.invited);
	assert_false(ev.inv.corporate_switch_available);
	assert_int_equal(ev.inv.corporate_points_missing, 1);
	expect_open(cfg, 2500, 300, "silver,gold,platinum");
	assert_false(find(&ev, "corporate_a")->open);
	assert_int_equal(find(&ev, "corporate_a")->points_missing, 1);
	assert_int_equal(find(&ev, "corporate_c")->products_missing, 0);
	cps_config_free(cfg);
}

static void test_seed_2501_with_25_products(void **state)
{
	struct cps_config *cfg = strict();
	struct eval ev;

	(void)state;
	evaluate(cfg, 2501, 25, &ev);
	assert_true(ev.inv.corporate_switch_available);
	assert_int_equal(ev.inv.corporate_points_missing, 0);
	expect_open(cfg, 2501, 25, "silver,gold,platinum,corporate_a");
	assert_int_equal(find(&ev, "corporate_a")->points_missing, 0);
	assert_int_equal(find(&ev, "corporate_a")->products_missing, 0);
	assert_false(find(&ev, "corporate_b")->open);
	assert_int_equal(find(&ev, "corporate_b")->points_missing, 0);
	assert_int_equal(find(&ev, "corporate_b")->products_missing, 75);
	assert_false(find(&ev, "corporate_c")->open);
	assert_int_equal(find(&ev, "corporate_c")->products_missing, 225);
	expect_open(cfg, 2501, 100, "silver,gold,platinum,corporate_a,corporate_b");
	expect_open(cfg, 9999, 250, "silver,gold,platinum,corporate_a,corporate_b,corporate_c");
	cps_config_free(cfg);
}

static void test_seed_2501_with_24_products(void **state)
{
	struct cps_config *cfg = strict();
	struct eval ev;

	(void)state;
	evaluate(cfg, 2501, 24, &ev);
	assert_true(ev.inv.corporate_switch_available);
	expect_open(cfg, 2501, 24, "silver,gold,platinum");
	assert_false(find(&ev, "corporate_a")->open);
	assert_int_equal(find(&ev, "corporate_a")->points_missing, 0);
	assert_int_equal(find(&ev, "corporate_a")->products_missing, 1);
	cps_config_free(cfg);
}

/* The seeds: "Hvis du har mer enn 2500 poeng, kan du velge mellom
 * bedriftsnivåer og Silver/Gold/Platinum" -- points are the only
 * condition: 3 products open every Corporate level, with the products each
 * suits shown beside it. */
static void test_seed_2501_with_3_products(void **state)
{
	struct cps_config *cfg = defaults();
	struct cps_error err = { 0 };
	struct eval ev;

	(void)state;
	assert_false(cfg->corporate_products_required);
	evaluate(cfg, 2501, 3, &ev);
	assert_true(ev.inv.corporate_switch_available);
	expect_open(cfg, 2501, 3, "silver,gold,platinum,corporate_a,corporate_b,corporate_c");
	assert_int_equal(find(&ev, "corporate_b")->products_missing, 0);
	assert_int_equal(find(&ev, "corporate_b")->products_guidance, 100);
	assert_int_equal(cps_level_can_choose(cfg, "corporate_c", 2501, 3, &err), CPS_OK);
	/* still not at 2500 */
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 2500, 3, &err), CPS_ERR_STATE);
	/* the shop's switch makes the counts a condition */
	cfg->corporate_products_required = 1;
	expect_open(cfg, 2501, 3, "silver,gold,platinum");
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 2501, 3, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "22 more products"));
	cps_config_free(cfg);
}

static void test_negative_and_null(void **state)
{
	struct cps_config *cfg = strict();
	struct eval ev;
	struct cps_invitation inv;
	int n = -1;

	(void)state;
	evaluate(cfg, -5, -5, &ev);
	assert_int_equal(ev.inv.points_missing, 500);
	assert_int_equal(find(&ev, "corporate_a")->products_missing, 25);
	/* only the invitation, or only the levels */
	cps_level_evaluate(cfg, 600, 0, NULL, NULL, &inv);
	assert_true(inv.invited);
	cps_level_evaluate(cfg, 600, 0, ev.st, &n, NULL);
	assert_int_equal(n, 6);
	assert_true(ev.st[0].open);
	cps_level_evaluate(NULL, 600, 0, ev.st, &n, &inv);
	assert_int_equal(n, 0);
	assert_false(inv.invited);
	/* no overflow at the extremes */
	evaluate(cfg, INT_MAX, INT_MAX, &ev);
	expect_open(cfg, INT_MAX, INT_MAX, "silver,gold,platinum,corporate_a,corporate_b,corporate_c");
	cps_config_free(cfg);
}

static void test_can_choose_defaults(void **state)
{
	struct cps_config *cfg = strict();
	struct cps_error err = { 0 };

	(void)state;
	/* not invited yet */
	assert_int_equal(cps_level_can_choose(cfg, "silver", 499, 0, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "not invited"));
	assert_non_null(strstr(err.msg, "1 more point."));
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 100, 30, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "400 more points"));

	/* any open level, not only the highest */
	assert_int_equal(cps_level_can_choose(cfg, "silver", 500, 0, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "silver", 2000, 0, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "gold", 2000, 0, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "platinum", 2000, 0, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "silver", 3000, 300, &err), CPS_OK);

	/* needs N more points */
	assert_int_equal(cps_level_can_choose(cfg, "gold", 999, 0, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "Gold opens at 1000 points"));
	assert_non_null(strstr(err.msg, "1 more point."));
	assert_int_equal(cps_level_can_choose(cfg, "platinum", 1000, 0, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "600 more points"));

	/* Corporate: above 2500 points and enough products */
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 2500, 300, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "above 2500 points"));
	assert_non_null(strstr(err.msg, "1 more point."));
	assert_null(strstr(err.msg, "product"));
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 2501, 25, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "corporate_a", 2501, 24, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "Corporate A needs 25 registered products"));
	assert_non_null(strstr(err.msg, "1 more product."));
	assert_null(strstr(err.msg, "point"));
	assert_int_equal(cps_level_can_choose(cfg, "corporate_b", 2501, 25, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "75 more products"));
	/* both missing: both said */
	assert_int_equal(cps_level_can_choose(cfg, "corporate_c", 2000, 10, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "501 more points"));
	assert_non_null(strstr(err.msg, "240 more products"));

	/* unknown level */
	assert_int_equal(cps_level_can_choose(cfg, "diamond", 9999, 999, &err), CPS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "diamond"));
	assert_int_equal(cps_level_can_choose(cfg, NULL, 9999, 999, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_level_can_choose(cfg, "", 9999, 999, NULL), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_level_can_choose(cfg, "gold", 10, 0, NULL), CPS_ERR_STATE);
	cps_config_free(cfg);
}

/* Levels of another market: invitation at 300, Bronze 300, Silver 800,
 * Corporate above 1000 with 10 or 40 products, one of them listed in
 * between (the config's order is kept). */
static void custom(struct cps_config *cfg)
{
	const struct cps_level lv[] = {
		{ "bronze", "Bronze", 300, 0, 5000, 0, "", "", "" },
		{ "team", "Team", 0, 10, 50000, 1, "", "", "" },
		{ "silver", "Silver", 800, 0, 9000, 0, "", "", "" },
		{ "agency", "Agency", 0, 40, 90000, 1, "", "", "" },
	};

	memset(cfg->levels, 0, sizeof(cfg->levels));
	memcpy(cfg->levels, lv, sizeof(lv));
	cfg->nlevels = 4;
	cfg->invite_points = 300;
	cfg->corporate_above = 1000;
}

static void test_custom_config(void **state)
{
	struct cps_config *cfg = strict();
	struct cps_error err = { 0 };
	struct eval ev;

	(void)state;
	custom(cfg);
	evaluate(cfg, 299, 100, &ev);
	assert_int_equal(ev.n, 4);
	assert_false(ev.inv.invited);
	assert_int_equal(ev.inv.points_missing, 1);
	expect_open(cfg, 299, 100, "");
	expect_open(cfg, 300, 100, "bronze");
	expect_open(cfg, 800, 100, "bronze,silver");
	expect_open(cfg, 1000, 100, "bronze,silver");
	expect_open(cfg, 1001, 9, "bronze,silver");
	expect_open(cfg, 1001, 10, "bronze,team,silver");
	expect_open(cfg, 1001, 40, "bronze,team,silver,agency");
	evaluate(cfg, 1001, 12, &ev);
	assert_true(ev.inv.corporate_switch_available);
	assert_string_equal(ev.st[1].level->id, "team");
	assert_true(ev.st[1].corporate);
	assert_int_equal(find(&ev, "agency")->products_missing, 28);
	evaluate(cfg, 1000, 12, &ev);
	assert_false(ev.inv.corporate_switch_available);
	assert_int_equal(ev.inv.corporate_points_missing, 1);

	assert_int_equal(cps_level_can_choose(cfg, "bronze", 300, 0, &err), CPS_OK);
	assert_int_equal(cps_level_can_choose(cfg, "silver", 700, 0, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "Silver opens at 800 points: you need 100 more points."));
	assert_int_equal(cps_level_can_choose(cfg, "agency", 1001, 39, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "Agency needs 40 registered products"));
	assert_int_equal(cps_level_can_choose(cfg, "platinum", 5000, 0, &err), CPS_ERR_NOT_FOUND);
	cps_config_free(cfg);
}

static void test_custom_no_corporate_levels(void **state)
{
	struct cps_config *cfg = defaults();
	struct eval ev;

	(void)state;
	cfg->nlevels = 3; /* Silver, Gold, Platinum only */
	evaluate(cfg, 5000, 500, &ev);
	assert_int_equal(ev.n, 3);
	assert_false(ev.inv.corporate_switch_available); /* nothing to switch to */
	assert_int_equal(ev.inv.corporate_points_missing, 0);
	expect_open(cfg, 5000, 500, "silver,gold,platinum");
	cps_config_free(cfg);
}

/* A level below the invitation (the config loader refuses it, but a
 * struct can say so): it still waits for the invitation. */
static void test_custom_level_below_invitation(void **state)
{
	struct cps_config *cfg = strict();
	struct cps_error err = { 0 };
	struct eval ev;

	(void)state;
	cfg->levels[0].points = 100;
	cfg->corporate_above = 400; /* below the invitation, too */
	evaluate(cfg, 450, 30, &ev);
	assert_false(ev.inv.invited);
	assert_false(ev.inv.corporate_switch_available);
	assert_int_equal(ev.inv.corporate_points_missing, 50);
	assert_int_equal(find(&ev, "silver")->points_missing, 50);
	assert_int_equal(find(&ev, "corporate_a")->points_missing, 50);
	expect_open(cfg, 450, 30, "");
	expect_open(cfg, 500, 30, "silver,corporate_a");
	assert_int_equal(cps_level_can_choose(cfg, "silver", 450, 0, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "50 more points"));
	cps_config_free(cfg);
}

static void test_money_format(void **state)
{
	char buf[CPS_MONEY_SIZE];
	char small[8];

	(void)state;
	assert_string_equal(cps_money_format(10000, "EUR", buf, sizeof(buf)), "100.00 EUR");
	assert_string_equal(cps_money_format(500000, "EUR", buf, sizeof(buf)), "5000.00 EUR");
	assert_string_equal(cps_money_format(0, "EUR", buf, sizeof(buf)), "0.00 EUR");
	assert_string_equal(cps_money_format(5, "NOK", buf, sizeof(buf)), "0.05 NOK");
	assert_string_equal(cps_money_format(-550, "DKK", buf, sizeof(buf)), "-5.50 DKK");
	assert_string_equal(cps_money_format(-1, "SEK", buf, sizeof(buf)), "-0.01 SEK");
	assert_string_equal(cps_money_format(12345, NULL, buf, sizeof(buf)), "123.45");
	assert_string_equal(cps_money_format(12345, "", buf, sizeof(buf)), "123.45");
	cps_money_format(LONG_MIN, "EUR", buf, sizeof(buf));
	assert_true(buf[0] == '-' && strstr(buf, ".08 EUR") != NULL);
	cps_money_format(LONG_MAX, "EUR", buf, sizeof(buf));
	assert_non_null(strstr(buf, ".07 EUR"));
	/* too small: nothing rather than a cut-off figure */
	assert_string_equal(cps_money_format(10000, "EUR", small, sizeof(small)), "");
	assert_string_equal(cps_money_format(10000, NULL, small, sizeof(small)), "100.00");
	assert_null(cps_money_format(1, "EUR", NULL, 0));
	/* Norwegian and Danish, with no locale but C generated */
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_money_format(100000, "EUR", buf, sizeof(buf)), "1 000,00 EUR");
	assert_string_equal(cps_money_format(-123456789, "NOK", buf, sizeof(buf)), "-1 234 567,89 NOK");
	assert_string_equal(cps_money_format(10000, "EUR", buf, sizeof(buf)), "100,00 EUR");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_money_format(100000, "EUR", buf, sizeof(buf)), "1.000,00 EUR");
	assert_string_equal(cps_money_format(5, NULL, buf, sizeof(buf)), "0,05");
	cps_money_format(LONG_MIN, "EUR", buf, sizeof(buf));
	assert_true(buf[0] == '\0' || buf[0] == '-');
	unsetenv("LANGUAGE");
}

static void test_fee_vat(void **state)
{
	struct cps_config *cfg = defaults();
	struct cps_fee f;

	(void)state;
	/* the default: the fee holds 25 % VAT */
	cps_fee_split(cfg, 10000, &f);
	assert_int_equal(f.gross_cents, 10000);
	assert_int_equal(f.net_cents, 8000);
	assert_int_equal(f.vat_cents, 2000);
	assert_int_equal(f.vat_hundredths, 2500);
	/* rounded to the cent, and net + VAT is the gross exactly */
	cps_fee_split(cfg, 9999, &f);
	assert_int_equal(f.net_cents, 7999);
	assert_int_equal(f.vat_cents, 2000);
	/* a fee without VAT: the VAT comes on top */
	cfg->fees_include_vat = 0;
	cps_fee_split(cfg, 10000, &f);
	assert_int_equal(f.net_cents, 10000);
	assert_int_equal(f.vat_cents, 2500);
	assert_int_equal(f.gross_cents, 12500);
	/* Finland's 25.5 % */
	free(cfg->vat_percent);
	cfg->vat_percent = strdup("25.5");
	cps_fee_split(cfg, 10000, &f);
	assert_int_equal(f.vat_cents, 2550);
	assert_int_equal(f.gross_cents, 12550);
	cps_fee_of_gross(cfg, 12550, &f);
	assert_int_equal(f.net_cents, 10000);
	assert_int_equal(f.vat_cents, 2550);
	/* no VAT */
	free(cfg->vat_percent);
	cfg->vat_percent = strdup("0");
	cps_fee_split(cfg, 10000, &f);
	assert_int_equal(f.gross_cents, 10000);
	assert_int_equal(f.vat_cents, 0);
	assert_int_equal(f.vat_hundredths, 0);
	cps_config_free(cfg);
}

static void test_percent_format(void **state)
{
	char buf[16];

	(void)state;
	unsetenv("LANGUAGE");
	assert_string_equal(cps_percent_format(2500, buf, sizeof(buf)), "25%");
	assert_string_equal(cps_percent_format(2550, buf, sizeof(buf)), "25.5%");
	assert_string_equal(cps_percent_format(725, buf, sizeof(buf)), "7.25%");
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_percent_format(2500, buf, sizeof(buf)), "25 %");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_percent_format(2550, buf, sizeof(buf)), "25,5 %");
	assert_string_equal(cps_percent_format(0, buf, sizeof(buf)), "0 %");
	unsetenv("LANGUAGE");
}

/* A file's line in the screen's language, else its own; never another
 * level's. */
static void test_benefits_per_language(void **state)
{
	struct cps_config *cfg = defaults();
	struct cps_level *l = &cfg->levels[0];

	(void)state;
	unsetenv("LANGUAGE");
	assert_true(cps_level_benefits(cfg, l)[0] != '\0');
	cfg->levels_source = CPS_SRC_FILE;
	snprintf(l->benefits, sizeof(l->benefits), "%s", "Quick repairs");
	snprintf(l->benefits_nb, sizeof(l->benefits_nb), "%s", "Raske reparasjoner");
	l->benefits_da[0] = '\0';
	assert_string_equal(cps_level_benefits(cfg, l), "Quick repairs");
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_level_benefits(cfg, l), "Raske reparasjoner");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_level_benefits(cfg, l), "Quick repairs");
	snprintf(l->benefits_da, sizeof(l->benefits_da), "%s", "Hurtige reparationer");
	assert_string_equal(cps_level_benefits(cfg, l), "Hurtige reparationer");
	l->benefits[0] = l->benefits_da[0] = '\0';
	assert_string_equal(cps_level_benefits(cfg, l), "");
	assert_string_equal(cps_level_benefits(cfg, NULL), "");
	unsetenv("LANGUAGE");
	cps_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_levels_listed),
		cmocka_unit_test(test_seed_499_not_invited),
		cmocka_unit_test(test_seed_500_silver),
		cmocka_unit_test(test_seed_1000_and_2000),
		cmocka_unit_test(test_seed_2500_no_corporate),
		cmocka_unit_test(test_seed_2501_with_25_products),
		cmocka_unit_test(test_seed_2501_with_24_products),
		cmocka_unit_test(test_seed_2501_with_3_products),
		cmocka_unit_test(test_negative_and_null),
		cmocka_unit_test(test_can_choose_defaults),
		cmocka_unit_test(test_custom_config),
		cmocka_unit_test(test_custom_no_corporate_levels),
		cmocka_unit_test(test_custom_level_below_invitation),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_fee_vat),
		cmocka_unit_test(test_percent_format),
		cmocka_unit_test(test_benefits_per_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
