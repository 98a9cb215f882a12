/* ui.h - what the files of ui/cli/ share: the parsed command line, exit codes
 * and the entry points of the commands. */
#ifndef CPSREG_UI_H
#define CPSREG_UI_H

#include <stddef.h>

#include "cpsreg/config.h"

/* Exit codes (documented in --help and the man page). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,      /* the check failed or the request was refused */
	EXIT_USAGE = 2,     /* the command line is wrong */
	EXIT_CONFIG = 3,    /* the configuration is invalid or unsafe */
	EXIT_STORE = 4,     /* the database cannot be used */
	EXIT_TERMINAL = 5,  /* the screen cannot be started */
	EXIT_REMOTE = 6,    /* sync: the remote could not be reached */
	EXIT_MISSING = 7    /* sync: libcurl is not installed */
};

#define CLI_MAX_SETTINGS 64

struct cli {
	const char *config_path;
	int check_config;
	int help, version;
	int dump_keys;       /* --dump-keys: print the key table */
	struct cps_setting settings[CLI_MAX_SETTINGS];
	size_t nsettings;
	char *setting_names[CLI_MAX_SETTINGS];  /* owned copies of "sec.key" */
	int argc;            /* operands left after the options */
	char **argv;
	const char *tree_dir; /* source tree the binary runs from, or NULL */
};

/* Parses argv into cli; prints a message and returns EXIT_USAGE on error. */
int cli_parse(struct cli *cli, int argc, char **argv);
void cli_free(struct cli *cli);
void cli_help(void);
void cli_version(void);
/* The wizard's key table, one "KEYS|NOTE" line per command (translated
 * notes): the help screen and the key bar come from the same table. */
void cli_dump_keys(void);

/* Loads the configuration for cli, printing diagnostics to stderr.
 * Returns EXIT_OK or the exit code to leave with. */
int cli_load_config(const struct cli *cli, struct cps_config **cfg, int quiet_warnings);

/* --check-config: prints the effective configuration. */
int cmd_check_config(const struct cli *cli);

/* Prints "cpsreg: " and the message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The commands for staff and scripts (ui/cli/commands.c). */
void commands_help(void);
int commands_run(const struct cli *cli);


#endif
