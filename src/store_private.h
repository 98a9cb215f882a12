/* store_private.h - what the src/store*.c files share and nobody else sees.
 *
 * The SQLite handle lives here so that only the store talks SQL; the rest
 * of the engine and the UI use the functions in include/cpsreg/store.h and
 * the store's other public headers. */
#ifndef CPSREG_STORE_PRIVATE_H
#define CPSREG_STORE_PRIVATE_H

#include <sqlite3.h>

#include "cpsreg/err.h"
#include "cpsreg/store.h"

/* The schema of the real program (src/store_schema.c), versions 1..n. */
extern const struct cps_migration cps_store_migrations[];
extern const size_t cps_store_nmigrations;

/* The connection behind s.  Prepared statements only; finalize each one
 * before returning. */
sqlite3 *cps_store_db(struct cps_store *s);

/* The path the store was opened with, for messages. */
const char *cps_store_path(const struct cps_store *s);

/* Turns a failed SQLite call (rc) into our error code and a message
 * "<file>: <what>: <reason>", where what is formatted from fmt.  Call it
 * right after the failure, before a rollback replaces SQLite's message.
 * SQLITE_BUSY/LOCKED give CPS_ERR_BUSY, CORRUPT/NOTADB CPS_ERR_CORRUPT,
 * CANTOPEN/IOERR/READONLY/PERM/FULL CPS_ERR_IO, NOMEM CPS_ERR_NOMEM,
 * anything else CPS_ERR_STORE. */
enum cps_err cps_store_fail(struct cps_store *s, int rc, struct cps_error *err,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
