/* account.h - the business account: the application (README, rules 2), its
 * proof document, its validation by staff, the password and the login
 * (README, rules 3).
 *
 * The life of an application:
 *
 *	cps_application_new_draft()      a draft and its resume code
 *	cps_application_save_draft()     field by field, as often as needed
 *	cps_document_attach()            the proof document (or staff mark
 *	cps_document_seen_in_person()    the paper as seen in person)
 *	cps_application_submit()         draft/rejected -> pending
 *	cps_application_approve()        pending -> validated, password code sent
 *	cps_application_reject()         pending -> rejected, reason sent
 *	cps_password_set_with_token()    the customer chooses a password
 *	cps_login()                      e-mail and password from then on
 *
 * Before validation the customer comes back with the resume code
 * (cps_application_resume); after it, with the e-mail and password. */
#ifndef CPSREG_ACCOUNT_H
#define CPSREG_ACCOUNT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/ident.h"
#include "cpsreg/secret.h"
#include "cpsreg/workdays.h"

/* Longest free texts, in characters (code points); the buffers hold them
 * in UTF-8 with room to spare. */
#define CPS_APP_NAME_CHARS 120   /* company, street */
#define CPS_APP_SHORT_CHARS 60   /* city, first and last name, staff name */
#define CPS_APP_POSTCODE_CHARS 12
#define CPS_APP_REASON_CHARS 500 /* a rejection's reason */

#define CPS_APP_NAME_SIZE (CPS_APP_NAME_CHARS * 4 + 1)
#define CPS_APP_SHORT_SIZE (CPS_APP_SHORT_CHARS * 4 + 1)
#define CPS_APP_POSTCODE_SIZE (CPS_APP_POSTCODE_CHARS * 4 + 1)
#define CPS_APP_REASON_SIZE (CPS_APP_REASON_CHARS * 4 + 1)
#define CPS_APP_STEP_SIZE 32     /* wizard_step: printable ASCII */
#define CPS_APP_FILENAME_SIZE 256
#define CPS_APP_PROBLEM_SIZE CPS_ERROR_MAX

/* Seconds a login waits at most after repeated wrong passwords. */
#define CPS_LOGIN_MAX_DELAY 300
/* Wrong passwords in a row before a delay applies. */
#define CPS_LOGIN_FREE_TRIES 3

enum cps_app_status {
	CPS_APP_DRAFT = 0,
	CPS_APP_PENDING,    /* submitted, waiting for validation */
	CPS_APP_VALIDATED,
	CPS_APP_REJECTED    /* with a reason; may be corrected and submitted again */
};

/* The answer to "Is the company registered for VAT?". */
enum cps_vat_answer {
	CPS_VAT_UNANSWERED = -1,
	CPS_VAT_NO = 0,
	CPS_VAT_YES = 1
};

/* The kinds of proof document.  The first two fit a VAT-registered
 * company, the last three one that is not. */
enum cps_doc_type {
	CPS_DOC_NONE = 0,
	CPS_DOC_REGISTRATION_CERTIFICATE, /* VAT registration certificate */
	CPS_DOC_VAT_INVOICE,              /* invoice showing the VAT number */
	CPS_DOC_BUSINESS_INVOICE,
	CPS_DOC_TRADE_LICENCE,            /* business or trade licence */
	CPS_DOC_INCORPORATION_EXTRACT,    /* extract of the incorporation document */
	CPS_DOC_COUNT
};

/* The fields of the form, in the order the form shows them. */
enum cps_app_field {
	CPS_FIELD_COMPANY = 0,
	CPS_FIELD_COUNTRY,
	CPS_FIELD_STREET,
	CPS_FIELD_POSTCODE,
	CPS_FIELD_CITY,
	CPS_FIELD_FIRST_NAME,
	CPS_FIELD_LAST_NAME,
	CPS_FIELD_EMAIL,
	CPS_FIELD_PHONE,          /* optional */
	CPS_FIELD_LANGUAGE,       /* en, nb, da */
	CPS_FIELD_VAT_REGISTERED, /* "yes" / "no" */
	CPS_FIELD_VAT_NUMBER,     /* required when VAT-registered */
	CPS_FIELD_DOCUMENT,       /* a document type id (cps_doc_type_id) */
	CPS_FIELD_AUTHORISED,     /* "yes" to confirm */
	CPS_FIELD_OLD_EMAIL,      /* optional: the old CPS account's e-mail */
	CPS_FIELD_COUNT
};

/* The proof document as stored (read-only in struct cps_application: it
 * changes through cps_document_attach / cps_document_seen_in_person). */
struct cps_document_info {
	enum cps_doc_type type;               /* CPS_DOC_NONE: none yet */
	char filename[CPS_APP_FILENAME_SIZE]; /* the file's own name, no folder */
	char mime[32];                        /* application/pdf, image/jpeg, image/png; "" when seen in person */
	long long size;                       /* bytes */
	char sha256[CPS_SHA256_HEX_SIZE];
	char seen_by[CPS_APP_SHORT_SIZE];     /* staff who saw the paper, or "" */
	time_t created_at;
};

/* An application, which becomes the business account once validated.
 * The customer's fields hold their normalised form after a save. */
struct cps_application {
	long long id;                    /* 0 until saved */
	enum cps_app_status status;

	/* what the customer fills in */
	char company[CPS_APP_NAME_SIZE]; /* legal name */
	char country[3];                 /* ISO code, upper case */
	char street[CPS_APP_NAME_SIZE];
	char postcode[CPS_APP_POSTCODE_SIZE];
	char city[CPS_APP_SHORT_SIZE];
	char first_name[CPS_APP_SHORT_SIZE];
	char last_name[CPS_APP_SHORT_SIZE];
	char email[CPS_EMAIL_MAX];
	char phone[CPS_PHONE_MAX];       /* "" when not given */
	char language[3];                /* en, nb, da; "" when not chosen */
	int vat_registered;              /* enum cps_vat_answer */
	char vat_number[CPS_IDENT_MAX];  /* VAT form, e.g. DK13585628 */
	int authorised;                  /* 1: "I am authorised ..." confirmed */
	char old_email[CPS_EMAIL_MAX];   /* "" when not given */
	char wizard_step[CPS_APP_STEP_SIZE]; /* where the UI resumes */

	/* kept by the engine (ignored by save_draft) */
	struct cps_document_info doc;
	time_t submitted_at;             /* 0: never submitted */
	char expected_by[CPS_YMD_SIZE];  /* YYYY-MM-DD, "" before submission */
	time_t decided_at;               /* 0: no decision */
	char decided_by[CPS_APP_SHORT_SIZE];
	char reject_reason[CPS_APP_REASON_SIZE];
	char id_override_by[CPS_APP_SHORT_SIZE]; /* staff who accepted the VAT number */
	time_t id_override_at;
	int has_password;
	time_t created_at;
	time_t updated_at;
	long long version;               /* counts the saves of the fields above */
};

/* Longest value kept as typed (cps_application_keep_typed), in bytes
 * with the NUL. */
#define CPS_APP_TYPED_SIZE 2048

/* The values the checks refused, exactly as they were typed: text[field]
 * is "" where the field holds no refused value. */
struct cps_app_typed {
	char text[CPS_FIELD_COUNT][CPS_APP_TYPED_SIZE];
};

/* One thing wrong with an application. */
struct cps_app_problem {
	enum cps_app_field field;
	char msg[CPS_APP_PROBLEM_SIZE];
};

/* Every thing wrong with an application, at most one per field, in the
 * order of the form. */
struct cps_app_problems {
	struct cps_app_problem v[CPS_FIELD_COUNT];
	size_t n;
};

/* The buffer of a's text field f and its size: every field held as text
 * (the language's code included), NULL with *size 0 for the yes/no
 * answers and the document. */
char *cps_app_field_text(struct cps_application *a, enum cps_app_field f, size_t *size);

/* --- names ---------------------------------------------------------------- */

/* The field's label, translated ("Company legal name", ...). */
const char *cps_app_field_label(enum cps_app_field field);
/* "draft", "pending", "validated", "rejected" (stable, not translated). */
const char *cps_app_status_id(enum cps_app_status status);
/* A translated description of the status for the customer. */
const char *cps_app_status_label(enum cps_app_status status);

/* The document type's stable id ("registration_certificate",
 * "vat_invoice", "business_invoice", "trade_licence",
 * "incorporation_extract"), "" for CPS_DOC_NONE. */
const char *cps_doc_type_id(enum cps_doc_type type);
/* Its translated label ("Registration certificate", ...). */
const char *cps_doc_type_label(enum cps_doc_type type);
/* The type with this id (any case), or CPS_DOC_NONE. */
enum cps_doc_type cps_doc_type_parse(const char *id);
/* 1 if the type is a proof document for this VAT answer, else 0
 * (always 0 while the VAT question is unanswered). */
int cps_doc_type_fits(enum cps_doc_type type, int vat_registered);

/* --- the application ---------------------------------------------------- */

/* Checks one field as the customer leaves it, for an inline message.
 * app gives the context (may be NULL): the country for the VAT number,
 * the VAT answer for the document type, and a staff override of the VAT
 * number.  A required field left empty is an error here (but not for
 * cps_application_save_draft).  On CPS_OK norm (may be NULL) gets the
 * normalised value: trimmed text, the upper-case country code, the VAT
 * form of the number, "yes"/"no" for yes/no fields.  CPS_ERR_INVALID
 * with the message to show otherwise. */
enum cps_err cps_application_check_field(struct cps_engine *e,
					 const struct cps_application *app,
					 enum cps_app_field field,
					 const char *value, char *norm,
					 size_t normlen, struct cps_error *err);

/* Saves app as a new draft (its status and engine-kept fields are
 * ignored).  Fields may be empty; a field that is filled in must be valid,
 * and the e-mail must not belong to another application.  On CPS_OK
 * app->id is set, app holds the normalised fields, and code_out (at least
 * CPS_RESUME_CODE_SIZE bytes) gets the resume code: it is shown once and
 * stored only hashed.  On failure nothing is stored; the message starts
 * with the field's label. */
enum cps_err cps_application_new_draft(struct cps_engine *e,
				       struct cps_application *app,
				       char *code_out, size_t len,
				       struct cps_error *err);

/* Saves the customer's fields of app (app->id) over a draft or a rejected
 * application, with the same checks as new_draft.  Changing the VAT number
 * ends a staff override of the old one.  CPS_ERR_STATE once submitted.
 * app->version is the version the caller loaded (0: not checked): when
 * another session saved the fields since, nothing is saved and the
 * answer is CPS_ERR_CONFLICT, so that nobody's answers are overwritten
 * with older ones; load again and apply the change to the new values. */
enum cps_err cps_application_save_draft(struct cps_engine *e,
					struct cps_application *app,
					struct cps_error *err);

/* Keeps text, a value the checks refused for a text field (company,
 * country, street, postcode, city, names, e-mail, phone, VAT number, old
 * e-mail), exactly as it was typed: the field's stored value is emptied in
 * the same transaction, so nothing older and accepted stands in for it,
 * and cps_application_validate lists it as a problem until a valid value
 * is saved (which drops the kept text) or the field is emptied (text ""
 * or NULL empties both).  At most CPS_APP_TYPED_SIZE - 1 bytes.  Only
 * while a draft or rejected (CPS_ERR_STATE). */
enum cps_err cps_application_keep_typed(struct cps_engine *e, long long id,
					enum cps_app_field field,
					const char *text,
					struct cps_error *err);
/* The values kept as typed for application id. */
enum cps_err cps_application_typed(struct cps_engine *e, long long id,
				   struct cps_app_typed *out,
				   struct cps_error *err);

/* Remembers where the wizard is (any status; printable ASCII, at most
 * CPS_APP_STEP_SIZE - 1 bytes). */
enum cps_err cps_application_set_step(struct cps_engine *e, long long id,
				      const char *step, struct cps_error *err);

/* Checks the whole application: every required field valid, the VAT
 * number when VAT-registered, a proof document of a type that fits the
 * VAT answer, the authority confirmed.  Fills problems (which may be
 * NULL) with every problem found; for a saved application (app->id) a
 * value kept as typed is a problem of its field, named with the reason it
 * was refused.  CPS_OK when there is none, else
 * CPS_ERR_INVALID with a summary in err. */
enum cps_err cps_application_validate(struct cps_engine *e,
				      const struct cps_application *app,
				      struct cps_app_problems *problems,
				      struct cps_error *err);

/* Submits a draft or a corrected rejected application once it is valid:
 * it becomes pending, submitted now, expected answer rules.validation_days
 * working days later in the company's country.  The remote hears of the
 * application and its document.  CPS_ERR_INVALID names the problems;
 * CPS_ERR_STATE when pending or validated already. */
enum cps_err cps_application_submit(struct cps_engine *e, long long id,
				    struct cps_error *err);

enum cps_err cps_application_load(struct cps_engine *e, long long id,
				  struct cps_application *app,
				  struct cps_error *err);
/* For staff and the sync: the application with this e-mail address.
 * CPS_ERR_NOT_FOUND when there is none. */
enum cps_err cps_application_find_by_email(struct cps_engine *e,
					   const char *email,
					   struct cps_application *app,
					   struct cps_error *err);

/* For staff: calls fn for every application waiting for validation,
 * oldest submission first (the queue).  fn returns non-zero to stop. */
enum cps_err cps_applications_pending(struct cps_engine *e,
				      int (*fn)(const struct cps_application *a, void *arg),
				      void *arg, struct cps_error *err);

/* For staff: calls fn for every account whose e-mail, company, VAT number
 * (the CVR or organisation number within it) or membership number (new or
 * old) contains query, in any case.  CPS_ERR_INVALID for an empty query.
 * fn returns non-zero to stop. */
enum cps_err cps_customers_find(struct cps_engine *e, const char *query,
				int (*fn)(const struct cps_application *a, void *arg),
				void *arg, struct cps_error *err);

/* The application this resume code belongs to (the code in any case, with
 * or without dashes).  CPS_ERR_INVALID for a malformed code, CPS_ERR_AUTH
 * for a code that fits no application, CPS_ERR_STATE once validated (the
 * customer logs in instead). */
enum cps_err cps_application_resume(struct cps_engine *e, const char *code,
				    struct cps_application *app,
				    struct cps_error *err);

/* --- the proof document ------------------------------------------------- */

/* Reads the file at path and stores it as the application's proof
 * document, replacing an earlier one.  It must be a PDF, JPEG or PNG (by
 * its content), not empty, at most rules.document_max_mib MiB, and of a
 * type that fits the VAT answer.  Only while a draft or rejected. */
enum cps_err cps_document_attach(struct cps_engine *e, long long account_id,
				 enum cps_doc_type type, const char *path,
				 struct cps_error *err);

/* Staff saw the paper document at the counter: records it in place of a
 * file. */
enum cps_err cps_document_seen_in_person(struct cps_engine *e,
					 long long account_id,
					 enum cps_doc_type type,
					 const char *staff_name,
					 struct cps_error *err);

/* --- staff decisions ---------------------------------------------------- */

/* Staff accept vat_number for this application although the offline check
 * refuses it (the number is real; staff checked it).  The number is stored
 * with who and when; from then on the check accepts exactly that number for
 * this application.  Only while a draft, rejected or pending. */
enum cps_err cps_application_override_id(struct cps_engine *e, long long id,
					 const char *vat_number,
					 const char *staff_name,
					 struct cps_error *err);

/* pending -> validated: queues the password-set message with a single-use
 * code valid for rules.token_hours, and tells the remote.  token_out (may
 * be NULL; else at least CPS_TOKEN_SIZE bytes) gets the code. */
enum cps_err cps_application_approve(struct cps_engine *e, long long id,
				     const char *staff_name, char *token_out,
				     size_t token_len, struct cps_error *err);

/* pending -> rejected with a reason (required), sent to the customer.
 * Every field stays for the correction. */
enum cps_err cps_application_reject(struct cps_engine *e, long long id,
				    const char *staff_name, const char *reason,
				    struct cps_error *err);

/* Staff correct the customer's old CPS e-mail after submission ("" clears
 * it); cps_migration_check() then answers for the new address.  Checked
 * as in the form; the audit log gets a line.  CPS_ERR_STATE for a draft
 * (the customer corrects it) and once the products have been migrated. */
enum cps_err cps_application_correct_old_email(struct cps_engine *e, long long id,
					       const char *old_email,
					       const char *staff_name,
					       struct cps_error *err);

/* --- password and login ------------------------------------------------- */

/* Sets the password of the validated account with this e-mail, using the
 * code from the password message.  CPS_ERR_STATE before validation;
 * CPS_ERR_AUTH for a wrong, used or expired code (each with its own
 * message); CPS_ERR_INVALID when the password does not follow the policy
 * (the code stays usable).  On success the code and every other open code
 * of the account are used up. */
enum cps_err cps_password_set_with_token(struct cps_engine *e,
					 const char *email, const char *token,
					 const char *password,
					 struct cps_error *err);

/* Sends a new code to set the password, for a validated account.
 * CPS_ERR_STATE before validation.  An unknown e-mail address is CPS_OK
 * and sends nothing, so that nobody learns which addresses have
 * accounts. */
enum cps_err cps_password_reset_request(struct cps_engine *e,
					const char *email,
					struct cps_error *err);

/* Staff give a customer who lost it a new resume code (before
 * validation): code_out (at least CPS_RESUME_CODE_SIZE bytes) gets it, to
 * show once; the old code no longer opens the application.  The audit log
 * gets a line.  CPS_ERR_STATE once validated (the customer logs in). */
enum cps_err cps_application_reissue_resume(struct cps_engine *e, long long id,
					    const char *staff_name, char *code_out,
					    size_t len, struct cps_error *err);

/* Staff give a validated customer a new code to set the password: it
 * waits as a message to hand over (like cps_password_reset_request), and
 * the audit log gets a line.  CPS_ERR_STATE before validation. */
enum cps_err cps_password_code_reissue(struct cps_engine *e, long long id,
				       const char *staff_name, struct cps_error *err);

/* Logs in with e-mail and password; app_out (may be NULL) gets the
 * account.  CPS_ERR_AUTH with the same message for a wrong e-mail or a
 * wrong password; CPS_ERR_BUSY, saying how many seconds to wait, while a
 * delay after CPS_LOGIN_FREE_TRIES wrong passwords in a row runs
 * (1, 2, 4, ... seconds, at most CPS_LOGIN_MAX_DELAY). */
enum cps_err cps_login(struct cps_engine *e, const char *email,
		       const char *password, struct cps_application *app_out,
		       struct cps_error *err);

#endif
