/* store_membership.c - SQL for membership and invoice numbers. */
#include <stdio.h>

#include "cpsreg/i18n.h"
#include "store_membership.h"
#include "store_private.h"

enum cps_err cps_store_membership_number_taken(struct cps_store *s,
					       const char *number,
					       const char *digits, int *taken,
					       struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s),
		"SELECT EXISTS (SELECT 1 FROM membership WHERE number = ?1)"
		" OR EXISTS (SELECT 1 FROM legacy_account"
		"   WHERE member_number COLLATE NOCASE IN (?1, ?2))", -1, &st, NULL);

	*taken = 1;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("checking a membership number"));
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, digits, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*taken = sqlite3_column_int(st, 0) != 0;
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("checking a membership number"));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_invoice_last_seq(struct cps_store *s, int year,
					long *seq, struct cps_error *err)
{
	sqlite3_stmt *st;
	char pattern[48];
	int rc;

	*seq = 0;
	if (sqlite3_get_autocommit(cps_store_db(s)))
		return cps_error_set(err, CPS_ERR_STATE, "%s",
			_("internal error: an invoice number can only be taken while the invoice is being stored"));
	rc = sqlite3_prepare_v2(cps_store_db(s),
		"SELECT coalesce(max(CAST(substr(number, 10) AS INTEGER)), 0)"
		" FROM invoice WHERE number GLOB ?", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("numbering the invoice"));
	snprintf(pattern, sizeof(pattern),
		 "INV-%04d-[0-9][0-9][0-9][0-9][0-9][0-9]", year);
	sqlite3_bind_text(st, 1, pattern, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*seq = (long)sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("numbering the invoice"));
	sqlite3_finalize(st);
	return r;
}

static enum cps_err exec_for_tests(struct cps_store *s, const char *sql,
				   const char *a, const char *b,
				   struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(cps_store_db(s), sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing test data"));
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing test data"));
	sqlite3_finalize(st);
	return r;
}

enum cps_err cps_store_membership_add_for_tests(struct cps_store *s,
						const char *invoice_number,
						const char *member_number,
						struct cps_error *err)
{
	enum cps_err rc;

	rc = exec_for_tests(s, "INSERT INTO account (created_at, updated_at) VALUES (0, 0)",
			    NULL, NULL, err);
	if (rc == CPS_OK)
		rc = exec_for_tests(s,
			"INSERT INTO invoice (number, account_id, level_id, level_name,"
			" amount_cents, currency, method, issued_on, due_on, created_at)"
			" VALUES (?1, (SELECT max(id) FROM account), 'silver', 'Silver',"
			" 10000, 'EUR', 'bank', '2026-01-01', '2026-01-31', 0)",
			invoice_number, NULL, err);
	if (rc == CPS_OK && member_number)
		rc = exec_for_tests(s,
			"INSERT INTO membership (account_id, number, level_id, level_name,"
			" invoice_id, active_from) VALUES ((SELECT max(id) FROM account), ?1,"
			" 'silver', 'Silver', (SELECT id FROM invoice WHERE number = ?2), 0)",
			member_number, invoice_number, err);
	return rc;
}
