/* store_private.h - what the src/store*.c files share and nobody else sees.
 *
 * The SQLite handle lives here so that only the store talks SQL; the rest
 * of the engine and the UI use the functions in include/cpsreg/store.h and
 * the store's other public headers. */
#ifndef CPSREG_STORE_PRIVATE_H
#define CPSREG_STORE_PRIVATE_H

#include <sys/types.h>

#include "store_sqlite.h"

#include "cpsreg/err.h"
#include "cpsreg/store.h"

/* The schema of the real program (src/store_schema.c), versions 1..n. */
extern const struct cps_migration cps_store_migrations[];
extern const size_t cps_store_nmigrations;

/* The connection behind s.  Prepared statements only, from
 * cps_store_prepare; give each back with cps_store_release before
 * returning. */
sqlite3 *cps_store_db(struct cps_store *s);

/* Puts in *st the statement for sql (SQLite's prepare rc).  The store
 * keeps it compiled for its whole life: the same text asked for again
 * gets the same statement, reset and without bindings.  A text already in
 * use further up the call chain gets a fresh statement of its own. */
int cps_store_prepare(struct cps_store *s, const char *sql, sqlite3_stmt **st);

/* Gives st back: a kept statement is reset and its bindings cleared (so
 * nothing bound with cps_bind_text outlives the call), any other is
 * finalized.  NULL is ignored. */
void cps_store_release(struct cps_store *s, sqlite3_stmt *st);

/* Turns a failed SQLite call (rc) into our error code and a message
 * "<file>: <what>: <reason>", where what is formatted from fmt.  Call it
 * right after the failure, before a rollback replaces SQLite's message.
 * SQLITE_BUSY/LOCKED give CPS_ERR_BUSY, CORRUPT/NOTADB CPS_ERR_CORRUPT,
 * CANTOPEN/IOERR/READONLY/PERM/FULL CPS_ERR_IO, NOMEM CPS_ERR_NOMEM,
 * anything else CPS_ERR_STORE. */
enum cps_err cps_store_fail(struct cps_store *s, int rc, struct cps_error *err,
			    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The gen the catalog and legacy inserts give their rows (0: seen at
 * once; see cps_store_set_insert_gen in store_import.h). */
long long cps_store_insert_gen(const struct cps_store *s);

/* Conditions that keep out the rows of an import not yet published
 * (README, "Imports"): col is a gen column, such as "c.gen". */
#define CPS_SHOWN_CATALOG(col) \
	"(" col " <= coalesce((SELECT CAST(value AS INTEGER) FROM meta" \
	" WHERE key = 'catalog_generation'), 0))"
#define CPS_SHOWN_LEGACY(col) \
	"(" col " <= coalesce((SELECT CAST(value AS INTEGER) FROM meta" \
	" WHERE key = 'legacy_generation'), 0))"

/* 1 while this connection writes an import: it dropped every
 * unpublished row first and holds the claim, so the rows it reads are
 * all published or its own, and the lookups it makes for every row skip
 * the conditions above (each costs a lookup in meta). */
#define cps_store_importing(s) (cps_store_insert_gen(s) != 0)

/* Binding.  Each cps_bind_* binds one parameter unless *rc already holds
 * a failure, and leaves its own result in *rc; so a statement's values are
 * bound one after another with the rc of its prepare (SQLITE_OK), and
 * cps_store_step() runs it only when every bind worked.  A failed bind
 * (SQLITE_RANGE, SQLITE_TOOBIG, SQLITE_NOMEM) would otherwise run the
 * statement with NULL in place of the value. */
void cps_bind_int(sqlite3_stmt *st, int i, int v, int *rc);
void cps_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v, int *rc);
void cps_bind_null(sqlite3_stmt *st, int i, int *rc);
/* v must stay as it is until the statement is released (NULL: SQL NULL) */
void cps_bind_text(sqlite3_stmt *st, int i, const char *v, int *rc);
/* the same for a value that may change before the statement runs: copied */
void cps_bind_text_copy(sqlite3_stmt *st, int i, const char *v, int *rc);
void cps_bind_blob(sqlite3_stmt *st, int i, const void *v, sqlite3_uint64 n,
		   int *rc);

/* Steps st (SQLite's step) when rc is SQLITE_OK; otherwise returns rc,
 * the failed bind. */
int cps_store_step(sqlite3_stmt *st, int rc);

/* A shop's shared folder (src/store_share.c).  shared_folder: 1 when the
 * folder holding path has the set-group-ID bit and belongs to group, the
 * shop's group of general.group (*gid gets it); never without a group.
 * file_mode: the mode a new database at path gets (0660 there, else
 * 0600).  share_new_folder: a folder just made below a shared one lets
 * the group in (2770).  share_existing: our own database files in a
 * shared folder are given its group and 0660.  make_parents: the folders
 * above path, made as needed (store.c). */
int cps_store_shared_folder(const char *path, const char *group, gid_t *gid);
mode_t cps_store_file_mode(const char *path, const char *group);
void cps_store_share_new_folder(const char *dir, const char *group);
void cps_store_share_existing(const char *path, const char *group);
enum cps_err cps_store_make_parents(const char *path, const char *group,
				    struct cps_error *err);

#endif
