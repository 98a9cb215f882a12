/* bench_engine.c - figures for "make bench": how long the engine takes to
 * open a database, to answer a type-ahead search (it runs per keystroke),
 * to import the catalog and a large legacy export, how fast the NFC of
 * every stored text is, and how much memory the process needed.  It prints figures; it never passes or fails on them. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cpsreg/catalog.h"
#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/legacy.h"
#include "cpsreg/text.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
}

static void die(const char *what, const struct cps_error *err)
{
	fprintf(stderr, "bench: %s: %s\n", what, err->msg);
	exit(1);
}

/* cps_text_nfc over 64 KiB made of sample, as often as fits in 200 ms. */
static void nfc_figure(const char *what, const char *sample)
{
	enum { SIZE = 64 * 1024 };
	char *in = malloc(SIZE + 1), *out = malloc(CPS_TEXT_NFC_SIZE(SIZE));
	size_t n = 0, k = strlen(sample);
	double t0, t;
	int rounds = 0;

	if (!in || !out)
		exit(1);
	while (n + k <= SIZE) {
		memcpy(in + n, sample, k);
		n += k;
	}
	t0 = now_ms();
	do {
		cps_text_nfc(in, n, out);
		rounds++;
	} while ((t = now_ms() - t0) < 200);
	printf("%-43s%8.1f MB/s\n", what, (double)n * rounds / 1e3 / t);
	free(in);
	free(out);
}

int main(void)
{
	char dir[] = "/tmp/cpsreg-bench.XXXXXX", db[256], csv[256];
	struct cps_config *cfg;
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	struct cps_engine *e;
	struct cps_error err = { 0 };
	struct cps_catalog_item items[20];
	static const char *queries[] = { "e", "eo", "eos", "eos ", "eos r", "eos r5", "eos r5 m",
					 "rf", "rf 7", "rf 70-", "rf 70-200", "ef 1", "cine", "pro-", "speed" };
	size_t n;
	double t0, t;

	if (!mkdtemp(dir))
		return 1;
	o.env = env;
	if (cps_config_defaults(&cfg, &o, &err) != CPS_OK)
		die("config", &err);
	snprintf(db, sizeof(db), "%s/bench.db", dir);
	set(&cfg->database, db);
	set(&cfg->assets_dir, getenv("CPSREG_ASSETS") ? getenv("CPSREG_ASSETS") : "assets");

	t0 = now_ms();
	if (cps_engine_open(&e, cfg, &err) != CPS_OK)
		die("open", &err);
	printf("engine open, new database + catalog load:  %8.2f ms\n", now_ms() - t0);
	cps_engine_close(e);

	int rounds = 20;
	t0 = now_ms();
	for (int i = 0; i < rounds; i++) {
		if (cps_engine_open(&e, cfg, &err) != CPS_OK)
			die("reopen", &err);
		cps_engine_close(e);
	}
	printf("engine open, existing database:            %8.2f ms\n", (now_ms() - t0) / rounds);

	if (cps_engine_open(&e, cfg, &err) != CPS_OK)
		die("open", &err);
	int searches = 0;
	t0 = now_ms();
	for (int r = 0; r < 200; r++) {
		for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
			if (cps_catalog_search(e, queries[q], items, 20, &n, &err) != CPS_OK)
				die("search", &err);
			searches++;
		}
	}
	t = now_ms() - t0;
	printf("catalog type-ahead search (per keystroke): %8.1f us  (%d searches)\n",
	       t * 1000.0 / searches, searches);

	struct cps_catalog_report rep = { 0 };
	snprintf(csv, sizeof(csv), "%s/catalog.csv", cfg->assets_dir);
	t0 = now_ms();
	if (cps_catalog_import(e, csv, &rep, &err) != CPS_OK)
		die("catalog import", &err);
	printf("catalog re-import (%d models):            %8.2f ms\n",
	       rep.added + rep.updated + rep.unchanged, now_ms() - t0);
	cps_catalog_report_free(&rep);

	/* a legacy export of 5000 accounts with 4 products each */
	snprintf(csv, sizeof(csv), "%s/legacy.csv", dir);
	FILE *f = fopen(csv, "w");
	if (!f)
		return 1;
	fprintf(f, "email,member_number,name,model,serial,purchase_date,purchase_country,dealer\n");
	static const char *models[] = { "EOS R5", "EOS R6", "RF 24-70mm F2.8L IS USM", "EF 70-200mm f/2.8L IS III USM" };
	for (int a = 0; a < 5000; a++)
		for (int p = 0; p < 4; p++)
			fprintf(f, "user%d@example.com,OLD-%06d,User %d,%s,%010d,2021-05,NO,Dealer %d\n",
				a, a, a, models[p], a * 4 + p + 1000000, a % 50);
	fclose(f);
	struct cps_legacy_report lr = { 0 };
	t0 = now_ms();
	if (cps_legacy_import(e, csv, &lr, &err) != CPS_OK)
		die("legacy import", &err);
	printf("legacy import (%lu rows):                %8.1f ms\n", lr.rows, now_ms() - t0);
	cps_legacy_report_free(&lr);
	t0 = now_ms();
	if (cps_legacy_import(e, csv, &lr, &err) != CPS_OK)
		die("legacy re-import", &err);
	printf("legacy re-import, nothing new:             %8.1f ms\n", now_ms() - t0);
	cps_legacy_report_free(&lr);
	cps_engine_close(e);

	/* composed text is the usual case; Vietnamese typed mark by mark is
	 * the most work a real name gives */
	nfc_figure("NFC, composed Nordic text:", "Bl\xc3\xa5" "b\xc3\xa6r Foto K\xc3\xb8" "benhavn ");
	nfc_figure("NFC, decomposed Vietnamese text:", "Tie\xcc\x82\xcc\x81ng Vie\xcc\xa3\xcc\x82t ");

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory (max RSS):                     %8ld KiB\n", ru.ru_maxrss);

	cps_config_free(cfg);
	unlink(csv);
	snprintf(csv, sizeof(csv), "rm -rf %s", dir);
	if (system(csv) != 0)
		return 1;
	return 0;
}
