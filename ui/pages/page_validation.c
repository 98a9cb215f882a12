/* page_validation.c - the wait between sending the application and setting
 * the password (README, rules 3): while it is pending, when it was sent, when the
 * answer is expected and Canon's advice not to reset the password before
 * the e-mail comes; when it was rejected, the reason and the way back to the
 * form; once validated, the way to the password or on to the products.
 * What state the account is in comes from the engine (the application and
 * the flow); this page only words it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/text.h"
#include "cpsreg/message.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "theme.h"

enum { W_REFRESH = 1, W_CORRECT, W_SET_PASSWORD, W_CONTINUE };

#define BUTTON_ROW_MAX 16   /* the button and its error line stay above the nav row */

struct state {
	int have;                   /* an application was loaded */
	struct cps_application app;
};

/* ---- text ---------------------------------------------------------------- */

/* as the screen's language writes a time */
static void local_time(time_t t, char *out, size_t len)
{
	if (!t)
		snprintf(out, len, "-");
	else
		cps_local_time_text(t, CPS_TIME_MINUTE, out, len);
}

/* the expected answer date as the screen's language writes it */
static const char *expected(const struct cps_application *app, char *out, size_t len)
{
	return app->expected_by[0] ? cps_date_shown(app->expected_by, out, len) : "-";
}

/* Set while layout() measures how far the text goes, to put the button
 * right below it: the drawing functions then only count rows. */
static int measuring;

/* The app to draw in: none while measuring. */
static struct app *canvas(struct app *a)
{
	return measuring ? NULL : a;
}

static int put_line(struct app *a, int row, int col, int role, const char *t)
{
	return measuring ? row + 1 : app_text(a, row, col, role, t);
}

/* Text wrapped within maxrows rows, a cut one ending in the ellipsis (so that a
 * long reason never runs into the buttons below it); while measuring, only
 * counted.  Returns the next free row. */
static int wrap_box(struct app *a, int row, int col, int width, int maxrows,
		    int role, const char *text)
{
	return app_wrap(canvas(a), row, col, width, maxrows, role, text);
}

/* ---- the engine ------------------------------------------------------------ */

/* Reads the application again; 0 when it is there. */
static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->have = 0;
	if (!a->session.account_id)
		return 0;
	if (cps_application_load(a->e, a->session.account_id, &s->app, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	s->have = 1;
	return 0;
}

static enum cps_app_status status_of(const struct app *a)
{
	const struct state *s = a->state;

	return s && s->have ? s->app.status : CPS_APP_DRAFT;
}

static int enter(struct app *a)
{
	app_page_state(a, sizeof(struct state));
	if (!a->state)
		return -1;
	return load(a);
}

/* ---- drawing ------------------------------------------------------------------ */

/* Each returns the first row below its text. */

static int draw_pending(struct app *a, const struct cps_application *app)
{
	char by[32];
	char when[64], line[512];
	int days = a->cfg->validation_days;
	int row = 0;

	row = put_line(a, row, APP_COL, R_TITLE, _("Your application is being validated"));
	row++;
	local_time(app->submitted_at, when, sizeof(when));
	row = page_pair(canvas(a), row, APP_COL, _("Sent on"), APP_FIELD_COL, R_NORMAL, when);
	row = page_pair(canvas(a), row, APP_COL, _("Answer expected by"), APP_FIELD_COL, R_NORMAL,
			expected(app, by, sizeof(by)));
	row++;
	snprintf(line, sizeof(line),
		 dngettext(CPS_TEXTDOMAIN,
			   "Canon checks your company details and your proof document. "
			   "This takes up to %d working day.",
			   "Canon checks your company details and your proof document. "
			   "This takes up to %d working days.",
			   (unsigned long)(days > 0 ? days : 0)),
		 days);
	row = wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL, line);
	row++;
	/* Canon's own advice (seed 002, step 4), in full */
	row = wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_WARN,
		       _("We will send you an e-mail to set your password when your account "
			 "is ready. Do not try to reset your password before then."));
	row++;
	return wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
			_("You may leave and come back later: on the first page, choose "
			  "\"Continue with a resume code\". To look again now, choose Refresh."));
}

static int draw_rejected(struct app *a, const struct cps_application *app)
{
	char when[64];
	int row = 0;

	row = put_line(a, row, APP_COL, R_TITLE, _("Your application needs a correction"));
	row++;
	if (app->decided_at) {
		local_time(app->decided_at, when, sizeof(when));
		row = page_pair(canvas(a), row, APP_COL, _("Decided on"), APP_FIELD_COL, R_NORMAL, when);
	}
	row = put_line(a, row, APP_COL, R_LABEL, _("The reason:"));
	/* the reason as staff typed it: up to 500 characters */
	row = wrap_box(a, row, APP_COL + 2, APP_TEXT_WIDTH - 2, 8, R_WARN,
		       app->reject_reason[0] ? app->reject_reason : _("(no reason was given)"));
	row++;
	return wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
			_("Everything you typed is kept. Correct the application and send it again."));
}

/* a password code for this customer still waits in the outbox */
static int code_waiting(const struct cps_message *m, void *arg)
{
	if (!strcmp(m->kind, "password_set") || !strcmp(m->kind, "password_reset"))
		*(int *)arg = 1;
	return 0;
}

static int draw_validated(struct app *a, const struct cps_application *app)
{
	char when[64], line[1024];
	int row = 0;

	row = put_line(a, row, APP_COL, R_TITLE, _("Your account is validated"));
	row++;
	if (app->decided_at) {
		local_time(app->decided_at, when, sizeof(when));
		row = page_pair(canvas(a), row, APP_COL, _("Validated on"), APP_FIELD_COL, R_NORMAL, when);
		row++;
	}
	if (app->has_password)
		return wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_NORMAL,
				_("Your password is set. Next: register your Canon products in "
				  "\"My products\"."));
	/* say what really happened: a code nobody has delivered yet is with
	 * staff, not in the customer's mailbox */
	int waiting = 0;
	struct cps_error err = { 0 };
	if (cps_messages_pending(a->e, app->email, code_waiting, &waiting, &err) != CPS_OK)
		waiting = 1;
	if (waiting)
		snprintf(line, sizeof(line), "%s",
			 _("Your code to set the password is ready: staff will hand it to you. "
			   "Then choose \"Set my password\", type the code and choose your password."));
	else
		snprintf(line, sizeof(line),
			 _("The code to set your password was sent to %s. Choose \"Set my password\", "
			   "type the code and choose your password."),
			 app->email);
	row = wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_NORMAL, line);
	row++;
	return wrap_box(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
			_("No e-mail? Ask staff for help, or choose \"Reset password\" on the next "
			  "page to get a new code."));
}

static int draw_text(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return 0;
	switch (s->have ? s->app.status : CPS_APP_DRAFT) {
	case CPS_APP_PENDING:
		return draw_pending(a, &s->app);
	case CPS_APP_REJECTED:
		return draw_rejected(a, &s->app);
	case CPS_APP_VALIDATED:
		return draw_validated(a, &s->app);
	case CPS_APP_DRAFT:
		break;
	}
	put_line(a, 0, APP_COL, R_TITLE, _("Your application has not been sent yet"));
	return wrap_box(a, 2, APP_COL, APP_TEXT_WIDTH, 4, R_NORMAL,
			a->flow.steps[CPS_STEP_VALIDATION].why);
}

static void draw(struct app *a)
{
	draw_text(a);
}

/* ---- widgets ----------------------------------------------------------------- */

/* The row for the page's button: one blank row below the text. */
static int button_row(struct app *a)
{
	int row;

	measuring = 1;
	row = draw_text(a) + 1;
	measuring = 0;
	return row > BUTTON_ROW_MAX ? BUTTON_ROW_MAX : row;
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	int row;

	if (!s)
		return;
	row = button_row(a);
	switch (status_of(a)) {
	case CPS_APP_PENDING:
		wform_add(f, W_BUTTON, W_REFRESH, row, APP_COL, APP_COL, 20, _("Refresh"),
			  _("Ask again whether your account has been validated."));
		break;
	case CPS_APP_REJECTED:
		wform_add(f, W_BUTTON, W_CORRECT, row, APP_COL, APP_COL, 40,
			  _("Correct and send again"),
			  _("Open your application: everything you typed is still there."));
		break;
	case CPS_APP_VALIDATED:
		if (!s->app.has_password)
			wform_add(f, W_BUTTON, W_SET_PASSWORD, row, APP_COL, APP_COL, 40,
				  _("Set my password"),
				  _("Type the code from the e-mail and choose your password."));
		break;
	case CPS_APP_DRAFT:
		wform_add(f, W_BUTTON, W_CONTINUE, row, APP_COL, APP_COL, 40,
			  _("Continue my application"),
			  _("Fill in what is missing and send the application."));
		break;
	}
	app_nav_buttons(a, _("Back"), _("Next"));
	if (status_of(a) == CPS_APP_VALIDATED && s->app.has_password)
		wform_focus(f, W_NAV_NEXT);
}

/* ---- actions ------------------------------------------------------------------ */

static void ask_again(struct app *a)
{
	enum cps_app_status before = status_of(a);
	const struct state *s = a->state;
	int had_password = s->have && s->app.has_password;
	char by[32];

	app_refresh_flow(a);
	if (load(a) != 0)
		return;
	if (status_of(a) != before || (s->have && s->app.has_password != had_password))
		app_relayout(a);
	switch (status_of(a)) {
	case CPS_APP_PENDING:
		app_message(a, 0, _("Not validated yet: the answer is expected by %s."),
			    expected(&s->app, by, sizeof(by)));
		break;
	case CPS_APP_VALIDATED:
		app_message(a, 0, "%s", _("Your account has been validated."));
		break;
	case CPS_APP_REJECTED:
		app_message(a, 0, "%s", _("Your application needs a correction: see the reason above."));
		break;
	case CPS_APP_DRAFT:
		break;
	}
}

/* The remote's sync applied decisions while the customer waits here:
 * the page reads its state again, and says so only when this customer's
 * answer was among them. */
static void remote_changed(struct app *a)
{
	enum cps_app_status before = status_of(a);
	char msg[sizeof(a->msg)];
	int msg_error = a->msg_error;

	memcpy(msg, a->msg, sizeof(msg));
	ask_again(a);
	if (status_of(a) == before) {
		memcpy(a->msg, msg, sizeof(msg));
		a->msg_error = msg_error;
	}
}

/* Next: the one step forward that the state allows. */
static void forward(struct app *a)
{
	const struct state *s = a->state;
	char by[32];

	switch (status_of(a)) {
	case CPS_APP_PENDING:
		ask_again(a);
		if (status_of(a) == CPS_APP_PENDING)
			app_message(a, 1, _("You can go on once your account is validated "
					    "(expected by %s)."),
				    expected(&s->app, by, sizeof(by)));
		break;
	case CPS_APP_REJECTED:
	case CPS_APP_DRAFT:
		app_go(a, &page_apply);
		break;
	case CPS_APP_VALIDATED:
		if (s->app.has_password)
			app_go_step(a, CPS_STEP_PRODUCTS);
		else
			app_go(a, &page_password);
		break;
	}
}

static void event(struct app *a, struct wevent ev)
{
	if (ev.what != WR_ACTIVATE)
		return;
	switch (ev.id) {
	case W_REFRESH:
		ask_again(a);
		break;
	case W_CORRECT:
	case W_CONTINUE:
		app_go(a, &page_apply);
		break;
	case W_SET_PASSWORD:
		app_go(a, &page_password);
		break;
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_NEXT) {
		forward(a);
		return 1;
	}
	return 0;
}

const struct page page_validation = {
	.name = "validation",
	.step = CPS_STEP_VALIDATION,
	.title = N_("Validation"),
	.help = N_("After you send your application, Canon validates your business account: "
		   "this takes a few working days, and this page shows when the answer is "
		   "expected. When your account is ready you get an "
		   "e-mail with a code to set your password; do not try to reset your password "
		   "before then. Refresh asks again whether the answer has come. If the "
		   "application needs a correction, the reason is shown here: correct it and "
		   "send it again; nothing you typed is lost. Once validated, set your password "
		   "and go on to register your products."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
	.remote_changed = remote_changed,
};
