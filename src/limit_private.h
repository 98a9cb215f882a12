/* limit_private.h - the rate limits as the resume code and the login use
 * them (src/ only; see include/cpsreg/limit.h). */
#ifndef CPSREG_LIMIT_PRIVATE_H
#define CPSREG_LIMIT_PRIVATE_H

#include "cpsreg/limit.h"

/* The key of a normalised resume code in the limits: the start of its
 * digest (code_key needs 17 bytes). */
#define CPS_LIMIT_CODE_KEY_SIZE 17
void cps_limit_code_key(const char *norm_code, char code_key[CPS_LIMIT_CODE_KEY_SIZE]);

/* CPS_OK when a try may be made now at this terminal (and for this code
 * key, unless NULL); CPS_ERR_BUSY saying how long to wait otherwise. */
enum cps_err cps_limit_check(struct cps_engine *e, const char *code_key, struct cps_error *err);
/* Records a wrong try (terminal, code); in its own transaction. */
enum cps_err cps_limit_failed(struct cps_engine *e, const char *code_key, struct cps_error *err);
/* A right try: the counts of the terminal and the code end. */
enum cps_err cps_limit_succeeded(struct cps_engine *e, const char *code_key,
				 struct cps_error *err);

/* The seconds a login waits after failed wrong passwords in a row for one
 * account (src/account.c; README, rules 3.2). */
long cps_login_delay(int failed);

#endif
