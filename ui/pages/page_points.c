/* page_points.c - the points step (README, rules 6): the total of the complete
 * products, how many have their green tick, the invitation to join CPS or
 * how many points are still missing, and the products without a green
 * tick with the points each would add; each opens the product page so the
 * customer can complete it.  The engine counts; this page shows. */
#include <stdio.h>
#include <stdlib.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/product.h"
#include "frame.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

enum { W_PRODUCTS = 1, W_MORE, W_MIGRATION, W_ITEM = 100 };

#define ROW_LIST 8          /* the first row of the list of products */
#define ROW_BUTTONS 16
#define COL_POINTS 62       /* "+700 points", right of the product's button */

struct state {
	int loaded;
	char error[CPS_ERROR_MAX];
	long points;
	int complete, registered;
	struct cps_product *incomplete;
	size_t nincomplete;
	int first;              /* first product of the list shown */
	int shown;              /* how many the list shows from first */
};

static int enter(struct app *a)
{
	struct state *st = app_page_state(a, sizeof(*st));
	struct cps_error err = { 0 };

	if (!st)
		return -1;
	if (cps_product_totals(a->e, a->session.account_id, &st->points, &st->complete,
			       &st->registered, &err) != CPS_OK ||
	    cps_product_list_incomplete(a->e, a->session.account_id, &st->incomplete,
					&st->nincomplete, &err) != CPS_OK) {
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return 0;
	}
	st->loaded = 1;
	return 0;
}

static void leave(struct app *a)
{
	struct state *st = a->state;

	if (st)
		cps_product_list_free(st->incomplete);
}

/* The rows one product takes: its button, then what is missing. */
static int item_height(const struct cps_product *p)
{
	char missing[256];

	cps_product_missing(p, missing, sizeof(missing));
	return 1 + app_wrap_count(missing, APP_TEXT_WIDTH - 4);
}

/* How many products fit from first on, above the buttons. */
static int page_size(const struct state *st, int first)
{
	int row = ROW_LIST + 1, n = 0;

	for (size_t i = (size_t)first; i < st->nincomplete; i++) {
		row += item_height(&st->incomplete[i]);
		if (row > ROW_BUTTONS - 1)
			break;
		n++;
	}
	return n ? n : 1;
}

static void layout(struct app *a)
{
	struct state *st = a->state;
	struct wform *f = &a->form;
	char label[160];
	int row = ROW_LIST + 1;

	if (!st)
		return;
	if (st->loaded) {
		if ((size_t)st->first >= st->nincomplete)
			st->first = 0;
		st->shown = st->nincomplete ? page_size(st, st->first) : 0;
		for (int i = 0; i < st->shown; i++) {
			const struct cps_product *p = &st->incomplete[st->first + i];
			char clean[sizeof(p->model)];

			/* a label from the store: sanitised like every text shown */
			snprintf(label, sizeof(label), "%s", sanitize_line(p->model, clean, sizeof(clean)));
			wform_add(f, W_BUTTON, W_ITEM + i, row, 2, 2, 40, label,
				  _("Opens the product, so that you can add the missing details."));
			row += item_height(p);
		}
		wform_add(f, W_BUTTON, W_PRODUCTS, ROW_BUTTONS, 2, 2, 20, _("My products"),
			  _("Your products: register more, or complete the ones without a green tick."));
		int col = 22;
		if (st->first > 0 || (size_t)(st->first + st->shown) < st->nincomplete) {
			wform_add(f, W_BUTTON, W_MORE, ROW_BUTTONS, col, col, 20, _("More products"),
				  _("Shows the next products of the list (after the last ones, the first again)."));
			col += 22;
		}
		/* the engine says the old account's products can still be moved */
		if (a->flow.steps[CPS_STEP_MIGRATION].state == CPS_STEP_OPEN)
			wform_add(f, W_BUTTON, W_MIGRATION, ROW_BUTTONS, col, col, 24,
				  _("Migrate products"),
				  _("The products of your old CPS account can still be moved here."));
	}
	app_nav_buttons(a, _("Back"), _("Next"));
	if (a->flow.invited)
		wform_focus(f, W_NAV_NEXT);
}

static void draw(struct app *a)
{
	struct state *st = a->state;
	const char *tick = a->utf8 ? "\xe2\x9c\x93" : "+";
	char line[512];
	int row = 0;

	if (!st)
		return;
	app_text(a, row++, 2, R_TITLE, _("Your points"));
	row++;
	if (!st->loaded) {
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_BUTTONS - 1 - row, R_ERROR, st->error);
		return;
	}
	char num[32];
	snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN, "Total: %s point", "Total: %s points",
					       (unsigned long)st->points),
		 cps_points_text(st->points, num, sizeof(num)));
	app_text(a, row++, 2, R_TITLE, line);
	int all = st->registered > 0 && st->complete == st->registered;
	if (all)
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "Your product has its green tick.", "All %d products have their green tick.",
			 (unsigned long)st->registered), st->registered);
	else
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "%d of %d products has its green tick.",
			 "%d of %d products have their green tick.",
			 (unsigned long)st->complete), st->complete, st->registered);
	app_text(a, row, 2, all ? R_TICK : R_WARN, all ? tick : "!");
	app_text(a, row++, 4, R_NORMAL, line);
	row++;

	if (a->flow.invited) {
		app_text(a, row, 2, R_TICK, tick);
		app_text(a, row++, 4, R_TICK, _("You are invited to join CPS."));
		app_text(a, row++, 4, R_NORMAL, _("Next: choose your membership level."));
	} else {
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "%d more point is needed for the invitation to join CPS (at %d points).",
			 "%d more points are needed for the invitation to join CPS (at %d points).",
			 (unsigned long)a->flow.points_missing),
			 a->flow.points_missing, a->flow.invite_points);
		app_text(a, row, 2, R_WARN, "!");
		row = app_wrap(a, row, 4, APP_TEXT_WIDTH - 2, ROW_LIST - row, R_WARN, line);
		app_wrap(a, row, 4, APP_TEXT_WIDTH - 2, ROW_LIST - row, R_NORMAL,
			       _("Register more products, or complete the ones without a green tick."));
	}

	row = ROW_LIST;
	if (!st->nincomplete) {
		if (!st->registered)
			app_text(a, row, 2, R_NORMAL, _("You have not registered any products yet."));
		else
			app_text(a, row, 2, R_NORMAL, _("Every product you registered has its green tick."));
		/* no MIGRATE PRODUCTS ahead: say why here, on the way forward,
		 * not only to a customer who goes back to look for it */
		const struct cps_flow_step *mig = &a->flow.steps[CPS_STEP_MIGRATION];
		if (mig->state == CPS_STEP_CLOSED && !a->flow.old_email_given && a->flow.ready &&
		    mig->why[0])
			app_wrap(a, row + 2, 2, APP_TEXT_WIDTH, ROW_BUTTONS - 1 - (row + 2), R_HINT,
				 mig->why);
		return;
	}
	app_text(a, row++, 2, R_TITLE,
		 _("Without a green tick (choose one to add what is missing):"));
	for (int i = 0; i < st->shown; i++) {
		const struct cps_product *p = &st->incomplete[st->first + i];
		char missing[256];

		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN, "+%d point", "+%d points",
						       (unsigned long)p->worth), p->worth);
		app_text(a, row, COL_POINTS, R_NORMAL, line);
		cps_product_missing(p, missing, sizeof(missing));
		row++;
		row = app_wrap(a, row, 6, APP_TEXT_WIDTH - 4, ROW_BUTTONS - 1 - row, R_WARN, missing);
	}
	if (st->first > 0 || (size_t)(st->first + st->shown) < st->nincomplete) {
		if (st->shown == 1)
			snprintf(line, sizeof(line), _("Product %d of %d"), st->first + 1,
				 (int)st->nincomplete);
		else
			snprintf(line, sizeof(line), _("Products %d-%d of %d"), st->first + 1,
				 st->first + st->shown, (int)st->nincomplete);
		app_text(a, ROW_BUTTONS - 1, 60, R_HINT, line);
	}
}

static void event(struct app *a, struct wevent ev)
{
	struct state *st = a->state;

	if (ev.what != WR_ACTIVATE || !st)
		return;
	if (ev.id >= W_ITEM && ev.id < W_ITEM + st->shown) {
		a->session.product_id = st->incomplete[st->first + (ev.id - W_ITEM)].id;
		app_go(a, &page_product);
		return;
	}
	switch (ev.id) {
	case W_PRODUCTS:
		app_go(a, &page_products);
		break;
	case W_MIGRATION:
		app_go(a, &page_migration);
		break;
	case W_MORE:
		st->first += st->shown > 0 ? st->shown : 1;
		if ((size_t)st->first >= st->nincomplete)
			st->first = 0;
		app_relayout(a);
		break;
	}
}

const struct page page_points = {
	.name = "points",
	.step = CPS_STEP_POINTS,
	.title = N_("Points"),
	.help = N_("Every product with a green tick counts with its points. A product gets its "
		   "green tick when it has all four details: serial number, purchase date, country "
		   "of purchase and dealer (a best guess of the date is fine). With enough points you "
		   "are invited to join CPS; the page says how many are still missing.\n\n"
		   "The products without a green tick are listed with the points they would add: "
		   "choose one to open it and add what is missing. Next goes on to the membership "
		   "levels once you are invited."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.draw = draw,
};
