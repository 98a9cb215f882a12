/* fz_engine.c - the one engine per fuzz process (see fuzz.h): opened on
 * first use in the scratch folder, and put back to its first state by
 * rewriting the database file from a copy taken just after opening. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "fuzz.h"

/* 2026-09-21: a fixed "now", so that date rules give the same answer on
 * every run of an input. */
#define FZ_NOW 1790000000

static struct cps_config *cfg;
static struct cps_engine *engine;
static unsigned char *snapshot;  /* the database file just after opening */
static size_t snapshot_len;

/* Runs before the scratch folder is removed (atexit runs in reverse). */
static void close_all(void)
{
	cps_engine_close(engine);
	engine = NULL;
	cps_config_free(cfg);
	cfg = NULL;
	free(snapshot);
	snapshot = NULL;
}

static void replace(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	if (!*field)
		fz_fail("strdup", __FILE__, __LINE__);
}

static void open_engine(void)
{
	struct cps_error err = { 0 };

	if (cps_engine_open(&engine, cfg, &err) != CPS_OK) {
		fprintf(stderr, "cps_engine_open: %s\n", err.msg);
		fz_fail("the engine opens", __FILE__, __LINE__);
	}
	cps_engine_set_now(engine, FZ_NOW);
}

static unsigned char *read_all(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		fz_fail("read the database", __FILE__, __LINE__);
	do {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				fz_fail("realloc", __FILE__, __LINE__);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}

struct cps_engine *fz_engine(void)
{
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	const char *assets = getenv("CPSREG_ASSETS");
	char p[700];

	if (engine)
		return engine;
	fz_dir();
	atexit(close_all);
	o.env = env;
	if (cps_config_defaults(&cfg, &o, NULL) != CPS_OK)
		fz_fail("the default configuration", __FILE__, __LINE__);
	snprintf(p, sizeof(p), "%s/fuzz.db", fz_dir());
	replace(&cfg->database, p);
	replace(&cfg->data_dir, fz_dir());
	replace(&cfg->assets_dir, assets && *assets ? assets : "assets");
	open_engine();
	/* Closing checkpoints the journal into the file, so the file alone
	 * is the whole first state. */
	cps_engine_close(engine);
	snapshot = read_all(cfg->database, &snapshot_len);
	open_engine();
	return engine;
}

void fz_engine_reset(void)
{
	char p[720];

	if (!engine)
		return;
	cps_engine_close(engine);
	engine = NULL;
	snprintf(p, sizeof(p), "%s-wal", cfg->database);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", cfg->database);
	unlink(p);
	fz_write_all(cfg->database, snapshot, snapshot_len);
	open_engine();
}
