/* legacy_remote_private.h - the remote's old CPS account as the sync hands
 * it over (src/ only; see include/cpsreg/legacy_remote.h). */
#ifndef CPSREG_LEGACY_REMOTE_PRIVATE_H
#define CPSREG_LEGACY_REMOTE_PRIVATE_H

#include <jansson.h>

#include "cpsreg/legacy_remote.h"

/* cps_legacy_remote_receive() on an answer already parsed. */
enum cps_err cps_legacy_remote_receive_json(struct cps_engine *e, const char *asked_email,
					    json_t *answer, int *stored,
					    struct cps_error *err);

/* Calls fn with up to max old e-mails the sync is to ask the remote for
 * (store_legacy_remote.h says which). */
enum cps_err cps_legacy_remote_to_ask(struct cps_engine *e, int max,
				      int (*fn)(const char *email, void *arg), void *arg,
				      struct cps_error *err);

#endif
