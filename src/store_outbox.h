/* store_outbox.h - SQL for the outbox and the message table (src/ only). */
#ifndef CPSREG_STORE_OUTBOX_H
#define CPSREG_STORE_OUTBOX_H

#include <time.h>

#include "cpsreg/message.h"
#include "cpsreg/store.h"

enum cps_err cps_store_outbox_insert(struct cps_store *s, const char *idem_key,
				     const char *kind, long long account_id,
				     const char *payload, time_t now,
				     struct cps_error *err);
enum cps_err cps_store_outbox_pending(struct cps_store *s, long long *count,
				      struct cps_error *err);
enum cps_err cps_store_message_insert(struct cps_store *s, long long account_id,
				      const char *kind, const char *recipient,
				      const char *subject, const char *body,
				      const char *code, time_t code_expires,
				      time_t now, long long *id,
				      struct cps_error *err);
enum cps_err cps_store_messages_pending(struct cps_store *s, const char *email,
					int (*fn)(const struct cps_message *m, void *arg),
					void *arg, struct cps_error *err);
/* The messages delivered, newest first (created_at holds when). */
enum cps_err cps_store_messages_sent(struct cps_store *s,
				     int (*fn)(const struct cps_message *m, void *arg),
				     void *arg, struct cps_error *err);
/* Calls fn once with message id and whether it was delivered;
 * CPS_ERR_NOT_FOUND when there is no such message. */
enum cps_err cps_store_message_get(struct cps_store *s, long long id,
				   int (*fn)(const struct cps_message *m, int delivered, void *arg),
				   void *arg, struct cps_error *err);
enum cps_err cps_store_message_delivered(struct cps_store *s, long long id,
					 const char *via, time_t now,
					 struct cps_error *err);

/* The account of message id (0: none); CPS_ERR_NOT_FOUND when there is no
 * such message. */
enum cps_err cps_store_message_account(struct cps_store *s, long long id,
				       long long *account_id, struct cps_error *err);

/* Which messages' password codes cps_store_message_wipe removes. */
enum cps_wipe {
	CPS_WIPE_MESSAGE = 0, /* key: the message's id */
	CPS_WIPE_ACCOUNT,     /* key: the account's id */
	CPS_WIPE_EXPIRED      /* key unused: every code expired by now */
};

/* Replaces the password code in the body of each such message (and in the
 * outbox's copy) by repl, forgets the code, and marks a message still
 * waiting as delivered via `via`.  *count (may be NULL) gets how many. */
enum cps_err cps_store_message_wipe(struct cps_store *s, enum cps_wipe which,
				    long long key, const char *via,
				    const char *repl, time_t now, int *count,
				    struct cps_error *err);

#endif
