/* test_legacy_remote.c - an old CPS account sent by the remote: with a
 * remote the migration check says the account is being looked up until
 * the answer is stored; a good answer is stored as the import stores a
 * row (cleaned serial, date and country, the catalog's model) and MIGRATE
 * PRODUCTS moves it; each wrong field refuses the whole answer, named,
 * with nothing stored; a 404 is kept (not asked again, "not found") until
 * the old e-mail is corrected.  The sync against the test peer is
 * tests/cli/test_legacy_sync.sh. */
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
#include "cpsreg/legacy.h"
#include "cpsreg/legacy_remote.h"
#include "cpsreg/migration.h"
#include "../../src/legacy_remote_private.h"
#include "testutil.h"

#define NOW ((time_t)1790000000)        /* 2026-09-21 */
#define PASSWORD "Lukket vindue 42 i Aarhus"
#define OLD "ola@old-cps.example"        /* tu_fill_no's old CPS e-mail */

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

/* A shop (with a remote when remote) and a validated Norwegian customer
 * who gave the old CPS e-mail OLD. */
static long long customer(struct tu_engine *t, int remote)
{
	struct cps_application a;

	tu_engine_new(t, NOW);
	if (remote)
		set(&t->cfg->remote_url, "https://cps.example.com");
	tu_fill_no(&a);
	return tu_account(t, &a, 2, PASSWORD);
}

static int collect(const char *email, void *arg)
{
	char *buf = arg;

	if (*buf)
		strcat(buf, " ");
	strcat(buf, email);
	return 0;
}

/* The old e-mails the sync would ask for, space-separated. */
static const char *to_ask(struct tu_engine *t, char *buf)
{
	struct cps_error err = { 0 };

	buf[0] = '\0';
	if (cps_legacy_remote_to_ask(t->e, 50, collect, buf, &err) != CPS_OK)
		fail_msg("to ask: %s", err.msg);
	return buf;
}

static enum cps_migration_reason reason(struct tu_engine *t, long long id, char *text, size_t len)
{
	struct cps_migration_info info;
	struct cps_error err = { 0 };

	if (cps_migration_check(t->e, id, &info, &err) != CPS_OK)
		fail_msg("check: %s", err.msg);
	if (text)
		snprintf(text, len, "%s", info.text);
	cps_migration_info_free(&info);
	return info.reason;
}

static enum cps_err receive(struct tu_engine *t, const char *json, int *stored,
			    struct cps_error *err)
{
	return cps_legacy_remote_receive(t->e, OLD, json, strlen(json), stored, err);
}

#define GOOD "{\"email\": \"Ola@Old-CPS.example\", \"member_number\": \"CPS-NO-7001\"," \
	" \"name\": \"Ola  Nordlys\", \"ignored\": 1, \"products\": [" \
	"{\"model\": \"eos  r5\", \"serial\": \"0123 4567-8901\", \"purchase_date\": \"14.05.2021\"," \
	" \"purchase_country\": \"no\", \"dealer\": \"Japan Photo\"}," \
	"{\"model\": \"Speedlite EL-1\", \"purchase_date\": \"2021\", \"serial\": \"\"}]}"

static int take(const struct cps_legacy_product *p, void *arg)
{
	char *buf = arg;
	char line[256];

	snprintf(line, sizeof(line), "%s|%s|%s|%s|%s\n", p->model, p->serial, p->purchase_date,
		 p->purchase_country, p->dealer);
	strcat(buf, line);
	return 0;
}

static void test_answer_stored_and_migrated(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_legacy_account la;
	struct cps_migration_result res;
	char buf[1024], text[CPS_MIGRATION_TEXT_MAX];
	int stored = -1;

	(void)state;
	long long id = customer(&t, 1);
	assert_int_equal(reason(&t, id, text, sizeof(text)), CPS_MIGRATION_LOOKING_UP);
	assert_msg(text, "is being looked up at CPS");
	assert_msg(text, OLD);
	assert_string_equal(to_ask(&t, buf), OLD);

	if (receive(&t, GOOD, &stored, &err) != CPS_OK)
		fail_msg("receive: %s", err.msg);
	assert_int_equal(stored, 1);
	assert_int_equal(cps_legacy_find(t.e, OLD, &la, &err), CPS_OK);
	assert_string_equal(la.member_number, "CPS-NO-7001");
	assert_string_equal(la.name, "Ola Nordlys");
	assert_int_equal(la.products, 2);
	buf[0] = '\0';
	assert_int_equal(cps_legacy_products(t.e, la.id, take, buf, &err), CPS_OK);
	assert_string_equal(buf, "EOS R5|012345678901|2021-05-14|NO|Japan Photo\n"
				 "Speedlite EL-1||2021||\n");
	/* nothing more to ask; the same answer again stores nothing twice */
	assert_string_equal(to_ask(&t, buf), "");
	assert_int_equal(receive(&t, GOOD, &stored, &err), CPS_OK);
	assert_int_equal(stored, 0);
	assert_int_equal(cps_legacy_find(t.e, OLD, &la, &err), CPS_OK);
	assert_int_equal(la.products, 2);

	/* MIGRATE PRODUCTS moves it as an imported one */
	assert_int_equal(reason(&t, id, NULL, 0), CPS_MIGRATION_OFFERED);
	if (cps_migration_run(t.e, id, &res, &err) != CPS_OK)
		fail_msg("run: %s", err.msg);
	assert_int_equal(res.moved, 2);
	assert_int_equal(res.complete, 1);
	cps_migration_result_free(&res);
	tu_engine_free(&t);
}

/* Each answer is wrong in one field: refused, named, nothing stored. */
static void test_each_bad_field(void **state)
{
	static const struct {
		const char *json, *field, *why;
	} bad[] = {
		{ "[]", "GET /v1/legacy-accounts: ", "not an object" },
		{ "{\"email\": ", "GET /v1/legacy-accounts: ", "not JSON" },
		{ "{\"member_number\": \"A1\", \"products\": []}", "email: ", "missing" },
		{ "{\"email\": 7, \"member_number\": \"A1\", \"products\": []}", "email: ", "not a string" },
		{ "{\"email\": \"no at sign\", \"member_number\": \"A1\", \"products\": []}", "email: ", "" },
		{ "{\"email\": \"other@old-cps.example\", \"member_number\": \"A1\", \"products\": []}",
		  "email: ", "but " OLD " was asked for" },
		{ "{\"email\": \"" OLD "\", \"products\": []}", "member_number: ", "missing" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A 1\", \"products\": []}",
		  "member_number: ", "not a member number" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"123456789012345678901234567890123\","
		  " \"products\": []}", "member_number: ", "not a member number" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"name\": \"a\\u0007b\","
		  " \"products\": []}", "name: ", "control character" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\"}", "products: ", "missing" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": 3}",
		  "products: ", "not an array" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": [7]}",
		  "products[0]: ", "not an object" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": [{}]}",
		  "products[0].model: ", "missing" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\"}, {\"model\": \"EOS R99\"}]}",
		  "products[1].model: ", "\"EOS R99\" is not in this shop's product catalog" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"serial\": \"12#4\"}]}", "products[0].serial: ", "" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"purchase_date\": \"2019\"}]}",
		  "products[0].purchase_date: ", "2020" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"purchase_date\": \"soon\"}]}", "products[0].purchase_date: ", "" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"purchase_country\": \"NOR\"}]}",
		  "products[0].purchase_country: ", "two-letter" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"dealer\": \"Foto\\u009b2J\"}]}",
		  "products[0].dealer: ", "control character" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"dealer\": \"" "0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890\"}]}", "products[0].dealer: ", "longer than 128 bytes" },
		{ "{\"email\": \"" OLD "\", \"member_number\": \"A1\", \"products\": ["
		  "{\"model\": \"EOS R5\", \"serial\": \"55\"}, {\"model\": \"EOS R5\", \"serial\": \"5-5\"}]}",
		  "products[1].serial: ", "also products[0]" },
	};
	struct tu_engine t;
	struct cps_legacy_account la;
	char where[128], buf[1024];

	(void)state;
	long long id = customer(&t, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cps_error err = { 0 };
		int stored = -1;

		if (receive(&t, bad[i].json, &stored, &err) != CPS_ERR_INVALID)
			fail_msg("accepted: %s", bad[i].json);
		assert_int_equal(stored, 0);
		snprintf(where, sizeof(where), "%s%s",
			 strncmp(bad[i].field, "GET", 3) == 0 ? "" : "GET /v1/legacy-accounts ",
			 bad[i].field);
		assert_msg(err.msg, "the remote's answer is refused and nothing of it is stored: ");
		assert_msg(err.msg, where);
		assert_msg(err.msg, bad[i].why);
		assert_int_equal(cps_legacy_find(t.e, OLD, &la, &err), CPS_ERR_NOT_FOUND);
	}
	/* still to be asked, still being looked up */
	assert_string_equal(to_ask(&t, buf), OLD);
	assert_int_equal(reason(&t, id, NULL, 0), CPS_MIGRATION_LOOKING_UP);
	tu_engine_free(&t);
}

/* What another old account at the shop holds refuses the answer. */
static void test_clash_with_stored(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_legacy_account la;
	int stored;

	(void)state;
	customer(&t, 1);
	const char *kim = "{\"email\": \"kim@old-cps.example\", \"member_number\": \"K-1\", \"products\": ["
			  "{\"model\": \"EOS R5\", \"serial\": \"999\"}]}";
	assert_int_equal(cps_legacy_remote_receive(t.e, "kim@old-cps.example", kim, strlen(kim),
						   &stored, &err), CPS_OK);
	assert_int_equal(stored, 1);
	assert_int_equal(receive(&t, "{\"email\": \"" OLD "\", \"member_number\": \"K-1\","
				 " \"products\": []}", &stored, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "member_number: K-1 is the member number of another old CPS account at this shop (kim@old-cps.example)");
	assert_int_equal(receive(&t, "{\"email\": \"" OLD "\", \"member_number\": \"O-1\","
				 " \"products\": [{\"model\": \"EOS R5\", \"serial\": \"9 99\"}]}",
				 &stored, &err), CPS_ERR_INVALID);
	assert_msg(err.msg, "products[0].serial: EOS R5 with the serial number 999 is a product of another old CPS account");
	assert_int_equal(cps_legacy_find(t.e, OLD, &la, &err), CPS_ERR_NOT_FOUND);
	tu_engine_free(&t);
}

/* 404: kept, not asked again, "not found"; a corrected e-mail is asked. */
static void test_none_then_corrected(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char buf[1024], text[CPS_MIGRATION_TEXT_MAX];

	(void)state;
	long long id = customer(&t, 1);
	assert_int_equal(cps_legacy_remote_none(t.e, "OLA@old-cps.example", &err), CPS_OK);
	assert_int_equal(cps_legacy_remote_none(t.e, OLD, &err), CPS_OK);   /* twice: once */
	assert_string_equal(to_ask(&t, buf), "");
	assert_int_equal(reason(&t, id, text, sizeof(text)), CPS_MIGRATION_OLD_NOT_FOUND);
	assert_msg(text, "No old CPS account with the e-mail address " OLD " was found");
	if (cps_application_correct_old_email(t.e, id, "ola.nordlys@old-cps.example", "Kim",
					      &err) != CPS_OK)
		fail_msg("correct: %s", err.msg);
	assert_string_equal(to_ask(&t, buf), "ola.nordlys@old-cps.example");
	assert_int_equal(reason(&t, id, NULL, 0), CPS_MIGRATION_LOOKING_UP);
	tu_engine_free(&t);
}

/* Without a remote nothing is looked up: not found is final; a draft's
 * old e-mail is not asked either. */
static void test_without_remote_and_drafts(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	char buf[1024];
	char code[CPS_RESUME_CODE_SIZE];

	(void)state;
	long long id = customer(&t, 0);
	assert_int_equal(reason(&t, id, NULL, 0), CPS_MIGRATION_OLD_NOT_FOUND);
	tu_engine_free(&t);

	tu_engine_new(&t, NOW);
	set(&t.cfg->remote_url, "https://cps.example.com");
	tu_fill_no(&a);
	if (cps_application_new_draft(t.e, &a, code, sizeof(code), &err) != CPS_OK)
		fail_msg("draft: %s", err.msg);
	assert_string_equal(to_ask(&t, buf), "");
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_stored_and_migrated),
		cmocka_unit_test(test_each_bad_field),
		cmocka_unit_test(test_clash_with_stored),
		cmocka_unit_test(test_none_then_corrected),
		cmocka_unit_test(test_without_remote_and_drafts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
