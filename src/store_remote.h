/* store_remote.h - SQL for the sync with the remote: the next change to
 * send, marking it sent, retried or parked, and the parked list (src/
 * only). */
#ifndef CPSREG_STORE_REMOTE_H
#define CPSREG_STORE_REMOTE_H

#include <time.h>

#include "cpsreg/remote.h"
#include "cpsreg/store.h"

/* One outbox row to send; the strings are owned (free with
 * cps_store_outbox_item_free). */
struct cps_outbox_item {
	long long id;
	long long account_id;   /* 0: none */
	char *idem_key;
	char *kind;
	char *payload;
};

/* The first row after after_id not yet sent and not parked.  *found = 0
 * when there is none. */
enum cps_err cps_store_outbox_next(struct cps_store *s, long long after_id,
				   struct cps_outbox_item *item, int *found,
				   struct cps_error *err);
void cps_store_outbox_item_free(struct cps_outbox_item *item);

/* The remote answered 2xx: the row is sent (nothing happens when another
 * sync sent it meanwhile). */
enum cps_err cps_store_outbox_sent(struct cps_store *s, long long id, time_t now,
				   struct cps_error *err);
/* The message an outbox row hands to the remote to deliver (delivery
 * "remote"); *message_id 0 for any other row. */
enum cps_err cps_store_outbox_remote_message(struct cps_store *s, long long id,
					     long long *message_id, struct cps_error *err);
/* A try failed: counts it and keeps why; park also parks the row. */
enum cps_err cps_store_outbox_failed(struct cps_store *s, long long id,
				     const char *why, int park, time_t now,
				     struct cps_error *err);
/* Staff send a parked row again: it waits as before. */
enum cps_err cps_store_outbox_unpark(struct cps_store *s, long long id,
				     struct cps_error *err);
/* Calls fn for every parked row, oldest first. */
enum cps_err cps_store_outbox_parked(struct cps_store *s,
				     int (*fn)(const struct cps_outbox_parked *p, void *arg),
				     void *arg, struct cps_error *err);

#endif
