/* store_migration.c - SQL for the migration of old CPS products (see
 * src/store_migration.h and include/cpsreg/migration.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
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

enum cps_err cps_store_migration_copy_all(struct cps_store *s,
	long long account_id, long long legacy_account_id, time_t now,
	void (*fn)(long long legacy_product_id, long long product_id, void *arg),
	void *arg, int *count, struct cps_error *err)
{
	sqlite3_stmt *st;
	/* one statement for the lot: a product whose model and serial are
	 * registered already (to this account: the caller has refused any
	 * other) stays where it is */
	int rc = cps_store_prepare(s,
		"INSERT INTO product (account_id, catalog_id, serial, purchase_date,"
		" purchase_country, dealer, points, completed_at, origin,"
		" legacy_product_id, created_at, updated_at)"
		" SELECT ?1, lp.catalog_id, nullif(lp.serial, ''), nullif(lp.purchase_date, ''),"
		" nullif(lp.purchase_country, ''), nullif(lp.dealer, ''),"
		" CASE WHEN has_all AND c.points > 0 THEN c.points END,"
		" CASE WHEN has_all AND c.points > 0 THEN ?3 END, 'migrated', lp.id, ?3, ?3"
		" FROM (SELECT *, coalesce(serial, '') <> '' AND coalesce(purchase_date, '') <> ''"
		"  AND coalesce(purchase_country, '') <> '' AND coalesce(dealer, '') <> '' AS has_all"
		"  FROM legacy_product WHERE legacy_account_id = ?2"
		"  AND " CPS_SHOWN_LEGACY("gen") ") lp"
		" JOIN catalog c ON c.id = lp.catalog_id"
		" WHERE coalesce(lp.serial, '') = '' OR NOT EXISTS (SELECT 1 FROM product p"
		"  WHERE p.catalog_id = lp.catalog_id AND p.serial = lp.serial)"
		" ORDER BY lp.id"
		" RETURNING legacy_product_id, id", &st);

	*count = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_int64(st, 2, legacy_account_id, &rc);
	cps_bind_int64(st, 3, (sqlite3_int64)now, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), arg);
		(*count)++;
	}
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("moving an old product"));
	cps_store_release(s, st);
	return r;
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

enum cps_err cps_store_migration_serial_owners(struct cps_store *s,
	long long legacy_account_id,
	void (*fn)(long long legacy_product_id, long long product_id,
		   long long account_id, void *arg),
	void *arg, struct cps_error *err)
{
	sqlite3_stmt *st;
	/* (catalog_id, serial) is unique in product: one owner at most */
	int rc = cps_store_prepare(s,
		"SELECT lp.id, p.id, p.account_id FROM legacy_product lp"
		" JOIN product p ON p.catalog_id = lp.catalog_id AND p.serial = lp.serial"
		" WHERE lp.legacy_account_id = ?1 AND lp.serial <> ''"
		" AND " CPS_SHOWN_LEGACY("lp.gen") " ORDER BY lp.id", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("checking the serial number"));
	cps_bind_int64(st, 1, legacy_account_id, &rc);
	for (rc = cps_store_step(st, rc); rc == SQLITE_ROW; rc = sqlite3_step(st))
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		   sqlite3_column_int64(st, 2), arg);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("checking the serial number"));
	cps_store_release(s, st);
	return r;
}
