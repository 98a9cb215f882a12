/* engine.c - opening and closing the engine, the clock, the countries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpsreg/catalog.h"
#include "cpsreg/csv.h"
#include "cpsreg/i18n.h"
#include "engine_private.h"

static char *asset_path(const struct cps_config *cfg, const char *name)
{
	size_t n = strlen(cfg->assets_dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", cfg->assets_dir, name);
	return p;
}

static enum cps_err load_countries(struct cps_engine *e, struct cps_error *err)
{
	struct cps_csv_column cols[] = {
		{ .name = "code", .required = 1 },
		{ .name = "name", .required = 1 },
		{ .name = "cps", .required = 1 },
	};
	struct cps_csv *c;
	struct cps_csv_row row;
	size_t cap = 0;
	enum cps_err rc;
	char *path = asset_path(e->cfg, "countries.csv");

	if (!path)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	rc = cps_csv_open(&c, path, CPS_CSV_COMMENTS, err);
	if (rc != CPS_OK) {
		cps_error_prefix(err, _("the list of countries is missing (check general.assets_dir)"));
		free(path);
		return rc;
	}
	rc = cps_csv_header(c, cols, 3, err);
	while (rc == CPS_OK && (rc = cps_csv_next(c, &row, err)) == CPS_OK) {
		const char *code = cps_csv_get(&row, &cols[0]);
		const char *name = cps_csv_get(&row, &cols[1]);
		const char *cps = cps_csv_get(&row, &cols[2]);
		if (strlen(code) != 2 || strlen(name) >= sizeof(e->countries[0].name) ||
		    (strcmp(cps, "0") != 0 && strcmp(cps, "1") != 0)) {
			rc = cps_csv_error(c, row.line, err, CPS_ERR_INVALID, "%s",
					   _("expected a two-letter code, a name and cps 0 or 1"));
			break;
		}
		if (e->ncountries == cap) {
			cap = cap ? cap * 2 : 64;
			struct cps_country *v = realloc(e->countries, cap * sizeof(*v));
			if (!v) {
				rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
				break;
			}
			e->countries = v;
		}
		struct cps_country *k = &e->countries[e->ncountries++];
		k->code[0] = (char)(code[0] & ~0x20);
		k->code[1] = (char)(code[1] & ~0x20);
		k->code[2] = '\0';
		snprintf(k->name, sizeof(k->name), "%s", name);
		k->cps = cps[0] == '1';
	}
	cps_csv_free(c);
	free(path);
	return rc == CPS_CSV_END ? CPS_OK : rc;
}

enum cps_err cps_engine_open(struct cps_engine **out, const struct cps_config *cfg,
			     struct cps_error *err)
{
	struct cps_engine *e = calloc(1, sizeof(*e));
	enum cps_err rc;

	*out = NULL;
	if (!e)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	e->cfg = cfg;
	rc = cps_store_open(&e->store, cfg->database, err);
	if (rc == CPS_OK)
		rc = load_countries(e, err);
	if (rc == CPS_OK)
		rc = cps_catalog_load_default(e, err);
	if (rc == CPS_OK) {
		char *path = asset_path(cfg, "holidays.csv");
		rc = path ? cps_holidays_load(path, &e->holidays, err)
			  : cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		free(path);
	}
	if (rc != CPS_OK) {
		cps_engine_close(e);
		return rc;
	}
	*out = e;
	return CPS_OK;
}

void cps_engine_close(struct cps_engine *e)
{
	if (!e)
		return;
	cps_store_close(e->store);
	cps_holidays_free(e->holidays);
	free(e->countries);
	free(e);
}

time_t cps_engine_now(const struct cps_engine *e)
{
	return e->fixed_now ? e->fixed_now : time(NULL);
}

void cps_engine_set_now(struct cps_engine *e, time_t now)
{
	e->fixed_now = now;
}

size_t cps_country_count(const struct cps_engine *e)
{
	return e->ncountries;
}

const struct cps_country *cps_country_at(const struct cps_engine *e, size_t i)
{
	return i < e->ncountries ? &e->countries[i] : NULL;
}

const struct cps_country *cps_country_find(const struct cps_engine *e, const char *code)
{
	for (size_t i = 0; code && i < e->ncountries; i++)
		if (strcasecmp(e->countries[i].code, code) == 0)
			return &e->countries[i];
	return NULL;
}
