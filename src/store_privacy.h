/* store_privacy.h - SQL for a customer's data as a whole: every row that
 * belongs to an account, for an export or an erasure (src/ only). */
#ifndef CPSREG_STORE_PRIVACY_H
#define CPSREG_STORE_PRIVACY_H

#include <jansson.h>

#include "cpsreg/store.h"

/* An object: "account" (the row), then one array per table with an
 * account_id column (document, product, message, audit, ...), each row an
 * object of its columns.  Hashes of secrets are left out and a blob is
 * given as its size.  *out is the caller's (json_decref). */
enum cps_err cps_store_customer_json(struct cps_store *s, long long id,
				     json_t **out, struct cps_error *err);

/* Removes the account and every row of every table with an account_id
 * column except the audit log, and the old CPS account with its old
 * e-mail, with secure_delete on so that the freed pages are zeroed.
 * Inside a transaction. */
enum cps_err cps_store_customer_erase(struct cps_store *s, long long id,
				      const char *old_email,
				      struct cps_error *err);

/* Copies the journal (WAL) into the database and empties it, so that
 * erased rows do not stay in it.  Outside a transaction.  *busy is 1 when
 * another connection still reads and the journal could not be emptied
 * now (a later checkpoint does it). */
enum cps_err cps_store_checkpoint_truncate(struct cps_store *s, int *busy,
					   struct cps_error *err);

#endif
