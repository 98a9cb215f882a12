/* test_kiosk.c - unit tests for src/kiosk.c: the staff PIN that guards
 * leaving a kiosk, and the growing wait after wrong tries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpsreg/kiosk.h"
#include "cpsreg/secret.h"
#include "testutil.h"

#define NOW 1700000000
#define PIN "246810"

static void set_pin(struct tu_engine *t, const char *pin)
{
	char hash[CPS_PASSWORD_HASH_SIZE];
	struct cps_error err = { 0 };

	assert_int_equal(cps_password_hash(pin, hash, sizeof(hash), &err), CPS_OK);
	free(t->cfg->kiosk_staff_pin_hash);
	t->cfg->kiosk_staff_pin_hash = strdup(hash);
	assert_non_null(t->cfg->kiosk_staff_pin_hash);
}

static void test_no_hash_refuses(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, NOW);
	assert_false(cps_kiosk_pin_configured(t.e));
	assert_int_equal(cps_kiosk_pin_check(t.e, PIN, NULL, &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "kiosk.staff_pin_hash"));
	assert_int_equal(cps_kiosk_pin_check(t.e, "", NULL, &err), CPS_ERR_STATE);
	tu_engine_free(&t);
}

static void test_right_and_wrong(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	long wait = -1;

	(void)state;
	tu_engine_new(&t, NOW);
	set_pin(&t, PIN);
	assert_true(cps_kiosk_pin_configured(t.e));
	assert_int_equal(cps_kiosk_pin_check(t.e, PIN, &wait, &err), CPS_OK);
	assert_int_equal(wait, 0);
	assert_int_equal(cps_kiosk_pin_check(t.e, "246811", &wait, &err), CPS_ERR_AUTH);
	assert_null(strstr(err.msg, PIN));   /* the PIN is never repeated */
	assert_int_equal(cps_kiosk_pin_check(t.e, "", &wait, &err), CPS_ERR_AUTH);
	/* after the free tries the next waits, whatever is typed */
	assert_int_equal(cps_kiosk_pin_check(t.e, NULL, &wait, &err), CPS_ERR_BUSY);
	cps_engine_set_now(t.e, NOW + wait);
	assert_int_equal(cps_kiosk_pin_check(t.e, NULL, &wait, &err), CPS_ERR_AUTH);
	tu_engine_free(&t);
}

static void test_wait_grows(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	long wait = -1;

	(void)state;
	tu_engine_new(&t, NOW);
	set_pin(&t, PIN);
	/* the free tries cost no wait */
	for (int i = 1; i < CPS_PIN_FREE_TRIES; i++) {
		assert_int_equal(cps_kiosk_pin_check(t.e, "000000", &wait, &err), CPS_ERR_AUTH);
		assert_int_equal(wait, 0);
	}
	assert_int_equal(cps_kiosk_pin_check(t.e, "000000", &wait, &err), CPS_ERR_AUTH);
	assert_int_equal(wait, 2);
	/* while the wait runs even the right PIN is refused, uncompared */
	assert_int_equal(cps_kiosk_pin_check(t.e, PIN, &wait, &err), CPS_ERR_BUSY);
	assert_int_equal(wait, 2);
	assert_non_null(strstr(err.msg, "2 seconds"));
	cps_engine_set_now(t.e, NOW + 1);
	assert_int_equal(cps_kiosk_pin_check(t.e, PIN, &wait, &err), CPS_ERR_BUSY);
	assert_int_equal(wait, 1);
	/* another wrong try after the wait doubles it */
	cps_engine_set_now(t.e, NOW + 2);
	assert_int_equal(cps_kiosk_pin_check(t.e, "000000", &wait, &err), CPS_ERR_AUTH);
	assert_int_equal(wait, 4);
	/* and it never passes the cap */
	time_t now = NOW + 2;
	for (int i = 0; i < 20; i++) {
		now += CPS_PIN_MAX_DELAY;
		cps_engine_set_now(t.e, now);
		assert_int_equal(cps_kiosk_pin_check(t.e, "000000", &wait, &err), CPS_ERR_AUTH);
		assert_true(wait <= CPS_PIN_MAX_DELAY);
	}
	assert_int_equal(wait, CPS_PIN_MAX_DELAY);
	/* the right PIN after the wait starts the count over */
	cps_engine_set_now(t.e, now + CPS_PIN_MAX_DELAY);
	assert_int_equal(cps_kiosk_pin_check(t.e, PIN, &wait, &err), CPS_OK);
	assert_int_equal(cps_kiosk_pin_check(t.e, "000000", &wait, &err), CPS_ERR_AUTH);
	assert_int_equal(wait, CPS_PIN_FREE_TRIES > 1 ? 0 : 2);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_hash_refuses, tu_cleanup),
		cmocka_unit_test_teardown(test_right_and_wrong, tu_cleanup),
		cmocka_unit_test_teardown(test_wait_grows, tu_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
