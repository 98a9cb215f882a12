/* page_payment.c - joining CPS (README, rules 8): the chosen level and its fee,
 * card or bank transfer with what each means, "Confirm and join"; then, on
 * the same page, the invoice (with a remote: that it is requested, until
 * the sync brings it with its payment link), the bank details, the new
 * membership number (and the old one, which has changed) and that the
 * membership can be used now.  A member sees the membership instead of the form.  cps_enroll()
 * decides whether joining is allowed and does it; cpsreg never asks for a
 * card number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/level.h"
#include "cpsreg/text.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

enum { W_METHOD = 1 };

enum mode {
	M_FORM,        /* choose the method and confirm */
	M_REFUSED,     /* the chosen level cannot be taken: the reason */
	M_DONE,        /* joined now, or a member already: the membership */
	M_FAILED       /* the membership could not be read */
};

#define ROW_END 18          /* the row of Back and Next */

/* What the confirmation shows, from a new enrollment or a stored
 * membership. */
struct view {
	int joined_now;
	char number[CPS_MEMBERSHIP_NUMBER_SIZE];
	char number_note[512];
	char active_note[256];
	char invoice[CPS_INVOICE_NUMBER_SIZE + 16];
	char level[CPS_LEVEL_NAME_MAX];
	char amount[CPS_MONEY_SIZE];
	char vat[CPS_MONEY_SIZE + 32];    /* "20.00 EUR (25%)", or that there is none */
	char issued[CPS_YMD_SIZE], due[CPS_YMD_SIZE];
	enum cps_payment_method method;
	char bank[1024];                  /* bank transfer: the details, lines */
	int requested;                    /* the remote's invoice has not come yet */
	char payment_note[CPS_PAYMENT_NOTE_MAX];
	char since[32];                   /* a stored membership: active since */
};

struct state {
	enum mode mode;
	const struct cps_level *level;    /* M_FORM: the chosen level */
	char fee[CPS_MONEY_SIZE * 2 + 64];  /* with and without VAT */
	char error[CPS_ERROR_MAX];        /* M_REFUSED, M_FAILED, or a refused enroll */
	struct view v;
	char lang[32];                    /* LANGUAGE when the view was made */
	const char *methods[2];
};

/* The column of the values: after the widest label of the page, in the
 * language shown. */
static int col_value(void)
{
	const char *labels[] = {
		_("New membership number"), _("Membership number"), _("Invoice"), _("Level"),
		_("Amount"), _("of which VAT"), _("Issue date"), _("Due date"), _("Payment method"),
		_("Membership level"), _("Annual fee"),
	};
	int w = 18;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return 2 + (w < 30 ? w : 30) + 2;
}

/* The bank details go right of the invoice's values. */
static int col_bank(void)
{
	int c = col_value() + 20;

	return c > 44 ? c : 44;
}

/* The VAT of an amount paid: "20.00 EUR (25%)", or that there is none. */
static void vat_text(const struct cps_fee *f, const char *currency, char *out, size_t len)
{
	char money[CPS_MONEY_SIZE], rate[16];

	if (f->vat_hundredths > 0)
		snprintf(out, len, "%s (%s)", cps_money_format(f->vat_cents, currency, money, sizeof(money)),
			 cps_percent_format(f->vat_hundredths, rate, sizeof(rate)));
	else
		snprintf(out, len, "%s", _("none"));
}

static void view_from_enrollment(struct view *v, const struct cps_enrollment *en)
{
	memset(v, 0, sizeof(*v));
	v->joined_now = 1;
	snprintf(v->number, sizeof(v->number), "%s", en->number);
	snprintf(v->number_note, sizeof(v->number_note), "%s", en->number_note);
	snprintf(v->active_note, sizeof(v->active_note), "%s", en->active_note);
	snprintf(v->invoice, sizeof(v->invoice), "%s", en->invoice_number);
	snprintf(v->level, sizeof(v->level), "%s", en->level_name);
	snprintf(v->amount, sizeof(v->amount), "%s", en->amount_text);
	vat_text(&en->fee, en->currency, v->vat, sizeof(v->vat));
	cps_date_shown(en->issued_on, v->issued, sizeof(v->issued));
	cps_date_shown(en->due_on, v->due, sizeof(v->due));
	v->method = en->method;
	v->requested = en->invoice_requested;
	if (en->method == CPS_PAY_BANK && !v->requested)
		snprintf(v->bank, sizeof(v->bank), "%s", en->bank.text);
	snprintf(v->payment_note, sizeof(v->payment_note), "%s", en->payment_note);
}

/* The same words as the engine's enrollment notes (the same msgids). */
static void view_from_membership(struct app *a, struct view *v, const struct cps_membership *m)
{
	struct cps_bank_details bank;
	struct cps_error err = { 0 };

	memset(v, 0, sizeof(*v));
	snprintf(v->number, sizeof(v->number), "%s", m->number);
	cps_membership_number_note(m->number, m->old_number, v->number_note, sizeof(v->number_note));
	snprintf(v->active_note, sizeof(v->active_note), "%s", _("Your CPS membership can be used now."));
	snprintf(v->invoice, sizeof(v->invoice), "%s", m->invoice_number);
	snprintf(v->level, sizeof(v->level), "%s", m->level_name);
	cps_money_format(m->amount_cents, m->currency, v->amount, sizeof(v->amount));
	/* the VAT as the invoice charged it */
	vat_text(&m->fee, m->currency, v->vat, sizeof(v->vat));
	cps_date_shown(m->issued_on, v->issued, sizeof(v->issued));
	cps_date_shown(m->due_on, v->due, sizeof(v->due));
	v->method = m->method;
	cps_local_time_text(m->active_from, CPS_TIME_DATE, v->since, sizeof(v->since));
	int configured = 0;
	v->requested = m->invoice_state == CPS_INVOICE_REQUESTED;
	if (m->method == CPS_PAY_BANK && !v->requested) {
		/* the remote's invoice may name its own account */
		if (cps_membership_bank_details(a->cfg, m, &bank, &err) == CPS_OK) {
			snprintf(v->bank, sizeof(v->bank), "%s", bank.text);
			configured = bank.configured;
		} else {
			snprintf(v->bank, sizeof(v->bank), "%s", err.msg);
		}
	}
	if (m->invoice_state == CPS_INVOICE_LOCAL)
		cps_payment_note(m->method, v->amount, v->due, m->reference, configured,
				 v->payment_note, sizeof(v->payment_note));
	else
		cps_payment_note_remote(m, configured, v->payment_note, sizeof(v->payment_note));
}

/* A member already: the membership; else the chosen level must be open. */
static int enter(struct app *a)
{
	struct state *st = app_page_state(a, sizeof(*st));
	struct cps_membership m;
	struct cps_error err = { 0 };
	enum cps_err rc;
	long points = 0;
	int registered = 0;

	if (!st)
		return -1;
	snprintf(st->lang, sizeof(st->lang), "%s", app_language());
	rc = cps_membership_get(a->e, a->session.account_id, &m, &err);
	if (rc == CPS_OK) {
		st->mode = M_DONE;
		view_from_membership(a, &st->v, &m);
		return 0;
	}
	if (rc != CPS_ERR_NOT_FOUND) {
		st->mode = M_FAILED;
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return 0;
	}
	if (!a->session.chosen_level[0]) {
		/* shown only until the level page opens */
		st->mode = M_REFUSED;
		snprintf(st->error, sizeof(st->error), "%s", _("Choose a membership level first."));
		app_go(a, &page_level);
		return 0;
	}
	st->level = cps_config_level(a->cfg, a->session.chosen_level);
	rc = cps_product_totals(a->e, a->session.account_id, &points, NULL, &registered, &err);
	if (rc == CPS_OK)
		rc = cps_level_can_choose(a->cfg, a->session.chosen_level,
					  points > 1000000000L ? 1000000000 : (int)points,
					  registered, &err);
	if (rc != CPS_OK || !st->level) {
		st->mode = M_REFUSED;
		snprintf(st->error, sizeof(st->error), "%s", err.msg);
		return 0;
	}
	struct cps_fee fee;
	char gross[CPS_MONEY_SIZE], net[CPS_MONEY_SIZE], rate[16];
	cps_fee_split(a->cfg, st->level->fee_cents, &fee);
	cps_money_format(fee.gross_cents, a->cfg->currency, gross, sizeof(gross));
	if (fee.vat_hundredths > 0)
		snprintf(st->fee, sizeof(st->fee), _("%s incl. %s VAT (%s excl. VAT)"), gross,
			 cps_percent_format(fee.vat_hundredths, rate, sizeof(rate)),
			 cps_money_format(fee.net_cents, a->cfg->currency, net, sizeof(net)));
	else
		snprintf(st->fee, sizeof(st->fee), _("%s, no VAT"), gross);
	return 0;
}

/* The sync stored the remote's invoice: the membership is read again, so
 * "invoice requested" becomes the invoice with its link without a key. */
static void remote_changed(struct app *a)
{
	struct state *st = a->state;
	struct cps_membership m;
	struct cps_error err = { 0 };

	if (!st || st->mode != M_DONE ||
	    cps_membership_get(a->e, a->session.account_id, &m, &err) != CPS_OK)
		return;
	view_from_membership(a, &st->v, &m);
	app_relayout(a);
	a->dirty = 1;
}

static void layout(struct app *a)
{
	struct state *st = a->state;

	if (!st)
		return;
	/* the language changed: the membership's texts again, in the new one */
	if (st->mode == M_DONE && strcmp(st->lang, app_language()) != 0) {
		struct cps_membership m;
		int now = st->v.joined_now;
		if (cps_membership_get(a->e, a->session.account_id, &m, NULL) == CPS_OK) {
			view_from_membership(a, &st->v, &m);
			st->v.joined_now = now;
		}
	}
	snprintf(st->lang, sizeof(st->lang), "%s", app_language());
	switch (st->mode) {
	case M_FORM: {
		st->methods[0] = cps_payment_method_label(CPS_PAY_CARD);
		st->methods[1] = cps_payment_method_label(CPS_PAY_BANK);
		struct widget *w = wform_add(&a->form, W_CHOICE, W_METHOD, 5, 2, col_value(), 50,
					     _("Payment method"),
					     _("Space or the arrows choose card or bank transfer."));
		if (w) {
			w->options = st->methods;
			w->noptions = 2;
		}
		app_nav_buttons(a, _("Back"), _("Confirm and join"));
		struct widget *next = wform_get(&a->form, W_NAV_NEXT);
		if (next)
			snprintf(next->hint, sizeof(next->hint), "%s",
				 a->cfg->remote_url && a->cfg->remote_url[0]
				 ? _("Joins CPS at this level: the invoice is requested (^N).")
				 : _("Joins CPS at this level: the invoice is issued (^N)."));
		break;
	}
	case M_REFUSED:
		app_nav_buttons(a, _("Back"), _("Choose a level"));
		break;
	case M_DONE:
	case M_FAILED:
		app_nav_buttons(a, _("Back"), _("Done"));
		struct widget *done = wform_get(&a->form, W_NAV_NEXT);
		if (done)
			snprintf(done->hint, sizeof(done->hint), "%s",
				 _("Finishes: logs you out and goes back to the welcome page (^N)."));
		wform_focus(&a->form, W_NAV_NEXT);
		break;
	}
}

static void draw_form(struct app *a, struct state *st)
{
	struct widget *w = wform_get(&a->form, W_METHOD);
	int sel = w ? w->selected : -1, row = 2, days = a->cfg->invoice_due_days;
	char clean[CPS_LEVEL_NAME_MAX], line[1024];
	int remote = a->cfg->remote_url && a->cfg->remote_url[0];

	row = page_pair(a, row, 2, _("Membership level"), col_value(), R_TITLE,
			sanitize_line(st->level->name, clean, sizeof(clean)));
	row = page_pair(a, row, 2, _("Annual fee"), col_value(), R_NORMAL, st->fee);
	row = 7;
	/* with a remote, its invoice brings the page where the card is given
	 * and names the account and the reference */
	unsigned long n = (unsigned long)(days > 0 ? days : 0);
	if (sel != CPS_PAY_BANK) {
		snprintf(line, sizeof(line), remote
			 ? dngettext(CPS_TEXTDOMAIN,
				     "Card: the fee is not charged now but on the due date on the invoice, %d day after it is issued. The invoice comes with a link to the page where you give the card; a card number is never typed in here.",
				     "Card: the fee is not charged now but on the due date on the invoice, %d days after it is issued. The invoice comes with a link to the page where you give the card; a card number is never typed in here.",
				     n)
			 : dngettext(CPS_TEXTDOMAIN,
				     "Card: the fee is not charged now but on the due date on the invoice, %d day after it is issued. Before then, staff tell you how to give the card; a card number is never typed in here.",
				     "Card: the fee is not charged now but on the due date on the invoice, %d days after it is issued. Before then, staff tell you how to give the card; a card number is never typed in here.",
				     n), days);
		row = app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - 1 - row,
			       sel == CPS_PAY_CARD ? R_NORMAL : R_HINT, line);
	}
	if (sel != CPS_PAY_CARD) {
		snprintf(line, sizeof(line), remote
			 ? dngettext(CPS_TEXTDOMAIN,
				     "Bank transfer: pay the fee by the due date on the invoice, %d day after it is issued, to the bank details and with the payment reference on it. Local bank charges may apply.",
				     "Bank transfer: pay the fee by the due date on the invoice, %d days after it is issued, to the bank details and with the payment reference on it. Local bank charges may apply.",
				     n)
			 : dngettext(CPS_TEXTDOMAIN,
				     "Bank transfer: pay the fee by the due date on the invoice, %d day after it is issued, to the bank details and with the payment reference shown. Local bank charges may apply.",
				     "Bank transfer: pay the fee by the due date on the invoice, %d days after it is issued, to the bank details and with the payment reference shown. Local bank charges may apply.",
				     n), days);
		row = app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - 1 - row,
			       sel == CPS_PAY_BANK ? R_NORMAL : R_HINT, line);
	}
	row++;
	if (st->error[0]) {
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - 1 - row, R_ERROR, st->error);
		return;
	}
	row = app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - 1 - row, R_NORMAL,
			      remote
			      ? _("When you confirm, the invoice is requested: it comes within a few hours (by e-mail, or from staff).")
			      : _("When you confirm, the invoice is issued: it is shown here and sent to you by e-mail."));
	app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - 1 - row, R_NORMAL,
		       _("Your CPS membership can be used immediately."));
}

/* The bank details ("Label: value" lines) right of the invoice; a line
 * too long for the column puts its value under the label.  Returns the
 * next free row; with a NULL app it only counts. */
static int draw_bank(struct app *a, int row, const char *text)
{
	char clean[1024], *save = NULL;
	int width = APP_TEXT_WIDTH + 2 - col_bank();

	sanitize_text(text, clean, sizeof(clean));
	for (char *line = strtok_r(clean, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(line, ": ");
		if (app_wrap_count(line, width) == 1 || !colon) {
			row = app_wrap(a, row, col_bank(), width, ROW_END - row, R_NORMAL, line);
			continue;
		}
		colon[1] = '\0';
		row = app_wrap(a, row, col_bank(), width, ROW_END - row, R_LABEL, line);
		row = app_wrap(a, row, col_bank() + 2, width - 2, ROW_END - row, R_NORMAL,
				      colon + 2);
	}
	return row;
}

static void draw_done(struct app *a, struct state *st)
{
	const struct view *v = &st->v;
	int row = 0, left, right;
	int note = app_wrap_count(v->number_note, APP_TEXT_WIDTH);
	int pay = app_wrap_count(v->payment_note, APP_TEXT_WIDTH);
	int bank = v->method == CPS_PAY_BANK && !v->requested ? draw_bank(NULL, 0, v->bank) : 1;
	/* title, number, note, active, blank, 7 fields, blank, payment note */
	int need = 2 + note + 1 + 1 + (bank > 7 ? bank : 7) + 1 + pay;
	int gap = need < ROW_END ? 1 : 0;      /* a blank row under the title when it fits */
	char line[256];

	app_text(a, row++, 2, R_TITLE,
		 v->joined_now ? _("Welcome to CPS: you are a member now") : _("Your CPS membership"));
	row += gap;
	row = page_pair(a, row, 2, v->joined_now ? _("New membership number") : _("Membership number"),
			col_value(), R_TITLE, v->number);
	row = app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - row, R_WARN, v->number_note);
	app_text(a, row++, 2, R_TICK, v->active_note);
	row++;

	left = row;
	if (v->requested) {
		/* no invoice yet: nothing of one is shown, only that it comes */
		left = page_pair(a, left, 2, _("Invoice"), col_value(), R_TITLE,
				 /* short: the note below says when it comes */
				 _("requested"));
		left = page_pair(a, left, 2, _("Level"), col_value(), R_NORMAL, v->level);
		left = page_pair(a, left, 2, _("Payment method"), col_value(), R_NORMAL,
				 cps_payment_method_label(v->method));
		right = row;
		if (!v->joined_now && v->since[0]) {
			snprintf(line, sizeof(line), _("Active since %s"), v->since);
			app_text(a, right++, col_bank(), R_NORMAL, line);
		}
		row = (left > right ? left : right) + 1;
		app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - row, R_NORMAL, v->payment_note);
		return;
	}
	struct { const char *label, *value; } f[] = {
		{ _("Invoice"), v->invoice },
		{ _("Level"), v->level },
		{ _("Amount"), v->amount },
		{ _("of which VAT"), v->vat },
		{ _("Issue date"), v->issued },
		{ _("Due date"), v->due },
		{ _("Payment method"), cps_payment_method_label(v->method) },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		left = page_pair(a, left, 2, f[i].label, col_value(), i == 5 ? R_TITLE : R_NORMAL,
				 f[i].value);
	right = row;
	if (v->method == CPS_PAY_BANK)
		right = draw_bank(a, row, v->bank);
	else if (!v->joined_now && v->since[0]) {
		snprintf(line, sizeof(line), _("Active since %s"), v->since);
		app_text(a, right++, col_bank(), R_NORMAL, line);
	}
	row = (left > right ? left : right) + 1;
	app_wrap(a, row, 2, APP_TEXT_WIDTH, ROW_END - row, R_NORMAL, v->payment_note);
}

static void draw(struct app *a)
{
	struct state *st = a->state;

	if (!st)
		return;
	switch (st->mode) {
	case M_FORM:
		app_text(a, 0, 2, R_TITLE, _("Join CPS: how to pay"));
		if (st->level)
			draw_form(a, st);
		break;
	case M_REFUSED:
		app_text(a, 0, 2, R_TITLE, _("Payment"));
		app_wrap(a, 2, 2, APP_TEXT_WIDTH, ROW_END - 3, R_ERROR, st->error);
		app_wrap(a, 5, 2, APP_TEXT_WIDTH, ROW_END - 6, R_NORMAL,
			       _("Choose one of the levels that are open to you."));
		break;
	case M_FAILED:
		app_text(a, 0, 2, R_TITLE, _("Your CPS membership"));
		app_wrap(a, 2, 2, APP_TEXT_WIDTH, ROW_END - 3, R_ERROR, st->error);
		break;
	case M_DONE:
		draw_done(a, st);
		break;
	}
}

static void confirm(struct app *a, struct state *st)
{
	struct widget *w = wform_get(&a->form, W_METHOD);
	struct cps_enrollment en;
	struct cps_membership m;
	struct cps_error err = { 0 };

	if (!w || w->selected < 0) {
		if (w) {
			snprintf(w->error, sizeof(w->error), "%s",
				 _("Choose how to pay: card or bank transfer."));
			wform_focus(&a->form, W_METHOD);
		}
		app_message(a, 1, "%s", _("Choose how to pay first."));
		return;
	}
	st->error[0] = '\0';
	if (cps_enroll(a->e, a->session.account_id, a->session.chosen_level,
		       w->selected == 1 ? CPS_PAY_BANK : CPS_PAY_CARD, &en, &err) != CPS_OK) {
		/* joined meanwhile (another kiosk): show that membership */
		if (cps_membership_get(a->e, a->session.account_id, &m, NULL) == CPS_OK) {
			st->mode = M_DONE;
			view_from_membership(a, &st->v, &m);
			app_relayout(a);
		} else {
			snprintf(st->error, sizeof(st->error), "%s", err.msg);
		}
		app_message(a, 1, "%s", _("You have not joined: the reason is shown on the page."));
		app_refresh_flow(a);
		return;
	}
	view_from_enrollment(&st->v, &en);
	st->mode = M_DONE;
	a->session.chosen_level[0] = '\0';
	app_refresh_flow(a);
	app_relayout(a);
	app_message(a, 0, "%s", en.invoice_requested
		    ? _("Welcome to CPS. The invoice is requested: it comes within a few hours.")
		    : _("Welcome to CPS. The invoice will also come to your e-mail address."));
}

static void event(struct app *a, struct wevent ev)
{
	struct widget *w;

	if (ev.what == WR_CHANGED && ev.id == W_METHOD) {
		w = wform_get(&a->form, W_METHOD);
		if (w)
			w->error[0] = '\0';
	}
}

static int key(struct app *a, struct key_event k)
{
	struct state *st = a->state;

	if (k.cmd != CMD_NEXT || !st)
		return 0;
	switch (st->mode) {
	case M_FORM:
		confirm(a, st);
		break;
	case M_REFUSED:
		app_go(a, &page_level);
		break;
	case M_DONE:
	case M_FAILED:
		/* the customer is finished: the whole session is wiped, not
		 * only who it was, and the screen cleared for the next one */
		app_new_customer(a);
		break;
	}
	return 1;
}

const struct page page_payment = {
	.name = "payment",
	.step = CPS_STEP_PAYMENT,
	.title = N_("Payment"),
	.help = N_("Choose how to pay the annual fee of the level you chose: by card or by bank "
		   "transfer. An invoice is issued with a due date (from CPS's own system it comes "
		   "within a few hours). By card, the fee is not charged now but on the due date; the "
		   "card is given on the payment page linked from the invoice, or where there is no "
		   "such link staff tell you how (a card number is never typed in here). By bank "
		   "transfer, pay by "
		   "the due date with the payment reference; local bank charges may apply.\n\n"
		   "Your CPS membership can be used immediately, with a new membership number; if "
		   "you had one before, it has changed. Done logs you out."),
	.enter = enter,
	.layout = layout,
	.remote_changed = remote_changed,
	.event = event,
	.key = key,
	.draw = draw,
};
