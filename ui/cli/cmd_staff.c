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
#include "cpsreg/audit.h"
#include "cpsreg/catalog.h"
#include "cpsreg/flow.h"
#include "cpsreg/level.h"
#include "cpsreg/i18n.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/lang.h"
#include "cpsreg/payment.h"
#include "cpsreg/privacy.h"
#include "cpsreg/product.h"
#include "cpsreg/text.h"
#include "commands.h"
#include "sanitize.h"

/* The list's three headings are translated once, not per message (a
 * shop's list may hold thousands); the compiler still checks each
 * format against its arguments. */
struct listing {
	const char *head, *to, *subject;
	int n;
};

__attribute__((format_arg(2)))
static const char *once(const char **slot, const char *msgid)
{
	if (!*slot)
		*slot = _(msgid);
	return *slot;
}

static int print_message(const struct cps_message *m, void *arg)
{
	char when[32], buf[4096];
	struct listing *l = arg;

	cps_local_time_text(m->created_at, CPS_TIME_MINUTE, when, sizeof(when));
	printf(once(&l->head, N_("--- message %lld (%s), %s\n")), m->id,
	       sanitize_line(m->kind, buf, sizeof(buf)), when);
	printf(once(&l->to, N_("To: %s\n")), sanitize_line(m->recipient, buf, sizeof(buf)));
	printf(once(&l->subject, N_("Subject: %s\n")), sanitize_line(m->subject, buf, sizeof(buf)));
	printf("\n%s\n\n", sanitize_text(m->body, buf, sizeof(buf)));
	l->n++;
	return 0;
}

/* messages [EMAIL] */
int cmd_messages(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_error err = { 0 };
	struct listing l = { 0 };

	enum cps_err rc = cps_messages_pending(ctx->e, argc ? argv[0] : NULL,
					       print_message, &l, &err);
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	if (l.n == 0)
		printf("%s\n", _("no messages waiting"));
	return EXIT_OK;
}

/* Who is acting: --staff NAME, else the user who ran sudo, else the login. */
const char *staff_name(const char *given)
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
			printf(_("A password-set code waits as a message; show it with: cpsreg messages %s, then mark it with: cpsreg handed-over ID\n"),
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
	enum cps_err rc = cps_catalog_import_as(ctx->e, argv[0], staff_name(NULL), &r, &err);
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
	enum cps_err rc = cps_legacy_import_as(ctx->e, argv[0], staff_name(NULL), &r, &err);
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

/* The membership's invoice: the remote's may still be on its way. */
static void print_invoice(struct cmd_ctx *ctx, long long account_id)
{
	struct cps_membership m;
	char money[CPS_MONEY_SIZE], due[32], b1[64], b2[CPS_PAYMENT_LINK_SIZE];

	if (cps_membership_get(ctx->e, account_id, &m, NULL) != CPS_OK)
		return;
	if (m.invoice_state == CPS_INVOICE_REQUESTED) {
		printf("%s\n", _("invoice: requested from the remote, not received yet"));
		return;
	}
	printf(_("invoice: %s, %s, due on %s (%s)\n"), sanitize_line(m.invoice_number, b1, sizeof(b1)),
	       cps_money_format(m.amount_cents, m.currency, money, sizeof(money)),
	       cps_date_shown(m.due_on, due, sizeof(due)),
	       m.invoice_state == CPS_INVOICE_RECEIVED ? _("from the remote") : _("issued here"));
	if (m.payment_link[0])
		printf(_("payment link: %s\n"), sanitize_line(m.payment_link, b2, sizeof(b2)));
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
		print_invoice(ctx, app->id);
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

/* handed-over ID [--staff NAME]: the message was given to the customer */
int cmd_handed_over(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *staff = NULL;
	struct cps_error err = { 0 };
	char *end;
	long long id = strtoll(argv[0], &end, 10);

	if (argc == 3 && strcmp(argv[1], "--staff") == 0)
		staff = argv[2];
	else if (argc != 1) {
		cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), "handed-over", argv[1]);
		return EXIT_USAGE;
	}
	if (*end || id <= 0) {
		cli_error(_("handed-over: '%s' is not a message number (cpsreg messages shows them)"), argv[0]);
		return EXIT_USAGE;
	}
	enum cps_err rc = cps_message_handed_over(ctx->e, id, staff_name(staff), &err);
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	printf(_("message %lld handed over; its code is removed from the store\n"), id);
	return EXIT_OK;
}

/* accept-id EMAIL NUMBER [--staff NAME]: staff checked the number */
int cmd_accept_id(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	char buf[512];
	int rc = app ? EXIT_OK : EXIT_FAIL;

	if (rc == EXIT_OK && argc == 4 && strcmp(argv[2], "--staff") == 0)
		staff = argv[3];
	else if (rc == EXIT_OK && argc != 2) {
		cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), "accept-id", argv[2]);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = find_pending(ctx, argv[0], app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_application_override_id(ctx->e, app->id, argv[1],
							       staff_name(staff), &err);
		if (erc == CPS_OK)
			erc = cps_application_load(ctx->e, app->id, app, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			printf(_("accepted: %s for %s\n"), sanitize_line(app->vat_number, buf, 256),
			       sanitize_line(app->email, buf + 256, sizeof(buf) - 256));
		}
	}
	free(app);
	return rc;
}

/* confirm-serial EMAIL SERIAL [--staff NAME]: staff saw that an unusual
 * serial number is right */
int cmd_confirm_serial(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	struct cps_product p;
	char b1[256], b2[256];
	int rc = app ? EXIT_OK : EXIT_FAIL;

	if (rc == EXIT_OK && argc == 4 && strcmp(argv[2], "--staff") == 0)
		staff = argv[3];
	else if (rc == EXIT_OK && argc != 2) {
		cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), "confirm-serial", argv[2]);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = find_pending(ctx, argv[0], app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_product_confirm_serial(ctx->e, app->id, argv[1],
							      staff_name(staff), &p, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else if (p.complete) {
			printf(ngettext("confirmed: %s %s; it has the green tick and counts %d point\n",
					"confirmed: %s %s; it has the green tick and counts %d points\n",
					(unsigned long)p.worth),
			       sanitize_line(p.model, b1, sizeof(b1)), sanitize_line(p.serial, b2, sizeof(b2)),
			       p.worth);
		} else {
			char missing[256];
			cps_product_missing(&p, missing, sizeof(missing));
			printf(_("confirmed: %s %s; still %s\n"), sanitize_line(p.model, b1, sizeof(b1)),
			       sanitize_line(p.serial, b2, sizeof(b2)), missing);
		}
	}
	free(app);
	return rc;
}

static int print_audit(const struct cps_audit_line *l, void *arg)
{
	char when[64], who[256], whom[300], b1[128], b2[128];
	int *n = arg;

	cps_local_time_text(l->at, CPS_TIME_MINUTE, when, sizeof(when));
	snprintf(who, sizeof(who), _("%s (Unix user %s)"), sanitize_line(l->actor, b1, sizeof(b1)),
		 sanitize_line(l->os_user, b2, sizeof(b2)));
	if (l->email)
		sanitize_line(l->email, whom, sizeof(whom));
	else if (l->account_id)
		snprintf(whom, sizeof(whom), _("account %lld (erased)"), l->account_id);
	else
		snprintf(whom, sizeof(whom), "-");
	if (l->ref)
		printf(_("%s  %-21s %s  by %s  message %lld\n"), when, l->action, whom, who, l->ref);
	else
		printf(_("%s  %-21s %s  by %s\n"), when, l->action, whom, who);
	(*n)++;
	return 0;
}

/* audit [EMAIL]: every staff action, oldest first */
int cmd_audit(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_application *app = NULL;
	struct cps_error err = { 0 };
	long long account = 0;
	int n = 0, rc = EXIT_OK;

	if (argc) {
		app = calloc(1, sizeof(*app));
		rc = app ? find_pending(ctx, argv[0], app) : EXIT_FAIL;
		account = app ? app->id : 0;
		free(app);
		if (rc != EXIT_OK)
			return rc;
	}
	enum cps_err erc = cps_audit_list(ctx->e, account, print_audit, &n, &err);
	if (erc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(erc);
	}
	if (n == 0)
		printf("%s\n", _("no staff actions recorded"));
	return EXIT_OK;
}

/* correct-old-email EMAIL OLD_EMAIL [--staff NAME]: then the migration
 * check again */
int cmd_correct_old_email(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_migration_info info;
	struct cps_error err = { 0 };
	char buf[CPS_MIGRATION_TEXT_MAX];
	int rc = app ? EXIT_OK : EXIT_FAIL;

	if (rc == EXIT_OK && argc == 4 && strcmp(argv[2], "--staff") == 0)
		staff = argv[3];
	else if (rc == EXIT_OK && argc != 2) {
		cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), "correct-old-email", argv[2]);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = find_pending(ctx, argv[0], app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_application_correct_old_email(ctx->e, app->id, argv[1],
								     staff_name(staff), &err);
		if (erc == CPS_OK)
			erc = cps_migration_check(ctx->e, app->id, &info, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			printf(_("old CPS e-mail corrected: %s\n"), sanitize_line(info.old_email, buf, sizeof(buf)));
			printf(_("migration: %s\n"), sanitize_text(info.text, buf, sizeof(buf)));
			cps_migration_info_free(&info);
		}
	}
	free(app);
	return rc;
}

/* Splits "EMAIL [--staff NAME] [--yes]". */
static int parse_gdpr_args(const char *cmd, int argc, char **argv, const char **email,
			   const char **staff, int *yes)
{
	*email = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--staff") == 0 && i + 1 < argc)
			*staff = argv[++i];
		else if (yes && strcmp(argv[i], "--yes") == 0)
			*yes = 1;
		else if (argv[i][0] == '-' || *email) {
			cli_error(_("%s: unexpected argument '%s' (see cpsreg --help)"), cmd, argv[i]);
			return EXIT_USAGE;
		} else
			*email = argv[i];
	}
	if (!*email) {
		cli_error(_("%s: give the customer's e-mail address"), cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* export EMAIL [--staff NAME]: everything stored about a customer, JSON */
int cmd_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *email, *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	char *json = NULL;
	int rc = app ? parse_gdpr_args("export", argc, argv, &email, &staff, NULL) : EXIT_FAIL;

	if (rc == EXIT_OK)
		rc = find_pending(ctx, email, app);
	if (rc == EXIT_OK) {
		enum cps_err erc = cps_customer_export(ctx->e, app->id, staff_name(staff), &json, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			/* JSON escapes every control character: safe for a terminal */
			printf("%s\n", json);
		}
	}
	free(json);
	free(app);
	return rc;
}

/* erase EMAIL --yes [--staff NAME]: the customer's data, for good */
int cmd_erase(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *email, *staff = NULL;
	struct cps_application *app = calloc(1, sizeof(*app));
	struct cps_error err = { 0 };
	char buf[512];
	int yes = 0;
	int rc = app ? parse_gdpr_args("erase", argc, argv, &email, &staff, &yes) : EXIT_FAIL;

	if (rc == EXIT_OK)
		rc = find_pending(ctx, email, app);
	if (rc == EXIT_OK && !yes) {
		cli_error(_("erase: this removes %s and everything stored about them for good; "
			    "export it first (cpsreg export), then run again with --yes"),
			  sanitize_line(app->email, buf, sizeof(buf)));
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK) {
		int kept = 0;
		enum cps_err erc = cps_customer_erase(ctx->e, app->id, staff_name(staff), &kept, &err);
		if (erc != CPS_OK) {
			cli_error("%s", err.msg);
			rc = cmd_exit_code(erc);
		} else {
			printf(_("erased: account %lld; the audit log keeps its lines without personal data\n"),
			       app->id);
			if (kept)
				cli_warning(_("another program is reading the database, so old copies of the erased data stay in %s (or its -wal journal) until every program using the database has ended"),
					    ctx->cfg->database);
		}
	}
	free(app);
	return rc;
}
