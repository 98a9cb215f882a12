/* cli.c - the command line: options, --help, --version, messages. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/cpsreg.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "keys.h"
#include "ui.h"

/* Every message goes through the engine's one sanitiser on its way out:
 * a message may quote a file, a CSV row, the store or a command line, and
 * a control character or escape sequence in there must not reach the
 * terminal. */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char small[1024], *raw = small, *out;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(small)) {
		raw = malloc((size_t)n + 1);
		if (raw)
			vsnprintf(raw, (size_t)n + 1, fmt, again);
		else
			raw = small; /* out of memory: the cut message will do */
	}
	va_end(again);
	out = malloc(strlen(raw) + 4);
	fputs(prefix, stderr);
	if (out) {
		fputs(cps_text_quote(raw, out, strlen(raw) + 4, CPS_TEXT_KEEP_NL), stderr);
		free(out);
	}
	fputc('\n', stderr);
	if (raw != small)
		free(raw);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("cpsreg: ", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "cpsreg: %s: ", _("warning"));
	va_start(ap, fmt);
	emit(prefix, fmt, ap);
	va_end(ap);
}

void cli_help(void)
{
	printf(_("Usage: cpsreg [OPTION]...\n"
		 "       cpsreg [OPTION]... COMMAND [ARGUMENT]...\n"
		 "       cpsreg --check-config [FILE]\n"
		 "Takes a professional photographer through joining Canon Professional\n"
		 "Services (CPS): business account, validation, products, migration of old\n"
		 "products, points, membership level and payment.\n"
		 "\n"
		 "Options:\n"
		 "  -c, --config FILE        read FILE instead of searching for cps.ini\n"
		 "  -d, --db FILE            use the database FILE (general.database)\n"
		 "  -s, --set SECTION.KEY=VALUE\n"
		 "                           override one setting; may be repeated\n"
		 "      --check-config [FILE]\n"
		 "                           print the effective configuration, each value with\n"
		 "                           its source (secrets hidden), and exit\n"
		 "      --dump-keys          print the wizard's keys, one \"KEY|NOTE\" a line,\n"
		 "                           and exit\n"
		 "  -h, --help               show this help and exit\n"
		 "  -V, --version            show the version and exit\n"
		 "\n"
		 "Without a COMMAND the wizard starts. Commands (for staff and scripts):\n"
		 ));
	commands_help();
	fputs(_("\n"
		"Typing in the wizard: a paste is text for the field, its control characters\n"
		"left out (bracketed paste, where the terminal has it); Esc in a text field\n"
		"only leaves the field (^B goes back); a full field says so. The wizard works\n"
		"in UTF-8 whatever the locale (C.UTF-8 when the session's is not UTF-8).\n"),
	      stdout);
	printf(_("\n"
		 "Configuration: without --config the first file found of $CPSREG_CONFIG,\n"
		 "./cps.ini, $XDG_CONFIG_HOME/cpsreg/cps.ini and %s/cpsreg/cps.ini is read;\n"
		 "none at all is fine (built-in defaults). A value given on the command line\n"
		 "wins over the environment (CPSREG_SECTION_KEY, e.g. CPSREG_REMOTE_URL),\n"
		 "which wins over the file, which wins over the defaults. cps.ini.example\n"
		 "describes every key.\n"
		 "\n"
		 "Exit status:\n"
		 "  0  success\n"
		 "  1  the check failed or the request was refused\n"
		 "  2  the command line is wrong\n"
		 "  3  the configuration is invalid or unsafe\n"
		 "  4  the database cannot be used (damaged, empty, too new, locked, no SQLite)\n"
		 "  5  the terminal cannot be used\n"
		 "  6  sync: the remote could not be reached; the changes wait for the next sync\n"
		 "  7  sync: libcurl is not installed (apt-get install libcurl4)\n"
		 "\n"
		 "Full documentation: man cpsreg\n"), "/etc");
}

void cli_version(void)
{
	printf("cpsreg %s\n", cps_version());
}

void cli_dump_keys(void)
{
	for (const enum cmd *c = keys_all; *c != CMD_NONE; c++)
		printf("%s|%s\n", keys_label(*c), keys_note(*c));
}

static int add_setting(struct cli *cli, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		cli_error(_("--set needs SECTION.KEY=VALUE, not '%s'"), arg);
		return EXIT_USAGE;
	}
	if (cli->nsettings == CLI_MAX_SETTINGS) {
		cli_error(_("too many --set options (at most %d)"), CLI_MAX_SETTINGS);
		return EXIT_USAGE;
	}
	char *name = strndup(arg, (size_t)(eq - arg));
	if (!name) {
		cli_error("%s", _("out of memory"));
		return EXIT_FAIL;
	}
	cli->setting_names[cli->nsettings] = name;
	cli->settings[cli->nsettings].name = name;
	cli->settings[cli->nsettings].value = eq + 1;
	cli->nsettings++;
	return EXIT_OK;
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
	enum { OPT_CHECK_CONFIG = 256, OPT_DUMP_KEYS };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "set", required_argument, NULL, 's' },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "dump-keys", no_argument, NULL, OPT_DUMP_KEYS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;
	char *db = NULL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:d:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli->config_path = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 's':
			if ((rc = add_setting(cli, optarg)) != EXIT_OK)
				return rc;
			break;
		case OPT_CHECK_CONFIG:
			cli->check_config = 1;
			break;
		case OPT_DUMP_KEYS:
			cli->dump_keys = 1;
			break;
		case 'h':
			cli->help = 1;
			break;
		case 'V':
			cli->version = 1;
			break;
		case ':':
			cli_error(_("option '%s' needs a value (see cpsreg --help)"), argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				cli_error(_("unknown option '-%c' (see cpsreg --help)"), optopt);
			else
				cli_error(_("unknown option '%s' (see cpsreg --help)"), argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	/* --db is a --set of general.database; it wins over an earlier --set */
	if (db) {
		if (cli->nsettings == CLI_MAX_SETTINGS) {
			cli_error(_("too many --set options (at most %d)"), CLI_MAX_SETTINGS);
			return EXIT_USAGE;
		}
		cli->settings[cli->nsettings].name = "general.database";
		cli->settings[cli->nsettings].value = db;
		cli->setting_names[cli->nsettings] = NULL;
		cli->nsettings++;
	}
	cli->argc = argc - optind;
	cli->argv = argv + optind;
	if (cli->check_config && cli->argc > 0) {
		if (cli->config_path) {
			cli_error("%s", _("give the file either with --config or after --check-config, not both"));
			return EXIT_USAGE;
		}
		cli->config_path = cli->argv[0];
		cli->argc--;
		cli->argv++;
	}
	if (cli->argc > 0 && cli->check_config) {
		cli_error(_("unexpected argument '%s' (see cpsreg --help)"), cli->argv[0]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void cli_free(struct cli *cli)
{
	for (size_t i = 0; i < cli->nsettings; i++)
		free(cli->setting_names[i]);
}

int cli_load_config(const struct cli *cli, struct cps_config **cfg, int quiet_warnings)
{
	struct cps_config_opts o = {
		.config_path = cli->config_path,
		.overrides = cli->settings,
		.noverrides = cli->nsettings,
		.tree_dir = cli->tree_dir,
	};
	struct cps_diags d = { 0 };
	struct cps_error err = { 0 };
	enum cps_err rc = cps_config_load(cfg, &o, &d, &err);

	for (size_t i = 0; i < d.n; i++) {
		if (d.v[i].is_error)
			cli_error("%s", d.v[i].text);
		else if (!quiet_warnings)
			cli_warning("%s", d.v[i].text);
	}
	cps_diags_free(&d);
	if (rc == CPS_OK)
		return EXIT_OK;
	if (rc == CPS_ERR_NOMEM) {
		cli_error("%s", err.msg);
		return EXIT_FAIL;
	}
	cli_error("%s", err.msg);
	return EXIT_CONFIG;
}
