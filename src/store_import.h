/* store_import.h - SQL for imports written in batches (src/import.c).
 *
 * An import's new rows carry the import's generation in their gen
 * column and stay unseen by every reader until the generation is
 * published in meta; rows of an import that never finished are dropped
 * by the next one. */
#ifndef CPSREG_STORE_IMPORT_H
#define CPSREG_STORE_IMPORT_H

#include "cpsreg/err.h"
#include "cpsreg/store.h"

/* The gen cps_store_catalog_insert and the legacy inserts give their
 * rows from now on (0, the default: seen at once). */
void cps_store_set_insert_gen(struct cps_store *s, long long gen);

/* Drops at most limit unpublished rows, those whose gen is above shown:
 * of the catalog (legacy 0) or of the legacy accounts and their products
 * (legacy 1; the products first).  *dropped: how many went; 0 when none
 * is left.  Inside a transaction from cps_store_begin. */
enum cps_err cps_store_import_drop(struct cps_store *s, int legacy, long long shown,
				   int limit, int *dropped, struct cps_error *err);

/* on 1, for an import's batches, unseen until its last transaction: a
 * commit does not wait for the disk (WAL, synchronous NORMAL); returns
 * the synchronous level it found (-1: unknown).  on 0, before the last
 * transaction: the level back as it was (level: what on 1 returned). */
int cps_store_import_unsynced(struct cps_store *s, int on, int level);

#endif
