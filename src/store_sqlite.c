/* store_sqlite.c - opens libsqlite3 when the store first opens a database
 * (see store_sqlite.h): the wizard draws its first page before the
 * library is loaded. */
#define CPS_STORE_SQLITE_SELF
#include "cpsreg/i18n.h"
#include "dlib.h"
#include "store_sqlite.h"

struct cps_sqlite_api cps_sqlite;

#define CPS_SQLITE_ENTRY(name) { #name, offsetof(struct cps_sqlite_api, name) },
static const struct cps_dlib_symbol symbols[] = { CPS_SQLITE_FUNCS(CPS_SQLITE_ENTRY) };
#undef CPS_SQLITE_ENTRY

static const char *const sonames[] = { "libsqlite3.so.0" };

static void *handle;

enum cps_err cps_sqlite_load(struct cps_error *err)
{
	char why[512];
	const char *missing;
	void *h;

	if (handle)
		return CPS_OK;
	h = cps_dlib_open(sonames, sizeof(sonames) / sizeof(sonames[0]), why, sizeof(why));
	if (!h)
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("SQLite is not installed: apt-get install libsqlite3-0 (%s)"),
				     why);
	missing = cps_dlib_fill(h, symbols, sizeof(symbols) / sizeof(symbols[0]), &cps_sqlite,
				sizeof(cps_sqlite));
	if (missing)
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("the installed SQLite lacks %s: apt-get install libsqlite3-0"),
				     missing);
	/* kept open for the process's life: every store uses it */
	handle = h;
	return CPS_OK;
}
