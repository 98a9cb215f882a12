/* message.h - outgoing messages and the outbox, as staff see them.
 *
 * Messages (the password-set code, a rejection, an invoice) wait in the
 * database until the remote, a sendmail command or a person delivers
 * them; "cpsreg messages" lists them for staff when nothing else can. */
#ifndef CPSREG_MESSAGE_H
#define CPSREG_MESSAGE_H

#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

struct cps_message {
	long long id;
	long long account_id;
	const char *kind;       /* password_set, password_reset, rejection, invoice */
	const char *recipient;
	const char *subject;
	const char *body;
	time_t created_at;
};

/* Calls fn for every message not yet delivered, oldest first; only those
 * to email when it is not NULL.  The strings live during the call only.
 * fn returns non-zero to stop.  A message whose password code has expired
 * (rules.token_hours) or was used no longer waits: its code is wiped from
 * the body first and it is not listed. */
enum cps_err cps_messages_pending(struct cps_engine *e, const char *email,
				  int (*fn)(const struct cps_message *m, void *arg),
				  void *arg, struct cps_error *err);

/* Marks a message delivered ("staff", "sendmail", "remote"). */
enum cps_err cps_message_delivered(struct cps_engine *e, long long id,
				   const char *via, struct cps_error *err);

/* Staff handed message id over (printed it, read it out): it is marked
 * delivered via "staff", a password code in it is wiped from the stored
 * body (which keeps that it was sent), and the audit log gets a line.
 * CPS_ERR_NOT_FOUND when no such message waits. */
enum cps_err cps_message_handed_over(struct cps_engine *e, long long id,
				     const char *staff_name, struct cps_error *err);

/* Calls fn for every message delivered (handed over, sent), the newest
 * first; created_at holds when it was delivered.  fn returns non-zero to
 * stop. */
enum cps_err cps_messages_sent(struct cps_engine *e,
			       int (*fn)(const struct cps_message *m, void *arg),
			       void *arg, struct cps_error *err);

/* Staff send delivered message id again (the customer lost it): a copy
 * waits to be handed over, the remote hears of it, and the audit log gets
 * a "resend" line.  A password code is never sent twice (it was wiped when
 * handed over): CPS_ERR_STATE, as for a message that still waits;
 * CPS_ERR_NOT_FOUND for no such message. */
enum cps_err cps_message_resend(struct cps_engine *e, long long id,
				const char *staff_name, struct cps_error *err);

/* Rows of the outbox not yet sent to the remote. */
enum cps_err cps_outbox_pending(struct cps_engine *e, long long *count,
				struct cps_error *err);

#endif
