/* page_login.c - a returning customer logs in with e-mail and password
 * (DOMAIN 1.2) and goes on where the flow stands.  The engine checks the
 * password and, after repeated wrong ones, says how long to wait; the page
 * shows its words.  "Forgot password" leads to the page that sets a new
 * one with a code from the e-mail. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/secret.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "theme.h"

enum { W_EMAIL = 1, W_PW, W_LOGIN, W_FORGOT };

#define LABEL_COL 2
#define FIELD_COL 24
#define TEXT_WIDTH 76
#define FIELD_ROW 6        /* two fields of two rows: 6..9 */
#define BUTTON_ROW 10
#define NOTE_ROW 12        /* the engine's answer: rows 12..15 */
#define NOTE_ROWS 4

struct state {
	char email[CPS_EMAIL_MAX];   /* prefilled for the customer at the screen */
	char note[CPS_ERROR_MAX];
};

/* ---- the page -------------------------------------------------------------- */

static int enter(struct app *a)
{
	struct state *s = calloc(1, sizeof(*s));
	struct cps_application app;
	struct cps_error err = { 0 };

	a->state = s;
	if (!s)
		return -1;
	if (a->account_id &&
	    cps_application_load(a->e, a->account_id, &app, &err) == CPS_OK)
		snprintf(s->email, sizeof(s->email), "%s", app.email);
	return 0;
}

static void wipe_password(struct app *a)
{
	struct widget *w = wform_get(&a->form, W_PW);

	if (w) {
		explicit_bzero(w->value, sizeof(w->value));
		wform_set_text(&a->form, W_PW, "");
	}
}

static void leave(struct app *a)
{
	wipe_password(a);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;
	int col;

	if (!s)
		return;
	w = wform_add(f, W_TEXT, W_EMAIL, FIELD_ROW, LABEL_COL, FIELD_COL, 50, _("E-mail"),
		      _("The e-mail address of your business account."));
	if (w) {
		w->maxlen = CPS_EMAIL_MAX - 1;
		snprintf(w->value, sizeof(w->value), "%s", s->email);
	}
	w = wform_add(f, W_PASSWORD, W_PW, FIELD_ROW + 2, LABEL_COL, FIELD_COL, 40,
		      _("Password"), _("The password you set with the code from the e-mail. It is not shown."));
	if (w)
		w->maxlen = CPS_PASSWORD_MAX_BYTES;
	/* the second button follows the first, however long its label is in
	 * the language shown */
	col = FIELD_COL + page_button_cols(_("Log in")) + 4;
	wform_add(f, W_BUTTON, W_LOGIN, BUTTON_ROW, FIELD_COL, FIELD_COL, col - FIELD_COL - 4,
		  _("Log in"), _("Log in and go on where you left off."));
	wform_add(f, W_BUTTON, W_FORGOT, BUTTON_ROW, col, col, page_button_cols(_("Forgot password")),
		  _("Forgot password"),
		  _("Get a code by e-mail and choose a new password."));
	app_nav_buttons(a, _("Back"), _("Next"));
	if (s->email[0])
		wform_focus(f, W_PW);
}

static void draw(struct app *a)
{
	const struct state *s = a->state;
	int row = 0;

	if (!s)
		return;
	row = app_text(a, row, LABEL_COL, R_TITLE, _("Log in to your business account"));
	row++;
	app_wrap_fit(a, row, LABEL_COL, TEXT_WIDTH, 3, R_NORMAL,
		     _("Use the e-mail address of your business account and the password you "
		       "set with the code from the e-mail."), APP_FIT_DOTS);
	if (s->note[0])
		app_wrap_fit(a, NOTE_ROW, LABEL_COL, TEXT_WIDTH, NOTE_ROWS, R_ERROR, s->note,
			     APP_FIT_DOTS);
}

/* ---- actions ------------------------------------------------------------------ */

static void log_in(struct app *a)
{
	struct state *s = a->state;
	struct cps_application app;
	struct cps_error err = { 0 };
	char email[W_VALUE_MAX], pw[W_VALUE_MAX];
	enum cps_err rc;

	s->note[0] = '\0';
	snprintf(email, sizeof(email), "%s", wform_text(&a->form, W_EMAIL));
	snprintf(pw, sizeof(pw), "%s", wform_text(&a->form, W_PW));
	rc = cps_login(a->e, email, pw, &app, &err);
	explicit_bzero(pw, sizeof(pw));
	if (rc != CPS_OK) {
		snprintf(s->note, sizeof(s->note), "%s", err.msg);
		if (rc == CPS_ERR_AUTH) {
			/* type it again from the start */
			wipe_password(a);
			wform_focus(&a->form, email[0] ? W_PW : W_EMAIL);
		}
		return;
	}
	if (app.id != a->account_id) {
		/* another customer than the one before at this screen */
		a->resume_code[0] = '\0';
		a->chosen_level[0] = '\0';
		a->product_id = 0;
	}
	a->account_id = app.id;
	app_go(a, app_page_for_flow(a));
}

static void event(struct app *a, struct wevent ev)
{
	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_LOGIN)
		log_in(a);
	else if (ev.id == W_FORGOT)
		app_go(a, &page_password);
}

static int key(struct app *a, struct key_event k)
{
	switch (k.cmd) {
	case CMD_NEXT:
		log_in(a);
		return 1;
	case CMD_BACK:
		app_go(a, &page_welcome);
		return 1;
	default:
		return 0;
	}
}

const struct page page_login = {
	.name = "login",
	.step = CPS_STEP_COUNT,
	.title = N_("Log in"),
	.help = N_("Log in with the e-mail address of your business account and your "
		   "password, and you go on where you left off. After several wrong "
		   "passwords in a row you must wait a little before the next try. Forgot "
		   "your password? Choose \"Forgot password\": you get a code by e-mail and "
		   "choose a new password. Before your account is validated there is no "
		   "password yet: continue with your resume code from the first page."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.key = key,
	.draw = draw,
};
