/* page_migration.c - MIGRATE PRODUCTS (README, rules 5): the products of the old
 * CPS account that would move, and the button that moves them; after the
 * move, what happened; when the action is not offered, the engine's reason
 * and what to do instead.  The engine decides whether the action is
 * offered and what each product's fate is; this page only shows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/migration.h"
#include "cpsreg/product.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "sanitize.h"
#include "sync.h"
#include "theme.h"

enum { W_MIGRATE = 1, W_PRODUCTS, W_VIEW, W_MORE };

/* The rows of the body used below the text (the body has 19 rows, the
 * last one for Back and Next). */
#define ROW_BUTTONS 16
#define COL_MARK 2
#define COL_MODEL 4
#define W_MODEL 29
#define COL_SERIAL 34
#define W_SERIAL 12
#define COL_DETAILS 48
#define W_DETAILS 30

struct state {
	int checked;                      /* the check answered */
	struct cps_migration_info info;
	int ran;                          /* moved now, on this page */
	struct cps_migration_result res;
	char error[CPS_ERROR_MAX];        /* a refusal, shown on the page */
	int first;                        /* first product of the list shown */
	int shown;                        /* how many the last draw showed */
	int count_col;                    /* where "Products 1-5 of 9" goes */
	char lang[32];                    /* LANGUAGE when the check was made */
};

static void load(struct app *a, struct state *st)
{
	struct cps_error err = { 0 };

	cps_migration_info_free(&st->info);
	snprintf(st->lang, sizeof(st->lang), "%s", app_language());
	st->checked = cps_migration_check(a->e, a->session.account_id, &st->info, &err) == CPS_OK;
	if (!st->checked)
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
}

static int enter(struct app *a)
{
	struct state *st = app_page_state(a, sizeof(*st));

	if (!st)
		return -1;
	load(a, st);
	return 0;
}

static void leave(struct app *a)
{
	struct state *st = a->state;

	if (!st)
		return;
	cps_migration_info_free(&st->info);
	cps_migration_result_free(&st->res);
}

/* The old products listed: what will move, or what moved. */
static const struct cps_migration_item *items(const struct state *st, size_t *n)
{
	if (st->ran) {
		*n = st->res.nitems;
		return st->res.items;
	}
	if (st->checked && st->info.offered) {
		*n = st->info.nitems;
		return st->info.items;
	}
	*n = 0;
	return NULL;
}

static int item_height(const struct state *st, const struct cps_migration_item *it);

/* A move was just refused for products registered elsewhere: the refusal
 * says all the check's text would (and that nothing moved). */
static int refused_for_conflict(const struct state *st)
{
	return st->error[0] && st->checked && st->info.offered && st->info.conflicts;
}

/* The row of the list's header: below the texts that draw() writes. */
static int list_top(const struct state *st)
{
	int row = 3;

	if (st->ran) {
		row += app_wrap_count(st->res.text, APP_TEXT_WIDTH) + 1;
		return st->res.already ? row : row + 4;
	}
	if (st->error[0])
		row += app_wrap_count(st->error, APP_TEXT_WIDTH) + 1;
	if (refused_for_conflict(st))
		return row;
	return row + app_wrap_count(st->info.text, APP_TEXT_WIDTH) + 1;
}

/* Whether the whole list fits above the buttons. */
static int list_fits(const struct state *st)
{
	size_t n;
	const struct cps_migration_item *v = items(st, &n);
	int rows = ROW_BUTTONS - 1 - (list_top(st) + 1);

	for (size_t i = 0; i < n; i++)
		rows -= item_height(st, &v[i]);
	return rows >= 0;
}

/* The first product moved without its green tick, from the list's first
 * one shown on (then from the top): "View product" opens it. */
static long long first_incomplete(const struct state *st)
{
	size_t n = 0;
	const struct cps_migration_item *v = st->ran ? items(st, &n) : NULL;

	for (size_t k = 0; k < n; k++) {
		const struct cps_migration_item *it = &v[((size_t)st->first + k) % n];

		if (it->state == CPS_MIGRATE_MOVE && !it->complete && it->product_id)
			return it->product_id;
	}
	return 0;
}

/* A button at *col on the buttons' row; *col moves past it. */
static struct widget *add_button(struct wform *f, int id, int *col, const char *label,
				 const char *hint)
{
	int w = wform_button_cols(label);
	struct widget *b = wform_add(f, W_BUTTON, id, ROW_BUTTONS, *col, *col, w, label, hint);

	*col += w + 2;
	return b;
}

static void layout(struct app *a)
{
	struct state *st = a->state;
	struct wform *f = &a->form;
	int col = 2;

	if (!st)
		return;
	/* the language changed: the engine's words again, in the new one */
	if (!st->ran && strcmp(st->lang, app_language()) != 0)
		load(a, st);
	if (!st->ran && st->checked && st->info.offered) {
		/* the page's main action, as on Canon's site; nothing would move
		 * while a product is registered to someone else */
		struct widget *w = add_button(f, W_MIGRATE, &col, _("MIGRATE PRODUCTS"),
			_("Moves the products listed above to this account, all of them at once."));
		if (w && st->info.conflicts) {
			w->disabled = 1;
			snprintf(w->hint, sizeof(w->hint), "%s",
				 _("Not possible while a product is registered to another account."));
		}
	} else if (st->ran || (st->checked && st->info.reason != CPS_MIGRATION_NOT_VALIDATED)) {
		add_button(f, W_PRODUCTS, &col, _("My products"),
			   _("Your products: register more, or complete the ones without a green tick."));
	}
	/* the result's text sends the customer to "View product": here it is */
	if (first_incomplete(st))
		add_button(f, W_VIEW, &col, _("View product"),
			   _("Opens the first moved product without a green tick, to add what is missing."));
	if (!list_fits(st))
		add_button(f, W_MORE, &col, _("More products"),
			   _("Shows the next products of the list (after the last ones, the first again)."));
	st->count_col = col > 56 ? col : 56;
	app_nav_buttons(a, _("Back"), _("Next"));
	if (st->ran)
		wform_focus(f, W_PRODUCTS);
	else if (st->checked && st->info.offered && st->info.conflicts)
		wform_focus(f, W_NAV_NEXT);   /* not the button that cannot be used */
}

/* What the list says about one product, and in which colour. */
static void item_details(const struct state *st, const struct cps_migration_item *it,
			 char *out, size_t len, int *role, const char **mark, int utf8)
{
	struct cps_product p;
	char missing[256];

	memset(&p, 0, sizeof(p));
	snprintf(p.serial, sizeof(p.serial), "%s", it->serial);
	snprintf(p.purchase_date, sizeof(p.purchase_date), "%s", it->purchase_date);
	snprintf(p.purchase_country, sizeof(p.purchase_country), "%s", it->purchase_country);
	snprintf(p.dealer, sizeof(p.dealer), "%s", it->dealer);
	cps_product_missing(&p, missing, sizeof(missing));

	switch (it->state) {
	case CPS_MIGRATE_MOVE:
		if (it->complete) {
			*role = R_TICK;
			*mark = utf8 ? "\xe2\x9c\x93" : "+";
			snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
				 "green tick, %d point", "green tick, %d points",
				 (unsigned long)it->points), it->points);
		} else {
			*role = R_WARN;
			*mark = "!";
			if (st->ran)
				snprintf(out, len, _("no green tick yet (%s)"), missing);
			else
				snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
					 "%s; %d point once complete",
					 "%s; %d points once complete",
					 (unsigned long)it->points), missing, it->points);
		}
		break;
	case CPS_MIGRATE_YOURS:
		*role = R_STEP_CLOSED;
		*mark = "=";
		snprintf(out, len, "%s", st->ran ? _("already on this account: skipped")
						 : _("already on this account: stays as it is"));
		break;
	case CPS_MIGRATE_TAKEN:
		*role = R_ERROR;
		*mark = "x";
		snprintf(out, len, "%s", _("registered to another account: blocks the move"));
		break;
	}
}

static int item_height(const struct state *st, const struct cps_migration_item *it)
{
	char details[512];
	int role, h, hd;
	const char *mark;

	item_details(st, it, details, sizeof(details), &role, &mark, 0);
	h = app_wrap_count(it->model, W_MODEL);
	hd = app_wrap_count(details, W_DETAILS);
	if (hd > h)
		h = hd;
	hd = app_wrap_count(it->serial, W_SERIAL);
	if (hd > h)
		h = hd;
	return h ? h : 1;
}

/* The list from st->first on rows [row, end); remembers how many fit. */
static void draw_list(struct app *a, struct state *st, int row, int end)
{
	size_t n, i;
	const struct cps_migration_item *v = items(st, &n);
	char line[128];

	st->shown = 0;
	if (!n || row + 1 >= end)
		return;
	if ((size_t)st->first >= n)
		st->first = 0;
	app_text(a, row, COL_MODEL, R_TITLE, _("Product"));
	app_text(a, row, COL_SERIAL, R_TITLE, _("Serial number"));
	app_text(a, row, COL_DETAILS, R_TITLE, st->ran ? _("Moved") : _("What happens"));
	row++;
	for (i = (size_t)st->first; i < n; i++) {
		const struct cps_migration_item *it = &v[i];
		char details[512];
		int role, h = item_height(st, it);
		const char *mark;

		if (row + h > end)
			break;
		item_details(st, it, details, sizeof(details), &role, &mark, a->utf8);
		app_text(a, row, COL_MARK, role, mark);
		app_wrap(a, row, COL_MODEL, W_MODEL, end - row, R_NORMAL, it->model);
		app_wrap(a, row, COL_SERIAL, W_SERIAL, end - row, R_NORMAL,
			       it->serial[0] ? it->serial : "-");
		app_wrap(a, row, COL_DETAILS, W_DETAILS, end - row, role, details);
		row += h;
	}
	st->shown = (int)(i - (size_t)st->first);
	if (st->first > 0 || i < n) {
		if (st->shown == 1)
			snprintf(line, sizeof(line), _("Product %d of %d"), st->first + 1, (int)n);
		else
			snprintf(line, sizeof(line), _("Products %d-%d of %d"), st->first + 1,
				 st->first + st->shown, (int)n);
		app_text(a, ROW_BUTTONS, st->count_col, R_HINT, line);
	}
}

static void draw(struct app *a)
{
	struct state *st = a->state;
	int width = APP_TEXT_WIDTH, row = 0;
	char line[512];

	if (!st)
		return;
	if (st->ran) {
		app_text(a, row++, 2, R_TITLE, _("Products moved from your old CPS account"));
	} else {
		app_text(a, row++, 2, R_TITLE, _("Move the products of your old CPS account"));
	}
	if (!st->checked) {
		row++;
		app_wrap(a, row, 2, width, ROW_BUTTONS - 1 - row, R_ERROR, st->error);
		return;
	}
	const char *number = st->ran ? st->res.member_number : st->info.member_number;
	if (st->info.old_email[0] && (st->ran || st->info.offered ||
				      st->info.reason == CPS_MIGRATION_DONE)) {
		if (number[0])
			snprintf(line, sizeof(line), _("Old CPS account: %s, member number %s"),
				 st->info.old_email, number);
		else
			snprintf(line, sizeof(line), _("Old CPS account: %s"), st->info.old_email);
		app_text(a, row, 2, R_NORMAL, line);
	}
	row += 2;

	if (st->ran) {
		row = app_wrap(a, row, 2, width, ROW_BUTTONS - 1 - row, R_NORMAL, st->res.text);
		row++;
		if (st->res.already)
			return;
		snprintf(line, sizeof(line), _("Moved: %d"), st->res.moved);
		app_text(a, row, 2, R_NORMAL, line);
		snprintf(line, sizeof(line), _("Already on this account, skipped: %d"), st->res.skipped);
		app_text(a, row++, 40, R_NORMAL, line);
		snprintf(line, sizeof(line), _("With a green tick: %d"), st->res.complete);
		app_text(a, row, 2, R_TICK, line);
		snprintf(line, sizeof(line), _("Without a green tick: %d"), st->res.incomplete);
		app_text(a, row++, 40, st->res.incomplete ? R_WARN : R_NORMAL, line);
		char num[32];
		snprintf(line, sizeof(line), _("Points added: %s"),
			 cps_points_text(st->res.points, num, sizeof(num)));
		app_text(a, row++, 2, R_NORMAL, line);
		row++;
		draw_list(a, st, list_top(st), ROW_BUTTONS - 1);
		return;
	}
	if (st->error[0]) {
		row = app_wrap(a, row, 2, width, ROW_BUTTONS - 1 - row, R_ERROR, st->error);
		row++;
	}
	if (!st->info.offered) {
		const char *text = st->info.text;
		char offline[CPS_MIGRATION_TEXT_MAX];

		/* the engine knows the answer has not come; whether the remote
		 * can be reached now is the sync's news */
		if (st->info.reason == CPS_MIGRATION_LOOKING_UP && sync_online(a) == 0) {
			snprintf(offline, sizeof(offline),
				 _("Your old CPS account (%s) is to be looked up at CPS, but CPS cannot be reached now: the lookup waits for the network. Its products are shown here as soon as the answer comes."),
				 st->info.old_email);
			text = offline;
		}
		row = app_wrap(a, row, 2, width, ROW_BUTTONS - 1 - row, R_NORMAL, text);
		if (st->info.reason != CPS_MIGRATION_NOT_VALIDATED &&
		    st->info.reason != CPS_MIGRATION_DONE && row + 2 < ROW_BUTTONS)
			app_wrap(a, row + 1, 2, width, ROW_BUTTONS - 2 - row, R_HINT,
				       _("You can still register every product yourself under "
					 "\"My products\"; Next goes on to your points."));
		return;
	}
	if (!refused_for_conflict(st))
		app_wrap(a, row, 2, width, ROW_BUTTONS - 1 - row,
			       st->info.conflicts ? R_WARN : R_NORMAL, st->info.text);
	draw_list(a, st, list_top(st), ROW_BUTTONS - 1);
}

static void event(struct app *a, struct wevent ev)
{
	struct state *st = a->state;
	struct cps_error err = { 0 };
	size_t n;

	if (ev.what != WR_ACTIVATE || !st)
		return;
	switch (ev.id) {
	case W_MIGRATE:
		st->error[0] = '\0';
		cps_migration_result_free(&st->res);
		if (cps_migration_run(a->e, a->session.account_id, &st->res, &err) != CPS_OK) {
			/* nothing moved; the reason can be long, so it goes on the page */
			cps_migration_result_free(&st->res);
			load(a, st);
			snprintf(st->error, sizeof(st->error), "%s", err.msg);
			app_message(a, 1, "%s", _("Nothing was moved: the reason is shown above."));
			app_relayout(a);
			if (st->info.conflicts)
				wform_focus(&a->form, W_NAV_NEXT);
			return;
		}
		st->ran = 1;
		st->first = 0;
		app_refresh_flow(a);
		load(a, st);
		app_relayout(a);
		app_message(a, 0, "%s", st->res.already ? _("Your products had been moved before.")
						       : _("Your products have been moved."));
		break;
	case W_PRODUCTS:
		app_go(a, &page_products);
		break;
	case W_VIEW:
		a->session.product_id = first_incomplete(st);
		if (a->session.product_id)
			app_go(a, &page_product);
		break;
	case W_MORE:
		items(st, &n);
		st->first += st->shown > 0 ? st->shown : 1;
		if ((size_t)st->first >= n)
			st->first = 0;
		break;
	}
}

/* The sync stored the remote's answer about an old account (or another
 * change): while the lookup was waiting, the page reads the check again,
 * so that the old products show without a key. */
static void remote_changed(struct app *a)
{
	struct state *st = a->state;
	int was_offered;

	if (!st || st->ran || !st->checked || st->info.reason != CPS_MIGRATION_LOOKING_UP)
		return;
	was_offered = st->info.offered;
	load(a, st);
	app_relayout(a);
	a->dirty = 1;
	if (!was_offered && st->checked && st->info.offered)
		app_message(a, 0, "%s", _("Your old CPS account was found: its products are listed."));
}

const struct page page_migration = {
	.name = "migration",
	.step = CPS_STEP_MIGRATION,
	.title = N_("Migrate products"),
	.help = N_("If you had a CPS account before and gave its e-mail address in your "
		   "application, the products registered there can be moved to your new business "
		   "account with MIGRATE PRODUCTS. Everything moves at once, with its details; a "
		   "product with every detail keeps its green tick and its points, one with missing "
		   "details moves without a tick until you complete it under \"My products\".\n\n"
		   "If you do not see MIGRATE PRODUCTS, the page says why: register your products "
		   "again, or contact CPS Priority support. Next goes on to your points."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.draw = draw,
	.remote_changed = remote_changed,
};
