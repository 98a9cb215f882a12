/* cpsreg.h - the engine as a whole: start-up, shut-down and its version.
 *
 * main() calls cps_init() first, so the libraries that need a global
 * set-up get it from inside the engine; libcurl's waits for the first
 * cps_remote_open (cps_init_network): a process that never syncs (the
 * wizard, whose sync runs in a child process) never starts libcurl, and
 * does not even load it (the program is not linked against it). */
#ifndef CPSREG_CPSREG_H
#define CPSREG_CPSREG_H

#include "cpsreg/err.h"

enum cps_err cps_init(struct cps_error *err);
/* Loads the network library (libcurl) and starts it (its global set-up)
 * once per process; cps_remote_open calls it (cpsreg has no threads).
 * cps_cleanup() ends it.  Without a remote it never runs.
 * CPS_ERR_MISSING when libcurl is not installed (or too old): the
 * message names the package. */
enum cps_err cps_init_network(struct cps_error *err);
void cps_cleanup(void);

/* "0.1.0" */
const char *cps_version(void);

#endif
