/* test_catalog.c - the product catalog: the default load from assets/,
 * imports of newer files (all or nothing, line-numbered problems), the
 * type-ahead search with its folding, categories and serial patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cpsreg/catalog.h"
#include "cpsreg/engine.h"
#include "cpsreg/store.h"
#include "../../src/engine_private.h"
#include "../../src/store_private.h"
#include "testutil.h"

#define NOW 1790000000 /* 2026-09-21 */

static const char header[] = "model,category,points,release_year,serial_pattern\n";

/* Writes text to dir/name and puts the path into path. */
static void write_csv(const struct tu_engine *t, const char *name, const char *text,
		      char *path, size_t len)
{
	snprintf(path, len, "%s/%s", t->dir, name);
	tu_write_file(path, text, strlen(text));
}

static size_t count(struct tu_engine *t, int active_only)
{
	size_t n = 0;
	struct cps_error err = { 0 };

	assert_int_equal(cps_catalog_count(t->e, active_only, &n, &err), CPS_OK);
	return n;
}

static void meta(struct tu_engine *t, char *buf, size_t len)
{
	struct cps_error err = { 0 };

	assert_int_equal(cps_store_meta_get(t->e->store, "catalog_imported_at", buf, len, &err),
			 CPS_OK);
}

/* Models in assets/catalog.csv: its data lines after the header. */
static size_t asset_models(void)
{
	size_t len, n = 0;
	char *text = tu_read_file("assets/catalog.csv", &len);
	char *p;

	assert_non_null(text);
	p = strstr(text, "\nmodel,");
	assert_non_null(p);
	for (p = strchr(p + 1, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
		n++;
	free(text);
	return n;
}

static void test_default_catalog_loaded(void **state)
{
	struct tu_engine t;
	struct cps_catalog_item it;
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	char when[64], path[700];

	(void)state;
	tu_engine_new(&t, NOW);
	assert_true(asset_models() >= 240);
	assert_int_equal(count(&t, 0), asset_models());
	assert_int_equal(count(&t, 1), asset_models());
	meta(&t, when, sizeof(when));
	assert_int_equal(strlen(when), 20);         /* 2026-11-22T03:10:53Z */

	assert_int_equal(cps_catalog_get_model(t.e, "EOS R5", &it, &err), CPS_OK);
	assert_string_equal(it.model, "EOS R5");
	assert_int_equal(it.category, CPS_CAT_BODY);
	assert_int_equal(it.points, 700);
	assert_int_equal(it.release_year, 2020);
	assert_string_equal(it.serial_pattern, "d12|d10");
	assert_true(it.active);
	assert_int_equal(cps_catalog_get_model(t.e, "  eos   r5 ", &it, &err), CPS_OK);
	assert_string_equal(it.model, "EOS R5");
	struct cps_catalog_item by_id;
	assert_int_equal(cps_catalog_get(t.e, it.id, &by_id, &err), CPS_OK);
	assert_string_equal(by_id.model, "EOS R5");
	assert_int_equal(cps_catalog_get(t.e, 999999, &by_id, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_catalog_get_model(t.e, "EOS R99", &by_id, &err), CPS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "not in the catalog"));

	/* once filled, opening again does not load the assets over a newer
	 * import */
	write_csv(&t, "small.csv", "model,category,points,release_year,serial_pattern\n"
		  "EOS R5,body,700,2020,d12|d10\n", path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	assert_int_equal(count(&t, 1), 1);
	tu_engine_reopen(&t);
	assert_int_equal(count(&t, 1), 1);
	assert_int_equal(count(&t, 0), asset_models());
	tu_engine_free(&t);
}

static void test_missing_catalog_reported(void **state)
{
	struct tu_engine t;
	struct cps_engine *e = NULL;
	struct cps_error err = { 0 };
	char assets[600], buf[700];
	size_t len;

	(void)state;
	tu_engine_new(&t, NOW);
	cps_engine_close(t.e);
	t.e = NULL;
	/* assets with countries but without catalog.csv, and a new database */
	snprintf(assets, sizeof(assets), "%s/assets", t.dir);
	tu_mkdirs(assets);
	char *countries = tu_read_file("assets/countries.csv", &len);
	assert_non_null(countries);
	snprintf(buf, sizeof(buf), "%s/countries.csv", assets);
	tu_write_file(buf, countries, len);
	free(countries);
	free(t.cfg->assets_dir);
	t.cfg->assets_dir = strdup(assets);
	free(t.cfg->database);
	snprintf(buf, sizeof(buf), "%s/other.db", t.dir);
	t.cfg->database = strdup(buf);
	assert_int_equal(cps_engine_open(&e, t.cfg, &err), CPS_ERR_IO);
	assert_null(e);
	assert_non_null(strstr(err.msg, "product catalog"));
	assert_non_null(strstr(err.msg, "general.assets_dir"));

	/* a broken catalog.csv is named with its line */
	snprintf(buf, sizeof(buf), "%s/catalog.csv", assets);
	static const char broken[] = "model,category,points,release_year,serial_pattern\n"
				     "EOS R5,camera,700,2020,\n";
	tu_write_file(buf, broken, strlen(broken));
	assert_int_equal(cps_engine_open(&e, t.cfg, &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "catalog.csv:2:"));
	assert_non_null(strstr(err.msg, "camera"));
	tu_engine_free(&t);
}

static void test_categories(void **state)
{
	enum cps_category c;

	(void)state;
	assert_string_equal(cps_catalog_category_name(CPS_CAT_LENS), "Lens");
	assert_string_equal(cps_catalog_category_name(CPS_CAT_BODY), "Camera body");
	assert_string_equal(cps_catalog_category_id(CPS_CAT_PRINTER), "printer");
	assert_int_equal(cps_catalog_category_parse("Cinema", &c), CPS_OK);
	assert_int_equal(c, CPS_CAT_CINEMA);
	assert_int_equal(cps_catalog_category_parse("flash", &c), CPS_OK);
	assert_int_equal(c, CPS_CAT_FLASH);
	assert_int_equal(cps_catalog_category_parse("other", &c), CPS_OK);
	assert_int_equal(c, CPS_CAT_OTHER);
	assert_int_equal(cps_catalog_category_parse("video", &c), CPS_ERR_INVALID);
	assert_int_equal(cps_catalog_category_parse("", &c), CPS_ERR_INVALID);
}

static void test_fold(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(cps_catalog_fold("EOS R5 Mârk II", out, sizeof(out)), 14);
	assert_string_equal(out, "eos r5 mark ii");
	cps_catalog_fold("Æble Øl Åse Straße Über café", out, sizeof(out));
	assert_string_equal(out, "aeble ol ase strasse uber cafe");
	cps_catalog_fold("  Łódź \t  Škoda  ", out, sizeof(out));
	assert_string_equal(out, "lodz skoda");
	cps_catalog_fold("RF 70\xE2\x80\x93" "200mm", out, sizeof(out)); /* en dash */
	assert_string_equal(out, "rf 70-200mm");
	cps_catalog_fold("1\xC2\xA0" "2", out, sizeof(out));             /* no-break space */
	assert_string_equal(out, "1 2");
	cps_catalog_fold("Ωmega", out, sizeof(out));                     /* kept */
	assert_string_equal(out, "Ωmega");
	cps_catalog_fold("bad\xFF" "byte", out, sizeof(out));
	assert_string_equal(out, "bad\xFF" "byte");
	/* truncation works like snprintf */
	assert_int_equal(cps_catalog_fold("ABCDEF", out, 4), 6);
	assert_string_equal(out, "abc");
	assert_int_equal(cps_catalog_fold("ß", out, 2), 2);
	assert_string_equal(out, "s");
	assert_int_equal(cps_catalog_fold(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_patterns(void **state)
{
	char why[256], text[128];

	(void)state;
	assert_true(cps_catalog_pattern_valid("", why, sizeof(why)));
	assert_true(cps_catalog_pattern_valid("d10", why, sizeof(why)));
	assert_true(cps_catalog_pattern_valid("d12|d10", why, sizeof(why)));
	assert_true(cps_catalog_pattern_valid("a4d5", why, sizeof(why)));
	assert_true(cps_catalog_pattern_valid("x20", NULL, 0));
	assert_false(cps_catalog_pattern_valid("d0", why, sizeof(why)));
	assert_non_null(strstr(why, "1 to 20"));
	assert_false(cps_catalog_pattern_valid("d21", why, sizeof(why)));
	assert_false(cps_catalog_pattern_valid("q5", why, sizeof(why)));
	assert_false(cps_catalog_pattern_valid("d", why, sizeof(why)));
	assert_false(cps_catalog_pattern_valid("d10|", why, sizeof(why)));
	assert_non_null(strstr(why, "empty"));
	assert_false(cps_catalog_pattern_valid("|d10", why, sizeof(why)));
	assert_false(cps_catalog_pattern_valid("d10 ", why, sizeof(why)));
	assert_false(cps_catalog_pattern_valid("x20x20", why, sizeof(why)));
	assert_non_null(strstr(why, "longer than any serial"));

	assert_true(cps_catalog_pattern_matches("", "ANYTHING1"));
	assert_true(cps_catalog_pattern_matches("d10", "1234567890"));
	assert_false(cps_catalog_pattern_matches("d10", "123456789"));
	assert_false(cps_catalog_pattern_matches("d10", "12345678901"));
	assert_false(cps_catalog_pattern_matches("d10", "12345678A0"));
	assert_true(cps_catalog_pattern_matches("d12|d10", "123456789012"));
	assert_true(cps_catalog_pattern_matches("d12|d10", "1234567890"));
	assert_false(cps_catalog_pattern_matches("d12|d10", "12345678901"));
	assert_true(cps_catalog_pattern_matches("a4d5", "ABCD12345"));
	assert_false(cps_catalog_pattern_matches("a4d5", "ABC123456"));
	assert_true(cps_catalog_pattern_matches("x3", "A1B"));
	assert_false(cps_catalog_pattern_matches("x3", ""));

	cps_catalog_pattern_describe("d12|d10", text, sizeof(text));
	assert_string_equal(text, "12 digits or 10 digits");
	cps_catalog_pattern_describe("a4d5", text, sizeof(text));
	assert_string_equal(text, "4 letters, then 5 digits");
	cps_catalog_pattern_describe("x1", text, sizeof(text));
	assert_string_equal(text, "1 letter or digit");
	assert_int_equal(cps_catalog_pattern_describe("", text, sizeof(text)), 0);
	assert_string_equal(text, "");
}

/* Runs a search and checks that the results are exactly want (in order),
 * want ending with NULL. */
static void expect_search(struct tu_engine *t, const char *q, const char *const *want)
{
	struct cps_catalog_item res[64];
	struct cps_error err = { 0 };
	size_t n = 99, k = 0;

	assert_int_equal(cps_catalog_search(t->e, q, res, 64, &n, &err), CPS_OK);
	while (want[k])
		k++;
	for (size_t i = 0; i < n && i < k; i++)
		if (strcmp(res[i].model, want[i]) != 0)
			fail_msg("search \"%s\": result %zu is \"%s\", expected \"%s\"",
				 q, i, res[i].model, want[i]);
	if (n != k)
		fail_msg("search \"%s\": %zu results, expected %zu (first: %s)", q, n, k,
			 n ? res[0].model : "-");
}

static void test_search(void **state)
{
	struct tu_engine t;
	struct cps_catalog_item res[64];
	struct cps_error err = { 0 };
	size_t n;

	(void)state;
	tu_engine_new(&t, NOW);

	/* a word start; whole words before longer words; shorter first */
	static const char *const r5[] = { "EOS R5", "EOS R5 C", "EOS R5 Mark II",
					   "EOS R50", "EOS R50 V", NULL };
	expect_search(&t, "r5", r5);
	expect_search(&t, "R5", r5);
	expect_search(&t, "  r5  ", r5);
	/* the whole name's start ranks first */
	static const char *const eos_r5[] = { "EOS R5", "EOS R5 C", "EOS R5 Mark II",
					       "EOS R50", "EOS R50 V", NULL };
	expect_search(&t, "eos r5", eos_r5);
	static const char *const eos_r5_m[] = { "EOS R5 Mark II", NULL };
	expect_search(&t, "eos r5 m", eos_r5_m);
	expect_search(&t, "EOS R5 Mârk", eos_r5_m);
	expect_search(&t, "mark eos r5", eos_r5_m);       /* words in any order */
	static const char *const ii_r5[] = { "EOS R5 Mark II", NULL };
	expect_search(&t, "ii r5", ii_r5);

	/* "70-200" finds every 70-200 lens and nothing else */
	assert_int_equal(cps_catalog_search(t.e, "70-200", res, 64, &n, &err), CPS_OK);
	assert_int_equal(n, 9);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strstr(res[i].model, "70-200"));
	static const char *const rf70[] = { "RF 70-200mm F4L IS USM", "RF 70-200mm F2.8L IS USM",
					     "RF 70-200mm F2.8L IS USM Z", NULL };
	expect_search(&t, "rf 70-200", rf70);
	static const char *const f28l[] = { "RF 70-200mm F2.8L IS USM",
					     "RF 70-200mm F2.8L IS USM Z", NULL };
	expect_search(&t, "70-200 f2.8l rf", f28l);

	/* a word may start after a dash or a slash */
	assert_int_equal(cps_catalog_search(t.e, "1d x", res, 64, &n, &err), CPS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(res[0].model, "EOS-1D X");
	assert_int_equal(cps_catalog_search(t.e, "2.8l", res, 64, &n, &err), CPS_OK);
	assert_true(n > 10);
	/* but not inside a word */
	static const char *const none[] = { NULL };
	expect_search(&t, "os r5", none);
	expect_search(&t, "0-200", none);

	/* printers, other words, accents in the catalog's own sense */
	assert_int_equal(cps_catalog_search(t.e, "PRO-10", res, 64, &n, &err), CPS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(res[0].model, "PIXMA PRO-10S");
	assert_string_equal(res[2].model, "imagePROGRAF PRO-1000");
	assert_int_equal(cps_catalog_search(t.e, "imagEPROGRAF", res, 64, &n, &err), CPS_OK);
	assert_int_equal(n, 16);

	/* empty queries, no match, LIKE signs taken literally */
	expect_search(&t, "", none);
	expect_search(&t, "   ", none);
	expect_search(&t, "zzz", none);
	expect_search(&t, "%", none);
	expect_search(&t, "r_", none);
	expect_search(&t, "eos r5 zzz", none);
	assert_int_equal(cps_catalog_search(t.e, NULL, res, 64, &n, &err), CPS_OK);
	assert_int_equal(n, 0);

	/* the limit keeps the best ones */
	assert_int_equal(cps_catalog_search(t.e, "r5", res, 2, &n, &err), CPS_OK);
	assert_int_equal(n, 2);
	assert_string_equal(res[0].model, "EOS R5");
	assert_string_equal(res[1].model, "EOS R5 C");
	assert_int_equal(cps_catalog_search(t.e, "eos", res, 0, &n, &err), CPS_OK);
	assert_int_equal(n, 0);

	/* how fast it is: "make bench" measures it; a test never times */
	tu_engine_free(&t);
}

/* The assets' catalog with some lines changed: each pair is a line start
 * (model and comma) and its replacement line ("" drops the line). */
static char *edited_catalog(const char *const *edits, size_t nedits, const char *extra)
{
	size_t len;
	char *text = tu_read_file("assets/catalog.csv", &len);
	char *out = malloc(len + 4096);
	size_t o = 0;

	assert_non_null(text);
	assert_non_null(out);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) + 1 : strlen(line);
		const char *repl = NULL;
		for (size_t i = 0; i + 1 < nedits * 2; i += 2)
			if (strncmp(line, edits[i], strlen(edits[i])) == 0)
				repl = edits[i + 1];
		if (repl) {
			if (*repl)
				o += (size_t)sprintf(out + o, "%s\n", repl);
		} else {
			memcpy(out + o, line, l);
			o += l;
		}
		line += l;
	}
	o += (size_t)sprintf(out + o, "%s", extra ? extra : "");
	out[o] = '\0';
	free(text);
	return out;
}

static void test_import_updates_and_retires(void **state)
{
	struct tu_engine t;
	struct cps_catalog_item it, res[8];
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	char path[700], before[64], after[64];
	size_t total, n;
	static const char *const edits[] = {
		"EOS R5,", "EOS R5,body,900,2020,d12|d10",          /* points */
		"EOS R6,", "EOS R6,body,500,2019,d10",              /* year and pattern */
		"XF605,", "xf605,other,400,2021,",                  /* spelling and category */
		"EOS 650,", "",                                     /* retired */
		"Speedlite EL-100,", "",                            /* retired */
	};

	(void)state;
	tu_engine_new(&t, NOW);
	total = count(&t, 0);
	meta(&t, before, sizeof(before));
	char *text = edited_catalog(edits, 5, "EOS R9,body,1200,2027,d12\n");
	write_csv(&t, "new.csv", text, path, sizeof(path));
	free(text);

	cps_engine_set_now(t.e, NOW + 86400 * 70);  /* 2026-11-30: allows 2027 */
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.updated, 3);
	assert_int_equal(rep.retired, 2);
	assert_int_equal(rep.unchanged, (int)total - 5);
	assert_int_equal(rep.nerrors, 0);
	cps_catalog_report_free(&rep);
	assert_int_equal(count(&t, 0), total + 1);
	assert_int_equal(count(&t, 1), total - 1);
	meta(&t, after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_string_equal(after, "2026-11-30T14:13:20Z");

	assert_int_equal(cps_catalog_get_model(t.e, "EOS R5", &it, &err), CPS_OK);
	assert_int_equal(it.points, 900);
	assert_int_equal(cps_catalog_get_model(t.e, "EOS R6", &it, &err), CPS_OK);
	assert_int_equal(it.release_year, 2019);
	assert_string_equal(it.serial_pattern, "d10");
	assert_int_equal(cps_catalog_get_model(t.e, "XF605", &it, &err), CPS_OK);
	assert_string_equal(it.model, "xf605");
	assert_int_equal(it.category, CPS_CAT_OTHER);
	long long el100;
	assert_int_equal(cps_catalog_get_model(t.e, "Speedlite EL-100", &it, &err), CPS_OK);
	assert_false(it.active);
	el100 = it.id;
	assert_int_equal(cps_catalog_search(t.e, "el-100", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cps_catalog_search(t.e, "r9", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].points, 1200);

	/* the same file again changes nothing */
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added + rep.updated + rep.retired, 0);
	assert_int_equal(rep.unchanged, (int)total - 1);
	cps_catalog_report_free(&rep);

	/* a retired model that comes back keeps its id and is offered again */
	text = edited_catalog(NULL, 0, NULL);
	write_csv(&t, "back.csv", text, path, sizeof(path));
	free(text);
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 5);
	assert_int_equal(rep.retired, 1);           /* EOS R9 */
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_get_model(t.e, "Speedlite EL-100", &it, &err), CPS_OK);
	assert_true(it.active);
	assert_int_equal(it.id, el100);
	tu_engine_free(&t);
}

static int has_line(const struct cps_catalog_report *r, const char *start, const char *word)
{
	for (size_t i = 0; i < r->nerrors; i++)
		if (strncmp(r->errors[i], start, strlen(start)) == 0 && strstr(r->errors[i], word))
			return 1;
	return 0;
}

/* Imports a file that must be refused; checks that nothing changed. */
static void refused(struct tu_engine *t, const char *path, struct cps_catalog_report *rep,
		    struct cps_error *err)
{
	size_t all = count(t, 0), active = count(t, 1);
	char before[64], after[64];
	struct cps_catalog_item it;
	struct cps_error e2;

	meta(t, before, sizeof(before));
	assert_int_equal(cps_catalog_get_model(t->e, "EOS R5", &it, &e2), CPS_OK);
	cps_engine_set_now(t->e, NOW + 3600);
	assert_int_equal(cps_catalog_import(t->e, path, rep, err), CPS_ERR_INVALID);
	assert_int_equal(count(t, 0), all);
	assert_int_equal(count(t, 1), active);
	meta(t, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(rep->added + rep->updated + rep->retired + rep->unchanged, 0);
	assert_int_equal(cps_catalog_get_model(t->e, "EOS R5", &it, &e2), CPS_OK);
	assert_int_equal(it.points, 700);
	assert_true(strstr(err->msg, "nothing was imported") != NULL);
}

static void test_import_all_or_nothing(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	struct cps_catalog_item it;
	char path[700], start[800];

	(void)state;
	tu_engine_new(&t, NOW);
	/* a BOM, CRLF line ends, a comment, a quoted name with a comma and a
	 * doubled quote, and one problem of each kind */
	write_csv(&t, "bad.csv",
		  "\xEF\xBB\xBF# a newer catalog\r\n"
		  "model,category,points,release_year,serial_pattern\r\n"    /* 2 */
		  "EOS R5,body,900,2020,d12|d10\r\n"                         /* 3: fine */
		  "\"Lens, \"\"special\"\"\",lens,100,2021,d10\r\n"          /* 4: fine */
		  "EOS R77,camera,100,2021,\r\n"                             /* 5 */
		  "EOS R78,body,0,2021,\r\n"                                 /* 6 */
		  "EOS R79,body,-5,2021,\r\n"                                /* 7 */
		  "EOS R80,body,1.5,2021,\r\n"                               /* 8 */
		  "EOS R81,body,100,1980,\r\n"                               /* 9 */
		  "EOS R82,body,100,2028,\r\n"                               /* 10 */
		  "EOS R83,body,100,2021,q5\r\n"                             /* 11 */
		  "eos r5,body,100,2021,\r\n"                                /* 12: duplicate */
		  "EOS R84,body,100\r\n"                                     /* 13: short */
		  "EOS R85,body,\"100\r\n"                                   /* 14: unclosed quote */
		  "EOS R86,body,100,2021,\r\n",
		  path, sizeof(path));
	refused(&t, path, &rep, &err);
	snprintf(start, sizeof(start), "%s:", path);
	assert_int_equal(rep.nproblems, 10);
	assert_int_equal(rep.nerrors, 10);
	snprintf(start, sizeof(start), "%s:5:", path);
	assert_true(has_line(&rep, start, "\"camera\" is not a category"));
	snprintf(start, sizeof(start), "%s:6:", path);
	assert_true(has_line(&rep, start, "positive whole number"));
	snprintf(start, sizeof(start), "%s:7:", path);
	assert_true(has_line(&rep, start, "\"-5\""));
	snprintf(start, sizeof(start), "%s:8:", path);
	assert_true(has_line(&rep, start, "\"1.5\""));
	snprintf(start, sizeof(start), "%s:9:", path);
	assert_true(has_line(&rep, start, "from 1987 to 2027"));
	snprintf(start, sizeof(start), "%s:10:", path);
	assert_true(has_line(&rep, start, "\"2028\""));
	snprintf(start, sizeof(start), "%s:11:", path);
	assert_true(has_line(&rep, start, "\"q5\" is not a serial pattern"));
	snprintf(start, sizeof(start), "%s:12:", path);
	assert_true(has_line(&rep, start, "already on line 3"));
	snprintf(start, sizeof(start), "%s:13:", path);
	assert_true(has_line(&rep, start, "release_year\" is missing"));
	snprintf(start, sizeof(start), "%s:14:", path);
	assert_true(has_line(&rep, start, "quote"));
	/* in line order, and err names the first one */
	snprintf(start, sizeof(start), "%s:5:", path);
	assert_int_equal(strncmp(rep.errors[0], start, strlen(start)), 0);
	assert_int_equal(strncmp(err.msg, start, strlen(start)), 0);
	assert_non_null(strstr(err.msg, "10 problems"));
	cps_catalog_report_free(&rep);
	assert_null(rep.errors);
	assert_int_equal(cps_catalog_get_model(t.e, "Lens, \"special\"", &it, &err), CPS_ERR_NOT_FOUND);

	/* the same file without its bad lines goes in, odd bytes and all */
	write_csv(&t, "good.csv",
		  "\xEF\xBB\xBF# a newer catalog\r\n"
		  "Model , Category,points,release_year,serial_pattern\r\n"
		  "EOS R5,body,900,2020,D12|d10\r\n"
		  "\"Lens, \"\"special\"\"\",LENS, 100 ,2021,d10\r\n"
		  "\"  Spaced   out  \",other,5,1987,\r\n",
		  path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 2);
	assert_int_equal(rep.updated, 1);
	cps_catalog_report_free(&rep);
	assert_int_equal(count(&t, 1), 3);
	assert_int_equal(cps_catalog_get_model(t.e, "Lens, \"special\"", &it, &err), CPS_OK);
	assert_int_equal(it.category, CPS_CAT_LENS);
	assert_int_equal(it.points, 100);
	assert_int_equal(cps_catalog_get_model(t.e, "EOS R5", &it, &err), CPS_OK);
	assert_string_equal(it.serial_pattern, "d12|d10");
	assert_int_equal(cps_catalog_get_model(t.e, "Spaced out", &it, &err), CPS_OK);
	assert_string_equal(it.model, "Spaced out");
	tu_engine_free(&t);
}

static void test_import_many_problems(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	char path[700], *text = malloc(64 * 1024);
	size_t o = 0;

	(void)state;
	assert_non_null(text);
	tu_engine_new(&t, NOW);
	o += (size_t)sprintf(text + o, "%s", header);
	for (int i = 0; i < 60; i++)
		o += (size_t)sprintf(text + o, "Model %d,body,none,2020,\n", i);
	write_csv(&t, "many.csv", text, path, sizeof(path));
	free(text);
	refused(&t, path, &rep, &err);
	assert_int_equal(rep.nproblems, 60);
	assert_int_equal(rep.nerrors, CPS_CATALOG_MAX_ERRORS + 1);
	assert_string_equal(rep.errors[CPS_CATALOG_MAX_ERRORS], "... and 10 more problems");
	char start[800];
	snprintf(start, sizeof(start), "%s:51:", path);
	assert_true(has_line(&rep, start, "\"none\""));
	assert_non_null(strstr(err.msg, "60 problems"));
	cps_catalog_report_free(&rep);
	tu_engine_free(&t);
}

/* A catalog far larger than Canon's imports whole (the first limit was
 * 20,000 models), and importing it again changes nothing. */
/* The shipped catalog is loaded into an empty store only: a store that
 * has it (or any catalog) is left as it is at the next start, and rows of
 * an import nobody published do not count as a catalog. */
static void test_default_loaded_once(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char gen[32];
	sqlite3 *db;

	(void)state;
	tu_engine_new(&t, NOW);
	db = cps_store_db(t.e->store);
	assert_int_equal(count(&t, 0), asset_models());
	assert_int_equal(cps_store_meta_get(t.e->store, "catalog_generation", gen, sizeof(gen), &err),
			 CPS_OK);
	assert_int_equal(cps_catalog_load_default(t.e, &err), CPS_OK);
	assert_int_equal(count(&t, 0), asset_models());
	char again[32];
	assert_int_equal(cps_store_meta_get(t.e->store, "catalog_generation", again, sizeof(again),
					    &err), CPS_OK);
	assert_string_equal(again, gen);
	/* an empty catalog but for an unpublished import's row: loaded */
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = OFF; DELETE FROM catalog;"
				      "INSERT INTO catalog (model, category, points, release_year,"
				      " gen) VALUES ('Ghost', 'body', 1, 2020, 999);"
				      "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(count(&t, 0), 0);
	assert_int_equal(cps_catalog_load_default(t.e, &err), CPS_OK);
	assert_int_equal(count(&t, 0), asset_models());
	tu_engine_free(&t);
}

static void test_import_large(void **state)
{
	enum { ROWS = 25000 };
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	char path[700], *text = malloc((size_t)ROWS * 64 + 128);
	size_t o = 0;

	(void)state;
	assert_non_null(text);
	tu_engine_new(&t, NOW);
	o += (size_t)sprintf(text + o, "%s", header);
	for (int i = 0; i < ROWS; i++)
		o += (size_t)sprintf(text + o, "Bulk Model %05d,lens,%d,2020,\n", i, 1 + i % 500);
	write_csv(&t, "large.csv", text, path, sizeof(path));
	free(text);
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, ROWS);
	assert_int_equal(rep.retired, (int)asset_models());
	cps_catalog_report_free(&rep);
	assert_int_equal(count(&t, 1), ROWS);
	assert_int_equal(cps_catalog_get_model(t.e, "bulk model 24999", &it, &err), CPS_OK);
	assert_string_equal(it.model, "Bulk Model 24999");
	assert_int_equal(it.points, 1 + 24999 % 500);

	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, ROWS);
	cps_catalog_report_free(&rep);
	tu_engine_free(&t);
}

/* The type-ahead folds the names as it reads them (the table keeps no
 * folded copy): accents, ligatures and case typed or not find the same
 * imported model, and a retired one is not offered. */
static void test_search_folds_imported_names(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item res[8];
	struct cps_error err = { 0 };
	char path[700], text[512];
	size_t n;

	(void)state;
	tu_engine_new(&t, NOW);
	snprintf(text, sizeof(text), "%sZqx Mârk Æble,body,100,2020,\n"
		 "Zqx Straße,lens,50,2021,\n", header);
	write_csv(&t, "folded.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_search(t.e, "mark aeble", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].model, "Zqx Mârk Æble");
	assert_int_equal(cps_catalog_search(t.e, "ZQX MÂRK", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cps_catalog_search(t.e, "zqx strasse", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].points, 50);

	/* the next file drops the lens: retired, no longer found */
	snprintf(text, sizeof(text), "%sZqx Mârk Æble,body,100,2020,\n", header);
	write_csv(&t, "folded.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.retired, 1);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_search(t.e, "zqx", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].model, "Zqx Mârk Æble");
	tu_engine_free(&t);
}

/* The type-ahead keeps the names in memory: it sees an import made by
 * another process, and two imports within the same second here. */
static void test_search_sees_imports(void **state)
{
	struct tu_engine t;
	struct cps_engine *other;
	struct cps_catalog_report rep;
	struct cps_catalog_item res[8];
	struct cps_error err = { 0 };
	char path[700], text[512];
	size_t n;

	(void)state;
	tu_engine_new(&t, NOW);
	assert_int_equal(cps_catalog_search(t.e, "zqx", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cps_catalog_search(t.e, "eos", res, 8, &n, &err), CPS_OK);
	assert_true(n > 0);

	/* another process (an engine of its own) imports a file of one model */
	assert_int_equal(cps_engine_open(&other, t.cfg, &err), CPS_OK);
	snprintf(text, sizeof(text), "%sZqx Body,body,100,2020,\n", header);
	write_csv(&t, "one.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(other, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	cps_engine_close(other);
	assert_int_equal(cps_catalog_search(t.e, "zqx", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].points, 100);
	assert_int_equal(cps_catalog_search(t.e, "eos", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 0); /* retired by the import */

	/* here, in the same second (the clock stands still) */
	snprintf(text, sizeof(text), "%sZqx Body,body,250,2020,\nZqx Lens,lens,50,2021,\n", header);
	write_csv(&t, "two.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_search(t.e, "zqx", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 2);
	assert_string_equal(res[0].model, "Zqx Body");
	assert_int_equal(res[0].points, 250);
	assert_string_equal(res[1].model, "Zqx Lens");
	assert_int_equal(res[1].category, CPS_CAT_LENS);
	assert_int_equal(res[1].release_year, 2021);
	assert_true(res[1].active);
	/* and once more in that same second: the time it notes is the same */
	snprintf(text, sizeof(text), "%sZqx Body,body,300,2020,\nZqx Lens,lens,50,2021,\n", header);
	write_csv(&t, "three.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_search(t.e, "zqx body", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].points, 300);
	tu_engine_free(&t);
}

static int cmp_casecmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* The import sorts its rows itself (in place): a file of thousands of
 * names in a shuffled order and mixed case, with a few names twice in
 * another case, gets every duplicate reported at its later line and,
 * without them, ids in the order of the names ignoring ASCII case. */
static void test_import_sorts_many(void **state)
{
	enum { N = 3000 };
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	char path[700], (*names)[16] = malloc(N * sizeof(*names));
	char *text = malloc((size_t)N * 48 + 256);
	const char **sorted = malloc(N * sizeof(*sorted));
	unsigned seed = 12345;
	size_t o;
	long long last = 0;

	(void)state;
	assert_true(names && text && sorted);
	tu_engine_new(&t, NOW);
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		/* a random stem, made unique by its number; mixed case */
		snprintf(names[i], sizeof(names[i]), "%c%c%c %04d",
			 "AbCdEfGh"[(seed >> 8) % 8], "xYzW"[(seed >> 12) % 4],
			 "qRsT"[(seed >> 16) % 4], i);
	}
	/* the same names again, lower case, at lines after all of them */
	o = (size_t)sprintf(text, "%s", header);
	for (int i = 0; i < N; i++)
		o += (size_t)sprintf(text + o, "%s,lens,%d,2020,\n", names[(i * 7919) % N], 1 + i % 50);
	for (int i = 0; i < 3; i++) {
		char low[16];
		for (size_t k = 0; k <= strlen(names[i * 1000]); k++)
			low[k] = (char)tolower((unsigned char)names[i * 1000][k]);
		o += (size_t)sprintf(text + o, "%s,lens,1,2020,\n", low);
	}
	write_csv(&t, "many.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_ERR_INVALID);
	assert_int_equal(rep.nproblems, 3);
	for (int i = 0; i < 3; i++) {
		char at[32], first[64];
		int line = 0, found = 0;
		for (int k = 0; k < N; k++)   /* where the name first was */
			if ((k * 7919) % N == i * 1000)
				line = k + 2;
		snprintf(at, sizeof(at), ":%d: the model \"", N + 2 + i);
		snprintf(first, sizeof(first), "\" is already on line %d", line);
		for (size_t e = 0; e < rep.nerrors; e++)
			found += strstr(rep.errors[e], at) && strstr(rep.errors[e], first);
		assert_int_equal(found, 1);
	}
	cps_catalog_report_free(&rep);

	/* without the three: ids in the order of the names */
	o = (size_t)sprintf(text, "%s", header);
	for (int i = 0; i < N; i++)
		o += (size_t)sprintf(text + o, "%s,lens,%d,2020,\n", names[(i * 7919) % N], 1 + i % 50);
	write_csv(&t, "many.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, N);
	cps_catalog_report_free(&rep);
	for (int i = 0; i < N; i++)
		sorted[i] = names[i];
	qsort(sorted, N, sizeof(sorted[0]), cmp_casecmp);
	for (int i = 0; i < N; i++) {
		assert_int_equal(cps_catalog_get_model(t.e, sorted[i], &it, &err), CPS_OK);
		assert_string_equal(it.model, sorted[i]);
		assert_true(it.id > last);
		last = it.id;
	}
	free(names);
	free(text);
	free(sorted);
	tu_engine_free(&t);
}

/* A model name written decomposed (e and a combining acute, a dot below
 * after a circumflex) is stored in NFC, the one letter each. */
static void test_import_nfc(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	char path[700], text[512];

	(void)state;
	tu_engine_new(&t, NOW);
	snprintf(text, sizeof(text), "%sZqx Fe\xcc\x81te Va\xcc\x82\xcc\xa3,body,100,2020,\n", header);
	write_csv(&t, "nfc.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 1);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_get_model(t.e, "Zqx F\xc3\xa9te V\xe1\xba\xad", &it, &err), CPS_OK);
	assert_string_equal(it.model, "Zqx F\xc3\xa9te V\xe1\xba\xad");
	tu_engine_free(&t);
}

/* An import writes its new models in the order of their names as the
 * store's lookup compares them (ASCII case ignored, every other byte as
 * it is), so their ids follow that order whatever the file's; names that
 * differ only in ASCII case are one model, names that differ in the case
 * of a non-ASCII letter are two, and both are found by the type-ahead
 * without their accents. */
static void test_import_name_order(void **state)
{
	static const char *const names[] = {   /* as the file lists them */
		"Zqx eos R5", "ZQX \xc3\x84rger", "zqx Zoom", "Zqx \xc3\xa4rger",
		"zqx arger", "Zqx EOS", "zqx \xc3\xa9" "clair", "ZQX Eclair",
		"Zqx eos-1", "zqx EOS 1", "Zqx Zz", "zqx zebra", "Zqx [x]", "zqx _y",
		"Zqx 10", "zqx ~z", "Zqx EOS R5 Mark II",
		/* keys of 8 bytes and around it: the length the sort compares
		 * at once before it looks at the rest of a name */
		"Zqx Eos8", "zqx EOS8X", "Zqx eo", "Zqx EOS8\xc3\xa4",
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	const char *sorted[N];
	long long last = 0;
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item it, res[8];
	struct cps_error err = { 0 };
	char path[700], text[2048];
	size_t o, n;

	(void)state;
	tu_engine_new(&t, NOW);
	o = (size_t)snprintf(text, sizeof(text), "%s", header);
	for (size_t i = 0; i < N; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s,lens,10,2020,\n", names[i]);
	write_csv(&t, "order.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, N);
	cps_catalog_report_free(&rep);

	/* the old comparison (strcasecmp in the C locale) gives the order */
	memcpy(sorted, names, sizeof(sorted));
	qsort(sorted, N, sizeof(sorted[0]), cmp_casecmp);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(cps_catalog_get_model(t.e, sorted[i], &it, &err), CPS_OK);
		assert_string_equal(it.model, sorted[i]);
		assert_true(it.id > last);
		last = it.id;
	}
	assert_int_equal(cps_catalog_search(t.e, "zqx arg", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 3);
	assert_int_equal(cps_catalog_search(t.e, "zqx ecl", res, 8, &n, &err), CPS_OK);
	assert_int_equal(n, 2);

	/* the same names in other ASCII cases are the same models */
	o = (size_t)snprintf(text, sizeof(text), "%s", header);
	for (size_t i = 0; i < N; i++) {
		char up[64];
		size_t k;
		for (k = 0; names[i][k] && k < sizeof(up) - 1; k++)
			up[k] = names[i][k] >= 'a' && names[i][k] <= 'z'
				? (char)(names[i][k] - 'a' + 'A') : names[i][k];
		up[k] = '\0';
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s,lens,10,2020,\n", up);
	}
	write_csv(&t, "upper.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, N);         /* the spelling of each */
	assert_int_equal(rep.retired, 0);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_get_model(t.e, "zqx zoom", &it, &err), CPS_OK);
	assert_string_equal(it.model, "ZQX ZOOM");

	/* without the last three (keys of 9, 6 and 10 bytes): those are
	 * retired, every other is found again (its spelling back) */
	o = (size_t)snprintf(text, sizeof(text), "%s", header);
	for (size_t i = 0; i < N - 3; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s,lens,10,2020,\n", names[i]);
	write_csv(&t, "fewer.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, N - 3);
	assert_int_equal(rep.retired, 3);
	cps_catalog_report_free(&rep);
	assert_int_equal(cps_catalog_get_model(t.e, "zqx eos8", &it, &err), CPS_OK);
	assert_string_equal(it.model, "Zqx Eos8");
	assert_true(it.active);
	assert_int_equal(cps_catalog_get_model(t.e, "zqx eos8x", &it, &err), CPS_OK);
	assert_false(it.active);

	/* twice in one file, in other cases: refused, naming the first line */
	snprintf(text, sizeof(text), "%sZqx Dup,lens,10,2020,\nzqx \xc3\xa4 1,lens,10,2020,\n"
		 "ZQX DUP,lens,10,2020,\nZqx \xc3\x84 1,lens,10,2020,\n", header);
	write_csv(&t, "dup.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_ERR_INVALID);
	assert_int_equal(rep.nproblems, 1);
	assert_true(strstr(rep.errors[0], ":4: the model \"ZQX DUP\" is already on line 2") != NULL);
	cps_catalog_report_free(&rep);
	tu_engine_free(&t);
}

/* The disk fills up between two batches (the database may not grow by
 * a page more): the import fails naming the model it was writing, and
 * nothing of it is left, neither the batch before nor the rows after. */
static int fill_disk(void *arg, size_t written)
{
	struct tu_engine *t = arg;

	(void)written;
	return sqlite3_exec(cps_store_db(t->e->store),
			    "PRAGMA max_page_count = 1", NULL, NULL, NULL) != SQLITE_OK;
}

static void test_import_write_fails(void **state)
{
	enum { ROWS = 600 };
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	char path[700], *text = malloc(ROWS * 128 + 128);
	size_t all, o;

	(void)state;
	assert_non_null(text);
	tu_engine_new(&t, NOW);
	all = count(&t, 0);
	o = (size_t)sprintf(text, "%s", header);
	for (int i = 0; i < ROWS; i++)
		o += (size_t)sprintf(text + o, "Zqx Model %04d with a name long enough to fill pages,"
				     "lens,10,2020,\n", i);
	write_csv(&t, "fail.csv", text, path, sizeof(path));
	free(text);
	t.e->import_batch_rows = ROWS / 2;
	t.e->import_batch_done = fill_disk;
	t.e->import_batch_arg = &t;
	assert_int_not_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_true(strstr(err.msg, "adding \"Zqx Model 0") != NULL);
	assert_true(strstr(err.msg, "full") != NULL);
	assert_int_equal(rep.added + rep.updated + rep.retired + rep.unchanged, 0);
	cps_catalog_report_free(&rep);
	assert_int_equal(sqlite3_exec(cps_store_db(t.e->store), "PRAGMA max_page_count = 1000000",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(count(&t, 0), all);
	assert_int_equal(cps_catalog_get_model(t.e, "Zqx Model 0000 with a name long enough to"
					       " fill pages", &it, &err), CPS_ERR_NOT_FOUND);

	/* with room again the same file goes in whole */
	t.e->import_batch_done = NULL;
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, ROWS);
	cps_catalog_report_free(&rep);
	assert_int_equal(count(&t, 1), ROWS);
	tu_engine_free(&t);
}

static void test_import_bad_files(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	char path[700];

	(void)state;
	tu_engine_new(&t, NOW);
	/* a column missing from the header */
	write_csv(&t, "nopoints.csv", "model,category,release_year,serial_pattern\n"
		  "EOS R5,body,2020,\n", path, sizeof(path));
	refused(&t, path, &rep, &err);
	assert_int_equal(rep.nerrors, 1);
	assert_non_null(strstr(rep.errors[0], "\"points\" is missing"));
	assert_non_null(strstr(err.msg, "\"points\" is missing"));
	cps_catalog_report_free(&rep);

	/* a header and no models would retire everything: refused */
	write_csv(&t, "empty.csv", header, path, sizeof(path));
	refused(&t, path, &rep, &err);
	assert_non_null(strstr(err.msg, "no models"));
	cps_catalog_report_free(&rep);

	/* an empty file */
	write_csv(&t, "zero.csv", "", path, sizeof(path));
	refused(&t, path, &rep, &err);
	assert_non_null(strstr(err.msg, "empty"));
	cps_catalog_report_free(&rep);

	/* a control character and an overlong name */
	char big[300];
	memset(big, 'x', 81);
	big[81] = '\0';
	char text[600];
	snprintf(text, sizeof(text), "%s\"Line\nbreak\",body,5,2020,\n%s,body,5,2020,\n,body,5,2020,\n"
		 "EOS \xe2\x80\xae" "5R,body,5,2020,\n"
		 "EOS R9,bo\xe2\x80\xae" "dy,5,2020,\n",
		 header, big);
	write_csv(&t, "names.csv", text, path, sizeof(path));
	refused(&t, path, &rep, &err);
	assert_int_equal(rep.nproblems, 5);
	assert_non_null(strstr(rep.errors[0], "control character"));
	assert_non_null(strstr(rep.errors[1], "longer than 80"));
	assert_non_null(strstr(rep.errors[2], "empty"));
	/* a bidi override (U+202E) is a control character too */
	assert_non_null(strstr(rep.errors[3], "control character (U+202E)"));
	/* a message quoting a value never prints the override raw */
	assert_non_null(strstr(rep.errors[4], "is not a category"));
	for (size_t i = 0; i < rep.nerrors; i++)
		assert_null(strstr(rep.errors[i], "\xe2\x80\xae"));
	cps_catalog_report_free(&rep);

	/* a file that is not there */
	snprintf(path, sizeof(path), "%s/none.csv", t.dir);
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_ERR_IO);
	assert_int_equal(rep.nerrors, 0);
	/* the report may be left out */
	write_csv(&t, "again.csv", header, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, NULL, &err), CPS_ERR_INVALID);
	assert_int_equal(count(&t, 1), asset_models());
	tu_engine_free(&t);
}

/* --- written in batches, seen all at once ------------------------------ */

struct watch {
	struct cps_engine *other;  /* another process's view of the database */
	int batches;
	int seen_new;              /* new models the other view found meanwhile */
	int seen_change;           /* ... or a changed one */
	size_t active;             /* what the other view counts as active */
	int stop_at;
	struct cps_engine *self;   /* the importing engine */
	int unsynced;              /* batches committed without waiting for the disk */
};

static int synchronous(struct cps_engine *e)
{
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(e->store), "PRAGMA synchronous", -1,
					    &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int after_batch(void *arg, size_t written)
{
	struct watch *w = arg;
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	size_t n = 0;

	(void)written;
	w->batches++;
	if (w->self && synchronous(w->self) == 1)   /* NORMAL */
		w->unsynced++;
	if (cps_catalog_get_model(w->other, "Batch Model 3", &it, &err) == CPS_OK)
		w->seen_new++;
	if (cps_catalog_get_model(w->other, "EOS R1", &it, &err) == CPS_OK && it.points == 77)
		w->seen_change++;
	assert_int_equal(cps_catalog_count(w->other, 1, &n, &err), CPS_OK);
	if (n != w->active)
		w->seen_change++;
	return w->stop_at && w->batches == w->stop_at;
}

/* Writes into text (4000 bytes) a catalog of EOS R1 and 30 models named
 * "name N". */
static void fill_batch_catalog(char *text, const char *name)
{
	size_t cap = 4000, used;

	used = (size_t)snprintf(text, cap, "%sEOS R1,body,77,2024,d12|d10\n", header);
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(text + used, cap - used, "%s %d,lens,10,2025,\n", name, i);
}

static char *batch_catalog(void)
{
	char *text = malloc(4000);

	assert_non_null(text);
	fill_batch_catalog(text, "Batch Model");
	return text;
}

static void test_import_batches_seen_when_done(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep = { 0 };
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	struct watch w = { 0 };
	char path[600];
	char *text = batch_catalog();
	size_t before;

	(void)state;
	tu_engine_new(&t, NOW);
	before = count(&t, 1);
	assert_int_equal(cps_engine_open(&w.other, t.cfg, &err), CPS_OK);
	w.active = before;
	w.self = t.e;
	assert_int_equal(synchronous(t.e), 2);   /* FULL */
	t.e->import_batch_rows = 4;
	t.e->import_batch_done = after_batch;
	t.e->import_batch_arg = &w;
	write_csv(&t, "batch.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 30);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.retired, (int)before - 1);
	/* 30 new rows, 4 a batch: 7 batches, each one watched from outside;
	 * the last 2 rows go in the publishing transaction (no commit and
	 * pause of their own) */
	assert_int_equal(w.batches, 7);
	/* unseen, they did not wait for the disk; the publishing commit did,
	 * and every commit after the import does */
	assert_int_equal(w.unsynced, 7);
	assert_int_equal(synchronous(t.e), 2);
	assert_int_equal(w.seen_new, 0);
	assert_int_equal(w.seen_change, 0);
	/* then all at once, for the other view too */
	assert_int_equal(cps_catalog_get_model(w.other, "Batch Model 3", &it, &err), CPS_OK);
	assert_int_equal(cps_catalog_get_model(w.other, "EOS R1", &it, &err), CPS_OK);
	assert_int_equal(it.points, 77);
	assert_int_equal(count(&t, 1), 31);
	cps_catalog_report_free(&rep);

	/* a file whose new rows fit in one batch is written in one
	 * transaction, which waits for the disk: no batch of its own */
	t.e->import_batch_rows = 0;
	w.batches = w.unsynced = 0;
	fill_batch_catalog(text, "Single Batch");
	write_csv(&t, "batch.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 30);
	assert_int_equal(w.batches, 0);
	assert_int_equal(synchronous(t.e), 2);
	assert_int_equal(cps_catalog_get_model(w.other, "single batch 29", &it, &err), CPS_OK);
	cps_engine_close(w.other);
	cps_catalog_report_free(&rep);
	free(text);
	tu_engine_free(&t);
}

/* The claim and the drops of an import commit without waiting for the
 * disk, like its batches: refused because another import runs, it leaves
 * the connection waiting for the disk again. */
static void test_busy_import_syncs_again(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep = { 0 };
	struct cps_error err = { 0 };
	char path[600], claim[64], text[256];

	(void)state;
	tu_engine_new(&t, NOW);
	snprintf(claim, sizeof(claim), "%ld 0", (long)getpid());
	assert_int_equal(cps_store_meta_set(t.e->store, "import_running", claim, &err), CPS_OK);
	snprintf(text, sizeof(text), "%sZqx Busy,body,10,2024,\n", header);
	write_csv(&t, "busy.csv", text, path, sizeof(path));
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_ERR_BUSY);
	cps_catalog_report_free(&rep);
	assert_int_equal(synchronous(t.e), 2);
	assert_int_equal(cps_store_meta_set(t.e->store, "import_running", "", &err), CPS_OK);
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	cps_catalog_report_free(&rep);
	assert_int_equal(synchronous(t.e), 2);
	tu_engine_free(&t);
}

static void test_stopped_import_changes_nothing(void **state)
{
	struct tu_engine t;
	struct cps_catalog_report rep = { 0 };
	struct cps_catalog_item it;
	struct cps_error err = { 0 };
	struct watch w = { .stop_at = 2 };
	char path[600];
	char *text = batch_catalog();
	size_t before, all;

	(void)state;
	tu_engine_new(&t, NOW);
	before = count(&t, 1);
	all = count(&t, 0);
	assert_int_equal(cps_engine_open(&w.other, t.cfg, &err), CPS_OK);
	w.active = before;
	t.e->import_batch_rows = 4;
	t.e->import_batch_done = after_batch;
	t.e->import_batch_arg = &w;
	write_csv(&t, "batch.csv", text, path, sizeof(path));
	assert_int_not_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added + rep.updated + rep.retired, 0);
	assert_int_equal(w.batches, 2);
	/* stopped, the connection waits for the disk again */
	assert_int_equal(synchronous(t.e), 2);
	assert_int_equal(count(&t, 1), before);
	assert_int_equal(count(&t, 0), all);
	assert_int_equal(cps_catalog_get_model(t.e, "Batch Model 0", &it, &err), CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_catalog_get_model(t.e, "EOS R1", &it, &err), CPS_OK);
	assert_int_not_equal(it.points, 77);
	cps_catalog_report_free(&rep);

	/* nothing of it is left behind, and the next import goes in whole */
	t.e->import_batch_done = NULL;
	assert_int_equal(cps_catalog_import(t.e, path, &rep, &err), CPS_OK);
	assert_int_equal(rep.added, 30);
	assert_int_equal(count(&t, 0), all + 30);
	cps_engine_close(w.other);
	cps_catalog_report_free(&rep);
	free(text);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_default_catalog_loaded, tu_cleanup),
		cmocka_unit_test_teardown(test_missing_catalog_reported, tu_cleanup),
		cmocka_unit_test_teardown(test_categories, tu_cleanup),
		cmocka_unit_test_teardown(test_fold, tu_cleanup),
		cmocka_unit_test_teardown(test_patterns, tu_cleanup),
		cmocka_unit_test_teardown(test_search, tu_cleanup),
		cmocka_unit_test_teardown(test_import_updates_and_retires, tu_cleanup),
		cmocka_unit_test_teardown(test_import_all_or_nothing, tu_cleanup),
		cmocka_unit_test_teardown(test_import_many_problems, tu_cleanup),
		cmocka_unit_test_teardown(test_import_nfc, tu_cleanup),
		cmocka_unit_test_teardown(test_import_name_order, tu_cleanup),
		cmocka_unit_test_teardown(test_import_write_fails, tu_cleanup),
		cmocka_unit_test_teardown(test_import_bad_files, tu_cleanup),
		cmocka_unit_test_teardown(test_default_loaded_once, tu_cleanup),
		cmocka_unit_test_teardown(test_import_large, tu_cleanup),
		cmocka_unit_test_teardown(test_import_sorts_many, tu_cleanup),
		cmocka_unit_test_teardown(test_busy_import_syncs_again, tu_cleanup),
		cmocka_unit_test_teardown(test_search_sees_imports, tu_cleanup),
		cmocka_unit_test_teardown(test_search_folds_imported_names, tu_cleanup),
		cmocka_unit_test_teardown(test_import_batches_seen_when_done, tu_cleanup),
		cmocka_unit_test_teardown(test_stopped_import_changes_nothing, tu_cleanup),
	};

	setenv("TZ", "Europe/Copenhagen", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
