/* test_flow.c - the flow: which steps are open, which is current and why a
 * closed one is closed, from nobody at all to a member.  Every account goes
 * through the real engine calls (draft, submit, approve or reject, password,
 * products, migration, enrolment).  Runs in TZ=Europe/Copenhagen (set in
 * main) with the engine's clock fixed, so every date is known. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/flow.h"
#include "cpsreg/legacy.h"
#include "cpsreg/migration.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "testutil.h"

/* Monday 2026-09-21 16:13:20 in Copenhagen; the answer is expected by
 * Wednesday 2026-09-23 (2 working days). */
#define MONDAY ((time_t)1790000000)
#define GOOD_PASSWORD "Lukket vindue 42 i Aarhus"

#define assert_msg(text, word) do { \
	if (!strstr((text), (word))) \
		fail_msg("text \"%s\" lacks \"%s\"", (text), (word)); \
} while (0)

#define assert_no_msg(text, word) do { \
	if (strstr((text), (word))) \
		fail_msg("text \"%s\" has \"%s\"", (text), (word)); \
} while (0)

/* --- fixtures -------------------------------------------------------------- */


static long long draft(struct tu_engine *t, struct cps_application *a)
{
	struct cps_error err = { 0 };
	char code[CPS_RESUME_CODE_SIZE];

	if (cps_application_new_draft(t->e, a, code, sizeof(code), &err) != CPS_OK)
		fail_msg("new draft: %s", err.msg);
	return a->id;
}

static long long submitted(struct tu_engine *t, struct cps_application *a)
{
	struct cps_error err = { 0 };
	char path[700];
	long long id = draft(t, a);

	snprintf(path, sizeof(path), "%s/certificate.pdf", t->dir);
	tu_write_file(path, tu_pdf_bytes, tu_pdf_len);
	if (cps_document_attach(t->e, id, CPS_DOC_REGISTRATION_CERTIFICATE, path, &err) != CPS_OK)
		fail_msg("attach: %s", err.msg);
	if (cps_application_submit(t->e, id, &err) != CPS_OK)
		fail_msg("submit: %s", err.msg);
	return id;
}

static long long validated(struct tu_engine *t, struct cps_application *a,
			   int with_password)
{
	struct cps_error err = { 0 };
	char token[CPS_TOKEN_SIZE];
	long long id = submitted(t, a);

	if (cps_application_approve(t->e, id, "Anna", token, sizeof(token), &err) != CPS_OK)
		fail_msg("approve: %s", err.msg);
	if (with_password &&
	    cps_password_set_with_token(t->e, a->email, token, GOOD_PASSWORD, &err) != CPS_OK)
		fail_msg("set password: %s", err.msg);
	return id;
}

/* Adds a product; complete when dealer is not NULL. */
static long long product(struct tu_engine *t, long long acct, const char *name,
			 const char *serial, const char *dealer)
{
	struct cps_product_draft d = {
		.catalog_id = tu_model(t, name),
		.serial = serial,
		.purchase_date = "2024-03",
		.purchase_country = "dk",
		.dealer = dealer,
	};
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	long long id = 0;

	if (cps_product_add(t->e, acct, &d, &id, warning, &err) != CPS_OK)
		fail_msg("add %s: %s", name, err.msg);
	return id;
}

static struct cps_flow *get(struct tu_engine *t, long long acct)
{
	static struct cps_flow f;
	struct cps_error err = { 0 };

	if (cps_flow_get(t->e, acct, &f, &err) != CPS_OK)
		fail_msg("flow: %s", err.msg);
	return &f;
}

#define STATE(f, s) ((f)->steps[CPS_STEP_##s].state)
#define WHY(f, s) ((f)->steps[CPS_STEP_##s].why)
#define STATUS(f, s) ((f)->steps[CPS_STEP_##s].status)

/* --- names ----------------------------------------------------------------- */

static void test_step_names(void **state)
{
	static const char *const ids[] = { "account", "validation", "products",
		"migration", "points", "level", "payment" };
	static const char *const labels[] = { "Account", "Validation", "Products",
		"Migration", "Points", "Level", "Payment" };

	(void)state;
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		assert_string_equal(cps_flow_step_id((enum cps_step)i), ids[i]);
		assert_string_equal(cps_flow_step_label((enum cps_step)i), labels[i]);
		assert_int_equal(cps_flow_step_parse(ids[i]), i);
	}
	assert_int_equal(cps_flow_step_parse("PAYMENT"), CPS_STEP_PAYMENT);
	assert_int_equal(cps_flow_step_parse("tier"), CPS_STEP_COUNT);
	assert_int_equal(cps_flow_step_parse(""), CPS_STEP_COUNT);
	assert_int_equal(cps_flow_step_parse(NULL), CPS_STEP_COUNT);
	assert_string_equal(cps_flow_step_id(CPS_STEP_COUNT), "");
	assert_string_equal(cps_flow_step_label(CPS_STEP_COUNT), "");
	assert_string_equal(cps_flow_state_label(CPS_STEP_DONE), "done");
	assert_string_equal(cps_flow_state_label(CPS_STEP_OPEN), "open");
	assert_string_equal(cps_flow_state_label(CPS_STEP_CLOSED), "closed");
}

/* --- before and around validation ------------------------------------------ */

static void test_nobody_yet(void **state)
{
	struct tu_engine t;
	struct cps_flow f;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, MONDAY);
	assert_int_equal(cps_flow_get(t.e, 0, &f, &err), CPS_OK);
	assert_int_equal(f.account_id, 0);
	assert_int_equal(f.current, CPS_STEP_ACCOUNT);
	assert_false(f.complete);
	assert_int_equal(STATE(&f, ACCOUNT), CPS_STEP_OPEN);
	assert_string_equal(WHY(&f, ACCOUNT), "");
	for (int i = CPS_STEP_VALIDATION; i < CPS_STEP_COUNT; i++) {
		assert_int_equal(f.steps[i].step, i);
		assert_int_equal(f.steps[i].state, CPS_STEP_CLOSED);
		assert_true(f.steps[i].why[0] != '\0');
	}
	assert_msg(WHY(&f, VALIDATION), "Send your application first");
	assert_msg(WHY(&f, PRODUCTS), "validated");
	assert_true(f.steps[CPS_STEP_MIGRATION].optional);
	assert_msg(WHY(&f, MIGRATION), "give its e-mail in the application");
	assert_msg(WHY(&f, LEVEL), "500 points");
	assert_int_equal(cps_flow_next(&f, CPS_STEP_ACCOUNT), CPS_STEP_COUNT);

	/* the same from the configuration alone (the first page is drawn
	 * before the database is open), and it follows the configuration */
	struct cps_flow alone;
	memset(&alone, 0x5a, sizeof(alone));
	cps_flow_nobody(t.cfg, &alone);
	assert_memory_equal(&alone, &f, sizeof(f));
	t.cfg->invite_points = 700;
	cps_flow_nobody(t.cfg, &alone);
	assert_int_equal(alone.points_missing, 700);
	assert_msg(alone.steps[CPS_STEP_LEVEL].why, "700 points");
	assert_int_equal(cps_flow_get(t.e, 0, &f, &err), CPS_OK);
	assert_memory_equal(&alone, &f, sizeof(f));
	t.cfg->invite_points = 500;

	/* an account that does not exist reads as nobody, with an error */
	assert_int_equal(cps_flow_get(t.e, 4242, &f, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(f.current, CPS_STEP_ACCOUNT);
	assert_int_equal(f.account_id, 0);
	assert_int_equal(cps_flow_get(t.e, -1, &f, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_flow_get(t.e, 0, NULL, &err), CPS_ERR_INVALID);
	tu_engine_free(&t);
}

static void test_draft(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = draft(&t, &a);
	f = get(&t, id);
	assert_int_equal(f->account_id, id);
	assert_int_equal(f->app_status, CPS_APP_DRAFT);
	assert_int_equal(f->current, CPS_STEP_ACCOUNT);
	assert_int_equal(STATE(f, ACCOUNT), CPS_STEP_OPEN);
	assert_string_equal(WHY(f, ACCOUNT), "");
	assert_msg(STATUS(f, ACCOUNT), "Draft");
	assert_int_equal(STATE(f, VALIDATION), CPS_STEP_CLOSED);
	assert_msg(WHY(f, VALIDATION), "Send your application first");
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_CLOSED);
	assert_msg(WHY(f, PRODUCTS), "Available when your account is validated");
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_CLOSED);
	/* while the application can change, the hint is to give the e-mail */
	assert_msg(WHY(f, MIGRATION), "give its e-mail in the application");
	assert_int_equal(STATE(f, POINTS), CPS_STEP_CLOSED);
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_CLOSED);
	assert_int_equal(STATE(f, PAYMENT), CPS_STEP_CLOSED);
	assert_false(f->ready);
	assert_false(f->invited);
	tu_engine_free(&t);
}

static void test_pending_shows_dates_and_advice(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = submitted(&t, &a);
	/* the customer comes back the next day */
	cps_engine_set_now(t.e, MONDAY + 86400);
	f = get(&t, id);
	assert_int_equal(f->app_status, CPS_APP_PENDING);
	assert_int_equal(STATE(f, ACCOUNT), CPS_STEP_DONE);
	assert_string_equal(STATUS(f, ACCOUNT), "Sent on 2026-09-21 16:13");
	/* current, but nothing to do there but wait */
	assert_int_equal(f->current, CPS_STEP_VALIDATION);
	assert_int_equal(STATE(f, VALIDATION), CPS_STEP_CLOSED);
	assert_string_equal(WHY(f, VALIDATION),
		"Waiting for validation since 2026-09-21 16:13, expected by 2026-09-23"
		" (up to 2 working days). You will get a code to set your password"
		" (by e-mail, or from staff);"
		" do not try to reset the password before then.");
	assert_string_equal(STATUS(f, VALIDATION), "Waiting for validation");
	assert_msg(WHY(f, PRODUCTS), "Available when your account is validated");
	/* the old e-mail can no longer be added: say what to do instead */
	assert_msg(WHY(f, MIGRATION), "No old CPS e-mail was given");
	assert_int_equal(cps_flow_next(f, CPS_STEP_ACCOUNT), CPS_STEP_COUNT);

	/* N comes from rules.validation_days, in the singular too */
	t.cfg->validation_days = 1;
	f = get(&t, id);
	assert_msg(WHY(f, VALIDATION), "(up to 1 working day)");
	tu_engine_free(&t);
}

static void test_rejected_shows_reason(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = submitted(&t, &a);
	assert_int_equal(cps_application_reject(t.e, id, "Anna",
		"The company name on the certificate differs from the application.", &err), CPS_OK);
	f = get(&t, id);
	assert_int_equal(f->app_status, CPS_APP_REJECTED);
	assert_int_equal(f->current, CPS_STEP_ACCOUNT);
	assert_int_equal(STATE(f, ACCOUNT), CPS_STEP_OPEN);
	/* one full stop, not two */
	assert_string_equal(WHY(f, ACCOUNT),
		"Your application was rejected: The company name on the certificate"
		" differs from the application. Correct it and send it again.");
	assert_int_equal(STATE(f, VALIDATION), CPS_STEP_CLOSED);
	assert_msg(WHY(f, VALIDATION), "send it again");
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_CLOSED);

	/* sent again: waiting once more */
	assert_int_equal(cps_application_submit(t.e, id, &err), CPS_OK);
	f = get(&t, id);
	assert_int_equal(f->current, CPS_STEP_VALIDATION);
	assert_int_equal(STATE(f, ACCOUNT), CPS_STEP_DONE);
	assert_string_equal(WHY(f, ACCOUNT), "");
	tu_engine_free(&t);
}

static void test_validated_without_password(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = validated(&t, &a, 0);
	f = get(&t, id);
	assert_int_equal(f->app_status, CPS_APP_VALIDATED);
	assert_false(f->has_password);
	assert_false(f->ready);
	assert_int_equal(f->current, CPS_STEP_VALIDATION);
	assert_int_equal(STATE(f, VALIDATION), CPS_STEP_OPEN);
	assert_msg(WHY(f, VALIDATION), "Set your password with the code you were given for");
	assert_msg(WHY(f, VALIDATION), "mette@hansen-foto.dk");
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_CLOSED);
	assert_string_equal(WHY(f, PRODUCTS), "Available when your password is set.");
	assert_int_equal(STATE(f, POINTS), CPS_STEP_CLOSED);
	assert_int_equal(cps_flow_next(f, CPS_STEP_ACCOUNT), CPS_STEP_VALIDATION);
	tu_engine_free(&t);
}

/* --- products, points, migration ------------------------------------------- */

static void test_password_and_no_products(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = validated(&t, &a, 1);
	f = get(&t, id);
	assert_true(f->ready);
	assert_int_equal(STATE(f, ACCOUNT), CPS_STEP_DONE);
	assert_int_equal(STATE(f, VALIDATION), CPS_STEP_DONE);
	assert_msg(STATUS(f, VALIDATION), "Validated on 2026-09-21");
	assert_int_equal(f->current, CPS_STEP_PRODUCTS);
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_OPEN);
	assert_int_equal(f->products_registered, 0);
	assert_int_equal(f->products_complete, 0);
	assert_int_equal(f->points, 0);
	assert_int_equal(STATE(f, POINTS), CPS_STEP_OPEN);
	assert_msg(WHY(f, POINTS), "You have 0 points; 500 more points are needed");
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_CLOSED);
	assert_string_equal(WHY(f, LEVEL),
		"500 more points needed for the invitation to join CPS (at 500 points).");
	assert_string_equal(WHY(f, PAYMENT), WHY(f, LEVEL));
	assert_int_equal(cps_flow_next(f, CPS_STEP_PRODUCTS), CPS_STEP_POINTS);

	/* an incomplete product: registered, but no tick yet */
	product(&t, id, "EOS R8", "123456789012", NULL);
	f = get(&t, id);
	assert_int_equal(f->products_registered, 1);
	assert_int_equal(f->products_complete, 0);
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_OPEN);
	assert_msg(WHY(f, PRODUCTS), "green tick");
	assert_int_equal(f->current, CPS_STEP_PRODUCTS);
	tu_engine_free(&t);
}

/* A catalog of two models worth 499 and 1 points. */
static void import_small_catalog(struct tu_engine *t)
{
	static const char csv[] =
		"model,category,points,release_year,serial_pattern\n"
		"Test Body 499,body,499,2020,\n"
		"Test Cap 1,other,1,2020,\n";
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	char path[700];

	snprintf(path, sizeof(path), "%s/small.csv", t->dir);
	tu_write_file(path, csv, sizeof(csv) - 1);
	if (cps_catalog_import(t->e, path, &rep, &err) != CPS_OK)
		fail_msg("import: %s", err.msg);
	cps_catalog_report_free(&rep);
}

static void test_499_then_500_points(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	import_small_catalog(&t);
	tu_fill_dk(&a);
	long long id = validated(&t, &a, 1);
	product(&t, id, "Test Body 499", "AB1234", "Foto Rasmussen");
	long long cap = product(&t, id, "Test Cap 1", "CAP0001", NULL);

	f = get(&t, id);
	assert_int_equal(f->products_registered, 2);
	assert_int_equal(f->products_complete, 1);
	assert_int_equal(f->points, 499);
	assert_int_equal(f->points_missing, 1);
	assert_false(f->invited);
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_DONE);
	assert_string_equal(STATUS(f, PRODUCTS), "2 registered, 1 with a green tick, 499 points");
	/* no old e-mail: migration is closed and passed over */
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_CLOSED);
	assert_int_equal(f->current, CPS_STEP_POINTS);
	assert_int_equal(STATE(f, POINTS), CPS_STEP_OPEN);
	assert_string_equal(STATUS(f, POINTS), "499 of 500 points");
	assert_string_equal(WHY(f, POINTS),
		"You have 499 points; 1 more point is needed for the invitation to join"
		" CPS. Register more products, or complete the ones without a green tick.");
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_CLOSED);
	assert_string_equal(WHY(f, LEVEL),
		"1 more point needed for the invitation to join CPS (at 500 points).");
	assert_int_equal(STATE(f, PAYMENT), CPS_STEP_CLOSED);
	assert_int_equal(f->levels_open, 0);

	/* completing the cap gives the missing point */
	struct cps_product_draft d = {
		.catalog_id = tu_model(&t, "Test Cap 1"),
		.serial = "CAP0001",
		.purchase_date = "2024",
		.purchase_country = "DK",
		.dealer = "Foto Rasmussen",
	};
	assert_int_equal(cps_product_update(t.e, cap, &d, warning, &err), CPS_OK);
	f = get(&t, id);
	assert_int_equal(f->points, 500);
	assert_int_equal(f->points_missing, 0);
	assert_true(f->invited);
	assert_int_equal(STATE(f, POINTS), CPS_STEP_DONE);
	assert_msg(STATUS(f, POINTS), "invited");
	assert_string_equal(WHY(f, POINTS), "");
	assert_int_equal(f->current, CPS_STEP_LEVEL);
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_OPEN);
	assert_int_equal(f->levels_open, 1); /* Silver */
	assert_string_equal(STATUS(f, LEVEL), "1 level open to you");
	assert_int_equal(STATE(f, PAYMENT), CPS_STEP_OPEN);
	assert_false(f->complete);
	assert_int_equal(cps_flow_next(f, CPS_STEP_POINTS), CPS_STEP_LEVEL);
	assert_int_equal(cps_flow_next(f, CPS_STEP_LEVEL), CPS_STEP_PAYMENT);
	tu_engine_free(&t);
}

static void test_no_old_email_names_support(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	long long id = validated(&t, &a, 1);
	f = get(&t, id);
	assert_false(f->old_email_given);
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_CLOSED);
	assert_true(f->steps[CPS_STEP_MIGRATION].optional);
	assert_string_equal(WHY(f, MIGRATION),
		"No old CPS e-mail was given in your application, so there is nothing"
		" to migrate: register your products again, or contact CPS Priority support.");

	/* the contact comes from [support] */
	free(t.cfg->support_name);
	t.cfg->support_name = strdup("Canon Nordic CPS desk");
	free(t.cfg->support_phone);
	t.cfg->support_phone = strdup("+45 70 00 00 00");
	assert_non_null(t.cfg->support_name);
	assert_non_null(t.cfg->support_phone);
	f = get(&t, id);
	assert_msg(WHY(f, MIGRATION), "contact Canon Nordic CPS desk (+45 70 00 00 00).");
	assert_no_msg(WHY(f, MIGRATION), "CPS Priority support");
	/* it never blocks: with a complete product the customer goes on */
	product(&t, id, "EOS R8", "123456789012", "Foto Rasmussen");
	f = get(&t, id);
	assert_int_equal(f->current, CPS_STEP_POINTS);
	assert_int_equal(cps_flow_next(f, CPS_STEP_PRODUCTS), CPS_STEP_POINTS);
	tu_engine_free(&t);
}

static void test_old_email_and_migration(void **state)
{
	static const char legacy[] =
		"email,member_number,name,model,serial,purchase_date,purchase_country,dealer\n"
		"ola@old-cps.example,OLD-4711,Nordlys Foto,EOS R7,223456789012,2023-06,NO,Foto Oslo\n"
		"ola@old-cps.example,OLD-4711,Nordlys Foto,EOS R10,323456789012,,,\n";
	struct tu_engine t;
	struct cps_application a;
	struct cps_legacy_report rep;
	struct cps_migration_result res;
	struct cps_error err = { 0 };
	struct cps_flow *f;
	char path[700];

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_no(&a);

	/* before validation: closed, with the usual reason */
	long long id = submitted(&t, &a);
	f = get(&t, id);
	assert_true(f->old_email_given);
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_CLOSED);
	assert_string_equal(WHY(f, MIGRATION), "Available when your account is validated.");

	char token[CPS_TOKEN_SIZE];
	assert_int_equal(cps_application_approve(t.e, id, "Anna", token, sizeof(token), &err), CPS_OK);
	assert_int_equal(cps_password_set_with_token(t.e, a.email, token, GOOD_PASSWORD, &err), CPS_OK);
	f = get(&t, id);
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_OPEN);
	assert_true(f->steps[CPS_STEP_MIGRATION].optional);
	assert_string_equal(WHY(f, MIGRATION), "");
	assert_msg(STATUS(f, MIGRATION), "ola@old-cps.example");
	assert_int_equal(f->current, CPS_STEP_PRODUCTS);

	/* with a product registered, migration is the next thing to offer */
	product(&t, id, "EOS R100", "423456789012", "Foto Oslo");
	f = get(&t, id);
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_DONE);
	assert_int_equal(f->current, CPS_STEP_MIGRATION);
	assert_int_equal(cps_flow_next(f, CPS_STEP_PRODUCTS), CPS_STEP_MIGRATION);

	/* staff import the old account; the customer migrates */
	snprintf(path, sizeof(path), "%s/legacy.csv", t.dir);
	tu_write_file(path, legacy, sizeof(legacy) - 1);
	if (cps_legacy_import(t.e, path, &rep, &err) != CPS_OK)
		fail_msg("legacy import: %s", err.msg);
	cps_legacy_report_free(&rep);
	if (cps_migration_run(t.e, id, &res, &err) != CPS_OK)
		fail_msg("migrate: %s", err.msg);
	cps_migration_result_free(&res);

	f = get(&t, id);
	assert_true(f->migrated);
	assert_int_equal(f->migrated_products, 2);
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_DONE);
	assert_string_equal(STATUS(f, MIGRATION), "2 products moved from your old CPS account");
	assert_int_equal(f->products_registered, 3);
	assert_int_equal(f->products_complete, 2);
	assert_int_equal(f->points, 100 + 400);
	assert_true(f->invited);
	assert_int_equal(f->current, CPS_STEP_LEVEL);
	tu_engine_free(&t);
}

/* --- membership ------------------------------------------------------------ */

static void test_after_membership(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_enrollment en;
	struct cps_error err = { 0 };
	struct cps_flow *f;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_no(&a);   /* gave an old e-mail, never migrates */
	long long id = validated(&t, &a, 1);
	product(&t, id, "EOS R6", "523456789012", "Foto Oslo");
	f = get(&t, id);
	assert_true(f->invited);
	/* invited, so the customer has gone past the migration */
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_OPEN);
	assert_int_equal(f->current, CPS_STEP_LEVEL);
	assert_false(f->member);

	if (cps_enroll(t.e, id, "silver", CPS_PAY_BANK, &en, &err) != CPS_OK)
		fail_msg("enrol: %s", err.msg);
	f = get(&t, id);
	assert_true(f->member);
	assert_string_equal(f->membership_number, en.number);
	assert_string_equal(f->old_membership_number, "");
	assert_string_equal(f->level_name, "Silver");
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_DONE);
	assert_string_equal(STATUS(f, LEVEL), "Level: Silver");
	assert_int_equal(STATE(f, PAYMENT), CPS_STEP_DONE);
	char want[128];
	snprintf(want, sizeof(want), "Membership %s, active", en.number);
	assert_string_equal(STATUS(f, PAYMENT), want);
	/* the optional migration does not keep the flow from its end */
	assert_int_equal(STATE(f, MIGRATION), CPS_STEP_OPEN);
	assert_true(f->complete);
	assert_int_equal(f->current, CPS_STEP_PAYMENT);
	for (int i = 0; i < CPS_STEP_COUNT; i++)
		if (i != CPS_STEP_MIGRATION)
			assert_int_equal(f->steps[i].state, CPS_STEP_DONE);

	/* a member whose product is gone stays done */
	struct cps_product *list = NULL;
	size_t n = 0;
	assert_int_equal(cps_product_list(t.e, id, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cps_product_delete(t.e, list[0].id, &err), CPS_OK);
	cps_product_list_free(list);
	f = get(&t, id);
	assert_int_equal(f->points, 0);
	assert_int_equal(STATE(f, POINTS), CPS_STEP_DONE);
	assert_int_equal(STATE(f, LEVEL), CPS_STEP_DONE);
	assert_int_equal(STATE(f, PRODUCTS), CPS_STEP_OPEN);
	assert_int_equal(f->current, CPS_STEP_PRODUCTS);
	assert_false(f->complete);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_step_names, tu_cleanup),
		cmocka_unit_test_teardown(test_nobody_yet, tu_cleanup),
		cmocka_unit_test_teardown(test_draft, tu_cleanup),
		cmocka_unit_test_teardown(test_pending_shows_dates_and_advice, tu_cleanup),
		cmocka_unit_test_teardown(test_rejected_shows_reason, tu_cleanup),
		cmocka_unit_test_teardown(test_validated_without_password, tu_cleanup),
		cmocka_unit_test_teardown(test_password_and_no_products, tu_cleanup),
		cmocka_unit_test_teardown(test_499_then_500_points, tu_cleanup),
		cmocka_unit_test_teardown(test_no_old_email_names_support, tu_cleanup),
		cmocka_unit_test_teardown(test_old_email_and_migration, tu_cleanup),
		cmocka_unit_test_teardown(test_after_membership, tu_cleanup),
	};

	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
