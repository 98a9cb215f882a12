/* fuzz_config.c - the configuration loader, text to struct: the pre-scan
 * of the ini file, iniparser, every value check, the level table, the
 * environment and --set overrides.
 *
 * The input up to its first NUL byte is written as cps.ini (mode 0600) in
 * the scratch folder and loaded with cps_config_load().  After the NUL,
 * each line is one more source: "CPSREG_X=v" an environment variable,
 * "section.key=v" a --set override, "mode=644" makes the file readable by
 * others (so the secret check runs).
 *
 * Properties: the result is one the header lists; *out is set exactly on
 * CPS_OK; diagnostics and views are NUL-terminated; a secret is never in
 * a view. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpsreg/config.h"
#include "fuzz.h"

#define MAX_EXTRA 16

static void look_at(const struct cps_config *cfg)
{
	char text[4096];

	for (size_t i = 0; i < cps_config_nkeys(); i++) {
		struct cps_key_view v;

		cps_config_key_view(cfg, i, &v);
		FZ_ASSERT(memchr(v.value, '\0', sizeof(v.value)) != NULL);
		FZ_ASSERT(memchr(v.source, '\0', sizeof(v.source)) != NULL);
		if (v.secret && cfg->remote_token && strlen(cfg->remote_token) >= 4)
			FZ_ASSERT(strstr(v.value, cfg->remote_token) == NULL);
	}
	FZ_ASSERT(cps_config_levels_text(cfg, text, sizeof(text)) <= sizeof(text));
	FZ_ASSERT(memchr(text, '\0', sizeof(text)) != NULL);
	FZ_ASSERT(cfg->nlevels >= 0 && cfg->nlevels <= CPS_MAX_LEVELS);
	for (int i = 0; i < cfg->nlevels; i++)
		FZ_ASSERT(cps_config_level(cfg, cfg->levels[i].id) != NULL);
	FZ_ASSERT(cfg->data_dir && *cfg->data_dir && cfg->database && *cfg->database &&
		  cfg->assets_dir && *cfg->assets_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t flen = nul ? (size_t)(nul - data) : size;
	char *env[MAX_EXTRA + 1];
	struct cps_setting set[MAX_EXTRA];
	size_t nenv = 0, nset = 0;
	struct cps_config_opts o = { 0 };
	struct cps_diags d = { 0 };
	struct cps_error err = { 0 };
	static struct cps_config not_set;
	struct cps_config *cfg = &not_set; /* the loader must set it */
	char *tail = NULL;
	int readable = 0;
	enum cps_err rc;

	if (size > 64 * 1024)
		return 0;
	if (nul) {
		tail = fz_cstr(nul + 1, size - flen - 1);
		for (char *line = tail, *next; line; line = next) {
			char *eq;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (strcmp(line, "mode=644") == 0) {
				readable = 1;
				continue;
			}
			eq = strchr(line, '=');
			if (!eq)
				continue;
			if (strncmp(line, "CPSREG_", 7) == 0) {
				if (nenv < MAX_EXTRA)
					env[nenv++] = line;
			} else if (nset < MAX_EXTRA) {
				*eq = '\0';
				set[nset].name = line;
				set[nset].value = eq + 1;
				nset++;
			}
		}
	}
	env[nenv] = NULL;

	o.config_path = fz_write("cps.ini", data, flen);
	if (readable)
		chmod(o.config_path, 0644);
	o.env = env;
	o.overrides = set;
	o.noverrides = nset;
	rc = cps_config_load(&cfg, &o, &d, &err);
	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID || rc == CPS_ERR_PERM ||
		  rc == CPS_ERR_IO);
	FZ_ASSERT((rc == CPS_OK) == (cfg != NULL));
	FZ_ASSERT(rc != CPS_OK || d.nerrors == 0);
	FZ_ASSERT(d.n <= d.cap && d.nerrors <= d.n);
	for (size_t i = 0; i < d.n; i++)
		FZ_ASSERT(memchr(d.v[i].text, '\0', sizeof(d.v[i].text)) != NULL);
	FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (cfg)
		look_at(cfg);
	cps_config_free(cfg);
	cps_diags_free(&d);
	free(tail);
	return 0;
}
