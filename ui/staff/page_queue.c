/* page_queue.c - the console's first page: the applications waiting for
 * validation, oldest first, with their age and expected answer date; Enter
 * opens one.  The messages waiting are one key away. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "staff.h"
#include "theme.h"

#define QUEUE_ROWS 12
enum { W_MESSAGES = 1, W_REFRESH, W_FIND, W_LIMITS, W_IMPORT, W_ROW = 100 };

struct state {
	int n, more;
	long long id[QUEUE_ROWS];
	char line[QUEUE_ROWS][STAFF_LINE];
	time_t now;
};

static int add_row(const struct cps_application *app, void *arg)
{
	struct state *s = arg;
	char when[64];
	long hours = (long)((s->now - app->submitted_at) / 3600);

	if (s->n == QUEUE_ROWS) {
		s->more = 1;
		return 1;
	}
	staff_time(app->submitted_at, when, sizeof(when));
	s->id[s->n] = app->id;
	snprintf(s->line[s->n], sizeof(s->line[0]), "%s %3ldh %-10.10s  %-22.60s %.60s", when,
		 hours < 0 ? 0 : hours, app->expected_by, app->email, app->company);
	s->n++;
	return 0;
}

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->n = s->more = 0;
	s->now = cps_engine_now(a->e);
	if (cps_applications_pending(a->e, add_row, s, &err) != CPS_OK) {
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
	struct wform *f = &a->form;
	const struct state *s = a->state;

	if (!s)
		return;
	staff_list(a, W_ROW, 3, (const char (*)[STAFF_LINE])s->line, s->n,
		   _("Enter opens the application in full: approve, reject or accept its number."));
	wform_add(f, W_BUTTON, W_MESSAGES, 4 + QUEUE_ROWS, APP_COL, APP_COL, 24, _("Messages waiting"),
		  _("The messages to hand over (password codes, rejections, invoices)."));
	wform_add(f, W_BUTTON, W_FIND, 4 + QUEUE_ROWS, 30, 30, 24, _("Find a customer"),
		  _("By e-mail, company, CVR or organisation number, or membership number."));
	wform_add(f, W_BUTTON, W_REFRESH, 4 + QUEUE_ROWS, 58, 58, 16, _("Refresh"),
		  _("Read the queue again."));
	wform_add(f, W_BUTTON, W_LIMITS, 5 + QUEUE_ROWS, APP_COL, APP_COL, 24, _("Waits"),
		  _("The terminals, codes and logins that wrong tries hold up; lift them."));
	wform_add(f, W_BUTTON, W_IMPORT, 5 + QUEUE_ROWS, 30, 30, 24, _("Imports"),
		  _("Import a newer product catalog or the old CPS accounts from a file."));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_text(a, 0, APP_COL, R_TITLE, _("Applications waiting for validation, oldest first"));
	app_fit(a, 2, APP_COL + 2, APP_TEXT_WIDTH - 2, R_LABEL,
		_("Sent             Age  Expected    E-mail                 Company"));
	if (s->n == 0)
		app_text(a, 3, APP_COL, R_NORMAL, _("No application is waiting."));
	if (s->more)
		app_text(a, 3 + QUEUE_ROWS, APP_COL, R_WARN,
			 _("More are waiting: decide these first."));
}

static void event(struct app *a, struct wevent ev)
{
	const struct state *s = a->state;

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id >= W_ROW && ev.id < W_ROW + s->n) {
		a->session.account_id = s->id[ev.id - W_ROW];
		app_go(a, &staff_page_case);
	} else if (ev.id == W_MESSAGES) {
		app_go(a, &staff_page_messages);
	} else if (ev.id == W_FIND) {
		app_go(a, &staff_page_find);
	} else if (ev.id == W_LIMITS) {
		app_go(a, &staff_page_limits);
	} else if (ev.id == W_IMPORT) {
		app_go(a, &staff_page_import);
	} else if (ev.id == W_REFRESH) {
		load(a);
		app_relayout(a);
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_messages);
		return 1;
	}
	return k.cmd == CMD_BACK;
}

const struct page staff_page_queue = {
	.name = "queue",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: queue"),
	.help = N_("The applications waiting for validation, oldest first: when each was sent, "
		   "how many hours it has waited and when the answer is expected. Enter opens one. "
		   "Every action is recorded in the audit log with your name (cpsreg audit)."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
