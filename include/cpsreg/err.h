/* err.h - how the engine reports failure.
 *
 * Every engine function that can fail returns an enum cps_err and, when the
 * caller passes a struct cps_error, fills in a message in words a person can
 * act on (already translated through gettext).  The engine never prints and
 * never exits; the UI decides how to show the message. */
#ifndef CPSREG_ERR_H
#define CPSREG_ERR_H

#include <stddef.h>

enum cps_err {
	CPS_OK = 0,
	CPS_ERR_NOMEM,     /* out of memory */
	CPS_ERR_IO,        /* a file could not be read or written */
	CPS_ERR_INVALID,   /* bad input; the message says what and where */
	CPS_ERR_NOT_FOUND, /* no such record */
	CPS_ERR_EXISTS,    /* a duplicate */
	CPS_ERR_STATE,     /* not allowed in the current state */
	CPS_ERR_PERM,      /* unsafe file permissions or no access */
	CPS_ERR_STORE,     /* the database failed */
	CPS_ERR_SCHEMA,    /* the database is newer than this program */
	CPS_ERR_CORRUPT,   /* not a cpsreg database, or damaged */
	CPS_ERR_BUSY,      /* the database is locked by another process */
	CPS_ERR_NETWORK,   /* the remote could not be reached */
	CPS_ERR_AUTH,      /* wrong password, code or token */
	CPS_ERR_CONFLICT,  /* changed by another session since it was read */
	CPS_ERR_MISSING    /* a library the task needs is not installed */
};

#define CPS_ERROR_MAX 1024

struct cps_error {
	enum cps_err code;
	char msg[CPS_ERROR_MAX];
};

/* Sets err (if not NULL) and returns code, so a caller can write
 * "return cps_error_set(err, CPS_ERR_INVALID, _("..."), ...);". */
enum cps_err cps_error_set(struct cps_error *err, enum cps_err code,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message already in err with "prefix: ". */
void cps_error_prefix(struct cps_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void cps_error_clear(struct cps_error *err);

#endif
