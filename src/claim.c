/* claim.c - one process at a time for a job on a database (see claim.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "claim.h"

/* When the process pid started, in clock ticks since boot (0: unknown),
 * so that a claim is not taken for alive when its pid was reused. */
static unsigned long long started_at(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long long ticks = 0;
	FILE *f;
	size_t n;
	char *p;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the name (field 2) may hold anything: fields count from its ")" */
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		ticks = strtoull(p + 1, NULL, 10);
	return ticks;
}

/* 1 when the claim "pid ticks" names a process that still runs. */
static int claim_alive(const char *claim)
{
	long pid = 0;
	unsigned long long ticks = 0;

	if (sscanf(claim, "%ld %llu", &pid, &ticks) < 1 || pid <= 0)
		return 0;
	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return 0;
	/* the same pid, but another process: the claim's died */
	if (ticks && started_at((pid_t)pid) != ticks)
		return 0;
	return 1;
}

enum cps_err cps_claim_take(struct cps_store *s, const char *key, long *holder,
			    struct cps_error *err)
{
	char v[CPS_STORE_META_MAX], mine[64];
	enum cps_err rc = cps_store_meta_get(s, key, v, sizeof(v), err);

	*holder = 0;
	if (rc == CPS_OK && v[0] && claim_alive(v)) {
		*holder = strtol(v, NULL, 10);
		return CPS_ERR_BUSY;
	}
	if (rc != CPS_OK && rc != CPS_ERR_NOT_FOUND)
		return rc;
	snprintf(mine, sizeof(mine), "%ld %llu", (long)getpid(), started_at(getpid()));
	return cps_store_meta_set(s, key, mine, err);
}

enum cps_err cps_claim_drop(struct cps_store *s, const char *key, struct cps_error *err)
{
	/* meta_set commits on its own outside a transaction */
	return cps_store_meta_set(s, key, "", err);
}
