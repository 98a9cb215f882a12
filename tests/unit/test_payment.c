/* test_payment.c - joining CPS at the engine level with the seed's
 * figures: the invitation at 500 points, levels opening by points, the
 * Corporate levels above 2500 points with 25 products; card and bank
 * transfer (bank details, reference, local charges; a card charged on the
 * due date and never asked for); the invoice with its due date, number and
 * e-mail; the membership, active at once, with a new number and the old
 * one after a migration; refusals that change nothing.  Runs in
 * TZ=Europe/Copenhagen with the engine's clock fixed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/legacy.h"
#include "cpsreg/membership.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "../../src/engine_private.h"
#include "../../src/store_membership.h"
#include "../../src/store_private.h"
#include "testutil.h"

#define NOW ((time_t)1790000000)        /* Monday 2026-09-21 16:13:20 in Copenhagen */
#define MID_DECEMBER ((time_t)1797325200) /* 2026-12-15 10:00 */
#define NEW_YEARS_EVE ((time_t)1798756200) /* 2026-12-31 23:30 (22:30 UTC) */

#define PASSWORD "Lukket vindue 42 i Aarhus"

#define assert_msg(text, word) do { \
	if (!strstr((text), (word))) \
		fail_msg("\"%s\" lacks \"%s\"", (text), (word)); \
} while (0)

/* Models with points that add up to the seed's figures, added to the
 * shipped catalog. */
static const char test_models[] =
	"Test Body 499,body,499,2020,\n"
	"Test Lens 1,lens,1,2020,\n"
	"Test Lens 100,lens,100,2020,\n"
	"Test Body 201,body,201,2020,\n";

/* --- fixtures ------------------------------------------------------------ */


static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static void setup(struct tu_engine *t, time_t now)
{
	char path[700], *text, *out;
	size_t len;
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };

	tu_engine_new(t, now);
	snprintf(path, sizeof(path), "%s/catalog.csv", t->cfg->assets_dir);
	text = tu_read_file(path, &len);
	assert_non_null(text);
	out = malloc(len + sizeof(test_models) + 1);
	assert_non_null(out);
	snprintf(out, len + sizeof(test_models) + 1, "%s%s%s", text,
		 len && text[len - 1] != '\n' ? "\n" : "", test_models);
	snprintf(path, sizeof(path), "%s/catalog-test.csv", t->dir);
	tu_write_file(path, out, strlen(out));
	free(out);
	free(text);
	if (cps_catalog_import(t->e, path, &rep, &err) != CPS_OK)
		fail_msg("catalog: %s", err.msg);
	cps_catalog_report_free(&rep);
}

/* An application with this e-mail (and old CPS e-mail, or NULL),
 * submitted; validated when validate >= 1; with a password when 2. */
static long long account(struct tu_engine *t, const char *email,
			 const char *old_email, int validate)
{
	struct cps_application a;

	tu_fill_dk(&a);
	/* messages are written in the customer's language: these tests read
	 * them in English (test_lang.c has the Danish ones) */
	snprintf(a.language, sizeof(a.language), "en");
	snprintf(a.email, sizeof(a.email), "%s", email);
	snprintf(a.old_email, sizeof(a.old_email), "%s", old_email ? old_email : "");
	return tu_account(t, &a, validate, PASSWORD);
}

/* A member-to-be: validated, with a password. */
static long long customer(struct tu_engine *t, const char *email)
{
	return account(t, email, NULL, 2);
}

/* Registers a product; complete with all four details, else without a
 * dealer. */
static void add_product(struct tu_engine *t, long long acct, const char *name,
			const char *serial, int complete)
{
	struct cps_product_draft d = {
		.catalog_id = tu_model(t, name), .serial = serial, .purchase_date = "2024-03",
		.purchase_country = "DK", .dealer = complete ? "Foto Rasmussen" : NULL,
	};
	struct cps_error err = { 0 };

	if (cps_product_add(t->e, acct, &d, NULL, NULL, &err) != CPS_OK)
		fail_msg("add %s: %s", name, err.msg);
}

static void add_many(struct tu_engine *t, long long acct, const char *name,
		     int count, int first_serial)
{
	char serial[32];

	for (int i = 0; i < count; i++) {
		snprintf(serial, sizeof(serial), "%010d", first_serial + i);
		add_product(t, acct, name, serial, 1);
	}
}

static long points_of(struct tu_engine *t, long long acct, int *registered)
{
	struct cps_error err = { 0 };
	long points = -1;

	assert_int_equal(cps_product_totals(t->e, acct, &points, NULL, registered, &err), CPS_OK);
	return points;
}

/* Everything a refusal must leave as it was. */
struct snap {
	long long invoices, memberships, outbox;
	int messages;
};

static int count_msg(const struct cps_message *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static void take(struct tu_engine *t, struct snap *s)
{
	struct cps_error err = { 0 };

	memset(s, 0, sizeof(*s));
	assert_int_equal(cps_store_membership_counts(t->e->store, &s->invoices,
						     &s->memberships, &err), CPS_OK);
	assert_int_equal(cps_outbox_pending(t->e, &s->outbox, &err), CPS_OK);
	assert_int_equal(cps_messages_pending(t->e, NULL, count_msg, &s->messages, &err), CPS_OK);
}

static void assert_same(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->invoices, b->invoices);
	assert_int_equal(a->memberships, b->memberships);
	assert_int_equal(a->outbox, b->outbox);
	assert_int_equal(a->messages, b->messages);
}

/* Tries to enroll, expects the refusal rc, and checks nothing changed and
 * the result is empty. */
static void refused(struct tu_engine *t, long long acct, const char *level,
		    enum cps_payment_method method, enum cps_err rc,
		    struct cps_error *err)
{
	struct cps_enrollment r;
	struct snap before, after;

	take(t, &before);
	memset(&r, 0x5A, sizeof(r));
	assert_int_equal(cps_enroll(t->e, acct, level, method, &r, err), rc);
	assert_string_equal(r.invoice_number, "");
	assert_string_equal(r.number, "");
	take(t, &after);
	assert_same(&before, &after);
}

static struct cps_enrollment enroll(struct tu_engine *t, long long acct,
				    const char *level, enum cps_payment_method method)
{
	struct cps_enrollment r;
	struct cps_error err = { 0 };

	if (cps_enroll(t->e, acct, level, method, &r, &err) != CPS_OK)
		fail_msg("enroll %s: %s", level, err.msg);
	return r;
}


/* --- the seed's figures --------------------------------------------------- */

static void test_invitation_at_500_points(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;
	int registered;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "mette@hansen-foto.dk");

	/* 499 points: not invited, whatever the level */
	add_product(&t, a, "Test Body 499", "100000001", 1);
	assert_int_equal(points_of(&t, a, &registered), 499);
	refused(&t, a, "silver", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "not invited to CPS yet");
	assert_msg(err.msg, "500 points");
	assert_msg(err.msg, "1 more point.");
	refused(&t, a, "gold", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "not invited");
	/* an incomplete product adds nothing */
	add_product(&t, a, "Test Lens 1", "100000002", 0);
	assert_int_equal(points_of(&t, a, &registered), 499);
	refused(&t, a, "silver", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "not invited");

	/* 500 points: Silver is open, Gold needs 500 more */
	add_product(&t, a, "Test Lens 1", "100000003", 1);
	assert_int_equal(points_of(&t, a, &registered), 500);
	refused(&t, a, "gold", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "Gold opens at 1000 points: you need 500 more points.");
	refused(&t, a, "corporate_a", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "above 2500 points");
	refused(&t, a, "diamond", CPS_PAY_CARD, CPS_ERR_NOT_FOUND, &err);
	assert_msg(err.msg, "no membership level \"diamond\"");
	refused(&t, a, NULL, CPS_PAY_CARD, CPS_ERR_NOT_FOUND, &err);

	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_CARD);
	assert_string_equal(r.level_id, "silver");
	assert_string_equal(r.level_name, "Silver");
	assert_int_equal(r.amount_cents, 10000);
	assert_string_equal(r.currency, "EUR");
	assert_string_equal(r.amount_text, "100.00 EUR");
	assert_true(cps_membership_number_valid(r.number));
	assert_int_equal(r.active_from, NOW);
	assert_string_equal(r.active_note, "Your CPS membership can be used now.");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.number, r.number);
	assert_string_equal(m.level_name, "Silver");
	tu_engine_free(&t);
}

/* The seeds' only condition is the points: above 2500 with 3 products,
 * even Corporate C (meant for about 250) may be chosen. */
static void test_corporate_above_2500_with_3_products(void **state)
{
	struct tu_engine t;
	int registered;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "studio@hansen-foto.dk");
	add_product(&t, a, "RF 800mm F5.6L IS USM", "4000000001", 1);
	add_product(&t, a, "RF 600mm F4L IS USM", "4000000002", 1);
	add_product(&t, a, "RF 400mm F2.8L IS USM", "4000000003", 1);
	assert_int_equal(points_of(&t, a, &registered), 3000);
	assert_int_equal(registered, 3);
	struct cps_enrollment r = enroll(&t, a, "corporate_c", CPS_PAY_CARD);
	assert_string_equal(r.level_name, "Corporate C");
	assert_int_equal(r.amount_cents, 500000);
	tu_engine_free(&t);
}

static void test_corporate_above_2500_with_25_products(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	int registered;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "studio@hansen-foto.dk");

	/* 2500 points with 25 products: not above 2500 */
	add_many(&t, a, "Test Lens 100", 25, 2000000);
	assert_int_equal(points_of(&t, a, &registered), 2500);
	assert_int_equal(registered, 25);
	refused(&t, a, "corporate_a", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "Corporate levels open above 2500 points: you need 1 more point.");

	/* 2501 points: Corporate A opens with its 25 products, B needs 100 --
	 * in a shop that makes the counts a condition */
	struct tu_engine u;
	setup(&u, NOW);
	u.cfg->corporate_products_required = 1;
	long long b = customer(&u, "studio@hansen-foto.dk");
	add_many(&u, b, "Test Lens 100", 23, 3000000);
	add_product(&u, b, "Test Body 201", "3100000", 1);
	assert_int_equal(points_of(&u, b, &registered), 2501);
	assert_int_equal(registered, 24);
	refused(&u, b, "corporate_a", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "Corporate A needs 25 registered products: register 1 more product.");
	/* an incomplete product counts as registered */
	add_product(&u, b, "Test Lens 100", "3200000", 0);
	assert_int_equal(points_of(&u, b, &registered), 2501);
	assert_int_equal(registered, 25);
	refused(&u, b, "corporate_b", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "register 75 more products");
	struct cps_enrollment r = enroll(&u, b, "corporate_a", CPS_PAY_BANK);
	assert_string_equal(r.level_name, "Corporate A");
	assert_int_equal(r.amount_cents, 100000);
	assert_string_equal(r.amount_text, "1000.00 EUR");
	tu_engine_free(&u);
	tu_engine_free(&t);
}

/* With 2000 points any regular level may be chosen, not only the highest. */
static void test_any_open_level(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "a@hansen-foto.dk");
	long long b = customer(&t, "b@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 20, 4000000);
	add_many(&t, b, "Test Lens 100", 20, 5000000);
	struct cps_enrollment r = enroll(&t, a, "gold", CPS_PAY_CARD);
	assert_string_equal(r.level_name, "Gold");
	assert_string_equal(r.amount_text, "200.00 EUR");
	r = enroll(&t, b, "platinum", CPS_PAY_CARD);
	assert_string_equal(r.level_name, "Platinum");
	assert_string_equal(r.amount_text, "350.00 EUR");
	tu_engine_free(&t);
}

/* --- payment methods ------------------------------------------------------ */

static void test_bank_transfer(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;
	struct tu_message msg;

	(void)state;
	setup(&t, NOW);
	set(&t.cfg->bank_name, "Danske Bank");
	set(&t.cfg->account_holder, "Canon Danmark A/S");
	set(&t.cfg->iban, "DK5000400440116243");
	set(&t.cfg->bic, "danbdkkk");
	set(&t.cfg->reference, "CPS {invoice}");
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 6000000);

	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	assert_int_equal(r.method, CPS_PAY_BANK);
	assert_string_equal(r.invoice_number, "INV-2026-000001");
	assert_true(r.bank.configured);
	assert_string_equal(r.bank.iban, "DK50 0040 0440 1162 43");
	assert_string_equal(r.bank.bic, "DANBDKKK");
	assert_string_equal(r.bank.reference, "CPS INV-2026-000001");
	assert_msg(r.bank.text, "IBAN: DK50 0040 0440 1162 43");
	assert_msg(r.bank.text, "Payment reference: CPS INV-2026-000001");
	assert_msg(r.payment_note, "bank transfer");
	assert_msg(r.payment_note, "100.00 EUR");
	assert_msg(r.payment_note, "by the due date, 2026-10-21");
	assert_msg(r.payment_note, "CPS INV-2026-000001");
	assert_msg(r.payment_note, "Local bank charges may apply.");

	/* the invoice e-mail */
	tu_last_message(&t, &msg);
	assert_string_equal(msg.kind, "invoice");
	assert_string_equal(msg.recipient, "mette@hansen-foto.dk");
	assert_msg(msg.subject, "INV-2026-000001");
	assert_msg(msg.subject, "Silver");
	assert_msg(msg.body, "Hello Mette Hansen");
	assert_msg(msg.body, "Invoice number: INV-2026-000001");
	assert_msg(msg.body, "Membership level: Silver");
	assert_msg(msg.body, "Amount: 100.00 EUR");
	/* the default fees hold 25 % VAT: the invoice splits them */
	assert_msg(msg.body, "of which VAT (25%): 20.00 EUR");
	assert_msg(msg.body, "amount excluding VAT: 80.00 EUR");
	assert_int_equal(r.fee.vat_cents, 2000);
	assert_msg(msg.body, "Issue date: 2026-09-21");
	assert_msg(msg.body, "Due date: 2026-10-21");
	assert_msg(msg.body, "Payment method: Bank transfer");
	assert_msg(msg.body, r.number);
	assert_msg(msg.body, "IBAN: DK50 0040 0440 1162 43");
	assert_msg(msg.body, "Payment reference: CPS INV-2026-000001");
	assert_msg(msg.body, "Local bank charges may apply.");

	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.method, CPS_PAY_BANK);
	assert_string_equal(m.reference, "CPS INV-2026-000001");
	assert_string_equal(m.invoice_number, "INV-2026-000001");
	assert_string_equal(m.issued_on, "2026-09-21");
	assert_string_equal(m.due_on, "2026-10-21");
	assert_int_equal(m.amount_cents, 10000);
	assert_string_equal(m.currency, "EUR");

	/* no bank details in the config: never a pointer to a place without
	 * them, the customer is sent to staff */
	struct tu_engine u;
	setup(&u, NOW);
	long long b = customer(&u, "b@hansen-foto.dk");
	add_many(&u, b, "Test Lens 100", 5, 6100000);
	r = enroll(&u, b, "silver", CPS_PAY_BANK);
	assert_false(r.bank.configured);
	assert_msg(r.bank.text, "please ask staff for them");
	assert_msg(r.payment_note, "to the bank details staff give you");
	assert_null(strstr(r.payment_note, "on the invoice"));
	assert_msg(r.payment_note, "Local bank charges may apply.");
	tu_engine_free(&u);
	tu_engine_free(&t);
}

static void test_card(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;
	struct tu_message msg;
	static const struct cps_bank_details zero;

	(void)state;
	setup(&t, NOW);
	set(&t.cfg->iban, "DK5000400440116243");
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 7000000);

	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_CARD);
	assert_int_equal(r.method, CPS_PAY_CARD);
	assert_msg(r.payment_note, "not charged now but on the due date, 2026-10-21");
	/* what really happens: staff, never a link that does not exist */
	assert_msg(r.payment_note, "Staff will tell you how to give the card");
	assert_null(strstr(r.payment_note, "link"));
	assert_null(strstr(r.payment_note, "bank charges"));
	/* no bank details for a card */
	assert_memory_equal(&r.bank, &zero, sizeof(zero));

	tu_last_message(&t, &msg);
	assert_string_equal(msg.kind, "invoice");
	assert_msg(msg.body, "Payment method: Card");
	assert_msg(msg.body, "not charged now but on the due date, 2026-10-21");
	assert_msg(msg.body, "We never ask for a card number by e-mail.");
	/* written as Canon would: no link that is not there, no program name */
	assert_null(strstr(msg.body, "link"));
	assert_null(strstr(msg.body, "cpsreg"));
	assert_null(strstr(msg.body, "IBAN"));
	/* "card number" appears only where it says it is never asked for */
	const char *p = strstr(msg.body, "card number");
	assert_non_null(p);
	assert_null(strstr(p + 1, "card number"));

	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.method, CPS_PAY_CARD);
	/* the invoice carries the reference whatever the method */
	assert_string_equal(m.reference, "CPS INV-2026-000001");
	tu_engine_free(&t);
}

/* Fees set without VAT: the invoice asks for the fee and the VAT on top;
 * with no VAT it says none is charged. */
static void test_fees_without_vat(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;
	struct tu_message msg;

	(void)state;
	setup(&t, NOW);
	t.cfg->fees_include_vat = 0;
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 7100000);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	assert_int_equal(r.amount_cents, 12500);
	assert_string_equal(r.amount_text, "125.00 EUR");
	assert_msg(r.payment_note, "125.00 EUR");
	tu_last_message(&t, &msg);
	assert_msg(msg.body, "Amount: 125.00 EUR");
	assert_msg(msg.body, "of which VAT (25%): 25.00 EUR");
	assert_msg(msg.body, "amount excluding VAT: 100.00 EUR");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_int_equal(m.amount_cents, 12500);

	struct tu_engine u;
	setup(&u, NOW);
	set(&u.cfg->vat_percent, "0");
	long long b = customer(&u, "b@hansen-foto.dk");
	add_many(&u, b, "Test Lens 100", 5, 7200000);
	r = enroll(&u, b, "silver", CPS_PAY_CARD);
	assert_int_equal(r.amount_cents, 10000);
	tu_last_message(&u, &msg);
	assert_msg(msg.body, "Amount: 100.00 EUR");
	assert_msg(msg.body, "no VAT is charged");
	assert_null(strstr(msg.body, "of which VAT"));
	tu_engine_free(&u);
	tu_engine_free(&t);
}

static void test_method_names(void **state)
{
	enum cps_payment_method m = CPS_PAY_BANK;

	(void)state;
	assert_string_equal(cps_payment_method_id(CPS_PAY_CARD), "card");
	assert_string_equal(cps_payment_method_id(CPS_PAY_BANK), "bank");
	assert_string_equal(cps_payment_method_id((enum cps_payment_method)7), "");
	assert_string_equal(cps_payment_method_label(CPS_PAY_BANK), "Bank transfer");
	assert_string_equal(cps_payment_method_label(CPS_PAY_CARD), "Card");
	assert_int_equal(cps_payment_method_parse("Card", &m), CPS_OK);
	assert_int_equal(m, CPS_PAY_CARD);
	assert_int_equal(cps_payment_method_parse("BANK", &m), CPS_OK);
	assert_int_equal(m, CPS_PAY_BANK);
	assert_int_equal(cps_payment_method_parse("cash", &m), CPS_ERR_INVALID);
	assert_int_equal(cps_payment_method_parse("bankxyzxyz", &m), CPS_ERR_INVALID);
	assert_int_equal(cps_payment_method_parse("", &m), CPS_ERR_INVALID);
	assert_int_equal(cps_payment_method_parse(NULL, &m), CPS_ERR_INVALID);
}

/* --- the invoice ---------------------------------------------------------- */

static void test_due_date(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "a@hansen-foto.dk");
	long long b = customer(&t, "b@hansen-foto.dk");
	long long c = customer(&t, "c@hansen-foto.dk");
	long long d = customer(&t, "d@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 8000000);
	add_many(&t, b, "Test Lens 100", 5, 8100000);
	add_many(&t, c, "Test Lens 100", 5, 8200000);
	add_many(&t, d, "Test Lens 100", 5, 8300000);

	/* issue + 30 calendar days */
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_CARD);
	assert_string_equal(r.issued_on, "2026-09-21");
	assert_string_equal(r.due_on, "2026-10-21");

	/* across the end of the year */
	cps_engine_set_now(t.e, MID_DECEMBER);
	r = enroll(&t, b, "silver", CPS_PAY_CARD);
	assert_string_equal(r.issued_on, "2026-12-15");
	assert_string_equal(r.due_on, "2027-01-14");
	assert_string_equal(r.invoice_number, "INV-2026-000002");

	/* the local date, not UTC's: 23:30 on New Year's Eve is still 2026 */
	cps_engine_set_now(t.e, NEW_YEARS_EVE);
	r = enroll(&t, c, "silver", CPS_PAY_CARD);
	assert_string_equal(r.issued_on, "2026-12-31");
	assert_string_equal(r.due_on, "2027-01-30");
	assert_string_equal(r.invoice_number, "INV-2026-000003");

	/* the number of days comes from the config; the year's numbering
	 * starts again */
	t.cfg->invoice_due_days = 14;
	cps_engine_set_now(t.e, NEW_YEARS_EVE + 3600);
	r = enroll(&t, d, "silver", CPS_PAY_CARD);
	assert_string_equal(r.issued_on, "2027-01-01");
	assert_string_equal(r.due_on, "2027-01-15");
	assert_string_equal(r.invoice_number, "INV-2027-000001");
	tu_engine_free(&t);
}

static void test_invoice_numbers_sequential(void **state)
{
	struct tu_engine t;
	char email[64];

	(void)state;
	setup(&t, NOW);
	for (int i = 1; i <= 3; i++) {
		snprintf(email, sizeof(email), "kunde%d@hansen-foto.dk", i);
		long long a = customer(&t, email);
		add_many(&t, a, "Test Lens 100", 5, 9000000 + i * 100);
		struct cps_enrollment r = enroll(&t, a, "silver", i == 2 ? CPS_PAY_BANK : CPS_PAY_CARD);
		char want[CPS_INVOICE_NUMBER_SIZE];
		snprintf(want, sizeof(want), "INV-2026-%06d", i);
		assert_string_equal(r.invoice_number, want);
		assert_true(cps_invoice_number_valid(r.invoice_number));
	}
	tu_engine_free(&t);
}

static void test_message_and_outbox(void **state)
{
	struct tu_engine t;
	struct snap before, after;
	char kind[32], payload[4096];

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 9500000);

	take(&t, &before);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	take(&t, &after);
	assert_int_equal(after.invoices, before.invoices + 1);
	assert_int_equal(after.memberships, before.memberships + 1);
	assert_int_equal(after.messages, before.messages + 1);
	/* the invoice message, then the enrollment */
	assert_int_equal(after.outbox, before.outbox + 2);
	tu_last_outbox(&t, kind, sizeof(kind), payload, sizeof(payload));
	assert_string_equal(kind, "enrollment");
	assert_msg(payload, "\"invoice_number\":\"INV-2026-000001\"");
	assert_msg(payload, "\"level_id\":\"silver\"");
	assert_msg(payload, "\"amount_cents\":10000");
	assert_msg(payload, "\"method\":\"bank\"");
	assert_msg(payload, "\"due_on\":\"2026-10-21\"");
	assert_msg(payload, "\"old_number\":null");
	assert_msg(payload, r.number);
	tu_engine_free(&t);
}

/* --- the membership ------------------------------------------------------- */

static void test_second_enrollment_refused(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 12, 9600000);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_CARD);

	cps_engine_set_now(t.e, NOW + 86400);
	refused(&t, a, "gold", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "You are a CPS member already");
	assert_msg(err.msg, r.number);
	assert_msg(err.msg, "Silver");
	assert_msg(err.msg, "2026-09-21");
	assert_msg(err.msg, "INV-2026-000001");
	refused(&t, a, "silver", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	/* even a level that does not exist: the membership is what matters */
	refused(&t, a, "diamond", CPS_PAY_CARD, CPS_ERR_STATE, &err);

	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.level_id, "silver");
	assert_string_equal(m.number, r.number);
	tu_engine_free(&t);
}

/* The old e-mail names an old CPS account, but nothing was migrated (the
 * customer registered the products again): the number still changed, and
 * the customer is told so. */
static void test_old_number_without_migration(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_legacy_report rep;
	struct tu_message msg;
	char path[700];

	(void)state;
	setup(&t, NOW);
	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t.cfg->assets_dir);
	if (cps_legacy_import(t.e, path, &rep, &err) != CPS_OK)
		fail_msg("legacy: %s", err.msg);
	cps_legacy_report_free(&rep);
	/* the old e-mail in another case than the export's */
	long long a = account(&t, "kari@nordlys.no", "Kari.Nordmann@Example.no", 2);
	add_many(&t, a, "Test Lens 100", 5, 9800000);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	assert_string_equal(r.old_number, "CPS-NO-104233");
	assert_true(r.number_changed);
	assert_msg(r.number_note, "Your CPS membership number has changed");
	assert_msg(r.number_note, "CPS-NO-104233");
	tu_last_message(&t, &msg);
	assert_msg(msg.body, "your old number was CPS-NO-104233");

	/* an old e-mail that names no old account: no note */
	long long b = account(&t, "b@hansen-foto.dk", "nobody@example.no", 2);
	add_many(&t, b, "Test Lens 100", 5, 9810000);
	r = enroll(&t, b, "silver", CPS_PAY_CARD);
	assert_string_equal(r.old_number, "");
	assert_false(r.number_changed);
	assert_string_equal(r.number_note, "");
	tu_engine_free(&t);
}

static void test_migrated_account_old_number(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_legacy_report rep;
	struct cps_migration_result mr;
	struct cps_membership m;
	struct tu_message msg;
	char path[700], kind[32], payload[4096];

	(void)state;
	setup(&t, NOW);
	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t.cfg->assets_dir);
	if (cps_legacy_import(t.e, path, &rep, &err) != CPS_OK)
		fail_msg("legacy: %s", err.msg);
	cps_legacy_report_free(&rep);
	long long a = account(&t, "kari@nordlys.no", "kari.nordmann@example.no", 2);
	assert_int_equal(cps_migration_run(t.e, a, &mr, &err), CPS_OK);
	cps_migration_result_free(&mr);

	/* 1750 migrated points open Platinum */
	struct cps_enrollment r = enroll(&t, a, "platinum", CPS_PAY_BANK);
	assert_string_equal(r.old_number, "CPS-NO-104233");
	assert_true(r.number_changed);
	assert_string_not_equal(r.number, r.old_number);
	assert_msg(r.number_note, "Your CPS membership number has changed");
	assert_msg(r.number_note, r.number);
	assert_msg(r.number_note, "CPS-NO-104233");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.old_number, "CPS-NO-104233");
	assert_string_equal(m.number, r.number);
	tu_last_message(&t, &msg);
	assert_msg(msg.body, "your old number was CPS-NO-104233");
	tu_last_outbox(&t, kind, sizeof(kind), payload, sizeof(payload));
	assert_msg(payload, "\"old_number\":\"CPS-NO-104233\"");

	/* without an old account there is no old number and no such note */
	long long b = customer(&t, "b@hansen-foto.dk");
	add_many(&t, b, "Test Lens 100", 5, 9700000);
	r = enroll(&t, b, "silver", CPS_PAY_CARD);
	assert_string_equal(r.old_number, "");
	assert_false(r.number_changed);
	assert_string_equal(r.number_note, "");
	assert_int_equal(cps_membership_get(t.e, b, &m, &err), CPS_OK);
	assert_string_equal(m.old_number, "");
	tu_last_message(&t, &msg);
	assert_null(strstr(msg.body, "old number"));
	tu_engine_free(&t);
}

static void test_membership_get(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "mette@hansen-foto.dk");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_ERR_NOT_FOUND);
	assert_msg(err.msg, "not a CPS member yet");
	assert_string_equal(m.number, "");
	assert_int_equal(cps_membership_get(t.e, 4242, &m, &err), CPS_ERR_NOT_FOUND);

	add_many(&t, a, "Test Lens 100", 5, 9800000);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_CARD);
	tu_engine_reopen(&t);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_string_equal(m.number, r.number);
	assert_string_equal(m.level_id, "silver");
	assert_string_equal(m.level_name, "Silver");
	assert_string_equal(m.invoice_number, r.invoice_number);
	assert_string_equal(m.due_on, "2026-10-21");
	assert_int_equal(m.method, CPS_PAY_CARD);
	assert_int_equal(m.active_from, NOW);
	tu_engine_free(&t);
}

/* The VAT is kept with the invoice: a later change of rules.vat_percent
 * does not change what an issued invoice says it charged.  An invoice
 * from before the VAT was stored (columns NULL) is the only one worked
 * out again, at today's rate. */
static void test_vat_kept_with_the_invoice(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;

	(void)state;
	setup(&t, NOW);
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 5, 9900000);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	assert_int_equal(r.fee.vat_cents, 2000);

	/* the rate changes after the invoice was issued */
	set(&t.cfg->vat_percent, "20");
	tu_engine_reopen(&t);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_true(m.fee_stored);
	assert_int_equal(m.fee.gross_cents, 10000);
	assert_int_equal(m.fee.vat_cents, 2000);
	assert_int_equal(m.fee.net_cents, 8000);
	assert_int_equal(m.fee.vat_hundredths, 2500);

	/* an invoice stored before the VAT was: today's rate, said so */
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store),
		"UPDATE invoice SET vat_cents = NULL, vat_hundredths = NULL",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_OK);
	assert_false(m.fee_stored);
	assert_int_equal(m.fee.vat_hundredths, 2000);
	assert_int_equal(m.fee.vat_cents, 1667);
	assert_int_equal(m.fee.net_cents + m.fee.vat_cents, 10000);
	tu_engine_free(&t);
}

/* --- refusals ------------------------------------------------------------- */

static void test_refusals_change_nothing(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_membership m;

	(void)state;
	setup(&t, NOW);
	/* pending: not validated yet */
	long long pending = account(&t, "pending@hansen-foto.dk", NULL, 0);
	add_many(&t, pending, "Test Lens 100", 6, 9900000);
	refused(&t, pending, "silver", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "not validated yet");

	/* validated, but no password set yet */
	long long nopw = account(&t, "nopw@hansen-foto.dk", NULL, 1);
	add_many(&t, nopw, "Test Lens 100", 6, 9910000);
	refused(&t, nopw, "silver", CPS_PAY_CARD, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "Set your password first");

	/* no such account; an unknown method */
	refused(&t, 4242, "silver", CPS_PAY_CARD, CPS_ERR_NOT_FOUND, &err);
	long long a = customer(&t, "mette@hansen-foto.dk");
	add_many(&t, a, "Test Lens 100", 6, 9920000);
	refused(&t, a, "silver", (enum cps_payment_method)9, CPS_ERR_INVALID, &err);
	assert_msg(err.msg, "card or by bank transfer");

	/* invoice numbers used up for the year: refused, and no number or
	 * membership is taken */
	struct cps_store_invoice inv = {
		.number = "INV-2026-999999", .level_id = "silver", .level_name = "Silver",
		.amount_cents = 10000, .currency = "EUR", .method = "card", .reference = "",
		.issued_on = "2026-01-01", .due_on = "2026-01-31",
	};
	long long other = customer(&t, "other@hansen-foto.dk"), inv_id;
	assert_int_equal(cps_store_invoice_insert(t.e->store, other, &inv, NOW, &inv_id, &err), CPS_OK);
	refused(&t, a, "silver", CPS_PAY_BANK, CPS_ERR_STATE, &err);
	assert_msg(err.msg, "2026");
	assert_int_equal(cps_membership_get(t.e, a, &m, &err), CPS_ERR_NOT_FOUND);

	/* the next year it works */
	cps_engine_set_now(t.e, NEW_YEARS_EVE + 3600);
	struct cps_enrollment r = enroll(&t, a, "silver", CPS_PAY_BANK);
	assert_string_equal(r.invoice_number, "INV-2027-000001");
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_invitation_at_500_points, tu_cleanup),
		cmocka_unit_test_teardown(test_corporate_above_2500_with_25_products, tu_cleanup),
		cmocka_unit_test_teardown(test_corporate_above_2500_with_3_products, tu_cleanup),
		cmocka_unit_test_teardown(test_any_open_level, tu_cleanup),
		cmocka_unit_test_teardown(test_bank_transfer, tu_cleanup),
		cmocka_unit_test_teardown(test_card, tu_cleanup),
		cmocka_unit_test_teardown(test_fees_without_vat, tu_cleanup),
		cmocka_unit_test_teardown(test_method_names, tu_cleanup),
		cmocka_unit_test_teardown(test_due_date, tu_cleanup),
		cmocka_unit_test_teardown(test_invoice_numbers_sequential, tu_cleanup),
		cmocka_unit_test_teardown(test_message_and_outbox, tu_cleanup),
		cmocka_unit_test_teardown(test_second_enrollment_refused, tu_cleanup),
		cmocka_unit_test_teardown(test_migrated_account_old_number, tu_cleanup),
		cmocka_unit_test_teardown(test_old_number_without_migration, tu_cleanup),
		cmocka_unit_test_teardown(test_membership_get, tu_cleanup),
		cmocka_unit_test_teardown(test_vat_kept_with_the_invoice, tu_cleanup),
		cmocka_unit_test_teardown(test_refusals_change_nothing, tu_cleanup),
	};

	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
