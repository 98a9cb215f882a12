/* claim.h - one process at a time for a job on a database: an import,
 * the delivery of the waiting messages (src/claim.c).
 *
 * A claim is a row in meta naming the process that holds it (its pid and
 * when it started), so a claim whose process has ended, even killed,
 * stops counting by itself, and a reused pid is not taken for it. */
#ifndef CPSREG_CLAIM_H
#define CPSREG_CLAIM_H

#include "cpsreg/err.h"
#include "cpsreg/store.h"

/* Takes the claim key for this process, inside the caller's transaction
 * (cps_store_begin).  CPS_ERR_BUSY, with the holder's pid in *holder and
 * nothing written, when a live process holds it. */
enum cps_err cps_claim_take(struct cps_store *s, const char *key, long *holder,
			    struct cps_error *err);

/* Gives the claim key up: in the caller's transaction when one is open,
 * else in one of its own. */
enum cps_err cps_claim_drop(struct cps_store *s, const char *key, struct cps_error *err);

#endif
