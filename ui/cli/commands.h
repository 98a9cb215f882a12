/* commands.h - what the command files of ui/cli/ share: the context a command
 * runs in and the table entries of the staff commands (ui/cli/cmd_staff.c). */
#ifndef CPSREG_UI_COMMANDS_H
#define CPSREG_UI_COMMANDS_H

#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "ui.h"

#define CMD_ENGINE 1u   /* needs the configuration and an open engine */

struct cmd_ctx {
	const struct cli *cli;
	struct cps_config *cfg;     /* with CMD_ENGINE */
	struct cps_engine *e;       /* with CMD_ENGINE */
};

struct command {
	const char *name;
	const char *args;      /* shown in --help */
	const char *summary;   /* msgid */
	int min_args, max_args;
	unsigned flags;
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
};

int cmd_exit_code(enum cps_err rc);

/* The staff commands (ui/cli/cmd_staff.c), spliced into the table. */
int cmd_messages(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_approve(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_reject(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_import_catalog(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_import_legacy(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_status(struct cmd_ctx *ctx, int argc, char **argv);
/* The rate limits (ui/cli/cmd_limits.c). */
int cmd_limits(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unlock(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_handed_over(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_accept_id(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_confirm_serial(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_audit(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_correct_old_email(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_export(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_erase(struct cmd_ctx *ctx, int argc, char **argv);
/* The remote (ui/cli/cmd_sync.c). */
int cmd_sync(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv);
/* The staff console (ui/staff/console.c). */
int cmd_console(struct cmd_ctx *ctx, int argc, char **argv);

/* Who is acting: given (--staff NAME) when not empty, else the user who
 * ran sudo, else the Unix user. */
const char *staff_name(const char *given);

#define STAFF_COMMANDS \
	{ "import-catalog", "FILE", \
	  N_("import a newer product catalog (all or nothing)"), \
	  1, 1, CMD_ENGINE, cmd_import_catalog }, \
	{ "import-legacy", "FILE", \
	  N_("import old CPS accounts and their products"), \
	  1, 1, CMD_ENGINE, cmd_import_legacy }, \
	{ "approve", "EMAIL", \
	  N_("approve an application; queues the password code"), \
	  1, 3, CMD_ENGINE, cmd_approve }, \
	{ "reject", "EMAIL --reason TEXT", \
	  N_("reject an application, with the reason"), \
	  1, 5, CMD_ENGINE, cmd_reject }, \
	{ "status", "EMAIL", \
	  N_("show a customer's state, points and open levels"), \
	  1, 1, CMD_ENGINE, cmd_status }, \
	{ "messages", "[EMAIL]", \
	  N_("list messages waiting to be delivered"), \
	  0, 1, CMD_ENGINE, cmd_messages }, \
	{ "handed-over", "ID", \
	  N_("mark a message handed over; its code is wiped"), \
	  1, 3, CMD_ENGINE, cmd_handed_over }, \
	{ "accept-id", "EMAIL NUMBER", \
	  N_("accept a VAT number whose check digit fails"), \
	  2, 4, CMD_ENGINE, cmd_accept_id }, \
	{ "confirm-serial", "EMAIL SERIAL", \
	  N_("confirm an unusual serial number: tick and points"), \
	  2, 4, CMD_ENGINE, cmd_confirm_serial }, \
	{ "correct-old-email", "EMAIL OLD_EMAIL", \
	  N_("correct the old CPS e-mail; checks migration again"), \
	  2, 4, CMD_ENGINE, cmd_correct_old_email }, \
	{ "export", "EMAIL", \
	  N_("print everything stored about a customer as JSON"), \
	  1, 3, CMD_ENGINE, cmd_export }, \
	{ "erase", "EMAIL --yes", \
	  N_("erase a customer's data; the audit log stays"), \
	  1, 4, CMD_ENGINE, cmd_erase }, \
	{ "staff", "", \
	  N_("the staff console: queue, customers, messages, waits, imports"), \
	  0, 0, CMD_ENGINE, cmd_console }, \
	{ "audit", "[EMAIL]", \
	  N_("print the audit log of staff actions"), \
	  0, 1, CMD_ENGINE, cmd_audit },

#define LIMIT_COMMANDS \
	{ "limits", "", \
	  N_("list terminals, resume codes and logins held up by wrong tries"), \
	  0, 0, CMD_ENGINE, cmd_limits }, \
	{ "unlock", "WHAT [KEY]", \
	  N_("lift a wait: terminal NAME, code CODE, login EMAIL or all"), \
	  1, 2, CMD_ENGINE, cmd_unlock },

#define SYNC_COMMANDS \
	{ "sync", "[--once|--watch]", \
	  N_("send the changes to the remote, pull its decisions, mail messages"), \
	  0, 3, CMD_ENGINE, cmd_sync }, \
	{ "outbox", "[--retry ID]", \
	  N_("list the changes the remote refused; send one again"), \
	  0, 4, CMD_ENGINE, cmd_outbox },

#endif
