/* test_remote.c - the remote's client without a remote: the backoff's
 * bounds, no remote configured, and a remote that cannot be reached
 * (nothing is marked sent, every try is counted on the row, the token is
 * in no message).  The client against a real TLS peer is tested by
 * tests/cli/test_sync.sh and tests/stress/test_sync_faults.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cpsreg/message.h"
#include "cpsreg/remote.h"
#include "engine_private.h"
#include "store_private.h"
#include "testutil.h"

static void test_backoff_bounds(void **state)
{
	(void)state;
	/* full jitter: anything from 0 to the ceiling, the ceiling doubling
	 * from base and stopping at the cap */
	assert_int_equal(cps_remote_backoff_ms(0, 500, 60000, 0, 0), 0);
	assert_int_equal(cps_remote_backoff_ms(0, 500, 60000, 0, 500), 500);
	assert_int_equal(cps_remote_backoff_ms(0, 500, 60000, 0, 501), 0);
	assert_int_equal(cps_remote_backoff_ms(3, 500, 60000, 0, 4000), 4000);
	assert_int_equal(cps_remote_backoff_ms(3, 500, 60000, 0, 4001), 0);
	long top = 0;
	for (unsigned long rnd = 0; rnd < 200000; rnd += 7) {
		long w = cps_remote_backoff_ms(40, 500, 60000, 0, rnd * 2654435761UL);
		assert_true(w >= 0 && w <= 60000);
		if (w > top)
			top = w;
	}
	/* the cap is reached, not only approached from below */
	assert_int_equal(cps_remote_backoff_ms(40, 500, 60000, 0, 60000), 60000);
	assert_true(top > 30000);
	/* Retry-After is a floor, above the jitter and above the cap */
	assert_int_equal(cps_remote_backoff_ms(0, 500, 60000, 3000, 0), 3000);
	assert_int_equal(cps_remote_backoff_ms(0, 500, 1000, 5000, 999), 5000);
	assert_int_equal(cps_remote_backoff_ms(2, 500, 60000, 1000, 1999), 1999);
}

static void set_str(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
	assert_non_null(*field);
}

static void test_no_remote(void **state)
{
	struct tu_engine t;
	struct cps_remote *r = (struct cps_remote *)1;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, 0);
	assert_int_equal(cps_remote_open(&r, t.e, &err), CPS_ERR_INVALID);
	assert_null(r);
	assert_non_null(strstr(err.msg, "remote.url"));
	tu_engine_free(&t);
}

/* Port 1 on loopback refuses every connection. */
static void test_unreachable_keeps_everything(void **state)
{
	struct tu_engine t;
	struct cps_remote *r = NULL;
	struct cps_error err = { 0 };
	struct cps_sync_report rep;
	long long waiting = 0;
	sqlite3_stmt *st;

	(void)state;
	tu_engine_new(&t, 0);
	tu_account_draft(&t, "a@example.dk", "DK");
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store),
		"INSERT INTO outbox (idem_key, kind, account_id, payload, created_at) VALUES"
		" ('k1', 'product', 1, '{}', 1), ('k2', 'product', 1, '{}', 2)", NULL, NULL, NULL),
		SQLITE_OK);
	set_str(&t.cfg->remote_url, "http://127.0.0.1:1/");
	set_str(&t.cfg->remote_token, "SECRET-TOKEN-never-shown");
	t.cfg->remote_tries = 3;
	t.cfg->remote_backoff_ms = 1;
	assert_int_equal(cps_remote_open(&r, t.e, &err), CPS_OK);
	assert_int_equal(cps_remote_sync(r, &rep, &err), CPS_ERR_NETWORK);
	assert_non_null(strstr(err.msg, "cannot reach the remote"));
	assert_null(strstr(err.msg, "SECRET-TOKEN"));
	assert_int_equal(rep.sent, 0);
	assert_int_equal(rep.retries, 2);
	cps_remote_close(r);

	assert_int_equal(cps_outbox_pending(t.e, &waiting, &err), CPS_OK);
	assert_int_equal(waiting, 2);
	/* the first row counts the three tries; the second was never tried,
	 * so it cannot have overtaken the first */
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t.e->store),
		"SELECT idem_key, attempts, coalesce(last_error, ''), sent_at IS NULL,"
		" parked_at IS NULL FROM outbox ORDER BY id", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), 3);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 2), "cannot reach"));
	assert_null(strstr((const char *)sqlite3_column_text(st, 2), "SECRET"));
	assert_int_equal(sqlite3_column_int(st, 3), 1);
	assert_int_equal(sqlite3_column_int(st, 4), 1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	sqlite3_finalize(st);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_backoff_bounds, tu_cleanup),
		cmocka_unit_test_teardown(test_no_remote, tu_cleanup),
		cmocka_unit_test_teardown(test_unreachable_keeps_everything, tu_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
