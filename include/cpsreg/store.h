/* store.h - the local database: opening, upgrading, transactions, meta.
 *
 * The store is one SQLite file.  Opening it creates it when missing (mode
 * 0600, parent folders 0700; in a shop's shared folder 0660 and 2770), upgrades an older schema and refuses, without
 * writing to it, a file that is not a cpsreg database or that a newer cpsreg
 * wrote.  SQLite itself stays behind this header: only src/store*.c see it
 * (through src/store_private.h).
 *
 * One struct cps_store is one connection; use it from one thread only. */
#ifndef CPSREG_STORE_H
#define CPSREG_STORE_H

#include <stddef.h>

#include "cpsreg/err.h"

/* PRAGMA application_id of every cpsreg database: "CPSR". */
#define CPS_STORE_APPLICATION_ID 0x43505352

/* Longest value cps_store_meta_get() needs room for, terminator included. */
#define CPS_STORE_META_MAX 256

struct cps_store;

/* One step of the schema: the SQL that takes the file from version-1 to
 * version.  A table of them is numbered 1..n in order.  Each step runs in
 * its own BEGIN IMMEDIATE transaction together with PRAGMA user_version, so
 * it must not contain BEGIN/COMMIT itself.  Foreign keys are off while it
 * runs (so a table can be rebuilt) and checked before it commits. */
struct cps_migration {
	int version;
	const char *sql;
};

/* Opens the database at path, or creates it, and brings its schema up to
 * the program's latest version.  On success *out is a new store for
 * cps_store_close(); on failure *out is NULL and:
 *   CPS_ERR_IO      the file or its folder cannot be opened or created
 *   CPS_ERR_CORRUPT not an SQLite file, damaged, or another program's
 *                   database (the file is left untouched)
 *   CPS_ERR_SCHEMA  written by a newer cpsreg (the file is left untouched)
 *   CPS_ERR_BUSY    another process held the database for too long
 *   CPS_ERR_STORE   an upgrade step failed (it was rolled back) */
enum cps_err cps_store_open(struct cps_store **out, const char *path,
			    struct cps_error *err);

/* The same for a shop whose staff share the database through group
 * (general.group; NULL or empty: as cps_store_open).  In a set-group-ID
 * folder of that group the database, its -wal and -shm are made (or put
 * right to) 0660 and the group's; a set-group-ID folder of any other
 * group, or without a group configured, keeps the database 0600. */
enum cps_err cps_store_open_shop(struct cps_store **out, const char *path,
				 const char *group, struct cps_error *err);

/* Makes the folder of the database at db_path the shop's shared folder
 * for group (README, "Running a shop"): made when missing, then given the
 * group and mode 2770 (set-group-ID: what is made in it belongs to the
 * group) when this user owns it.  A database opened in such a folder with
 * cps_store_open_shop is made 0660 instead of 0600.  group NULL or empty:
 * nothing to do.
 *   CPS_ERR_INVALID no such group
 *   CPS_ERR_IO      the folder cannot be made, or is another user's and
 *                   not yet shared (the message says what its owner runs) */
enum cps_err cps_store_share_folder(const char *db_path, const char *group,
				    struct cps_error *err);

/* The same with another list of schema steps (tests use it to play an older
 * or newer program).  migs[i].version must be i + 1; nmigs >= 1. */
enum cps_err cps_store_open_with(struct cps_store **out, const char *path,
				 const struct cps_migration *migs,
				 size_t nmigs, struct cps_error *err);

/* Closes the connection; an open transaction is rolled back.  NULL is
 * allowed. */
void cps_store_close(struct cps_store *s);

/* The file's schema version (PRAGMA user_version) after opening. */
int cps_store_version(const struct cps_store *s);

/* How long a write waits for another program's lock before it fails with
 * CPS_ERR_BUSY, in ms (5000 after opening); ms < 0 only asks.  Returns the
 * value before.  A retry that must not stop the screen waits briefly. */
int cps_store_busy_timeout(struct cps_store *s, int ms);

/* A bulk job (an import) reads and writes many pages: with bulk on, the
 * page cache is large (64 MiB at most, taken only as pages are used), so
 * the pages stay in memory instead of being written and read again while
 * the write lock is held; off gives SQLite's default back. */
void cps_store_bulk(struct cps_store *s, int on);

/* A job that commits many transactions one after the other (an import's
 * batches): with on, the write-ahead log is not copied into the database
 * every 1,000 pages (each copy syncs the disk twice and writes the pages
 * the job keeps changing again); off copies everything once, without
 * making anybody wait, and gives the automatic copy back.  Every commit
 * is still synced: nothing committed is lost in a crash. */
void cps_store_defer_checkpoints(struct cps_store *s, int on);

/* The newest schema version this program knows. */
int cps_store_latest_version(void);

/* A write transaction (BEGIN IMMEDIATE: it takes the write lock at once,
 * waiting up to the busy timeout, so a later write cannot fail with
 * CPS_ERR_BUSY halfway).  When cps_store_commit() fails the transaction has
 * been rolled back.  cps_store_rollback() does nothing outside a
 * transaction. */
enum cps_err cps_store_begin(struct cps_store *s, struct cps_error *err);
enum cps_err cps_store_commit(struct cps_store *s, struct cps_error *err);
void cps_store_rollback(struct cps_store *s);
/* A read transaction: many lookups see one state of the database and
 * pay for one snapshot instead of one each; in WAL mode it holds no lock
 * a writer waits for.  Ended with cps_store_commit() or _rollback(). */
enum cps_err cps_store_begin_read(struct cps_store *s, struct cps_error *err);
/* 1 inside a transaction from cps_store_begin(). */
int cps_store_in_transaction(struct cps_store *s);

/* The meta table: small facts about the file itself (created_at,
 * created_by, ...).  get copies the value into buf (len bytes, terminator
 * included): CPS_ERR_NOT_FOUND when the key is missing, CPS_ERR_INVALID
 * when it does not fit.  set inserts or replaces the value; inside a
 * transaction from cps_store_begin() it becomes part of it, otherwise it
 * commits on its own. */
enum cps_err cps_store_meta_get(struct cps_store *s, const char *key,
				char *buf, size_t len, struct cps_error *err);
enum cps_err cps_store_meta_set(struct cps_store *s, const char *key,
				const char *value, struct cps_error *err);

#endif
