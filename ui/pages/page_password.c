/* page_password.c - set the password with the code from the e-mail
 * (README, rules 3), for a new account or after "reset password": the e-mail
 * address, the code, the new password twice.  A lost code is replaced with
 * "Reset password".  The engine checks the code and the password policy
 * and says what is wrong; the page only checks that the two passwords are
 * the same.  On success the customer is logged in and goes on. */
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

enum { W_EMAIL = 1, W_CODE, W_PW1, W_PW2, W_SET, W_NEW_CODE };

#define POLICY_ROWS 6      /* rows 0..5 */
#define FIELD_ROW 6        /* four fields of two rows: 6..13 */
#define BUTTON_ROW 14
#define NOTE_ROW 15        /* the engine's answer: rows 15..17 */
#define NOTE_ROWS 3

struct state {
	char email[CPS_EMAIL_MAX];   /* prefilled for the customer at the screen */
	char note[CPS_ERROR_MAX + 512];
	int note_error;
	int note_field;              /* the field the note is about, or 0 */
};

/* ---- text ---------------------------------------------------------------- */

static void note(struct app *a, int is_error, int field, const char *text)
{
	struct state *s = a->state;

	snprintf(s->note, sizeof(s->note), "%s", text);
	s->note_error = is_error;
	s->note_field = field;
}

static void note_clear(struct app *a)
{
	struct state *s = a->state;

	s->note[0] = '\0';
	s->note_field = 0;
}

/* ---- the page -------------------------------------------------------------- */

static int enter(struct app *a)
{
	struct state *s = app_page_state(a, sizeof(*s));

	if (!s)
		return -1;
	app_customer_email(a, s->email, sizeof(s->email));
	return 0;
}

static void wipe_passwords(struct app *a)
{
	app_wipe_field(a, W_PW1);
	app_wipe_field(a, W_PW2);
}

static void leave(struct app *a)
{
	wipe_passwords(a);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;
	int row = FIELD_ROW;

	if (!s)
		return;
	app_email_field(a, W_EMAIL, row, s->email);
	row += 2;
	w = wform_add(f, W_TEXT, W_CODE, row, APP_COL, APP_FIELD_COL, 40, _("Code from the e-mail"),
		      _("Copy the code from the e-mail exactly; spaces and dashes do not matter."));
	if (w)
		w->maxlen = 64;
	row += 2;
	app_password_field(a, W_PW1, row, _("New password"),
			   _("Your new password, following the rules above. It is not shown."));
	row += 2;
	app_password_field(a, W_PW2, row, _("Password again"),
			   _("Type the same password again, so that a typing mistake shows."));
	app_button_pair(a, BUTTON_ROW,
			&(struct app_button){ W_SET, _("Set password"), _("Set your password and log in.") },
			&(struct app_button){ W_NEW_CODE, _("Reset password"),
					      _("Lost the code, or forgot your password? Get a new code by e-mail.") });
	app_nav_buttons(a, _("Back"), _("Next"));
	if (s->email[0])
		wform_focus(f, W_CODE);
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, POLICY_ROWS, R_NORMAL, cps_password_policy_text());
	if (s->note[0])
		app_wrap(a, NOTE_ROW, APP_COL, APP_TEXT_WIDTH, NOTE_ROWS,
			     s->note_error ? R_ERROR : R_NORMAL, s->note);
}

/* ---- checks as the customer types ------------------------------------------ */

static void set_error(struct app *a, int id, const char *text)
{
	struct widget *w = wform_get(&a->form, id);

	if (w)
		snprintf(w->error, sizeof(w->error), "%s", text);
}

/* The second password against the first (the one check that is the
 * screen's own: the engine sees one password). */
static int check_same(struct app *a, int final)
{
	char pw1[W_VALUE_MAX];
	const char *pw2;
	int ok;

	snprintf(pw1, sizeof(pw1), "%s", wform_text(&a->form, W_PW1));
	pw2 = wform_text(&a->form, W_PW2);
	if ((!pw2[0] && !final) || (!pw1[0] && !pw2[0])) {
		/* nothing to compare yet; an empty password is the engine's to refuse */
		ok = 1;
	} else if (!pw2[0]) {
		set_error(a, W_PW2, _("Type the password again here."));
		ok = 0;
	} else {
		ok = strcmp(pw1, pw2) == 0;
		set_error(a, W_PW2, ok ? "" : _("The two passwords are not the same."));
	}
	explicit_bzero(pw1, sizeof(pw1));
	return ok;
}

/* Asks the engine about the new password as soon as it is typed. */
static void check_policy(struct app *a)
{
	const struct state *s = a->state;
	struct cps_error err = { 0 };
	char email[W_VALUE_MAX];
	const char *pw = wform_text(&a->form, W_PW1);

	if (!pw[0])
		return;
	snprintf(email, sizeof(email), "%s", wform_text(&a->form, W_EMAIL));
	if (cps_password_policy(pw, email[0] ? email : NULL, &err) != CPS_OK)
		note(a, 1, W_PW1, err.msg);
	else if (s->note_field == W_PW1)
		note_clear(a);
}

/* ---- actions ------------------------------------------------------------------ */

/* Where to put the cursor after the engine refused: the field the answer
 * is most likely about. */
static int field_for(struct app *a, enum cps_err rc, const char *email)
{
	struct cps_error err = { 0 };

	if (rc == CPS_ERR_AUTH)
		return W_CODE;
	if (rc != CPS_ERR_INVALID)
		return 0;
	if (!wform_text(&a->form, W_EMAIL)[0])
		return W_EMAIL;
	if (!wform_text(&a->form, W_CODE)[0])
		return W_CODE;
	if (cps_password_policy(wform_text(&a->form, W_PW1), email, &err) != CPS_OK)
		return W_PW1;
	return W_EMAIL;
}

static void log_in(struct app *a, const char *email, const char *password)
{
	struct cps_application app;
	struct cps_error err = { 0 };
	char text[sizeof(((struct state *)0)->note)];

	if (cps_login(a->e, email, password, &app, &err) != CPS_OK) {
		snprintf(text, sizeof(text), _("Your password is set, but you could not be logged in: %s"),
			 err.msg);
		note(a, 1, 0, text);
		return;
	}
	if (app.id != a->session.account_id) {
		/* another customer than the one before at this screen */
		a->session.resume_code[0] = '\0';
		a->session.chosen_level[0] = '\0';
		a->session.product_id = 0;
	}
	a->session.account_id = app.id;
	app_go(a, app_page_for_flow(a));
}

static void set_password(struct app *a)
{
	const struct state *s = a->state;
	struct cps_error err = { 0 };
	char email[W_VALUE_MAX], code[W_VALUE_MAX], pw[W_VALUE_MAX];
	enum cps_err rc;
	int field;

	note_clear(a);
	set_error(a, W_PW2, "");
	if (!check_same(a, 1)) {
		/* say what else is wrong with the password at the same time */
		check_policy(a);
		wform_focus(&a->form, s->note[0] ? W_PW1 : W_PW2);
		return;
	}
	snprintf(email, sizeof(email), "%s", wform_text(&a->form, W_EMAIL));
	snprintf(code, sizeof(code), "%s", wform_text(&a->form, W_CODE));
	snprintf(pw, sizeof(pw), "%s", wform_text(&a->form, W_PW1));
	rc = cps_password_set_with_token(a->e, email, code, pw, &err);
	if (rc == CPS_OK) {
		log_in(a, email, pw);
	} else {
		field = field_for(a, rc, email);
		note(a, 1, field, err.msg);
		if (field)
			wform_focus(&a->form, field);
	}
	explicit_bzero(pw, sizeof(pw));
}

static void new_code(struct app *a)
{
	struct cps_error err = { 0 };
	char email[W_VALUE_MAX], text[1024];

	note_clear(a);
	snprintf(email, sizeof(email), "%s", wform_text(&a->form, W_EMAIL));
	if (cps_password_reset_request(a->e, email, &err) != CPS_OK) {
		note(a, 1, W_EMAIL, err.msg);
		wform_focus(&a->form, W_EMAIL);
		return;
	}
	/* the engine does not say whether the address has an account, and
	 * neither does the screen */
	snprintf(text, sizeof(text),
		 _("If %s belongs to a validated business account, a new code is on its way "
		   "to that address. Type it in the code field when it arrives."),
		 email);
	note(a, 0, 0, text);
	wform_focus(&a->form, W_CODE);
}

static void event(struct app *a, struct wevent ev)
{
	switch (ev.what) {
	case WR_LEAVE:
		if (ev.id == W_PW1) {
			check_policy(a);
			check_same(a, 0);
		} else if (ev.id == W_PW2) {
			check_same(a, 0);
		}
		break;
	case WR_ACTIVATE:
		if (ev.id == W_SET)
			set_password(a);
		else if (ev.id == W_NEW_CODE)
			new_code(a);
		break;
	default:
		break;
	}
}

static int key(struct app *a, struct key_event k)
{
	switch (k.cmd) {
	case CMD_NEXT:
		set_password(a);
		return 1;
	case CMD_BACK:
		app_go(a, a->session.account_id ? &page_validation : &page_welcome);
		return 1;
	default:
		return 0;
	}
}

const struct page page_password = {
	.name = "password",
	.step = CPS_STEP_VALIDATION,
	.title = N_("Set my password"),
	.help = N_("When your account is validated you get an e-mail with a code. Type your "
		   "e-mail address, the code, and your new password twice, then choose "
		   "\"Set password\": you are logged in and can go on. Each code works once "
		   "and for a limited time. If you lost the code or forgot your password, "
		   "choose \"Reset password\" and use the code from the new e-mail. "
		   "Before your account is validated there is no code yet: wait for the "
		   "e-mail."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.key = key,
	.draw = draw,
};
