/* import.h - writing an import in short transactions, all or nothing
 * (src/import.c; README, "Imports").
 *
 * An import claims the store (one import at a time, whatever its kind),
 * writes its new rows in batches of their own transactions, unseen by
 * every reader, and makes them seen at once in its last transaction,
 * where its changes to rows already there are written too.  If it fails
 * or is stopped, its rows are dropped; if its process dies, the next
 * import drops them.  No transaction holds the write lock for longer than
 * a batch or the last part. */
#ifndef CPSREG_IMPORT_H
#define CPSREG_IMPORT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/err.h"

struct cps_engine;

struct cps_import_run {
	struct cps_engine *e;
	int legacy;              /* 0: the catalog, 1: the old CPS accounts */
	long long shown;         /* the generation readers see */
	long long gen;           /* this import's (shown + 1) */
	size_t batch;            /* rows written in the open transaction */
	size_t written;          /* rows written so far */
	struct timespec started; /* when the open transaction began */
	int claimed;
	int in_tx;
	int sync_level;          /* the connection's, while the batches do not wait for the disk */
	int unsynced;
	size_t expected;         /* rows the import will write; 0: not said */
};

/* Claims the store for an import of the catalog (legacy 0) or of the old
 * accounts (1) and drops what an import that never finished left.
 * CPS_ERR_BUSY when another import runs: after waiting up to wait_ms
 * for it to end (0: not at all), with a message saying so. */
enum cps_err cps_import_start(struct cps_engine *e, struct cps_import_run *run,
			      int legacy, int wait_ms, struct cps_error *err);

/* Says how many rows the import will write in all, before the first: the
 * batch that can hold all that are left then waits for the disk and goes
 * on as the last transaction (cps_import_last), instead of a commit and a
 * pause before it.  Without it every batch is committed on its own. */
void cps_import_expect(struct cps_import_run *run, size_t rows);

/* Before each new row: opens a transaction when none is open, and ends
 * the open one first when it is full. */
enum cps_err cps_import_row(struct cps_import_run *run, struct cps_error *err);

/* For rows that one statement writes one after the other, after a
 * cps_import_row for the first: 1 when the open transaction has room for
 * one more row (it is counted), 0 when it is full, and then the statement
 * ends and the next cps_import_row ends the transaction. */
int cps_import_more(struct cps_import_run *run);

/* Like cps_import_row, before up to n new rows written together (one
 * statement for several rows): *taken (at least 1 when n is) is how many of them the
 * open transaction takes, so that a batch holds no more rows than
 * cps_import_row would let it. */
enum cps_err cps_import_rows(struct cps_import_run *run, size_t n, size_t *taken,
			     struct cps_error *err);

/* Opens the last transaction (if none is open): the caller writes its
 * changes to existing rows in it, then publishes.  The batches before it
 * commit without waiting for the disk; from here on every commit waits
 * again, and the publishing one puts the batches on the disk with it. */
enum cps_err cps_import_last(struct cps_import_run *run, struct cps_error *err);

/* Makes the import's rows seen, ends the claim and commits. */
enum cps_err cps_import_publish(struct cps_import_run *run, struct cps_error *err);

/* Ends an import that failed: rolls back the open transaction, drops the
 * rows written so far and ends the claim.  Safe after a publish. */
void cps_import_abort(struct cps_import_run *run);

#endif
