/* bench_figures.c - in-process figures for tests/bench/bench.py ("make
 * bench"), each beside its anchor measured the same way in the same run:
 *
 *   bench_figures typeahead DB      microseconds per key of the type-ahead
 *                                   and of the plain SQL LIKE query
 *   bench_figures migrate DB EMAIL  milliseconds of MIGRATE PRODUCTS for a
 *                                   new validated account whose old CPS
 *                                   e-mail is EMAIL ("cpsreg <figure>")
 *   bench_figures migrate-anchor DB EMAIL
 *                                   milliseconds of one INSERT ... SELECT of
 *                                   the same products ("anchor <figure>"):
 *                                   a process of its own on its own copy of
 *                                   DB, so that neither finds the memory or
 *                                   the pages the other touched
 *   bench_figures populate DB N     makes one approved account through the
 *                                   engine (its e-mail is printed) and N - 1
 *                                   copies of it and of its message in SQL,
 *                                   for the status and messages figures
 *
 * DB is a cpsreg database the driver prepared (catalog, legacy export).
 * Prints "cpsreg <figure> anchor <figure>" unless said above; never
 * passes or fails. */
#define _DEFAULT_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/migration.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_figures: %s: %s\n", what, msg);
	exit(1);
}

static struct cps_engine *open_engine(const char *db, struct cps_config **cfg)
{
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	struct cps_error err = { 0 };
	struct cps_engine *e;

	o.env = env;
	if (cps_config_defaults(cfg, &o, &err) != CPS_OK)
		die("config", err.msg);
	free((*cfg)->database);
	(*cfg)->database = strdup(db);
	free((*cfg)->assets_dir);
	(*cfg)->assets_dir = strdup(getenv("CPSREG_ASSETS") ? getenv("CPSREG_ASSETS") : "assets");
	if (cps_engine_open(&e, *cfg, &err) != CPS_OK)
		die("open", err.msg);
	return e;
}

/* What a person types, key by key, looking for a few models. */
static const char *const keys[] = {
	"e", "eo", "eos", "eos ", "eos r", "eos r5", "r", "rf", "rf ", "rf 7", "rf 70",
	"rf 70-", "rf 70-2", "rf 70-200", "s", "sp", "spe", "spee", "speed", "1", "10", "100",
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define SHOWN 6 /* what the picker shows */

static void typeahead(const char *db)
{
	struct cps_config *cfg;
	struct cps_engine *e = open_engine(db, &cfg);
	struct cps_catalog_item items[SHOWN];
	struct cps_error err = { 0 };
	sqlite3 *raw;
	sqlite3_stmt *st;
	size_t n;
	int rounds = 20;
	double t0, ours, theirs;

	/* once for the names to be read, as the picker's first key does */
	if (cps_catalog_search(e, "e", items, SHOWN, &n, &err) != CPS_OK)
		die("search", err.msg);
	t0 = now_ms();
	for (int r = 0; r < rounds; r++)
		for (size_t k = 0; k < NKEYS; k++)
			if (cps_catalog_search(e, keys[k], items, SHOWN, &n, &err) != CPS_OK)
				die("search", err.msg);
	ours = (now_ms() - t0) * 1000.0 / (double)(rounds * (int)NKEYS);
	cps_engine_close(e);
	cps_config_free(cfg);

	/* the anchor: the same narrowing in plain SQL (LIKE ignores ASCII
	 * case; the table keeps no folded copy of the names), sorted, the
	 * first 6 */
	if (sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	if (sqlite3_prepare_v2(raw,
		"SELECT id, model, category, points, release_year, serial_pattern FROM catalog"
		" WHERE active = 1 AND model LIKE ?1 ORDER BY length(model), model LIMIT 6",
		-1, &st, NULL) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	t0 = now_ms();
	for (int r = 0; r < rounds; r++)
		for (size_t k = 0; k < NKEYS; k++) {
			char like[64];
			snprintf(like, sizeof(like), "%%%s%%", keys[k]);
			sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
			while (sqlite3_step(st) == SQLITE_ROW)
				;
			sqlite3_reset(st);
		}
	theirs = (now_ms() - t0) * 1000.0 / (double)(rounds * (int)NKEYS);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	printf("cpsreg %.2f anchor %.2f\n", ours, theirs);
}

/* A Norwegian business account, submitted with its certificate and
 * approved (which queues its password-code message); returns its id. */
static long long approved_account(struct cps_engine *e, const char *db, const char *old_email)
{
	struct cps_application a;
	struct cps_error err = { 0 };
	char code[CPS_RESUME_CODE_SIZE], token[CPS_TOKEN_SIZE], pdf[4096];
	static const char bytes[] =
		"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

	memset(&a, 0, sizeof(a));
	snprintf(a.company, sizeof(a.company), "Nordlys Foto AS");
	snprintf(a.country, sizeof(a.country), "NO");
	snprintf(a.street, sizeof(a.street), "Karl Johans gate 1");
	snprintf(a.postcode, sizeof(a.postcode), "0154");
	snprintf(a.city, sizeof(a.city), "Oslo");
	snprintf(a.first_name, sizeof(a.first_name), "Ola");
	snprintf(a.last_name, sizeof(a.last_name), "Nordmann");
	snprintf(a.email, sizeof(a.email), "bench@nordlys.no");
	snprintf(a.language, sizeof(a.language), "nb");
	a.vat_registered = CPS_VAT_YES;
	snprintf(a.vat_number, sizeof(a.vat_number), "988077917MVA");
	a.authorised = 1;
	snprintf(a.old_email, sizeof(a.old_email), "%s", old_email);
	snprintf(pdf, sizeof(pdf), "%s.pdf", db);
	FILE *f = fopen(pdf, "wb");
	if (!f || fwrite(bytes, 1, sizeof(bytes) - 1, f) != sizeof(bytes) - 1 || fclose(f) != 0)
		die("pdf", pdf);
	if (cps_application_new_draft(e, &a, code, sizeof(code), &err) != CPS_OK ||
	    cps_document_attach(e, a.id, CPS_DOC_REGISTRATION_CERTIFICATE, pdf, &err) != CPS_OK ||
	    cps_application_submit(e, a.id, &err) != CPS_OK ||
	    cps_application_approve(e, a.id, "Bench", token, sizeof(token), &err) != CPS_OK)
		die("account", err.msg);
	remove(pdf);
	return a.id;
}

static void migrate(const char *db, const char *old_email)
{
	struct cps_config *cfg;
	struct cps_engine *e = open_engine(db, &cfg);
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	double t0, ours;
	long long id = approved_account(e, db, old_email);

	t0 = now_ms();
	if (cps_migration_run(e, id, &r, &err) != CPS_OK)
		die("migrate", err.msg);
	ours = now_ms() - t0;
	if (r.moved == 0)
		die("migrate", "nothing moved");
	cps_migration_result_free(&r);
	cps_engine_close(e);
	cps_config_free(cfg);
	printf("cpsreg %.2f\n", ours);
}

/* The anchor: one INSERT ... SELECT of the same products (into a copy of
 * the table with its indexes, so the serials do not clash), synchronous
 * FULL in WAL like cpsreg. */
static void migrate_anchor(const char *db, const char *old_email)
{
	double t0, theirs;
	sqlite3 *raw;
	if (sqlite3_open(db, &raw) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	if (sqlite3_exec(raw, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 "CREATE TABLE anchor_product AS SELECT * FROM product WHERE 0;"
			 /* the indexes product has, so both keep the same order */
			 "CREATE UNIQUE INDEX anchor_serial ON anchor_product(catalog_id, serial);"
			 "CREATE UNIQUE INDEX anchor_legacy ON anchor_product(legacy_product_id);"
			 "CREATE INDEX anchor_account ON anchor_product(account_id)",
			 NULL, NULL, NULL) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "BEGIN IMMEDIATE;"
		 "INSERT INTO anchor_product (account_id, catalog_id, serial, purchase_date,"
		 " purchase_country, dealer, origin, legacy_product_id, created_at, updated_at)"
		 " SELECT 1, lp.catalog_id, lp.serial, lp.purchase_date, lp.purchase_country,"
		 " lp.dealer, 'migrated', lp.id, 0, 0 FROM legacy_product lp"
		 " JOIN legacy_account la ON la.id = lp.legacy_account_id WHERE la.email = '%s';"
		 "COMMIT;", old_email);
	t0 = now_ms();
	if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	theirs = now_ms() - t0;
	sqlite3_close(raw);
	printf("anchor %.2f\n", theirs);
}

static void populate(const char *db, int n)
{
	struct cps_config *cfg;
	struct cps_engine *e = open_engine(db, &cfg);
	long long id = approved_account(e, db, "");
	sqlite3 *raw;
	char cols[4096] = "", sql[8192];
	sqlite3_stmt *st;

	cps_engine_close(e);
	cps_config_free(cfg);
	if (sqlite3_open(db, &raw) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	if (sqlite3_prepare_v2(raw, "SELECT group_concat(name, ', ') FROM pragma_table_info('account')"
			       " WHERE name NOT IN ('id', 'email')", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		die("sqlite3", sqlite3_errmsg(raw));
	snprintf(cols, sizeof(cols), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql),
		 "BEGIN;"
		 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
		 " INSERT INTO account (email, %s) SELECT 'customer' || i || '@example.com', %s"
		 " FROM k, account WHERE account.id = %lld;"
		 "INSERT INTO message (account_id, kind, recipient, subject, body, created_at)"
		 " SELECT a.id, m.kind, a.email, m.subject, m.body, m.created_at"
		 " FROM account a, message m WHERE m.account_id = %lld AND a.id <> %lld;"
		 "COMMIT;", n - 1, cols, cols, id, id, id);
	if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("sqlite3", sqlite3_errmsg(raw));
	sqlite3_close(raw);
	printf("bench@nordlys.no\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "typeahead") == 0)
		typeahead(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "migrate") == 0)
		migrate(argv[2], argv[3]);
	else if (argc == 4 && strcmp(argv[1], "migrate-anchor") == 0)
		migrate_anchor(argv[2], argv[3]);
	else if (argc == 4 && strcmp(argv[1], "populate") == 0)
		populate(argv[2], atoi(argv[3]));
	else {
		fprintf(stderr, "usage: bench_figures typeahead DB | migrate DB OLD_EMAIL | migrate-anchor DB OLD_EMAIL | populate DB N\n");
		return 2;
	}
	return 0;
}
