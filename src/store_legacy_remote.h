/* store_legacy_remote.h - SQL for the old CPS accounts asked of the
 * remote (src/ only): which old e-mails to ask, the e-mails the remote
 * has no old account for, and the catalog model of a product it sends.
 * The account and its products are stored with the import's own insert
 * functions (store_legacy.h). */
#ifndef CPSREG_STORE_LEGACY_REMOTE_H
#define CPSREG_STORE_LEGACY_REMOTE_H

#include <time.h>

#include "cpsreg/store.h"

/* Calls fn with up to max old e-mails to ask the remote for, the oldest
 * account's first: given by a submitted application (not a draft) of an
 * account that has not migrated, with no old account stored under it and
 * not answered 404 before.  fn returns non-zero to stop. */
enum cps_err cps_store_legacy_to_ask(struct cps_store *s, int max,
				     int (*fn)(const char *email, void *arg), void *arg,
				     struct cps_error *err);

/* The remote has no old account with this e-mail: kept (once). */
enum cps_err cps_store_legacy_not_found_add(struct cps_store *s, const char *email,
					    time_t now, struct cps_error *err);

/* *found = 1 when the remote answered 404 for this e-mail (any case). */
enum cps_err cps_store_legacy_not_found_has(struct cps_store *s, const char *email,
					    int *found, struct cps_error *err);

/* The catalog entry of a model named without regard to ASCII case (an
 * active entry first, as an import reads it): *id 0 when there is none. */
enum cps_err cps_store_legacy_model(struct cps_store *s, const char *model, long long *id,
				    int *release_year, struct cps_error *err);

#endif
