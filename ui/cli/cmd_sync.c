/* cmd_sync.c - "cpsreg sync" (send the outbox to the remote and pull its
 * decisions, deliver the waiting messages by mail.sendmail; once or again
 * and again) and "cpsreg outbox" (the changes the remote refused, for
 * staff).  The HTTP and the mail are the engine's (src/remote.c,
 * src/mail.c).  The wizard runs "sync --watch --status-fd N" as its
 * child (ui/kit/sync.c): each sync is then also a record on descriptor
 * N, and the mail is left to the sync that staff run. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpsreg/i18n.h"
#include "cpsreg/mail.h"
#include "cpsreg/message.h"
#include "cpsreg/remote.h"
#include "cpsreg/text.h"
#include "commands.h"
#include "sanitize.h"
#include "sync.h"

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void print_report(const struct cps_sync_report *rep)
{
	char when[32];

	cps_local_time_text(time(NULL), CPS_TIME_MINUTE, when, sizeof(when));
	printf(_("%s sync: %d sent, %d refused, %d decisions applied, %lld waiting\n"), when,
	       rep->sent, rep->parked, rep->decisions, rep->waiting);
	if (rep->invoices > 0)
		printf(ngettext("%d invoice from the remote stored; its e-mail is queued\n",
				"%d invoices from the remote stored; their e-mails are queued\n",
				(unsigned long)rep->invoices), rep->invoices);
	if (rep->legacy > 0)
		printf(ngettext("%d old CPS account looked up at the remote\n",
				"%d old CPS accounts looked up at the remote\n",
				(unsigned long)rep->legacy), rep->legacy);
	if (rep->parked > 0)
		cli_warning(ngettext("%d change was refused by the remote; see cpsreg outbox",
				     "%d changes were refused by the remote; see cpsreg outbox",
				     (unsigned long)rep->parked), rep->parked);
	fflush(stdout);
}

static int sync_exit(enum cps_err rc)
{
	if (rc == CPS_ERR_NETWORK)
		return EXIT_REMOTE;
	if (rc == CPS_ERR_MISSING)
		return EXIT_MISSING;
	if (rc == CPS_ERR_AUTH)
		return EXIT_FAIL;
	return cmd_exit_code(rc);
}

/* The status descriptor given to a child of the wizard: "--status-fd N"
 * (argv[i] is the option); -1 when the number is not an open descriptor
 * above standard error. */
static int status_fd_arg(int argc, char **argv, int i)
{
	char *end;
	long fd;

	if (i + 1 >= argc)
		return -1;
	fd = strtol(argv[i + 1], &end, 10);
	if (*end || end == argv[i + 1] || fd <= 2 || fd > 65535 || fcntl((int)fd, F_GETFD) < 0)
		return -1;
	return (int)fd;
}

/* sync [--once | --watch] [--status-fd N] */
int cmd_sync(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_remote *r = NULL;
	struct cps_error err = { 0 };
	int watch = 0, status_fd = -1;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--watch") == 0) {
			watch = 1;
		} else if (strcmp(argv[i], "--status-fd") == 0 &&
			   (status_fd = status_fd_arg(argc, argv, i)) >= 0) {
			i++;
		} else if (strcmp(argv[i], "--once") != 0) {
			cli_error("%s", _("usage: cpsreg sync [--once | --watch]"));
			return EXIT_USAGE;
		}
	}
	/* libcurl runs with CURLOPT_NOSIGNAL, so a write on a connection the
	 * remote closed (or on the wizard's pipe) must not end the program:
	 * it is an error reported like any other */
	signal(SIGPIPE, SIG_IGN);
	int mail = status_fd < 0 && ctx->cfg->mail_sendmail && *ctx->cfg->mail_sendmail;
	enum cps_err rc = cps_remote_open(&r, ctx->e, &err);
	if (rc == CPS_ERR_INVALID && !mail) {
		cli_error("%s", _("no remote is configured: set remote.url (and remote.token_file) in cps.ini"));
		if (status_fd >= 0)
			sync_status_write(status_fd, 0, 0, -1, err.msg);
		return EXIT_CONFIG;
	}
	if (rc != CPS_OK && rc != CPS_ERR_INVALID) {
		cli_error("%s", err.msg);
		if (status_fd >= 0)
			sync_status_write(status_fd, 0, 0, -1, err.msg);
		return sync_exit(rc);
	}
	if (watch) {
		/* a stop between two syncs ends at once; during one, at
		 * libcurl's next progress call (the changes wait, as after a
		 * fault) */
		signal(SIGTERM, on_stop);
		signal(SIGINT, on_stop);
		if (r)
			cps_remote_set_stop(r, &stopping);
	}
	int code = EXIT_OK;
	do {
		struct cps_sync_report rep = { 0 };

		code = EXIT_OK;
		rc = CPS_OK;
		if (r) {
			cps_error_clear(&err);
			rc = cps_remote_sync(r, &rep, &err);
			if (stopping && rc == CPS_ERR_NETWORK)
				break;   /* the request was cut short on purpose */
			if (rc == CPS_OK) {
				print_report(&rep);
			} else {
				cli_error("%s", err.msg);
				code = sync_exit(rc);
			}
			/* the wizard gone (EPIPE): nobody to sync for */
			if (status_fd >= 0 &&
			    /* "applied": decisions, invoices and old accounts
			     * alike make the wizard's page read again */
			    sync_status_write(status_fd, rc != CPS_ERR_NETWORK,
					      rep.decisions + rep.invoices + rep.legacy,
					      rep.waiting, rc == CPS_OK ? "" : err.msg) != 0)
				stopping = 1;
		}
		if (mail && (rc == CPS_OK || rc == CPS_ERR_NETWORK || rc == CPS_ERR_AUTH)) {
			int sent, failed;
			enum cps_err mrc;

			cps_error_clear(&err);
			mrc = cps_mail_deliver(ctx->e, &sent, &failed, &err);
			if (mrc == CPS_ERR_BUSY) {
				/* not a failure: the other sync sends them */
				printf("%s\n", err.msg);
				mrc = CPS_OK;
			} else {
				printf(ngettext("%d message sent by sendmail\n",
						"%d messages sent by sendmail\n",
						(unsigned long)sent), sent);
			}
			fflush(stdout);
			if (mrc != CPS_OK) {
				cli_error("%s", err.msg);
				if (code == EXIT_OK)
					code = mrc == CPS_ERR_IO ? EXIT_FAIL : cmd_exit_code(mrc);
				if (mrc != CPS_ERR_IO)
					rc = mrc;
			}
		}
		/* the network and a sendmail come back by themselves; a token
		 * or a database does not */
		if (rc != CPS_OK && rc != CPS_ERR_NETWORK)
			break;
		if (!watch)
			break;
		long wait = ctx->cfg->remote_sync_interval;
		if (rep.retry_after > wait)
			wait = rep.retry_after;
		for (long sec = 0; sec < wait && !stopping; sec++)
			sleep(1);
	} while (!stopping);
	cps_remote_close(r);
	return code;
}

static int print_parked(const struct cps_outbox_parked *p, void *arg)
{
	char when[32], buf[1024];
	int *n = arg;

	cps_local_time_text(p->parked_at, CPS_TIME_MINUTE, when, sizeof(when));
	printf(_("--- change %lld (%s), refused %s\n"), p->id,
	       sanitize_line(p->kind, buf, sizeof(buf)), when);
	if (*p->email)
		printf(_("Customer: %s\n"), sanitize_line(p->email, buf, sizeof(buf)));
	printf(_("Reason: %s\n\n"), sanitize_line(p->reason, buf, sizeof(buf)));
	(*n)++;
	return 0;
}

/* outbox [--retry ID [--staff NAME]] */
int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cps_error err = { 0 };
	long long waiting = 0;
	int n = 0;
	enum cps_err rc;

	if (argc > 0) {
		const char *staff = NULL;
		char *end;
		if (strcmp(argv[0], "--retry") != 0 || argc < 2 ||
		    (argc == 4 && strcmp(argv[2], "--staff") != 0) || argc == 3) {
			cli_error("%s", _("usage: cpsreg outbox [--retry ID [--staff NAME]]"));
			return EXIT_USAGE;
		}
		long long id = strtoll(argv[1], &end, 10);
		if (*end || id <= 0) {
			cli_error("%s", _("usage: cpsreg outbox [--retry ID [--staff NAME]]"));
			return EXIT_USAGE;
		}
		if (argc == 4)
			staff = argv[3];
		rc = cps_outbox_retry(ctx->e, id, staff_name(staff), &err);
		if (rc != CPS_OK) {
			cli_error("%s", err.msg);
			return cmd_exit_code(rc);
		}
		printf(_("change %lld goes again at the next sync\n"), id);
		return EXIT_OK;
	}
	rc = cps_outbox_parked(ctx->e, print_parked, &n, &err);
	if (rc == CPS_OK)
		rc = cps_outbox_pending(ctx->e, &waiting, &err);
	if (rc != CPS_OK) {
		cli_error("%s", err.msg);
		return cmd_exit_code(rc);
	}
	printf(ngettext("%lld change waiting for the remote, %d of them refused\n",
			"%lld changes waiting for the remote, %d of them refused\n",
			(unsigned long)waiting), waiting, n);
	return EXIT_OK;
}
