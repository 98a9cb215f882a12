/* level.h - the CPS invitation and the membership levels a customer may
 * choose, worked out from the points and the registered products.
 *
 * Pure rules over the configuration (every figure lives in the config, see
 * rules.* and [level.<id>]); nothing here touches the store.
 *
 *   invitation         points >= rules.invite_points
 *   regular level      open at its own `points` (and never before the
 *                      invitation)
 *   Corporate switch   points > rules.corporate_above, when the config has
 *                      at least one Corporate level
 *   Corporate level    open when points > rules.corporate_above and the
 *                      registered products >= its `products`
 *
 * A customer may choose any open level, not only the highest one.  With the
 * default config: 500 points open Silver, 1000 Gold, 1600 Platinum;
 * Corporate A/B/C need more than 2500 points and 25/100/250 products. */
#ifndef CPSREG_LEVEL_H
#define CPSREG_LEVEL_H

#include <stddef.h>

#include "cpsreg/config.h"
#include "cpsreg/err.h"

/* One level as the customer sees it.  A count of "missing" is 0 when
 * nothing more is needed of that kind. */
struct cps_level_status {
	const struct cps_level *level; /* points into cfg->levels */
	int corporate;                 /* the same as level->corporate */
	int open;                      /* may be chosen now */
	int points_missing;            /* more points before it opens */
	int products_missing;          /* more registered products (Corporate,
					* only with rules.corporate_products_required) */
	int products_guidance;         /* the products a Corporate level suits
					* (guidance, shown beside it); 0 otherwise */
};

struct cps_invitation {
	int invited;                    /* points >= rules.invite_points */
	int points_missing;             /* to the invitation; 0 once invited */
	int corporate_switch_available; /* show the Corporate ON/OFF switch */
	int corporate_points_missing;   /* to pass rules.corporate_above; 0 once above */
};

/* Works out every level of cfg, in the config's order, into out (*n gets
 * their number), and the invitation into inv.  points is the total of the
 * complete products, registered_products the number of registered
 * products (what the Corporate levels count).  A negative figure counts as
 * 0.  out/n or inv may be NULL when not wanted. */
void cps_level_evaluate(const struct cps_config *cfg, int points,
			int registered_products,
			struct cps_level_status out[CPS_MAX_LEVELS], int *n,
			struct cps_invitation *inv);

/* CPS_OK when the level with this id is open to a customer with these
 * figures.  Otherwise the message says why, in the customer's words:
 *   CPS_ERR_NOT_FOUND  no such level in the config
 *   CPS_ERR_STATE      not invited yet (N more points needed), or the
 *                      level needs N more points and/or N more products */
enum cps_err cps_level_can_choose(const struct cps_config *cfg,
				  const char *level_id, int points,
				  int registered_products,
				  struct cps_error *err);

/* Room for any amount cps_money_format writes with a 3-letter currency. */
#define CPS_MONEY_SIZE 32

/* Writes an amount for display in the screen's language (lang.h), whatever
 * locales the machine has: English "100.00 EUR", "-5.50 EUR", "2500.00"
 * (no currency when currency is NULL or "", no grouping of thousands);
 * Norwegian "2 500,00 EUR"; Danish "2.500,00 EUR".  When buf is too small it gets "" rather than a
 * cut-off figure.  Returns buf. */
char *cps_money_format(long cents, const char *currency, char *buf,
		       size_t len);

/* A level's annual fee with its VAT (rules.vat_percent): gross is what
 * the invoice asks for.  The fee in the config is the gross when
 * rules.fees_include_vat is yes (the default), else the net.  net + VAT
 * is always the gross to the cent. */
struct cps_fee {
	long net_cents;
	long vat_cents;
	long gross_cents;
	int vat_hundredths;   /* the rate: 2500 for 25 %; 0 when no VAT */
};
void cps_fee_split(const struct cps_config *cfg, long fee_cents, struct cps_fee *out);
/* The same from an amount paid (with VAT), such as a stored invoice's. */
void cps_fee_of_gross(const struct cps_config *cfg, long gross_cents, struct cps_fee *out);

/* A rate in hundredths of a percent as the screen's language writes it:
 * English "25%", "25.5%"; Norwegian and Danish "25 %", "25,5 %".
 * Returns buf. */
char *cps_percent_format(int hundredths, char *buf, size_t len);

/* What a level gives, one line in the screen's language: the level's
 * benefits_nb / benefits_da when set for that language, else its benefits
 * ("" when none); the built-in levels' lines are translated. */
const char *cps_level_benefits(const struct cps_config *cfg, const struct cps_level *l);

#endif
