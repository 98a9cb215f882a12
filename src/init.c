/* init.c - the engine's global set-up (see include/cpsreg/cpsreg.h). */
#include "buildpaths.h"
#include "cpsreg/cpsreg.h"
#include "cpsreg/i18n.h"
#include "curl_load.h"

static int initialised;

enum cps_err cps_init(struct cps_error *err)
{
	/* the network library is started by cps_init_network, when a remote
	 * is opened: otherwise its TLS set-up was most of the start-up */
	(void)err;
	return CPS_OK;
}

enum cps_err cps_init_network(struct cps_error *err)
{
	if (initialised)
		return CPS_OK;
	/* the library itself is opened here, not at the program's start */
	enum cps_err rc = cps_curl_load(err);
	if (rc != CPS_OK)
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cps_error_set(err, CPS_ERR_NETWORK, "%s",
				     _("the network library could not be started"));
	initialised = 1;
	return CPS_OK;
}

void cps_cleanup(void)
{
	if (!initialised)
		return;
	curl_global_cleanup();
	initialised = 0;
}

const char *cps_version(void)
{
	return CPS_VERSION;
}
