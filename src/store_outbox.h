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
				      time_t now, long long *id,
				      struct cps_error *err);
enum cps_err cps_store_messages_pending(struct cps_store *s, const char *email,
					int (*fn)(const struct cps_message *m, void *arg),
					void *arg, struct cps_error *err);
enum cps_err cps_store_message_delivered(struct cps_store *s, long long id,
					 const char *via, time_t now,
					 struct cps_error *err);

#endif
