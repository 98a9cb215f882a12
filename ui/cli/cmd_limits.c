/* cmd_limits.c - the staff commands for the rate limits on resume codes and
 * logins: "limits" shows them, "unlock" lifts them (README, "Running a
 * kiosk"). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/limit.h"
#include "cpsreg/text.h"
#include "commands.h"
#include "sanitize.h"

static int print_limit(const struct cps_limit *l, void *arg)
{
	char when[32], key[512];
	int *n = arg;

	cps_local_time_text(l->last_failed_at, CPS_TIME_MINUTE, when, sizeof(when));
	sanitize_line(l->key, key, sizeof(key));
	if (l->wait > 0)
		printf(_("%-8s %-32s %d wrong in a row, last %s; waits %ld s more\n"),
		       l->scope, key, l->failures, when, l->wait);
	else
		printf(_("%-8s %-32s %d wrong in a row, last %s\n"), l->scope, key, l->failures, when);
	(*n)++;
	return 0;
}

/* limits: every terminal, code and login with wrong tries */
int cmd_limits(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_error err = { 0 };
	int n = 0;

	(void)argc;
	(void)argv;
	enum cps_err rc = cps_limits_list(ctx->e, print_limit, &n, &err);
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	if (n == 0)
		printf("%s\n", _("no wrong tries recorded"));
	return EXIT_OK;
}

/* unlock terminal NAME | code CODE | login EMAIL | all */
int cmd_unlock(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_error err = { 0 };
	const char *scope = argv[0], *key = argc > 1 ? argv[1] : NULL;

	if ((strcmp(scope, "all") == 0) != (argc == 1)) {
		cli_error("%s", _("usage: cpsreg unlock terminal NAME | code CODE | login EMAIL | all"));
		return EXIT_USAGE;
	}
	enum cps_err rc = cps_limit_lift(ctx->e, scope, key, staff_name(NULL), &err);
	if (rc == CPS_ERR_INVALID) {
		cli_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	printf("%s\n", _("unlocked"));
	return EXIT_OK;
}
