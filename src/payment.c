/* payment.c - joining CPS: the checks before enrolling, the invoice, the
 * invoice e-mail, the membership and its number (see
 * include/cpsreg/payment.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/text.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "engine_private.h"
#include "invoice_private.h"
#include "outbox.h"
#include "store_membership.h"
#include "store_migration.h"

#define PROGRAMME "Canon Professional Services (CPS)"

const char *cps_payment_method_id(enum cps_payment_method method)
{
	switch (method) {
	case CPS_PAY_CARD:
		return "card";
	case CPS_PAY_BANK:
		return "bank";
	}
	return "";
}

const char *cps_payment_method_label(enum cps_payment_method method)
{
	switch (method) {
	case CPS_PAY_CARD:
		return _("Card");
	case CPS_PAY_BANK:
		return _("Bank transfer");
	}
	return "";
}

enum cps_err cps_payment_method_parse(const char *id,
				      enum cps_payment_method *out)
{
	char low[8];
	size_t n = 0;

	for (const char *p = id ? id : ""; *p && n < sizeof(low) - 1; p++)
		low[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
	low[n] = '\0';
	if (id && strlen(id) == n) {
		if (strcmp(low, "card") == 0) {
			*out = CPS_PAY_CARD;
			return CPS_OK;
		}
		if (strcmp(low, "bank") == 0) {
			*out = CPS_PAY_BANK;
			return CPS_OK;
		}
	}
	return CPS_ERR_INVALID;
}

/* Appends to buf (len bytes); text that does not fit is left out whole. */
static void add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	int w;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= len - n)
		buf[n] = '\0';
}

/* --- the checks ------------------------------------------------------- */

static enum cps_err may_enroll(const struct cps_application *a,
			       struct cps_error *err)
{
	if (a->status != CPS_APP_VALIDATED)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
			_("Your business account is not validated yet, so you cannot join CPS yet. Once it is, you get a code to set your password (by e-mail, or from staff)."));
	if (!a->has_password)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
			_("Set your password first, with the code from the e-mail you got when your account was validated; then you can join CPS."));
	return CPS_OK;
}

static enum cps_err already_member(struct cps_engine *e, long long account_id,
				   struct cps_error *err)
{
	struct cps_membership m;
	char since[32], due[32];
	enum cps_err rc = cps_store_membership_get(e->store, account_id, &m, err);

	if (rc == CPS_ERR_NOT_FOUND)
		return CPS_OK;
	if (rc != CPS_OK)
		return rc;
	cps_local_time_text(m.active_from, CPS_TIME_DATE, since, sizeof(since));
	if (m.invoice_state == CPS_INVOICE_REQUESTED)
		return cps_error_set(err, CPS_ERR_STATE,
			_("You are a CPS member already: membership number %s, level %s, since %s (the invoice is requested)."),
			m.number, m.level_name, since);
	return cps_error_set(err, CPS_ERR_STATE,
		_("You are a CPS member already: membership number %s, level %s, since %s (invoice %s, due on %s)."),
		m.number, m.level_name, since, m.invoice_number,
		cps_date_shown(m.due_on, due, sizeof(due)));
}

/* The points and products, and whether the level is open to them. */
static enum cps_err level_open(struct cps_engine *e, long long account_id,
			       const char *level_id, struct cps_error *err)
{
	long points = 0;
	int registered = 0;
	enum cps_err rc = cps_product_totals(e, account_id, &points, NULL,
					     &registered, err);

	if (rc != CPS_OK)
		return rc;
	if (points > INT_MAX)
		points = INT_MAX;
	return cps_level_can_choose(e->cfg, level_id, (int)points, registered, err);
}

/* --- what the customer reads ------------------------------------------ */

void cps_payment_note(enum cps_payment_method method, const char *amount_text,
		      const char *due_on, const char *reference, int bank_configured,
		      char *out, size_t len)
{
	char due[32];

	/* the date as the reader's language writes it */
	due_on = cps_date_shown(due_on, due, sizeof(due));
	if (method == CPS_PAY_CARD) {
		snprintf(out, len,
			 _("You pay by card: the fee of %s is not charged now but on the due date, %s. Staff will tell you how to give the card before then; a card number is never typed in here."),
			 amount_text, due_on);
	} else if (!bank_configured) {
		snprintf(out, len,
			 _("You pay by bank transfer: please pay %s by the due date, %s, with the payment reference %s, to the bank details staff give you (they are not set up here yet). Local bank charges may apply."),
			 amount_text, due_on, reference && *reference ? reference : "-");
	} else if (reference && *reference) {
		snprintf(out, len,
			 _("You pay by bank transfer: please pay %s by the due date, %s, to the bank details shown, with the payment reference %s. Local bank charges may apply."),
			 amount_text, due_on, reference);
	} else {
		snprintf(out, len,
			 _("You pay by bank transfer: please pay %s by the due date, %s, to the bank details shown. Local bank charges may apply."),
			 amount_text, due_on);
	}
}

void cps_payment_note_remote(const struct cps_membership *m, int bank_configured,
			     char *out, size_t len)
{
	char due[32], amount[CPS_MONEY_SIZE];

	if (m->invoice_state == CPS_INVOICE_REQUESTED) {
		snprintf(out, len, "%s %s",
			 _("Invoice requested: it comes within a few hours (by e-mail, or from staff)."),
			 m->method == CPS_PAY_CARD
			 ? _("By card: the link to the page where you give your card comes with the invoice, and the fee is charged on its due date, not now; a card number is never typed in here.")
			 : _("By bank transfer: pay by the due date on the invoice, to the bank details and with the payment reference on it. Local bank charges may apply."));
		return;
	}
	cps_money_format(m->amount_cents, m->currency, amount, sizeof(amount));
	if (m->method == CPS_PAY_CARD && m->payment_link[0]) {
		snprintf(out, len,
			 _("You pay by card: give your card at %s by the due date, %s. The fee of %s is charged on the due date, not now; a card number is never typed in here."),
			 m->payment_link, cps_date_shown(m->due_on, due, sizeof(due)), amount);
		return;
	}
	cps_payment_note(m->method, amount, m->due_on, m->reference, bank_configured, out, len);
}

void cps_membership_number_note(const char *number, const char *old_number,
				char *out, size_t len)
{
	out[0] = '\0';
	if (old_number && *old_number)
		snprintf(out, len,
			 _("Your CPS membership number has changed: your new number is %s (your old number was %s)."),
			 number, old_number);
}

/* The invoice e-mail in the language gettext is set to; link is the
 * remote's card payment page or NULL.  Inside the transaction. */
static enum cps_err compose_invoice(struct cps_engine *e, const struct cps_application *a,
				 const struct cps_enrollment *r, const char *link,
				 struct cps_error *err)
{
	char subject[256], body[4096] = "", issued[32], due[32];

	snprintf(subject, sizeof(subject), _("%s: invoice %s for your %s membership"),
		 PROGRAMME, r->invoice_number, r->level_name);
	add(body, sizeof(body), _("Hello %s %s,\n\nthank you for joining %s. Your membership can be used now.\n\n"),
	    a->first_name, a->last_name, PROGRAMME);
	add(body, sizeof(body), _("Invoice number: %s\n"), r->invoice_number);
	add(body, sizeof(body), _("Membership level: %s\n"), r->level_name);
	add(body, sizeof(body), _("Amount: %s\n"), r->amount_text);
	if (r->fee.vat_hundredths > 0) {
		char net[CPS_MONEY_SIZE], vat[CPS_MONEY_SIZE], rate[16];
		add(body, sizeof(body), _("  of which VAT (%s): %s\n"),
		    cps_percent_format(r->fee.vat_hundredths, rate, sizeof(rate)),
		    cps_money_format(r->fee.vat_cents, r->currency, vat, sizeof(vat)));
		add(body, sizeof(body), _("  amount excluding VAT: %s\n"),
		    cps_money_format(r->fee.net_cents, r->currency, net, sizeof(net)));
	} else {
		add(body, sizeof(body), "%s", _("  no VAT is charged\n"));
	}
	add(body, sizeof(body), _("Issue date: %s\n"), cps_date_shown(r->issued_on, issued, sizeof(issued)));
	add(body, sizeof(body), _("Due date: %s\n"), cps_date_shown(r->due_on, due, sizeof(due)));
	add(body, sizeof(body), _("Payment method: %s\n"), cps_payment_method_label(r->method));
	add(body, sizeof(body), _("Membership number: %s\n"), r->number);
	if (r->number_changed)
		add(body, sizeof(body), _("Your CPS membership number has changed; your old number was %s.\n"),
		    r->old_number);
	add(body, sizeof(body), "\n");
	if (r->method == CPS_PAY_CARD && link && *link) {
		add(body, sizeof(body),
		    _("You chose to pay by card. Pay by card at %s by the due date, %s: the fee is charged on the due date, not before. We never ask for a card number by e-mail.\n"),
		    link, due);
	} else if (r->method == CPS_PAY_CARD) {
		add(body, sizeof(body),
		    _("You chose to pay by card. The fee is not charged now but on the due date, %s. Before then, staff will tell you how to give the card. We never ask for a card number by e-mail.\n"),
		    due);
	} else {
		if (r->bank.reference[0])
			add(body, sizeof(body),
			    _("You chose to pay by bank transfer. Please pay %s by the due date, %s, with the payment reference %s. Local bank charges may apply.\n\n"),
			    r->amount_text, due, r->bank.reference);
		else
			add(body, sizeof(body),
			    _("You chose to pay by bank transfer. Please pay %s by the due date, %s. Local bank charges may apply.\n\n"),
			    r->amount_text, due);
		add(body, sizeof(body), "%s", r->bank.text);
	}
	return cps_message_queue(e, a->id, "invoice", a->email, subject, body, err);
}

/* The invoice e-mail in the customer's preferred language, whatever the
 * screen shows: the bank details' labels are written again in it. */
static enum cps_err send_invoice(struct cps_engine *e, const struct cps_application *a,
				 const struct cps_enrollment *r, struct cps_error *err)
{
	struct cps_enrollment mail = *r;
	struct cps_lang_saved ls;
	enum cps_err rc = CPS_OK;

	cps_lang_push(a->language, &ls);
	cps_money_format(r->amount_cents, r->currency, mail.amount_text, sizeof(mail.amount_text));
	if (r->method == CPS_PAY_BANK)
		rc = cps_payment_bank_details(e->cfg, r->invoice_number, &mail.bank, err);
	if (rc == CPS_OK)
		rc = compose_invoice(e, a, &mail, NULL, err);
	cps_lang_pop(&ls);
	return rc;
}

enum cps_err cps_payment_invoice_message(struct cps_engine *e, long long account_id,
					 struct cps_error *err)
{
	struct cps_application a;
	struct cps_membership m;
	struct cps_enrollment r;
	struct cps_lang_saved ls;
	enum cps_err rc = cps_application_load(e, account_id, &a, err);

	if (rc == CPS_OK)
		rc = cps_membership_get(e, account_id, &m, err);
	if (rc != CPS_OK)
		return rc;
	memset(&r, 0, sizeof(r));
	snprintf(r.invoice_number, sizeof(r.invoice_number), "%s", m.invoice_number);
	snprintf(r.level_id, sizeof(r.level_id), "%s", m.level_id);
	snprintf(r.level_name, sizeof(r.level_name), "%s", m.level_name);
	r.amount_cents = m.amount_cents;
	r.fee = m.fee;
	snprintf(r.currency, sizeof(r.currency), "%s", m.currency);
	snprintf(r.issued_on, sizeof(r.issued_on), "%s", m.issued_on);
	snprintf(r.due_on, sizeof(r.due_on), "%s", m.due_on);
	r.method = m.method;
	snprintf(r.number, sizeof(r.number), "%s", m.number);
	snprintf(r.old_number, sizeof(r.old_number), "%s", m.old_number);
	r.number_changed = m.old_number[0] != '\0';
	cps_lang_push(a.language, &ls);
	cps_money_format(r.amount_cents, r.currency, r.amount_text, sizeof(r.amount_text));
	if (r.method == CPS_PAY_BANK)
		rc = cps_membership_bank_details(e->cfg, &m, &r.bank, err);
	if (rc == CPS_OK)
		rc = compose_invoice(e, &a, &r, m.payment_link, err);
	cps_lang_pop(&ls);
	return rc;
}

static json_t *enrollment_payload(const struct cps_enrollment *r,
				  const char *reference)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:b}",
			 "invoice_number", r->invoice_number,
			 "level_id", r->level_id,
			 "level_name", r->level_name,
			 "amount_cents", (json_int_t)r->amount_cents,
			 "currency", r->currency,
			 "method", cps_payment_method_id(r->method),
			 "issued_on", r->issued_on,
			 "due_on", r->due_on,
			 "reference", reference,
			 "membership_number", r->number,
			 "old_number", r->old_number[0] ? r->old_number : NULL,
			 "active_from", (json_int_t)r->active_from,
			 /* true: the remote is asked to make the invoice */
			 "invoice_requested", r->invoice_requested);
}

/* --- enrolling -------------------------------------------------------- */

/* Everything of the enrollment inside the open transaction. */
static enum cps_err enroll(struct cps_engine *e, long long account_id,
			   const char *level_id, enum cps_payment_method method,
			   struct cps_enrollment *r, struct cps_error *err)
{
	const struct cps_config *cfg = e->cfg;
	const struct cps_level *level;
	struct cps_application a;
	struct cps_bank_details bank;
	struct cps_ymd today;
	time_t now = cps_engine_now(e);
	long long invoice_id = 0;
	/* with a remote, the invoice is the remote's (README, rules 8) */
	int remote = cfg->remote_url && *cfg->remote_url;
	enum cps_err rc;

	rc = cps_application_load(e, account_id, &a, err);
	if (rc == CPS_OK)
		rc = may_enroll(&a, err);
	if (rc == CPS_OK)
		rc = already_member(e, account_id, err);
	if (rc == CPS_OK)
		rc = level_open(e, account_id, level_id, err);
	if (rc != CPS_OK)
		return rc;
	level = cps_config_level(cfg, level_id);
	if (!level)
		return cps_error_set(err, CPS_ERR_NOT_FOUND,
			_("There is no membership level \"%s\". Choose one of the levels shown."),
			level_id);
	if (cps_ymd_from_time(now, &today) != CPS_OK)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("The clock of this computer is wrong, so no invoice can be dated. Please ask staff for help."));

	/* the invoice */
	snprintf(r->level_id, sizeof(r->level_id), "%s", level->id);
	snprintf(r->level_name, sizeof(r->level_name), "%s", level->name);
	cps_fee_split(cfg, level->fee_cents, &r->fee);
	r->amount_cents = r->fee.gross_cents;
	snprintf(r->currency, sizeof(r->currency), "%s", cfg->currency ? cfg->currency : "");
	cps_money_format(r->amount_cents, r->currency, r->amount_text, sizeof(r->amount_text));
	r->method = method;
	cps_ymd_format(today, r->issued_on);
	cps_ymd_format(cps_ymd_add(today, cfg->invoice_due_days), r->due_on);
	rc = cps_invoice_number_next(e, today.y, r->invoice_number,
				     sizeof(r->invoice_number), err);
	if (rc == CPS_OK)
		rc = cps_payment_bank_details(cfg, r->invoice_number, &bank, err);
	if (rc != CPS_OK)
		return rc;
	if (method == CPS_PAY_BANK)
		r->bank = bank;
	struct cps_store_invoice inv = {
		.number = r->invoice_number,
		.level_id = r->level_id,
		.level_name = r->level_name,
		.amount_cents = r->amount_cents,
		.currency = r->currency,
		.method = cps_payment_method_id(method),
		.reference = bank.reference,
		.issued_on = r->issued_on,
		.due_on = r->due_on,
		.vat_cents = r->fee.vat_cents,
		.vat_hundredths = r->fee.vat_hundredths,
		.requested = remote,
	};
	r->invoice_requested = remote;
	rc = cps_store_invoice_insert(e->store, account_id, &inv, now, &invoice_id, err);

	/* the membership */
	if (rc == CPS_OK)
		rc = cps_membership_number_new(e, r->number, sizeof(r->number), err);
	if (rc == CPS_OK)
		rc = cps_store_migration_old_number(e->store, account_id, r->old_number,
						    sizeof(r->old_number), err);
	if (rc != CPS_OK)
		return rc;
	r->number_changed = r->old_number[0] != '\0';
	r->active_from = now;
	rc = cps_store_membership_insert(e->store, account_id, r->number, r->old_number,
					 r->level_id, r->level_name, invoice_id, now, err);

	/* the notes first: the e-mail says the same */
	if (remote) {
		struct cps_membership req = { .method = r->method,
					      .invoice_state = CPS_INVOICE_REQUESTED };
		cps_payment_note_remote(&req, 0, r->payment_note, sizeof(r->payment_note));
	} else {
		cps_payment_note(r->method, r->amount_text, r->due_on, r->bank.reference,
				 r->method == CPS_PAY_BANK && r->bank.configured,
				 r->payment_note, sizeof(r->payment_note));
	}
	snprintf(r->active_note, sizeof(r->active_note), "%s",
		 _("Your CPS membership can be used now."));
	cps_membership_number_note(r->number, r->old_number, r->number_note, sizeof(r->number_note));
	/* with a remote, the e-mail waits for the remote's invoice */
	if (rc == CPS_OK && !remote)
		rc = send_invoice(e, &a, r, err);
	if (rc == CPS_OK) {
		json_t *o = enrollment_payload(r, bank.reference);
		rc = o ? cps_outbox_add(e, "enrollment", account_id, o, err)
		       : cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	return rc;
}

enum cps_err cps_enroll(struct cps_engine *e, long long account_id,
			const char *level_id, enum cps_payment_method method,
			struct cps_enrollment *result, struct cps_error *err)
{
	enum cps_err rc;

	memset(result, 0, sizeof(*result));
	if (method != CPS_PAY_CARD && method != CPS_PAY_BANK)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Choose how to pay: by card or by bank transfer."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	/* the checks run inside the write transaction, so that two kiosks
	 * cannot both enroll the same account */
	rc = enroll(e, account_id, level_id ? level_id : "", method, result, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	if (rc != CPS_OK)
		memset(result, 0, sizeof(*result));
	return rc;
}

enum cps_err cps_membership_get(struct cps_engine *e, long long account_id,
				struct cps_membership *m, struct cps_error *err)
{
	enum cps_err rc = cps_store_membership_get(e->store, account_id, m, err);

	/* only an invoice older than the stored VAT: the best guess left */
	if (rc == CPS_OK && !m->fee_stored)
		cps_fee_of_gross(e->cfg, m->amount_cents, &m->fee);
	if (rc == CPS_ERR_NOT_FOUND)
		return cps_error_set(err, rc, "%s", _("You are not a CPS member yet."));
	return rc;
}
