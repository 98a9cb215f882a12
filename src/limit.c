/* limit.c - rate limits on resume codes and logins, per terminal and per
 * code (see include/cpsreg/limit.h).  The SQL is in src/store_limit.c. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/secret.h"
#include "audit.h"
#include "engine_private.h"
#include "limit_private.h"
#include "store_limit.h"

void cps_limit_set_terminal(struct cps_engine *e, const char *name)
{
	snprintf(e->terminal, sizeof(e->terminal), "%s", name ? name : "");
}

void cps_limit_code_key(const char *norm_code, char code_key[CPS_LIMIT_CODE_KEY_SIZE])
{
	char hex[CPS_SHA256_HEX_SIZE];

	if (cps_secret_digest(norm_code, hex) != CPS_OK)
		hex[0] = '\0';
	snprintf(code_key, CPS_LIMIT_CODE_KEY_SIZE, "%.16s", hex);
}

/* Seconds the try after failures wrong ones in a row waits. */
static long limit_delay(int failures)
{
	long d = CPS_LIMIT_FIRST_WAIT;

	if (failures < CPS_LIMIT_FREE_TRIES)
		return 0;
	for (int n = failures - CPS_LIMIT_FREE_TRIES; n > 0 && d < CPS_LIMIT_MAX_WAIT; n--)
		d *= 2;
	return d > CPS_LIMIT_MAX_WAIT ? CPS_LIMIT_MAX_WAIT : d;
}

static long wait_left(int failures, time_t last, time_t now)
{
	long delay = limit_delay(failures);

	return delay > 0 && now < last + delay ? (long)(last + delay - now) : 0;
}

/* The wait of one (scope, key), 0 when none; -1 on a store error. */
static long scope_wait(struct cps_engine *e, const char *scope, const char *key,
		       struct cps_error *err)
{
	int failures;
	time_t last;

	if (cps_store_limit_get(e->store, scope, key, &failures, &last, err) != CPS_OK)
		return -1;
	return wait_left(failures, last, cps_engine_now(e));
}

enum cps_err cps_limit_check(struct cps_engine *e, const char *code_key, struct cps_error *err)
{
	long wait = 0, w;

	if (e->terminal[0]) {
		if ((w = scope_wait(e, "terminal", e->terminal, err)) < 0)
			return err->code;
		wait = w;
	}
	if (code_key && code_key[0]) {
		if ((w = scope_wait(e, "code", code_key, err)) < 0)
			return err->code;
		wait = w > wait ? w : wait;
	}
	if (wait > 0)
		return cps_error_set(err, CPS_ERR_BUSY,
				     dngettext(CPS_TEXTDOMAIN,
					       "Too many wrong tries here. Please wait %ld second and try again, or ask staff for help.",
					       "Too many wrong tries here. Please wait %ld seconds and try again, or ask staff for help.",
					       (unsigned long)wait),
				     wait);
	return CPS_OK;
}

/* Runs the store calls for a wrong or right try in one transaction. */
static enum cps_err record(struct cps_engine *e, const char *code_key, int failed,
			   struct cps_error *err)
{
	enum cps_err rc;
	time_t now = cps_engine_now(e);

	if (!e->terminal[0] && !(code_key && code_key[0]))
		return CPS_OK;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	if (e->terminal[0])
		rc = failed ? cps_store_limit_failed(e->store, "terminal", e->terminal, now, err)
			    : cps_store_limit_clear(e->store, "terminal", e->terminal, NULL, err);
	if (rc == CPS_OK && code_key && code_key[0])
		rc = failed ? cps_store_limit_failed(e->store, "code", code_key, now, err)
			    : cps_store_limit_clear(e->store, "code", code_key, NULL, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		return rc;
	}
	return cps_store_commit(e->store, err);
}

enum cps_err cps_limit_failed(struct cps_engine *e, const char *code_key, struct cps_error *err)
{
	return record(e, code_key, 1, err);
}

enum cps_err cps_limit_succeeded(struct cps_engine *e, const char *code_key,
				 struct cps_error *err)
{
	return record(e, code_key, 0, err);
}

struct list_ctx {
	struct cps_engine *e;
	int (*fn)(const struct cps_limit *l, void *arg);
	void *arg;
};

static int list_one(const char *scope, const char *key, int failures, time_t last, void *arg)
{
	struct list_ctx *c = arg;
	long wait = 0;

	if (strcmp(scope, "login") == 0) {
		/* the login's own rule, per account (account.h) */
		long d = cps_login_delay(failures);
		time_t now = cps_engine_now(c->e);
		wait = d > 0 && now < last + d ? (long)(last + d - now) : 0;
	} else {
		wait = wait_left(failures, last, cps_engine_now(c->e));
	}
	struct cps_limit l = { scope, key, failures, last, wait };
	return c->fn(&l, c->arg);
}

enum cps_err cps_limits_list(struct cps_engine *e,
			     int (*fn)(const struct cps_limit *l, void *arg), void *arg,
			     struct cps_error *err)
{
	struct list_ctx c = { e, fn, arg };

	return cps_store_limits_each(e->store, list_one, &c, err);
}

enum cps_err cps_limit_lift(struct cps_engine *e, const char *scope, const char *key,
			    const char *staff_name, struct cps_error *err)
{
	char code_key[CPS_LIMIT_CODE_KEY_SIZE], norm[CPS_RESUME_CODE_SIZE];
	struct cps_error e1 = { 0 };
	int removed = 0, n = 0, all = scope && strcmp(scope, "all") == 0;
	enum cps_err rc;

	if (!scope || (!all && (!key || !key[0])) ||
	    (!all && strcmp(scope, "terminal") != 0 && strcmp(scope, "code") != 0 &&
	     strcmp(scope, "login") != 0))
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Say what to unlock: terminal NAME, code CODE, login EMAIL, or all."));
	if (!all && strcmp(scope, "code") == 0 &&
	    cps_resume_code_normalise(key, norm, sizeof(norm), &e1) == CPS_OK) {
		cps_limit_code_key(norm, code_key);   /* the code as typed */
		key = code_key;
	}
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	if (all || strcmp(scope, "terminal") == 0) {
		rc = cps_store_limit_clear(e->store, "terminal", all ? NULL : key, &n, err);
		removed += n;
	}
	if (rc == CPS_OK && (all || strcmp(scope, "code") == 0)) {
		rc = cps_store_limit_clear(e->store, "code", all ? NULL : key, &n, err);
		removed += n;
	}
	if (rc == CPS_OK && (all || strcmp(scope, "login") == 0)) {
		rc = cps_store_limit_login_clear(e->store, all ? NULL : key, &n, err);
		removed += n;
	}
	if (rc == CPS_OK && !removed)
		rc = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s", _("Nothing was limited there."));
	/* a lifted wait is a staff action: who let more tries through */
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name && *staff_name ? staff_name : "-", "unlock", 0, 0, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		return rc;
	}
	return cps_store_commit(e->store, err);
}
