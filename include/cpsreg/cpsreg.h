/* cpsreg.h - the engine as a whole: start-up, shut-down and its version.
 *
 * main() calls cps_init() first, before any thread exists, so the
 * libraries that need a global set-up get it from inside the engine;
 * libcurl's waits for an engine opened with a remote (cps_init_network). */
#ifndef CPSREG_CPSREG_H
#define CPSREG_CPSREG_H

#include "cpsreg/err.h"

enum cps_err cps_init(struct cps_error *err);
/* Starts the network library (libcurl's global set-up) once; the engine
 * calls it when it opens with a remote configured, which main() does
 * before any thread exists.  Without a remote it never runs. */
enum cps_err cps_init_network(struct cps_error *err);
void cps_cleanup(void);

/* "0.1.0" */
const char *cps_version(void);

#endif
