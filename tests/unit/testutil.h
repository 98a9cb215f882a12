/* testutil.h - small file helpers and engine fixtures shared by the unit
 * tests. */
#ifndef CPSREG_TESTUTIL_H
#define CPSREG_TESTUTIL_H

#include <stddef.h>
#include <time.h>

/* Makes a fresh folder under $TESTS_TMP (or /tmp) and writes its path. */
void tu_tempdir(char *buf, size_t len);
/* Removes a folder and everything in it. */
void tu_rmtree(const char *dir);
/* mkdir -p */
void tu_mkdirs(const char *dir);
/* Writes len bytes to path (replacing it); fails the test on error. */
void tu_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file; *len gets its size; free() the result.  NULL if missing. */
char *tu_read_file(const char *path, size_t *len);

#endif

#include "cpsreg/config.h"
#include "cpsreg/engine.h"

/* A fresh engine on the built-in defaults with its own database in a new
 * temporary folder (written to dir), assets from $CPSREG_ASSETS or
 * ./assets, and its clock fixed at now (0: the real clock).  Close with
 * tu_engine_free(). */
struct tu_engine {
	char dir[512];
	struct cps_config *cfg;
	struct cps_engine *e;
};
void tu_engine_new(struct tu_engine *t, time_t now);
void tu_engine_free(struct tu_engine *t);
/* Closes and reopens the engine on the same database (a restart). */
void tu_engine_reopen(struct tu_engine *t);

/* A new draft application made through the public API, with nothing but
 * this e-mail and country (NULL or "": not given): no document, not
 * submitted, so nothing goes to the outbox.  Enough to own products and
 * invoices.  Returns its id; fails the test on error. */
long long tu_account_draft(struct tu_engine *t, const char *email,
			   const char *country);
