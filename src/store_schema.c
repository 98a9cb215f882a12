/* store_schema.c - the database schema, one step per version.
 *
 * Append new versions; never edit one that has shipped, since files out
 * there already went through it.  Every table is STRICT.  Times are Unix
 * seconds (INTEGER, UTC); calendar dates are 'YYYY-MM-DD' text. */
#include <stddef.h>

#include "buildpaths.h"
#include "store_private.h"

const struct cps_migration cps_store_migrations[] = {
	{ 1,
	  "CREATE TABLE meta ("
	  " key TEXT PRIMARY KEY NOT NULL,"
	  " value TEXT NOT NULL"
	  ") STRICT;"
	  "INSERT INTO meta (key, value) VALUES"
	  " ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	  " ('created_by', 'cpsreg " CPS_VERSION "');" },

	/* The registration flow.  2: accounts, proof documents, password
	 * tokens, outgoing messages; 3: the catalog, legacy CPS accounts,
	 * products and migrations; 4: invoices, memberships and the outbox
	 * the sync drains. */
	{ 2,
	  "CREATE TABLE account ("
	  " id INTEGER PRIMARY KEY,"
	  " email TEXT UNIQUE COLLATE NOCASE,"          /* NULL until given */
	  " company TEXT NOT NULL DEFAULT '',"
	  " country TEXT NOT NULL DEFAULT '',"
	  " street TEXT NOT NULL DEFAULT '',"
	  " postcode TEXT NOT NULL DEFAULT '',"
	  " city TEXT NOT NULL DEFAULT '',"
	  " first_name TEXT NOT NULL DEFAULT '',"
	  " last_name TEXT NOT NULL DEFAULT '',"
	  " phone TEXT NOT NULL DEFAULT '',"
	  " language TEXT NOT NULL DEFAULT '',"
	  " vat_registered INTEGER NOT NULL DEFAULT -1"  /* -1: not answered */
	  "   CHECK (vat_registered IN (-1, 0, 1)),"
	  " vat_number TEXT NOT NULL DEFAULT '',"
	  " id_override_by TEXT,"                       /* staff accepted an ID the offline check refused */
	  " id_override_at INTEGER,"
	  " authorised INTEGER NOT NULL DEFAULT 0 CHECK (authorised IN (0, 1)),"
	  " old_email TEXT NOT NULL DEFAULT '',"
	  " status TEXT NOT NULL DEFAULT 'draft'"
	  "   CHECK (status IN ('draft', 'pending', 'validated', 'rejected')),"
	  " submitted_at INTEGER,"
	  " expected_by TEXT,"
	  " decided_at INTEGER,"
	  " decided_by TEXT,"
	  " reject_reason TEXT,"
	  " resume_hash TEXT,"
	  " password_hash TEXT,"
	  " failed_logins INTEGER NOT NULL DEFAULT 0,"
	  " last_failed_at INTEGER,"
	  " wizard_step TEXT NOT NULL DEFAULT '',"
	  " created_at INTEGER NOT NULL,"
	  " updated_at INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE document ("
	  " id INTEGER PRIMARY KEY,"
	  " account_id INTEGER NOT NULL UNIQUE REFERENCES account(id) ON DELETE CASCADE,"
	  " doc_type TEXT NOT NULL,"
	  " filename TEXT NOT NULL,"
	  " mime TEXT NOT NULL,"                         /* application/pdf, image/jpeg, image/png, or '' when seen in person */
	  " size INTEGER NOT NULL,"
	  " sha256 TEXT NOT NULL,"
	  " content BLOB,"
	  " seen_by TEXT,"                               /* staff who saw the paper */
	  " created_at INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE password_token ("
	  " id INTEGER PRIMARY KEY,"
	  " account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	  " token_hash TEXT NOT NULL UNIQUE,"
	  " purpose TEXT NOT NULL CHECK (purpose IN ('set', 'reset')),"
	  " created_at INTEGER NOT NULL,"
	  " expires_at INTEGER NOT NULL,"
	  " used_at INTEGER"
	  ") STRICT;"

	  "CREATE TABLE message ("
	  " id INTEGER PRIMARY KEY,"
	  " account_id INTEGER REFERENCES account(id) ON DELETE CASCADE,"
	  " kind TEXT NOT NULL,"
	  " recipient TEXT NOT NULL,"
	  " subject TEXT NOT NULL,"
	  " body TEXT NOT NULL,"
	  " created_at INTEGER NOT NULL,"
	  " delivered_at INTEGER,"
	  " delivered_via TEXT"
	  ") STRICT;"
	  "CREATE INDEX message_pending ON message(delivered_at) WHERE delivered_at IS NULL;" },

	{ 3,

	  "CREATE TABLE catalog ("
	  " id INTEGER PRIMARY KEY,"
	  " model TEXT NOT NULL UNIQUE,"
	  " category TEXT NOT NULL,"
	  " points INTEGER NOT NULL CHECK (points > 0),"
	  " release_year INTEGER NOT NULL,"
	  " serial_pattern TEXT NOT NULL DEFAULT '',"
	  " search_key TEXT NOT NULL,"                   /* folded: lower case, no accents */
	  " active INTEGER NOT NULL DEFAULT 1"           /* 0: dropped by a newer catalog, kept for old products */
	  ") STRICT;"

	  "CREATE TABLE legacy_account ("
	  " id INTEGER PRIMARY KEY,"
	  " email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	  " member_number TEXT NOT NULL UNIQUE,"
	  " name TEXT NOT NULL DEFAULT '',"
	  " imported_at INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE legacy_product ("
	  " id INTEGER PRIMARY KEY,"
	  " legacy_account_id INTEGER NOT NULL REFERENCES legacy_account(id) ON DELETE CASCADE,"
	  " catalog_id INTEGER NOT NULL REFERENCES catalog(id),"
	  " serial TEXT,"
	  " purchase_date TEXT,"
	  " purchase_country TEXT,"
	  " dealer TEXT,"
	  " UNIQUE (catalog_id, serial)"                 /* as product: one serial per model */
	  ") STRICT;"
	  "CREATE INDEX legacy_product_account ON legacy_product(legacy_account_id);"

	  "CREATE TABLE product ("
	  " id INTEGER PRIMARY KEY,"
	  " account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	  " catalog_id INTEGER NOT NULL REFERENCES catalog(id),"
	  " serial TEXT,"                                /* normalised; NULL when missing */
	  " purchase_date TEXT,"                         /* 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; NULL when missing */
	  " purchase_country TEXT,"
	  " dealer TEXT,"
	  " points INTEGER,"                             /* fixed when first complete */
	  " completed_at INTEGER,"
	  " origin TEXT NOT NULL DEFAULT 'registered' CHECK (origin IN ('registered', 'migrated')),"
	  " legacy_product_id INTEGER UNIQUE REFERENCES legacy_product(id),"
	  " created_at INTEGER NOT NULL,"
	  " updated_at INTEGER NOT NULL,"
	  " UNIQUE (catalog_id, serial)"
	  ") STRICT;"
	  "CREATE INDEX product_account ON product(account_id);" },

	{ 4,

	  "CREATE TABLE migration ("
	  " account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,"
	  " legacy_account_id INTEGER NOT NULL UNIQUE REFERENCES legacy_account(id),"
	  " products INTEGER NOT NULL,"
	  " migrated_at INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE invoice ("
	  " id INTEGER PRIMARY KEY,"
	  " number TEXT NOT NULL UNIQUE,"
	  " account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	  " level_id TEXT NOT NULL,"
	  " level_name TEXT NOT NULL,"
	  " amount_cents INTEGER NOT NULL,"
	  " currency TEXT NOT NULL,"
	  " method TEXT NOT NULL CHECK (method IN ('card', 'bank')),"
	  " reference TEXT NOT NULL DEFAULT '',"
	  " issued_on TEXT NOT NULL,"
	  " due_on TEXT NOT NULL,"
	  " created_at INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE membership ("
	  " id INTEGER PRIMARY KEY,"
	  " account_id INTEGER NOT NULL UNIQUE REFERENCES account(id) ON DELETE CASCADE,"
	  " number TEXT NOT NULL UNIQUE,"
	  " old_number TEXT,"
	  " level_id TEXT NOT NULL,"
	  " level_name TEXT NOT NULL,"
	  " invoice_id INTEGER NOT NULL REFERENCES invoice(id),"
	  " active_from INTEGER NOT NULL"
	  ") STRICT;"

	  "CREATE TABLE outbox ("
	  " id INTEGER PRIMARY KEY,"
	  " idem_key TEXT NOT NULL UNIQUE,"
	  " kind TEXT NOT NULL,"
	  " account_id INTEGER,"
	  " payload TEXT NOT NULL,"                      /* JSON */
	  " created_at INTEGER NOT NULL,"
	  " attempts INTEGER NOT NULL DEFAULT 0,"
	  " next_attempt_at INTEGER,"
	  " last_error TEXT,"
	  " sent_at INTEGER"
	  ") STRICT;"
	  "CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL;" },

	{ 5,

	  /* wrong resume codes and logins, per terminal and per code tried
	   * (README, "Running a kiosk"): what the wait grows from, and what
	   * staff lift with "cpsreg unlock" */
	  "CREATE TABLE attempt_limit ("
	  " scope TEXT NOT NULL CHECK (scope IN ('terminal', 'code')),"
	  " key TEXT NOT NULL,"
	  " failures INTEGER NOT NULL CHECK (failures > 0),"
	  " last_failed_at INTEGER NOT NULL,"
	  " PRIMARY KEY (scope, key)"
	  ") STRICT;" },

	{ 6,

	  /* What staff did, append-only (README, rules 3.5): the triggers
	   * refuse every UPDATE and DELETE.  account_id has no foreign key
	   * so that a line outlives an erased customer; no column holds the
	   * customer's own data. */
	  "CREATE TABLE audit ("
	  " id INTEGER PRIMARY KEY,"
	  " at INTEGER NOT NULL,"
	  " actor TEXT NOT NULL,"                        /* the staff name given */
	  " os_user TEXT NOT NULL,"                      /* the Unix user the program ran as */
	  " action TEXT NOT NULL,"
	  " account_id INTEGER,"
	  " ref INTEGER"                                 /* a message's id, when the action is on one */
	  ") STRICT;"
	  "CREATE INDEX audit_account ON audit(account_id);"
	  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	  /* the password code inside a message's body, so that it can be
	   * wiped from the body once handed over, used or expired */
	  "ALTER TABLE message ADD COLUMN code TEXT;"
	  "ALTER TABLE message ADD COLUMN code_expires_at INTEGER;" },

	/* A value the checks refused, kept exactly as it was typed, so that
	 * the form, the review and a later session show what the customer
	 * typed and not an older accepted value (README, rules 2.1); and the
	 * version of an account's fields. */
	{ 7,
	  "CREATE TABLE application_typed ("
	  " account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	  " field INTEGER NOT NULL CHECK (field >= 0),"  /* enum cps_app_field */
	  " text TEXT NOT NULL,"
	  " updated_at INTEGER NOT NULL,"
	  " PRIMARY KEY (account_id, field)"
	  ") STRICT;"
	  /* counts the saves of the customer's fields, so that a session
	   * saving over a row another session changed meanwhile notices */
	  "ALTER TABLE account ADD COLUMN version INTEGER NOT NULL DEFAULT 0;" },

	/* A serial number that does not fit its model's pattern earns the
	 * tick and the points only once staff confirm it (README, Products):
	 * the flag is set when the product is saved; the serial confirmed is
	 * kept, so that a changed serial needs confirming again. */
	{ 8,
	  "ALTER TABLE product ADD COLUMN serial_unusual INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE product ADD COLUMN serial_confirmed TEXT;"
	  "ALTER TABLE product ADD COLUMN serial_confirmed_by TEXT;"
	  "ALTER TABLE product ADD COLUMN serial_confirmed_at INTEGER;" },

	/* A change the remote refused for good (a 4xx other than 401, 408
	 * and 429) is parked with the reason in last_error: the sync does
	 * not send it again by itself, and staff see it (README, "The
	 * remote"). */
	{ 9,
	  "ALTER TABLE outbox ADD COLUMN parked_at INTEGER;" },

	/* A catalog import looks up every row of the file by its model name
	 * without regard to case; the UNIQUE index is case-sensitive and
	 * cannot serve that, so each lookup read the whole table and an
	 * import grew with the square of its rows.  In the lookup's order
	 * (an active row first), so it needs no sort either. */
	{ 10,
	  "CREATE INDEX catalog_model_nocase ON catalog(model COLLATE NOCASE, active DESC, id);" },

	/* An invoice's VAT as it was charged, so that a later change of
	 * rules.vat_percent does not change what an old invoice says
	 * (README, Paying).  NULL on invoices issued before this step. */
	{ 11,
	  "ALTER TABLE invoice ADD COLUMN vat_cents INTEGER;"
	  "ALTER TABLE invoice ADD COLUMN vat_hundredths INTEGER;" },

	/* With a remote the invoice is the remote's (README, rules 8): the
	 * shop's row is 'requested' until the sync brings it, then
	 * 'received' with the remote's number, its card payment link and its
	 * bank details; 'local' is an invoice the shop issued itself. */
	{ 12,
	  "ALTER TABLE invoice ADD COLUMN state TEXT NOT NULL DEFAULT 'local'"
	  "  CHECK (state IN ('local', 'requested', 'received'));"
	  "ALTER TABLE invoice ADD COLUMN remote_number TEXT;"
	  "ALTER TABLE invoice ADD COLUMN payment_link TEXT;"
	  "ALTER TABLE invoice ADD COLUMN bank_holder TEXT;"
	  "ALTER TABLE invoice ADD COLUMN bank_iban TEXT;"
	  "ALTER TABLE invoice ADD COLUMN bank_bic TEXT;"
	  "ALTER TABLE invoice ADD COLUMN received_at INTEGER;"
	  "CREATE UNIQUE INDEX invoice_remote_number ON invoice(remote_number)"
	  "  WHERE remote_number IS NOT NULL;" },

	/* An import writes its new rows in short transactions of their own,
	 * each holding the write lock for a moment only, and makes them
	 * visible all at once at its end (README, "Imports"): a row is seen
	 * only when its gen is at most the published generation in meta
	 * (catalog_generation, legacy_generation).  0: visible always, as
	 * every row written before this step.  import_running in meta names
	 * the process writing an import, so two never run at once. */
	{ 13,
	  "ALTER TABLE catalog ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE legacy_account ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE legacy_product ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;" },

	/* With a remote, an old CPS account the shop has not imported is
	 * asked of the remote by its e-mail (README, "The remote"); an
	 * e-mail the remote answered 404 for is kept here, so that it is not
	 * asked again every sync.  A corrected old e-mail is another row's
	 * business: it is asked. */
	{ 14,
	  "CREATE TABLE legacy_not_found ("
	  " email TEXT PRIMARY KEY COLLATE NOCASE,"
	  " asked_at INTEGER NOT NULL"
	  ") STRICT;" },

	/* The catalog keeps one index on the model name, the one its
	 * lookups use (ignoring ASCII case, the active model first), not a
	 * second case-sensitive one for UNIQUE: each new model of an import
	 * wrote both, a third of the import's work and a quarter of the
	 * file.  The names stay unique without it: the import is the only
	 * writer, one at a time, and matches every name of the file against
	 * the stored ones ignoring case before it writes (README, "Imports").
	 * A UNIQUE index ignoring case is not made, as a database holding two
	 * spellings of one name could then not be upgraded.  The table is
	 * rebuilt (SQLite cannot drop a constraint): the same rows, the same
	 * ids, so products and old products still point at them. */
	{ 15,
	  "CREATE TABLE catalog_new ("
	  " id INTEGER PRIMARY KEY,"
	  " model TEXT NOT NULL,"
	  " category TEXT NOT NULL,"
	  " points INTEGER NOT NULL CHECK (points > 0),"
	  " release_year INTEGER NOT NULL,"
	  " serial_pattern TEXT NOT NULL DEFAULT '',"
	  " search_key TEXT NOT NULL,"
	  " active INTEGER NOT NULL DEFAULT 1,"
	  " gen INTEGER NOT NULL DEFAULT 0"
	  ") STRICT;"
	  "INSERT INTO catalog_new (id, model, category, points, release_year,"
	  " serial_pattern, search_key, active, gen)"
	  " SELECT id, model, category, points, release_year, serial_pattern,"
	  " search_key, active, gen FROM catalog;"
	  "DROP TABLE catalog;"
	  "ALTER TABLE catalog_new RENAME TO catalog;"
	  "CREATE INDEX catalog_model_nocase ON catalog(model COLLATE NOCASE, active DESC, id);" },

	/* The type-ahead folds the names it keeps in memory as it reads
	 * them (README, "Performance"), so the folded copy of every name
	 * stored beside it was read by nothing and cost a third of the
	 * table: each model of an import wrote its name three times. */
	{ 16,
	  "ALTER TABLE catalog DROP COLUMN search_key;" },

	/* The name index holds each name in lower case (SQLite's lower()
	 * folds ASCII letters only, as NOCASE compares), so that an import
	 * adding a model compares bytes (memcmp) on its way down the index
	 * instead of folding both names at every step: the NOCASE
	 * comparisons were a sixth of a 100,000-model import.  Lookups ask
	 * for lower(model) = lower(?), the same names as before. */
	{ 17,
	  "DROP INDEX catalog_model_nocase;"
	  "CREATE INDEX catalog_model_key ON catalog(lower(model), active DESC, id);" },

	/* An old product's missing detail is NULL, never '' (the store writes
	 * NULL for an empty one): one way of being missing, as a product has
	 * it, so that an import comparing a row with the stored one (IS) and
	 * MIGRATE PRODUCTS taking the details as they are need not look for
	 * both.  A file from before may hold ''. */
	{ 18,
	  "UPDATE legacy_product SET serial = nullif(serial, ''),"
	  " purchase_date = nullif(purchase_date, ''),"
	  " purchase_country = nullif(purchase_country, ''), dealer = nullif(dealer, '')"
	  " WHERE serial = '' OR purchase_date = '' OR purchase_country = '' OR dealer = '';" },
};

const size_t cps_store_nmigrations =
	sizeof(cps_store_migrations) / sizeof(cps_store_migrations[0]);
