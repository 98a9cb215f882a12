/* remote.h - the client of the CPS remote (README, "The remote"; the
 * contract is assets/api/openapi.yaml).
 *
 * A sync drains the outbox in the order the changes were made (so one
 * customer's changes never overtake each other), marking a row sent only
 * after the remote answered 2xx (in groups: a crash before a group is
 * written sends those rows again, and the remote answers them by their
 * Idempotency-Key), then pulls the remote's decisions and
 * applies them as staff approve and reject, then its invoices (from the
 * answers to enrollments and GET /invoices; see invoice.h), then the old
 * CPS accounts of customers whose old e-mail names none at the shop
 * (legacy_remote.h).  One libcurl handle is reused
 * for every request (one keep-alive connection); TLS is always verified
 * (remote.ca_file for a private CA); proxies come from the environment
 * (https_proxy, no_proxy).  The API token is never put in a message.
 *
 * Failures: a failed connection, a reset, a timeout, 408, 429 and 5xx,
 * and an answer that is not JSON are tried again (remote.tries in one
 * sync) after a capped exponential backoff with full jitter, never sooner
 * than Retry-After; nothing is lost when they run out, the rows wait for
 * the next sync.  Any other 4xx parks the row with the reason (see
 * cps_outbox_parked()); a 409 also queues a message telling the customer,
 * in their language.  401 and 403 stop the sync (the token is wrong).
 *
 * libcurl's global set-up is done by cps_remote_open(), so a program
 * without a remote never starts it.  libcurl runs with CURLOPT_NOSIGNAL:
 * the program must ignore SIGPIPE (cpsreg sync does). */
#ifndef CPSREG_REMOTE_H
#define CPSREG_REMOTE_H

#include <signal.h>
#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

struct cps_remote;

/* What one sync did. */
struct cps_sync_report {
	int sent;          /* changes the remote took */
	int parked;        /* changes it refused for good */
	int decisions;     /* decisions applied */
	int invoices;      /* the remote's invoices stored (invoice.h) */
	int legacy;        /* old CPS accounts the remote answered for: stored,
			    * or it has none (legacy_remote.h) */
	int retries;       /* tries that failed and were repeated */
	long long waiting; /* rows still to send (parked ones included) */
	long retry_after;  /* seconds the remote asked to wait, or 0 */
};

/* Opens a client for the engine's remote.  CPS_ERR_INVALID when no
 * remote is configured (remote.url empty); CPS_ERR_MISSING when libcurl
 * is not installed (the message names the package to install);
 * CPS_ERR_NETWORK when libcurl cannot start. */
enum cps_err cps_remote_open(struct cps_remote **out, struct cps_engine *e,
			     struct cps_error *err);
void cps_remote_close(struct cps_remote *r);

/* One sync.  CPS_OK when every change that could be sent was taken
 * (some may have been parked: rep->parked, an enrollment also when the
 * remote's answer to it held a wrong invoice); CPS_ERR_INVALID when a
 * page of the remote's invoices, or an old CPS account it sent, was
 * refused (the message names the field; nothing of it was stored); CPS_ERR_NETWORK when the
 * remote could not be reached, its certificate is not trusted, or it
 * failed remote.tries times (the message says which; the changes wait);
 * CPS_ERR_AUTH when it refused the token; a store error as usual. */
enum cps_err cps_remote_sync(struct cps_remote *r, struct cps_sync_report *rep,
			     struct cps_error *err);

/* A sync ends soon after *stop becomes non-zero (a signal handler sets
 * it): the request under way is aborted (libcurl's progress callback,
 * at least once a second), no try is repeated, a backoff wait is cut
 * short; the sync then returns CPS_ERR_NETWORK and the changes wait as
 * after any fault. */
void cps_remote_set_stop(struct cps_remote *r, const volatile sig_atomic_t *stop);

/* The wait before try attempt + 2 (attempt 0: after the first failure),
 * in milliseconds: full jitter, rnd % (ceiling + 1), where the ceiling is
 * base_ms doubled attempt times but at most cap_ms; never less than
 * retry_after_ms. */
long cps_remote_backoff_ms(int attempt, long base_ms, long cap_ms,
			   long retry_after_ms, unsigned long rnd);

/* A change the remote refused for good, as staff see it. */
struct cps_outbox_parked {
	long long id;
	const char *kind;
	long long account_id;   /* 0: none */
	const char *email;      /* the customer's, or "" */
	int attempts;
	const char *reason;     /* the remote's answer: status, code, text */
	time_t created_at, parked_at;
};

/* Calls fn for every parked change, oldest first (strings live during the
 * call only; fn returns non-zero to stop). */
enum cps_err cps_outbox_parked(struct cps_engine *e,
			       int (*fn)(const struct cps_outbox_parked *p, void *arg),
			       void *arg, struct cps_error *err);

/* Staff send parked change id again at the next sync (after fixing what
 * the remote refused); the audit log gets a line.  CPS_ERR_NOT_FOUND when
 * it is not parked. */
enum cps_err cps_outbox_retry(struct cps_engine *e, long long id,
			      const char *staff_name, struct cps_error *err);

#endif
