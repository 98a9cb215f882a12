/* privacy.h - a customer's own data as a whole (GDPR): an export of
 * everything stored about them, and its erasure.  Both are staff actions
 * with a line in the audit log; the erasure keeps the audit lines, which
 * hold no personal data (README, rules 3.5). */
#ifndef CPSREG_PRIVACY_H
#define CPSREG_PRIVACY_H

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

/* Everything stored about the account as JSON text (UTF-8, indented):
 * the account, and every table's rows of it (document, products,
 * messages, invoice, membership, migration, outbox, audit, ...), without
 * the hashes of secrets; the proof document's content is given by its
 * size and SHA-256.  *json (free() it) is NULL on failure.
 * CPS_ERR_NOT_FOUND for no such account. */
enum cps_err cps_customer_export(struct cps_engine *e, long long id,
				 const char *staff_name, char **json,
				 struct cps_error *err);

/* The same export written to a new file at path (mode 0600; an existing
 * file is refused with CPS_ERR_EXISTS and left alone). */
enum cps_err cps_customer_export_file(struct cps_engine *e, long long id,
				      const char *staff_name, const char *path,
				      struct cps_error *err);

/* The proof document's file, written as it was received to a new file at
 * path (mode 0600; never over an existing file), with a line in the audit
 * log.  CPS_ERR_NOT_FOUND without a document or for a paper seen in
 * person. */
enum cps_err cps_document_export(struct cps_engine *e, long long id,
				 const char *staff_name, const char *path,
				 struct cps_error *err);

/* Removes the account and everything that belongs to it from every table
 * but the audit log (whose lines name it only by number), and the old CPS
 * account of its old e-mail unless another account migrated from it.  The
 * remote hears of it.  Irreversible: the caller asks first.  Afterwards
 * the journal (WAL) is emptied into the database, whose freed pages are
 * zeroed, so that the erased rows stay in neither file.  When another
 * program keeps reading an older state of the database for longer than
 * the busy timeout, the journal cannot be emptied: the erasure stands,
 * and *journal_kept (when not NULL) is set to 1 so that staff are told
 * old copies of the erased rows stay on disk (in the database file, whose
 * pages the journal cannot replace yet, or in the -wal file) until that
 * reader ends; else 0.
 * CPS_ERR_NOT_FOUND for no such account. */
enum cps_err cps_customer_erase(struct cps_engine *e, long long id,
				const char *staff_name, int *journal_kept,
				struct cps_error *err);

#endif
