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
		" vat_cents, vat_hundredths, state)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", &st);

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
	cps_bind_text(st, 14, inv->requested ? "requested" : "local", &rc);
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
	char method[8], state[12];
	int rc = cps_store_prepare(s,
		"SELECT m.number, m.old_number, m.level_id, m.level_name, i.number,"
		" i.amount_cents, i.currency, i.issued_on, i.due_on, i.method,"
		" i.reference, m.active_from, i.vat_cents, i.vat_hundredths,"
		" i.state, i.remote_number, i.payment_link, i.bank_holder, i.bank_iban, i.bank_bic"
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
		copy_col(state, sizeof(state), st, 14);
		out->invoice_state = strcmp(state, "requested") == 0 ? CPS_INVOICE_REQUESTED
				   : strcmp(state, "received") == 0 ? CPS_INVOICE_RECEIVED
				   : CPS_INVOICE_LOCAL;
		/* the remote's number is the invoice's; the shop's stays its request's */
		if (sqlite3_column_type(st, 15) != SQLITE_NULL)
			copy_col(out->invoice_number, sizeof(out->invoice_number), st, 15);
		copy_col(out->payment_link, sizeof(out->payment_link), st, 16);
		copy_col(out->bank_holder, sizeof(out->bank_holder), st, 17);
		copy_col(out->bank_iban, sizeof(out->bank_iban), st, 18);
		copy_col(out->bank_bic, sizeof(out->bank_bic), st, 19);
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

enum cps_err cps_store_invoice_of(struct cps_store *s, long long account_id,
				  struct cps_store_invoice_row *out, struct cps_error *err)
{
	sqlite3_stmt *st;
	const char *what = _("reading the invoice");
	int rc = cps_store_prepare(s,
		"SELECT i.id, i.state, coalesce(i.remote_number, ''), i.method, i.number"
		" FROM membership m JOIN invoice i ON i.id = m.invoice_id"
		" WHERE m.account_id = ?1", &st);

	memset(out, 0, sizeof(*out));
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		copy_col(out->state, sizeof(out->state), st, 1);
		copy_col(out->remote_number, sizeof(out->remote_number), st, 2);
		copy_col(out->method, sizeof(out->method), st, 3);
		copy_col(out->number, sizeof(out->number), st, 4);
		r = CPS_OK;
	} else {
		r = rc == SQLITE_DONE ? CPS_ERR_NOT_FOUND : cps_store_fail(s, rc, err, "%s", what);
	}
	cps_store_release(s, st);
	return r;
}

/* The account a row found by one text key belongs to (sql selects
 * account_id with ?1); 0 when there is none. */
static enum cps_err owner_of(struct cps_store *s, const char *sql, const char *key,
			     const char *what, long long *account_id, struct cps_error *err)
{
	sqlite3_stmt *st;
	int rc = cps_store_prepare(s, sql, &st);

	*account_id = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_text(st, 1, key, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*account_id = sqlite3_column_int64(st, 0);
	enum cps_err r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CPS_OK
		: cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_invoice_remote_owner(struct cps_store *s, const char *remote_number,
					    long long *account_id, struct cps_error *err)
{
	return owner_of(s, "SELECT account_id FROM invoice WHERE remote_number = ?1",
			remote_number, _("reading the invoice"), account_id, err);
}

enum cps_err cps_store_invoice_receive(struct cps_store *s, long long invoice_id,
				       const struct cps_store_received *inv, time_t now,
				       struct cps_error *err)
{
	sqlite3_stmt *st;
	const char *what = _("storing the remote's invoice");
	/* the VAT split stored at the request holds while the amount is the
	 * one asked for; another amount's split is not known here (NULL: it
	 * is worked out at today's rate when shown) */
	int rc = cps_store_prepare(s,
		"UPDATE invoice SET state = 'received', remote_number = ?2,"
		" vat_cents = CASE WHEN amount_cents = ?3 AND currency = ?4 THEN vat_cents END,"
		" vat_hundredths = CASE WHEN amount_cents = ?3 AND currency = ?4 THEN vat_hundredths END,"
		" amount_cents = ?3, currency = ?4, issued_on = ?5, due_on = ?6,"
		" payment_link = ?7, bank_holder = ?8, bank_iban = ?9, bank_bic = ?10,"
		" reference = CASE WHEN ?11 <> '' THEN ?11 ELSE reference END,"
		" received_at = ?12"
		" WHERE id = ?1 AND state = 'requested'", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, invoice_id, &rc);
	cps_bind_text(st, 2, inv->number, &rc);
	cps_bind_int64(st, 3, (sqlite3_int64)inv->amount_cents, &rc);
	cps_bind_text(st, 4, inv->currency, &rc);
	cps_bind_text(st, 5, inv->issued_on, &rc);
	cps_bind_text(st, 6, inv->due_on, &rc);
	cps_bind_text(st, 7, inv->payment_link, &rc);
	cps_bind_text(st, 8, inv->bank_holder, &rc);
	cps_bind_text(st, 9, inv->bank_iban, &rc);
	cps_bind_text(st, 10, inv->bank_bic, &rc);
	cps_bind_text(st, 11, inv->bank_reference, &rc);
	cps_bind_int64(st, 12, (sqlite3_int64)now, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK : cps_store_fail(s, rc, err, "%s", what);
	if (r == CPS_OK && sqlite3_changes(cps_store_db(s)) != 1)
		r = cps_error_set(err, CPS_ERR_STATE, "%s",
				  _("internal error: the invoice is no longer requested"));
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_account_erased(struct cps_store *s, long long account_id,
				       int *erased, struct cps_error *err)
{
	sqlite3_stmt *st;
	const char *what = _("reading the audit log");
	int rc = cps_store_prepare(s,
		"SELECT EXISTS (SELECT 1 FROM audit WHERE account_id = ?1 AND action = 'erase')", &st);

	*erased = 0;
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, account_id, &rc);
	rc = cps_store_step(st, rc);
	if (rc == SQLITE_ROW)
		*erased = sqlite3_column_int(st, 0) != 0;
	enum cps_err r = rc == SQLITE_ROW ? CPS_OK : cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}

enum cps_err cps_store_membership_number_owner(struct cps_store *s, const char *number,
					       long long *account_id, struct cps_error *err)
{
	return owner_of(s, "SELECT account_id FROM membership WHERE number = ?1", number,
			_("checking a membership number"), account_id, err);
}

enum cps_err cps_store_membership_number_set(struct cps_store *s, long long account_id,
					     const char *number, struct cps_error *err)
{
	sqlite3_stmt *st;
	const char *what = _("storing the membership number");
	int rc = cps_store_prepare(s,
		"UPDATE membership SET number = ?2 WHERE account_id = ?1", &st);

	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, "%s", what);
	cps_bind_int64(st, 1, account_id, &rc);
	cps_bind_text(st, 2, number, &rc);
	rc = cps_store_step(st, rc);
	enum cps_err r = rc == SQLITE_DONE ? CPS_OK : cps_store_fail(s, rc, err, "%s", what);
	cps_store_release(s, st);
	return r;
}
