/* fuzz_legacy.c - importing an export of the old CPS system
 * (cps_legacy_import) into the engine's database, then reading back the
 * old account and products of the sample's first e-mail.
 *
 * The input is the export.  Properties: OK, or refused with INVALID (or
 * IO) and a report whose kept messages are at most CPS_LEGACY_MAX_ERRORS
 * of nerrors; on success the report has no problem and an imported old
 * account lists its products.  An import that changed the database is
 * undone before the next input. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/legacy.h"
#include "fuzz.h"

static int one_product(const struct cps_legacy_product *p, void *arg)
{
	FZ_ASSERT(p->model && p->category && p->serial && p->purchase_date &&
		  p->purchase_country && p->dealer);
	(*(int *)arg)++;
	return 0;
}

/* Every e-mail of the file that is an old account now lists its products. */
static void read_back(struct cps_engine *e, const char *text)
{
	char *copy = strdup(text), *save = NULL;
	int lines = 0;

	if (!copy)
		return;
	for (char *l = strtok_r(copy, "\n", &save); l && lines < 8;
	     l = strtok_r(NULL, "\n", &save), lines++) {
		struct cps_legacy_account acc;
		struct cps_error err = { 0 };
		char *comma = strchr(l, ',');
		int n = 0;

		if (comma)
			*comma = '\0';
		if (cps_legacy_find(e, l, &acc, &err) != CPS_OK)
			continue;
		FZ_ASSERT(cps_legacy_products(e, acc.id, one_product, &n, &err) == CPS_OK);
		FZ_ASSERT(n == acc.products);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cps_engine *e = fz_engine();
	struct cps_legacy_report rep;
	struct cps_error err = { 0 };
	const char *path;
	enum cps_err rc;

	if (size > 256 * 1024)
		return 0;
	path = fz_write("export.csv", data, size);
	rc = cps_legacy_import(e, path, &rep, &err);
	FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	FZ_ASSERT(rep.nkept <= rep.nerrors && rep.nkept <= CPS_LEGACY_MAX_ERRORS);
	for (size_t i = 0; i < rep.nkept; i++)
		FZ_ASSERT(rep.errors[i] != NULL);
	if (rc == CPS_OK) {
		char *text = fz_cstr(data, size);

		FZ_ASSERT(rep.nerrors == 0);
		read_back(e, text);
		free(text);
	} else {
		FZ_ASSERT(rc == CPS_ERR_INVALID || rc == CPS_ERR_IO);
	}
	cps_legacy_report_free(&rep);
	if (rc == CPS_OK)
		fz_engine_reset();
	return 0;
}
