/* mail.c - the waiting messages delivered through a sendmail-compatible
 * command (see include/cpsreg/mail.h). */
#define _DEFAULT_SOURCE 1 /* nanosleep under older glibc */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "claim.h"
#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/mail.h"
#include "cpsreg/message.h"
#include "cpsreg/secret.h"
#include "engine_private.h"

#define MAIL_CLAIM "mail_running" /* meta: the process sending the messages */
/* how long a sendmail command may take for one message */
#define SENDMAIL_SECONDS 60
#define MAX_ARGS 32

struct sb {
	char *p;
	size_t n, cap;
	int oom;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* A header's value with every control character a space, so that nothing
 * in it can start a header of its own. */
static void sb_header_text(struct sb *b, const char *s)
{
	for (; *s; s++) {
		char c = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
		sb_add(b, &c, 1);
	}
}

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void sb_base64(struct sb *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char out[4] = { tab[(v >> 18) & 63], tab[(v >> 12) & 63],
				i + 1 < n ? tab[(v >> 6) & 63] : '=',
				i + 2 < n ? tab[v & 63] : '=' };
		sb_add(b, out, 4);
	}
}

/* "Subject: " and the value: as it is when plain ASCII, else RFC 2047
 * encoded-words of at most 39 bytes of UTF-8 each (64 characters with
 * their frame, so that the first line with "Subject: " stays within 78),
 * cut between characters, one per folded line. */
static void sb_header(struct sb *b, const char *name, const char *value)
{
	sb_str(b, name);
	sb_str(b, ": ");
	if (plain_ascii(value) && !strstr(value, "=?")) {
		sb_header_text(b, value);
		sb_str(b, "\n");
		return;
	}
	const unsigned char *s = (const unsigned char *)value;
	size_t n = strlen(value), i = 0;
	int first = 1;
	while (i < n) {
		size_t take = n - i < 39 ? n - i : 39;
		/* never split a UTF-8 sequence: back up over continuation bytes */
		while (take > 0 && i + take < n && (s[i + take] & 0xc0) == 0x80)
			take--;
		if (take == 0)
			take = n - i < 39 ? n - i : 39;
		if (!first)
			sb_str(b, "\n ");
		sb_str(b, "=?UTF-8?B?");
		/* control characters would be decoded back into the header */
		unsigned char chunk[39];
		for (size_t k = 0; k < take; k++)
			chunk[k] = s[i + k] < 0x20 || s[i + k] == 0x7f ? ' ' : s[i + k];
		sb_base64(b, chunk, take);
		sb_str(b, "?=");
		i += take;
		first = 0;
	}
	sb_str(b, "\n");
}

/* The body in quoted-printable (RFC 2045): lines of at most 76
 * characters, so that no mail system cuts or re-wraps them. */
static void sb_qp(struct sb *b, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)body;
	size_t col = 0;

	for (size_t i = 0; s[i]; i++) {
		unsigned char c = s[i];
		char enc[4];
		size_t len;

		if (c == '\n') {
			sb_str(b, "\n");
			col = 0;
			continue;
		}
		if (c == '\r')
			continue;
		int at_end = s[i + 1] == '\n' || s[i + 1] == '\0' ||
			     (s[i + 1] == '\r' && (s[i + 2] == '\n' || s[i + 2] == '\0'));
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end)) {
			enc[0] = (char)c;
			len = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[c >> 4];
			enc[2] = hex[c & 15];
			len = 3;
		}
		if (col + len > 75) {
			sb_str(b, "=\n");
			col = 0;
		}
		sb_add(b, enc, len);
		col += len;
	}
	if (col > 0)
		sb_str(b, "\n");
}

char *cps_mail_compose(const char *from, const char *to, const char *subject,
		       const char *body, const char *lang, time_t date,
		       const char *message_id)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct sb b = { 0 };
	struct tm tm;
	char line[128];

	/* the date in English and UTC whatever the locale (RFC 5322 3.3) */
	gmtime_r(&date, &tm);
	snprintf(line, sizeof(line), "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\n",
		 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (from && *from) {
		sb_str(&b, "From: ");
		sb_header_text(&b, from);
		sb_str(&b, "\n");
	}
	sb_str(&b, "To: ");
	sb_header_text(&b, to);
	sb_str(&b, "\n");
	sb_header(&b, "Subject", subject);
	sb_str(&b, line);
	sb_str(&b, "Message-ID: <");
	sb_header_text(&b, message_id);
	sb_str(&b, ">\n");
	sb_str(&b, "MIME-Version: 1.0\n"
		   "Content-Type: text/plain; charset=UTF-8\n"
		   "Content-Transfer-Encoding: quoted-printable\n");
	if (lang && *lang) {
		sb_str(&b, "Content-Language: ");
		sb_header_text(&b, lang);
		sb_str(&b, "\n");
	}
	sb_str(&b, "\n");
	sb_qp(&b, body);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* Runs the command with text on its standard input.  0 when it read it
 * and exited 0; else why in why. */
static int run_sendmail(const char *command, const char *text, char *why, size_t whylen)
{
	char *copy = strdup(command), *argv[MAX_ARGS + 1], *save = NULL;
	int argc = 0, in[2], rc = -1;
	FILE *errf;
	pid_t pid;

	why[0] = '\0';
	if (!copy) {
		snprintf(why, whylen, "%s", _("out of memory"));
		return -1;
	}
	for (char *t = strtok_r(copy, " \t", &save); t && argc < MAX_ARGS;
	     t = strtok_r(NULL, " \t", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	/* what it says on stderr goes into the error, never onto the screen */
	errf = tmpfile();
	if (argc == 0 || !errf || pipe(in) != 0) {
		snprintf(why, whylen, _("cannot run %s: %s"), command, strerror(errno));
		if (errf)
			fclose(errf);
		free(copy);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		if (devnull >= 0)
			dup2(devnull, 1);
		dup2(fileno(errf), 2);
		close(in[0]);
		close(in[1]);
		execvp(argv[0], argv);
		dprintf(2, "%s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	if (pid < 0) {
		close(in[1]);
		fclose(errf);
		snprintf(why, whylen, _("cannot run %s: %s"), command, strerror(errno));
		free(copy);
		return -1;
	}
	/* a command that stops reading early must not kill cpsreg: SIGPIPE
	 * is held while writing and a pending one taken back */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	size_t len = strlen(text), off = 0;
	int write_failed = 0;
	while (off < len) {
		ssize_t w = write(in[1], text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			write_failed = 1;
			break;
		}
		off += (size_t)w;
	}
	close(in[1]);
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);

	int status = 0, waited = 0;
	pid_t got;
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got != 0 || waited >= SENDMAIL_SECONDS * 10)
			break;
		struct timespec ts = { 0, 100000000L };
		nanosleep(&ts, NULL);
		waited++;
	}
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(why, whylen, _("%s did not finish within %d seconds"), argv[0],
			 SENDMAIL_SECONDS);
	} else if (got < 0) {
		snprintf(why, whylen, _("cannot run %s: %s"), argv[0], strerror(errno));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || write_failed) {
		char said[200] = "";
		size_t n;
		fflush(errf);
		rewind(errf);
		n = fread(said, 1, sizeof(said) - 1, errf);
		said[n] = '\0';
		said[strcspn(said, "\n")] = '\0';
		if (WIFEXITED(status))
			snprintf(why, whylen, _("%s exited with status %d%s%s"), argv[0],
				 WEXITSTATUS(status), *said ? ": " : "", said);
		else
			snprintf(why, whylen, _("%s was ended by signal %d"), argv[0],
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	} else {
		rc = 0;
	}
	fclose(errf);
	free(copy);
	return rc;
}

struct waiting {
	long long id, account_id;
	char *to, *subject, *body;
};

struct waiting_list {
	struct waiting *v;
	size_t n, cap;
	int oom;
};

static int collect(const struct cps_message *m, void *arg)
{
	struct waiting_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct waiting *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->oom = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	struct waiting *w = &l->v[l->n];
	w->id = m->id;
	w->account_id = m->account_id;
	w->to = strdup(m->recipient);
	w->subject = strdup(m->subject);
	w->body = strdup(m->body);
	l->n++;
	if (!w->to || !w->subject || !w->body) {
		l->oom = 1;
		return 1;
	}
	return 0;
}

enum cps_err cps_mail_deliver(struct cps_engine *e, int *sent, int *failed,
			      struct cps_error *err)
{
	const struct cps_config *cfg = e->cfg;
	struct waiting_list l = { 0 };
	enum cps_err rc, result = CPS_OK;
	const char *from = cfg->mail_from ? cfg->mail_from : "";
	const char *at = strchr(from, '@');

	*sent = *failed = 0;
	if (!cfg->mail_sendmail || !*cfg->mail_sendmail)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("no sendmail command is configured (mail.sendmail is empty)"));
	/* one sync at a time sends them: every kiosk's wizard runs a sync of
	 * its own, and two taking the same waiting message would mail it
	 * twice.  The claim is let go when the round ends (or its process
	 * does). */
	rc = cps_store_begin(e->store, err);
	if (rc == CPS_OK) {
		long holder;
		rc = cps_claim_take(e->store, MAIL_CLAIM, &holder, err);
		if (rc == CPS_OK) {
			rc = cps_store_commit(e->store, err);
		} else {
			cps_store_rollback(e->store);
			if (rc == CPS_ERR_BUSY)
				return cps_error_set(err, CPS_ERR_BUSY,
					_("the waiting messages are being sent by another sync (process %ld)"),
					holder);
		}
	}
	if (rc != CPS_OK)
		return rc;
	/* collected first: the loop below writes while nothing reads */
	rc = cps_messages_pending(e, NULL, collect, &l, err);
	if (rc == CPS_OK && l.oom)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	for (size_t i = 0; rc == CPS_OK && i < l.n; i++) {
		struct waiting *w = &l.v[i];
		struct cps_application app;
		struct cps_error ignore = { 0 };
		char id[CPS_TOKEN_SIZE + 128], why[512];
		const char *lang = "";

		if (w->account_id > 0 &&
		    cps_application_load(e, w->account_id, &app, &ignore) == CPS_OK)
			lang = app.language;
		rc = cps_token_new(id, CPS_TOKEN_SIZE, err);
		if (rc != CPS_OK)
			break;
		size_t k = strlen(id);
		snprintf(id + k, sizeof(id) - k, "@%s", at && at[1] ? at + 1 : "cpsreg.invalid");
		char *text = cps_mail_compose(from, w->to, w->subject, w->body, lang,
					      cps_engine_now(e), id);
		if (!text) {
			rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
			break;
		}
		int ok = run_sendmail(cfg->mail_sendmail, text, why, sizeof(why)) == 0;
		free(text);
		if (!ok) {
			(*failed)++;
			result = cps_error_set(err, CPS_ERR_IO, _("message %lld was not sent: %s"),
					       w->id, why);
			continue;
		}
		/* sent: only now is it marked so */
		rc = cps_message_delivered(e, w->id, "sendmail", err);
		if (rc == CPS_OK)
			(*sent)++;
	}
	{
		struct cps_error ignored;
		cps_claim_drop(e->store, MAIL_CLAIM, &ignored);
	}
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].to);
		free(l.v[i].subject);
		free(l.v[i].body);
	}
	free(l.v);
	return rc != CPS_OK ? rc : result;
}
