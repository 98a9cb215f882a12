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
#include "testutil.h"

void tu_tempdir(char *buf, size_t len)
{
	const char *base = getenv("TESTS_TMP");

	if (!base || !*base)
		base = "/tmp";
	tu_mkdirs(base);
	snprintf(buf, len, "%s/unit.XXXXXX", base);
	if (!mkdtemp(buf))
		fail_msg("mkdtemp %s: %s", buf, strerror(errno));
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

	if (cps_engine_open(&t->e, t->cfg, &err) != CPS_OK)
		fail_msg("cps_engine_open: %s", err.msg);
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

	cps_engine_close(t->e);
	t->e = NULL;
	tu_engine_open(t, now);
}

void tu_engine_free(struct tu_engine *t)
{
	cps_engine_close(t->e);
	cps_config_free(t->cfg);
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
