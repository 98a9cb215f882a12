/* cmd_staff.c - the commands shop staff run over SSH: importing the
 * catalog and legacy accounts, approving and rejecting applications,
 * looking up a customer, and handing over messages. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpsreg/account.h"
#include "cpsreg/text.h"
#include "cpsreg/catalog.h"
#include "cpsreg/flow.h"
#include "cpsreg/level.h"
#include "cpsreg/i18n.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "commands.h"
#include "sanitize.h"

static int print_message(const struct cps_message *m, void *arg)
{
	char when[32], buf[4096];
	int *n = arg;

	cps_local_time_text(m->created_at, CPS_TIME_MINUTE, when, sizeof(when));
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

/* Who is acting: --staff NAME, else the user who ran sudo, else the login. */
static const char *staff_name(const char *given)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw;

	if (given && *given)
		return given;
	if (sudo && *sudo)
		return sudo;
	pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "staff";
}

/* Splits "EMAIL [--staff NAME] [--reason TEXT]" into its parts. */
static int parse_staff_args(const char *cmd, int argc, char **argv, const char **email,
			    const char **staff, const char **reason)
{
	*email = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc) {
			*staff = argv[++i];
		} else if (reason && strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
			*reason = argv[++i];
		} else if (argv[i][0] == '-' || *email) {
			cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), cmd, argv[i]);
			return EXIT_USAGE;
		} else {
			*email = argv[i];
		}
	}
	if (!*email) {
		cli_error(_("%s: give the applicant's e-mail address"), cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int find_pending(struct cmd_ctx *ctx, const char *email, struct cps_application *app)
{
	struct cps_error err = { 0 };
	enum cps_err rc = cps_application_find_by_email(ctx->e, email, app, &err);

	if (rc == CPS_ERR_NOT_FOUND) {
		cli_error(_("no application with the e-mail %s"), email);
		return EXIT_FAIL;
	}
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	return EXIT_OK;
}

/* approve EMAIL [--staff NAME] */
int cmd_approve(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *email, *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	char token[128];
	char buf[512];
	int rc = app ? parse_staff_args("approve", argc, argv, &email, &staff, NULL) : EXIT_FAIL;

	if (rc == EXIT_OK)
		rc = find_pending(ctx, email, app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_application_approve(ctx->e, app->id, staff_name(staff),
							   token, sizeof(token), &err);
		explicit_bzero(token, sizeof(token));
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			printf(_("approved: %s (%s)\n"), sanitize_line(app->email, buf, sizeof(buf)),
			       sanitize_line(app->company, buf + 256, sizeof(buf) - 256));
			printf(_("A password-set code was sent as a message; hand it over with: cpsreg messages %s\n"),
			       sanitize_line(app->email, buf, sizeof(buf)));
		}
	}
	free(app);
	return rc;
}

/* reject EMAIL --reason TEXT [--staff NAME] */
int cmd_reject(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *email, *staff = NULL, *reason = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	char buf[512];
	int rc = app ? parse_staff_args("reject", argc, argv, &email, &staff, &reason) : EXIT_FAIL;

	if (rc == EXIT_OK && (!reason || !*reason)) {
		cli_error("%s", _("reject: give the reason with --reason TEXT; the customer reads it"));
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = find_pending(ctx, email, app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_application_reject(ctx->e, app->id, staff_name(staff), reason, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			printf(_("rejected: %s; the customer can correct the application and send it again\n"),
			       sanitize_line(app->email, buf, sizeof(buf)));
		}
	}
	free(app);
	return rc;
}

/* import-catalog FILE */
int cmd_import_catalog(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_catalog_report r = { 0 };
	struct cps_error err = { 0 };
	char buf[1024];

	(void)argc;
	enum cps_err rc = cps_catalog_import(ctx->e, argv[0], &r, &err);
	if (rc != CPS_OK) {
		for (size_t i = 0; i < r.nerrors; i++)
			cli_error("%s", sanitize_line(r.errors[i], buf, sizeof(buf)));
		if (r.nerrors == 0)
			cli_error("%s", err.msg);
		else
			cli_error("%s", _("nothing was imported; correct the file and run the import again"));
		cps_catalog_report_free(&r);
		return cmd_exit_code(rc);
	}
	printf(_("catalog imported: %d added, %d updated, %d unchanged, %d retired\n"),
	       r.added, r.updated, r.unchanged, r.retired);
	cps_catalog_report_free(&r);
	return EXIT_OK;
}

/* import-legacy FILE */
int cmd_import_legacy(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_legacy_report r = { 0 };
	struct cps_error err = { 0 };
	char buf[1024];

	(void)argc;
	enum cps_err rc = cps_legacy_import(ctx->e, argv[0], &r, &err);
	if (rc != CPS_OK) {
		for (size_t i = 0; i < r.nkept; i++)
			cli_error("%s", sanitize_line(r.errors[i], buf, sizeof(buf)));
		if (r.nkept == 0)
			cli_error("%s", err.msg);
		else if (r.nerrors > r.nkept)
			cli_error(_("... and %zu more problems; nothing was imported"), r.nerrors - r.nkept);
		else
			cli_error("%s", _("nothing was imported; correct the file and run the import again"));
		cps_legacy_report_free(&r);
		return cmd_exit_code(rc);
	}
	/* each count with its own plural ("1 account added") */
	char rows[64], accounts[96], products[96];
	snprintf(rows, sizeof(rows), dngettext(CPS_TEXTDOMAIN, "%lu row", "%lu rows", r.rows),
		 (unsigned long)r.rows);
	snprintf(accounts, sizeof(accounts), dngettext(CPS_TEXTDOMAIN, "%d account added",
		 "%d accounts added", (unsigned long)r.accounts_added), r.accounts_added);
	snprintf(products, sizeof(products), dngettext(CPS_TEXTDOMAIN, "%d product added",
		 "%d products added", (unsigned long)r.products_added), r.products_added);
	printf(_("legacy accounts imported from %s: %s, %d updated, %d unchanged; "
		 "%s, %d updated, %d unchanged\n"),
	       rows, accounts, r.accounts_updated, r.accounts_unchanged,
	       products, r.products_updated, r.products_unchanged);
	cps_legacy_report_free(&r);
	return EXIT_OK;
}

/* status EMAIL: the customer's state, points and open levels */
int cmd_status(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_flow *f = calloc(1, sizeof(*f));
	struct cps_level_status lv[CPS_MAX_LEVELS];
	struct cps_invitation inv;
	struct cps_error err = { 0 };
	char buf[1024], b2[256];
	int n, rc;

	(void)argc;
	if (!app || !f) {
		free(app);
		free(f);
		cli_error("%s", _("out of memory"));
		return EXIT_FAIL;
	}
	rc = find_pending(ctx, argv[0], app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_flow_get(ctx->e, app->id, f, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		}
	}
	if (rc != EXIT_OK) {
		free(app);
		free(f);
		return rc;
	}
	printf("%s: %s (%s)\n", sanitize_line(app->email, buf, sizeof(buf)),
	       sanitize_line(app->company, b2, sizeof(b2)), app->country);
	printf(_("application: %s\n"), cps_app_status_label(app->status));
	printf(dngettext(CPS_TEXTDOMAIN, "points: %ld, from %d of %d product with a green tick\n",
			 "points: %ld, from %d of %d products with a green tick\n",
			 (unsigned long)f->products_registered),
	       f->points, f->products_complete, f->products_registered);
	if (f->invited)
		printf("%s\n", _("invitation: invited to join CPS"));
	else
		printf(dngettext(CPS_TEXTDOMAIN, "invitation: not yet, %d more point needed\n",
				 "invitation: not yet, %d more points needed\n",
				 (unsigned long)f->points_missing), f->points_missing);
	cps_level_evaluate(ctx->cfg, (int)f->points, f->products_registered, lv, &n, &inv);
	printf("%s", _("open levels:"));
	int any = 0;
	for (int i = 0; i < n; i++) {
		if (!lv[i].open)
			continue;
		printf("%s %s", any ? "," : "", sanitize_line(lv[i].level->name, b2, sizeof(b2)));
		any = 1;
	}
	printf("%s\n", any ? "" : _(" none"));
	if (f->member) {
		printf(_("membership: %s (%s), active\n"), f->membership_number,
		       sanitize_line(f->level_name, b2, sizeof(b2)));
		if (f->old_membership_number[0])
			printf(_("old membership number: %s (it has changed)\n"),
			       sanitize_line(f->old_membership_number, b2, sizeof(b2)));
	}
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		const struct cps_flow_step *s = &f->steps[i];
		printf("  %c %-11s %-7s %s\n", (enum cps_step)i == f->current ? '>' : ' ',
		       cps_flow_step_label((enum cps_step)i), cps_flow_state_label(s->state),
		       sanitize_line(s->why[0] ? s->why : s->status, buf, sizeof(buf)));
	}
	free(app);
	free(f);
	return EXIT_OK;
}
