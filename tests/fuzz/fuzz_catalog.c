/* fuzz_catalog.c - importing a product catalog (cps_catalog_import) into
 * the engine's database, then the type-ahead search over what it holds.
 *
 * The input is the catalog file.  Properties: the import is OK or refused
 * with INVALID (or IO); a refusal lists at most CPS_CATALOG_MAX_ERRORS
 * problems plus one summary line and changes nothing (the catalog count
 * stays); on success the counts add up to the models of the file.  An
 * import that changed the database is undone before the next input. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/catalog.h"
#include "fuzz.h"

static const char *const queries[] = { "eos", "r5", "ef 70", "x", "Mârk" };

static size_t count(struct cps_engine *e)
{
	struct cps_error err = { 0 };
	size_t n = 0;

	FZ_ASSERT(cps_catalog_count(e, 0, &n, &err) == CPS_OK);
	return n;
}

static void search(struct cps_engine *e, const char *q)
{
	struct cps_catalog_item res[8];
	struct cps_error err = { 0 };
	size_t n = 99;

	FZ_ASSERT(cps_catalog_search(e, q, res, 8, &n, &err) == CPS_OK);
	FZ_ASSERT(n <= 8);
	for (size_t i = 0; i < n; i++) {
		FZ_ASSERT(res[i].active);
		FZ_ASSERT(memchr(res[i].model, '\0', sizeof(res[i].model)) != NULL);
		FZ_ASSERT(memchr(res[i].serial_pattern, '\0', sizeof(res[i].serial_pattern)) != NULL);
		FZ_ASSERT(cps_catalog_pattern_valid(res[i].serial_pattern, NULL, 0));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cps_engine *e = fz_engine();
	struct cps_catalog_report rep;
	struct cps_error err = { 0 };
	size_t before, n;
	const char *path;
	enum cps_err rc;

	if (size > 256 * 1024)
		return 0;
	before = count(e);
	path = fz_write("catalog.csv", data, size);
	memset(&rep, 0, sizeof(rep));
	rc = cps_catalog_import(e, path, &rep, &err);
	FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (rc == CPS_OK) {
		FZ_ASSERT(rep.nerrors == 0 && rep.nproblems == 0);
		FZ_ASSERT(rep.added >= 0 && rep.updated >= 0 && rep.unchanged >= 0 && rep.retired >= 0);
		n = count(e);
		FZ_ASSERT(n == before + (size_t)rep.added);
		for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
			search(e, queries[i]);
	} else {
		FZ_ASSERT(rc == CPS_ERR_INVALID || rc == CPS_ERR_IO);
		FZ_ASSERT(rep.nerrors <= CPS_CATALOG_MAX_ERRORS + 1);
		FZ_ASSERT(rep.nproblems >= (rep.nerrors > CPS_CATALOG_MAX_ERRORS ? CPS_CATALOG_MAX_ERRORS : rep.nerrors));
		for (size_t i = 0; i < rep.nerrors; i++)
			FZ_ASSERT(rep.errors[i] != NULL);
		FZ_ASSERT(count(e) == before);
	}
	cps_catalog_report_free(&rep);
	if (rc == CPS_OK)
		fz_engine_reset();
	return 0;
}
