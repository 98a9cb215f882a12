/* testutil.c - small file helpers and engine fixtures shared by the unit
 * tests. */
#define _DEFAULT_SOURCE 1 /* mkdtemp, nftw flags */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/message.h"
#include "engine_private.h"
#include "store_private.h"
#include "testutil.h"

/* What a test made and has not freed yet (see tu_cleanup). */
#define TU_MAX_LEFT 32
static struct left {
	char dir[512];
	struct cps_engine *e;
	struct cps_config *cfg;
} left[TU_MAX_LEFT];

static struct left *left_find(const char *dir)
{
	for (size_t i = 0; i < TU_MAX_LEFT; i++)
		if (left[i].dir[0] && strcmp(left[i].dir, dir) == 0)
			return &left[i];
	return NULL;
}

static void left_add(const char *dir)
{
	for (size_t i = 0; i < TU_MAX_LEFT; i++) {
		if (!left[i].dir[0]) {
			snprintf(left[i].dir, sizeof(left[i].dir), "%s", dir);
			return;
		}
	}
}

static void left_forget(const char *dir)
{
	struct left *l = left_find(dir);

	if (l)
		memset(l, 0, sizeof(*l));
}

int tu_cleanup(void **state)
{
	(void)state;
	for (size_t i = 0; i < TU_MAX_LEFT; i++) {
		if (!left[i].dir[0])
			continue;
		cps_engine_close(left[i].e);
		cps_config_free(left[i].cfg);
		tu_rmtree(left[i].dir);
		memset(&left[i], 0, sizeof(left[i]));
	}
	return 0;
}

void tu_tempdir(char *buf, size_t len)
{
	const char *base = getenv("TESTS_TMP");

	if (!base || !*base)
		base = "/tmp";
	tu_mkdirs(base);
	snprintf(buf, len, "%s/unit.XXXXXX", base);
	if (!mkdtemp(buf))
		fail_msg("mkdtemp %s: %s", buf, strerror(errno));
	left_add(buf);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	chmod(path, 0600);
	return unlink(path);
}

void tu_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	left_forget(dir);
}

void tu_mkdirs(const char *dir)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", tmp, strerror(errno));
}

void tu_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	if (len && fwrite(data, 1, len, f) != len)
		fail_msg("short write to %s", path);
	fclose(f);
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t r = fread(buf + n, 1, 4096, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void tu_engine_open(struct tu_engine *t, time_t now)
{
	struct cps_error err = { 0 };

	struct left *l = left_find(t->dir);

	if (l)
		l->cfg = t->cfg;
	if (cps_engine_open(&t->e, t->cfg, &err) != CPS_OK)
		fail_msg("cps_engine_open: %s", err.msg);
	if (l)
		l->e = t->e;
	if (now)
		cps_engine_set_now(t->e, now);
}

static void replace(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

void tu_engine_new(struct tu_engine *t, time_t now)
{
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	const char *assets = getenv("CPSREG_ASSETS");
	char db[700];

	memset(t, 0, sizeof(*t));
	tu_tempdir(t->dir, sizeof(t->dir));
	o.env = env;
	assert_int_equal(cps_config_defaults(&t->cfg, &o, NULL), CPS_OK);
	snprintf(db, sizeof(db), "%s/test.db", t->dir);
	replace(&t->cfg->database, db);
	replace(&t->cfg->data_dir, t->dir);
	replace(&t->cfg->assets_dir, assets && *assets ? assets : "assets");
	tu_engine_open(t, now);
}

void tu_engine_reopen(struct tu_engine *t)
{
	time_t now = cps_engine_now(t->e);

	struct left *l = left_find(t->dir);

	cps_engine_close(t->e);
	t->e = NULL;
	if (l)
		l->e = NULL;
	tu_engine_open(t, now);
}

void tu_engine_free(struct tu_engine *t)
{
	cps_engine_close(t->e);
	cps_config_free(t->cfg);
	left_forget(t->dir);
	tu_rmtree(t->dir);
	memset(t, 0, sizeof(*t));
}

long long tu_account_draft(struct tu_engine *t, const char *email,
			   const char *country)
{
	struct cps_application a;
	struct cps_error err = { 0 };
	char code[CPS_RESUME_CODE_SIZE];

	memset(&a, 0, sizeof(a));
	a.vat_registered = CPS_VAT_UNANSWERED;
	snprintf(a.email, sizeof(a.email), "%s", email ? email : "");
	snprintf(a.country, sizeof(a.country), "%s", country ? country : "");
	if (cps_application_new_draft(t->e, &a, code, sizeof(code), &err) != CPS_OK)
		fail_msg("draft account %s: %s", email ? email : "(no e-mail)", err.msg);
	return a.id;
}

/* --- applications ---------------------------------------------------------- */

const char tu_pdf_bytes[] =
	"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const size_t tu_pdf_len = sizeof(tu_pdf_bytes) - 1;

void tu_fill_dk(struct cps_application *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->company, sizeof(a->company), "Fotograf Hansen ApS");
	snprintf(a->country, sizeof(a->country), "DK");
	snprintf(a->street, sizeof(a->street), "Vesterbrogade 1");
	snprintf(a->postcode, sizeof(a->postcode), "1620");
	snprintf(a->city, sizeof(a->city), "København V");
	snprintf(a->first_name, sizeof(a->first_name), "Mette");
	snprintf(a->last_name, sizeof(a->last_name), "Hansen");
	snprintf(a->email, sizeof(a->email), "mette@hansen-foto.dk");
	snprintf(a->language, sizeof(a->language), "da");
	a->vat_registered = CPS_VAT_YES;
	snprintf(a->vat_number, sizeof(a->vat_number), "13585628");
	a->authorised = 1;
}

void tu_fill_no(struct cps_application *a)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->company, sizeof(a->company), "Nordlys Foto AS");
	snprintf(a->country, sizeof(a->country), "NO");
	snprintf(a->street, sizeof(a->street), "Karl Johans gate 1");
	snprintf(a->postcode, sizeof(a->postcode), "0154");
	snprintf(a->city, sizeof(a->city), "Oslo");
	snprintf(a->first_name, sizeof(a->first_name), "Ola");
	snprintf(a->last_name, sizeof(a->last_name), "Nordmann");
	snprintf(a->email, sizeof(a->email), "ola@nordlys.no");
	snprintf(a->language, sizeof(a->language), "nb");
	a->vat_registered = CPS_VAT_YES;
	snprintf(a->vat_number, sizeof(a->vat_number), "988077917MVA");
	a->authorised = 1;
	snprintf(a->old_email, sizeof(a->old_email), "ola@old-cps.example");
}

long long tu_account(struct tu_engine *t, struct cps_application *a,
		     int validate, const char *password)
{
	struct cps_error err = { 0 };
	char code[CPS_RESUME_CODE_SIZE], token[CPS_TOKEN_SIZE], path[700];

	if (cps_application_new_draft(t->e, a, code, sizeof(code), &err) != CPS_OK)
		fail_msg("draft %s: %s", a->email, err.msg);
	snprintf(path, sizeof(path), "%s/certificate.pdf", t->dir);
	tu_write_file(path, tu_pdf_bytes, tu_pdf_len);
	if (cps_document_attach(t->e, a->id, CPS_DOC_REGISTRATION_CERTIFICATE, path, &err) != CPS_OK)
		fail_msg("attach: %s", err.msg);
	if (cps_application_submit(t->e, a->id, &err) != CPS_OK)
		fail_msg("submit: %s", err.msg);
	if (validate >= 1 &&
	    cps_application_approve(t->e, a->id, "Anna Berg", token, sizeof(token), &err) != CPS_OK)
		fail_msg("approve: %s", err.msg);
	if (validate >= 2 &&
	    cps_password_set_with_token(t->e, a->email, token, password, &err) != CPS_OK)
		fail_msg("password: %s", err.msg);
	return a->id;
}

static int keep_last(const struct cps_message *m, void *arg)
{
	struct tu_message *l = arg;

	l->n++;
	snprintf(l->kind, sizeof(l->kind), "%s", m->kind);
	snprintf(l->recipient, sizeof(l->recipient), "%s", m->recipient);
	snprintf(l->subject, sizeof(l->subject), "%s", m->subject);
	snprintf(l->body, sizeof(l->body), "%s", m->body);
	return 0;
}

void tu_last_message(struct tu_engine *t, struct tu_message *m)
{
	struct cps_error err = { 0 };

	memset(m, 0, sizeof(*m));
	assert_int_equal(cps_messages_pending(t->e, NULL, keep_last, m, &err), CPS_OK);
	assert_true(m->n > 0);
}

long long tu_model(struct tu_engine *t, const char *name)
{
	struct cps_catalog_item it;
	struct cps_error err = { 0 };

	if (cps_catalog_get_model(t->e, name, &it, &err) != CPS_OK)
		fail_msg("model %s: %s", name, err.msg);
	return it.id;
}

void tu_last_outbox(struct tu_engine *t, char *kind, size_t klen,
		    char *payload, size_t plen)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(t->e->store),
		"SELECT kind, payload FROM outbox ORDER BY id DESC LIMIT 1", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(kind, klen, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(payload, plen, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
}
