/* engine.c - opening and closing the engine, the clock, the countries. */
#include <jansson.h>
#include <libintl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cpsreg/catalog.h"
#include "cpsreg/csv.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/text.h"
#include "cpsreg/cpsreg.h"
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
		for (int l = 0; l < CPS_LANGS; l++)
			snprintf(k->names[l], sizeof(k->names[l]), "%s", name);
		k->cps = cps[0] == '1';
	}
	cps_csv_free(c);
	free(path);
	return rc == CPS_CSV_END ? CPS_OK : rc;
}

#define ISO_DOMAIN "iso_3166-1"

/* The English name iso-codes gives the country with this code, or NULL:
 * the everyday name where it has one ("Moldova", not "Moldova, Republic
 * of"), which is also a msgid of its translations. */
static const char *iso_name(json_t *list, const char *code)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		const char *a2 = json_string_value(json_object_get(v, "alpha_2"));
		if (a2 && !strcmp(a2, code)) {
			const char *n = json_string_value(json_object_get(v, "common_name"));
			return n ? n : json_string_value(json_object_get(v, "name"));
		}
	}
	return NULL;
}

/* The whole of a small file, NUL-terminated, or NULL: a buffer of the
 * file's own size, not of the largest size allowed. */
static char *read_small_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && (size_t)st.st_size <= max) {
		/* one byte more shows a file that grew since */
		buf = malloc((size_t)st.st_size + 2);
		n = buf ? fread(buf, 1, (size_t)st.st_size + 1, f) : 0;
	}
	fclose(f);
	if (buf && (n == 0 || n > (size_t)st.st_size)) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[n] = '\0';
	return buf;
}

static const char *skip_space(const char *p)
{
	return p + strspn(p, " \t\r\n");
}

/* Four hex digits of a \u escape, or -1. */
static long hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The JSON string at *p (its opening quote), decoded into out (cap bytes
 * with the NUL); *p moves past it.  0 when it is not a whole string, is
 * not UTF-8, holds a NUL or does not fit: the caller then leaves the file
 * to jansson. */
static int json_text(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	int ascii = 1;

	if (*s++ != '"')
		return 0;
	for (;;) {
		unsigned char c = (unsigned char)*s++;
		long cp;

		if (c == '"')
			break;
		if (c < 0x20)   /* a control character, or the buffer's end */
			return 0;
		if (c != '\\') {
			if (n + 1 >= cap)
				return 0;
			out[n++] = (char)c;
			ascii &= c < 0x80;
			continue;
		}
		switch (*s++) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			cp = hex4(s);
			s += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return 0;   /* the second half of a pair alone */
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				long lo = s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;

				if (lo < 0xDC00 || lo > 0xDFFF)
					return 0;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			}
			break;
		default:
			return 0;
		}
		if (cp <= 0 || n + 5 >= cap)
			return 0;
		if (cp < 0x80) {
			out[n++] = (char)cp;
		} else if (cp < 0x800) {
			out[n++] = (char)(0xC0 | cp >> 6);
			out[n++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[n++] = (char)(0xE0 | cp >> 12);
			out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
			out[n++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[n++] = (char)(0xF0 | cp >> 18);
			out[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
			out[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
			out[n++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[n] = '\0';
	/* what the escapes wrote is UTF-8 by construction */
	if (!ascii && !cps_utf8_valid(out, n))
		return 0;
	*p = s;
	return 1;
}

/* One country object of iso-codes at p (its '{'): its alpha_2 and its
 * everyday English name (common_name, else name; a key given twice counts
 * its last value, as jansson does).  Every value must be a string, as
 * iso-codes writes them; anything else returns 0. */
static int iso_object(const char *p, char a2[3], char *en, size_t encap)
{
	char key[32], val[256], common[256] = "", name[256] = "";

	a2[0] = '\0';
	p = skip_space(p + 1);
	if (*p == '}')
		return 0;
	for (;;) {
		if (!json_text(&p, key, sizeof(key)))
			return 0;
		p = skip_space(p);
		if (*p++ != ':')
			return 0;
		p = skip_space(p);
		if (!json_text(&p, val, sizeof(val)))
			return 0;
		if (!strcmp(key, "alpha_2")) {
			a2[0] = strlen(val) == 2 ? val[0] : '\0';
			a2[1] = val[1];
			a2[2] = '\0';
		}
		else if (!strcmp(key, "common_name"))
			memcpy(common, val, sizeof(val));
		else if (!strcmp(key, "name"))
			memcpy(name, val, sizeof(val));
		p = skip_space(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return 0;
		p = skip_space(p);
	}
	snprintf(en, encap, "%s", common[0] ? common : name);
	return a2[0] && en[0];
}

/* The English names of the engine's countries from iso-codes' file
 * without building jansson's tree of it (some 250 countries in 43 KB:
 * that was half of the work before the first screen), nor a tree of each
 * of ours (still a fifth of it): the object around each "alpha_2" of one
 * of ours is read alone, and must be a whole object of strings with that
 * code.  0 when the file is laid out otherwise or lacks one of ours: the
 * caller then parses it whole. */
static int quick_names(struct cps_engine *e, const char *path)
{
	static const char key[] = "\"alpha_2\"";
	char *buf = read_small_file(path, 1u << 20);
	unsigned char *seen = calloc(e->ncountries ? e->ncountries : 1, 1);
	size_t found = 0;
	int ok = buf && seen;

	for (const char *p = ok ? strstr(buf, key) : NULL; p && ok; p = strstr(p + 1, key)) {
		const char *v = p + sizeof(key) - 1, *open = p;
		char a2[3], en[sizeof(e->countries[0].names[0])];
		size_t i;

		v += strspn(v, " \t\r\n");
		if (*v++ != ':')
			break;
		v += strspn(v, " \t\r\n");
		if (v[0] != '"' || !v[1] || !v[2] || v[3] != '"')
			break;
		for (i = 0; i < e->ncountries; i++)
			if (e->countries[i].code[0] == v[1] && e->countries[i].code[1] == v[2])
				break;
		if (i == e->ncountries)
			continue;   /* not a country of ours */
		while (open > buf && *open != '{')
			open--;
		/* a brace inside a string before the code would start the
		 * object in the wrong place: then it does not read as one, or
		 * not as this country's */
		ok = *open == '{' && iso_object(open, a2, en, sizeof(en)) &&
		     strcmp(a2, e->countries[i].code) == 0;
		if (ok) {
			memcpy(e->countries[i].names[CPS_LANG_EN], en, sizeof(en));
			found += !seen[i];
			seen[i] = 1;
		}
	}
	free(seen);
	free(buf);
	return ok && found == e->ncountries;
}

/* Names from Debian's iso-codes and its nb/da translations.  Not there or
 * unreadable: the English names of the CSV stay, and the engine says so
 * (a warning, not an error: the program still works in English). */
static void load_country_names(struct cps_engine *e)
{
	const char *dir = e->cfg->iso_codes_dir ? e->cfg->iso_codes_dir : "";
	size_t n = strlen(dir) + sizeof("/iso_3166-1.json");
	char *path = malloc(n);
	json_error_t jerr;
	json_t *root = NULL, *list = NULL;
	int quick = 0;

	if (path) {
		snprintf(path, n, "%s/iso_3166-1.json", dir);
		quick = quick_names(e, path);
		if (!quick)
			root = json_load_file(path, 0, &jerr);
	}
	if (!quick)
		list = json_object_get(root, "3166-1");
	if (!quick && !json_is_array(list)) {
		snprintf(e->warning, sizeof(e->warning),
			 _("the country names in Norwegian and Danish could not be read from %s (install the iso-codes package); countries are shown in English"),
			 path ? path : dir);
		json_decref(root);
		free(path);
		return;
	}
	for (size_t i = 0; i < e->ncountries && !quick; i++) {
		struct cps_country *c = &e->countries[i];
		const char *en = iso_name(list, c->code);
		if (en)
			snprintf(c->names[CPS_LANG_EN], sizeof(c->names[0]), "%s", en);
	}
	/* translated when a country is first asked for (translate_names) */
	e->names_pending = 1;
	json_decref(root);
	free(path);
}

/* The Norwegian and Danish names from iso-codes' translations, the first
 * time a country is asked for: two catalogues to open and a hundred
 * lookups that the first screen, which shows no country, need not wait
 * for.  The engine is never a const object (cps_engine_open allocates
 * it), so filling in what it owes through a const pointer is sound. */
static void translate_names(const struct cps_engine *ce)
{
	struct cps_engine *e = (struct cps_engine *)ce;

	if (!e->names_pending)
		return;
	e->names_pending = 0;
	/* each language once: gettext forgets its lookups at every switch */
	bind_textdomain_codeset(ISO_DOMAIN, "UTF-8");
	for (int l = CPS_LANG_NB; l < CPS_LANGS; l++) {
		struct cps_lang_saved ls;

		cps_lang_push(cps_lang_code(l), &ls);
		for (size_t i = 0; i < e->ncountries; i++) {
			struct cps_country *c = &e->countries[i];
			snprintf(c->names[l], sizeof(c->names[l]), "%s",
				 dgettext(ISO_DOMAIN, c->names[CPS_LANG_EN]));
		}
		cps_lang_pop(&ls);
	}
}

const char *cps_country_name(const struct cps_country *c)
{
	return c->names[cps_lang_current()];
}

const char *cps_engine_warning(const struct cps_engine *e)
{
	return e->warning[0] ? e->warning : NULL;
}

/* The process's malloc, as the engine's bulk work wants it.  By default
 * glibc gives memory freed at the top of the heap back to the system
 * beyond 128 KiB, and serves blocks from 128 KiB up (a threshold that
 * moves with use) from mappings of their own that are unmapped when
 * freed; either way the pages are faulted in again when taken next.
 * MIGRATE PRODUCTS takes and frees about 100 KB per outbox row, and
 * SQLite the same for the row it writes: here the freed memory stays (up
 * to 2 MiB), and blocks up to 1 MiB come from the heap.  Measured: a
 * sixth of MIGRATE PRODUCTS, together with its small page cache
 * (cps_store_migration_mode); the imports are unchanged.  Other C
 * libraries keep their own ways. */
static void memory_policy(void)
{
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 2 << 20);
#endif
}

enum cps_err cps_engine_open(struct cps_engine **out, const struct cps_config *cfg,
			     struct cps_error *err)
{
	struct cps_engine *e = calloc(1, sizeof(*e));
	enum cps_err rc;

	*out = NULL;
	if (!e)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	memory_policy();
	e->cfg = cfg;
	/* a shop's staff share the database through their group */
	rc = cps_store_share_folder(cfg->database, cfg->group, err);
	if (rc == CPS_OK)
		rc = cps_store_open_shop(&e->store, cfg->database, cfg->group, err);
	if (rc == CPS_OK)
		rc = load_countries(e, err);
	if (rc == CPS_OK)
		load_country_names(e);
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
	cps_catalog_names_free(e->catalog_names);
	cps_holidays_free(e->holidays);
	free(e->countries);
	free(e);
}

time_t cps_engine_now(const struct cps_engine *e)
{
	return e->fixed_now ? e->fixed_now : time(NULL);
}

enum cps_err cps_engine_today(struct cps_engine *e, struct cps_ymd *out)
{
	time_t now = cps_engine_now(e);
	enum cps_err rc;

	if (now != 0 && now == e->today_at) {
		*out = e->today;
		return CPS_OK;
	}
	rc = cps_ymd_from_time(now, out);
	if (rc == CPS_OK) {
		e->today_at = now;
		e->today = *out;
	}
	return rc;
}

void cps_engine_set_now(struct cps_engine *e, time_t now)
{
	e->fixed_now = now;
}

int cps_engine_busy_timeout(struct cps_engine *e, int ms)
{
	return cps_store_busy_timeout(e->store, ms);
}

size_t cps_country_count(const struct cps_engine *e)
{
	return e->ncountries;
}

const struct cps_country *cps_country_at(const struct cps_engine *e, size_t i)
{
	translate_names(e);
	return i < e->ncountries ? &e->countries[i] : NULL;
}

const struct cps_country *cps_country_find(const struct cps_engine *e, const char *code)
{
	translate_names(e);
	for (size_t i = 0; code && i < e->ncountries; i++)
		if (strcasecmp(e->countries[i].code, code) == 0)
			return &e->countries[i];
	return NULL;
}
