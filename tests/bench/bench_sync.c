/* bench_sync.c - figures for "make bench": records per second that
 * cpsreg's sync sends to the test peer (tests/peer/peer.py, TLS on
 * 127.0.0.1, no faults), against a bare libcurl keep-alive loop posting
 * the same bodies to the same peer in the same run.  The difference is the
 * sync's own work: reading each row and marking it sent in a transaction.
 * Each is run 3 times, interleaved, and the best of each is kept: the peer
 * and the client share the machine's cores with whatever else runs.
 * It prints figures; it never passes or fails on them.  Needs python3 and
 * openssl (make deps-test); without them it says so and prints nothing. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/remote.h"
#include "engine_private.h"
#include "store_private.h"

#define RECORDS 1000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The bare loop: one easy handle, the same options and bodies. */
static double bare_loop(const char *url, const char *ca, const char *token, int run)
{
	CURL *h = curl_easy_init();
	char body[512], key[64], hdr[128], full[512];
	int failures = 0;

	snprintf(full, sizeof(full), "%s/v1/products", url);
	curl_easy_setopt(h, CURLOPT_URL, full);
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
	curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, token);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	double t0 = now_ms();
	for (int i = 1; i <= RECORDS; i++) {
		struct curl_slist *l = NULL;
		snprintf(key, sizeof(key), "bare-%d-%d", run, i);
		snprintf(body, sizeof(body),
			 "{\"account_id\":%d,\"at\":%d,\"idempotency_key\":\"%s\",\"kind\":\"product\"}",
			 1 + i % 25, i, key);
		snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
		l = curl_slist_append(l, "Content-Type: application/json");
		l = curl_slist_append(l, "Expect:");
		l = curl_slist_append(l, hdr);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		long status = 0;
		if (curl_easy_perform(h) != CURLE_OK ||
		    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
		    status / 100 != 2)
			failures++;
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
		curl_slist_free_all(l);
	}
	double t = now_ms() - t0;
	curl_easy_cleanup(h);
	if (failures)
		printf("  (the bare loop had %d failed requests)\n", failures);
	return t;
}

int main(void)
{
	char dir[] = "/tmp/cpsreg-bench-sync.XXXXXX", path[512], cmd[2048], port[32] = "";
	char url[128], cert[300], key[300], tokfile[300], portfile[300];
	const char *token = "bench-token-0123456789";
	struct cps_config *cfg;
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	struct cps_engine *e;
	struct cps_remote *r;
	struct cps_error err = { 0 };
	struct cps_sync_report rep;

	printf("sync to the test peer (%d records, TLS on 127.0.0.1, keep-alive; best of 3):\n",
	       RECORDS);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	signal(SIGPIPE, SIG_IGN); /* as cpsreg sync does: libcurl runs with NOSIGNAL */
	if (system("command -v python3 >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1") != 0) {
		printf("  python3 or openssl missing (make deps-test installs them); skipped\n");
		return 0;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(cert, sizeof(cert), "%s/peer.pem", dir);
	snprintf(key, sizeof(key), "%s/peer.key", dir);
	snprintf(tokfile, sizeof(tokfile), "%s/token", dir);
	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s -days 2"
		 " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
		 key, cert);
	if (system(cmd) != 0) {
		printf("  openssl could not make a certificate; skipped\n");
		return 0;
	}
	pid_t peer = fork();
	if (peer == 0) {
		execlp("python3", "python3", "tests/peer/peer.py", "serve", cert, key, token,
		       portfile, "0", "1", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			if (!fgets(port, sizeof(port), f))
				port[0] = '\0';
			fclose(f);
			if (port[0])
				break;
		}
		struct timespec ts = { 0, 50000000L };
		nanosleep(&ts, NULL);
	}
	port[strcspn(port, "\n")] = '\0';
	if (!port[0]) {
		printf("  the peer did not start; skipped\n");
		kill(peer, SIGTERM);
		waitpid(peer, NULL, 0);
		return 0;
	}
	snprintf(url, sizeof(url), "https://127.0.0.1:%s", port);

	o.env = env;
	if (cps_config_defaults(&cfg, &o, &err) != CPS_OK)
		return 1;
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	set(&cfg->database, path);
	set(&cfg->assets_dir, getenv("CPSREG_ASSETS") ? getenv("CPSREG_ASSETS") : "assets");
	set(&cfg->remote_url, url);
	set(&cfg->remote_token, token);
	set(&cfg->remote_ca_file, cert);
	if (cps_engine_open(&e, cfg, &err) != CPS_OK) {
		fprintf(stderr, "bench: %s\n", err.msg);
		return 1;
	}
	double bare = 1e18, t = 1e18;
	enum cps_err rc = CPS_OK;
	int sent = 0;
	for (int run = 0; run < 3 && rc == CPS_OK; run++) {
		snprintf(cmd, sizeof(cmd),
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
			 " INSERT INTO outbox (idem_key, kind, account_id, payload, created_at)"
			 " SELECT 'sync-%d-' || i, 'product', 1 + i %% 25,"
			 " json_object('account_id', 1 + i %% 25, 'at', i, 'idempotency_key',"
			 " 'sync-%d-' || i, 'kind', 'product'), i FROM n", RECORDS, run, run);
		if (sqlite3_exec(cps_store_db(e->store), cmd, NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		double b = bare_loop(url, cert, token, run);
		if (b < bare)
			bare = b;
		if (cps_remote_open(&r, e, &err) != CPS_OK) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return 1;
		}
		double t0 = now_ms();
		rc = cps_remote_sync(r, &rep, &err);
		double dt = now_ms() - t0;
		cps_remote_close(r);
		if (dt < t)
			t = dt;
		sent += rep.sent;
	}
	if (rc != CPS_OK)
		printf("  the sync failed: %s\n", err.msg);
	printf("  bare libcurl loop:  %8.0f records/s (%.0f ms)\n", RECORDS / (bare / 1e3), bare);
	printf("  cpsreg sync:        %8.0f records/s (%.0f ms; %d sent in 3 runs)\n",
	       RECORDS / (t / 1e3), t, sent);
	printf("  sync / bare:        %8.0f %%\n", 100.0 * bare / t);

	cps_engine_close(e);
	cps_config_free(cfg);
	kill(peer, SIGTERM);
	waitpid(peer, NULL, 0);
	curl_global_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
