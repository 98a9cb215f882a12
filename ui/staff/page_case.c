/* page_case.c - one application in full for staff: every field, the VAT
 * number with the offline check's answer, the proof document (type, size,
 * SHA-256, or seen in person); approve, reject with a reason, or accept a
 * number whose check digit fails.  Each goes through the engine, which
 * records it in the audit log. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/flow.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "staff.h"
#include "theme.h"

enum { W_REASON = 1, W_REJECT, W_NUMBER, W_ACCEPT, W_APPROVE };
#define ACTION_ROW 11

struct state {
	struct cps_application app;
	int have;
	char check[CPS_ERROR_MAX];
};

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char norm[CPS_IDENT_MAX];

	s->have = 0;
	if (cps_application_load(a->e, a->session.account_id, &s->app, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	s->have = 1;
	if (!s->app.vat_number[0])
		snprintf(s->check, sizeof(s->check), "-");
	else if (s->app.id_override_by[0]) {
		char when[64];
		staff_time(s->app.id_override_at, when, sizeof(when));
		snprintf(s->check, sizeof(s->check), _("accepted by %s, %s"), s->app.id_override_by, when);
	} else if (cps_ident_check(s->app.country, s->app.vat_number, norm, sizeof(norm), &err) == CPS_OK)
		snprintf(s->check, sizeof(s->check), "%s", _("the check digits are right"));
	else
		snprintf(s->check, sizeof(s->check), "%s", err.msg);
	return 0;
}

static int enter(struct app *a)
{
	if (!app_page_state(a, sizeof(struct state)))
		return -1;
	app_refresh_flow(a);
	return load(a);
}

/* A label and its value in one of two columns. */
static void pair(struct app *a, int row, int right, const char *label, const char *value)
{
	int col = right ? 40 : APP_COL;

	app_fit(a, row, col, 12, R_LABEL, label);
	app_fit(a, row, col + 13, right ? 24 : 24, R_NORMAL, value && *value ? value : "-");
}

/* Beyond the application: what "cpsreg status" shows, from the flow the
 * frame keeps for the customer open (points, membership, every step). */
static void draw_state(struct app *a)
{
	const struct cps_flow *f = &a->flow;
	char line[512];

	if (f->member)
		snprintf(line, sizeof(line), _("%ld points from %d of %d products; member %s (%s)"),
			 f->points, f->products_complete, f->products_registered,
			 f->membership_number, f->level_name);
	else
		snprintf(line, sizeof(line), _("%ld points from %d of %d products; not a member yet"),
			 f->points, f->products_complete, f->products_registered);
	app_fit(a, ACTION_ROW - 1, APP_COL, APP_TEXT_WIDTH, R_NORMAL, line);
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		const struct cps_flow_step *st = &f->steps[i];
		snprintf(line, sizeof(line), "%c %-11s %-7s %s", (enum cps_step)i == f->current ? '>' : ' ',
			 cps_flow_step_label((enum cps_step)i), cps_flow_state_label(st->state),
			 st->why[0] ? st->why : st->status);
		app_fit(a, ACTION_ROW + i, APP_COL, APP_TEXT_WIDTH, R_NORMAL, line);
	}
}

static void draw(struct app *a)
{
	const struct state *s = a->state;
	const struct cps_application *p;
	char line[512], when[64], by[64];

	if (!s || !s->have)
		return;
	p = &s->app;
	pair(a, 0, 0, _("Company"), p->company);
	pair(a, 0, 1, _("Country"), p->country);
	pair(a, 1, 0, _("Street"), p->street);
	snprintf(line, sizeof(line), "%s %s", p->postcode, p->city);
	pair(a, 1, 1, _("City"), line);
	snprintf(line, sizeof(line), "%s %s", p->first_name, p->last_name);
	pair(a, 2, 0, _("Contact"), line);
	pair(a, 2, 1, _("Phone"), p->phone);
	pair(a, 3, 0, _("E-mail"), p->email);
	pair(a, 3, 1, _("Language"), p->language);
	pair(a, 4, 0, _("VAT number"), p->vat_registered == CPS_VAT_YES ? p->vat_number
		      : p->vat_registered == CPS_VAT_NO ? _("not VAT-registered") : "");
	pair(a, 4, 1, _("Old CPS"), p->old_email);
	app_fit(a, 5, APP_COL, 12, R_LABEL, _("Check"));
	app_wrap(a, 5, APP_COL + 13, APP_TEXT_WIDTH - 13, 2, R_NORMAL, s->check);
	if (p->doc.type == CPS_DOC_NONE)
		snprintf(line, sizeof(line), "%s", _("none"));
	else if (p->doc.seen_by[0])
		snprintf(line, sizeof(line), _("%s, seen in person by %s"), cps_doc_type_label(p->doc.type),
			 p->doc.seen_by);
	else
		snprintf(line, sizeof(line), _("%s, %s, %lld bytes, %s"), cps_doc_type_label(p->doc.type),
			 p->doc.mime, p->doc.size, p->doc.filename);
	app_fit(a, 7, APP_COL, 12, R_LABEL, _("Document"));
	app_fit(a, 7, APP_COL + 13, APP_TEXT_WIDTH - 13, R_NORMAL, line);
	/* the 64 hex digits whole, one column left of the others: a cut
	 * digest cannot be compared */
	app_fit(a, 8, APP_COL, 9, R_LABEL, "SHA-256");
	app_fit(a, 8, APP_COL + 10, APP_TEXT_WIDTH - 10, R_NORMAL, p->doc.sha256[0] ? p->doc.sha256 : "-");
	staff_time(p->submitted_at, when, sizeof(when));
	snprintf(line, sizeof(line), _("%s; sent %s, answer expected by %s"),
		 cps_app_status_label(p->status), when, p->expected_by[0] ? p->expected_by : "-");
	if (p->decided_at) {
		staff_time(p->decided_at, by, sizeof(by));
		size_t n = strlen(line);
		snprintf(line + n, sizeof(line) - n, _("; decided by %s, %s"), p->decided_by, by);
	}
	app_fit(a, 9, APP_COL, 12, R_LABEL, _("Status"));
	app_fit(a, 9, APP_COL + 13, APP_TEXT_WIDTH - 13, R_NORMAL, line);
	if (p->status != CPS_APP_PENDING)
		draw_state(a);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;

	if (!s || !s->have)
		return;
	if (s->app.status != CPS_APP_PENDING) {
		/* decided (or not sent yet): the state takes the room */
		app_nav_buttons(a, _("Back"), _("Customer actions"));
		return;
	}
	wform_add(f, W_BUTTON, W_APPROVE, ACTION_ROW, APP_COL, APP_COL, 20, _("Approve"),
		  _("Validate the account: a password-set code waits as a message to hand over."));
	w = wform_add(f, W_TEXT, W_REASON, ACTION_ROW + 2, APP_COL, 18, 38, _("Reason"),
		      _("Why it is rejected: the customer reads it and corrects the application."));
	w->maxlen = CPS_APP_REASON_CHARS;
	wform_add(f, W_BUTTON, W_REJECT, ACTION_ROW + 2, 58, 58, 16, _("Reject"),
		  _("Reject with the reason beside it; every field is kept for the correction."));
	w = wform_add(f, W_TEXT, W_NUMBER, ACTION_ROW + 4, APP_COL, 18, 38, _("Accept number"),
		      _("A number whose check digit fails but you checked is real: kept with your name."));
	w->maxlen = CPS_IDENT_MAX - 1;
	snprintf(w->value, sizeof(w->value), "%s", s->app.vat_number);
	wform_add(f, W_BUTTON, W_ACCEPT, ACTION_ROW + 4, 58, 58, 16, _("Accept"),
		  _("Accept the number beside it for this application."));
	app_nav_buttons(a, _("Back"), _("Customer actions"));
}

static void done(struct app *a, enum cps_err rc, const struct cps_error *err, const char *what)
{
	if (rc != CPS_OK) {
		app_message(a, 1, "%s", err->msg);
		return;
	}
	load(a);
	app_refresh_flow(a);
	app_relayout(a);
	/* the next action is chosen afresh, never a second press of this one */
	wform_focus(&a->form, wform_get(&a->form, W_APPROVE) ? W_APPROVE : W_NAV_BACK);
	app_message(a, 0, "%s", what);
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	enum cps_err rc;

	if (ev.what != WR_ACTIVATE || !s->have)
		return;
	switch (ev.id) {
	case W_APPROVE:
		rc = cps_application_approve(a->e, s->app.id, staff_actor(), NULL, 0, &err);
		done(a, rc, &err, _("Approved: the password-set code waits under Messages."));
		break;
	case W_REJECT:
		rc = cps_application_reject(a->e, s->app.id, staff_actor(),
					    wform_text(&a->form, W_REASON), &err);
		done(a, rc, &err, _("Rejected: the reason waits under Messages."));
		break;
	case W_ACCEPT:
		rc = cps_application_override_id(a->e, s->app.id, wform_text(&a->form, W_NUMBER),
						 staff_actor(), &err);
		done(a, rc, &err, _("The number is accepted for this application."));
		break;
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_BACK) {
		app_go(a, &staff_page_queue);
		return 1;
	}
	if (k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_customer);
		return 1;
	}
	return 0;
}

const struct page staff_page_case = {
	.name = "case",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: application"),
	.help = N_("One application in full. Approve validates the account and queues the "
		   "password-set code; Reject needs a reason, which the customer reads; Accept "
		   "keeps a VAT number whose check digit fails, with your name. Customer actions "
		   "(^N) has the rest: the old CPS e-mail, the proof document, new codes, export "
		   "and erase. Each is recorded in the audit log."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
