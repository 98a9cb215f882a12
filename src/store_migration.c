/* store_migration.c - SQL for the migration of old CPS products (see
 * src/store_migration.h and include/cpsreg/migration.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/catalog.h"
#include "cpsreg/i18n.h"
#include "store_feed.h"
#include "store_migration.h"
#include "store_private.h"

#define MIGRATION_SELECT \
	"SELECT account_id, legacy_account_id, products, migrated_at FROM migration "

/* Steps a bound migration query into out. */
static enum cps_err migration_row(struct cps_store *s, sqlite3_stmt *st, int rc,
				  struct cps_store_migration_row *out,
				  struct cps_error *err)
{
	rc = cps_store_step(st, rc);
	enum cps_err r;

	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_ROW) {
		out->account_id = sqlite3_column_int64(st, 0);
		out->legacy_account_id = sqlite3_column_int64(st, 1);
		out->products = sqlite3_column_int(st, 2);
		out->migrated_at = (time_t)sqlite3_column_int64(st, 3);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = CPS_ERR_NOT_FOUND;
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading the migration of old products"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_migration_get(struct cps_store *s, long long account_id,
				     struct cps_store_migration_row *out,
				     struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		MIGRATION_SELECT "WHERE account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the migration of old products"));
	cps_bind_int64(st, 1, account_id, &rc);
	return migration_row(s, st, rc, out, err);
}

enum cps_err cps_store_migration_by_legacy(struct cps_store *s,
					   long long legacy_account_id,
					   struct cps_store_migration_row *out,
					   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		MIGRATION_SELECT "WHERE legacy_account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the migration of old products"));
	cps_bind_int64(st, 1, legacy_account_id, &rc);
	return migration_row(s, st, rc, out, err);
}

enum cps_err cps_store_migration_insert(struct cps_store *s,
					long long account_id,
					long long legacy_account_id,
					int products, time_t now,
					struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO migration (account_id, legacy_account_id, products, migrated_at)"
		" VALUES (?1, ?2, ?3, ?4)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("recording the migration of old products"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int64(st, 2, legacy_account_id, &rc);
	cps_bind_int(st, 3, products, &rc);
	cps_bind_int64(st, 4, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("recording the migration of old products"));
	cps_store_release(s, st);
	return r;
}

/* The copy takes the old products the migration read from memory, through
 * a feed (store_feed.h), rather than reading them again and joining the
 * catalog for their points: a sixth of the copy's instructions went to
 * that second read, the join and choosing each detail. */
static const struct cps_store_feed_kind copy_kind = {
	.name = "cps_migration_feed",
	.columns = "catalog_id, serial, purchase_date, purchase_country, dealer,"
		   " points, legacy_product_id",
	.ncolumns = 7,
};

enum { COPY_CATALOG, COPY_SERIAL, COPY_DATE, COPY_COUNTRY, COPY_DEALER, COPY_POINTS,
       COPY_LEGACY };

struct copy {
	int (*next)(void *arg, struct cps_store_migration_new *row);
	void *arg;
	struct cps_store_migration_new row;   /* the current one */
};

static int copy_next(void *arg)
{
	struct copy *c = arg;

	return c->next(c->arg, &c->row);
}

/* A detail as the new product has it: missing is NULL. */
static void copy_text(sqlite3_context *ctx, const char *t)
{
	if (t && *t)
		sqlite3_result_text(ctx, t, -1, SQLITE_STATIC);   /* the caller's list */
	else
		sqlite3_result_null(ctx);
}

static void copy_column(void *arg, sqlite3_context *ctx, int col)
{
	const struct cps_store_migration_new *r = &((struct copy *)arg)->row;

	switch (col) {
	case COPY_CATALOG: sqlite3_result_int64(ctx, r->catalog_id); break;
	case COPY_SERIAL:  copy_text(ctx, r->serial); break;
	case COPY_DATE:    copy_text(ctx, r->purchase_date); break;
	case COPY_COUNTRY: copy_text(ctx, r->purchase_country); break;
	case COPY_DEALER:  copy_text(ctx, r->dealer); break;
	case COPY_POINTS:
		if (r->points > 0)
			sqlite3_result_int(ctx, r->points);
		else
			sqlite3_result_null(ctx);
		break;
	case COPY_LEGACY:  sqlite3_result_int64(ctx, r->legacy_product_id); break;
	default:           sqlite3_result_null(ctx); break;
	}
}

/* With its points a product is complete, earned at ?3. */
#define COPY_SQL \
	"INSERT INTO product (account_id, catalog_id, serial, purchase_date," \
	" purchase_country, dealer, points, completed_at, origin," \
	" legacy_product_id, created_at, updated_at)" \
	" SELECT ?2, catalog_id, serial, purchase_date, purchase_country, dealer," \
	" points, CASE WHEN points IS NOT NULL THEN ?3 END, 'migrated'," \
	" legacy_product_id, ?3, ?3 FROM cps_migration_feed(?1)"

/* The ids the copy gave, when they do not follow each other. */
static enum cps_err copied_ids(struct cps_store *s, long long account_id,
	long long legacy_account_id,
	void (*fn)(long long legacy_product_id, long long product_id, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT p.legacy_product_id, p.id FROM legacy_product lp"
		" JOIN product p ON p.legacy_product_id = lp.id"
		" WHERE lp.legacy_account_id = ?1 AND p.account_id = ?2 ORDER BY lp.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_bind_int64(st, 1, legacy_account_id, &rc);
	cps_bind_int64(st, 2, account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st))
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), arg);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_store_release(s, st);
	return r;
}

void cps_store_migration_mode(struct cps_store *s, int on)
{
	/* cannot fail outside a transaction; inside one the foreign keys
	 * stay as they were, and a cache that cannot change only costs time */
	sqlite3_exec(cps_store_db(s), on
		     ? "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -256"
		     : "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000",
		     NULL, NULL, NULL);
}

enum cps_err cps_store_migration_copy_all(struct cps_store *s,
	long long account_id, long long legacy_account_id, time_t now,
	int (*next)(void *arg, struct cps_store_migration_new *row), void *next_arg,
	long long *first_id,
	void (*fn)(long long legacy_product_id, long long product_id, void *arg),
	void *arg, int *count, struct cps_error *err)
{
	sqlite3 *db = cps_store_db(s);
	sqlite3_stmt *st;
	long long before = 0;
	int rc = cps_store_prepare(s, "SELECT max(id) FROM product", &st);

	*count = 0;
	*first_id = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		before = sqlite3_column_int64(st, 0);
	cps_store_release(s, st);
	if (rc != SQLITE_ROW)
		return cps_store_fail(s, rc, err, "%s", _("moving an old product"));

	/* every parent of a new product is known to be there: the account
	 * is the one the caller read in this transaction, the model and the
	 * old product are the ones it read (cps_store_migration_items finds
	 * each model in the catalog); so the caller may copy with the
	 * foreign keys off (cps_store_migration_mode).  One statement for the
	 * lot: a product whose model and serial are registered already
	 * breaks the UNIQUE constraint, which undoes the statement */
	struct copy c = { .next = next, .arg = next_arg };
	struct cps_store_feed f = { .next = copy_next, .column = copy_column, .arg = &c };
	rc = cps_store_feed_prepare(s, &copy_kind, COPY_SQL, &f, &st);
	if (rc != SQLITE_OK && !st)
		return cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_bind_int64(st, 2, account_id, &rc);
	cps_bind_int64(st, 3, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_DONE) {
		*count = sqlite3_changes(db);
		long long last = sqlite3_last_insert_rowid(db);
		cps_store_release(s, st);
		if (*count == 0)
			return CPS_OK;
		/* SQLite gives a new row the largest id plus one, so the rows,
		 * inserted in the order given, have the ids after before --
		 * unless the largest id is the largest integer, when it picks
		 * them at random: then they are read back */
		if (before >= 0 && before <= LLONG_MAX - *count && last == before + *count) {
			*first_id = before + 1;
			return CPS_OK;
		}
		return copied_ids(s, account_id, legacy_account_id, fn, arg, err);
	}
	/* a UNIQUE constraint undoes the statement, the transaction goes on */
	int exists = rc == SQLITE_CONSTRAINT &&
		     sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE;
	enum cps_err r = cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_store_release(s, st);
	if (exists && err)
		err->code = CPS_ERR_EXISTS;
	return exists ? CPS_ERR_EXISTS : r;
}

enum cps_err cps_store_migration_old_number(struct cps_store *s,
					    long long account_id, char *out,
					    size_t len, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		/* the migrated account's; else the one the old CPS e-mail names:
		 * the customer had that number even without migrating */
		"SELECT la.member_number FROM migration m"
		" JOIN legacy_account la ON la.id = m.legacy_account_id"
		" WHERE m.account_id = ?1"
		" UNION ALL "
		"SELECT la.member_number FROM account a"
		" JOIN legacy_account la ON la.email = a.old_email"
		" WHERE a.id = ?1 AND a.old_email <> '' AND " CPS_SHOWN_LEGACY("la.gen")
		" LIMIT 1", &st);

	if (len)
		out[0] = '\0';
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the old member number"));
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW && len) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, len, "%s", v ? v : "");
	}
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the old member number"));
	cps_store_release(s, st);
	return r;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

enum cps_err cps_store_migration_old_account(struct cps_store *s, const char *email,
					     struct cps_legacy_account *out,
					     struct cps_error *err)
{
	sqlite3_stmt *st;
	/* the count from the index alone: reading every product's row to
	 * leave out those an unfinished import has not shown yet cost as
	 * much as reading the products themselves */
	int rc = cps_store_prepare(s,
		"SELECT a.id, a.email, a.member_number, a.name, a.imported_at,"
		" (SELECT count(*) FROM legacy_product p WHERE p.legacy_account_id = a.id)"
		" FROM legacy_account a WHERE a.email = ?1 COLLATE NOCASE"
		" AND " CPS_SHOWN_LEGACY("a.gen"), &st);
	enum cps_err r;

	memset(out, 0, sizeof(*out));
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	cps_bind_text(st, 1, email, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->email, sizeof(out->email), "%s", col_text(st, 1));
		snprintf(out->member_number, sizeof(out->member_number), "%s", col_text(st, 2));
		snprintf(out->name, sizeof(out->name), "%s", col_text(st, 3));
		out->imported_at = (time_t)sqlite3_column_int64(st, 4);
		out->products = sqlite3_column_int(st, 5);
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = CPS_ERR_NOT_FOUND;
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("looking up an old CPS account"));
	}
	cps_store_release(s, st);
	return r;
}

/* The catalog's model and points for the old products' models, asked
 * once per model: an old account holds a few models many times over, and
 * joining the catalog for every product was a quarter of the read.  A
 * model's slot is its id modulo MODEL_SLOTS; a clash asks again. */
#define MODEL_SLOTS 256

struct model_slot {
	long long id;   /* 0: empty */
	int points;
	char model[CPS_MODEL_SIZE];
};

/* The slot of catalog_id, asked of the catalog when it is not there;
 * NULL with *rc SQLITE_DONE when the catalog has no such model. */
static const struct model_slot *model_of(struct cps_store *s, struct model_slot *slots,
					 long long catalog_id, int *rc)
{
	struct model_slot *m = &slots[(unsigned long long)catalog_id % MODEL_SLOTS];
	sqlite3_stmt *st;

	if (m->id == catalog_id)
		return m;
	*rc = cps_store_prepare(s, "SELECT model, points FROM catalog WHERE id = ?1", &st);
	if (*rc != SQLITE_OK)
		return NULL;
	cps_bind_int64(st, 1, catalog_id, rc);
	*rc = cps_store_step(st, *rc);
	if (*rc == SQLITE_ROW) {
		m->id = catalog_id;
		m->points = sqlite3_column_int(st, 1);
		snprintf(m->model, sizeof(m->model), "%s", col_text(st, 0));
	}
	cps_store_release(s, st);
	return *rc == SQLITE_ROW ? m : NULL;
}

enum cps_err cps_store_migration_items(struct cps_store *s,
	long long legacy_account_id, int owners,
	int (*fn)(const struct cps_store_migration_old *o, void *arg),
	void *arg, struct cps_error *err)
{
	struct model_slot *slots = calloc(MODEL_SLOTS, sizeof(*slots));
	sqlite3_stmt *st;
	/* (catalog_id, serial) is unique in product: one owner at most, found
	 * in the same pass as the old products */
	int rc = slots ? cps_store_prepare(s, owners
		? "SELECT lp.id, lp.catalog_id, lp.serial, lp.purchase_date,"
		  " lp.purchase_country, lp.dealer, p.id, p.account_id"
		  " FROM legacy_product lp LEFT JOIN product p"
		  "  ON p.catalog_id = lp.catalog_id AND p.serial = lp.serial"
		  " WHERE lp.legacy_account_id = ?1 AND " CPS_SHOWN_LEGACY("lp.gen")
		  " ORDER BY lp.id"
		: "SELECT lp.id, lp.catalog_id, lp.serial, lp.purchase_date,"
		  " lp.purchase_country, lp.dealer"
		  " FROM legacy_product lp"
		  " WHERE lp.legacy_account_id = ?1 AND " CPS_SHOWN_LEGACY("lp.gen")
		  " ORDER BY lp.id", &st) : SQLITE_NOMEM;

	if (rc != SQLITE_OK) {
		free(slots);
		return cps_store_fail(s, rc, err, "%s", _("reading the old CPS products"));
	}
	cps_bind_int64(st, 1, legacy_account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		long long catalog_id = sqlite3_column_int64(st, 1);
		int mrc = SQLITE_OK;
		const struct model_slot *m = model_of(s, slots, catalog_id, &mrc);

		if (!m) {
			if (mrc == SQLITE_DONE)
				continue;   /* no such model: the copy's join skips it too */
			rc = mrc;
			break;
		}
		struct cps_store_migration_old o = {
			.id = sqlite3_column_int64(st, 0),
			.catalog_id = catalog_id,
			.model = m->model,
			.points = m->points,
			.serial = col_text(st, 2),
			.purchase_date = col_text(st, 3),
			.purchase_country = col_text(st, 4),
			.dealer = col_text(st, 5),
			.owner_product_id = owners ? sqlite3_column_int64(st, 6) : 0,
			.owner_account_id = owners ? sqlite3_column_int64(st, 7) : 0,
		};
		if (fn(&o, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("reading the old CPS products"));
	cps_store_release(s, st);
	free(slots);
	return r;
}
