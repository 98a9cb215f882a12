/* store_feed.h - rows from memory into one INSERT ... SELECT: a
 * table-valued function, eponymous (never a table in the file),
 * registered on a connection at its first use, whose rows come through a
 * pointer bound to its hidden argument (src/ only: the store's).
 *
 * One INSERT per row opens and closes the cursors of the table and its
 * indexes, and a statement journal, every time, and binds every value;
 * one INSERT ... SELECT FROM a feed keeps them open for all the rows and
 * binds the feed.  The catalog import adds its new models this way, and
 * MIGRATE PRODUCTS copies the old products it read. */
#ifndef CPSREG_STORE_FEED_H
#define CPSREG_STORE_FEED_H

#include "store_private.h"

/* A kind of feed: its function's name (also the type of the bound
 * pointer) and its columns, in order, as a CREATE TABLE has them without
 * the hidden argument: "model, category, points". */
struct cps_store_feed_kind {
	const char *name;
	const char *columns;
	int ncolumns;
};

/* The rows of one statement. */
struct cps_store_feed {
	/* makes the next row the current one: 0 when there is none */
	int (*next)(void *arg);
	/* gives column col (from 0) of the current row with sqlite3_result_*;
	 * a text must stay as it is until the statement ends (SQLITE_STATIC) */
	void (*column)(void *arg, sqlite3_context *ctx, int col);
	void *arg;
	int more;            /* there is a current row */
	sqlite3_int64 n;     /* rows handed over */
};

/* Prepares sql, whose rows come FROM kind->name(?1), registering the
 * function on the connection the first time, and binds f to ?1.  Any
 * other parameter is the caller's to bind.  An SQLite result code. */
int cps_store_feed_prepare(struct cps_store *s, const struct cps_store_feed_kind *kind,
			   const char *sql, struct cps_store_feed *f, sqlite3_stmt **st);

#endif
