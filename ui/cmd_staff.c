/* cmd_staff.c - the commands shop staff run over SSH: importing the
 * catalog and legacy accounts, approving and rejecting applications,
 * looking up a customer, and handing over messages. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cpsreg/i18n.h"
#include "cpsreg/message.h"
#include "commands.h"
#include "sanitize.h"

static int print_message(const struct cps_message *m, void *arg)
{
	char when[32], buf[4096];
	struct tm tm;
	int *n = arg;
	time_t t = m->created_at;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	printf(_("--- message %lld (%s), %s\n"), m->id, sanitize_line(m->kind, buf, sizeof(buf)), when);
	printf(_("To: %s\n"), sanitize_line(m->recipient, buf, sizeof(buf)));
	printf(_("Subject: %s\n"), sanitize_line(m->subject, buf, sizeof(buf)));
	printf("\n%s\n\n", sanitize_text(m->body, buf, sizeof(buf)));
	(*n)++;
	return 0;
}

/* messages [EMAIL] */
int cmd_messages(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_error err = { 0 };
	int n = 0;

	enum cps_err rc = cps_messages_pending(ctx->e, argc ? argv[0] : NULL,
					       print_message, &n, &err);
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	if (n == 0)
		printf("%s\n", _("no messages waiting"));
	return EXIT_OK;
}
