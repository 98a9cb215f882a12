/* cpsreg.h - the engine as a whole: start-up, shut-down and its version.
 *
 * main() calls cps_init() first, before any thread exists, so the
 * libraries that need a global set-up (libcurl) get it from inside the
 * engine. */
#ifndef CPSREG_CPSREG_H
#define CPSREG_CPSREG_H

#include "cpsreg/err.h"

enum cps_err cps_init(struct cps_error *err);
void cps_cleanup(void);

/* "0.1.0" */
const char *cps_version(void);

#endif
