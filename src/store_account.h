/* store_account.h - SQL for accounts (applications), proof documents and
 * password tokens (src/ only).  The rules live in src/account.c; these
 * functions read and write rows and nothing else.  Writes must run inside
 * cps_store_begin()/cps_store_commit(). */
#ifndef CPSREG_STORE_ACCOUNT_H
#define CPSREG_STORE_ACCOUNT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/secret.h"
#include "cpsreg/store.h"

/* What a login needs to know about an account. */
struct cps_store_login {
	long long id;
	enum cps_app_status status;
	char password_hash[CPS_PASSWORD_HASH_SIZE]; /* "" when none is set */
	int failed_logins;
	time_t last_failed_at;                      /* 0: never */
};

/* A password token as stored. */
struct cps_store_token {
	long long id;
	char purpose[8];     /* set, reset */
	time_t created_at;
	time_t expires_at;
	time_t used_at;      /* 0: not used */
};

/* A proof document to store: a file (content and its facts) or a paper
 * seen in person (content NULL, seen_by set). */
struct cps_store_document {
	const char *type_id;
	const char *filename;
	const char *mime;
	long long size;
	const char *sha256;
	const void *content;
	size_t content_len;
	const char *seen_by;
};

/* Row counts, for checks and tests. */
struct cps_store_account_counts {
	long long accounts;
	long long documents;
	long long tokens;
};

/* Inserts a draft with the customer's fields of a (an empty e-mail is
 * stored as NULL); *id gets the new row's id. */
enum cps_err cps_store_account_insert(struct cps_store *s,
				      const struct cps_application *a,
				      const char *resume_hash, time_t now,
				      long long *id, struct cps_error *err);
/* Replaces the customer's fields of account a->id; keep_override 0 also
 * clears id_override_by/at. */
enum cps_err cps_store_account_update_fields(struct cps_store *s,
					     const struct cps_application *a,
					     int keep_override, time_t now,
					     struct cps_error *err);
enum cps_err cps_store_account_set_step(struct cps_store *s, long long id,
					const char *step, time_t now,
					struct cps_error *err);

/* Loaders fill a (with its document) or return CPS_ERR_NOT_FOUND. */
enum cps_err cps_store_account_load(struct cps_store *s, long long id,
				    struct cps_application *a,
				    struct cps_error *err);
enum cps_err cps_store_account_find_email(struct cps_store *s,
					  const char *email,
					  struct cps_application *a,
					  struct cps_error *err);
enum cps_err cps_store_account_find_resume(struct cps_store *s,
					   const char *resume_hash,
					   struct cps_application *a,
					   struct cps_error *err);
/* Replaces the account's resume code (its digest). */
enum cps_err cps_store_account_set_resume_hash(struct cps_store *s, long long id,
					       const char *resume_hash, time_t now,
					       struct cps_error *err);
/* *taken = 1 if another account than except_id has this e-mail. */
enum cps_err cps_store_account_email_taken(struct cps_store *s,
					   const char *email,
					   long long except_id, int *taken,
					   struct cps_error *err);

/* status -> pending, submitted_at, expected_by; clears the last decision. */
enum cps_err cps_store_account_submit(struct cps_store *s, long long id,
				      time_t now, const char *expected_by,
				      struct cps_error *err);
/* status -> validated or rejected (reason NULL for validated). */
enum cps_err cps_store_account_decide(struct cps_store *s, long long id,
				      enum cps_app_status status,
				      const char *staff, const char *reason,
				      time_t now, struct cps_error *err);
enum cps_err cps_store_account_override(struct cps_store *s, long long id,
					const char *vat_number,
					const char *staff, time_t now,
					struct cps_error *err);

enum cps_err cps_store_account_login_get(struct cps_store *s,
					 const char *email,
					 struct cps_store_login *l,
					 struct cps_error *err);
enum cps_err cps_store_account_login_failed(struct cps_store *s, long long id,
					    time_t now, struct cps_error *err);
enum cps_err cps_store_account_login_reset(struct cps_store *s, long long id,
					   struct cps_error *err);
/* Sets the password hash and clears the failed-login count. */
enum cps_err cps_store_account_set_password(struct cps_store *s, long long id,
					    const char *hash, time_t now,
					    struct cps_error *err);

enum cps_err cps_store_account_counts(struct cps_store *s,
				      struct cps_store_account_counts *c,
				      struct cps_error *err);

/* The account's country code ("" if not given), for the product module;
 * CPS_ERR_NOT_FOUND when there is no such account. */
enum cps_err cps_store_account_country(struct cps_store *s,
				       long long account_id, char out[3],
				       struct cps_error *err);

/* Inserts or replaces the account's one proof document. */
enum cps_err cps_store_document_put(struct cps_store *s, long long account_id,
				    const struct cps_store_document *d,
				    time_t now, struct cps_error *err);
/* The stored file of the account's document: *buf (malloc'd, free it) and
 * *len; *buf NULL when the paper was seen in person.  CPS_ERR_NOT_FOUND
 * without a document. */
enum cps_err cps_store_document_content(struct cps_store *s,
					long long account_id, void **buf,
					size_t *len, struct cps_error *err);

enum cps_err cps_store_token_insert(struct cps_store *s, long long account_id,
				    const char *token_hash, const char *purpose,
				    time_t now, time_t expires_at,
				    struct cps_error *err);
/* The account's token with this hash, or CPS_ERR_NOT_FOUND. */
enum cps_err cps_store_token_find(struct cps_store *s, long long account_id,
				  const char *token_hash,
				  struct cps_store_token *t,
				  struct cps_error *err);
/* Marks every unused token of the account used. */
enum cps_err cps_store_token_use_all(struct cps_store *s, long long account_id,
				     time_t now, struct cps_error *err);

/* Every pending application, oldest submission first. */
enum cps_err cps_store_account_pending(struct cps_store *s,
				       int (*fn)(const struct cps_application *a, void *arg),
				       void *arg, struct cps_error *err);

/* Staff correct the old CPS e-mail ("" clears it). */
enum cps_err cps_store_account_set_old_email(struct cps_store *s, long long id,
					     const char *old_email, time_t now,
					     struct cps_error *err);

/* Every account whose e-mail, company, VAT number or membership number
 * (new or old) is LIKE pattern (with \\ as the escape). */
enum cps_err cps_store_account_search(struct cps_store *s, const char *pattern,
				      int (*fn)(const struct cps_application *a, void *arg),
				      void *arg, struct cps_error *err);

/* A refused value kept as typed (README, rules 2.1): put replaces the
 * field's text (text "" deletes it), clear deletes every field's text
 * that is listed in clear_mask (bit 1 << field), get fills
 * out[field] ("" where none) for one account. */
enum cps_err cps_store_typed_put(struct cps_store *s, long long account_id,
				 int field, const char *text, time_t now,
				 struct cps_error *err);
enum cps_err cps_store_typed_clear(struct cps_store *s, long long account_id,
				   unsigned clear_mask, struct cps_error *err);
enum cps_err cps_store_typed_get(struct cps_store *s, long long account_id,
				 char out[][CPS_APP_TYPED_SIZE], int nfields,
				 struct cps_error *err);

#endif
