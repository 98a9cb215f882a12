/* sqlite_load.c - opens libsqlite3 when the store first opens a database
 * (see sqlite_load.h): the wizard draws its first page before the library
 * is loaded. */
#define CPS_SQLITE_LOAD_SELF
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "sqlite_load.h"

struct cps_sqlite_api cps_sqlite;

/* Each pointer is filled from dlsym's void *, copied by its bytes: ISO C
 * has no conversion from an object pointer to a function pointer, POSIX
 * guarantees they have the same size and form. */
_Static_assert(sizeof(void *) == sizeof(cps_sqlite.sqlite3_step),
	       "a function pointer is as large as a data pointer");

#define CPS_SQLITE_ENTRY(name) { #name, offsetof(struct cps_sqlite_api, name) },
static const struct {
	const char *name;
	size_t offset;
} symbols[] = { CPS_SQLITE_FUNCS(CPS_SQLITE_ENTRY) };
#undef CPS_SQLITE_ENTRY

static void *handle;
static enum cps_err first_rc = CPS_OK;
static char first_msg[CPS_ERROR_MAX];

static enum cps_err load(struct cps_error *err)
{
	const char *why;
	void *h = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		why = dlerror();
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("SQLite is not installed: apt-get install libsqlite3-0 (%s)"),
				     why ? why : "libsqlite3.so.0");
	}
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *p = dlsym(h, symbols[i].name);

		if (!p) {
			/* never half a table: a call through it would crash */
			memset(&cps_sqlite, 0, sizeof(cps_sqlite));
			dlclose(h);
			return cps_error_set(err, CPS_ERR_MISSING,
					     _("the installed SQLite lacks %s: apt-get install libsqlite3-0"),
					     symbols[i].name);
		}
		memcpy((char *)&cps_sqlite + symbols[i].offset, &p, sizeof(p));
	}
	/* kept open for the process's life: every store uses it */
	handle = h;
	return CPS_OK;
}

enum cps_err cps_sqlite_load(struct cps_error *err)
{
	static int tried;

	if (handle)
		return CPS_OK;
	if (!tried) {
		struct cps_error e = { 0 };

		tried = 1;
		first_rc = load(&e);
		snprintf(first_msg, sizeof(first_msg), "%s", e.msg);
	}
	if (first_rc == CPS_OK)
		return CPS_OK;
	return cps_error_set(err, first_rc, "%s", first_msg);
}
