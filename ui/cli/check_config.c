/* check_config.c - "cpsreg --check-config": the effective configuration,
 * one key a line with where its value came from; secrets are hidden. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/config.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "ui.h"

int cmd_check_config(const struct cli *cli)
{
	struct cps_config *cfg;
	struct cps_key_view v;
	char levels[16384], raw[16384];
	int rc = cli_load_config(cli, &cfg, 0);

	if (rc != EXIT_OK)
		return rc;
	char file[1024] = "";

	printf(_("# configuration file: %s\n"),
	       cfg->file ? cps_text_quote(cfg->file, file, sizeof(file), CPS_TEXT_LINE)
			 : _("none (built-in defaults)"));
	for (size_t i = 0; i < cps_config_nkeys(); i++) {
		cps_config_key_view(cfg, i, &v);
		printf("%-28s = %-32s # %s\n", v.name, v.value, v.source);
	}
	printf(_("# levels (%s)\n"), cfg->levels_source == CPS_SRC_FILE ? file : _("default"));
	cps_config_levels_text(cfg, levels, sizeof(levels));
	/* level names come from the file */
	fputs(cps_text_quote(levels, raw, sizeof(raw), CPS_TEXT_KEEP_NL), stdout);
	/* valid, but a customer would be sent to a place with nothing there */
	if (!*cfg->iban)
		cli_warning("%s", _("payment.iban is not set: bank transfer is offered, and customers who choose it are told to ask staff for the bank details"));
	if (!*cfg->support_phone && !*cfg->support_email)
		cli_warning("%s", _("neither support.phone nor support.email is set: customers sent to support are given no way to reach it"));
	printf("%s\n", _("# the configuration is valid"));
	cps_config_free(cfg);
	return EXIT_OK;
}
