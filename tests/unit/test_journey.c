/* test_journey.c - one customer through the whole flow in the engine alone:
 * apply -> approve -> set password -> register products (one incomplete,
 * then fixed) -> migrate -> invited -> choose a level -> pay by bank ->
 * active membership with a new number and the old one reported.
 * The flow is asked at every stop, as the wizard will ask it. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero, setenv */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/flow.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "cpsreg/secret.h"
#include "testutil.h"

/* Monday 2026-09-21, in the afternoon */
#define MONDAY 1790000000
#define DAY 86400

static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

struct code_hunt {
	const char *kind;
	char code[64];
};

/* The password code as the customer finds it in the e-mail: the 32
 * characters of a-z and 2-7 in the message body. */
static int find_code(const struct cps_message *m, void *arg)
{
	struct code_hunt *h = arg;

	if (strcmp(m->kind, h->kind) != 0)
		return 0;
	for (const char *p = m->body; *p; p++) {
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz234567");
		if (n == 32) {
			memcpy(h->code, p, 32);
			h->code[32] = '\0';
			return 1;
		}
		if (n)
			p += n - 1;
	}
	return 0;
}

static struct cps_flow flow_of(struct tu_engine *t, long long id)
{
	struct cps_flow f;
	struct cps_error err = { 0 };

	if (cps_flow_get(t->e, id, &f, &err) != CPS_OK)
		fail_msg("flow: %s", err.msg);
	return f;
}

static void test_whole_journey(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_application a, back;
	struct cps_flow f;
	char resume[CPS_RESUME_CODE_SIZE], token[CPS_TOKEN_SIZE], path[700];
	char legacy[700], warning[CPS_WARNING_MAX];
	struct cps_legacy_report lrep = { 0 };

	(void)state;
	setenv("TZ", "Europe/Oslo", 1);
	tu_engine_new(&t, MONDAY);
	f = flow_of(&t, 0);
	assert_int_equal(f.current, CPS_STEP_ACCOUNT);

	/* staff imported the old CPS system's accounts */
	snprintf(legacy, sizeof(legacy), "%s/legacy-sample.csv", t.cfg->assets_dir);
	assert_int_equal(cps_legacy_import(t.e, legacy, &lrep, &err), CPS_OK);
	cps_legacy_report_free(&lrep);

	/* 1. the application, with the old CPS e-mail */
	memset(&a, 0, sizeof(a));
	snprintf(a.company, sizeof(a.company), "Kari Nordmann Foto AS");
	snprintf(a.country, sizeof(a.country), "NO");
	snprintf(a.street, sizeof(a.street), "Karl Johans gate 7");
	snprintf(a.postcode, sizeof(a.postcode), "0154");
	snprintf(a.city, sizeof(a.city), "Oslo");
	snprintf(a.first_name, sizeof(a.first_name), "Kari");
	snprintf(a.last_name, sizeof(a.last_name), "Nordmann");
	snprintf(a.email, sizeof(a.email), "kari@nordmannfoto.no");
	snprintf(a.language, sizeof(a.language), "nb");
	a.vat_registered = CPS_VAT_YES;
	snprintf(a.vat_number, sizeof(a.vat_number), "NO 988 077 917 MVA");
	snprintf(a.old_email, sizeof(a.old_email), "kari.nordmann@example.no");
	assert_int_equal(cps_application_new_draft(t.e, &a, resume, sizeof(resume), &err), CPS_OK);
	assert_true(a.id > 0);
	/* the customer leaves and comes back with the resume code */
	tu_engine_reopen(&t);
	assert_int_equal(cps_application_resume(t.e, resume, &back, &err), CPS_OK);
	assert_int_equal(back.id, a.id);
	assert_string_equal(back.vat_number, "NO988077917MVA");
	/* not ready: no document, not confirmed */
	assert_int_not_equal(cps_application_submit(t.e, a.id, &err), CPS_OK);
	assert_int_equal(flow_of(&t, a.id).current, CPS_STEP_ACCOUNT);
	back.authorised = 1;
	assert_int_equal(cps_application_save_draft(t.e, &back, &err), CPS_OK);
	snprintf(path, sizeof(path), "%s/firmaattest.pdf", t.dir);
	tu_write_file(path, pdf, sizeof(pdf) - 1);
	assert_int_equal(cps_document_attach(t.e, a.id, CPS_DOC_REGISTRATION_CERTIFICATE, path, &err), CPS_OK);
	assert_int_equal(cps_application_submit(t.e, a.id, &err), CPS_OK);

	/* 2. validation: waiting, with the expected date two working days on */
	f = flow_of(&t, a.id);
	assert_int_equal(f.current, CPS_STEP_VALIDATION);
	assert_non_null(strstr(f.steps[CPS_STEP_VALIDATION].why, "2026-09-23"));
	assert_int_equal(cps_password_set_with_token(t.e, a.email, "x", "a long enough passphrase", &err),
			 CPS_ERR_STATE);
	cps_engine_set_now(t.e, MONDAY + DAY);
	assert_int_equal(cps_application_approve(t.e, a.id, "Per at the counter", token, sizeof(token), &err),
			 CPS_OK);
	explicit_bzero(token, sizeof(token));
	struct code_hunt hunt = { .kind = "password_set" };
	assert_int_equal(cps_messages_pending(t.e, a.email, find_code, &hunt, &err), CPS_OK);
	assert_int_equal(strlen(hunt.code), 32);
	f = flow_of(&t, a.id);
	assert_int_equal(f.current, CPS_STEP_VALIDATION);
	assert_int_equal(f.steps[CPS_STEP_PRODUCTS].state, CPS_STEP_CLOSED);
	assert_int_equal(cps_password_set_with_token(t.e, a.email, hunt.code, "fjord lights over the harbour", &err),
			 CPS_OK);
	assert_int_equal(cps_login(t.e, a.email, "fjord lights over the harbour", &back, &err), CPS_OK);
	f = flow_of(&t, a.id);
	assert_int_equal(f.steps[CPS_STEP_VALIDATION].state, CPS_STEP_DONE);
	assert_int_equal(f.current, CPS_STEP_PRODUCTS);

	/* 3. products: one without a dealer (no tick), then completed */
	long long body;
	struct cps_product_draft d = {
		.catalog_id = tu_model(&t, "EOS R6 Mark II"), .serial = "0321 0045 6789",
		.purchase_date = "14.05.2024", .purchase_country = "NO",
	};
	assert_int_equal(cps_product_add(t.e, a.id, &d, &body, warning, &err), CPS_OK);
	struct cps_product p;
	assert_int_equal(cps_product_get(t.e, body, &p, &err), CPS_OK);
	assert_false(p.complete);
	char missing[256];
	cps_product_missing(&p, missing, sizeof(missing));
	assert_non_null(strstr(missing, "dealer"));
	f = flow_of(&t, a.id);
	assert_int_equal(f.products_complete, 0);
	assert_int_equal(f.points, 0);
	d.dealer = "Japan Photo Oslo";
	assert_int_equal(cps_product_update(t.e, body, &d, warning, &err), CPS_OK);
	assert_int_equal(cps_product_get(t.e, body, &p, &err), CPS_OK);
	assert_true(p.complete);
	assert_true(p.points > 0);
	long own_points = p.points;
	f = flow_of(&t, a.id);
	assert_int_equal(f.points, own_points);
	assert_int_equal(f.steps[CPS_STEP_PRODUCTS].state, CPS_STEP_DONE);

	/* 4. migration of the old account's products */
	struct cps_migration_info info;
	assert_int_equal(cps_migration_check(t.e, a.id, &info, &err), CPS_OK);
	assert_true(info.offered);
	cps_migration_info_free(&info);
	struct cps_migration_result mr;
	assert_int_equal(cps_migration_run(t.e, a.id, &mr, &err), CPS_OK);
	assert_true(mr.moved > 0);
	long migrated_points = mr.points;
	cps_migration_result_free(&mr);
	assert_int_equal(cps_migration_run(t.e, a.id, &mr, &err), CPS_OK);
	assert_true(mr.already);
	cps_migration_result_free(&mr);

	/* 5. points: every tick counts, and the invitation is there */
	f = flow_of(&t, a.id);
	assert_int_equal(f.points, own_points + migrated_points);
	assert_true(f.points >= 500);
	assert_true(f.invited);
	assert_int_equal(f.steps[CPS_STEP_MIGRATION].state, CPS_STEP_DONE);
	assert_int_equal(f.steps[CPS_STEP_POINTS].state, CPS_STEP_DONE);
	assert_int_equal(f.current, CPS_STEP_LEVEL);

	/* 6 and 7. a level the points allow, paid by bank transfer */
	struct cps_enrollment en;
	assert_int_equal(cps_enroll(t.e, a.id, "corporate_a", CPS_PAY_BANK, &en, &err), CPS_ERR_STATE);
	assert_int_equal(cps_enroll(t.e, a.id, "silver", CPS_PAY_BANK, &en, &err), CPS_OK);
	assert_string_equal(en.level_name, "Silver");
	assert_int_equal(en.amount_cents, 10000);
	assert_string_equal(en.issued_on, "2026-09-22");
	assert_string_equal(en.due_on, "2026-10-22");
	assert_non_null(strstr(en.payment_note, "bank charges"));
	assert_string_equal(en.old_number, "CPS-NO-104233");
	assert_true(en.number_changed);
	assert_string_not_equal(en.number, en.old_number);
	assert_non_null(strstr(en.active_note, "now"));

	/* the membership is active and survives a restart */
	tu_engine_reopen(&t);
	f = flow_of(&t, a.id);
	assert_true(f.complete);
	assert_true(f.member);
	assert_string_equal(f.membership_number, en.number);
	assert_string_equal(f.old_membership_number, "CPS-NO-104233");
	struct code_hunt inv = { .kind = "invoice" };
	assert_int_equal(cps_messages_pending(t.e, a.email, find_code, &inv, &err), CPS_OK);
	long long outbox = 0;
	assert_int_equal(cps_outbox_pending(t.e, &outbox, &err), CPS_OK);
	assert_true(outbox >= 7);  /* application, document, decision, messages, products, migration, enrollment */

	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_whole_journey, tu_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
