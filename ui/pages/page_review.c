/* page_review.c - the whole application before it is sent: what still
 * needs attention is listed, each with a Correct button that opens the
 * form at that field; Send is possible once nothing is listed.  The engine
 * says what is missing (cps_application_validate). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "apply.h"
#include "frame.h"
#include "pages.h"
#include "theme.h"

enum { W_CORRECT = 200 };   /* + the problem's index */

#define REVIEW_PROBLEM_ROW 13
#define REVIEW_PROBLEM_ROWS 5

struct review_state {
	struct cps_application app;
	struct cps_app_problems probs;
	int shown;          /* problems with a Correct button */
	int lang;           /* the language the problems are in, +1 */
};

static void review_load(struct app *a)
{
	struct review_state *st = a->state;
	struct cps_error err = { 0 };

	memset(&st->app, 0, sizeof(st->app));
	st->app.vat_registered = CPS_VAT_UNANSWERED;
	if (a->session.account_id && cps_application_load(a->e, a->session.account_id, &st->app, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	cps_application_validate(a->e, &st->app, &st->probs, &err);
	/* a value the engine refused is kept as typed: the review shows it
	 * where the value goes, and names it with why it was refused */
	struct cps_app_typed *typed = calloc(1, sizeof(*typed));
	if (typed && a->session.account_id &&
	    cps_application_typed(a->e, a->session.account_id, typed, &err) == CPS_OK) {
		for (size_t i = 0; i < st->probs.n; i++) {
			enum cps_app_field f = st->probs.v[i].field;
			char msg[sizeof(st->probs.v[i].msg)], shown[128];
			if (!typed->text[f][0])
				continue;
			app_cut(typed->text[f], 30, shown, sizeof(shown));
			snprintf(msg, sizeof(msg), "\"%s\": %s", shown, st->probs.v[i].msg);
			snprintf(st->probs.v[i].msg, sizeof(st->probs.v[i].msg), "%s", msg);
		}
		for (int f = 0; f < CPS_FIELD_COUNT; f++) {
			size_t size;
			char *v = typed->text[f][0] && f != CPS_FIELD_COUNTRY
				? apply_field_buf(&st->app, (enum cps_app_field)f, &size) : NULL;
			if (v && strlen(typed->text[f]) < size)
				snprintf(v, size, "%s", typed->text[f]);
			else if (v)   /* the row shows no more anyway */
				app_cut(typed->text[f], (int)size / 4, v, size);
		}
	}
	free(typed);
	st->shown = (int)st->probs.n;
	if (st->shown > REVIEW_PROBLEM_ROWS)
		st->shown = REVIEW_PROBLEM_ROWS - 1;
}

static int review_enter(struct app *a)
{
	struct review_state *st = app_page_state(a, sizeof(*st));

	if (!st)
		return -1;
	return 0;   /* review_layout loads it */
}

static int correct_col(void)
{
	char b[160];

	snprintf(b, sizeof(b), "< %s >", _("Correct"));
	return APP_COL + text_width(b) + 1;
}

static void review_layout(struct app *a)
{
	struct review_state *st = a->state;

	if (!st)
		return;
	if (st->lang != app_language_current() + 1)
		review_load(a);   /* after ^T: the problems in the new language */
	st->lang = app_language_current() + 1;
	for (int i = 0; i < st->shown; i++) {
		char hint[256];
		app_cut(st->probs.v[i].msg, 78, hint, sizeof(hint));
		wform_add(&a->form, W_BUTTON, W_CORRECT + i, REVIEW_PROBLEM_ROW + i, APP_COL, APP_COL,
			  correct_col() - APP_COL - 1, _("Correct"), hint);
	}
	app_nav_buttons(a, _("Back"), _("Send application"));
	struct widget *send = wform_get(&a->form, W_NAV_NEXT);
	if (send && st->probs.n) {
		send->disabled = 1;
		snprintf(send->hint, sizeof(send->hint), "%s",
			 _("The application can be sent once nothing is listed as needing attention."));
	} else if (send) {
		snprintf(send->hint, sizeof(send->hint), "%s",
			 _("Send the application to Canon for validation (^N)."));
		wform_focus(&a->form, W_NAV_NEXT);
	}
}

static int has_problem(const struct review_state *st, enum cps_app_field f)
{
	for (size_t i = 0; i < st->probs.n; i++)
		if (st->probs.v[i].field == f)
			return 1;
	return 0;
}

/* One "label value" pair at col; the label red when one of its fields has
 * a problem; an empty value reads "not given". */
static void review_pair(struct app *a, int row, int col, int lw, int vw, const char *label,
			const char *value, int bad)
{
	app_fit(a, row, col, lw, bad ? R_ERROR : R_LABEL, label);
	if (value && value[0])
		app_fit(a, row, col + lw + 1, vw, R_NORMAL, value);
	else
		app_fit(a, row, col + lw + 1, vw, bad ? R_ERROR : R_STEP_CLOSED, _("not given"));
}

static void review_draw(struct app *a)
{
	struct review_state *st = a->state;
	const struct cps_application *p;
	char v[1024], w2[512];
	int r = 3;
	const int lw = APP_LABEL_WIDTH, vw = 80 - APP_FIELD_COL - 2;   /* full rows */
	const int hv = 15, hl2 = 20, c2 = 42;                 /* half rows */

	if (!st)
		return;
	p = &st->app;
	apply_code_line(a);
	app_text(a, 1, APP_COL, R_TITLE, _("Check your application, then send it"));

	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_COMPANY), p->company,
		    has_problem(st, CPS_FIELD_COMPANY));
	v[0] = '\0';
	snprintf(w2, sizeof(w2), "%s%s%s", p->postcode, p->postcode[0] && p->city[0] ? " " : "", p->city);
	const char *parts[3] = { p->street, w2, p->country[0] ? apply_country_name(a, p->country) : "" };
	for (int i = 0; i < 3; i++) {
		if (!parts[i][0])
			continue;
		size_t n = strlen(v);
		snprintf(v + n, sizeof(v) - n, "%s%s", n ? ", " : "", parts[i]);
	}
	review_pair(a, r++, APP_COL, lw, vw, _("Address"), v,
		    has_problem(st, CPS_FIELD_STREET) || has_problem(st, CPS_FIELD_POSTCODE) ||
		    has_problem(st, CPS_FIELD_CITY) || has_problem(st, CPS_FIELD_COUNTRY));
	snprintf(v, sizeof(v), "%s%s%s", p->first_name, p->first_name[0] && p->last_name[0] ? " " : "",
		 p->last_name);
	review_pair(a, r++, APP_COL, lw, vw, _("Contact person"), v,
		    has_problem(st, CPS_FIELD_FIRST_NAME) || has_problem(st, CPS_FIELD_LAST_NAME));
	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_EMAIL), p->email,
		    has_problem(st, CPS_FIELD_EMAIL));
	review_pair(a, r, APP_COL, lw, hv, cps_app_field_label(CPS_FIELD_PHONE), p->phone,
		    has_problem(st, CPS_FIELD_PHONE));
	int li = p->language[0] ? app_language_find(p->language) : -1;
	const char *lang = li >= 0 ? app_language_names[li] : "";
	review_pair(a, r++, c2, hl2, 80 - c2 - hl2 - 3, _("Language"), lang,
		    has_problem(st, CPS_FIELD_LANGUAGE));
	review_pair(a, r++, APP_COL, lw, vw, _("Old CPS e-mail"), p->old_email,
		    has_problem(st, CPS_FIELD_OLD_EMAIL));
	/* the yes or no is short, and the number's name may be long ("VAT
	 * number (partita IVA)"): the number follows the answer closely */
	int yn = text_width(_("Yes"));
	if (text_width(_("No")) > yn)
		yn = text_width(_("No"));
	if (text_width(_("not given")) > yn)
		yn = text_width(_("not given"));
	review_pair(a, r, APP_COL, lw, yn, cps_app_field_label(CPS_FIELD_VAT_REGISTERED),
		    p->vat_registered == CPS_VAT_YES ? _("Yes") : p->vat_registered == CPS_VAT_NO ? _("No") : "",
		    has_problem(st, CPS_FIELD_VAT_REGISTERED));
	if (p->vat_registered == CPS_VAT_YES) {
		char label[128];
		const int cv = APP_COL + lw + 1 + yn + 2;
		int lv;

		apply_ident_label(p->country, label, sizeof(label));
		/* the whole name, leaving the number room for its usual longest
		 * forms ("NO988077917MVA", a 12-digit UK branch number) */
		lv = text_width(label) + 1;
		if (lv > 80 - cv - 3 - 15)
			lv = 80 - cv - 3 - 15;
		review_pair(a, r, cv, lv, 80 - cv - lv - 3, label, p->vat_number,
			    has_problem(st, CPS_FIELD_VAT_NUMBER));
	}
	r++;
	if (p->doc.type == CPS_DOC_NONE)
		v[0] = '\0';
	else if (p->doc.seen_by[0])
		snprintf(v, sizeof(v), _("%s, shown on paper to staff"), cps_doc_type_label(p->doc.type));
	else
		/* the file first: a long kind of document is what the cut takes */
		snprintf(v, sizeof(v), "%s (%s)", p->doc.filename, cps_doc_type_label(p->doc.type));
	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_DOCUMENT), v,
		    has_problem(st, CPS_FIELD_DOCUMENT));
	review_pair(a, r++, APP_COL, lw, vw, _("Authorised"),
		    p->authorised ? _("Yes, I am authorised to provide this information") : "",
		    has_problem(st, CPS_FIELD_AUTHORISED));

	if (st->probs.n == 0) {
		snprintf(v, sizeof(v), "%s %s", a->utf8 ? "\xe2\x9c\x93" : "+",
			 _("Everything needed is there. If all is right, choose \"Send application\"."));
		app_wrap(a, r, APP_COL, APP_TEXT_WIDTH, 2, R_TICK, v);
		return;
	}
	snprintf(v, sizeof(v), dngettext(CPS_TEXTDOMAIN,
		 "%d thing needs attention before the application can be sent:",
		 "%d things need attention before the application can be sent:",
		 (unsigned long)st->probs.n), (int)st->probs.n);
	app_text(a, r, APP_COL, R_ERROR, v);
	int col = correct_col();
	for (int i = 0; i < st->shown; i++) {
		const char *label = cps_app_field_label(st->probs.v[i].field);
		int row = REVIEW_PROBLEM_ROW + i;
		char cut[512];
		app_cut(label, 78 - col, cut, sizeof(cut));
		app_text(a, row, col, R_ERROR, cut);
		int x = col + text_width(cut) + 2;
		if (x < 76) {
			app_cut(st->probs.v[i].msg, 78 - x, cut, sizeof(cut));
			app_text(a, row, x, R_NORMAL, cut);
		}
	}
	if ((size_t)st->shown < st->probs.n) {
		snprintf(v, sizeof(v), dngettext(CPS_TEXTDOMAIN,
			 "... and %d more: correct these first, then come back here.",
			 "... and %d more: correct these first, then come back here.",
			 (unsigned long)(st->probs.n - (size_t)st->shown)),
			 (int)(st->probs.n - (size_t)st->shown));
		app_text(a, REVIEW_PROBLEM_ROW + st->shown, col, R_HINT, v);
	}
}

static void review_event(struct app *a, struct wevent ev)
{
	struct review_state *st = a->state;

	if (!st || ev.what != WR_ACTIVATE)
		return;
	if (ev.id >= W_CORRECT && ev.id < W_CORRECT + st->shown) {
		a->session.goto_field = (int)st->probs.v[ev.id - W_CORRECT].field;
		app_go(a, &page_apply);
	}
}

static int review_key(struct app *a, struct key_event k)
{
	struct review_state *st = a->state;
	struct cps_error err = { 0 };

	if (!st)
		return 0;
	if (k.cmd == CMD_BACK) {
		a->session.goto_screen = APPLY_SCREENS - 1;
		app_go(a, &page_apply);
		return 1;
	}
	if (k.cmd != CMD_NEXT)
		return 0;
	if (st->probs.n) {
		app_message(a, 1, "%s", _("Please correct what is listed first: choose Correct beside it."));
		return 1;
	}
	if (cps_application_submit(a->e, a->session.account_id, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		review_load(a);
		app_relayout(a);
		return 1;
	}
	app_go(a, &page_submitted);
	return 1;
}

const struct page page_review = {
	.name = "review",
	.step = CPS_STEP_ACCOUNT,
	.title = N_("Check and send"),
	.help = N_("Your whole application before it is sent. What still needs attention is listed "
		   "in red: Correct takes you to it. When nothing is listed, \"Send application\" "
		   "sends it to Canon for validation."),
	.enter = review_enter,
	.layout = review_layout,
	.event = review_event,
	.key = review_key,
	.draw = review_draw,
};
