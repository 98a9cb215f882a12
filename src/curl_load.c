/* curl_load.c - opens libcurl when the sync first needs it (see
 * curl_load.h): the wizard's process, and every command without a
 * remote, never loads it nor the libraries it pulls in. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "curl_load.h"

struct cps_curl_api cps_curl;

/* Each pointer is filled from dlsym's void *, copied by its bytes: ISO C
 * has no conversion from an object pointer to a function pointer, POSIX
 * guarantees they have the same size and form. */
_Static_assert(sizeof(void *) == sizeof(cps_curl.easy_init),
	       "a function pointer is as large as a data pointer");

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
	{ "curl_global_init", offsetof(struct cps_curl_api, global_init) },
	{ "curl_global_cleanup", offsetof(struct cps_curl_api, global_cleanup) },
	{ "curl_easy_init", offsetof(struct cps_curl_api, easy_init) },
	{ "curl_easy_setopt", offsetof(struct cps_curl_api, easy_setopt) },
	{ "curl_easy_perform", offsetof(struct cps_curl_api, easy_perform) },
	{ "curl_easy_getinfo", offsetof(struct cps_curl_api, easy_getinfo) },
	{ "curl_easy_cleanup", offsetof(struct cps_curl_api, easy_cleanup) },
	{ "curl_easy_strerror", offsetof(struct cps_curl_api, easy_strerror) },
	{ "curl_easy_escape", offsetof(struct cps_curl_api, easy_escape) },
	{ "curl_free", offsetof(struct cps_curl_api, mem_free) },
	{ "curl_slist_append", offsetof(struct cps_curl_api, slist_append) },
	{ "curl_slist_free_all", offsetof(struct cps_curl_api, slist_free_all) },
};

/* Debian's libcurl4 (OpenSSL), then libcurl3-gnutls (which git pulls
 * in): the same API and ABI, so either serves. */
static const char *const sonames[] = { "libcurl.so.4", "libcurl-gnutls.so.4" };

static void *handle;

enum cps_err cps_curl_load(struct cps_error *err)
{
	char first[512] = "";
	void *h = NULL;

	if (handle)
		return CPS_OK;
	for (size_t i = 0; i < sizeof(sonames) / sizeof(sonames[0]) && !h; i++) {
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (!h && !first[0]) {
			const char *why = dlerror();
			snprintf(first, sizeof(first), "%s", why ? why : sonames[i]);
		}
	}
	if (!h)
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("libcurl is not installed: apt-get install libcurl4 (%s)"),
				     first);
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *p = dlsym(h, symbols[i].name);

		if (!p) {
			/* never half a table: a call through it would crash */
			memset(&cps_curl, 0, sizeof(cps_curl));
			dlclose(h);
			return cps_error_set(err, CPS_ERR_MISSING,
					     _("the installed libcurl lacks %s (7.85 or newer is needed): apt-get install libcurl4"),
					     symbols[i].name);
		}
		memcpy((char *)&cps_curl + symbols[i].offset, &p, sizeof(p));
	}
	/* kept open for the process's life: libcurl's TLS library registers
	 * handlers that must outlive it */
	handle = h;
	return CPS_OK;
}
