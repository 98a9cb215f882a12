/* test_limit.c - unit tests for src/limit.c: the rate limits on resume
 * codes and logins, per terminal and per code, kept in the store; listing
 * and lifting them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpsreg/account.h"
#include "cpsreg/audit.h"
#include "cpsreg/limit.h"
#include "cpsreg/secret.h"
#include "testutil.h"

#define NOW 1700000000
#define WRONG "AAAA-BBBB-CCCC"
#define PASSWORD "Blue-Heron-Lens-2021"

struct seen {
	int n;
	char scope[16], key[300];
	int failures;
	long wait;
};

static int collect(const struct cps_limit *l, void *arg)
{
	struct seen *s = arg;

	s->n++;
	snprintf(s->scope, sizeof(s->scope), "%s", l->scope);
	snprintf(s->key, sizeof(s->key), "%s", l->key);
	s->failures = l->failures;
	s->wait = l->wait;
	return 0;
}

static struct seen list(struct tu_engine *t)
{
	struct seen s = { 0 };
	struct cps_error err = { 0 };

	assert_int_equal(cps_limits_list(t->e, collect, &s, &err), CPS_OK);
	return s;
}

static enum cps_err resume(struct tu_engine *t, const char *code)
{
	struct cps_application a;
	struct cps_error err = { 0 };

	return cps_application_resume(t->e, code, &a, &err);
}

/* A draft with its resume code in code. */
static void draft(struct tu_engine *t, char code[CPS_RESUME_CODE_SIZE])
{
	struct cps_application a;
	struct cps_error err = { 0 };

	tu_fill_dk(&a);
	assert_int_equal(cps_application_new_draft(t->e, &a, code, CPS_RESUME_CODE_SIZE, &err), CPS_OK);
}

static void test_terminal_waits_after_five(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_application a;
	char code[CPS_RESUME_CODE_SIZE];

	(void)state;
	tu_engine_new(&t, NOW);
	draft(&t, code);
	cps_limit_set_terminal(t.e, "tty1");
	/* five different wrong codes: each an ordinary refusal */
	for (int i = 0; i < CPS_LIMIT_FREE_TRIES; i++) {
		char wrong[20];
		snprintf(wrong, sizeof(wrong), "AAAA-BBBB-CCC%d", i + 2);
		assert_int_equal(resume(&t, wrong), CPS_ERR_AUTH);
	}
	struct seen s = list(&t);
	assert_int_equal(s.n, CPS_LIMIT_FREE_TRIES + 1);   /* the terminal and each code */
	/* the sixth, even the right code, waits */
	assert_int_equal(cps_application_resume(t.e, code, &a, &err), CPS_ERR_BUSY);
	assert_non_null(strstr(err.msg, "30 seconds"));
	/* another terminal is not held up */
	cps_limit_set_terminal(t.e, "tty2");
	assert_int_equal(resume(&t, code), CPS_OK);
	/* after the wait the right code works and ends the terminal's count */
	cps_limit_set_terminal(t.e, "tty1");
	cps_engine_set_now(t.e, NOW + CPS_LIMIT_FIRST_WAIT);
	assert_int_equal(resume(&t, code), CPS_OK);
	assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	assert_int_equal(resume(&t, code), CPS_OK);
	tu_engine_free(&t);
}

static void test_wait_grows_and_is_kept(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	time_t now = NOW;

	(void)state;
	tu_engine_new(&t, NOW);
	cps_limit_set_terminal(t.e, "tty1");
	for (int i = 0; i < CPS_LIMIT_FREE_TRIES; i++)
		assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	long want = CPS_LIMIT_FIRST_WAIT;
	for (int round = 0; round < 10; round++) {
		struct seen s;
		assert_int_equal(resume(&t, WRONG), CPS_ERR_BUSY);
		now += want;
		cps_engine_set_now(t.e, now);
		assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
		want = want * 2 > CPS_LIMIT_MAX_WAIT ? CPS_LIMIT_MAX_WAIT : want * 2;
		s = list(&t);
		assert_int_equal(s.n, 2);
		assert_true(s.wait == want);
	}
	/* recorded in the store: a restart keeps it */
	tu_engine_reopen(&t);
	cps_limit_set_terminal(t.e, "tty1");
	struct cps_application a;
	assert_int_equal(cps_application_resume(t.e, WRONG, &a, &err), CPS_ERR_BUSY);
	tu_engine_free(&t);
}

static void test_code_limited_without_terminal(void **state)
{
	struct tu_engine t;
	char want_key[CPS_SHA256_HEX_SIZE];

	(void)state;
	tu_engine_new(&t, NOW);
	/* no terminal named (a script): the same code still counts */
	for (int i = 0; i < CPS_LIMIT_FREE_TRIES; i++)
		assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	assert_int_equal(resume(&t, "aaaa bbbb cccc"), CPS_ERR_BUSY);   /* the same code typed otherwise */
	assert_int_equal(resume(&t, "AAAA-BBBB-CCCD"), CPS_ERR_AUTH);   /* another one is not held up */
	struct seen s = list(&t);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.scope, "code");
	/* the key is the digest's start, never the code */
	assert_int_equal(cps_secret_digest(WRONG, want_key), CPS_OK);
	assert_null(strstr(s.key, "AAAA"));
	tu_engine_free(&t);
}

static void test_login_per_terminal(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, NOW);
	tu_fill_dk(&a);
	tu_account(&t, &a, 2, PASSWORD);
	cps_limit_set_terminal(t.e, "pts/3");
	/* wrong addresses spread over many accounts still count at the terminal */
	for (int i = 0; i < CPS_LIMIT_FREE_TRIES; i++) {
		char email[64];
		snprintf(email, sizeof(email), "nobody%d@example.com", i);
		assert_int_equal(cps_login(t.e, email, PASSWORD, NULL, &err), CPS_ERR_AUTH);
	}
	assert_int_equal(cps_login(t.e, a.email, PASSWORD, NULL, &err), CPS_ERR_BUSY);
	struct seen s = list(&t);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.scope, "terminal");
	assert_string_equal(s.key, "pts/3");
	assert_int_equal(s.failures, CPS_LIMIT_FREE_TRIES);
	assert_true(s.wait > 0);
	/* staff lift it: the customer logs in at once */
	assert_int_equal(cps_limit_lift(t.e, "terminal", "pts/3", "Kari", &err), CPS_OK);
	assert_int_equal(cps_login(t.e, a.email, PASSWORD, NULL, &err), CPS_OK);
	assert_int_equal(list(&t).n, 0);
	tu_engine_free(&t);
}

/* Counts the audit's "unlock" lines, and keeps the last one's actor. */
struct unlocks {
	int n;
	char actor[64];
};

static int count_unlock(const struct cps_audit_line *l, void *arg)
{
	struct unlocks *u = arg;

	if (strcmp(l->action, "unlock") == 0) {
		u->n++;
		snprintf(u->actor, sizeof(u->actor), "%s", l->actor);
	}
	return 0;
}

static struct unlocks unlocks(struct tu_engine *t)
{
	struct unlocks u = { 0 };
	struct cps_error err = { 0 };

	assert_int_equal(cps_audit_list(t->e, 0, count_unlock, &u, &err), CPS_OK);
	return u;
}

static void test_lift(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };

	(void)state;
	tu_engine_new(&t, NOW);
	tu_fill_dk(&a);
	tu_account(&t, &a, 2, PASSWORD);
	/* refusals: nothing there, an unknown scope, no key */
	assert_int_equal(cps_limit_lift(t.e, "terminal", "tty9", "Kari", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_limit_lift(t.e, "all", NULL, "Kari", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_limit_lift(t.e, "everything", "x", "Kari", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_limit_lift(t.e, "code", "", "Kari", &err), CPS_ERR_INVALID);
	/* a refusal is no staff action */
	assert_int_equal(unlocks(&t).n, 0);

	/* the account's own login wait is listed as "login" and lifted by e-mail */
	for (int i = 0; i < CPS_LOGIN_FREE_TRIES + 1; i++)
		(void)cps_login(t.e, a.email, "wrong password 1", NULL, &err);
	struct seen s = list(&t);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.scope, "login");
	assert_string_equal(s.key, a.email);
	assert_int_equal(cps_login(t.e, a.email, PASSWORD, NULL, &err), CPS_ERR_BUSY);
	assert_int_equal(cps_limit_lift(t.e, "login", "METTE@hansen-foto.dk", "Kari", &err), CPS_OK);
	assert_int_equal(cps_login(t.e, a.email, PASSWORD, NULL, &err), CPS_OK);

	/* a code is lifted as typed */
	for (int i = 0; i < CPS_LIMIT_FREE_TRIES; i++)
		assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	assert_int_equal(resume(&t, WRONG), CPS_ERR_BUSY);
	assert_int_equal(cps_limit_lift(t.e, "code", "aaaa-bbbb-cccc", "Kari", &err), CPS_OK);
	assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	/* or all at once */
	cps_limit_set_terminal(t.e, "tty1");
	assert_int_equal(resume(&t, WRONG), CPS_ERR_AUTH);
	assert_int_equal(list(&t).n, 2);
	assert_int_equal(cps_limit_lift(t.e, "all", NULL, "Kari", &err), CPS_OK);
	assert_int_equal(list(&t).n, 0);
	/* every lift is in the audit log, with who lifted it */
	struct unlocks u = unlocks(&t);
	assert_int_equal(u.n, 3);
	assert_string_equal(u.actor, "Kari");
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_terminal_waits_after_five, tu_cleanup),
		cmocka_unit_test_teardown(test_wait_grows_and_is_kept, tu_cleanup),
		cmocka_unit_test_teardown(test_code_limited_without_terminal, tu_cleanup),
		cmocka_unit_test_teardown(test_login_per_terminal, tu_cleanup),
		cmocka_unit_test_teardown(test_lift, tu_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
