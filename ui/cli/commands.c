/* commands.c - the commands for staff and scripts ("cpsreg COMMAND ..."):
 * one table, from which --help lists them and main() runs them.  Each
 * command prints its result to standard output and its errors to standard
 * error, and returns an exit code of ui.h. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cpsreg/engine.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "cpsreg/secret.h"
#include "commands.h"
#include "ui.h"

/* check-id COUNTRY NUMBER: exit 0 valid, 1 invalid */
static int cmd_check_id(struct cmd_ctx *ctx, int argc, char **argv)
{
	char norm[CPS_IDENT_MAX];
	struct cps_error err = { 0 };

	(void)ctx;
	(void)argc;
	if (cps_ident_check(argv[0], argv[1], norm, sizeof(norm), &err) != CPS_OK) {
		printf(_("invalid: %s\n"), err.msg);
		return EXIT_FAIL;
	}
	printf(_("valid: %s\n"), norm);
	return EXIT_OK;
}

/* Reads one line from the terminal without echo, or from a pipe. */
static int read_secret(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(0);

	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(0, &old) != 0)
			return -1;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		/* a PIN is never read with echo on */
		if (tcsetattr(0, TCSAFLUSH, &quiet) != 0)
			return -1;
	}
	char *r = fgets(buf, (int)len, stdin);
	if (tty) {
		if (tcsetattr(0, TCSAFLUSH, &old) != 0)
			r = NULL; /* the terminal stays silent: say it failed */
		fputc('\n', stderr);
	}
	if (!r)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* hash-pin: reads a staff PIN and prints the hash for kiosk.staff_pin_hash */
static int cmd_hash_pin(struct cmd_ctx *ctx, int argc, char **argv)
{
	char pin[256], again[256] = "", hash[CPS_PASSWORD_HASH_SIZE];
	struct cps_error err = { 0 };
	int rc = EXIT_FAIL;

	(void)ctx;
	(void)argc;
	(void)argv;
	if (read_secret(_("Staff PIN: "), pin, sizeof(pin)) != 0) {
		cli_error("%s", _("no PIN was given"));
		return EXIT_FAIL;
	}
	size_t n = strlen(pin);
	if (n < 6 || n > 64) {
		cli_error("%s", _("a staff PIN needs 6 to 64 characters"));
		goto out;
	}
	if (isatty(0)) {
		if (read_secret(_("The same PIN again: "), again, sizeof(again)) != 0 ||
		    strcmp(pin, again) != 0) {
			cli_error("%s", _("the two PINs differ; nothing was made"));
			goto out;
		}
	}
	if (cps_password_hash(pin, hash, sizeof(hash), &err) != CPS_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	printf("%s\n", hash);
	rc = EXIT_OK;
out:
	explicit_bzero(pin, sizeof(pin));
	explicit_bzero(again, sizeof(again));
	return rc;
}

static const struct command commands[] = {
	{ "check-id", "COUNTRY NUMBER",
	  N_("check a VAT number or business ID offline"),
	  2, 2, 0, cmd_check_id },
	{ "hash-pin", "",
	  N_("print the hash of a staff PIN for cps.ini"),
	  0, 0, 0, cmd_hash_pin },
	STAFF_COMMANDS
	LIMIT_COMMANDS
	SYNC_COMMANDS
};

/* Characters, not bytes: the summaries are translated (UTF-8). */
static int text_width(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* The command's summary from column HELP_COL on, wrapped at word ends so
 * that no line is wider than HELP_WIDTH (staff read it over SSH at 80
 * columns, in three languages); a long head gets a line of its own. */
#define HELP_COL 31
#define HELP_WIDTH 79
static void print_summary(const char *head, const char *text)
{
	int col = printf("  %s", head);
	const char *p = text;

	if (col >= HELP_COL) {
		putchar('\n');
		col = 0;
	}
	while (*p) {
		const char *end = p, *cut = NULL;

		/* the longest run of whole words that fits; one word at least */
		for (;;) {
			const char *e = end;
			while (*e && *e != ' ')
				e++;
			if (cut && HELP_COL + text_width(p, (size_t)(e - p)) > HELP_WIDTH)
				break;
			cut = e;
			if (!*e)
				break;
			end = e + 1;
		}
		printf("%*s%.*s\n", HELP_COL - col, "", (int)(cut - p), p);
		col = 0;
		p = cut;
		while (*p == ' ')
			p++;
	}
}

void commands_help(void)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char head[64];
		snprintf(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		print_summary(head, _(commands[i].summary));
	}
}

/* Engine errors at start-up map to the documented exit codes. */
int cmd_exit_code(enum cps_err rc)
{
	switch (rc) {
	case CPS_OK:
		return EXIT_OK;
	case CPS_ERR_STORE:
	case CPS_ERR_SCHEMA:
	case CPS_ERR_CORRUPT:
	case CPS_ERR_BUSY:
		return EXIT_STORE;
	default:
		return EXIT_FAIL;
	}
}

int commands_run(const struct cli *cli)
{
	const char *name = cli->argv[0];
	int argc = cli->argc - 1;
	char **argv = cli->argv + 1;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		struct cmd_ctx ctx = { .cli = cli };
		struct cps_error err = { 0 };
		int rc;

		if (strcmp(name, c->name) != 0)
			continue;
		if (argc < c->min_args || argc > c->max_args) {
			cli_error(_("usage: cpsreg %s %s"), c->name, c->args);
			return EXIT_USAGE;
		}
		if (c->flags & CMD_ENGINE) {
			rc = cli_load_config(cli, &ctx.cfg, 0);
			if (rc != EXIT_OK)
				return rc;
			enum cps_err erc = cps_engine_open(&ctx.e, ctx.cfg, &err);
			if (erc != CPS_OK) {
				cli_error("%s", err.msg);
				cps_config_free(ctx.cfg);
				/* no SQLite is a database that cannot be used */
				if (erc == CPS_ERR_IO || erc == CPS_ERR_MISSING)
					return EXIT_STORE;
				return cmd_exit_code(erc);
			}
		}
		rc = c->run(&ctx, argc, argv);
		cps_engine_close(ctx.e);
		cps_config_free(ctx.cfg);
		return rc;
	}
	cli_error(_("unknown command '%s' (see cpsreg --help)"), name);
	return EXIT_USAGE;
}
