/* test_invoice.c - the remote's invoice: an enrollment at a shop with a
 * remote asks for it (requested, no e-mail yet, the membership usable at
 * once); the Invoice object read strictly (a good one, then each field
 * wrong in turn, named in the refusal); stored on the requested invoice
 * with its e-mail (the card's payment link, the invoice's bank details),
 * once only; the answer to an enrollment with the remote's membership
 * number; refusals that store nothing.  The sync against the test peer
 * is tests/cli/test_invoice_sync.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cpsreg/account.h"
#include "cpsreg/invoice.h"
#include "cpsreg/message.h"
#include "cpsreg/payment.h"
#include "cpsreg/privacy.h"
#include "cpsreg/product.h"
#include "../../src/engine_private.h"
#include "../../src/invoice_private.h"
#include "../../src/store_membership.h"
#include "testutil.h"

#define NOW ((time_t)1790000000)        /* Monday 2026-09-21 in Copenhagen */
#define PASSWORD "Lukket vindue 42 i Aarhus"

#define assert_msg(text, word) do { \
	if (!strstr((text), (word))) \
		fail_msg("\"%s\" lacks \"%s\"", (text), (word)); \
} while (0)

static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static int count_msg(const struct cps_message *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static int messages(struct tu_engine *t)
{
	struct cps_error err = { 0 };
	int n = 0;

	assert_int_equal(cps_messages_pending(t->e, NULL, count_msg, &n, &err), CPS_OK);
	return n;
}

/* A shop with a remote and a customer (English messages) who has joined
 * CPS at Silver paying by method: the invoice is requested. */
static long long member(struct tu_engine *t, enum cps_payment_method method,
			struct cps_enrollment *r)
{
	struct cps_application a;
	struct cps_error err = { 0 };

	tu_engine_new(t, NOW);
	set(&t->cfg->remote_url, "https://cps.example.com");
	tu_fill_dk(&a);
	snprintf(a.language, sizeof(a.language), "en");
	long long id = tu_account(t, &a, 2, PASSWORD);
	struct cps_product_draft d = {
		.catalog_id = tu_model(t, "EOS R6 Mark II"), .serial = "7000000001",
		.purchase_date = "2024-03", .purchase_country = "DK", .dealer = "Foto Rasmussen",
	};
	if (cps_product_add(t->e, id, &d, NULL, NULL, &err) != CPS_OK)
		fail_msg("product: %s", err.msg);
	if (cps_enroll(t->e, id, "silver", method, r, &err) != CPS_OK)
		fail_msg("enroll: %s", err.msg);
	return id;
}

/* An invoice of the remote for account id, as JSON text. */
static void invoice_json(char *buf, size_t len, long long id, const char *extra)
{
	snprintf(buf, len,
		 "{\"account_id\": %lld, \"number\": \"R-2026-77\", \"amount_cents\": 12500,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-22\", \"due_on\": \"2026-10-22\""
		 "%s%s}", id, extra && *extra ? ", " : "", extra ? extra : "");
}

static void parse_ok(const char *text, struct cps_remote_invoice *inv)
{
	struct cps_error err = { 0 };

	if (cps_invoice_parse(text, strlen(text), "invoice", inv, &err) != CPS_OK)
		fail_msg("%s: %s", text, err.msg);
}

/* --- asking for it -------------------------------------------------------- */

static void test_enrollment_requests_the_invoice(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	char kind[32], payload[4096];

	(void)state;
	long long a = member(&t, CPS_PAY_CARD, &r);
	assert_true(r.invoice_requested);
	/* usable at once, with its number */
	assert_int_equal(strlen(r.number), CPS_MEMBERSHIP_NUMBER_LEN);
	assert_msg(r.payment_note, "Invoice requested: it comes within a few hours (by e-mail, or from staff).");
	assert_msg(r.payment_note, "the link to the page where you give your card comes with the invoice");
	assert_null(strstr(r.payment_note, "https://"));
	/* no e-mail until the remote's invoice comes */
	assert_int_equal(messages(&t), 0);
	tu_last_outbox(&t, kind, sizeof(kind), payload, sizeof(payload));
	assert_string_equal(kind, "enrollment");
	assert_msg(payload, "\"invoice_requested\":true");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.invoice_state, CPS_INVOICE_REQUESTED);
	assert_string_equal(m.number, r.number);
	assert_string_equal(m.payment_link, "");
	/* joining again says so without an invoice number it does not have */
	assert_int_equal(cps_enroll(t.e, a, "silver", CPS_PAY_CARD, &r, &err), CPS_ERR_STATE);
	assert_msg(err.msg, "the invoice is requested");
	assert_null(strstr(err.msg, "INV-"));
	tu_engine_free(&t);
}

static void test_without_remote_nothing_changes(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	struct cps_application a;

	(void)state;
	tu_engine_new(&t, NOW);
	tu_fill_dk(&a);
	snprintf(a.language, sizeof(a.language), "en");
	long long id = tu_account(&t, &a, 2, PASSWORD);
	struct cps_product_draft d = {
		.catalog_id = tu_model(&t, "EOS R6 Mark II"), .serial = "7000000001",
		.purchase_date = "2024-03", .purchase_country = "DK", .dealer = "Foto Rasmussen",
	};
	assert_int_equal(cps_product_add(t.e, id, &d, NULL, NULL, &err), CPS_OK);
	assert_int_equal(cps_enroll(t.e, id, "silver", CPS_PAY_CARD, &r, &err), CPS_OK);
	assert_false(r.invoice_requested);
	assert_string_equal(r.invoice_number, "INV-2026-000001");
	assert_int_equal(messages(&t), 1);
	assert_int_equal(cps_membership_get(t.e, id, &m, &err), CPS_OK);
	assert_int_equal(m.invoice_state, CPS_INVOICE_LOCAL);
	/* the shop's own invoice is not the remote's to replace */
	char text[512];
	int applied = 1;
	struct cps_remote_invoice inv;
	invoice_json(text, sizeof(text), id, "\"payment_link\": \"https://pay.example.com/1\"");
	parse_ok(text, &inv);
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "account_id");
	assert_msg(err.msg, "issued by the shop");
	assert_int_equal(applied, 0);
	tu_engine_free(&t);
}

/* --- reading it ------------------------------------------------------------ */

static void test_parse_good(void **state)
{
	struct cps_remote_invoice inv;
	char text[1024];

	(void)state;
	invoice_json(text, sizeof(text), 7,
		     "\"payment_link\": \"https://pay.example.com/i/R-2026-77?x=1\", \"unknown\": [1],"
		     " \"bank\": {\"iban\": \"NL91 ABNA 0417 1643 00\", \"bic\": \"ABNANL2A\","
		     " \"reference\": \"CPS R-2026-77\", \"account_holder\": \"Canon Europa N.V.\"}");
	parse_ok(text, &inv);
	assert_int_equal(inv.account_id, 7);
	assert_string_equal(inv.number, "R-2026-77");
	assert_int_equal(inv.amount_cents, 12500);
	assert_string_equal(inv.currency, "EUR");
	assert_string_equal(inv.issued_on, "2026-09-22");
	assert_string_equal(inv.due_on, "2026-10-22");
	assert_string_equal(inv.payment_link, "https://pay.example.com/i/R-2026-77?x=1");
	assert_string_equal(inv.bank_iban, "NL91 ABNA 0417 1643 00");
	assert_string_equal(inv.bank_bic, "ABNANL2A");
	assert_string_equal(inv.bank_reference, "CPS R-2026-77");
	assert_string_equal(inv.bank_holder, "Canon Europa N.V.");
	/* the least it may be: no link, no bank */
	invoice_json(text, sizeof(text), 7, NULL);
	parse_ok(text, &inv);
	assert_string_equal(inv.payment_link, "");
	assert_string_equal(inv.bank_iban, "");
}

static void test_parse_each_bad_field(void **state)
{
	static const struct {
		const char *json, *field, *why;
	} bad[] = {
		{ "[1, 2]", "invoice:", "not an object" },
		{ "{\"number\": \"R-1\"", "invoice:", "not JSON" },
		{ "{\"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\","
		  " \"issued_on\": \"2026-09-22\", \"due_on\": \"2026-10-22\"}", "account_id", "missing" },
		{ "{\"account_id\": \"7\"}", "account_id", "not a whole number" },
		{ "{\"account_id\": 7.5}", "account_id", "not a whole number" },
		{ "{\"account_id\": 0}", "account_id", "not an account number" },
		{ "{\"account_id\": 7}", "number", "missing" },
		{ "{\"account_id\": 7, \"number\": 77}", "number", "not a string" },
		{ "{\"account_id\": 7, \"number\": \"\"}", "number", "not an invoice number" },
		{ "{\"account_id\": 7, \"number\": \"R 77\"}", "number", "not an invoice number" },
		{ "{\"account_id\": 7, \"number\": \"R-0123456789012345678901234567890\"}", "number", "not an invoice number" },
		{ "{\"account_id\": 7, \"number\": \"R-1\"}", "amount_cents", "missing" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": \"100\"}", "amount_cents", "not a whole number" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 100.5}", "amount_cents", "not a whole number" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": -1}", "amount_cents", "out of range" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 100000001}", "amount_cents", "out of range" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1}", "currency", "missing" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"eur\"}", "currency", "three capital letters" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EURO\"}", "currency", "three capital letters" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\"}", "issued_on", "missing" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\","
		  " \"issued_on\": \"22.09.2026\"}", "issued_on", "not a date" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\","
		  " \"issued_on\": \"2026-09-22\"}", "due_on", "missing" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\","
		  " \"issued_on\": \"2026-09-22\", \"due_on\": \"2026-02-30\"}", "due_on", "not a date" },
		{ "{\"account_id\": 7, \"number\": \"R-1\", \"amount_cents\": 1, \"currency\": \"EUR\","
		  " \"issued_on\": \"2026-09-22\", \"due_on\": \"2026-09-21\"}", "due_on", "before issued_on" },
	};
	static const struct {
		const char *extra, *field, *why;
	} bad_extra[] = {
		{ "\"payment_link\": 5", "payment_link", "not a string" },
		{ "\"payment_link\": \"http://pay.example.com/1\"", "payment_link", "not an https:// address" },
		{ "\"payment_link\": \"javascript:alert(1)\"", "payment_link", "not an https:// address" },
		{ "\"payment_link\": \"https://\"", "payment_link", "not an https:// address" },
		{ "\"payment_link\": \"https://pay.example.com/a b\"", "payment_link", "a space" },
		{ "\"payment_link\": \"https://pay.example.com/\\u001b[2J\"", "payment_link", "a space" },
		{ "\"bank\": \"NL91ABNA0417164300\"", "bank", "not an object" },
		{ "\"bank\": {\"bic\": \"ABNANL2A\"}", "bank.iban", "missing" },
		{ "\"bank\": {\"iban\": \"NL91ABNA0417164301\"}", "bank.iban", "check digits" },
		{ "\"bank\": {\"iban\": \"NL91ABNA0417164300\", \"bic\": \"abnanl2a\"}", "bank.bic", "a BIC has" },
		{ "\"bank\": {\"iban\": \"NL91ABNA0417164300\", \"reference\": \"CPS\\u202e1\"}", "bank.reference", "control character" },
		{ "\"bank\": {\"iban\": \"NL91ABNA0417164300\", \"account_holder\": 1}", "bank.account_holder", "not a string" },
	};
	struct cps_remote_invoice inv;
	struct cps_error err;
	char text[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		memset(&inv, 0x5A, sizeof(inv));
		if (cps_invoice_parse(bad[i].json, strlen(bad[i].json), "invoice", &inv, &err) != CPS_ERR_INVALID)
			fail_msg("accepted: %s", bad[i].json);
		assert_msg(err.msg, bad[i].field);
		assert_msg(err.msg, bad[i].why);
		assert_msg(err.msg, "nothing of it is stored");
		assert_int_equal(inv.account_id, 0);
		assert_string_equal(inv.number, "");
	}
	for (size_t i = 0; i < sizeof(bad_extra) / sizeof(bad_extra[0]); i++) {
		char field[64];
		memset(&err, 0, sizeof(err));
		invoice_json(text, sizeof(text), 7, bad_extra[i].extra);
		if (cps_invoice_parse(text, strlen(text), "invoice", &inv, &err) != CPS_ERR_INVALID)
			fail_msg("accepted: %s", text);
		snprintf(field, sizeof(field), "invoice.%s:", bad_extra[i].field);
		assert_msg(err.msg, field);
		assert_msg(err.msg, bad_extra[i].why);
		/* what is refused never reaches a message raw */
		assert_null(strchr(err.msg, '\x1b'));
	}
}

/* --- storing it ------------------------------------------------------------ */

static void test_card_invoice_received(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	struct cps_remote_invoice inv;
	struct tu_message msg;
	char text[1024], payment_note[CPS_PAYMENT_NOTE_MAX];
	int applied = 0;

	(void)state;
	long long a = member(&t, CPS_PAY_CARD, &r);
	/* a card invoice without its link leaves the customer nowhere to pay */
	invoice_json(text, sizeof(text), a, NULL);
	parse_ok(text, &inv);
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "invoice.payment_link: missing");
	assert_int_equal(messages(&t), 0);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.invoice_state, CPS_INVOICE_REQUESTED);

	invoice_json(text, sizeof(text), a, "\"payment_link\": \"https://pay.example.com/i/R-2026-77\"");
	parse_ok(text, &inv);
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.invoice_state, CPS_INVOICE_RECEIVED);
	assert_string_equal(m.invoice_number, "R-2026-77");
	assert_int_equal(m.amount_cents, 12500);
	assert_string_equal(m.due_on, "2026-10-22");
	assert_string_equal(m.payment_link, "https://pay.example.com/i/R-2026-77");
	assert_string_equal(m.number, r.number);
	/* another amount than asked: its VAT is worked out, not the request's */
	assert_int_equal(m.fee.gross_cents, 12500);
	cps_payment_note_remote(&m, 0, payment_note, sizeof(payment_note));
	assert_msg(payment_note, "give your card at https://pay.example.com/i/R-2026-77 by the due date, 2026-10-22");

	tu_last_message(&t, &msg);
	assert_int_equal(msg.n, 1);
	assert_string_equal(msg.kind, "invoice");
	assert_msg(msg.subject, "R-2026-77");
	assert_msg(msg.body, "Invoice number: R-2026-77");
	assert_msg(msg.body, "Amount: 125.00 EUR");
	assert_msg(msg.body, "Pay by card at https://pay.example.com/i/R-2026-77 by the due date, 2026-10-22");
	assert_null(strstr(msg.body, "staff will tell you"));
	assert_null(strstr(msg.body, "INV-2026"));

	/* the same again (a page fetched twice): nothing more */
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(messages(&t), 1);
	/* another number for the same membership: refused */
	snprintf(inv.number, sizeof(inv.number), "R-2026-78");
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "invoice.number: account");
	assert_msg(err.msg, "already has the remote's invoice R-2026-77");
	/* an account the shop does not know, and one that has not joined */
	inv.account_id = 4242;
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "invoice.account_id: there is no account 4242 at this shop");
	long long other = tu_account_draft(&t, "other@example.dk", "DK");
	inv.account_id = other;
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "has not joined CPS");
	assert_int_equal(messages(&t), 1);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.invoice_number, "R-2026-77");
	tu_engine_free(&t);
}

static void test_bank_invoice_received(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	struct cps_remote_invoice inv;
	struct cps_bank_details bank;
	struct tu_message msg;
	char text[1024];
	int applied = 0;

	(void)state;
	long long a = member(&t, CPS_PAY_BANK, &r);
	assert_msg(r.payment_note, "Invoice requested");
	assert_msg(r.payment_note, "to the bank details and with the payment reference on it");
	/* the invoice's own bank details win over the configured ones */
	set(&t.cfg->iban, "DK5000400440116243");
	invoice_json(text, sizeof(text), a,
		     "\"bank\": {\"iban\": \"NL91ABNA0417164300\", \"bic\": \"ABNANL2A\","
		     " \"account_holder\": \"Canon Europa N.V.\"}");
	parse_ok(text, &inv);
	assert_int_equal(cps_invoice_receive(t.e, &inv, &applied, &err), CPS_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	/* no reference of its own: the configured one, for the remote's number */
	assert_string_equal(m.reference, "CPS R-2026-77");
	assert_int_equal(cps_membership_bank_details(t.cfg, &m, &bank, &err), CPS_OK);
	assert_string_equal(bank.iban, "NL91 ABNA 0417 1643 00");
	assert_msg(bank.text, "Account holder: Canon Europa N.V.");
	tu_last_message(&t, &msg);
	assert_msg(msg.body, "IBAN: NL91 ABNA 0417 1643 00");
	assert_msg(msg.body, "BIC: ABNANL2A");
	assert_msg(msg.body, "payment reference CPS R-2026-77");
	assert_null(strstr(msg.body, "DK50"));
	assert_null(strstr(msg.body, "https://"));
	tu_engine_free(&t);
}

/* --- the answer to an enrollment ------------------------------------------ */

static void test_enrollment_answer(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	char text[1024];
	int applied = 0;
	json_t *j;

	(void)state;
	long long a = member(&t, CPS_PAY_CARD, &r);
	/* the remote's number, and the same with a wrong check digit */
	char number[CPS_MEMBERSHIP_NUMBER_SIZE] = "CPS-12345678", typo[CPS_MEMBERSHIP_NUMBER_SIZE];
	int check = cps_membership_check_digit("12345678");
	number[12] = (char)('0' + check);
	number[13] = '\0';
	snprintf(typo, sizeof(typo), "%s", number);
	typo[12] = (char)('0' + (check + 1) % 10);
	/* a wrong membership number refuses the whole answer, the good
	 * invoice in it too */
	snprintf(text, sizeof(text),
		 "{\"idempotency_key\": \"k\", \"membership_number\": \"%s\","
		 " \"invoice\": {\"account_id\": %lld, \"number\": \"R-9\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\","
		 " \"payment_link\": \"https://pay.example.com/R-9\"}}", typo, a);
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_int_equal(cps_invoice_enrolled(t.e, a, j, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "POST /v1/enrollments.membership_number: not a CPS membership number");
	json_decref(j);
	assert_int_equal(messages(&t), 0);
	/* the invoice of another account than the enrollment's */
	snprintf(text, sizeof(text),
		 "{\"invoice\": {\"account_id\": %lld, \"number\": \"R-9\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\"}}", a + 1);
	j = json_loads(text, 0, NULL);
	assert_int_equal(cps_invoice_enrolled(t.e, a, j, &applied, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "invoice.account_id");
	assert_msg(err.msg, "but the enrollment was account");
	json_decref(j);

	/* the remote's number wins; the invoice is stored with it */
	snprintf(text, sizeof(text),
		 "{\"membership_number\": \"%s\","
		 " \"invoice\": {\"account_id\": %lld, \"number\": \"R-9\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\","
		 " \"payment_link\": \"https://pay.example.com/R-9\"}}", number, a);
	j = json_loads(text, 0, NULL);
	assert_int_equal(cps_invoice_enrolled(t.e, a, j, &applied, &err), CPS_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.number, number);
	assert_string_equal(m.invoice_number, "R-9");
	/* the VAT asked for holds: the amount is the one asked */
	assert_int_equal(m.fee.vat_cents, 2000);
	struct tu_message msg;
	tu_last_message(&t, &msg);
	assert_msg(msg.body, number);
	/* replayed (the remote answers a key with its first answer) */
	assert_int_equal(cps_invoice_enrolled(t.e, a, j, &applied, &err), CPS_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(messages(&t), 1);
	json_decref(j);
	/* an answer with neither is a receipt */
	j = json_loads("{\"idempotency_key\": \"k\"}", 0, NULL);
	assert_int_equal(cps_invoice_enrolled(t.e, a, j, &applied, &err), CPS_OK);
	json_decref(j);
	tu_engine_free(&t);
}

static void test_page(void **state)
{
	struct tu_engine t;
	struct cps_enrollment r;
	struct cps_membership m;
	struct cps_error err = { 0 };
	char text[2048], cursor[256] = "";
	int applied = 0, more = 0;
	json_t *j;

	(void)state;
	long long a = member(&t, CPS_PAY_CARD, &r);
	/* one bad invoice refuses the page: the good one before it is not
	 * stored either, and the cursor stays */
	snprintf(text, sizeof(text),
		 "{\"invoices\": [{\"account_id\": %lld, \"number\": \"R-5\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\","
		 " \"payment_link\": \"https://pay.example.com/R-5\"},"
		 " {\"account_id\": %lld, \"number\": \"R-6\"}], \"next\": \"2\"}", a, a);
	j = json_loads(text, 0, NULL);
	assert_int_equal(cps_invoice_page(t.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "GET /v1/invoices invoices[1].amount_cents: missing");
	json_decref(j);
	assert_string_equal(cursor, "");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.invoice_state, CPS_INVOICE_REQUESTED);
	assert_int_equal(messages(&t), 0);

	j = json_loads("{\"invoices\": {}, \"next\": \"1\"}", 0, NULL);
	assert_int_equal(cps_invoice_page(t.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "invoices: not an array");
	json_decref(j);
	j = json_loads("{\"invoices\": []}", 0, NULL);
	assert_int_equal(cps_invoice_page(t.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "next: missing");
	json_decref(j);

	snprintf(text, sizeof(text),
		 "{\"invoices\": [{\"account_id\": %lld, \"number\": \"R-5\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\","
		 " \"payment_link\": \"https://pay.example.com/R-5\"}], \"next\": \"1\"}", a);
	j = json_loads(text, 0, NULL);
	assert_int_equal(cps_invoice_page(t.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_OK);
	assert_int_equal(applied, 1);
	assert_int_equal(more, 1);
	assert_string_equal(cursor, "1");
	char stored[256];
	assert_int_equal(cps_store_meta_get(t.e->store, "test.cursor", stored, sizeof(stored), &err), CPS_OK);
	assert_string_equal(stored, "1");
	/* the same page again changes nothing */
	assert_int_equal(cps_invoice_page(t.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(more, 0);
	assert_int_equal(messages(&t), 1);
	json_decref(j);

	/* a customer erased before the invoice came: skipped, the feed goes on */
	struct cps_enrollment r2;
	struct tu_engine t2;
	long long b = member(&t2, CPS_PAY_CARD, &r2);
	int kept = 0;
	assert_int_equal(cps_customer_erase(t2.e, b, "Anna Berg", &kept, &err), CPS_OK);
	snprintf(text, sizeof(text),
		 "{\"invoices\": [{\"account_id\": %lld, \"number\": \"R-7\", \"amount_cents\": 10000,"
		 " \"currency\": \"EUR\", \"issued_on\": \"2026-09-21\", \"due_on\": \"2026-10-21\","
		 " \"payment_link\": \"https://pay.example.com/R-7\"}], \"next\": \"3\"}", b);
	j = json_loads(text, 0, NULL);
	cursor[0] = '\0';
	assert_int_equal(cps_invoice_page(t2.e, j, "test.cursor", cursor, sizeof(cursor),
					  &applied, &more, &err), CPS_OK);
	assert_int_equal(applied, 0);
	assert_string_equal(cursor, "3");
	assert_int_equal(messages(&t2), 0);
	json_decref(j);
	/* and the answer to its enrollment, replayed after the erasure */
	snprintf(text, sizeof(text), "{\"membership_number\": \"%s\"}", r2.number);
	j = json_loads(text, 0, NULL);
	assert_int_equal(cps_invoice_enrolled(t2.e, b, j, &applied, &err), CPS_OK);
	assert_int_equal(applied, 0);
	json_decref(j);
	tu_engine_free(&t2);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_enrollment_requests_the_invoice, tu_cleanup),
		cmocka_unit_test_teardown(test_without_remote_nothing_changes, tu_cleanup),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_each_bad_field),
		cmocka_unit_test_teardown(test_card_invoice_received, tu_cleanup),
		cmocka_unit_test_teardown(test_bank_invoice_received, tu_cleanup),
		cmocka_unit_test_teardown(test_enrollment_answer, tu_cleanup),
		cmocka_unit_test_teardown(test_page, tu_cleanup),
	};

	/* the fixed clock's dates are Copenhagen's, as in test_payment.c */
	setenv("TZ", "Europe/Copenhagen", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
