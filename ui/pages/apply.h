/* apply.h - what the application's pages share: the form (page_apply.c),
 * the review (page_review.c) and the page that confirms it was sent
 * (page_submitted.c). */
#ifndef CPSREG_UI_APPLY_H
#define CPSREG_UI_APPLY_H

#include "cpsreg/account.h"
#include "frame.h"

#define APPLY_SCREENS 3
#define APPLY_LAST_ROW 17       /* row 18 holds Back and Next */

/* What the form held when the customer last left it for the review: typed
 * text the engine did not take (it is not stored), the kind of document
 * chosen before its file.  Kept in the session for the same application
 * only; the store is the truth after a restart. */
struct apply_memo {
	long long account_id;
	char text[CPS_FIELD_COUNT][W_VALUE_MAX];
	char err[CPS_FIELD_COUNT][CPS_ERROR_MAX];
	enum cps_doc_type doc_type;
	char attached_path[W_VALUE_MAX];
	enum cps_doc_type attached_type;
};

/* The memo of the application at the screen, or NULL when there is none. */
const struct apply_memo *apply_memo(struct app *a);
/* The first line of the pages: the resume code, or that it is coming. */
void apply_code_line(struct app *a);
/* A country's name for its code (the code itself when it is unknown). */
const char *apply_country_name(struct app *a, const char *code);
/* The customer's text field f of p (its size in *size), NULL for the
 * fields that are not typed text. */
char *apply_field_buf(struct cps_application *p, enum cps_app_field f, size_t *size);
/* The name of the country's business identifier, with a capital. */
void apply_ident_label(const char *country, char *out, size_t len);

#endif
