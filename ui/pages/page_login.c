/* page_login.c - a returning customer logs in with e-mail and password
 * (README, rules 3) and goes on where the flow stands.  The engine checks the
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
	struct state *s = app_page_state(a, sizeof(*s));

	if (!s)
		return -1;
	app_customer_email(a, s->email, sizeof(s->email));
	return 0;
}

static void leave(struct app *a)
{
	app_wipe_field(a, W_PW);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;

	if (!s)
		return;
	app_email_field(a, W_EMAIL, FIELD_ROW, s->email);
	app_password_field(a, W_PW, FIELD_ROW + 2, _("Password"),
			   _("The password you set with the code from the e-mail. It is not shown."));
	app_button_pair(a, BUTTON_ROW,
			&(struct app_button){ W_LOGIN, _("Log in"), _("Log in and go on where you left off.") },
			&(struct app_button){ W_FORGOT, _("Forgot password"),
					      _("Get a code by e-mail and choose a new password.") });
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
	row = app_text(a, row, APP_COL, R_TITLE, _("Log in to your business account"));
	row++;
	app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_NORMAL,
		     _("Use the e-mail address of your business account and the password you "
		       "set with the code from the e-mail."));
	if (s->note[0])
		app_wrap(a, NOTE_ROW, APP_COL, APP_TEXT_WIDTH, NOTE_ROWS, R_ERROR, s->note);
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
			app_wipe_field(a, W_PW);
			wform_focus(&a->form, email[0] ? W_PW : W_EMAIL);
		}
		return;
	}
	if (app.id != a->session.account_id)
		session_reset(&a->session);   /* another customer than the one before */
	a->session.account_id = app.id;
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
