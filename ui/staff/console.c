/* console.c - the staff console's table of pages and the "staff" command
 * that runs it: the queue first; every page goes back to the queue. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpsreg/audit.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "commands.h"
#include "staff.h"

static const struct page *for_step(enum cps_step step)
{
	(void)step;
	return &staff_page_queue;
}

const struct app_pages staff_pages = {
	.home = &staff_page_queue,
	.for_step = for_step,
};

/* The same pages opened at a kiosk with the staff PIN, after the name of
 * who is there. */
static const struct app_pages staff_kiosk_pages = {
	.home = &staff_page_who,
	.for_step = for_step,
	.from_kiosk = 1,
};

static char actor[CPS_STAFF_NAME_SIZE + 64];
static char kiosk_tty[32];                 /* the kiosk's screen, "tty1" */
static char kiosk_name[CPS_STAFF_NAME_SIZE];

const char *staff_actor(void)
{
	return actor;
}

const char *staff_kiosk_name(void)
{
	return kiosk_name;
}

void staff_kiosk_set_name(const char *name)
{
	snprintf(kiosk_name, sizeof(kiosk_name), "%s", name);
	snprintf(actor, sizeof(actor), "%s at %s", kiosk_name, kiosk_tty);
}

void staff_time(time_t t, char *out, size_t len)
{
	if (t)
		cps_local_time_text(t, CPS_TIME_MINUTE, out, len);
	else
		snprintf(out, len, "-");
}

int staff_page_enter(struct app *a, size_t size)
{
	if (!app_page_state(a, size))
		return -1;
	a->session.account_id = 0;
	app_refresh_flow(a);
	return 0;
}

void staff_list(struct app *a, int first_id, int row, const char (*lines)[STAFF_LINE],
		int n, const char *hint)
{
	char cut[STAFF_LINE];

	for (int i = 0; i < n; i++)
		wform_add(&a->form, W_BUTTON, first_id + i, row + i, APP_COL, APP_COL,
			  APP_TEXT_WIDTH - 4, app_cut(lines[i], APP_TEXT_WIDTH - 8, cut, sizeof(cut)),
			  hint);
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int staff_console_at_kiosk(struct cps_engine *e, const struct cps_config *cfg,
			   volatile sig_atomic_t *stop)
{
	const char *tty = ttyname(0);

	/* the PIN names nobody: page_who.c asks the name, and the audit gets
	 * it with the screen (and, as always, the Unix user the kiosk runs
	 * as); each opening asks again */
	if (tty && strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	snprintf(kiosk_tty, sizeof(kiosk_tty), "%s", tty ? tty : "kiosk");
	explicit_bzero(kiosk_name, sizeof(kiosk_name));
	snprintf(actor, sizeof(actor), "staff PIN at %s", kiosk_tty);
	return app_run(e, cfg, &staff_kiosk_pages, stop);
}

/* staff: the console on the configured database */
int cmd_console(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sigaction sa;

	(void)argc;
	(void)argv;
	if (!isatty(0) || !isatty(1)) {
		cli_error("%s", _("the staff console needs a terminal (standard input and output must be a terminal)"));
		return EXIT_TERMINAL;
	}
	snprintf(actor, sizeof(actor), "%s", staff_name(NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (app_run(ctx->e, ctx->cfg, &staff_pages, &stop_requested) != 0) {
		cli_error("%s", _("the terminal could not be started; check TERM"));
		return EXIT_TERMINAL;
	}
	return EXIT_OK;
}
