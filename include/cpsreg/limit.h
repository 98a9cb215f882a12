/* limit.h - rate limits on resume codes and logins (README, "Running a
 * kiosk").
 *
 * Wrong tries are counted in the store per terminal (wrong resume codes and
 * wrong logins at one screen together) and per resume code tried (by its
 * digest, never the code).  After CPS_LIMIT_FREE_TRIES wrong tries in a row
 * the next waits CPS_LIMIT_FIRST_WAIT seconds, twice as long after each
 * further wrong try, at most CPS_LIMIT_MAX_WAIT; a right try ends the count.
 * A login's own per-account wait (account.h) is listed here too.  Staff
 * see the limits and lift them (cpsreg limits, cpsreg unlock). */
#ifndef CPSREG_LIMIT_H
#define CPSREG_LIMIT_H

#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

#define CPS_LIMIT_FREE_TRIES 5
#define CPS_LIMIT_FIRST_WAIT 30
#define CPS_LIMIT_MAX_WAIT 3600
#define CPS_LIMIT_TERMINAL_MAX 128

/* Names the terminal this engine serves ("tty1", "pts/3"): from then on
 * wrong resume codes and logins count against it too.  NULL or "": none
 * (commands and scripts). */
void cps_limit_set_terminal(struct cps_engine *e, const char *name);

/* One limit: scope "terminal" (key: the terminal), "code" (key: the start
 * of the code's digest) or "login" (key: the account's e-mail); wait is
 * the seconds the next try must still wait (0: none now). */
struct cps_limit {
	const char *scope;
	const char *key;
	int failures;
	time_t last_failed_at;
	long wait;
};

/* Calls fn for every limit with wrong tries; fn returns non-zero to stop. */
enum cps_err cps_limits_list(struct cps_engine *e,
			     int (*fn)(const struct cps_limit *l, void *arg), void *arg,
			     struct cps_error *err);

/* Lifts limits: scope "terminal", "code" or "login" with a key (a code may
 * be given as typed, or as the digest's start that cps_limits_list shows),
 * or scope "all" (key NULL) for every one; the audit log gets an "unlock"
 * line with staff_name.  CPS_ERR_NOT_FOUND when nothing was limited (and
 * nothing is recorded); CPS_ERR_INVALID for an unknown scope. */
enum cps_err cps_limit_lift(struct cps_engine *e, const char *scope, const char *key,
			    const char *staff_name, struct cps_error *err);

#endif
