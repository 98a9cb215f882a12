/* page_find.c - find a customer by e-mail, company, CVR or organisation
 * number, or membership number; Enter opens the one found in full, with
 * their state. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "staff.h"
#include "theme.h"

#define FOUND_ROWS 10
enum { W_QUERY = 1, W_SEARCH, W_ROW = 100 };

struct state {
	int n, more, searched;
	long long id[FOUND_ROWS];
	char line[FOUND_ROWS][STAFF_LINE];
};

static int add(const struct cps_application *app, void *arg)
{
	struct state *s = arg;

	if (s->n == FOUND_ROWS) {
		s->more = 1;
		return 1;
	}
	s->id[s->n] = app->id;
	snprintf(s->line[s->n], sizeof(s->line[0]), "%-9.9s  %-28.60s %.60s",
		 cps_app_status_id(app->status), app->email, app->company);
	s->n++;
	return 0;
}

static int enter(struct app *a)
{
	return staff_page_enter(a, sizeof(struct state));
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;

	if (!s)
		return;
	w = wform_add(f, W_TEXT, W_QUERY, 2, APP_COL, 12, 40, _("Find"),
		      _("Part of an e-mail, a company name, a CVR/organisation or membership number."));
	w->maxlen = CPS_APP_NAME_CHARS;
	wform_add(f, W_BUTTON, W_SEARCH, 2, 56, 56, 16, _("Search"), _("Look the customer up."));
	staff_list(a, W_ROW, 4, (const char (*)[STAFF_LINE])s->line, s->n,
		   _("Enter opens the customer in full, with their state."));
	app_nav_buttons(a, _("Back"), _("Queue"));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_text(a, 0, APP_COL, R_TITLE, _("Find a customer"));
	if (s->searched && s->n == 0)
		app_text(a, 4, APP_COL, R_NORMAL, _("Nobody found."));
	if (s->more)
		app_text(a, 4 + FOUND_ROWS, APP_COL, R_WARN, _("More were found: type more of it."));
}

static void search(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char q[W_VALUE_MAX];

	snprintf(q, sizeof(q), "%s", wform_text(&a->form, W_QUERY));
	s->n = s->more = 0;
	s->searched = 1;
	if (cps_customers_find(a->e, q, add, s, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	app_relayout(a);
	wform_set_text(&a->form, W_QUERY, q);
	if (s->n)
		wform_focus(&a->form, W_ROW);
}

static void event(struct app *a, struct wevent ev)
{
	const struct state *s = a->state;

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_SEARCH) {
		search(a);
	} else if (ev.id >= W_ROW && ev.id < W_ROW + s->n) {
		a->session.account_id = s->id[ev.id - W_ROW];
		app_go(a, &staff_page_case);
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_BACK || k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_queue);
		return 1;
	}
	return 0;
}

const struct page staff_page_find = {
	.name = "find",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: find"),
	.help = N_("Type part of an e-mail address, a company name, a CVR or organisation number "
		   "or a membership number, then Search. Enter on a customer opens them in full "
		   "with the state of every step."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
