/* page_submitted.c - the application was sent: when the answer is
 * expected, the resume code once more (framed, to write down), and what
 * comes next.  Done clears the screen for the next customer. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/text.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "apply.h"
#include "frame.h"
#include "pages.h"
#include "theme.h"

struct sent_state {
	struct cps_application app;
	int loaded;
};

static int sent_enter(struct app *a)
{
	struct sent_state *st = app_page_state(a, sizeof(*st));
	struct cps_error err = { 0 };

	if (!st)
		return -1;
	if (a->session.account_id && cps_application_load(a->e, a->session.account_id, &st->app, &err) == CPS_OK)
		st->loaded = 1;
	else if (a->session.account_id)
		app_message(a, 1, "%s", err.msg);
	return 0;
}

static void sent_layout(struct app *a)
{
	app_nav_buttons(a, _("Back"), _("Done"));
	struct widget *w = wform_get(&a->form, W_NAV_BACK);
	if (w)
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Back to the start page; your application stays sent."));
	w = wform_get(&a->form, W_NAV_NEXT);
	if (w) {
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Finish: the screen is cleared for the next customer."));
		wform_focus(&a->form, W_NAV_NEXT);
	}
}

static void sent_draw(struct app *a)
{
	struct sent_state *st = a->state;
	char line[1024], when[64];
	int row = 1;

	if (!st)
		return;
	snprintf(line, sizeof(line), "%s %s", a->utf8 ? "\xe2\x9c\x93" : "+",
		 _("Your application has been sent"));
	app_text(a, row, APP_COL, R_TICK, line);
	row += 2;
	if (st->loaded && st->app.submitted_at) {
		char by[32];
		int days = a->cfg ? a->cfg->validation_days : 2;
		/* both as the screen's language writes dates */
		cps_local_time_text(st->app.submitted_at, CPS_TIME_MINUTE, when, sizeof(when));
		cps_date_shown(st->app.expected_by, by, sizeof(by));
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "Your application was sent on %s; the answer is expected by %s (up to %d working day).",
			 "Your application was sent on %s; the answer is expected by %s (up to %d working days).",
			 (unsigned long)days), when, by, days);
		row = app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL, line);
	}
	row++;
	if (a->session.resume_code[0]) {
		char spaced[64], frame[128];
		size_t o = 0;
		for (const char *p = a->session.resume_code; *p && o + 3 < sizeof(spaced); p++) {
			if (p != a->session.resume_code)
				spaced[o++] = ' ';
			spaced[o++] = *p;
		}
		spaced[o] = '\0';
		int inner = (int)strlen(spaced) + 6;
		app_text(a, row, APP_COL, R_NORMAL, _("Your resume code:"));
		o = 0;
		const char *h = a->utf8 ? "\xe2\x94\x80" : "-";
		for (int i = 0; i < inner && o + 4 < sizeof(frame); i++)
			o += (size_t)snprintf(frame + o, sizeof(frame) - o, "%s", h);
		snprintf(line, sizeof(line), "%s%s%s", a->utf8 ? "\xe2\x94\x8c" : "+", frame,
			 a->utf8 ? "\xe2\x94\x90" : "+");
		app_text(a, row + 1, APP_COL, R_FRAME, line);
		const char *v = a->utf8 ? "\xe2\x94\x82" : "|";
		app_text(a, row + 2, APP_COL, R_FRAME, v);
		app_text(a, row + 2, APP_COL + 1, R_TITLE, "   ");
		app_text(a, row + 2, APP_COL + 4, R_TITLE, spaced);
		app_text(a, row + 2, APP_COL + 1 + inner, R_FRAME, v);
		snprintf(line, sizeof(line), "%s%s%s", a->utf8 ? "\xe2\x94\x94" : "+", frame,
			 a->utf8 ? "\xe2\x94\x98" : "+");
		app_text(a, row + 3, APP_COL, R_FRAME, line);
		row = app_wrap(a, row + 4, APP_COL, APP_TEXT_WIDTH, 2, R_WARN,
				_("Write this down: with it you can see your application's state later."));
		row++;
	}
	snprintf(line, sizeof(line),
		 _("When your account has been validated, you get a code to set your password: by e-mail to %s, or from staff. Do not try to reset your password before then."),
		 st->loaded && st->app.email[0] ? st->app.email : _("your address"));
	row = app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_NORMAL, line);
	row++;
	app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, APPLY_LAST_ROW - row + 1, R_HINT,
		  _("Then log in and register your Canon products in \"My products\"."));
}

static int sent_key(struct app *a, struct key_event k)
{
	if (k.cmd != CMD_BACK && k.cmd != CMD_NEXT)
		return 0;
	/* the next person at the kiosk must not find this application */
	app_new_customer(a);
	return 1;
}

const struct page page_submitted = {
	.name = "submitted",
	.step = CPS_STEP_VALIDATION,
	.title = N_("Application sent"),
	.help = N_("Your application waits for validation. Write down the resume code: with it you "
		   "can see its state later. Do not try to reset your password before the e-mail "
		   "comes. Done clears the screen for the next customer."),
	.enter = sent_enter,
	.layout = sent_layout,
	.key = sent_key,
	.draw = sent_draw,
};
