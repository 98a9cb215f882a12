/* store_limit.h - SQL for the rate limits of resume codes and logins
 * (src/ only). */
#ifndef CPSREG_STORE_LIMIT_H
#define CPSREG_STORE_LIMIT_H

#include <time.h>

#include "cpsreg/limit.h"
#include "cpsreg/store.h"

/* failures and the last failure of (scope, key); 0 and 0 when none. */
enum cps_err cps_store_limit_get(struct cps_store *s, const char *scope, const char *key,
				 int *failures, time_t *last_failed_at, struct cps_error *err);
enum cps_err cps_store_limit_failed(struct cps_store *s, const char *scope, const char *key,
				    time_t now, struct cps_error *err);
/* Removes (scope, key); *removed gets how many rows went (0 or 1). */
enum cps_err cps_store_limit_clear(struct cps_store *s, const char *scope, const char *key,
				   int *removed, struct cps_error *err);
/* Every row, then every account with wrong logins in a row, as scope
 * "login" with the e-mail as key; fn returns non-zero to stop. */
enum cps_err cps_store_limits_each(struct cps_store *s,
				   int (*fn)(const char *scope, const char *key, int failures,
					     time_t last_failed_at, void *arg),
				   void *arg, struct cps_error *err);
/* Ends the wrong-login count of the account with this e-mail. */
enum cps_err cps_store_limit_login_clear(struct cps_store *s, const char *email, int *removed,
					 struct cps_error *err);

#endif
