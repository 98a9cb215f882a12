/* page_limits.c - the waits that wrong resume codes and logins hold up
 * (per terminal, per code, per login), as `cpsreg limits` lists them;
 * Enter on one lifts it, Lift all lifts every one.  Each lift goes through
 * the engine and is recorded in the audit log. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/limit.h"
#include "staff.h"
#include "theme.h"

#define LIMIT_ROWS 10
enum { W_ALL = 1, W_ROW = 100 };

struct state {
	int n, more;
	char scope[LIMIT_ROWS][16];
	char key[LIMIT_ROWS][CPS_LIMIT_TERMINAL_MAX + 128];
	char line[LIMIT_ROWS][STAFF_LINE];
};

static int add(const struct cps_limit *l, void *arg)
{
	struct state *s = arg;

	if (s->n == LIMIT_ROWS) {
		s->more = 1;
		return 1;
	}
	snprintf(s->scope[s->n], sizeof(s->scope[0]), "%s", l->scope);
	snprintf(s->key[s->n], sizeof(s->key[0]), "%s", l->key);
	snprintf(s->line[s->n], sizeof(s->line[0]),
		 ngettext("%-8s %-32.60s %3d wrong try   waits %lds",
			  "%-8s %-32.60s %3d wrong tries  waits %lds", l->failures),
		 l->scope, l->key, l->failures, l->wait);
	s->n++;
	return 0;
}

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->n = s->more = 0;
	if (cps_limits_list(a->e, add, s, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	return 0;
}

static int enter(struct app *a)
{
	if (staff_page_enter(a, sizeof(struct state)) != 0)
		return -1;
	return load(a);
}

static void layout(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	staff_list(a, W_ROW, 2, (const char (*)[STAFF_LINE])s->line, s->n,
		   _("Enter lifts this wait: the next try may come at once."));
	if (s->n)
		wform_add(&a->form, W_BUTTON, W_ALL, 3 + LIMIT_ROWS, APP_COL, APP_COL, 20, _("Lift all"),
			  _("Lift every wait listed."));
	app_nav_buttons(a, _("Back"), _("Queue"));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_text(a, 0, APP_COL, R_TITLE, _("Waits after wrong resume codes and logins"));
	if (s->n == 0)
		app_text(a, 2, APP_COL, R_NORMAL, _("Nothing is held up."));
	if (s->more)
		app_text(a, 2 + LIMIT_ROWS, APP_COL, R_WARN, _("More are held up: lift these first."));
}

static void lift(struct app *a, const char *scope, const char *key)
{
	struct cps_error err = { 0 };

	if (cps_limit_lift(a->e, scope, key, staff_actor(), &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return;
	}
	load(a);
	app_relayout(a);
	app_message(a, 0, "%s", _("Lifted: the next try may come at once."));
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_ALL) {
		lift(a, "all", NULL);
	} else if (ev.id >= W_ROW && ev.id < W_ROW + s->n) {
		char scope[16], key[sizeof(s->key[0])];

		/* copied: the lift reloads the list under them */
		snprintf(scope, sizeof(scope), "%s", s->scope[ev.id - W_ROW]);
		snprintf(key, sizeof(key), "%s", s->key[ev.id - W_ROW]);
		lift(a, scope, key);
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

const struct page staff_page_limits = {
	.name = "limits",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: waits"),
	.help = N_("After 5 wrong resume codes or logins in a row at one terminal, or of one code, "
		   "the next try waits, longer each time. Each line is a terminal, a code (by the "
		   "start of its digest, never the code) or a login, with its wrong tries and the "
		   "seconds still to wait. Enter lifts one; Lift all lifts every one. Each lift is "
		   "recorded in the audit log."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
