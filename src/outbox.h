/* outbox.h - recording what the remote must hear about (src/ only).
 *
 * Every state change the remote must learn of (application, document,
 * decision, products, migration, enrollment, outgoing messages) adds a row
 * to the outbox in the same transaction as the change, with a random
 * idempotency key, so a crash can neither lose it nor send it twice. */
#ifndef CPSREG_OUTBOX_H
#define CPSREG_OUTBOX_H

#include <jansson.h>

#include "cpsreg/err.h"
#include "engine_private.h"

/* Adds an outbox row of this kind ("application", "document", "decision",
 * "product", "migration", "enrollment", "message", ...).  payload is
 * stolen (json_decref'd here, also on error) and may be NULL.  Must be
 * called inside cps_store_begin()/cps_store_commit(). */
enum cps_err cps_outbox_add(struct cps_engine *e, const char *kind,
			    long long account_id, json_t *payload,
			    struct cps_error *err);

/* The same with the payload as JSON text already (data_len bytes, or
 * data NULL for none), written as json_dumps(JSON_COMPACT |
 * JSON_SORT_KEYS) writes it: the row is then the same bytes as
 * cps_outbox_add() makes of the same values (src/jsonw.h writes such
 * text). */
enum cps_err cps_outbox_add_text(struct cps_engine *e, const char *kind,
				 long long account_id, const char *data,
				 size_t data_len, struct cps_error *err);

/* Building a payload.  cps_json_set() sets key of o to v (stolen, also on
 * failure) and clears *ok when that fails -- v NULL because a value could
 * not be made, or no memory -- and cps_json_append() does the same for an
 * array; cps_json_done() gives o when every step worked and NULL (o
 * freed) otherwise, so that a payload missing a key never reaches the
 * remote. */
void cps_json_set(json_t *o, const char *key, json_t *v, int *ok);
void cps_json_append(json_t *a, json_t *v, int *ok);
json_t *cps_json_done(json_t *o, int ok);

/* Marks message id delivered via `via` and wipes its password code (here
 * and in the outbox's copy), inside the caller's transaction;
 * CPS_ERR_NOT_FOUND when it was delivered already. */
enum cps_err cps_message_mark_delivered(struct cps_engine *e, long long id,
					const char *via, struct cps_error *err);

/* Queues an outgoing message (password-set code, rejection, invoice) and
 * its outbox row.  Inside a transaction. */
enum cps_err cps_message_queue(struct cps_engine *e, long long account_id,
			       const char *kind, const char *recipient,
			       const char *subject, const char *body,
			       struct cps_error *err);

/* The same for a message that carries a password code: the code (as it
 * stands in body) is kept beside it until it is used, handed over or
 * expires at code_expires, and is then wiped from the body. */
enum cps_err cps_message_queue_code(struct cps_engine *e, long long account_id,
				    const char *kind, const char *recipient,
				    const char *subject, const char *body,
				    const char *code, time_t code_expires,
				    struct cps_error *err);

/* The account's password codes were used up: wipes them from every
 * message.  Inside a transaction. */
enum cps_err cps_message_codes_used(struct cps_engine *e, long long account_id,
				    struct cps_error *err);

#endif
