/* store_membership.c - SQL for memberships and invoices, and their
 * numbers (see src/store_membership.h). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "store_membership.h"
#include "store_private.h"

enum cps_err cps_store_membership_number_taken(struct cps_store *s,
					       const char *number,
					       const char *digits, int *taken,
					       struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT EXISTS (SELECT 1 FROM membership WHERE number = ?1)"
		" OR EXISTS (SELECT 1 FROM legacy_account"
		"   WHERE member_number COLLATE NOCASE IN (?1, ?2))", &st);

	*taken = 1;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("checking a membership number"));
	cps_bind_text(st, 1, number, &rc);
	cps_bind_text(st, 2, digits, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*taken = sqlite3_column_int(st, 0) != 0;
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("checking a membership number"));
	cps_store_release(s, st);
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
	rc = cps_store_prepare(s,
		"SELECT coalesce(max(CAST(substr(number, 10) AS INTEGER)), 0)"
		" FROM invoice WHERE number GLOB ?", &st);
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("numbering the invoice"));
	snprintf(pattern, sizeof(pattern),
		 "INV-%04d-[0-9][0-9][0-9][0-9][0-9][0-9]", year);
	cps_bind_text_copy(st, 1, pattern, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*seq = (long)sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("numbering the invoice"));
	cps_store_release(s, st);
	return r;
}

static void copy_col(char *dst, size_t len, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, len, "%s", v ? v : "");
}

enum cps_err cps_store_invoice_insert(struct cps_store *s, long long account_id,
				      const struct cps_store_invoice *inv,
				      time_t now, long long *id,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO invoice (number, account_id, level_id, level_name,"
		" amount_cents, currency, method, reference, issued_on, due_on, created_at,"
		" vat_cents, vat_hundredths)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing the invoice"));
	cps_bind_text(st, 1, inv->number, &rc);
	cps_bind_int64(st, 2, account_id, &rc);
	cps_bind_text(st, 3, inv->level_id, &rc);
	cps_bind_text(st, 4, inv->level_name, &rc);
	cps_bind_int64(st, 5, (sqlite3_int64)inv->amount_cents, &rc);
	cps_bind_text(st, 6, inv->currency, &rc);
	cps_bind_text(st, 7, inv->method, &rc);
	cps_bind_text(st, 8, inv->reference ? inv->reference : "", &rc);
	cps_bind_text(st, 9, inv->issued_on, &rc);
	cps_bind_text(st, 10, inv->due_on, &rc);
	cps_bind_int64(st, 11, (sqlite3_int64)now, &rc);
	cps_bind_int64(st, 12, (sqlite3_int64)inv->vat_cents, &rc);
	cps_bind_int64(st, 13, (sqlite3_int64)inv->vat_hundredths, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing the invoice"));
	if (r == CPS_OK && id)
		*id = sqlite3_last_insert_rowid(cps_store_db(s));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_membership_insert(struct cps_store *s,
					 long long account_id,
					 const char *number,
					 const char *old_number,
					 const char *level_id,
					 const char *level_name,
					 long long invoice_id,
					 time_t active_from,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"INSERT INTO membership (account_id, number, old_number, level_id,"
		" level_name, invoice_id, active_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("storing the membership"));
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_text(st, 2, number, &rc);
	if (old_number && *old_number)
		cps_bind_text(st, 3, old_number, &rc);
	else
		cps_bind_null(st, 3, &rc);
	cps_bind_text(st, 4, level_id, &rc);
	cps_bind_text(st, 5, level_name, &rc);
	cps_bind_int64(st, 6, invoice_id, &rc);
	cps_bind_int64(st, 7, (sqlite3_int64)active_from, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("storing the membership"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_membership_get(struct cps_store *s, long long account_id,
				      struct cps_membership *out,
				      struct cps_error *err)
{
	sqlite3_stmt *st;
	char method[8];
	int rc = cps_store_prepare(s,
		"SELECT m.number, m.old_number, m.level_id, m.level_name, i.number,"
		" i.amount_cents, i.currency, i.issued_on, i.due_on, i.method,"
		" i.reference, m.active_from, i.vat_cents, i.vat_hundredths"
		" FROM membership m JOIN invoice i ON i.id = m.invoice_id"
		" WHERE m.account_id = ?1", &st);

	memset(out, 0, sizeof(*out));
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("reading the membership"));
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r;
	if (rc == SQLITE_ROW) {
		copy_col(out->number, sizeof(out->number), st, 0);
		copy_col(out->old_number, sizeof(out->old_number), st, 1);
		copy_col(out->level_id, sizeof(out->level_id), st, 2);
		copy_col(out->level_name, sizeof(out->level_name), st, 3);
		copy_col(out->invoice_number, sizeof(out->invoice_number), st, 4);
		out->amount_cents = (long)sqlite3_column_int64(st, 5);
		copy_col(out->currency, sizeof(out->currency), st, 6);
		copy_col(out->issued_on, sizeof(out->issued_on), st, 7);
		copy_col(out->due_on, sizeof(out->due_on), st, 8);
		copy_col(method, sizeof(method), st, 9);
		out->method = strcmp(method, "bank") == 0 ? CPS_PAY_BANK : CPS_PAY_CARD;
		copy_col(out->reference, sizeof(out->reference), st, 10);
		out->active_from = (time_t)sqlite3_column_int64(st, 11);
		/* the VAT as charged; an invoice older than that column has
		 * none stored and the caller works it out (fee_stored 0) */
		if (sqlite3_column_type(st, 12) != SQLITE_NULL
		    && sqlite3_column_type(st, 13) != SQLITE_NULL) {
			out->fee_stored = 1;
			out->fee.gross_cents = out->amount_cents;
			out->fee.vat_cents = (long)sqlite3_column_int64(st, 12);
			out->fee.net_cents = out->amount_cents - out->fee.vat_cents;
			out->fee.vat_hundredths = sqlite3_column_int(st, 13);
		}
		r = CPS_OK;
	} else if (rc == SQLITE_DONE) {
		r = CPS_ERR_NOT_FOUND;
	} else {
		r = cps_store_fail(s, rc, err, "%s", _("reading the membership"));
	}
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_membership_counts(struct cps_store *s,
					 long long *invoices,
					 long long *memberships,
					 struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s,
		"SELECT (SELECT count(*) FROM invoice), (SELECT count(*) FROM membership)", &st);

	*invoices = *memberships = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", _("counting the memberships"));
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW) {
		*invoices = sqlite3_column_int64(st, 0);
		*memberships = sqlite3_column_int64(st, 1);
	}
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", _("counting the memberships"));
	cps_store_release(s, st);
	return r;
}
