/* sync.c - the remote's sync while the wizard runs: a child process
 * ("cpsreg sync --watch --status-fd 3") and the reading of its records
 * in the event loop (see sync.h).
 *
 * Why a child and not a thread: applying a decision writes the
 * customer's message in the customer's language, which switches the
 * process's environment (LANGUAGE), locale and gettext's catalogue while
 * the wizard translates its screens with them; none of that may be
 * switched from two threads.  In a child each process has its own.  A
 * hang or a crash in the network code cannot hold up a key or end the
 * wizard either, and the wizard's process never initialises libcurl.
 *
 * The child ends with the wizard: it gets SIGTERM when the wizard's
 * process dies (PR_SET_PDEATHSIG), its next record fails with EPIPE, and
 * quitting sends it SIGTERM and waits for it a bounded time.  It has no
 * terminal: its standard input, output and error are /dev/null, and it
 * runs in a session of its own, so a hang-up or a signal sent to the
 * wizard's terminal never reaches it (the wizard stops it). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpsreg/i18n.h"
#include "frame.h"
#include "sanitize.h"
#include "sync.h"

/* How long quitting waits for the child after SIGTERM: a request under
 * way is aborted at libcurl's next progress call (at least once a
 * second).  Then SIGKILL, which the sync is built to survive. */
#define STOP_WAIT_MS 3000
/* Descriptors above this are not looked at when the child closes what
 * it inherited (all of the wizard's are close-on-exec anyway). */
#define CLOSE_MAX 1024

#define MAX_ARGS 160

static const char *child_argv0;
static char *child_args[MAX_ARGS];
static int have_command;

struct sync_child {
	pid_t pid;             /* 0: none running */
	int fd;                /* the read end, or -1 */
	int watch;             /* the loop's id for fd */
	int restart;           /* the loop's id of the restart timer */
	int have;              /* a record came */
	struct sync_status last;
	int ended_badly;       /* the child ended without a record saying why */
};

static struct sync_child the_child = { .fd = -1 };

void sync_set_command(const char *argv0, char *const *options, size_t noptions)
{
	/* exec takes char *const[]: arrays, not string literals */
	static char w_sync[] = "sync", w_watch[] = "--watch", w_fd[] = "--status-fd",
		    w_n[] = SYNC_STATUS_FD_TEXT;
	static char *const tail[] = { w_sync, w_watch, w_fd, w_n };
	size_t n = 0;

	if (noptions + 1 + sizeof(tail) / sizeof(tail[0]) + 1 > MAX_ARGS)
		return;   /* more --set than the command line takes anyway */
	child_argv0 = argv0;
	child_args[n++] = (char *)argv0;
	for (size_t i = 0; i < noptions; i++)
		child_args[n++] = options[i];
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		child_args[n++] = tail[i];
	child_args[n] = NULL;
	have_command = 1;
}

int sync_status_write(int fd, int online, int decisions, long long waiting, const char *error)
{
	struct sync_status m;
	size_t n = error ? strlen(error) : 0;
	ssize_t w;

	memset(&m, 0, sizeof(m));
	m.magic = SYNC_STATUS_MAGIC;
	m.online = online;
	m.decisions = decisions;
	m.waiting = waiting;
	/* cut at a character's start to what the status line can show */
	if (n >= sizeof(m.error)) {
		n = sizeof(m.error) - 1;
		while (n > 0 && ((unsigned char)error[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(m.error, error, n);
	do
		w = write(fd, &m, sizeof(m));
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)sizeof(m) ? 0 : -1;
}

/* Waits up to ms for the child to end; 1 when it was reaped. */
static int reap(pid_t pid, int ms, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno == ECHILD))
			return 1;
		if (ms <= 0)
			return 0;
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
		ms -= 10;
	}
}

/* After fork(), in the child: only async-signal-safe calls until exec. */
static void become_child(int wfd, pid_t parent, int close_max)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	/* never the wizard's terminal: nothing may draw on its screen */
	if (null < 0)
		_exit(127);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (wfd == SYNC_STATUS_FD)
		fcntl(wfd, F_SETFD, 0);   /* keep it across exec */
	else if (dup2(wfd, SYNC_STATUS_FD) < 0)
		_exit(127);
	for (int fd = SYNC_STATUS_FD + 1; fd < close_max; fd++)
		close(fd);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* the wizard died before the line above: nobody would stop us */
	if (getppid() != parent)
		_exit(0);
	execv("/proc/self/exe", child_args);
	if (child_argv0)
		execvp(child_argv0, child_args);
	_exit(127);
}

static void on_status(struct app *a, void *arg);
static void on_restart(struct app *a, void *arg);

static int spawn(struct app *a, struct sync_child *c)
{
	int p[2];
	pid_t parent = getpid(), pid;
	struct rlimit rl;
	int close_max = CLOSE_MAX;

	if (pipe(p) != 0)
		return -1;
	/* neither end goes to another program the wizard may start */
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)close_max)
		close_max = (int)rl.rlim_cur;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		become_child(p[1], parent, close_max);
	close(p[1]);
	c->pid = pid;
	c->fd = p[0];
	c->watch = loop_add_fd(&a->loop, c->fd, on_status, c);
	if (!c->watch) {
		/* no room in the loop: a child nobody reads is no use */
		kill(pid, SIGKILL);
		reap(pid, STOP_WAIT_MS, NULL);
		close(c->fd);
		c->fd = -1;
		c->pid = 0;
		return -1;
	}
	return 0;
}

/* The child ended by itself (its pipe reached EOF): reap it, say so when
 * it gave no reason, and start another after the sync interval. */
static void child_ended(struct app *a, struct sync_child *c)
{
	int status = 0;

	loop_remove(&a->loop, c->watch);
	c->watch = 0;
	close(c->fd);
	c->fd = -1;
	if (c->pid && !reap(c->pid, 200, &status)) {
		kill(c->pid, SIGKILL);
		reap(c->pid, STOP_WAIT_MS, &status);
	}
	c->pid = 0;
	/* a clean end after a record keeps that record's words (a refused
	 * token, a database in use); anything else is news */
	c->ended_badly = !(WIFEXITED(status) && c->have && c->last.error[0]);
	a->dirty = 1;
	long ms = a->cfg->remote_sync_interval * 1000L;
	c->restart = loop_add_timer(&a->loop, ms > 0x7fffffffL ? 0x7fffffff : (int)ms, 0,
				    on_restart, c);
}

static void on_restart(struct app *a, void *arg)
{
	struct sync_child *c = arg;

	c->restart = 0;
	if (!c->pid && spawn(a, c) == 0)
		c->ended_badly = 0;
}

/* The loop: the child wrote records, or ended. */
static void on_status(struct app *a, void *arg)
{
	struct sync_child *c = arg;
	struct sync_status m;
	int changed = 0;
	ssize_t n;

	while ((n = read(c->fd, &m, sizeof(m))) == (ssize_t)sizeof(m)) {
		if (m.magic != SYNC_STATUS_MAGIC)
			continue;
		m.error[sizeof(m.error) - 1] = '\0';
		changed |= m.decisions > 0;
		c->last = m;
		/* words from another process (and from the remote): made safe
		 * before they can reach the screen */
		sanitize_line(m.error, c->last.error, sizeof(c->last.error));
		c->have = 1;
		a->dirty = 1;
	}
	if (changed) {
		app_refresh_flow(a);
		if (a->page && a->page->remote_changed)
			a->page->remote_changed(a);
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		child_ended(a, c);
}

void sync_start(struct app *a)
{
	struct sync_child *c = &the_child;

	if (!have_command || !a->cfg->remote_url || !*a->cfg->remote_url)
		return;
	/* the last run's status stays until this child's first record (the
	 * kiosk goes from the wizard to the staff console and back) */
	if (spawn(a, c) == 0) {
		a->sync = c;
		a->dirty = 1;   /* the status line says it is connecting */
	}
}

void sync_stop(struct app *a)
{
	struct sync_child *c = a->sync;
	long long until = loop_now_ms() + STOP_WAIT_MS;

	if (!c)
		return;
	a->sync = NULL;
	if (c->restart)
		loop_remove(&a->loop, c->restart);
	c->restart = 0;
	if (c->watch)
		loop_remove(&a->loop, c->watch);
	c->watch = 0;
	if (c->pid) {
		kill(c->pid, SIGTERM);
		/* its pipe closes when it has ended */
		while (c->fd >= 0) {
			struct pollfd p = { .fd = c->fd, .events = POLLIN };
			struct sync_status m;
			long long left = until - loop_now_ms();
			ssize_t n;

			if (left <= 0 || (poll(&p, 1, (int)left) < 0 && errno != EINTR))
				break;
			while ((n = read(c->fd, &m, sizeof(m))) > 0)
				;
			if (n == 0)
				break;
		}
		if (!reap(c->pid, (int)(until - loop_now_ms()), NULL)) {
			kill(c->pid, SIGKILL);
			reap(c->pid, STOP_WAIT_MS, NULL);
		}
		c->pid = 0;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

const char *sync_status_text(const struct app *a, char *out, size_t len, size_t *head,
			     int *is_error)
{
	const struct sync_child *c = a->sync;
	char waiting[96] = "";
	const char *error;
	int n;

	*is_error = 0;
	*head = 0;
	out[0] = '\0';
	if (!c)
		return out;
	if (!c->have && !c->ended_badly) {
		snprintf(out, len, "%s", _("Remote: connecting"));
		*head = strlen(out);
		return out;
	}
	if (c->have && c->last.waiting > 0)
		snprintf(waiting, sizeof(waiting),
			 dngettext(CPS_TEXTDOMAIN, ", %lld change waiting", ", %lld changes waiting",
				   (unsigned long)c->last.waiting),
			 (long long)c->last.waiting);
	error = c->ended_badly ? _("the sync stopped; it starts again after the sync interval")
	      : c->last.error;
	*is_error = error[0] != '\0';
	n = snprintf(out, len, "%s%s",
		     c->have && c->last.online && !c->ended_badly ? _("Remote: online") : _("Remote: offline"),
		     waiting);
	*head = n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
	snprintf(out + *head, len - *head, "%s%s", *is_error ? " - " : "", error);
	return out;
}

int sync_online(const struct app *a)
{
	const struct sync_child *c = a->sync;

	if (!c || (!c->have && !c->ended_badly))
		return -1;
	return c->have && c->last.online && !c->ended_badly;
}
