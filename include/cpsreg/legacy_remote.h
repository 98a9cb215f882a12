/* legacy_remote.h - an old CPS account asked of the remote (README, "The
 * remote"; the contract's GET /v1/legacy-accounts?email= and its
 * LegacyAccount).  With a remote, a customer whose old CPS e-mail names no
 * old account stored at the shop has it looked up by the sync; what the
 * remote sends is read strictly and stored in the same tables, with the
 * same rules, as a row of the export staff import (legacy.h), so that
 * MIGRATE PRODUCTS moves it as it moves an imported one.
 *
 * The answer is checked whole before anything is stored:
 *   email           required; an e-mail address, the one asked (any case)
 *   member_number   required; letters, digits and - . /, at most
 *                   CPS_LEGACY_MEMBER_MAX characters; no other old account
 *                   at the shop has it
 *   name            optional; text without control characters, at most
 *                   CPS_LEGACY_NAME_MAX bytes
 *   products        required, an array (empty: an old account without
 *                   products); each an object with
 *     model         required; a model of the shop's catalog (any case,
 *                   extra spaces ignored).  A model the catalog does not
 *                   know refuses the answer: the products move all or
 *                   none, so staff import a newer catalog and the next
 *                   sync asks again
 *     serial, purchase_date, purchase_country, dealer
 *                   optional, each read by the import's rule (legacy.h);
 *                   a model and serial given twice, or stored for another
 *                   old account, refuse the answer
 * A refusal names the field ("GET /v1/legacy-accounts products[2].model:
 * ...") and stores nothing; the e-mail is asked again at the next sync.
 * Other members of the answer are ignored.  All text is stored in NFC. */
#ifndef CPSREG_LEGACY_REMOTE_H
#define CPSREG_LEGACY_REMOTE_H

#include <stddef.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

/* The most products one answer may carry. */
#define CPS_LEGACY_REMOTE_PRODUCTS_MAX 20000

/* Reads the remote's answer (text, len bytes of JSON) to the question for
 * asked_email and stores the old account and its products in one
 * transaction.  *stored = 1 when it was stored, 0 when an old account with
 * that e-mail was there already (staff imported it meanwhile: nothing
 * changes).  CPS_ERR_INVALID when the answer is refused (err names the
 * field and what is wrong; nothing was stored); a store error otherwise. */
enum cps_err cps_legacy_remote_receive(struct cps_engine *e, const char *asked_email,
				       const char *text, size_t len, int *stored,
				       struct cps_error *err);

/* The remote has no old account with this e-mail (it answered 404): kept,
 * so that the sync does not ask again and MIGRATE PRODUCTS says there is
 * none. */
enum cps_err cps_legacy_remote_none(struct cps_engine *e, const char *email,
				    struct cps_error *err);

#endif
