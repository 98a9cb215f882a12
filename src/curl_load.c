/* curl_load.c - opens libcurl when the sync first needs it (see
 * curl_load.h): the wizard's process, and every command without a
 * remote, never loads it nor the libraries it pulls in. */
#include "cpsreg/i18n.h"
#include "curl_load.h"
#include "dlib.h"

struct cps_curl_api cps_curl;

static const struct cps_dlib_symbol symbols[] = {
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
	char first[512];
	const char *missing;
	void *h;

	if (handle)
		return CPS_OK;
	h = cps_dlib_open(sonames, sizeof(sonames) / sizeof(sonames[0]), first, sizeof(first));
	if (!h)
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("libcurl is not installed: apt-get install libcurl4 (%s)"),
				     first);
	missing = cps_dlib_fill(h, symbols, sizeof(symbols) / sizeof(symbols[0]), &cps_curl,
				sizeof(cps_curl));
	if (missing)
		return cps_error_set(err, CPS_ERR_MISSING,
				     _("the installed libcurl lacks %s (7.85 or newer is needed): apt-get install libcurl4"),
				     missing);
	/* kept open for the process's life: libcurl's TLS library registers
	 * handlers that must outlive it */
	handle = h;
	return CPS_OK;
}
