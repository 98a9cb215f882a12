/* invoice.c - the remote's invoice for a membership: read strictly from
 * what the remote sends, stored on the requested invoice, and the invoice
 * e-mail composed then (see include/cpsreg/invoice.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/membership.h"
#include "cpsreg/text.h"
#include "engine_private.h"
#include "invoice_private.h"
#include "store_membership.h"

/* Every refusal reads the same way: where in the answer, and what. */
static enum cps_err refuse(struct cps_error *err, const char *where, const char *field,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum cps_err refuse(struct cps_error *err, const char *where, const char *field,
			   const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cps_error_set(err, CPS_ERR_INVALID,
			     _("the remote's answer is refused and nothing of it is stored: %s%s%s: %s"),
			     where, *field ? "." : "", field, why);
}

/* A string member: 0 and *out when it is there and a string, 1 when it
 * is absent (or null), -1 (err set) when it is of another type. */
static int get_string(json_t *o, const char *key, const char *where, const char **out,
		      enum cps_err *rc, struct cps_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_string(v)) {
		*rc = refuse(err, where, key, "%s", _("not a string"));
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* Text the customer reads (a reference, a name): valid UTF-8, no control
 * character, fits. */
static int plain_text(const char *s, size_t room)
{
	size_t n = strlen(s);

	return n < room && cps_utf8_valid(s, n) && cps_text_find_control(s, n, NULL) == n;
}

static int invoice_number_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CPS_REMOTE_INVOICE_NUMBER_MAX)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("./_-", *s))
			return 0;
	return 1;
}

/* https:// and a host, printable ASCII without spaces, quotes or angle
 * brackets: an address that can stand in an e-mail and on the screen as
 * it is. */
static int link_ok(const char *s, char *why, size_t len)
{
	size_t n = strlen(s);

	if (strncmp(s, "https://", 8) != 0 || n == 8 || s[8] == '/') {
		snprintf(why, len, "%s", _("not an https:// address"));
		return 0;
	}
	if (n > CPS_PAYMENT_LINK_MAX) {
		snprintf(why, len, _("longer than %d characters"), CPS_PAYMENT_LINK_MAX);
		return 0;
	}
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("\"'<>\\`", *s)) {
			snprintf(why, len, "%s",
				 _("holds a space, a quote, an angle bracket or a character that is not ASCII"));
			return 0;
		}
	return 1;
}

static int date_ok(const char *s, struct cps_ymd *d)
{
	return strlen(s) == 10 && cps_ymd_parse(s, d, NULL) == CPS_OK;
}

/* Copies text (checked as plain text already) in NFC into out (len
 * bytes); 0 when the normal form does not fit. */
static int nfc_copy(const char *text, char *out, size_t len)
{
	size_t n = strlen(text);
	char *tmp = malloc(CPS_TEXT_NFC_SIZE(n));
	size_t m;

	if (!tmp)
		return 0;
	m = cps_text_nfc(text, n, tmp);
	if (m >= len) {
		free(tmp);
		return 0;
	}
	memcpy(out, tmp, m + 1);
	free(tmp);
	return 1;
}

static enum cps_err read_bank(json_t *b, const char *where, struct cps_remote_invoice *out,
			      struct cps_error *err)
{
	enum cps_err rc = CPS_OK;
	const char *iban, *bic, *ref, *holder;
	char at[160], why[256];
	int r;

	snprintf(at, sizeof(at), "%s.bank", where);
	if (!json_is_object(b))
		return refuse(err, where, "bank", "%s", _("not an object"));
	if ((r = get_string(b, "iban", at, &iban, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, at, "iban", "%s", _("missing"));
	if (!*iban || strlen(iban) >= sizeof(out->bank_iban)
	    || cps_config_check_iban(iban, why, sizeof(why)) != 0) {
		if (!*iban || strlen(iban) >= sizeof(out->bank_iban))
			snprintf(why, sizeof(why), "%s", _("an IBAN has 15 to 34 letters and digits"));
		return refuse(err, at, "iban", "%s", why);
	}
	if (get_string(b, "bic", at, &bic, &rc, err) < 0 ||
	    get_string(b, "reference", at, &ref, &rc, err) < 0 ||
	    get_string(b, "account_holder", at, &holder, &rc, err) < 0)
		return rc;
	if (bic && (strlen(bic) >= sizeof(out->bank_bic) || cps_config_check_bic(bic, why, sizeof(why)) != 0)) {
		if (strlen(bic) >= sizeof(out->bank_bic))
			snprintf(why, sizeof(why), "%s",
				 _("a BIC has 8 or 11 characters: 6 capital letters, then letters or digits"));
		return refuse(err, at, "bic", "%s", why);
	}
	if (ref && !plain_text(ref, sizeof(out->bank_reference)))
		return refuse(err, at, "reference", _("longer than %d bytes, not UTF-8, or holds a control character"),
			      (int)sizeof(out->bank_reference) - 1);
	if (holder && !plain_text(holder, sizeof(out->bank_holder)))
		return refuse(err, at, "account_holder", _("longer than %d bytes, not UTF-8, or holds a control character"),
			      (int)sizeof(out->bank_holder) - 1);
	snprintf(out->bank_iban, sizeof(out->bank_iban), "%s", iban);
	snprintf(out->bank_bic, sizeof(out->bank_bic), "%s", bic ? bic : "");
	/* stored text is NFC, whoever wrote it (README, rules 2.1) */
	if (!nfc_copy(ref ? ref : "", out->bank_reference, sizeof(out->bank_reference)))
		return refuse(err, at, "reference", _("longer than %d bytes, not UTF-8, or holds a control character"),
			      (int)sizeof(out->bank_reference) - 1);
	if (!nfc_copy(holder ? holder : "", out->bank_holder, sizeof(out->bank_holder)))
		return refuse(err, at, "account_holder", _("longer than %d bytes, not UTF-8, or holds a control character"),
			      (int)sizeof(out->bank_holder) - 1);
	return CPS_OK;
}

static enum cps_err read_invoice(json_t *j, const char *where, struct cps_remote_invoice *out,
				 struct cps_error *err)
{
	enum cps_err rc = CPS_OK;
	const char *number, *currency, *issued, *due, *link;
	struct cps_ymd di, dd;
	json_t *v;
	char why[256];
	int r;

	if (!json_is_object(j))
		return refuse(err, where, "", "%s", _("not an object"));
	v = json_object_get(j, "account_id");
	if (!v)
		return refuse(err, where, "account_id", "%s", _("missing"));
	if (!json_is_integer(v))
		return refuse(err, where, "account_id", "%s", _("not a whole number"));
	if (json_integer_value(v) <= 0)
		return refuse(err, where, "account_id", "%s", _("not an account number (1 or more)"));
	out->account_id = (long long)json_integer_value(v);

	if ((r = get_string(j, "number", where, &number, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, where, "number", "%s", _("missing"));
	if (!invoice_number_ok(number))
		return refuse(err, where, "number", _("not an invoice number (1 to %d letters, digits and . / _ -)"),
			      CPS_REMOTE_INVOICE_NUMBER_MAX);
	snprintf(out->number, sizeof(out->number), "%s", number);

	v = json_object_get(j, "amount_cents");
	if (!v)
		return refuse(err, where, "amount_cents", "%s", _("missing"));
	if (!json_is_integer(v))
		return refuse(err, where, "amount_cents", "%s", _("not a whole number"));
	if (json_integer_value(v) < 0 || json_integer_value(v) > CPS_REMOTE_AMOUNT_MAX)
		return refuse(err, where, "amount_cents", _("out of range (0 to %ld)"),
			      CPS_REMOTE_AMOUNT_MAX);
	out->amount_cents = (long)json_integer_value(v);

	if ((r = get_string(j, "currency", where, &currency, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, where, "currency", "%s", _("missing"));
	if (strlen(currency) != 3 || !isupper((unsigned char)currency[0]) ||
	    !isupper((unsigned char)currency[1]) || !isupper((unsigned char)currency[2]))
		return refuse(err, where, "currency", "%s", _("not three capital letters (EUR)"));
	snprintf(out->currency, sizeof(out->currency), "%s", currency);

	if ((r = get_string(j, "issued_on", where, &issued, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, where, "issued_on", "%s", _("missing"));
	if (!date_ok(issued, &di))
		return refuse(err, where, "issued_on", "%s", _("not a date (YYYY-MM-DD)"));
	if ((r = get_string(j, "due_on", where, &due, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, where, "due_on", "%s", _("missing"));
	if (!date_ok(due, &dd))
		return refuse(err, where, "due_on", "%s", _("not a date (YYYY-MM-DD)"));
	if (cps_ymd_cmp(dd, di) < 0)
		return refuse(err, where, "due_on", "%s", _("before issued_on"));
	snprintf(out->issued_on, sizeof(out->issued_on), "%s", issued);
	snprintf(out->due_on, sizeof(out->due_on), "%s", due);

	if (get_string(j, "payment_link", where, &link, &rc, err) < 0)
		return rc;
	if (link && !link_ok(link, why, sizeof(why)))
		return refuse(err, where, "payment_link", "%s", why);
	snprintf(out->payment_link, sizeof(out->payment_link), "%s", link ? link : "");

	v = json_object_get(j, "bank");
	if (v && !json_is_null(v))
		return read_bank(v, where, out, err);
	return CPS_OK;
}

enum cps_err cps_invoice_from_json(json_t *j, const char *where,
				   struct cps_remote_invoice *out, struct cps_error *err)
{
	enum cps_err rc;

	memset(out, 0, sizeof(*out));
	rc = read_invoice(j, where, out, err);
	if (rc != CPS_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

enum cps_err cps_invoice_parse(const char *text, size_t len, const char *where,
			       struct cps_remote_invoice *out, struct cps_error *err)
{
	json_error_t je;
	json_t *j = json_loadb(text ? text : "", text ? len : 0, 0, &je);
	enum cps_err rc;

	memset(out, 0, sizeof(*out));
	if (!j) {
		char what[200];
		cps_text_quote(je.text, what, sizeof(what), CPS_TEXT_LINE);
		return refuse(err, where, "", _("not JSON (line %d, column %d: %s)"), je.line,
			      je.column, what);
	}
	rc = cps_invoice_from_json(j, where, out, err);
	json_decref(j);
	return rc;
}

/* Stores one checked invoice, inside the caller's transaction. */
static enum cps_err store(struct cps_engine *e, const struct cps_remote_invoice *inv,
			  const char *where, int *applied, struct cps_error *err)
{
	struct cps_store_invoice_row row;
	struct cps_application a;
	struct cps_error e2 = { 0 };
	struct cps_bank_details cfgbank;
	long long owner = 0;
	enum cps_err rc;

	*applied = 0;
	rc = cps_application_load(e, inv->account_id, &a, &e2);
	if (rc == CPS_ERR_NOT_FOUND) {
		/* a customer erased here before the invoice came: nothing of
		 * them is stored again, and the feed goes on */
		int erased = 0;
		rc = cps_store_account_erased(e->store, inv->account_id, &erased, err);
		if (rc != CPS_OK || erased)
			return rc;
		return refuse(err, where, "account_id", _("there is no account %lld at this shop"),
			      inv->account_id);
	}
	if (rc == CPS_OK)
		rc = cps_store_invoice_of(e->store, inv->account_id, &row, &e2);
	if (rc == CPS_ERR_NOT_FOUND)
		return refuse(err, where, "account_id", _("account %lld has not joined CPS at this shop"),
			      inv->account_id);
	if (rc == CPS_OK)
		rc = cps_store_invoice_remote_owner(e->store, inv->number, &owner, &e2);
	if (rc != CPS_OK) {
		if (err)
			*err = e2;
		return rc;
	}
	if (strcmp(row.state, "received") == 0) {
		/* the same invoice again (a page fetched twice, an answer
		 * replayed): nothing to do */
		if (strcmp(row.remote_number, inv->number) == 0)
			return CPS_OK;
		return refuse(err, where, "number", _("account %lld already has the remote's invoice %s"),
			      inv->account_id, row.remote_number);
	}
	if (strcmp(row.state, "requested") != 0)
		return refuse(err, where, "account_id",
			      _("account %lld's invoice %s was issued by the shop, not asked of the remote"),
			      inv->account_id, row.number);
	if (owner != 0 && owner != inv->account_id)
		return refuse(err, where, "number", _("%s is the invoice of another account (%lld)"),
			      inv->number, owner);
	/* by card the customer gives the card on the remote's page: an
	 * invoice without it would leave them nowhere to pay */
	if (strcmp(row.method, "card") == 0 && !inv->payment_link[0])
		return refuse(err, where, "payment_link", "%s",
			      _("missing; the customer pays by card and needs the link"));
	/* without a reference of its own, the configured one for the
	 * remote's number (the shop's request number is not on the invoice) */
	const char *reference = inv->bank_reference;
	if (!*reference) {
		rc = cps_payment_bank_details(e->cfg, inv->number, &cfgbank, err);
		if (rc != CPS_OK)
			return rc;
		reference = cfgbank.reference;
	}
	struct cps_store_received rec = {
		.number = inv->number, .amount_cents = inv->amount_cents,
		.currency = inv->currency, .issued_on = inv->issued_on, .due_on = inv->due_on,
		.payment_link = inv->payment_link, .bank_holder = inv->bank_holder,
		.bank_iban = inv->bank_iban, .bank_bic = inv->bank_bic,
		.bank_reference = reference,
	};
	rc = cps_store_invoice_receive(e->store, row.id, &rec, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = cps_payment_invoice_message(e, inv->account_id, err);
	if (rc == CPS_OK)
		*applied = 1;
	return rc;
}

enum cps_err cps_invoice_receive(struct cps_engine *e, const struct cps_remote_invoice *inv,
				 int *applied, struct cps_error *err)
{
	enum cps_err rc = cps_store_begin(e->store, err);

	*applied = 0;
	if (rc != CPS_OK)
		return rc;
	rc = store(e, inv, "invoice", applied, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		*applied = 0;
	}
	return rc;
}

/* The remote's membership number for the account, checked; "" in out
 * when the answer has none. */
static enum cps_err read_number(json_t *answer, const char *where, char *out, size_t len,
				struct cps_error *err)
{
	enum cps_err rc = CPS_OK;
	const char *n;

	out[0] = '\0';
	if (get_string(answer, "membership_number", where, &n, &rc, err) < 0)
		return rc;
	if (n && cps_membership_number_normalise(n, out, len, NULL) != CPS_OK) {
		out[0] = '\0';
		return refuse(err, where, "membership_number", "%s",
			      _("not a CPS membership number (CPS- and 9 digits with its check digit)"));
	}
	return CPS_OK;
}

static enum cps_err store_number(struct cps_engine *e, long long account_id, const char *number,
				 const char *where, struct cps_error *err)
{
	long long owner = 0;
	enum cps_err rc = cps_store_membership_number_owner(e->store, number, &owner, err);

	if (rc != CPS_OK || owner == account_id)
		return rc;
	if (owner != 0)
		return refuse(err, where, "membership_number",
			      _("%s is the membership number of another account (%lld)"), number, owner);
	/* the remote's number wins (README, "The remote"): it is unique
	 * across every shop, the shop's own only here */
	return cps_store_membership_number_set(e->store, account_id, number, err);
}

enum cps_err cps_invoice_enrolled(struct cps_engine *e, long long account_id, json_t *answer,
				  int *applied, struct cps_error *err)
{
	static const char where[] = "POST /v1/enrollments";
	struct cps_remote_invoice inv;
	struct cps_store_invoice_row row;
	struct cps_error e2 = { 0 };
	char number[CPS_MEMBERSHIP_NUMBER_SIZE];
	json_t *j = json_object_get(answer, "invoice");
	int has_invoice = j && !json_is_null(j);
	enum cps_err rc;

	*applied = 0;
	/* all of it is read before anything is stored */
	rc = read_number(answer, where, number, sizeof(number), err);
	if (rc == CPS_OK && has_invoice) {
		char at[64];
		snprintf(at, sizeof(at), "%s invoice", where);
		rc = cps_invoice_from_json(j, at, &inv, err);
		if (rc == CPS_OK && inv.account_id != account_id)
			rc = refuse(err, at, "account_id", _("%lld, but the enrollment was account %lld's"),
				    inv.account_id, account_id);
	}
	if (rc != CPS_OK || (!number[0] && !has_invoice))
		return rc;
	/* the customer was erased here since: nothing of them is stored */
	int erased = 0;
	rc = cps_store_account_erased(e->store, account_id, &erased, err);
	if (rc != CPS_OK || erased)
		return rc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	if (number[0]) {
		rc = cps_store_invoice_of(e->store, account_id, &row, &e2);
		if (rc == CPS_ERR_NOT_FOUND)
			rc = refuse(err, where, "membership_number",
				    _("account %lld has not joined CPS at this shop"), account_id);
		else if (rc != CPS_OK && err)
			*err = e2;
		if (rc == CPS_OK)
			rc = store_number(e, account_id, number, where, err);
	}
	if (rc == CPS_OK && has_invoice) {
		char at[64];
		snprintf(at, sizeof(at), "%s invoice", where);
		rc = store(e, &inv, at, applied, err);
	}
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		*applied = 0;
	}
	return rc;
}

enum cps_err cps_invoice_page(struct cps_engine *e, json_t *answer, const char *cursor_key,
			      char *cursor, size_t cursor_len, int *applied, int *more,
			      struct cps_error *err)
{
	static const char where[] = "GET /v1/invoices";
	json_t *list = json_object_get(answer, "invoices"), *item;
	json_t *jnext = json_object_get(answer, "next");
	struct cps_remote_invoice *inv = NULL;
	const char *next;
	size_t i, n;
	enum cps_err rc = CPS_OK;

	*applied = 0;
	*more = 0;
	if (!list)
		return refuse(err, where, "invoices", "%s", _("missing"));
	if (!json_is_array(list))
		return refuse(err, where, "invoices", "%s", _("not an array"));
	if (!jnext)
		return refuse(err, where, "next", "%s", _("missing"));
	if (!json_is_string(jnext))
		return refuse(err, where, "next", "%s", _("not a string"));
	next = json_string_value(jnext);
	if (strlen(next) >= cursor_len || strlen(next) >= CPS_STORE_META_MAX ||
	    cps_text_find_control(next, strlen(next), NULL) != strlen(next))
		return refuse(err, where, "next", _("longer than %d bytes or holds a control character"),
			      (int)(cursor_len < CPS_STORE_META_MAX ? cursor_len : CPS_STORE_META_MAX) - 1);
	n = json_array_size(list);
	if (n > 0) {
		inv = calloc(n, sizeof(*inv));
		if (!inv)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	json_array_foreach(list, i, item) {
		char at[64];
		snprintf(at, sizeof(at), "%s invoices[%zu]", where, i);
		rc = cps_invoice_from_json(item, at, &inv[i], err);
		if (rc != CPS_OK)
			break;
	}
	if (rc == CPS_OK)
		rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK) {
		free(inv);
		return rc;
	}
	for (i = 0; rc == CPS_OK && i < n; i++) {
		char at[64];
		int one = 0;
		snprintf(at, sizeof(at), "%s invoices[%zu]", where, i);
		rc = store(e, &inv[i], at, &one, err);
		*applied += one;
	}
	if (rc == CPS_OK && strcmp(next, cursor) != 0)
		rc = cps_store_meta_set(e->store, cursor_key, next, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	free(inv);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		*applied = 0;
		return rc;
	}
	*more = n > 0 && strcmp(next, cursor) != 0;
	snprintf(cursor, cursor_len, "%s", next);
	return CPS_OK;
}
