/* remote.c - the client of the CPS remote: drains the outbox over one
 * keep-alive libcurl handle and pulls the remote's decisions (see
 * include/cpsreg/remote.h and assets/api/openapi.yaml). */
#define _DEFAULT_SOURCE 1 /* nanosleep under older glibc, explicit_bzero */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "curl_load.h" /* libcurl, opened only when a sync starts */
#include <jansson.h>

#include "buildpaths.h"
#include "cpsreg/account.h"
#include "cpsreg/cpsreg.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/remote.h"
#include "cpsreg/secret.h"
#include "cpsreg/text.h"
#include "audit.h"
#include "invoice_private.h"
#include "legacy_remote_private.h"
#include "outbox.h"
#include "store_account.h"
#include "store_outbox.h"
#include "store_remote.h"

#define PROGRAMME "Canon Professional Services (CPS)"
/* an answer larger than this is not one of the contract's */
#define BODY_MAX (4u << 20)
/* Rows the remote took are marked sent in groups: each mark is a commit,
 * and a commit waits for the disk (synchronous = FULL), which alone would
 * cost more than the request.  A crash before a group is written sends
 * its rows again, and the remote answers them by their keys. */
#define MARK_GROUP 64
#define MARK_MS 250.0
/* where the cursor of the decisions pulled so far is kept (meta table) */
#define DECISIONS_CURSOR "remote.decisions_after"
/* and of the invoices */
#define INVOICES_CURSOR "remote.invoices_after"
/* old CPS e-mails asked of the remote in one sync at most: the rest wait
 * for the next, so that a shop's first sync with many customers is not
 * one long round */
#define LEGACY_PER_SYNC 50

struct body {
	char *p;
	size_t n, cap;
	int too_big;
};

struct cps_remote {
	struct cps_engine *e;
	CURL *h;
	char base[1024];              /* remote.url without a trailing '/' */
	char errbuf[CURL_ERROR_SIZE];
	struct body body;
	unsigned long long rnd;       /* xorshift state for the jitter */
	long long taken[MARK_GROUP];  /* answered 2xx, not yet marked sent */
	unsigned char taken_message[MARK_GROUP]; /* ... and a message (kind "message") */
	size_t ntaken;
	double first_taken_ms;        /* when the oldest of them was answered */
	const volatile sig_atomic_t *stop; /* cps_remote_set_stop(): set to end soon */
	/* the content a PUT sends (a proof document's file) */
	const void *put_data;
	size_t put_len;
	const char *put_type;
};

/* What one request came to. */
enum outcome {
	RQ_OK,         /* 2xx with a JSON body */
	RQ_TRANSIENT,  /* worth trying again: connection, timeout, 408, 429, 5xx, not JSON */
	RQ_PERMANENT,  /* another 4xx: the remote will not take it */
	RQ_AUTH,       /* 401, 403: the token */
	RQ_FATAL       /* nothing will work until someone changes something (TLS, URL) */
};

struct answer {
	long status;
	long retry_after;         /* seconds, from Retry-After, or 0 */
	json_t *json;             /* RQ_OK: the body */
	char why[600];            /* otherwise: what happened, for staff */
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (b->n + n + 1 > BODY_MAX) {
		b->too_big = 1;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, ptr, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

static unsigned long next_random(struct cps_remote *r)
{
	/* xorshift64*: enough to spread retries, nothing secret depends on it */
	r->rnd ^= r->rnd >> 12;
	r->rnd ^= r->rnd << 25;
	r->rnd ^= r->rnd >> 27;
	return (unsigned long)((r->rnd * 2685821657736338717ULL) >> 16);
}

long cps_remote_backoff_ms(int attempt, long base_ms, long cap_ms,
			   long retry_after_ms, unsigned long rnd)
{
	long ceiling = base_ms > 0 ? base_ms : 1;

	for (int i = 0; i < attempt && ceiling < cap_ms; i++)
		ceiling *= 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	if (ceiling < 0)
		ceiling = 0;
	long wait = (long)(rnd % ((unsigned long)ceiling + 1));
	return wait < retry_after_ms ? retry_after_ms : wait;
}

static double clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int stopping(const struct cps_remote *r)
{
	return r->stop && *r->stop;
}

/* Waits in slices, so that a stop asked for meanwhile ends the wait. */
static void sleep_ms(struct cps_remote *r, long ms)
{
	while (ms > 0 && !stopping(r)) {
		long slice = ms < 100 ? ms : 100;
		struct timespec ts = { 0, slice * 1000000L };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= slice;
	}
}

/* libcurl asks this at least once a second during a transfer (and while
 * connecting): non-zero aborts it. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return stopping(arg);
}

void cps_remote_set_stop(struct cps_remote *r, const volatile sig_atomic_t *stop)
{
	r->stop = stop;
	curl_easy_setopt(r->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(r->h, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(r->h, CURLOPT_NOPROGRESS, 0L);
}

enum cps_err cps_remote_open(struct cps_remote **out, struct cps_engine *e,
			     struct cps_error *err)
{
	const struct cps_config *cfg = e->cfg;
	struct cps_remote *r;
	struct timespec now;

	*out = NULL;
	if (!cfg->remote_url || !*cfg->remote_url)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("no remote is configured (remote.url is empty)"));
	r = calloc(1, sizeof(*r));
	if (!r)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	/* only here: a process that never syncs (the wizard: its sync runs
	 * in a child) never starts libcurl */
	enum cps_err irc = cps_init_network(err);
	if (irc != CPS_OK) {
		free(r);
		return irc;
	}
	r->e = e;
	snprintf(r->base, sizeof(r->base), "%s", cfg->remote_url);
	for (size_t n = strlen(r->base); n > 0 && r->base[n - 1] == '/'; n--)
		r->base[n - 1] = '\0';
	clock_gettime(CLOCK_REALTIME, &now);
	r->rnd = ((unsigned long long)now.tv_nsec << 20) ^ (unsigned long long)now.tv_sec ^
		 ((unsigned long long)getpid() << 40) ^ 0x9e3779b97f4a7c15ULL;
	r->h = curl_easy_init();
	if (!r->h) {
		free(r);
		return cps_error_set(err, CPS_ERR_NETWORK, "%s",
				     _("the network library could not be started"));
	}
	CURL *h = r->h;
	int bad = 0;
	/* https, and http only where remote.url allows it (loopback: the
	 * configuration refuses any other http host); no redirects, so the
	 * token never follows one elsewhere */
	bad |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http") != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	if (cfg->remote_ca_file && *cfg->remote_ca_file)
		bad |= curl_easy_setopt(h, CURLOPT_CAINFO, cfg->remote_ca_file) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->remote_connect_timeout) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->remote_timeout) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)cfg->remote_low_speed_time) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_USERAGENT, "cpsreg/" CPS_VERSION) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body) != CURLE_OK;
	if (cfg->remote_token && *cfg->remote_token) {
		/* libcurl keeps its own copy and sends it as "Bearer ..." only */
		bad |= curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER) != CURLE_OK;
		bad |= curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, cfg->remote_token) != CURLE_OK;
	}
	if (bad) {
		cps_remote_close(r);
		return cps_error_set(err, CPS_ERR_NETWORK, "%s",
				     _("the network library lacks a feature cpsreg needs (libcurl 7.85 or newer)"));
	}
	*out = r;
	return CPS_OK;
}

void cps_remote_close(struct cps_remote *r)
{
	if (!r)
		return;
	curl_easy_cleanup(r->h);
	free(r->body.p);
	free(r);
}

/* The remote's own words from an error body ("code: message"), made safe
 * to keep and show, or "" when the body has none. */
static void error_words(const struct body *b, char *out, size_t len)
{
	json_t *j = b->p ? json_loadb(b->p, b->n, 0, NULL) : NULL;
	const char *code = NULL, *msg = NULL;
	char raw[512];

	out[0] = '\0';
	if (json_is_object(j)) {
		code = json_string_value(json_object_get(j, "code"));
		msg = json_string_value(json_object_get(j, "message"));
	}
	if (code || msg) {
		snprintf(raw, sizeof(raw), "%s%s%s", code ? code : "", code && msg ? ": " : "",
			 msg ? msg : "");
		cps_text_quote(raw, out, len, CPS_TEXT_LINE);
	}
	json_decref(j);
}

static enum outcome curl_failure(struct cps_remote *r, CURLcode c, struct answer *a)
{
	const struct cps_config *cfg = r->e->cfg;
	char detail[CURL_ERROR_SIZE + 64];

	cps_text_quote(r->errbuf[0] ? r->errbuf : curl_easy_strerror(c), detail,
		       sizeof(detail), CPS_TEXT_LINE);
	switch (c) {
	case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
	case CURLE_SSL_CACERT:
#endif
		if (cfg->remote_ca_file && *cfg->remote_ca_file)
			snprintf(a->why, sizeof(a->why),
				 _("the remote's certificate is not trusted by remote.ca_file (%s): %s"),
				 cfg->remote_ca_file, detail);
		else
			snprintf(a->why, sizeof(a->why),
				 _("the remote's certificate is not trusted (%s); if a private CA signed it, name that CA's certificate in remote.ca_file"),
				 detail);
		return RQ_FATAL;
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(a->why, sizeof(a->why), _("remote.ca_file %s cannot be used: %s"),
			 cfg->remote_ca_file ? cfg->remote_ca_file : "", detail);
		return RQ_FATAL;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		snprintf(a->why, sizeof(a->why), _("remote.url cannot be used: %s"), detail);
		return RQ_FATAL;
	case CURLE_WRITE_ERROR:
		if (r->body.too_big) {
			snprintf(a->why, sizeof(a->why), "%s",
				 _("the remote's answer was too large"));
			return RQ_TRANSIENT;
		}
		break;
	default:
		break;
	}
	snprintf(a->why, sizeof(a->why), _("cannot reach the remote: %s"), detail);
	return RQ_TRANSIENT;
}

/* One request; method "GET", "POST" (then body and key) or "PUT" (then
 * r->put_data, put_len and put_type: no key, a PUT is idempotent by its
 * path). */
static enum outcome request_once(struct cps_remote *r, const char *method, const char *path,
				 const char *body, const char *key, struct answer *a)
{
	CURL *h = r->h;
	char url[2048], hdr[160];
	struct curl_slist *headers = NULL, *t;
	int ok = 1;

	memset(a, 0, sizeof(*a));
	r->body.n = 0;
	r->body.too_big = 0;
	if (r->body.p)
		r->body.p[0] = '\0';
	r->errbuf[0] = '\0';
	snprintf(url, sizeof(url), "%s/v1/%s", r->base, path);
	t = curl_slist_append(headers, "Accept: application/json");
	ok &= t != NULL;
	headers = t ? t : headers;
	if (strcmp(method, "POST") == 0) {
		t = curl_slist_append(headers, "Content-Type: application/json");
		ok &= t != NULL;
		headers = t ? t : headers;
		/* no "Expect: 100-continue": a body is sent at once, not after
		 * a round trip (or a second's wait on a server that never says
		 * 100) */
		t = curl_slist_append(headers, "Expect:");
		ok &= t != NULL;
		headers = t ? t : headers;
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
		t = curl_slist_append(headers, hdr);
		ok &= t != NULL;
		headers = t ? t : headers;
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDS, body) == CURLE_OK;
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) == CURLE_OK;
	} else if (strcmp(method, "PUT") == 0) {
		snprintf(hdr, sizeof(hdr), "Content-Type: %s", r->put_type);
		t = curl_slist_append(headers, hdr);
		ok &= t != NULL;
		headers = t ? t : headers;
		t = curl_slist_append(headers, "Expect:");
		ok &= t != NULL;
		headers = t ? t : headers;
		/* the body from memory, sent as PUT (the handle is reused:
		 * the method is set back after the request) */
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->put_data) == CURLE_OK;
		ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				       (curl_off_t)r->put_len) == CURLE_OK;
		ok &= curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT") == CURLE_OK;
	} else {
		ok &= curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) == CURLE_OK;
	}
	ok &= curl_easy_setopt(h, CURLOPT_URL, url) == CURLE_OK;
	ok &= curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
	if (!ok) {
		curl_slist_free_all(headers);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
		snprintf(a->why, sizeof(a->why), "%s", _("out of memory"));
		return RQ_FATAL;
	}
	CURLcode c = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_slist_free_all(headers);
	if (c != CURLE_OK)
		return curl_failure(r, c, a);

	char *ctype = NULL;
	curl_off_t ra = 0;
	char words[400];

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		a->retry_after = ra > 86400 ? 86400 : (long)ra;
	/* a stored file needs no words: any 2xx */
	if (a->status >= 200 && a->status < 300 && strcmp(method, "PUT") == 0)
		return RQ_OK;
	if (a->status >= 200 && a->status < 300) {
		/* a portal or a proxy answering in the remote's place is not the
		 * remote: without its JSON the change counts as not received */
		if (!ctype || strncmp(ctype, "application/json", 16) != 0) {
			char ct[80];
			cps_text_quote(ctype ? ctype : "", ct, sizeof(ct), CPS_TEXT_LINE);
			snprintf(a->why, sizeof(a->why),
				 _("the remote answered %ld with %s instead of JSON"), a->status,
				 *ct ? ct : _("no content type"));
			return RQ_TRANSIENT;
		}
		a->json = json_loadb(r->body.p ? r->body.p : "", r->body.n, 0, NULL);
		if (!json_is_object(a->json)) {
			json_decref(a->json);
			a->json = NULL;
			snprintf(a->why, sizeof(a->why),
				 _("the remote answered %ld with a body that is not JSON"), a->status);
			return RQ_TRANSIENT;
		}
		return RQ_OK;
	}
	error_words(&r->body, words, sizeof(words));
	snprintf(a->why, sizeof(a->why), "HTTP %ld%s%s", a->status, *words ? " " : "", words);
	if (a->status == 401 || a->status == 403)
		return RQ_AUTH;
	if (a->status == 408 || a->status == 429 || a->status >= 500)
		return RQ_TRANSIENT;
	if (a->status >= 400)
		return RQ_PERMANENT;
	/* 1xx and 3xx: remote.url does not point at the API itself */
	snprintf(a->why, sizeof(a->why),
		 _("the remote answered HTTP %ld; check that remote.url is the API's address"),
		 a->status);
	return RQ_FATAL;
}

/* A request with its retries.  outbox_id > 0: each failed try is counted
 * on that row.  rep->retries counts them; rep->retry_after is set when the
 * remote asks for a longer wait than remote.backoff_max. */
static enum outcome request(struct cps_remote *r, const char *method, const char *path,
			    const char *body, const char *key, long long outbox_id,
			    struct answer *a, struct cps_sync_report *rep,
			    enum cps_err *store_rc, struct cps_error *err)
{
	const struct cps_config *cfg = r->e->cfg;
	long cap = (long)cfg->remote_backoff_max * 1000;

	*store_rc = CPS_OK;
	for (int attempt = 0;; attempt++) {
		enum outcome o = request_once(r, method, path, body, key, a);
		if (o != RQ_TRANSIENT)
			return o;
		if (outbox_id > 0) {
			*store_rc = cps_store_outbox_failed(r->e->store, outbox_id, a->why, 0,
							    cps_engine_now(r->e), err);
			if (*store_rc != CPS_OK)
				return o;
		}
		if (attempt + 1 >= cfg->remote_tries || stopping(r))
			return o;
		if (a->retry_after * 1000 > cap) {
			rep->retry_after = a->retry_after;
			return o;
		}
		rep->retries++;
		sleep_ms(r, cps_remote_backoff_ms(attempt, cfg->remote_backoff_ms, cap,
					       a->retry_after * 1000, next_random(r)));
	}
}

/* The path of each kind of change (assets/api/openapi.yaml). */
static const char *path_of(const char *kind)
{
	static const char *const map[][2] = {
		{ "application", "applications" }, { "document", "documents" },
		{ "decision", "decisions" }, { "product", "products" },
		{ "migration", "migrations" }, { "enrollment", "enrollments" },
		{ "message", "messages" }, { "erasure", "erasures" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(kind, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* A 409 tells the customer, in their language, what the remote would not
 * take and that the shop can help.  Inside a transaction. */
static enum cps_err tell_customer(struct cps_remote *r, const struct cps_outbox_item *it,
				  const struct answer *a, struct cps_error *err)
{
	struct cps_application app;
	struct cps_error ignore = { 0 };
	struct cps_lang_saved ls;
	char subject[256], body[2048], what[400];
	json_t *j = json_loadb(r->body.p ? r->body.p : "", r->body.n, 0, NULL);
	const char *code = json_string_value(json_object_get(j, "code"));

	(void)a;
	if (it->account_id <= 0 ||
	    cps_application_load(r->e, it->account_id, &app, &ignore) != CPS_OK || !app.email[0]) {
		json_decref(j);
		return CPS_OK; /* nobody to tell: staff see the parked row */
	}
	cps_lang_push(app.language, &ls);
	if (code && strcmp(code, "serial_registered_elsewhere") == 0)
		snprintf(what, sizeof(what), "%s",
			 _("A serial number you registered is already registered to another CPS member, perhaps at another shop, so CPS did not add that product."));
	else if (code && strcmp(code, "already_migrated") == 0)
		snprintf(what, sizeof(what), "%s",
			 _("Your old CPS account has already been moved to a new account, so CPS did not take the move made at the shop again. The products may still show here until the staff have looked at it."));
	else
		snprintf(what, sizeof(what), "%s",
			 _("CPS could not accept one of the changes made at the shop, because it conflicts with what CPS already holds."));
	snprintf(subject, sizeof(subject), _("%s: a change could not be made"), PROGRAMME);
	snprintf(body, sizeof(body),
		 _("Hello %s %s,\n\n%s\n\nPlease ask the staff at the shop; they can see what happened and help you. Nothing else you entered is affected."),
		 app.first_name, app.last_name, what);
	cps_lang_pop(&ls);
	json_decref(j);
	return cps_message_queue(r->e, it->account_id, "conflict", app.email, subject, body, err);
}

/* A message the remote took to deliver is delivered as far as the shop
 * goes: it leaves the list staff hand over (cpsreg messages) and its
 * password code is wiped, as after a handing over.  Staff may have handed
 * it over meanwhile: then nothing changes. */
static enum cps_err remote_delivers(struct cps_remote *r, long long outbox_id,
				    struct cps_error *err)
{
	long long mid;
	enum cps_err rc = cps_store_outbox_remote_message(r->e->store, outbox_id, &mid, err);

	if (rc != CPS_OK || mid == 0)
		return rc;
	rc = cps_message_mark_delivered(r->e, mid, "remote", err);
	return rc == CPS_ERR_NOT_FOUND ? CPS_OK : rc;
}

/* Marks the rows the remote took as sent, in one transaction. */
static enum cps_err mark_taken(struct cps_remote *r, struct cps_error *err)
{
	struct cps_store *s = r->e->store;
	enum cps_err rc;

	if (r->ntaken == 0)
		return CPS_OK;
	rc = cps_store_begin(s, err);
	for (size_t i = 0; rc == CPS_OK && i < r->ntaken; i++) {
		rc = cps_store_outbox_sent(s, r->taken[i], cps_engine_now(r->e), err);
		if (rc == CPS_OK && r->taken_message[i])
			rc = remote_delivers(r, r->taken[i], err);
	}
	if (rc == CPS_OK)
		rc = cps_store_commit(s, err);
	else
		cps_store_rollback(s);
	if (rc == CPS_OK)
		r->ntaken = 0;
	return rc;
}

/* A row the remote took (2xx): marked with the group it joins. */
static enum cps_err taken(struct cps_remote *r, long long id, int message,
			  struct cps_error *err)
{
	if (r->ntaken == 0)
		r->first_taken_ms = clock_ms();
	r->taken_message[r->ntaken] = message != 0;
	r->taken[r->ntaken++] = id;
	if (r->ntaken == MARK_GROUP || clock_ms() - r->first_taken_ms >= MARK_MS)
		return mark_taken(r, err);
	return CPS_OK;
}

/* Records the answer to one change; a transaction of its own. */
static enum cps_err record(struct cps_remote *r, const struct cps_outbox_item *it,
			   enum outcome o, const struct answer *a, struct cps_error *err)
{
	struct cps_store *s = r->e->store;
	enum cps_err rc = cps_store_begin(s, err);

	if (rc != CPS_OK)
		return rc;
	(void)o;
	rc = cps_store_outbox_failed(s, it->id, a->why, 1, cps_engine_now(r->e), err);
	if (rc == CPS_OK && a->status == 409)
		rc = tell_customer(r, it, a, err);
	if (rc == CPS_OK)
		return cps_store_commit(s, err);
	cps_store_rollback(s);
	return rc;
}

static enum cps_err stop(enum outcome o, const struct answer *a, struct cps_error *err)
{
	if (o == RQ_AUTH)
		return cps_error_set(err, CPS_ERR_AUTH,
				     _("the remote refused the API token (%s); check remote.token_file. Nothing more is sent until it is fixed."),
				     a->why);
	if (o == RQ_FATAL)
		return cps_error_set(err, CPS_ERR_NETWORK, "%s", a->why);
	return cps_error_set(err, CPS_ERR_NETWORK,
			     _("%s; the changes wait in the outbox for the next sync"), a->why);
}

/* Before a proof document's facts go (POST /documents), its file goes:
 * PUT /documents/{sha256} with the stored content.  A document replaced
 * since has no content of that hash any more: its facts go alone (the
 * newer document has its own row).  A paper seen in person has no file. */
static enum outcome put_document(struct cps_remote *r, const struct cps_outbox_item *it,
				 struct answer *a, struct cps_sync_report *rep,
				 enum cps_err *store_rc, struct cps_error *err)
{
	json_t *j = json_loads(it->payload, 0, NULL);
	json_t *data = json_object_get(j, "data");
	const char *sha = json_string_value(json_object_get(data, "sha256"));
	const char *mime = json_string_value(json_object_get(data, "mime"));
	char have[CPS_SHA256_HEX_SIZE], path[128];
	void *buf = NULL;
	size_t len = 0;
	enum outcome o = RQ_OK;

	memset(a, 0, sizeof(*a));
	*store_rc = CPS_OK;
	if (!sha || !mime || !*mime || strlen(sha) != CPS_SHA256_HEX_SIZE - 1) {
		json_decref(j);
		return RQ_OK;
	}
	*store_rc = cps_store_document_content(r->e->store, it->account_id, &buf, &len, err);
	if (*store_rc == CPS_ERR_NOT_FOUND) {
		*store_rc = CPS_OK;
	} else if (*store_rc == CPS_OK && buf &&
		   cps_sha256_buf(buf, len, have, err) == CPS_OK &&
		   strcmp(have, sha) == 0) {
		snprintf(path, sizeof(path), "documents/%s", sha);
		r->put_data = buf;
		r->put_len = len;
		r->put_type = mime;
		o = request(r, "PUT", path, NULL, NULL, it->id, a, rep, store_rc, err);
		r->put_data = NULL;
		r->put_len = 0;
		r->put_type = NULL;
		json_decref(a->json);
		a->json = NULL;
	}
	free(buf);
	json_decref(j);
	return o;
}

static enum cps_err drain_rows(struct cps_remote *r, struct cps_sync_report *rep,
			       struct cps_error *err)
{
	long long last = 0;

	for (;;) {
		struct cps_outbox_item it;
		struct answer a;
		int found;
		enum cps_err rc = cps_store_outbox_next(r->e->store, last, &it, &found, err);
		enum outcome o;

		if (rc != CPS_OK || !found)
			return rc;
		last = it.id;
		const char *path = path_of(it.kind);
		if (!path) {
			memset(&a, 0, sizeof(a));
			snprintf(a.why, sizeof(a.why), _("no call of the remote takes a change of kind %s"),
				 it.kind);
			o = RQ_PERMANENT;
		} else {
			o = strcmp(it.kind, "document") == 0
				? put_document(r, &it, &a, rep, &rc, err) : RQ_OK;
			if (o == RQ_OK && rc == CPS_OK)
				o = request(r, "POST", path, it.payload, it.idem_key, it.id, &a,
					    rep, &rc, err);
			if (rc != CPS_OK) {
				json_decref(a.json);
				cps_store_outbox_item_free(&it);
				return rc;
			}
		}
		if (o == RQ_OK && strcmp(it.kind, "enrollment") == 0) {
			/* the answer may carry the remote's invoice and number; a
			 * wrong one parks the row with what is wrong, for staff */
			struct cps_error bad = { 0 };
			int got = 0;
			rc = cps_invoice_enrolled(r->e, it.account_id, a.json, &got, &bad);
			rep->invoices += got;
			if (rc == CPS_ERR_INVALID) {
				/* cut to the room of a reason; the field comes first */
				cps_text_quote(bad.msg, a.why, sizeof(a.why), CPS_TEXT_LINE);
				a.status = 0;
				o = RQ_PERMANENT;
			} else if (rc != CPS_OK) {
				if (err)
					*err = bad;
				json_decref(a.json);
				cps_store_outbox_item_free(&it);
				return rc;
			}
		}
		json_decref(a.json);
		if (o == RQ_OK) {
			rc = taken(r, it.id, strcmp(it.kind, "message") == 0, err);
			cps_store_outbox_item_free(&it);
			if (rc != CPS_OK)
				return rc;
			rep->sent++;
			continue;
		}
		if (o == RQ_PERMANENT) {
			rc = record(r, &it, o, &a, err);
			cps_store_outbox_item_free(&it);
			if (rc != CPS_OK)
				return rc;
			rep->parked++;
			continue;
		}
		cps_store_outbox_item_free(&it);
		return stop(o, &a, err);
	}
}

static enum cps_err drain(struct cps_remote *r, struct cps_sync_report *rep,
			  struct cps_error *err)
{
	enum cps_err rc = drain_rows(r, rep, err);
	struct cps_error e2 = { 0 };
	/* what the remote took is marked also when the sync then failed */
	enum cps_err mrc = mark_taken(r, rc == CPS_OK ? err : &e2);

	return rc != CPS_OK ? rc : mrc;
}

/* Applies one decision of the remote as staff would.  A decision on an
 * application that is not pending (decided already, perhaps by this very
 * decision before a crash) or no longer there is skipped. */
static enum cps_err apply_decision(struct cps_remote *r, json_t *d, int *applied,
				   struct cps_error *err)
{
	json_int_t id = json_integer_value(json_object_get(d, "account_id"));
	const char *what = json_string_value(json_object_get(d, "decision"));
	const char *reason = json_string_value(json_object_get(d, "reason"));
	const char *by = json_string_value(json_object_get(d, "by"));
	struct cps_error e2 = { 0 };
	char staff[CPS_APP_SHORT_SIZE];
	enum cps_err rc;

	*applied = 0;
	if (id <= 0 || !what)
		return CPS_OK;
	/* the audit log says it came from the remote */
	snprintf(staff, sizeof(staff), "%s", by && *by ? by : "CPS");
	if (strcmp(what, "validated") == 0)
		rc = cps_application_approve(r->e, (long long)id, staff, NULL, 0, &e2);
	else if (strcmp(what, "rejected") == 0)
		rc = cps_application_reject(r->e, (long long)id, staff,
					    reason && *reason ? reason : _("(no reason given)"), &e2);
	else
		return CPS_OK;
	if (rc == CPS_OK) {
		*applied = 1;
		return CPS_OK;
	}
	if (rc == CPS_ERR_STATE || rc == CPS_ERR_NOT_FOUND || rc == CPS_ERR_INVALID)
		return CPS_OK;
	if (err)
		*err = e2;
	return rc;
}

/* The cursor a pull goes on from (meta key), "" the first time. */
static enum cps_err load_cursor(struct cps_remote *r, const char *key, char *cursor,
				size_t len, struct cps_error *err)
{
	struct cps_error e2 = { 0 };
	enum cps_err rc = cps_store_meta_get(r->e->store, key, cursor, len, &e2);

	if (rc == CPS_ERR_NOT_FOUND) {
		cursor[0] = '\0';
		return CPS_OK;
	}
	if (rc != CPS_OK && err)
		*err = e2;
	return rc;
}

/* GET what?after=cursor (no cursor: the first page), with its retries. */
static enum outcome get_page(struct cps_remote *r, const char *what, const char *cursor,
			     struct answer *a, struct cps_sync_report *rep,
			     enum cps_err *rc, struct cps_error *err)
{
	char path[CPS_STORE_META_MAX * 3 + 32];
	char *esc = curl_easy_escape(r->h, cursor, 0);

	if (!esc) {
		memset(a, 0, sizeof(*a));
		*rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		return RQ_FATAL;
	}
	snprintf(path, sizeof(path), "%s%s%s", what, *cursor ? "?after=" : "", esc);
	curl_free(esc);
	return request(r, "GET", path, NULL, NULL, 0, a, rep, rc, err);
}

static enum cps_err pull_decisions(struct cps_remote *r, struct cps_sync_report *rep,
				   struct cps_error *err)
{
	char cursor[CPS_STORE_META_MAX];
	enum cps_err rc = load_cursor(r, DECISIONS_CURSOR, cursor, sizeof(cursor), err);

	if (rc != CPS_OK)
		return rc;
	for (int page = 0; page < 1000; page++) {
		struct answer a;
		enum outcome o = get_page(r, "decisions", cursor, &a, rep, &rc, err);

		if (rc != CPS_OK)
			return rc;
		if (o != RQ_OK)
			return stop(o == RQ_PERMANENT ? RQ_TRANSIENT : o, &a, err);
		json_t *list = json_object_get(a.json, "decisions");
		const char *next = json_string_value(json_object_get(a.json, "next"));
		size_t i;
		json_t *d;

		rc = CPS_OK;
		json_array_foreach(list, i, d) {
			int applied;
			rc = apply_decision(r, d, &applied, err);
			if (rc != CPS_OK)
				break;
			rep->decisions += applied;
		}
		int more = rc == CPS_OK && next && strcmp(next, cursor) != 0 &&
			   json_array_size(list) > 0;
		if (rc == CPS_OK && next && strlen(next) < sizeof(cursor) && strcmp(next, cursor) != 0) {
			rc = cps_store_meta_set(r->e->store, DECISIONS_CURSOR, next, err);
			snprintf(cursor, sizeof(cursor), "%s", next);
		}
		json_decref(a.json);
		if (rc != CPS_OK || !more)
			return rc;
	}
	return CPS_OK;
}

/* The remote's invoices since the cursor, page by page: each page is
 * checked whole and stored with its cursor in one transaction; a page
 * refused stops here with the reason, and is asked again next time. */
static enum cps_err pull_invoices(struct cps_remote *r, struct cps_sync_report *rep,
				  struct cps_error *err)
{
	char cursor[CPS_STORE_META_MAX];
	enum cps_err rc = load_cursor(r, INVOICES_CURSOR, cursor, sizeof(cursor), err);

	if (rc != CPS_OK)
		return rc;
	for (int page = 0; page < 1000; page++) {
		struct answer a;
		int got = 0, more = 0;
		enum outcome o = get_page(r, "invoices", cursor, &a, rep, &rc, err);

		if (rc != CPS_OK)
			return rc;
		if (o != RQ_OK)
			return stop(o == RQ_PERMANENT ? RQ_TRANSIENT : o, &a, err);
		rc = cps_invoice_page(r->e, a.json, INVOICES_CURSOR, cursor, sizeof(cursor),
				      &got, &more, err);
		json_decref(a.json);
		rep->invoices += got;
		if (rc != CPS_OK || !more)
			return rc;
	}
	return CPS_OK;
}

struct asks {
	char (*email)[CPS_EMAIL_MAX];
	size_t n;
};

static int add_ask(const char *email, void *arg)
{
	struct asks *q = arg;

	snprintf(q->email[q->n++], CPS_EMAIL_MAX, "%s", email);
	return q->n == LEGACY_PER_SYNC;
}

/* The old CPS accounts the shop lacks, asked of the remote by e-mail: an
 * answer is checked whole and stored as an import would store it; a 404
 * is kept, so that the e-mail is not asked again; a refused answer is
 * stored not at all, and the others are still asked (the first refusal
 * ends the sync, with the field, after them). */
static enum cps_err pull_legacy(struct cps_remote *r, struct cps_sync_report *rep,
				struct cps_error *err)
{
	char emails[LEGACY_PER_SYNC][CPS_EMAIL_MAX];
	struct asks q = { emails, 0 };
	struct cps_error refused = { 0 };
	enum cps_err rc = cps_legacy_remote_to_ask(r->e, LEGACY_PER_SYNC, add_ask, &q, err);
	enum cps_err first = CPS_OK;

	for (size_t i = 0; rc == CPS_OK && i < q.n; i++) {
		char path[CPS_EMAIL_MAX * 3 + 32];
		struct answer a;
		char *esc = curl_easy_escape(r->h, emails[i], 0);
		struct cps_error bad = { 0 };
		int stored = 0;

		if (!esc)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		snprintf(path, sizeof(path), "legacy-accounts?email=%s", esc);
		curl_free(esc);
		enum outcome o = request(r, "GET", path, NULL, NULL, 0, &a, rep, &rc, err);
		if (rc != CPS_OK) {
			json_decref(a.json);
			return rc;
		}
		if (o == RQ_OK) {
			rc = cps_legacy_remote_receive_json(r->e, emails[i], a.json, &stored, &bad);
			json_decref(a.json);
			rep->legacy += stored;
		} else if (o == RQ_PERMANENT && a.status == 404) {
			rc = cps_legacy_remote_none(r->e, emails[i], &bad);
			rep->legacy += rc == CPS_OK;
		} else if (o == RQ_PERMANENT) {
			/* the remote will not answer this one (a 400 on an odd
			 * address): like a refused answer, it waits for staff */
			rc = cps_error_set(&bad, CPS_ERR_INVALID,
					   _("the remote did not look up the old CPS e-mail %s: %s"),
					   emails[i], a.why);
		} else {
			return stop(o == RQ_PERMANENT ? RQ_TRANSIENT : o, &a, err);
		}
		if (rc == CPS_ERR_INVALID) {
			if (first == CPS_OK) {
				first = rc;
				refused = bad;
			}
			rc = CPS_OK;
		} else if (rc != CPS_OK && err) {
			*err = bad;
		}
	}
	if (rc == CPS_OK && first != CPS_OK) {
		if (err)
			*err = refused;
		return first;
	}
	return rc;
}

enum cps_err cps_remote_sync(struct cps_remote *r, struct cps_sync_report *rep,
			     struct cps_error *err)
{
	enum cps_err rc;

	memset(rep, 0, sizeof(*rep));
	rc = drain(r, rep, err);
	if (rc == CPS_OK)
		rc = pull_decisions(r, rep, err);
	if (rc == CPS_OK)
		rc = pull_invoices(r, rep, err);
	if (rc == CPS_OK)
		rc = pull_legacy(r, rep, err);
	/* what the pulled decisions and invoices queued (messages,
	 * decisions) goes now rather than at the next sync */
	if (rc == CPS_OK && (rep->decisions > 0 || rep->invoices > 0))
		rc = drain(r, rep, err);
	struct cps_error e2 = { 0 };
	if (cps_store_outbox_pending(r->e->store, &rep->waiting, &e2) != CPS_OK)
		rep->waiting = -1;
	return rc;
}

enum cps_err cps_outbox_parked(struct cps_engine *e,
			       int (*fn)(const struct cps_outbox_parked *p, void *arg),
			       void *arg, struct cps_error *err)
{
	return cps_store_outbox_parked(e->store, fn, arg, err);
}

enum cps_err cps_outbox_retry(struct cps_engine *e, long long id,
			      const char *staff_name, struct cps_error *err)
{
	if (!staff_name || !*staff_name)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	enum cps_err rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_outbox_unpark(e->store, id, err);
	if (rc == CPS_ERR_NOT_FOUND)
		cps_error_set(err, rc, _("change %lld is not parked"), id);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "outbox_retry", 0, id, err);
	if (rc == CPS_OK)
		return cps_store_commit(e->store, err);
	cps_store_rollback(e->store);
	return rc;
}
