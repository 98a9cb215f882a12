/* store_feed.c - rows from memory into one INSERT ... SELECT, through a
 * table-valued function (see store_feed.h). */
#include <stdio.h>
#include <string.h>

#include "store_feed.h"

/* The table of a feed: which kind it is (its columns). */
struct feed_vtab {
	sqlite3_vtab base;
	const struct cps_store_feed_kind *kind;
};

struct feed_cursor {
	sqlite3_vtab_cursor base;
	struct cps_store_feed *f;
};

static int feed_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
			sqlite3_vtab **vt, char **why)
{
	const struct cps_store_feed_kind *kind = aux;
	struct feed_vtab *t;
	char schema[512];
	int rc;

	(void)argc;
	(void)argv;
	(void)why;
	if ((size_t)snprintf(schema, sizeof(schema), "CREATE TABLE x(%s, feed HIDDEN)",
			     kind->columns) >= sizeof(schema))
		return SQLITE_TOOBIG;
	rc = sqlite3_declare_vtab(db, schema);
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	*vt = &t->base;
	return SQLITE_OK;
}

static int feed_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* Only a scan given its feed: without it there is nothing to read. */
static int feed_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	int arg = ((struct feed_vtab *)vt)->kind->ncolumns;

	for (int i = 0; i < info->nConstraint; i++) {
		if (info->aConstraint[i].iColumn != arg ||
		    info->aConstraint[i].op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		if (!info->aConstraint[i].usable)
			return SQLITE_CONSTRAINT;
		info->aConstraintUsage[i].argvIndex = 1;
		info->aConstraintUsage[i].omit = 1;
		info->estimatedCost = 1;
		return SQLITE_OK;
	}
	return SQLITE_CONSTRAINT;
}

static int feed_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct feed_cursor *c = sqlite3_malloc(sizeof(*c));

	(void)vt;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int feed_next(sqlite3_vtab_cursor *cur)
{
	struct cps_store_feed *f = ((struct feed_cursor *)cur)->f;

	if (f && f->more) {
		f->more = f->next(f->arg);
		f->n += f->more;
	}
	return SQLITE_OK;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int num, const char *str,
		       int argc, sqlite3_value **argv)
{
	struct feed_cursor *c = (struct feed_cursor *)cur;
	const char *type = ((struct feed_vtab *)cur->pVtab)->kind->name;

	(void)num;
	(void)str;
	c->f = argc > 0 ? sqlite3_value_pointer(argv[0], type) : NULL;
	if (c->f) {
		c->f->more = 1;
		return feed_next(cur);
	}
	return SQLITE_OK;
}

static int feed_eof(sqlite3_vtab_cursor *cur)
{
	struct cps_store_feed *f = ((struct feed_cursor *)cur)->f;

	return !f || !f->more;
}

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct cps_store_feed *f = ((struct feed_cursor *)cur)->f;

	if (col < ((struct feed_vtab *)cur->pVtab)->kind->ncolumns)
		f->column(f->arg, ctx, col);
	else
		sqlite3_result_null(ctx);
	return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = ((struct feed_cursor *)cur)->f->n;
	return SQLITE_OK;
}

static const sqlite3_module feed_module = {
	.iVersion = 0,
	.xCreate = NULL,        /* eponymous only: never CREATE VIRTUAL TABLE */
	.xConnect = feed_connect,
	.xBestIndex = feed_best_index,
	.xDisconnect = feed_disconnect,
	.xOpen = feed_open,
	.xClose = feed_close,
	.xFilter = feed_filter,
	.xNext = feed_next,
	.xEof = feed_eof,
	.xColumn = feed_column,
	.xRowid = feed_rowid,
};

int cps_store_feed_prepare(struct cps_store *s, const struct cps_store_feed_kind *kind,
			   const char *sql, struct cps_store_feed *f, sqlite3_stmt **st)
{
	int rc = cps_store_prepare(s, sql, st);

	if (rc != SQLITE_OK) {
		/* the connection's first use: the function is not there yet
		 * (registered once: doing it again would replace it under the
		 * statements that use it) */
		rc = sqlite3_create_module(cps_store_db(s), kind->name, &feed_module,
					   (void *)kind);
		if (rc == SQLITE_OK)
			rc = cps_store_prepare(s, sql, st);
		if (rc != SQLITE_OK)
			return rc;
	}
	f->more = 0;
	f->n = 0;
	return sqlite3_bind_pointer(*st, 1, f, kind->name, NULL);
}
