/* test_engine.c - opening the engine: database, countries, holidays, and
 * the outbox and message queue it offers the domain modules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/engine.h"
#include "cpsreg/message.h"
#include "cpsreg/store.h"
#include "../../src/engine_private.h"
#include "../../src/outbox.h"
#include "testutil.h"

static void test_open_loads_countries(void **state)
{
	struct tu_engine t;

	(void)state;
	tu_engine_new(&t, 1790000000);
	assert_true(cps_country_count(t.e) >= 30);
	const struct cps_country *dk = cps_country_find(t.e, "dk");
	assert_non_null(dk);
	assert_string_equal(dk->code, "DK");
	assert_string_equal(dk->name, "Denmark");
	assert_true(dk->cps);
	const struct cps_country *is = cps_country_find(t.e, "IS");
	assert_non_null(is);
	assert_false(is->cps);
	assert_null(cps_country_find(t.e, "XX"));
	assert_int_equal(cps_engine_now(t.e), 1790000000);
	tu_engine_free(&t);
}

static void test_missing_assets_reported(void **state)
{
	struct tu_engine t;
	struct cps_engine *e;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, 0);
	free(t.cfg->assets_dir);
	t.cfg->assets_dir = strdup("/nonexistent");
	assert_int_equal(cps_engine_open(&e, t.cfg, &err), CPS_ERR_IO);
	assert_non_null(strstr(err.msg, "countries"));
	assert_non_null(strstr(err.msg, "general.assets_dir"));
	tu_engine_free(&t);
}

struct seen {
	int n;
	long long id;
	char body[256];
};

static int collect(const struct cps_message *m, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->id = m->id;
	snprintf(s->body, sizeof(s->body), "%s", m->body);
	return 0;
}

static void test_message_and_outbox_in_one_transaction(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct seen s = { 0 };
	long long pending = -1;

	(void)state;
	tu_engine_new(&t, 1790000000);
	/* rolled back: neither the message nor its outbox row stays */
	assert_int_equal(cps_store_begin(t.e->store, &err), CPS_OK);
	assert_int_equal(cps_message_queue(t.e, 0, "test", "a@example.com", "Hi", "Body 1", &err), CPS_OK);
	cps_store_rollback(t.e->store);
	assert_int_equal(cps_messages_pending(t.e, NULL, collect, &s, &err), CPS_OK);
	assert_int_equal(s.n, 0);
	assert_int_equal(cps_outbox_pending(t.e, &pending, &err), CPS_OK);
	assert_int_equal(pending, 0);

	/* committed: both are there, and stay after a restart */
	assert_int_equal(cps_store_begin(t.e->store, &err), CPS_OK);
	assert_int_equal(cps_message_queue(t.e, 0, "test", "a@example.com", "Hi", "Body 2", &err), CPS_OK);
	assert_int_equal(cps_outbox_add(t.e, "application", 0, NULL, &err), CPS_OK);
	assert_int_equal(cps_store_commit(t.e->store, &err), CPS_OK);
	tu_engine_reopen(&t);
	assert_int_equal(cps_messages_pending(t.e, "A@example.com", collect, &s, &err), CPS_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.body, "Body 2");
	assert_int_equal(cps_outbox_pending(t.e, &pending, &err), CPS_OK);
	assert_int_equal(pending, 2);

	/* delivered messages are no longer listed */
	s.n = 0;
	assert_int_equal(cps_message_delivered(t.e, 999, "staff", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_message_delivered(t.e, s.id, "staff", &err), CPS_OK);
	assert_int_equal(cps_messages_pending(t.e, NULL, collect, &s, &err), CPS_OK);
	assert_int_equal(s.n, 0);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_open_loads_countries, tu_cleanup),
		cmocka_unit_test_teardown(test_missing_assets_reported, tu_cleanup),
		cmocka_unit_test_teardown(test_message_and_outbox_in_one_transaction, tu_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
