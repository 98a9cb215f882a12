/* page_level.c - "Available CPS levels" (README, rules 7): every membership
 * level with its annual fee; the open ones can be chosen (any of them, not
 * only the highest), the closed ones are dim with what they still need.
 * Above the Corporate threshold a switch shows the Corporate levels
 * instead of the regular ones.  The engine works out what is open
 * (cps_level_evaluate); the choice goes to the payment page through
 * a->session.chosen_level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/level.h"
#include "cpsreg/product.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

enum { W_CORPORATE = 1, W_MORE, W_LEVEL = 100 };

#define ROW_SWITCH 5
#define ROW_HEAD 7          /* the list's heading under the switch */
#define ROW_BUTTONS 16      /* More levels, when the list does not fit */
#define ROW_LIST_END 18     /* the list's rows end above Back and Next */
#define COL_NAME 4

struct state {
	int loaded;
	char error[CPS_ERROR_MAX];
	long points;
	int registered;
	struct cps_level_status levels[CPS_MAX_LEVELS];
	int nlevels;
	struct cps_invitation inv;
	int corporate;               /* the switch is on */
	int shown[CPS_MAX_LEVELS];   /* indexes into levels of the list */
	int nshown;
	int first, count;            /* the part of the list on screen */
	const char *onoff[2];
	int col_fee, col_net, col_status, w_status;   /* the columns, from the widest name and fee */
	int vat;                     /* the VAT rate (hundredths of a percent); 0: none */
	int head;                    /* the heading's row: ROW_HEAD, or higher without the switch */
	int end;                     /* the first row the list may not use */
};

/* The levels listed: with the switch, the regular or the Corporate ones;
 * without it, every level (the Corporate ones show what they need). */
static void pick_shown(struct state *st)
{
	st->nshown = 0;
	for (int i = 0; i < st->nlevels; i++) {
		if (st->inv.corporate_switch_available &&
		    st->levels[i].corporate != st->corporate)
			continue;
		st->shown[st->nshown++] = i;
	}
}

/* Places the fee (with VAT), the fee without VAT (when there is VAT)
 * and the status columns after the widest name (as a button, "< name >")
 * and the widest fee. */
static void columns(struct app *a, struct state *st)
{
	char fee[CPS_MONEY_SIZE];
	int name = text_width(_("Level")) + 2, money = text_width(_("Annual fee"));
	int net = text_width(_("excl. VAT"));

	st->vat = cps_config_vat_hundredths(a->cfg);
	for (int i = 0; i < st->nlevels; i++) {
		struct cps_fee f;
		int w = text_width(st->levels[i].level->name) + 2;
		if (w > name)
			name = w;
		cps_fee_split(a->cfg, st->levels[i].level->fee_cents, &f);
		cps_money_format(f.gross_cents, a->cfg->currency, fee, sizeof(fee));
		if (text_width(fee) > money)
			money = text_width(fee);
		cps_money_format(f.net_cents, a->cfg->currency, fee, sizeof(fee));
		if (text_width(fee) > net)
			net = text_width(fee);
	}
	if (!st->vat)
		net = -3;               /* no VAT: no column for it */
	st->col_fee = COL_NAME + name + 2;
	st->col_net = st->col_fee + money + 3;
	st->col_status = st->col_net + net + 3;
	if (st->col_status > 52) {      /* a very long name: the status gets room */
		st->col_status = 52;
		st->col_net = st->col_status - net - 3;
		st->col_fee = st->col_net - money - 3;
	}
	st->w_status = APP_TEXT_WIDTH + 2 - st->col_status;
}

static int enter(struct app *a)
{
	struct state *st = app_page_state(a, sizeof(*st));
	struct cps_error err = { 0 };

	if (!st)
		return -1;
	if (cps_product_totals(a->e, a->session.account_id, &st->points, NULL, &st->registered,
			       &err) != CPS_OK) {
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return 0;
	}
	cps_level_evaluate(a->cfg, st->points > 1000000000L ? 1000000000 : (int)st->points,
			   st->registered, st->levels, &st->nlevels, &st->inv);
	st->loaded = 1;
	/* coming back from the payment page: show the list of the choice */
	const struct cps_level *l = a->session.chosen_level[0] ? cps_config_level(a->cfg, a->session.chosen_level)
						       : NULL;
	st->corporate = l && l->corporate && st->inv.corporate_switch_available;
	pick_shown(st);
	return 0;
}

/* The rows one level takes: what it needs (which may wrap), and on the
 * row under the name the line of what it gives (left of a wrapped
 * status). */
static int level_height(struct app *a, const struct state *st,
			const struct cps_level_status *s, const char *needs)
{
	int h = app_wrap_count(needs, st->w_status);
	int min = cps_level_benefits(a->cfg, s->level)[0] ? 2 : 1;

	return h > min ? h : min;
}

/* The status of a level: "needs 300 more points", "needs 5 more products",
 * or both, when closed; "" when open -- except a Corporate level, whose
 * products it suits are guidance shown either way ("open, for about 25
 * products"). */
static void needs_text(const struct cps_level_status *s, int chosen, char *out, size_t len)
{
	char pts[96], prods[96], guide[96] = "";

	out[0] = '\0';
	if (s->products_guidance > 0)
		snprintf(guide, sizeof(guide), dngettext(CPS_TEXTDOMAIN, "for about %d product",
							 "for about %d products",
							 (unsigned long)s->products_guidance),
			 s->products_guidance);
	if (s->open) {
		if (guide[0])
			snprintf(out, len, "%s, %s", chosen ? _("open: your choice") : _("open"), guide);
		return;
	}
	char num[32];
	snprintf(pts, sizeof(pts), dngettext(CPS_TEXTDOMAIN, "%s more point", "%s more points",
					     (unsigned long)s->points_missing),
		 cps_points_text(s->points_missing, num, sizeof(num)));
	snprintf(prods, sizeof(prods), dngettext(CPS_TEXTDOMAIN, "%d more product",
						 "%d more products",
						 (unsigned long)s->products_missing),
		 s->products_missing);
	if (s->points_missing && s->products_missing)
		snprintf(out, len, _("needs %s and %s"), pts, prods);
	else
		snprintf(out, len, _("needs %s"), s->points_missing ? pts : prods);
	if (guide[0]) {
		size_t n = strlen(out);
		snprintf(out + n, len - n, " (%s)", guide);
	}
}

/* How many levels of the list fit from first on. */
static int fit(struct app *a, const struct state *st, const char *chosen, int first, int end)
{
	int row = st->head + 1, n = 0;
	char needs[256];

	for (int i = first; i < st->nshown; i++) {
		const struct cps_level_status *s = &st->levels[st->shown[i]];
		needs_text(s, strcmp(s->level->id, chosen) == 0, needs, sizeof(needs));
		row += level_height(a, st, s, needs);
		if (row > end)
			break;
		n++;
	}
	return n ? n : (st->nshown > first ? 1 : 0);
}

static void layout(struct app *a)
{
	struct state *st = a->state;
	struct wform *f = &a->form;
	int focus = 0;

	if (!st)
		return;
	if (st->loaded) {
		if (st->inv.corporate_switch_available) {
			st->onoff[0] = _("Off");
			st->onoff[1] = _("On");
			struct widget *w = wform_add(f, W_CHOICE, W_CORPORATE, ROW_SWITCH, 2, 22, 30,
				_("Corporate levels"),
				_("Space or the arrows switch the list between the regular and Corporate levels."));
			if (w) {
				w->options = st->onoff;
				w->noptions = 2;
				w->selected = st->corporate;
			}
		}
		columns(a, st);
		if (st->first >= st->nshown)
			st->first = 0;
		/* without the switch its rows go to the list */
		st->head = st->inv.corporate_switch_available ? ROW_HEAD : ROW_SWITCH;
		/* the whole list when it fits above Back and Next, else a part
		 * above More levels */
		st->end = ROW_LIST_END;
		st->count = fit(a, st, a->session.chosen_level, st->first, st->end);
		if (st->first > 0 || st->first + st->count < st->nshown) {
			st->end = ROW_BUTTONS - 1;
			st->count = fit(a, st, a->session.chosen_level, st->first, st->end);
		}
		int row = st->head + 1;
		for (int i = st->first; i < st->first + st->count; i++) {
			const struct cps_level_status *s = &st->levels[st->shown[i]];
			char needs[256], clean[CPS_LEVEL_NAME_MAX];

			needs_text(s, strcmp(s->level->id, a->session.chosen_level) == 0,
				   needs, sizeof(needs));
			if (s->open && !a->flow.member) {
				wform_add(f, W_BUTTON, W_LEVEL + st->shown[i], row, 2, 2, 26,
					  sanitize_line(s->level->name, clean, sizeof(clean)),
					  _("Choose this level and go on to the payment."));
				if (!focus || strcmp(s->level->id, a->session.chosen_level) == 0)
					focus = W_LEVEL + st->shown[i];
			}
			row += level_height(a, st, s, needs);
		}
		if (st->first > 0 || st->first + st->count < st->nshown)
			wform_add(f, W_BUTTON, W_MORE, ROW_BUTTONS, 2, 2, 20, _("More levels"),
				  _("Shows the next levels of the list (after the last ones, the first again)."));
	}
	app_nav_buttons(a, _("Back"), _("Next"));
	if (a->flow.member)
		focus = W_NAV_NEXT;
	else if (!a->flow.invited)
		focus = W_NAV_BACK;
	if (focus)
		wform_focus(f, focus);
}

static void draw(struct app *a)
{
	struct state *st = a->state;
	char line[512], fee[CPS_MONEY_SIZE];
	int row = 0;

	if (!st)
		return;
	app_text(a, row++, 2, R_TITLE, _("Available CPS levels"));
	row++;
	if (!st->loaded) {
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_BUTTONS - row, R_ERROR, st->error);
		return;
	}
	char num[32];
	snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
		 "You have %s points and %d registered product.",
		 "You have %s points and %d registered products.",
		 (unsigned long)st->registered), cps_points_text(st->points, num, sizeof(num)),
		 st->registered);
	app_text(a, row++, 2, R_NORMAL, line);
	if (a->flow.member) {
		snprintf(line, sizeof(line),
			 _("You are a CPS member already (level %s, membership number %s): "
			   "Next shows your membership."),
			 a->flow.level_name, a->flow.membership_number);
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_SWITCH - row, R_TICK, line);
	} else if (!st->inv.invited) {
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "You are not invited to join CPS yet: %d more point is needed (the invitation comes at %d points). Go back to complete or register products.",
			 "You are not invited to join CPS yet: %d more points are needed (the invitation comes at %d points). Go back to complete or register products.",
			 (unsigned long)st->inv.points_missing),
			 st->inv.points_missing, a->cfg->invite_points);
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_SWITCH - row, R_WARN, line);
	} else {
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_SWITCH - row, R_NORMAL,
			       _("The more points, the more levels are open. You may choose any open level: "
			         "move to it and press Enter."));
	}
	if (st->inv.corporate_switch_available) {
		/* the names of the levels listed, from the config */
		char names[256] = "";
		for (int i = 0; i < st->nshown; i++) {
			size_t n = strlen(names);
			snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "",
				 st->levels[st->shown[i]].level->name);
		}
		snprintf(line, sizeof(line), _("Shown: %s"), names);
		app_wrap(a, ROW_SWITCH + 1, 22, APP_TEXT_WIDTH - 20, ROW_HEAD - ROW_SWITCH - 1, R_HINT,
			       line);
	}

	app_text(a, st->head, COL_NAME, R_TITLE, _("Level"));
	app_text(a, st->head, st->col_fee, R_TITLE, _("Annual fee"));
	/* whether the fees hold VAT, where the status column has no heading */
	if (st->vat) {
		char rate[16];
		app_text(a, st->head, st->col_net, R_TITLE, _("excl. VAT"));
		snprintf(line, sizeof(line), _("Fees include %s VAT."),
			 cps_percent_format(st->vat, rate, sizeof(rate)));
	} else {
		snprintf(line, sizeof(line), "%s", _("No VAT is added to the fees."));
	}
	app_fit(a, st->head, st->col_status, st->w_status, R_HINT, line);
	row = st->head + 1;
	for (int i = st->first; i < st->first + st->count; i++) {
		const struct cps_level_status *s = &st->levels[st->shown[i]];
		char needs[256];
		const char *gives;
		int chosen = strcmp(s->level->id, a->session.chosen_level) == 0;
		int role = s->open ? R_NORMAL : R_STEP_CLOSED;
		struct cps_fee f;

		needs_text(s, chosen, needs, sizeof(needs));
		cps_fee_split(a->cfg, s->level->fee_cents, &f);
		cps_money_format(f.gross_cents, a->cfg->currency, fee, sizeof(fee));
		if (!s->open || a->flow.member)
			app_text(a, row, COL_NAME, role, s->level->name);
		app_text(a, row, st->col_fee, role, fee);
		if (st->vat)
			app_text(a, row, st->col_net, role,
				 cps_money_format(f.net_cents, a->cfg->currency, fee, sizeof(fee)));
		if (a->flow.member) {
			if (strcmp(s->level->name, a->flow.level_name) == 0)
				app_text(a, row, st->col_status, R_TICK, _("your level"));
			else if (!s->open)
				app_wrap(a, row, st->col_status, st->w_status,
					       st->end - row, R_STEP_CLOSED, needs);
		} else if (s->open && needs[0])
			app_wrap(a, row, st->col_status, st->w_status, st->end - row,
				 chosen ? R_TICK : R_NORMAL, needs);
		else if (s->open)
			app_text(a, row, st->col_status, chosen ? R_TICK : R_NORMAL,
				 chosen ? _("open: your choice") : _("open"));
		else
			app_wrap(a, row, st->col_status, st->w_status, st->end - row,
				       R_STEP_CLOSED, needs);
		/* what the level gives, under its name, on one line: left of
		 * the status when that wraps */
		gives = cps_level_benefits(a->cfg, s->level);
		if (gives[0])
			app_fit(a, row + 1, COL_NAME + 2,
				app_wrap_count(needs, st->w_status) > 1
				? st->col_status - COL_NAME - 3 : APP_TEXT_WIDTH - COL_NAME,
				R_HINT, gives);
		row += level_height(a, st, s, needs);
	}
	if (st->first > 0 || st->first + st->count < st->nshown) {
		snprintf(line, sizeof(line), _("Levels %d-%d of %d"), st->first + 1,
			 st->first + st->count, st->nshown);
		app_text(a, ROW_BUTTONS, 26, R_HINT, line);
	}
}

static void event(struct app *a, struct wevent ev)
{
	struct state *st = a->state;

	if (!st)
		return;
	if (ev.what == WR_CHANGED && ev.id == W_CORPORATE) {
		struct widget *w = wform_get(&a->form, W_CORPORATE);
		st->corporate = w && w->selected == 1;
		st->first = 0;
		pick_shown(st);
		app_relayout(a);
		return;
	}
	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id >= W_LEVEL && ev.id < W_LEVEL + st->nlevels) {
		const struct cps_level_status *s = &st->levels[ev.id - W_LEVEL];
		if (!s->open)
			return;
		snprintf(a->session.chosen_level, sizeof(a->session.chosen_level), "%s", s->level->id);
		app_go(a, &page_payment);
	} else if (ev.id == W_MORE) {
		st->first += st->count > 0 ? st->count : 1;
		if (st->first >= st->nshown)
			st->first = 0;
		app_relayout(a);
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd != CMD_NEXT || !a->flow.invited || a->flow.member)
		return 0;   /* the frame goes on, or says why it cannot */
	if (a->session.chosen_level[0]) {
		app_go(a, &page_payment);
		return 1;
	}
	app_message(a, 1, "%s", _("Choose a level first: move to an open level and press Enter."));
	return 1;
}

const struct page page_level = {
	.name = "level",
	.step = CPS_STEP_LEVEL,
	.title = N_("Membership level"),
	.help = N_("The more points you have, the more CPS levels are open to you, and you may "
		   "choose any open level, not only the highest. Each level shows its annual fee "
		   "(and the fee without VAT, when VAT is charged) and, under it, what the level "
		   "gives; a closed level shows what it still needs. Above the Corporate threshold a "
		   "switch (\"Corporate levels\", On/Off) shows the Corporate levels instead of "
		   "the others; below it every level is listed. Beside each Corporate level "
		   "stands the number of registered products it is meant for.\n\n"
		   "Move to a level and press Enter to choose it; the payment comes next."),
	.enter = enter,
	.layout = layout,
	.leave = NULL,
	.event = event,
	.key = key,
	.draw = draw,
};
