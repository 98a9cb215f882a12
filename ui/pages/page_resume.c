/* page_resume.c - continue an application with its resume code: the
 * customer types the code as they wrote it down (the engine reads it in
 * any case, with or without spaces and dashes) and goes on where the
 * application stands: a draft or a rejected application on its form, a
 * sent one on the validation page. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/secret.h"
#include "frame.h"
#include "pages.h"
#include "theme.h"

enum { W_CODE = 1 };

struct resume_state {
	char tried[W_VALUE_MAX];       /* the code last tried */
	char error[CPS_ERROR_MAX];     /* the engine's answer to it */
};

static int enter(struct app *a)
{
	struct resume_state *st = app_page_state(a, sizeof(*st));

	if (!st)
		return -1;
	return 0;
}

static void layout(struct app *a)
{
	struct widget *w = wform_add(&a->form, W_TEXT, W_CODE, 6, 2, 24, 20, _("Resume code"),
				     _("Type the code as you wrote it down, e.g. ABCD-EFGH-JKMN, then Enter."));

	if (w)
		w->maxlen = 40;
	app_nav_buttons(a, _("Back"), _("Continue"));
	w = wform_get(&a->form, W_NAV_NEXT);
	if (w)
		snprintf(w->hint, sizeof(w->hint), "%s", _("Open the application with this code (^N)."));
	wform_focus(&a->form, W_CODE);
}

/* Opens the application of the code typed; on failure the engine's
 * message is shown and, for a new code, the field keeps the focus. */
static void try_code(struct app *a, int keep_focus)
{
	struct resume_state *st = a->state;
	struct cps_application app;
	struct cps_error err = { 0 };
	char code[W_VALUE_MAX];

	snprintf(code, sizeof(code), "%s", wform_text(&a->form, W_CODE));
	int again = strcmp(code, st->tried) == 0;
	snprintf(st->tried, sizeof(st->tried), "%s", code);
	if (cps_application_resume(a->e, code, &app, &err) != CPS_OK) {
		/* the whole reason is on the page; the message line only
		 * points to it (a long one would be said twice) */
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		app_message(a, 1, "%s", _("The code was not taken: the reason is shown above."));
		/* a second Tab with the same code lets the customer move on */
		if (keep_focus && !again)
			wform_focus(&a->form, W_CODE);
		return;
	}
	st->error[0] = '\0';
	a->session.account_id = app.id;
	if (cps_resume_code_normalise(code, a->session.resume_code, sizeof(a->session.resume_code), &err) != CPS_OK)
		a->session.resume_code[0] = '\0';
	app_go(a, app_page_for_flow(a));
}

static void event(struct app *a, struct wevent ev)
{
	struct resume_state *st = a->state;
	const char *code;

	if (!st || ev.id != W_CODE || ev.what != WR_LEAVE)
		return;
	code = wform_text(&a->form, W_CODE);
	while (*code == ' ')
		code++;
	if (*code)
		try_code(a, 1);
}

static int key(struct app *a, struct key_event k)
{
	struct resume_state *st = a->state;

	if (!st)
		return 0;
	if (k.cmd == CMD_BACK) {
		app_go(a, &page_welcome);
		return 1;
	}
	if (k.cmd == CMD_NEXT) {
		st->tried[0] = '\0';
		try_code(a, 1);
		return 1;
	}
	return 0;
}

static void draw(struct app *a)
{
	struct resume_state *st = a->state;
	int width = 76;

	app_text(a, 1, 2, R_TITLE, _("Continue your application"));
	app_wrap(a, 3, 2, width, 3, R_NORMAL,
		 _("Type the resume code you got when your application was first saved. "
		   "Capital or small letters, spaces and dashes do not matter."));
	if (st && st->error[0]) {
		app_wrap(a, 9, 2, width, app_body_rows(a) - 10, R_ERROR, st->error);
		return;
	}
	app_wrap(a, 9, 2, width, app_body_rows(a) - 10, R_HINT,
		 _("Lost the code? Please ask staff for help. Once your account is validated, "
		   "log in with your e-mail address and password instead."));
}

const struct page page_resume = {
	.name = "resume",
	.step = CPS_STEP_ACCOUNT,
	.title = N_("Continue"),
	.help = N_("Type the resume code you got when your application was first saved to go on "
		   "where you left off. Nobody can see an application without its code. Once your "
		   "account is validated, log in with your e-mail address and password instead."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
