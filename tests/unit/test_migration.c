/* test_migration.c - MIGRATE PRODUCTS: when the action is offered and why
 * not (with the seed's advice and the support contact), the seed's
 * scenario end to end (products with their ticks and points, a second run
 * adds nothing), products this account registered already, products
 * another account registered (the whole migration refused, also when the
 * clash is on the third product), an empty detail stored and moved as
 * missing, a clash that no owner explains (an error with the store's
 * words, nothing moved), and the outbox: its rows byte for byte
 * what jansson dumps of the same values (also with quotes, backslashes,
 * control characters and non-ASCII in the details, and when SQLite picks
 * the new products' ids at random).  Runs in
 * TZ=Europe/Copenhagen with the engine's clock fixed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/product.h"
#include "../../src/engine_private.h"
#include "../../src/migration_items.h"
#include "../../src/store_legacy.h"
#include "../../src/store_private.h"
#include "testutil.h"

#define NOW ((time_t)1790000000) /* Monday 2026-09-21 16:13:20 in Copenhagen */

#define KARI "kari.nordmann@example.no"   /* the sample export's first account */
#define ANNA "anna.svensson@example.se"   /* ... the one without products */

#define assert_msg(text, word) do { \
	if (!strstr((text), (word))) \
		fail_msg("\"%s\" lacks \"%s\"", (text), (word)); \
} while (0)

/* --- fixtures ------------------------------------------------------------ */

/* The first line of an old system's export. */
#define LEGACY_HEAD \
	"email,member_number,name,model,serial,purchase_date,purchase_country,dealer\n"


static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static void setup(struct tu_engine *t)
{
	tu_engine_new(t, NOW);
	set(&t->cfg->support_phone, "+47 22 00 00 00");
	set(&t->cfg->support_email, "cps@example.com");
}

/* An application from a Norwegian company with this e-mail and old CPS
 * e-mail (NULL: none), submitted and, when validate, approved. */
static long long account(struct tu_engine *t, const char *email,
			 const char *old_email, int validate)
{
	struct cps_application a;

	tu_fill_no(&a);
	snprintf(a.first_name, sizeof(a.first_name), "Kari");
	snprintf(a.email, sizeof(a.email), "%s", email);
	snprintf(a.old_email, sizeof(a.old_email), "%s", old_email ? old_email : "");
	return tu_account(t, &a, validate ? 1 : 0, NULL);
}

static void import_legacy_text(struct tu_engine *t, const char *text)
{
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	snprintf(path, sizeof(path), "%s/export.csv", t->dir);
	tu_write_file(path, text, strlen(text));
	if (cps_legacy_import(t->e, path, &rep, &err) != CPS_OK)
		fail_msg("legacy import: %s", err.msg);
	cps_legacy_report_free(&rep);
}

/* The sample export that ships in assets/. */
/* Imports n old products of ola@gammel.no (OLD-1), all EOS R6 with
 * every detail, serial numbers from first on, at the given number of
 * dealers ("Foto Ola" alone, or "Foto Ola 0" and on). */
static void import_many(struct tu_engine *t, int n, int first, int dealers)
{
	size_t cap = 200 + (size_t)n * 80, o = 0;
	char *csv = malloc(cap);

	assert_non_null(csv);
	o += (size_t)snprintf(csv + o, cap - o,
		LEGACY_HEAD);
	for (int i = 0; i < n; i++) {
		o += (size_t)snprintf(csv + o, cap - o,
			"ola@gammel.no,OLD-1,Ola,EOS R6,%012d,2021,NO,Foto Ola", first + i);
		if (dealers > 1)
			o += (size_t)snprintf(csv + o, cap - o, " %d", i % dealers);
		o += (size_t)snprintf(csv + o, cap - o, "\n");
	}
	import_legacy_text(t, csv);
	free(csv);
}

static void import_sample(struct tu_engine *t)
{
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	char path[600];

	snprintf(path, sizeof(path), "%s/legacy-sample.csv", t->cfg->assets_dir);
	if (cps_legacy_import(t->e, path, &rep, &err) != CPS_OK)
		fail_msg("legacy import: %s", err.msg);
	cps_legacy_report_free(&rep);
}

static long long add_product(struct tu_engine *t, long long acct, const char *name,
			     const char *serial)
{
	struct cps_product_draft d = {
		.catalog_id = tu_model(t, name), .serial = serial, .purchase_date = "2024-03",
		.purchase_country = "NO", .dealer = "Japan Photo Oslo",
	};
	struct cps_error err = { 0 };
	long long id = 0;

	if (cps_product_add(t->e, acct, &d, &id, NULL, &err) != CPS_OK)
		fail_msg("add %s: %s", name, err.msg);
	return id;
}

static long long outbox(struct tu_engine *t)
{
	struct cps_error err = { 0 };
	long long n = -1;

	assert_int_equal(cps_outbox_pending(t->e, &n, &err), CPS_OK);
	return n;
}

/* Everything a refused migration must leave as it was. */
struct snap {
	long long outbox;
	long points;
	int complete, registered;
	int messages;
};

static int count_msg(const struct cps_message *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static void take(struct tu_engine *t, long long acct, struct snap *s)
{
	struct cps_error err = { 0 };

	memset(s, 0, sizeof(*s));
	s->outbox = outbox(t);
	assert_int_equal(cps_product_totals(t->e, acct, &s->points, &s->complete,
					    &s->registered, &err), CPS_OK);
	assert_int_equal(cps_messages_pending(t->e, NULL, count_msg, &s->messages, &err), CPS_OK);
}

static void assert_same(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->outbox, b->outbox);
	assert_int_equal(a->points, b->points);
	assert_int_equal(a->complete, b->complete);
	assert_int_equal(a->registered, b->registered);
	assert_int_equal(a->messages, b->messages);
}

/* After a refused run: nothing moved, no list, and the account as it was
 * before (with registered products, unless registered is negative). */
static void expect_nothing_moved(struct tu_engine *t, long long acct,
				 struct cps_migration_result *r,
				 const struct snap *before, int registered)
{
	struct snap after;

	assert_int_equal(r->moved, 0);
	assert_null(r->items);
	cps_migration_result_free(r);
	take(t, acct, &after);
	assert_same(before, &after);
	if (registered >= 0)
		assert_int_equal(after.registered, registered);
}

static struct cps_migration_info check(struct tu_engine *t, long long acct)
{
	struct cps_migration_info info;
	struct cps_error err = { 0 };

	if (cps_migration_check(t->e, acct, &info, &err) != CPS_OK)
		fail_msg("check: %s", err.msg);
	return info;
}

/* The copy runs with the foreign keys off (its SELECT gives every
 * parent) and a small page cache: afterwards, refused or not, the
 * connection checks them again with its usual cache, and every row it
 * wrote has its parents. */
static void expect_keys_checked(struct tu_engine *t)
{
	sqlite3 *db = cps_store_db(t->e->store);
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), -2000);
	sqlite3_finalize(st);

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* and it refuses a product of a model that is not in the catalog */
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO product (account_id, catalog_id, created_at, updated_at)"
		" SELECT id, -1, 0, 0 FROM account LIMIT 1", NULL, NULL, NULL), SQLITE_CONSTRAINT);
}

/* Every migration outbox row of the account is, byte for byte, what
 * jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS) makes of the same
 * values read back from the store: the old products in parts of 500,
 * those moved with their new product (found by legacy_product_id), those
 * left with this account's own product of that model and serial.  The
 * result's items name the same products. */
static void expect_outbox_as_jansson(struct tu_engine *t, long long acct,
				     const struct cps_migration_result *r)
{
	sqlite3 *db = cps_store_db(t->e->store);
	sqlite3_stmt *st;
	json_t *parts[64] = { 0 }, *moved = NULL, *skipped = NULL;
	long long old_id = 0;
	char member[64] = "", old_email[256] = "";
	int n = 0, count = 0, rows = 0;

	expect_keys_checked(t);

	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT la.id, la.member_number, la.email FROM migration m"
		" JOIN legacy_account la ON la.id = m.legacy_account_id WHERE m.account_id = ?",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, acct);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	old_id = sqlite3_column_int64(st, 0);
	snprintf(member, sizeof(member), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(old_email, sizeof(old_email), "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);

	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT lp.id, lp.catalog_id, c.model, c.points, coalesce(lp.serial, ''),"
		" coalesce(lp.purchase_date, ''), coalesce(lp.purchase_country, ''),"
		" coalesce(lp.dealer, ''), moved.id, own.id"
		" FROM legacy_product lp JOIN catalog c ON c.id = lp.catalog_id"
		" LEFT JOIN product moved ON moved.legacy_product_id = lp.id AND moved.account_id = ?2"
		" LEFT JOIN product own ON own.catalog_id = lp.catalog_id AND own.serial = lp.serial"
		"  AND own.account_id = ?2 AND own.legacy_product_id IS NULL"
		" WHERE lp.legacy_account_id = ?1 ORDER BY lp.id", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, old_id);
	sqlite3_bind_int64(st, 2, acct);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *text[4];
		json_t *x = json_object();

		for (int i = 0; i < 4; i++)
			text[i] = (const char *)sqlite3_column_text(st, 4 + i);
		if (n % 500 == 0) {
			assert_true(n / 500 < 64);
			moved = json_array();
			skipped = json_array();
			parts[n / 500] = json_pack("{s:o, s:o}", "moved", moved, "skipped", skipped);
		}
		json_object_set_new(x, "legacy_product_id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(x, "catalog_id", json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(x, "model", json_string((const char *)sqlite3_column_text(st, 2)));
		json_object_set_new(x, "serial", *text[0] ? json_string(text[0]) : json_null());
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			int complete = *text[0] && *text[1] && *text[2] && *text[3];
			json_object_set_new(x, "product_id", json_integer(sqlite3_column_int64(st, 8)));
			json_object_set_new(x, "purchase_date", *text[1] ? json_string(text[1]) : json_null());
			json_object_set_new(x, "purchase_country", *text[2] ? json_string(text[2]) : json_null());
			json_object_set_new(x, "dealer", *text[3] ? json_string(text[3]) : json_null());
			json_object_set_new(x, "complete", json_boolean(complete));
			json_object_set_new(x, "points", json_integer(complete ? sqlite3_column_int(st, 3) : 0));
			json_array_append_new(moved, x);
			count++;
		} else {
			assert_int_equal(sqlite3_column_type(st, 9), SQLITE_INTEGER);
			json_object_set_new(x, "product_id", json_integer(sqlite3_column_int64(st, 9)));
			json_array_append_new(skipped, x);
		}
		/* the result names the same product */
		if (r) {
			assert_true((size_t)n < r->nitems);
			assert_int_equal(r->items[n].legacy_product_id, sqlite3_column_int64(st, 0));
			assert_int_equal(r->items[n].product_id,
				sqlite3_column_int64(st, sqlite3_column_type(st, 8) != SQLITE_NULL ? 8 : 9));
		}
		n++;
	}
	sqlite3_finalize(st);
	assert_true(n > 0);
	if (r)
		assert_int_equal(r->nitems, n);

	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT idem_key, created_at, payload FROM outbox"
		" WHERE kind = 'migration' AND account_id = ? ORDER BY id", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, acct);
	int nparts = (n + 499) / 500;
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(rows < nparts);
		json_t *data = parts[rows];
		json_object_set_new(data, "legacy_account_id", json_integer(old_id));
		json_object_set_new(data, "member_number", json_string(member));
		json_object_set_new(data, "old_email", json_string(old_email));
		json_object_set_new(data, "count", json_integer(count));
		json_object_set_new(data, "part", json_integer(rows + 1));
		json_object_set_new(data, "parts", json_integer(nparts));
		json_t *body = json_pack("{s:s, s:s, s:I, s:I, s:O}",
			"idempotency_key", (const char *)sqlite3_column_text(st, 0),
			"kind", "migration", "account_id", (json_int_t)acct,
			"at", (json_int_t)sqlite3_column_int64(st, 1), "data", data);
		assert_non_null(body);
		char *want = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		assert_non_null(want);
		assert_string_equal((const char *)sqlite3_column_text(st, 2), want);
		free(want);
		json_decref(body);
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, nparts);
	for (int i = 0; i < 64; i++)
		json_decref(parts[i]);
}

/* --- the seed's scenario -------------------------------------------------- */

static void test_seed_scenario(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_migration_info info;
	struct cps_migration_result r;
	struct cps_product *list;
	size_t n;
	long points;
	int complete, registered;
	char kind[32], payload[8192];

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 1);

	/* offered: the old e-mail was given and the old account has products */
	info = check(&t, a);
	assert_true(info.offered);
	assert_int_equal(info.reason, CPS_MIGRATION_OFFERED);
	assert_string_equal(info.old_email, KARI);
	assert_string_equal(info.member_number, "CPS-NO-104233");
	assert_int_equal(info.nitems, 4);
	assert_int_equal(info.to_move, 4);
	assert_int_equal(info.complete, 3);
	assert_int_equal(info.already_yours, 0);
	assert_int_equal(info.conflicts, 0);
	assert_int_equal(info.points, 700 + 500 + 550);
	assert_string_equal(info.items[0].model, "EOS R5");
	assert_string_equal(info.items[0].serial, "012345678901");
	assert_true(info.items[0].complete);
	assert_int_equal(info.items[0].points, 700);
	assert_string_equal(info.items[2].dealer, "Foto Knudsen, Bergen");
	assert_string_equal(info.items[3].model, "Speedlite EL-1");
	assert_false(info.items[3].complete);
	assert_int_equal(info.items[3].points, 200);
	assert_int_equal(info.items[3].state, CPS_MIGRATE_MOVE);
	assert_msg(info.text, "4 products");
	assert_msg(info.text, "CPS-NO-104233");
	assert_msg(info.text, "1 of them lacks details");
	cps_migration_info_free(&info);
	assert_null(info.items);

	/* a later catalog does not change what the products earn now: the
	 * points are the catalog's at the time of moving */
	long long before = outbox(&t);
	cps_engine_set_now(t.e, NOW + 600);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_false(r.already);
	assert_int_equal(r.moved, 4);
	assert_int_equal(r.complete, 3);
	assert_int_equal(r.incomplete, 1);
	assert_int_equal(r.skipped, 0);
	assert_int_equal(r.points, 1750);
	assert_int_equal(r.migrated_at, NOW + 600);
	assert_string_equal(r.member_number, "CPS-NO-104233");
	assert_int_equal(r.nitems, 4);
	assert_true(r.items[0].product_id > 0);
	assert_msg(r.text, "4 products were moved");
	assert_msg(r.text, "View product");
	cps_migration_result_free(&r);

	/* the products, with their ticks and points */
	assert_int_equal(cps_product_list(t.e, a, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(list[i].origin, CPS_ORIGIN_MIGRATED);
	assert_string_equal(list[0].model, "EOS R5");
	assert_string_equal(list[0].serial, "012345678901");
	assert_string_equal(list[0].purchase_date, "2021-05-14");
	assert_string_equal(list[0].purchase_country, "NO");
	assert_string_equal(list[0].dealer, "Japan Photo Oslo");
	assert_true(list[0].complete);
	assert_int_equal(list[0].points, 700);
	assert_int_equal(list[0].completed_at, NOW + 600);
	assert_string_equal(list[1].purchase_date, "2021-05");
	assert_int_equal(list[1].date_precision, CPS_DATE_MONTH);
	assert_string_equal(list[2].purchase_date, "2019");
	assert_string_equal(list[2].dealer, "Foto Knudsen, Bergen");
	assert_int_equal(list[2].points, 550);
	assert_false(list[3].complete);
	assert_int_equal(list[3].points, 0);
	assert_int_equal(list[3].completed_at, 0);
	assert_int_equal(list[3].worth, 200);
	assert_string_equal(list[3].serial, "");
	assert_string_equal(list[3].dealer, "");
	long long speedlite = list[3].id;
	cps_product_list_free(list);
	assert_int_equal(cps_product_totals(t.e, a, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(points, 1750);
	assert_int_equal(complete, 3);
	assert_int_equal(registered, 4);

	/* one outbox row for the remote, with the list */
	assert_int_equal(outbox(&t), before + 1);
	tu_last_outbox(&t, kind, sizeof(kind), payload, sizeof(payload));
	assert_string_equal(kind, "migration");
	assert_msg(payload, "\"member_number\":\"CPS-NO-104233\"");
	assert_msg(payload, "012345678901");
	assert_msg(payload, "Speedlite EL-1");
	assert_msg(payload, "\"count\":4");

	/* no longer offered: done, with when and how many */
	info = check(&t, a);
	assert_false(info.offered);
	assert_int_equal(info.reason, CPS_MIGRATION_DONE);
	assert_int_equal(info.migrated_at, NOW + 600);
	assert_int_equal(info.migrated_count, 4);
	assert_string_equal(info.member_number, "CPS-NO-104233");
	assert_msg(info.text, "2026-09-21 16:23");
	assert_msg(info.text, "4 products");
	cps_migration_info_free(&info);

	/* a second run adds nothing */
	before = outbox(&t);
	cps_engine_set_now(t.e, NOW + 7200);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_true(r.already);
	assert_int_equal(r.moved, 4);
	assert_int_equal(r.migrated_at, NOW + 600);
	assert_null(r.items);
	assert_msg(r.text, "were moved on 2026-09-21 16:23");
	cps_migration_result_free(&r);
	assert_int_equal(outbox(&t), before);
	assert_int_equal(cps_product_totals(t.e, a, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(registered, 4);
	assert_int_equal(points, 1750);

	/* the incomplete one gets its tick once completed ("View product") */
	struct cps_product_draft d = {
		.catalog_id = tu_model(&t, "Speedlite EL-1"), .serial = "SP0001234",
		.purchase_date = "2021", .purchase_country = "NO", .dealer = "Japan Photo Oslo",
	};
	assert_int_equal(cps_product_update(t.e, speedlite, &d, NULL, &err), CPS_OK);
	assert_int_equal(cps_product_totals(t.e, a, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(points, 1950);
	assert_int_equal(complete, 4);

	/* after a restart too */
	tu_engine_reopen(&t);
	info = check(&t, a);
	assert_int_equal(info.reason, CPS_MIGRATION_DONE);
	cps_migration_info_free(&info);
	tu_engine_free(&t);
}

/* --- why it is not offered ------------------------------------------------ */

static void expect_not_offered(struct tu_engine *t, long long acct,
			       enum cps_migration_reason reason, const char *words[])
{
	struct cps_migration_info info = check(t, acct);
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	struct snap before;

	assert_false(info.offered);
	assert_int_equal(info.reason, reason);
	assert_null(info.items);
	assert_int_equal(info.nitems, 0);
	for (size_t i = 0; words[i]; i++)
		assert_msg(info.text, words[i]);

	/* and running it anyway is refused with the same words */
	take(t, acct, &before);
	assert_int_equal(cps_migration_run(t->e, acct, &r, &err), CPS_ERR_STATE);
	assert_string_equal(err.msg, info.text);
	expect_nothing_moved(t, acct, &r, &before, -1);
	cps_migration_info_free(&info);
}

static void test_not_validated(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 0);
	expect_not_offered(&t, a, CPS_MIGRATION_NOT_VALIDATED,
			   (const char *[]){ "not validated yet", "MIGRATE PRODUCTS", NULL });
	tu_engine_free(&t);
}

static void test_no_old_email(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", NULL, 1);
	expect_not_offered(&t, a, CPS_MIGRATION_NO_OLD_EMAIL, (const char *[]){
		"was not given in your application",
		"that is why you do not see MIGRATE PRODUCTS",
		"Register your products again, or contact CPS Priority support (+47 22 00 00 00, cps@example.com)",
		NULL });

	/* the support contact comes from the config */
	set(&t.cfg->support_name, "Canon Norge CPS");
	set(&t.cfg->support_phone, "");
	expect_not_offered(&t, a, CPS_MIGRATION_NO_OLD_EMAIL, (const char *[]){
		"contact Canon Norge CPS (cps@example.com)", NULL });
	tu_engine_free(&t);
}

static void test_old_account_not_found(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", "kari@gammel-adresse.no", 1);
	expect_not_offered(&t, a, CPS_MIGRATION_OLD_NOT_FOUND, (const char *[]){
		"kari@gammel-adresse.no", "Register your products again",
		"CPS Priority support (+47 22 00 00 00, cps@example.com)", NULL });

	/* nothing imported at all: the same */
	struct tu_engine u;
	setup(&u);
	long long b = account(&u, "kari@nordlys.no", KARI, 1);
	expect_not_offered(&u, b, CPS_MIGRATION_OLD_NOT_FOUND, (const char *[]){ KARI, NULL });
	tu_engine_free(&u);
	tu_engine_free(&t);
}

static void test_old_account_without_products(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "anna@bild.se", ANNA, 1);
	expect_not_offered(&t, a, CPS_MIGRATION_NO_PRODUCTS, (const char *[]){
		"CPS-SE-55012", "no registered products", NULL });
	struct cps_migration_info info = check(&t, a);
	assert_string_equal(info.member_number, "CPS-SE-55012");
	cps_migration_info_free(&info);
	tu_engine_free(&t);
}

static void test_old_email_any_case(void **state)
{
	struct tu_engine t;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", "Kari.Nordmann@Example.NO", 1);
	struct cps_migration_info info = check(&t, a);
	assert_true(info.offered);
	assert_string_equal(info.member_number, "CPS-NO-104233");
	cps_migration_info_free(&info);
	tu_engine_free(&t);
}

static void test_moved_to_another_account(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 1);
	long long b = account(&t, "kari@annet-firma.no", KARI, 1);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 4);
	cps_migration_result_free(&r);
	expect_not_offered(&t, b, CPS_MIGRATION_MOVED_ELSEWHERE, (const char *[]){
		"already been moved to another business account", KARI,
		"CPS Priority support", NULL });
	/* refused: the keys are checked again all the same */
	assert_int_equal(cps_migration_run(t.e, b, &r, &err), CPS_ERR_STATE);
	expect_keys_checked(&t);
	tu_engine_free(&t);
}

static void test_no_such_account(void **state)
{
	struct tu_engine t;
	struct cps_migration_info info;
	struct cps_migration_result r;
	struct cps_error err = { 0 };

	(void)state;
	setup(&t);
	assert_int_equal(cps_migration_check(t.e, 4242, &info, &err), CPS_ERR_NOT_FOUND);
	assert_false(info.offered);
	assert_null(info.items);
	assert_int_equal(cps_migration_run(t.e, 4242, &r, &err), CPS_ERR_NOT_FOUND);
	assert_null(r.items);
	tu_engine_free(&t);
}

/* --- conflicts ------------------------------------------------------------ */

static void test_already_registered_here_is_skipped(void **state)
{
	struct tu_engine t;
	struct cps_migration_info info;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	struct cps_product p, *list;
	size_t n;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 1);
	/* the customer registered the RF lens again before migrating */
	long long own = add_product(&t, a, "RF 24-70mm F2.8L IS USM", "4521 0033 11");

	info = check(&t, a);
	assert_true(info.offered);
	assert_int_equal(info.to_move, 3);
	assert_int_equal(info.already_yours, 1);
	assert_int_equal(info.conflicts, 0);
	assert_int_equal(info.items[1].state, CPS_MIGRATE_YOURS);
	assert_int_equal(info.items[1].product_id, own);
	assert_int_equal(info.points, 700 + 550);
	assert_msg(info.text, "3 products");
	assert_msg(info.text, "1 product is already registered on this account");
	cps_migration_info_free(&info);

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 3);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.items[1].state, CPS_MIGRATE_YOURS);
	assert_int_equal(r.items[1].product_id, own);
	assert_msg(r.text, "3 products were moved");
	assert_msg(r.text, "1 product was already registered on this account");
	cps_migration_result_free(&r);

	/* the customer's own registration stays as it was */
	assert_int_equal(cps_product_get(t.e, own, &p, &err), CPS_OK);
	assert_int_equal(p.origin, CPS_ORIGIN_REGISTERED);
	assert_string_equal(p.purchase_date, "2024-03");
	assert_int_equal(cps_product_list(t.e, a, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 4);
	cps_product_list_free(list);

	info = check(&t, a);
	assert_int_equal(info.reason, CPS_MIGRATION_DONE);
	assert_int_equal(info.migrated_count, 3);
	cps_migration_info_free(&info);
	tu_engine_free(&t);
}

static void test_registered_by_another_account_refuses_all(void **state)
{
	struct tu_engine t;
	struct cps_migration_info info;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	struct snap before, other_before, other_after;

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 1);
	long long b = account(&t, "someone@else.no", NULL, 1);
	/* someone else registered the third product of the old account */
	long long theirs = add_product(&t, b, "EF 70-200mm f/2.8L IS III USM", "2210456789");

	/* still offered, but the screen is told what will stop it */
	info = check(&t, a);
	assert_true(info.offered);
	assert_int_equal(info.conflicts, 1);
	assert_int_equal(info.to_move, 3);
	assert_int_equal(info.items[2].state, CPS_MIGRATE_TAKEN);
	assert_int_equal(info.items[2].product_id, 0);
	assert_msg(info.text, "EF 70-200mm f/2.8L IS III USM (serial number 2210456789)");
	assert_msg(info.text, "another business account");
	assert_msg(info.text, "CPS Priority support (+47 22 00 00 00, cps@example.com)");
	cps_migration_info_free(&info);

	/* the first two were moved inside the transaction before the clash:
	 * all of it is undone */
	take(&t, a, &before);
	take(&t, b, &other_before);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_ERR_EXISTS);
	assert_msg(err.msg, "EF 70-200mm f/2.8L IS III USM (serial number 2210456789)");
	assert_msg(err.msg, "no products were moved");
	assert_msg(err.msg, "please contact CPS Priority support (+47 22 00 00 00, cps@example.com)");
	expect_nothing_moved(&t, a, &r, &before, 0);
	take(&t, b, &other_after);
	assert_same(&other_before, &other_after);

	/* nothing was recorded: still offered */
	info = check(&t, a);
	assert_int_equal(info.reason, CPS_MIGRATION_OFFERED);
	cps_migration_info_free(&info);

	/* a second clash: both are named */
	add_product(&t, b, "EOS R5", "012345678901");
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_ERR_EXISTS);
	assert_msg(err.msg, "These products");
	assert_msg(err.msg, "EOS R5 (serial number 012345678901)");
	assert_msg(err.msg, "EF 70-200mm f/2.8L IS III USM (serial number 2210456789)");
	cps_migration_result_free(&r);

	/* once sorted out (staff removed the other registrations) it works */
	assert_int_equal(cps_product_delete(t.e, theirs, &err), CPS_OK);
	struct cps_product *list;
	size_t n;
	assert_int_equal(cps_product_list(t.e, b, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cps_product_delete(t.e, list[0].id, &err), CPS_OK);
	cps_product_list_free(list);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 4);
	cps_migration_result_free(&r);
	tu_engine_free(&t);
}

/* Six old products: the first is this account's own, the third another
 * account's.  The refusal leaves the own product and nothing else. */
static void test_clash_on_third_product_leaves_nothing(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	struct snap before, after;
	struct cps_product *list;
	size_t n;
	char kind[32], payload[4096];

	(void)state;
	setup(&t);
	import_legacy_text(&t,
		LEGACY_HEAD
		"ola@gammel.no,OLD-1,Ola,EOS R6,111111111111,2021,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,EOS R8,222222222222,2023,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,EOS R7,333333333333,2023,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,RF 50mm F1.8 STM,,2021,NO,\n"
		"ola@gammel.no,OLD-1,Ola,EOS R5,444444444444,2021,,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,EOS R100,555555555555,2023,NO,Foto Ola\n");
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	long long b = account(&t, "per@nordlys.no", NULL, 1);
	add_product(&t, a, "EOS R6", "111111111111");
	add_product(&t, b, "EOS R7", "333333333333");

	take(&t, a, &before);
	tu_last_outbox(&t, kind, sizeof(kind), payload, sizeof(payload));
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_ERR_EXISTS);
	assert_msg(err.msg, "This product");
	assert_msg(err.msg, "EOS R7 (serial number 333333333333)");
	cps_migration_result_free(&r);
	take(&t, a, &after);
	assert_same(&before, &after);
	assert_int_equal(after.registered, 1);
	assert_int_equal(cps_product_list(t.e, a, &list, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].model, "EOS R6");
	assert_int_equal(list[0].origin, CPS_ORIGIN_REGISTERED);
	cps_product_list_free(list);
	/* the newest outbox row is still the one from before */
	char kind2[32], payload2[4096];
	tu_last_outbox(&t, kind2, sizeof(kind2), payload2, sizeof(payload2));
	assert_string_equal(kind2, kind);
	assert_string_equal(payload2, payload);
	tu_engine_free(&t);
}

/* Products without a serial number cannot clash: two identical ones
 * both move, and incomplete ones (no country) move without a tick. */
static void test_products_without_serial(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	long points;
	int complete, registered;

	(void)state;
	setup(&t);
	import_legacy_text(&t,
		LEGACY_HEAD
		"ola@gammel.no,OLD-1,Ola,RF 50mm F1.8 STM,,2021,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,RF 50mm F1.8 STM,,2021,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,EOS R5,444444444444,2021,,Foto Ola\n");
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	long long b = account(&t, "per@nordlys.no", NULL, 1);
	add_product(&t, b, "EOS R6", "444444444444"); /* another model: no clash */

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 3);
	assert_int_equal(r.complete, 0);
	assert_int_equal(r.incomplete, 3);
	assert_int_equal(r.points, 0);
	assert_msg(r.text, "3 of them have no green tick yet");
	cps_migration_result_free(&r);
	assert_int_equal(cps_product_totals(t.e, a, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(points, 0);
	assert_int_equal(complete, 0);
	assert_int_equal(registered, 3);
	tu_engine_free(&t);
}

/* An empty detail from a writer other than the CSV import (the remote's
 * answer gives "" for a dealer it does not know) is stored as missing,
 * and moves as missing: the product has no tick and its detail is NULL,
 * as one registered with the detail left out. */
static void test_empty_details_stored_as_missing(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	sqlite3_stmt *st;
	long long old = 0;

	(void)state;
	setup(&t);
	assert_int_equal(cps_store_legacy_account_insert(t.e->store, "ola@gammel.no", "OLD-1",
							 "Ola", NOW, &old, &err), CPS_OK);
	assert_int_equal(cps_store_legacy_product_insert(t.e->store, old, tu_model(&t, "EOS R5"),
							 "444444444444", "2021", "", "", &err),
			 CPS_OK);
	assert_int_equal(cps_store_legacy_product_insert(t.e->store, old, tu_model(&t, "EOS R6"),
							 "555555555555", "2021", "NO", "Foto Ola",
							 &err), CPS_OK);
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 2);
	assert_int_equal(r.complete, 1);
	assert_int_equal(r.incomplete, 1);
	cps_migration_result_free(&r);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t.e->store),
		"SELECT serial, purchase_country IS NULL, dealer IS NULL, completed_at IS NULL"
		" FROM product WHERE account_id = ?1 ORDER BY serial", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "444444444444");
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 1);
	assert_int_equal(sqlite3_column_int(st, 3), 1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "555555555555");
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	assert_int_equal(sqlite3_column_int(st, 3), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	tu_engine_free(&t);
}

/* The copy's UNIQUE constraint is what finds a product registered
 * already: the old products are then read with their owners and the copy
 * tried again.  When it clashes again though nobody has the serial (here:
 * a product without a serial moved before, its migration's record gone),
 * the migration fails with the store's words and moves nothing, rather
 * than trying forever or failing without a message. */
static void test_clash_without_owner_is_an_error(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	long points;
	int complete, registered;

	(void)state;
	setup(&t);
	import_legacy_text(&t,
		LEGACY_HEAD
		"ola@gammel.no,OLD-1,Ola,RF 50mm F1.8 STM,,2021,NO,Foto Ola\n"
		"ola@gammel.no,OLD-1,Ola,EOS R5,444444444444,2021,NO,Foto Ola\n");
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 2);
	cps_migration_result_free(&r);
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store),
		"DELETE FROM migration; DELETE FROM product WHERE serial IS NOT NULL",
		NULL, NULL, NULL), SQLITE_OK);

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_ERR_EXISTS);
	assert_msg(err.msg, "moving an old product");
	assert_msg(err.msg, "UNIQUE");
	assert_int_equal(r.moved, 0);
	cps_migration_result_free(&r);
	assert_int_equal(cps_product_totals(t.e, a, &points, &complete, &registered, &err), CPS_OK);
	assert_int_equal(registered, 1);
	tu_engine_free(&t);
}

/* A migration of many products goes to the remote in several outbox
 * rows, each whole on its own: its own idempotency key, the old account,
 * the total count, which part of how many, and its share of the products
 * (every product in exactly one part). */
static void test_large_migration_outbox_in_parts(void **state)
{
	enum { N = 1203, PART = 500 };
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	sqlite3_stmt *st;
	int rows = 0, listed = 0;
	char keys[3][80] = { "", "", "" };

	(void)state;
	setup(&t);
	import_many(&t, N, 100000, 1);
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	long long before = outbox(&t);

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, N);
	assert_int_equal(r.nitems, N);
	for (size_t i = 1; i < r.nitems; i++)
		assert_true(r.items[i].product_id > r.items[i - 1].product_id);
	cps_migration_result_free(&r);
	assert_int_equal(outbox(&t), before + 3);

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t.e->store),
		"SELECT json_extract(payload, '$.idempotency_key'), idem_key,"
		" json_extract(payload, '$.data.part'), json_extract(payload, '$.data.parts'),"
		" json_extract(payload, '$.data.count'), json_array_length(payload, '$.data.moved'),"
		" json_extract(payload, '$.data.member_number')"
		" FROM outbox WHERE kind = 'migration' ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(rows < 3);
		snprintf(keys[rows], sizeof(keys[rows]), "%s", sqlite3_column_text(st, 0));
		assert_string_equal(keys[rows], (const char *)sqlite3_column_text(st, 1));
		assert_int_equal(sqlite3_column_int(st, 2), rows + 1);
		assert_int_equal(sqlite3_column_int(st, 3), 3);
		assert_int_equal(sqlite3_column_int(st, 4), N);
		assert_int_equal(sqlite3_column_int(st, 5), rows < 2 ? PART : N - 2 * PART);
		assert_string_equal((const char *)sqlite3_column_text(st, 6), "OLD-1");
		listed += sqlite3_column_int(st, 5);
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 3);
	assert_int_equal(listed, N);
	assert_string_not_equal(keys[0], keys[1]);
	assert_string_not_equal(keys[1], keys[2]);
	expect_outbox_as_jansson(&t, a, NULL);
	tu_engine_free(&t);
}

/* A migration bigger than its page cache (256 KiB) writes pages to the
 * log before its end; when it fails after the copy (here the third
 * outbox row is refused), none of it stays: no product, no migration,
 * no outbox row, the connection as before, the database whole.  Run
 * again, it moves everything. */
static void test_failure_after_copy_leaves_nothing(void **state)
{
	enum { N = 3000 };
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	sqlite3 *db;
	sqlite3_stmt *st;
	struct snap before;

	(void)state;
	setup(&t);
	db = cps_store_db(t.e->store);
	import_many(&t, N, 200000, 7);
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON main.outbox"
		" WHEN json_extract(NEW.payload, '$.data.part') = 3"
		" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END", NULL, NULL, NULL), SQLITE_OK);

	take(&t, a, &before);
	assert_int_not_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	expect_nothing_moved(&t, a, &r, &before, 0);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT (SELECT count(*) FROM product), (SELECT count(*) FROM migration),"
		" (SELECT count(*) FROM outbox WHERE kind = 'migration')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	expect_keys_checked(&t);

	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER temp.refuse_third", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, N);
	assert_int_equal(r.complete, N);
	cps_migration_result_free(&r);
	expect_outbox_as_jansson(&t, a, NULL);
	tu_engine_free(&t);
}

/* Details with quotes, backslashes, slashes, non-ASCII and (as another
 * source than the import might bring them) control characters reach the
 * remote as jansson would have written them; the product this account
 * registered already is listed as left. */
static void test_outbox_rows_as_jansson(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };

	(void)state;
	setup(&t);
	import_legacy_text(&t,
		LEGACY_HEAD
		"ola@gammel.no,OLD/7,Ola,EOS R6,111111111111,2021,NO,\"Foto \"\"Nord\"\" \\ AS\"\n"
		"ola@gammel.no,OLD/7,Ola,EOS R8,222222222222,2023-05,DK,Ærø Foto – København 📷\n"
		"ola@gammel.no,OLD/7,Ola,EOS R7,333333333333,2023,,Foto/Slash\n"
		"ola@gammel.no,OLD/7,Ola,RF 50mm F1.8 STM,,2021,NO,\n"
		"ola@gammel.no,OLD/7,Ola,EOS R5,444444444444,2021,SE,Foto Ola\n");
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store),
		"UPDATE legacy_product SET dealer = 'ctl' || char(1) || char(10) || char(13)"
		" || char(9) || char(8) || char(12) || char(31) || char(127) || 'x\"\\'"
		" WHERE serial = '444444444444'", NULL, NULL, NULL), SQLITE_OK);
	long long a = account(&t, "ola@nordlys.no", "ola@gammel.no", 1);
	add_product(&t, a, "EOS R6", "111111111111");

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 4);
	assert_int_equal(r.skipped, 1);
	expect_outbox_as_jansson(&t, a, &r);
	cps_migration_result_free(&r);
	tu_engine_free(&t);
}

/* When the products' largest id is the largest integer, SQLite gives new
 * rows ids at random: the migration still knows which product is which,
 * and tells the remote so. */
static void test_new_ids_at_random(void **state)
{
	struct tu_engine t;
	struct cps_migration_result r;
	struct cps_error err = { 0 };
	char sql[512];

	(void)state;
	setup(&t);
	import_sample(&t);
	long long a = account(&t, "kari@nordlys.no", KARI, 1);
	long long b = account(&t, "someone@else.no", NULL, 1);
	snprintf(sql, sizeof(sql),
		"INSERT INTO product (id, account_id, catalog_id, serial, created_at, updated_at)"
		" VALUES (9223372036854775807, %lld, %lld, 'MAXID1', 0, 0)",
		b, tu_model(&t, "EOS R6"));
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store), sql, NULL, NULL, NULL), SQLITE_OK);

	assert_int_equal(cps_migration_run(t.e, a, &r, &err), CPS_OK);
	assert_int_equal(r.moved, 4);
	for (size_t i = 0; i < r.nitems; i++)
		assert_true(r.items[i].product_id > 0);
	expect_outbox_as_jansson(&t, a, &r);
	cps_migration_result_free(&r);
	tu_engine_free(&t);
}

/* The list of items keeps every text right while it grows (from no room
 * and from too little), cuts each where the product's field cuts it, and
 * keeps a text the same as before once. */
static void test_items_list(void **state)
{
	static const size_t hints[] = { 0, 1, 3, 700 };
	char longer[1200], want[1200];

	(void)state;
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	for (size_t h = 0; h < sizeof(hints) / sizeof(hints[0]); h++) {
		struct cps_mitems l;

		cps_mitems_init(&l, hints[h]);
		for (int i = 0; i < 700; i++) {
			char model[32], serial[32], dealer[32];
			/* catalog ids 2 and 18 share a slot of the models seen */
			long long cat = i % 3 == 0 ? 2 : i % 3 == 1 ? 18 : 5;

			snprintf(model, sizeof(model), "Model %lld", cat);
			snprintf(serial, sizeof(serial), "%d", i / 2); /* each twice */
			snprintf(dealer, sizeof(dealer), "Dealer %d", i / 5);
			struct cps_migration_item *it = cps_mitems_add(&l, cat,
				i == 5 ? longer : model, serial, i % 7 ? "2021-05" : NULL,
				i == 6 ? longer : "NO", i == 8 ? longer : dealer);
			assert_non_null(it);
			it->legacy_product_id = i;
		}
		assert_int_equal(l.n, 700);
		for (int i = 0; i < 700; i++) {
			const struct cps_migration_item *it = &l.items[i];
			char model[32], serial[32], dealer[32];
			long long cat = i % 3 == 0 ? 2 : i % 3 == 1 ? 18 : 5;

			snprintf(model, sizeof(model), "Model %lld", cat);
			snprintf(serial, sizeof(serial), "%d", i / 2);
			snprintf(dealer, sizeof(dealer), "Dealer %d", i / 5);
			assert_int_equal(it->legacy_product_id, i);
			assert_int_equal(it->catalog_id, cat);
			assert_int_equal(it->product_id, 0);
			assert_int_equal(it->state, CPS_MIGRATE_MOVE);
			if (i == 5) {
				memcpy(want, longer, CPS_MODEL_SIZE - 1);
				want[CPS_MODEL_SIZE - 1] = '\0';
				assert_string_equal(it->model, want);
			} else {
				assert_string_equal(it->model, model);
			}
			assert_string_equal(it->serial, serial);
			assert_string_equal(it->purchase_date, i % 7 ? "2021-05" : "");
			assert_string_equal(it->purchase_country, i == 6 ? "xx" : "NO");
			if (i == 8) {
				memcpy(want, longer, CPS_LEGACY_DEALER_MAX);
				want[CPS_LEGACY_DEALER_MAX] = '\0';
				assert_string_equal(it->dealer, want);
			} else {
				assert_string_equal(it->dealer, dealer);
			}
			/* every text is in the list's own allocation, after the
			 * items (free(items) frees them too) */
			uintptr_t base = (uintptr_t)(l.items + l.cap);
			const char *fields[] = { it->model, it->serial, it->purchase_date,
						 it->purchase_country, it->dealer };
			for (size_t f = 0; f < 5; f++)
				assert_true((uintptr_t)fields[f] >= base &&
					    (uintptr_t)fields[f] < base + l.text_len);
			/* the same text as the previous item's is the same copy */
			if (i > 0 && i % 2 == 1)
				assert_ptr_equal(it->serial, l.items[i - 1].serial);
		}
		/* a model is kept once per catalog id (while no other takes its
		 * slot) */
		assert_ptr_equal(l.items[11].model, l.items[8].model);
		assert_ptr_equal(l.items[698].model, l.items[8].model);
		cps_mitems_free(&l);
		assert_null(l.items);
		assert_int_equal(l.n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_seed_scenario, tu_cleanup),
		cmocka_unit_test_teardown(test_not_validated, tu_cleanup),
		cmocka_unit_test_teardown(test_no_old_email, tu_cleanup),
		cmocka_unit_test_teardown(test_old_account_not_found, tu_cleanup),
		cmocka_unit_test_teardown(test_old_account_without_products, tu_cleanup),
		cmocka_unit_test_teardown(test_old_email_any_case, tu_cleanup),
		cmocka_unit_test_teardown(test_moved_to_another_account, tu_cleanup),
		cmocka_unit_test_teardown(test_no_such_account, tu_cleanup),
		cmocka_unit_test_teardown(test_already_registered_here_is_skipped, tu_cleanup),
		cmocka_unit_test_teardown(test_registered_by_another_account_refuses_all, tu_cleanup),
		cmocka_unit_test_teardown(test_clash_on_third_product_leaves_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_products_without_serial, tu_cleanup),
		cmocka_unit_test_teardown(test_empty_details_stored_as_missing, tu_cleanup),
		cmocka_unit_test_teardown(test_clash_without_owner_is_an_error, tu_cleanup),
		cmocka_unit_test_teardown(test_large_migration_outbox_in_parts, tu_cleanup),
		cmocka_unit_test_teardown(test_failure_after_copy_leaves_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_outbox_rows_as_jansson, tu_cleanup),
		cmocka_unit_test_teardown(test_new_ids_at_random, tu_cleanup),
		cmocka_unit_test(test_items_list),
	};

	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
