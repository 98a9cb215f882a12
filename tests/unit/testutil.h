/* testutil.h - small file helpers and engine fixtures shared by the unit
 * tests. */
#ifndef CPSREG_TESTUTIL_H
#define CPSREG_TESTUTIL_H

#include <stddef.h>
#include <time.h>

/* Makes a fresh folder under $TESTS_TMP (or /tmp) and writes its path. */
void tu_tempdir(char *buf, size_t len);
/* Removes a folder and everything in it. */
void tu_rmtree(const char *dir);
/* mkdir -p */
void tu_mkdirs(const char *dir);
/* Writes len bytes to path (replacing it); fails the test on error. */
void tu_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file; *len gets its size; free() the result.  NULL if missing. */
char *tu_read_file(const char *path, size_t *len);

#include "cpsreg/config.h"
#include "cpsreg/engine.h"

/* A fresh engine on the built-in defaults with its own database in a new
 * temporary folder (written to dir), assets from $CPSREG_ASSETS or
 * ./assets, and its clock fixed at now (0: the real clock).  Close with
 * tu_engine_free(). */
struct tu_engine {
	char dir[512];
	struct cps_config *cfg;
	struct cps_engine *e;
};
void tu_engine_new(struct tu_engine *t, time_t now);
void tu_engine_free(struct tu_engine *t);
/* Closes and reopens the engine on the same database (a restart). */
void tu_engine_reopen(struct tu_engine *t);

/* A new draft application made through the public API, with nothing but
 * this e-mail and country (NULL or "": not given): no document, not
 * submitted, so nothing goes to the outbox.  Enough to own products and
 * invoices.  Returns its id; fails the test on error. */
long long tu_account_draft(struct tu_engine *t, const char *email,
			   const char *country);

/* --- applications ------------------------------------------------------ */

#include "cpsreg/account.h"

/* The first bytes of a tiny PDF: enough for a proof document. */
extern const char tu_pdf_bytes[];
extern const size_t tu_pdf_len;

/* A complete application, as the engine stores it: a Danish company (CVR
 * 13585628, mette@hansen-foto.dk) and a Norwegian one (988077917MVA,
 * ola@nordlys.no) that gives its old CPS e-mail (ola@old-cps.example). */
void tu_fill_dk(struct cps_application *a);
void tu_fill_no(struct cps_application *a);

/* Makes a draft of a (a->id gets its id), attaches the PDF as its VAT
 * registration certificate and submits it; then approves it (staff "Anna
 * Berg") when validate >= 1 and sets password when validate >= 2.  Fails
 * the test on any error.  Returns the id. */
long long tu_account(struct tu_engine *t, struct cps_application *a,
		     int validate, const char *password);

/* The newest undelivered message (tu_last_message fails the test when
 * there is none). */
struct tu_message {
	int n;              /* messages waiting */
	char kind[32];
	char recipient[256];
	char subject[256];
	char body[4096];
};
void tu_last_message(struct tu_engine *t, struct tu_message *m);

/* The id of the catalog model with this name; fails the test if none. */
long long tu_model(struct tu_engine *t, const char *name);

/* The kind and payload of the newest outbox row, read straight from the
 * database (nothing in the engine needs this query). */
void tu_last_outbox(struct tu_engine *t, char *kind, size_t klen,
		    char *payload, size_t plen);

/* --- clean-up ------------------------------------------------------------
 *
 * A failed assertion leaves its test at once, before its own clean-up.
 * Every folder tu_tempdir() makes and every engine tu_engine_new() opens
 * is remembered until freed; tu_cleanup(), a cmocka teardown, frees what
 * a test left behind.  Use it as the teardown of every test
 * (cmocka_unit_test_teardown(fn, tu_cleanup)) or call it from your own. */
int tu_cleanup(void **state);

#endif
