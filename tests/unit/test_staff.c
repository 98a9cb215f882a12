/* test_staff.c - the engine calls staff use: the audit log, handing a
 * message over (the code wiped), codes wiped when used or expired, and
 * accepting a VAT number whose check digit fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/audit.h"
#include "cpsreg/ident.h"
#include "cpsreg/catalog.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/privacy.h"
#include "../../src/engine_private.h"
#include "../../src/store_private.h"
#include "testutil.h"

#define MONDAY ((time_t)1790000000)

/* Reads one text value from the database (the engine has no such query:
 * staff never see a stored body but through messages). */
static void sql_text(struct tu_engine *t, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, len, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
}

struct lines {
	int n;
	char actions[16][32];
	char actors[16][64];
	char os_user[64];
	long long account[16], ref[16];
	int erased[16];
};

static int collect(const struct cps_audit_line *l, void *arg)
{
	struct lines *s = arg;

	if (s->n < 16) {
		snprintf(s->actions[s->n], sizeof(s->actions[0]), "%s", l->action);
		snprintf(s->actors[s->n], sizeof(s->actors[0]), "%s", l->actor);
		snprintf(s->os_user, sizeof(s->os_user), "%s", l->os_user);
		s->account[s->n] = l->account_id;
		s->ref[s->n] = l->ref;
		s->erased[s->n] = l->email == NULL;
	}
	s->n++;
	return 0;
}

static void audit(struct tu_engine *t, long long account, struct lines *s)
{
	struct cps_error err = { 0 };

	memset(s, 0, sizeof(*s));
	assert_int_equal(cps_audit_list(t->e, account, collect, s, &err), CPS_OK);
}

struct waiting {
	int n;
	long long id;
	char kind[32];
	char body[4096];
};

static int last_waiting(const struct cps_message *m, void *arg)
{
	struct waiting *w = arg;

	w->n++;
	w->id = m->id;
	snprintf(w->kind, sizeof(w->kind), "%s", m->kind);
	snprintf(w->body, sizeof(w->body), "%s", m->body);
	return 0;
}

static void waiting(struct tu_engine *t, const char *email, struct waiting *w)
{
	struct cps_error err = { 0 };

	memset(w, 0, sizeof(*w));
	assert_int_equal(cps_messages_pending(t->e, email, last_waiting, w, &err), CPS_OK);
}

static void test_decisions_are_audited(void **state)
{
	struct tu_engine t;
	struct cps_application a, b;
	struct cps_error err = { 0 };
	struct lines s;

	(void)state;
	tu_engine_new(&t, MONDAY);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 0);
	tu_fill_dk(&a);
	tu_account(&t, &a, 1, NULL);
	tu_fill_no(&b);
	tu_account(&t, &b, 0, NULL);
	assert_int_equal(cps_application_reject(t.e, b.id, "Kim", "Blurred scan", &err), CPS_OK);
	/* a rejected customer cannot be approved, a validated one not twice;
	 * a refusal writes no line */
	assert_int_equal(cps_application_approve(t.e, b.id, "Kim", NULL, 0, &err), CPS_ERR_STATE);
	assert_int_equal(cps_application_approve(t.e, a.id, "Kim", NULL, 0, &err), CPS_ERR_STATE);
	assert_int_equal(cps_application_reject(t.e, b.id, "Kim", "Again", &err), CPS_ERR_STATE);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actions[0], "approve");
	assert_string_equal(s.actors[0], "Anna Berg");
	assert_int_equal(s.account[0], a.id);
	assert_string_equal(s.actions[1], "reject");
	assert_string_equal(s.actors[1], "Kim");
	assert_int_equal(s.account[1], b.id);
	assert_int_equal(s.erased[1], 0);
	assert_true(s.os_user[0] != '\0');
	/* one customer's lines only */
	audit(&t, b.id, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.actions[0], "reject");
	/* the database itself refuses to change or remove a line */
	assert_int_not_equal(sqlite3_exec(cps_store_db(t.e->store), "UPDATE audit SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(cps_store_db(t.e->store), "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actors[1], "Kim");
	tu_engine_free(&t);
}

static void test_handed_over_wipes_the_code(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	struct waiting w;
	struct lines s;
	char token[CPS_TOKEN_SIZE], text[8192];

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	tu_account(&t, &a, 0, NULL);
	assert_int_equal(cps_application_approve(t.e, a.id, "Kim", token, sizeof(token), &err), CPS_OK);
	waiting(&t, a.email, &w);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.body, token));

	/* refusals */
	assert_int_equal(cps_message_handed_over(t.e, w.id + 100, "Kim", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_message_handed_over(t.e, w.id, "", &err), CPS_ERR_INVALID);
	waiting(&t, a.email, &w);
	assert_int_equal(w.n, 1);

	assert_int_equal(cps_message_handed_over(t.e, w.id, "Kim", &err), CPS_OK);
	waiting(&t, a.email, &w);
	assert_int_equal(w.n, 0);
	sql_text(&t, "SELECT body || '|' || delivered_via FROM message WHERE kind = 'password_set'", text, sizeof(text));
	assert_null(strstr(text, token));
	assert_non_null(strstr(text, "[code removed]"));
	assert_non_null(strstr(text, "|staff"));
	sql_text(&t, "SELECT group_concat(payload) FROM outbox", text, sizeof(text));
	assert_null(strstr(text, token));
	/* the code still works: only the stored copy is gone */
	assert_int_equal(cps_password_set_with_token(t.e, a.email, token, "Correct horse 42 battery", &err), CPS_OK);
	/* twice is refused */
	assert_int_equal(cps_message_handed_over(t.e, 1, "Kim", &err), CPS_ERR_NOT_FOUND);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actions[1], "handed_over");
	assert_true(s.ref[1] > 0);
	tu_engine_free(&t);
}

static void test_used_and_expired_codes_are_wiped(void **state)
{
	struct tu_engine t;
	struct cps_application a, b;
	struct cps_error err = { 0 };
	struct waiting w;
	char token[CPS_TOKEN_SIZE], text[8192];

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	tu_account(&t, &a, 0, NULL);
	assert_int_equal(cps_application_approve(t.e, a.id, "Kim", token, sizeof(token), &err), CPS_OK);
	/* used: wiped, no longer waiting */
	assert_int_equal(cps_password_set_with_token(t.e, a.email, token, "Correct horse 42 battery", &err), CPS_OK);
	waiting(&t, a.email, &w);
	assert_int_equal(w.n, 0);
	sql_text(&t, "SELECT body || '|' || delivered_via FROM message WHERE kind = 'password_set'", text, sizeof(text));
	assert_null(strstr(text, token));
	assert_non_null(strstr(text, "|used"));

	/* expired: still there one second before, gone at the hour */
	tu_fill_no(&b);
	tu_account(&t, &b, 0, NULL);
	assert_int_equal(cps_application_approve(t.e, b.id, "Kim", token, sizeof(token), &err), CPS_OK);
	cps_engine_set_now(t.e, MONDAY + (time_t)t.cfg->token_hours * 3600 - 1);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.body, token));
	cps_engine_set_now(t.e, MONDAY + (time_t)t.cfg->token_hours * 3600);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 0);
	sql_text(&t, "SELECT body || '|' || delivered_via FROM message WHERE recipient = 'ola@nordlys.no'", text, sizeof(text));
	assert_null(strstr(text, token));
	assert_non_null(strstr(text, "|expired"));
	tu_engine_free(&t);
}

static void test_accepted_number_has_the_normal_form(void **state)
{
	static const struct { const char *country, *typed, *stored; } cases[] = {
		{ "CH", "123.456.789 MWST", "CHE123456789" },  /* CHE, not CH */
		{ "CH", "CHE-123.456.789", "CHE123456789" },
		{ "GB", "XI 980 780 685", "XI980780685" },      /* XI kept, not GBXI */
		{ "NO", "988 077 918 MVA", "NO988077918MVA" },  /* the VAT form of a valid one */
		{ "DK", "13 58 56 27", "DK13585627" },
		{ "DK", "1358562", "DK1358562" },                /* a wrong format: kept loosely */
	};
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	struct lines s;
	char norm[CPS_IDENT_MAX];

	(void)state;
	tu_engine_new(&t, MONDAY);
	long long id = tu_account_draft(&t, "x@example.com", "DK");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char sql[96];
		snprintf(sql, sizeof(sql), "UPDATE account SET country = '%s'", cases[i].country);
		assert_int_equal(sqlite3_exec(cps_store_db(t.e->store), sql, NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(cps_ident_check(cases[i].country, cases[i].typed, norm, sizeof(norm), &err), CPS_ERR_INVALID);
		assert_int_equal(cps_application_override_id(t.e, id, cases[i].typed, "Kim", &err), CPS_OK);
		assert_int_equal(cps_application_load(t.e, id, &a, &err), CPS_OK);
		assert_string_equal(a.vat_number, cases[i].stored);
		/* the form accepts what staff accepted, typed another way */
		assert_int_equal(cps_application_check_field(t.e, &a, CPS_FIELD_VAT_NUMBER, cases[i].stored, norm, sizeof(norm), &err), CPS_OK);
		assert_string_equal(norm, cases[i].stored);
	}
	/* refusals: a slash, no digit; nothing is written */
	assert_int_equal(cps_application_override_id(t.e, id, "1358/5627", "Kim", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_application_override_id(t.e, id, "ABC", "Kim", &err), CPS_ERR_INVALID);
	audit(&t, id, &s);
	assert_int_equal(s.n, 6);
	assert_string_equal(s.actions[5], "accept_id");
	/* cps_ident_format lets only the check digit through, and leaves the
	 * real check as strict as before */
	assert_int_equal(cps_ident_format("DK", "13585627", norm, sizeof(norm), &err), CPS_OK);
	assert_string_equal(norm, "DK13585627");
	assert_int_equal(cps_ident_format("DK", "1358562", norm, sizeof(norm), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_ident_check("DK", "13585627", norm, sizeof(norm), &err), CPS_ERR_INVALID);
	tu_engine_free(&t);
}

static void test_seen_in_person_is_audited(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct lines s;

	(void)state;
	tu_engine_new(&t, MONDAY);
	long long id = tu_account_draft(&t, "p@example.com", "DK");
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store), "UPDATE account SET vat_registered = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cps_document_seen_in_person(t.e, id, CPS_DOC_VAT_INVOICE, "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_document_seen_in_person(t.e, id, CPS_DOC_VAT_INVOICE, "Kim", &err), CPS_OK);
	audit(&t, id, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.actions[0], "seen_in_person");
	tu_engine_free(&t);
}

static void test_correct_old_email(void **state)
{
	struct tu_engine t;
	struct cps_application a, d;
	struct cps_error err = { 0 };
	struct cps_legacy_report rep = { 0 };
	struct cps_migration_info info;
	struct cps_migration_result r;
	struct lines s;

	(void)state;
	tu_engine_new(&t, MONDAY);
	assert_int_equal(cps_legacy_import(t.e, "assets/legacy-sample.csv", &rep, &err), CPS_OK);
	cps_legacy_report_free(&rep);
	tu_fill_no(&a);
	tu_account(&t, &a, 2, "Correct horse 42 battery");
	assert_int_equal(cps_migration_check(t.e, a.id, &info, &err), CPS_OK);
	assert_int_equal(info.reason, CPS_MIGRATION_OLD_NOT_FOUND);
	cps_migration_info_free(&info);

	/* refusals change nothing and write no line */
	long long draft = tu_account_draft(&t, "d@example.com", "DK");
	assert_int_equal(cps_application_correct_old_email(t.e, draft, "kari.nordmann@example.no", "Kim", &err), CPS_ERR_STATE);
	assert_int_equal(cps_application_correct_old_email(t.e, a.id, "not-an-email", "Kim", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_application_correct_old_email(t.e, a.id, "kari.nordmann@example.no", "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_application_correct_old_email(t.e, 999, "kari.nordmann@example.no", "Kim", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_application_load(t.e, a.id, &d, &err), CPS_OK);
	assert_string_equal(d.old_email, "ola@old-cps.example");
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 1); /* the approval */

	/* corrected: the check now finds the old account */
	assert_int_equal(cps_application_correct_old_email(t.e, a.id, " Kari.Nordmann@example.no ", "Kim", &err), CPS_OK);
	assert_int_equal(cps_migration_check(t.e, a.id, &info, &err), CPS_OK);
	assert_int_equal(info.reason, CPS_MIGRATION_OFFERED);
	assert_string_equal(info.old_email, "Kari.Nordmann@example.no"); /* trimmed, the local part as typed */
	cps_migration_info_free(&info);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actions[1], "correct_old_email");
	/* once migrated it cannot change */
	assert_int_equal(cps_migration_run(t.e, a.id, &r, &err), CPS_OK);
	cps_migration_result_free(&r);
	assert_int_equal(cps_application_correct_old_email(t.e, a.id, "ola@old-cps.example", "Kim", &err), CPS_ERR_STATE);
	tu_engine_free(&t);
}

/* Rows that name account id in any table but the audit log, and the
 * audit lines of id. */
static void rows_of(struct tu_engine *t, long long id, int *rows, int *audit_lines)
{
	sqlite3_stmt *st, *q;
	char sql[256];

	*rows = 0;
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store),
		"SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS"
		" (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'account_id')",
		-1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE account_id = %lld", name, id);
		assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store), sql, -1, &q, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		if (strcmp(name, "audit") == 0)
			*audit_lines = sqlite3_column_int(q, 0);
		else
			*rows += sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_finalize(st);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM account WHERE id = %lld", id);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	*rows += sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
}

static void test_export_and_erase(void **state)
{
	struct tu_engine t;
	struct cps_application a, b, found;
	struct cps_error err = { 0 };
	struct cps_legacy_report rep = { 0 };
	struct lines s;
	char *json = NULL, text[64];
	int rows, lines, kept = -1;

	(void)state;
	tu_engine_new(&t, MONDAY);
	assert_int_equal(cps_legacy_import(t.e, "assets/legacy-sample.csv", &rep, &err), CPS_OK);
	cps_legacy_report_free(&rep);
	tu_fill_dk(&b);
	tu_account(&t, &b, 1, NULL);
	tu_fill_no(&a);
	tu_account(&t, &a, 2, "Correct horse 42 battery");
	assert_int_equal(cps_application_correct_old_email(t.e, a.id, "kari.nordmann@example.no", "Kim", &err), CPS_OK);

	/* export: everything, but no secret's hash */
	assert_int_equal(cps_customer_export(t.e, a.id, "", &json, &err), CPS_ERR_INVALID);
	assert_null(json);
	assert_int_equal(cps_customer_export(t.e, 999, "Kim", &json, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_customer_export(t.e, a.id, "Kim", &json, &err), CPS_OK);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"ola@nordlys.no\""));
	assert_non_null(strstr(json, "\"message\""));
	assert_non_null(strstr(json, "\"document\""));
	assert_non_null(strstr(json, "kari.nordmann@example.no"));
	assert_null(strstr(json, "password_hash"));
	assert_null(strstr(json, "resume_hash"));
	assert_null(strstr(json, "mette@hansen-foto.dk")); /* another customer's */
	free(json);

	/* erase: refusals change nothing */
	rows_of(&t, a.id, &rows, &lines);
	assert_true(rows > 3);
	assert_int_equal(cps_customer_erase(t.e, a.id, "", NULL, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_customer_erase(t.e, 999, "Kim", NULL, &err), CPS_ERR_NOT_FOUND);
	int before = rows;
	rows_of(&t, a.id, &rows, &lines);
	assert_int_equal(rows, before);

	assert_int_equal(cps_customer_erase(t.e, a.id, "Kim", &kept, &err), CPS_OK);
	assert_int_equal(kept, 0);
	rows_of(&t, a.id, &rows, &lines);
	assert_int_equal(rows, 1); /* the remote's note of the erasure: no personal data */
	sql_text(&t, "SELECT kind FROM outbox ORDER BY id DESC LIMIT 1", text, sizeof(text));
	assert_string_equal(text, "erasure");
	assert_int_equal(cps_application_find_by_email(t.e, "ola@nordlys.no", &found, &err), CPS_ERR_NOT_FOUND);
	sql_text(&t, "SELECT count(*) FROM legacy_account WHERE email = 'kari.nordmann@example.no'", text, sizeof(text));
	assert_string_equal(text, "0");
	/* the audit keeps its lines, by number only */
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 4); /* approve, correct, export, erase */
	assert_string_equal(s.actions[s.n - 1], "erase");
	for (int i = 0; i < s.n; i++)
		assert_int_equal(s.erased[i], 1);
	/* the other customer is untouched */
	assert_int_equal(cps_application_find_by_email(t.e, "mette@hansen-foto.dk", &found, &err), CPS_OK);
	/* a new account never gets the erased one's number */
	long long next = tu_account_draft(&t, "new@example.com", "DK");
	assert_true(next > a.id);
	assert_int_equal(cps_customer_erase(t.e, a.id, "Kim", &kept, &err), CPS_ERR_NOT_FOUND);
	tu_engine_free(&t);
}

/* A fresh engine with two customers: b (DK) validated, a (NO) validated
 * with a password set. */
static void two_customers(struct tu_engine *t, struct cps_application *a,
			  struct cps_application *b)
{
	tu_engine_new(t, MONDAY);
	tu_fill_dk(b);
	tu_account(t, b, 1, NULL);
	tu_fill_no(a);
	tu_account(t, a, 2, "Correct horse 42 battery");
}

/* Imports by staff are staff actions: each leaves one audit line naming
 * who, in the import's transaction; a refused file or a missing staff name
 * leaves none, and the plain import (the catalog at start-up) is not one. */
static void test_imports_are_audited(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report cr;
	struct cps_legacy_report lr;
	struct cps_error err = { 0 };
	struct lines s;
	char bad[700];
	static const char bad_csv[] = "model,category,points,release_year,serial_pattern\n"
				      "EOS R5,body,x,2020,\n";

	(void)state;
	tu_engine_new(&t, MONDAY);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 0); /* the built-in catalog loaded at start */

	assert_int_equal(cps_catalog_import_as(t.e, "assets/catalog.csv", "", &cr, &err),
			 CPS_ERR_INVALID);
	cps_catalog_report_free(&cr);
	snprintf(bad, sizeof(bad), "%s/bad-catalog.csv", t.dir);
	tu_write_file(bad, bad_csv, sizeof(bad_csv) - 1);
	assert_int_equal(cps_catalog_import_as(t.e, bad, "Kim", &cr, &err), CPS_ERR_INVALID);
	cps_catalog_report_free(&cr);
	assert_int_equal(cps_legacy_import_as(t.e, "assets/legacy-sample.csv", "", &lr, &err),
			 CPS_ERR_INVALID);
	cps_legacy_report_free(&lr);
	assert_int_equal(cps_legacy_import_as(t.e, bad, "Kim", &lr, &err), CPS_ERR_INVALID);
	cps_legacy_report_free(&lr);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 0);

	assert_int_equal(cps_catalog_import_as(t.e, "assets/catalog.csv", "Kim", &cr, &err),
			 CPS_OK);
	cps_catalog_report_free(&cr);
	assert_int_equal(cps_legacy_import_as(t.e, "assets/legacy-sample.csv", "Ola", &lr, &err),
			 CPS_OK);
	cps_legacy_report_free(&lr);
	audit(&t, 0, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actions[0], "import_catalog");
	assert_string_equal(s.actors[0], "Kim");
	assert_string_equal(s.actions[1], "import_legacy");
	assert_string_equal(s.actors[1], "Ola");
	assert_int_equal(s.account[1], 0);
	assert_true(s.os_user[0] != '\0');
	tu_engine_free(&t);
}

/* A reader that keeps an older state of the database open blocks the
 * emptying of the journal: the erasure stands, and the caller is told
 * that the erased rows are still in the -wal file. */
static void test_erase_tells_of_a_kept_journal(void **state)
{
	struct tu_engine t;
	struct cps_application a, b, found;
	struct cps_error err = { 0 };
	sqlite3 *reader = NULL;
	sqlite3_stmt *st = NULL;
	int kept = -1;

	(void)state;
	two_customers(&t, &a, &b);
	/* another program in the middle of a read: its snapshot predates
	 * the erasure */
	assert_int_equal(sqlite3_open_v2(t.cfg->database, &reader, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM account", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);

	assert_int_equal(cps_customer_erase(t.e, a.id, "Kim", &kept, &err), CPS_OK);
	assert_int_equal(kept, 1);
	assert_int_equal(cps_application_find_by_email(t.e, "ola@nordlys.no", &found, &err),
			 CPS_ERR_NOT_FOUND);
	sqlite3_finalize(st);
	sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(reader);
	tu_engine_free(&t);
}

/* 1 if the bytes of needle occur anywhere in the file at path (a missing
 * file holds nothing). */
static int file_holds(const char *path, const char *needle)
{
	size_t len = 0, n = strlen(needle);
	FILE *f = fopen(path, "rb");
	char *buf;
	int found = 0;

	if (!f)
		return 0;
	fclose(f);
	buf = tu_read_file(path, &len);
	for (size_t i = 0; !found && i + n <= len; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

/* After an erasure neither the database file nor its journal holds the
 * customer's data: the freed pages are zeroed and the journal emptied. */
static void test_erase_leaves_nothing_in_the_files(void **state)
{
	struct tu_engine t;
	struct cps_application a, b;
	struct cps_error err = { 0 };
	char db[700], wal[720];
	int kept = -1;

	(void)state;
	two_customers(&t, &a, &b);
	snprintf(db, sizeof(db), "%s", t.cfg->database);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	assert_true(file_holds(db, "ola@nordlys.no") || file_holds(wal, "ola@nordlys.no"));

	assert_int_equal(cps_customer_erase(t.e, a.id, "Kim", &kept, &err), CPS_OK);
	assert_int_equal(kept, 0);
	assert_false(file_holds(db, "ola@nordlys.no"));
	assert_false(file_holds(wal, "ola@nordlys.no"));
	assert_false(file_holds(db, a.company));
	assert_false(file_holds(wal, a.company));
	/* the other customer is still there */
	assert_true(file_holds(db, "mette@hansen-foto.dk"));
	tu_engine_free(&t);
}

/* A lost code: staff give a new resume code before validation, a new
 * password code after it; each the other way round is refused. */
static void test_reissue_codes(void **state)
{
	struct tu_engine t;
	struct cps_application a, b, got;
	struct cps_error err = { 0 };
	char code[CPS_RESUME_CODE_SIZE], old[CPS_RESUME_CODE_SIZE];
	struct waiting w;
	struct lines s;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	a.id = 0;
	assert_int_equal(cps_application_new_draft(t.e, &a, old, sizeof(old), &err), CPS_OK);
	assert_int_equal(cps_application_reissue_resume(t.e, a.id, "", code, sizeof(code), &err),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_application_reissue_resume(t.e, 999, "Kim", code, sizeof(code), &err),
			 CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_application_reissue_resume(t.e, a.id, "Kim", code, sizeof(code), &err),
			 CPS_OK);
	assert_string_not_equal(code, old);
	assert_int_equal(cps_application_resume(t.e, code, &got, &err), CPS_OK);
	assert_int_equal(got.id, a.id);
	assert_int_equal(cps_application_resume(t.e, old, &got, &err), CPS_ERR_AUTH);
	assert_int_equal(cps_password_code_reissue(t.e, a.id, "Kim", &err), CPS_ERR_STATE);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.actions[0], "reissue_resume_code");
	assert_string_equal(s.actors[0], "Kim");

	tu_fill_no(&b);
	tu_account(&t, &b, 1, NULL);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(cps_application_reissue_resume(t.e, b.id, "Kim", code, sizeof(code), &err),
			 CPS_ERR_STATE);
	assert_string_equal(code, "");
	assert_int_equal(cps_password_code_reissue(t.e, b.id, "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_password_code_reissue(t.e, b.id, "Kim", &err), CPS_OK);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.kind, "password_reset");
	audit(&t, b.id, &s);
	assert_string_equal(s.actions[s.n - 1], "reissue_password_code");
	tu_engine_free(&t);
}

/* The proof document's file goes to a path staff choose, as received,
 * never over an existing file; each export is in the audit log. */
static void test_document_export(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };
	char path[700], json[700];
	struct lines s;
	size_t len;
	char *got;

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	tu_account(&t, &a, 0, NULL);
	snprintf(path, sizeof(path), "%s/proof.pdf", t.dir);
	assert_int_equal(cps_document_export(t.e, a.id, "", path, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_document_export(t.e, a.id, "Kim", "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_document_export(t.e, 999, "Kim", path, &err), CPS_ERR_NOT_FOUND);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 0);

	assert_int_equal(cps_document_export(t.e, a.id, "Kim", path, &err), CPS_OK);
	got = tu_read_file(path, &len);
	assert_int_equal(len, tu_pdf_len);
	assert_memory_equal(got, tu_pdf_bytes, len);
	free(got);
	/* the same path again: refused, the file left as it is */
	assert_int_equal(cps_document_export(t.e, a.id, "Kim", path, &err), CPS_ERR_EXISTS);
	got = tu_read_file(path, &len);
	assert_int_equal(len, tu_pdf_len);
	free(got);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.actions[0], "export_document");

	/* the JSON export goes to a file the same way */
	snprintf(json, sizeof(json), "%s/customer.json", t.dir);
	assert_int_equal(cps_customer_export_file(t.e, a.id, "Kim", json, &err), CPS_OK);
	got = tu_read_file(json, &len);
	assert_non_null(strstr(got, "mette@hansen-foto.dk"));
	free(got);
	assert_int_equal(cps_customer_export_file(t.e, a.id, "Kim", json, &err), CPS_ERR_EXISTS);
	/* a file that cannot be written leaves no "export" line behind */
	snprintf(json, sizeof(json), "%s/no-such-folder/customer.json", t.dir);
	assert_int_equal(cps_customer_export_file(t.e, a.id, "Kim", json, &err), CPS_ERR_IO);
	audit(&t, a.id, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.actions[1], "export");

	/* a paper seen in person has no file */
	long long id = tu_account_draft(&t, "p@example.com", "DK");
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store), "UPDATE account SET vat_registered = 1 WHERE email = 'p@example.com'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cps_document_seen_in_person(t.e, id, CPS_DOC_VAT_INVOICE, "Kim", &err), CPS_OK);
	snprintf(path, sizeof(path), "%s/paper.pdf", t.dir);
	assert_int_equal(cps_document_export(t.e, id, "Kim", path, &err), CPS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "seen in person"));
	tu_engine_free(&t);
}

/* A customer lost a message handed over: staff send it again.  A password
 * code never goes twice. */
static void test_resend(void **state)
{
	struct tu_engine t;
	struct cps_application a, b;
	struct cps_error err = { 0 };
	struct waiting w;
	struct lines s;
	char body[4096];

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	tu_account(&t, &a, 1, NULL);
	tu_fill_no(&b);
	tu_account(&t, &b, 0, NULL);
	assert_int_equal(cps_application_reject(t.e, b.id, "Kim", "The invoice is blurred", &err), CPS_OK);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 1);
	long long rejection = w.id;
	snprintf(body, sizeof(body), "%s", w.body);

	/* still waiting: nothing to resend */
	assert_int_equal(cps_message_resend(t.e, rejection, "Kim", &err), CPS_ERR_STATE);
	assert_int_equal(cps_message_handed_over(t.e, rejection, "Kim", &err), CPS_OK);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(cps_message_resend(t.e, rejection, "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_message_resend(t.e, 999, "Kim", &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_message_resend(t.e, rejection, "Kim", &err), CPS_OK);
	waiting(&t, b.email, &w);
	assert_int_equal(w.n, 1);
	assert_true(w.id != rejection);
	assert_string_equal(w.kind, "rejection");
	assert_string_equal(w.body, body);
	audit(&t, b.id, &s);
	assert_string_equal(s.actions[s.n - 1], "resend");
	assert_int_equal(s.ref[s.n - 1], rejection);

	/* the password code was wiped when handed over: a new code instead */
	waiting(&t, a.email, &w);
	assert_string_equal(w.kind, "password_set");
	assert_int_equal(cps_message_handed_over(t.e, w.id, "Kim", &err), CPS_OK);
	assert_int_equal(cps_message_resend(t.e, w.id, "Kim", &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "new password code"));
	waiting(&t, a.email, &w);
	assert_int_equal(w.n, 0);
	tu_engine_free(&t);
}

static int count_found(const struct cps_application *a, void *arg)
{
	long long *last = arg;

	last[0]++;
	last[1] = a->id;
	return 0;
}

static void test_find_customer(void **state)
{
	static const struct { const char *q; int n; } cases[] = {
		{ "mette@hansen", 1 }, { "GRAF HANSEN", 1 }, { "foto", 2 }, { "13585628", 1 }, { "dk1358", 1 },
		{ "988077917", 1 }, { "example", 0 }, { "%", 0 }, { "_", 0 }, { "@", 2 }, { "nordlys", 1 },
	};
	struct tu_engine t;
	struct cps_application a, b;
	struct cps_error err = { 0 };
	long long found[2];

	(void)state;
	tu_engine_new(&t, MONDAY);
	tu_fill_dk(&a);
	tu_account(&t, &a, 0, NULL);
	tu_fill_no(&b);
	tu_account(&t, &b, 0, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		found[0] = found[1] = 0;
		assert_int_equal(cps_customers_find(t.e, cases[i].q, count_found, found, &err), CPS_OK);
		if (found[0] != cases[i].n)
			fail_msg("%s: %lld found, %d wanted", cases[i].q, found[0], cases[i].n);
	}
	found[0] = 0;
	assert_int_equal(cps_customers_find(t.e, "13585628", count_found, found, &err), CPS_OK);
	assert_int_equal(found[1], a.id);
	assert_int_equal(cps_customers_find(t.e, "  ", count_found, found, &err), CPS_ERR_INVALID);
	tu_engine_free(&t);
}

/* The name typed at a kiosk's console: trimmed; empty, a control
 * character or more than 40 characters refused. */
static void test_staff_name(void **state)
{
	struct cps_error err = { 0 };
	char name[CPS_STAFF_NAME_SIZE], longer[200];

	(void)state;
	assert_int_equal(cps_audit_staff_name("  Maria Berg \t", name, sizeof(name), &err), CPS_OK);
	assert_string_equal(name, "Maria Berg");
	assert_int_equal(cps_audit_staff_name("", name, sizeof(name), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_audit_staff_name("   ", name, sizeof(name), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "name"));
	assert_int_equal(cps_audit_staff_name(NULL, name, sizeof(name), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_audit_staff_name("Mar\xe2\x80\xaeia", name, sizeof(name), &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "U+202E"));
	assert_int_equal(cps_audit_staff_name("Ma\x1b[2Jria", name, sizeof(name), &err),
			 CPS_ERR_INVALID);
	/* 40 characters of two bytes each are a name; 41 are not */
	longer[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(longer, "\xc3\xb8");
	assert_int_equal(cps_audit_staff_name(longer, name, sizeof(name), &err), CPS_OK);
	assert_string_equal(name, longer);
	strcat(longer, "x");
	assert_int_equal(cps_audit_staff_name(longer, name, sizeof(name), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "40"));
	/* a buffer too small for the name is never written past */
	assert_int_equal(cps_audit_staff_name("Maria", name, 3, &err), CPS_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_decisions_are_audited, tu_cleanup),
		cmocka_unit_test_teardown(test_handed_over_wipes_the_code, tu_cleanup),
		cmocka_unit_test_teardown(test_used_and_expired_codes_are_wiped, tu_cleanup),
		cmocka_unit_test_teardown(test_accepted_number_has_the_normal_form, tu_cleanup),
		cmocka_unit_test_teardown(test_seen_in_person_is_audited, tu_cleanup),
		cmocka_unit_test_teardown(test_correct_old_email, tu_cleanup),
		cmocka_unit_test_teardown(test_export_and_erase, tu_cleanup),
		cmocka_unit_test_teardown(test_find_customer, tu_cleanup),
		cmocka_unit_test_teardown(test_erase_leaves_nothing_in_the_files, tu_cleanup),
		cmocka_unit_test_teardown(test_erase_tells_of_a_kept_journal, tu_cleanup),
		cmocka_unit_test_teardown(test_imports_are_audited, tu_cleanup),
		cmocka_unit_test_teardown(test_reissue_codes, tu_cleanup),
		cmocka_unit_test_teardown(test_document_export, tu_cleanup),
		cmocka_unit_test_teardown(test_resend, tu_cleanup),
		cmocka_unit_test(test_staff_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
