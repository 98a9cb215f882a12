/* sync.c - the worker that syncs with the remote while the wizard runs
 * (see sync.h).  Only struct sync_msg crosses the pipe; the worker never
 * touches the screen, the app or the main thread's engine. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpsreg/i18n.h"
#include "cpsreg/remote.h"
#include "frame.h"
#include "sync.h"

/* How long quitting waits for the worker: the request under way is
 * aborted at libcurl's next progress call (at least once a second). */
#define STOP_WAIT_MS 5000

/* What one sync came to, from the worker to the loop (smaller than
 * PIPE_BUF, so a write is whole). */
struct sync_msg {
	int done;              /* the worker has ended */
	int online;            /* the remote answered */
	int changed;           /* decisions were applied: pages read again */
	long long waiting;     /* changes not yet sent, or -1 */
	char error[400];       /* the last sync's error (the engine's words), or "" */
};

struct sync_worker {
	pthread_t thread;
	int to_loop[2];        /* worker -> loop */
	int wake[2];           /* loop -> worker: stop now */
	atomic_int stop;
	const struct cps_config *cfg;
	int watch;             /* the loop's id for to_loop[0] */
	/* the last status (main thread only) */
	int have;
	struct sync_msg last;
};

static void post(struct sync_worker *w, const struct sync_msg *m)
{
	ssize_t n;

	do
		n = write(w->to_loop[1], m, sizeof(*m));
	while (n < 0 && errno == EINTR);
}

/* The engine's message, cut (at a character's start) to what the status
 * line can show anyway. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Sleeps until the next sync or until the loop asks to stop. */
static void pause_for(struct sync_worker *w, long seconds)
{
	struct pollfd p = { .fd = w->wake[0], .events = POLLIN };

	if (seconds < 1)
		seconds = 1;
	if (!atomic_load(&w->stop))
		poll(&p, 1, (int)(seconds > 86400 ? 86400000 : seconds * 1000));
}

static void *run(void *arg)
{
	struct sync_worker *w = arg;
	struct cps_engine *e = NULL;
	struct cps_remote *r = NULL;
	struct cps_error err = { 0 };
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.waiting = -1;
	if (cps_engine_open(&e, w->cfg, &err) != CPS_OK ||
	    cps_remote_open(&r, e, &err) != CPS_OK) {
		copy_text(m.error, sizeof(m.error), err.msg);
		post(w, &m);
	} else {
		cps_remote_set_stop(r, &w->stop);
	}
	while (r && !atomic_load(&w->stop)) {
		struct cps_sync_report rep = { 0 };

		cps_error_clear(&err);
		enum cps_err rc = cps_remote_sync(r, &rep, &err);
		if (atomic_load(&w->stop))
			break;   /* an aborted request is no news */
		memset(&m, 0, sizeof(m));
		m.online = rc != CPS_ERR_NETWORK;
		m.changed = rep.decisions > 0;
		m.waiting = rep.waiting;
		if (rc != CPS_OK)
			copy_text(m.error, sizeof(m.error), err.msg);
		post(w, &m);
		long wait = w->cfg->remote_sync_interval;
		pause_for(w, rep.retry_after > wait ? rep.retry_after : wait);
	}
	cps_remote_close(r);
	if (e)
		cps_engine_close(e);
	memset(&m, 0, sizeof(m));
	m.done = 1;
	post(w, &m);
	return NULL;
}

/* The loop: the worker posted a status. */
static void on_status(struct app *a, void *arg)
{
	struct sync_worker *w = arg;
	struct sync_msg m;
	int changed = 0;

	while (read(w->to_loop[0], &m, sizeof(m)) == (ssize_t)sizeof(m)) {
		if (m.done)
			continue;
		changed |= m.changed;
		/* the count from an engine that could not open stays unknown */
		w->last = m;
		w->have = 1;
		a->dirty = 1;
	}
	if (changed) {
		app_refresh_flow(a);
		if (a->page && a->page->remote_changed)
			a->page->remote_changed(a);
	}
}

static void close_pair(int p[2])
{
	close(p[0]);
	close(p[1]);
}

void sync_start(struct app *a)
{
	struct sync_worker *w;
	sigset_t all, old;

	if (!a->cfg->remote_url || !*a->cfg->remote_url)
		return;
	w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->cfg = a->cfg;
	if (pipe(w->to_loop) != 0) {
		free(w);
		return;
	}
	if (pipe(w->wake) != 0) {
		close_pair(w->to_loop);
		free(w);
		return;
	}
	fcntl(w->to_loop[0], F_SETFL, O_NONBLOCK);
	/* libcurl runs with CURLOPT_NOSIGNAL: a write to a closed connection
	 * must be an error it reports, not the end of the wizard */
	signal(SIGPIPE, SIG_IGN);
	/* signals (a resize, a stop) go to the main thread, whose poll they
	 * must interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close_pair(w->to_loop);
		close_pair(w->wake);
		free(w);
		return;
	}
	w->watch = loop_add_fd(&a->loop, w->to_loop[0], on_status, w);
	a->sync = w;
}

void sync_stop(struct app *a)
{
	struct sync_worker *w = a->sync;
	long long until = loop_now_ms() + STOP_WAIT_MS;
	int done = 0;

	if (!w)
		return;
	a->sync = NULL;
	loop_remove(&a->loop, w->watch);
	atomic_store(&w->stop, 1);
	if (write(w->wake[1], "x", 1) < 0) {
		/* the flag alone stops it at its next check */
	}
	while (!done) {
		long long left = until - loop_now_ms();
		struct pollfd p = { .fd = w->to_loop[0], .events = POLLIN };
		struct sync_msg m;

		if (left <= 0 || (poll(&p, 1, (int)left) < 0 && errno != EINTR))
			break;
		while (read(w->to_loop[0], &m, sizeof(m)) == (ssize_t)sizeof(m))
			done |= m.done;
	}
	if (!done) {
		/* still in a request libcurl's timeouts will end: leave it
		 * its pipes and memory rather than wait longer */
		pthread_detach(w->thread);
		return;
	}
	pthread_join(w->thread, NULL);
	close_pair(w->to_loop);
	close_pair(w->wake);
	free(w);
}

const char *sync_status_text(const struct app *a, char *out, size_t len, int *is_error)
{
	const struct sync_worker *w = a->sync;
	char waiting[96] = "";

	*is_error = 0;
	out[0] = '\0';
	if (!w)
		return out;
	if (!w->have) {
		snprintf(out, len, "%s", _("Remote: connecting"));
		return out;
	}
	if (w->last.waiting > 0)
		snprintf(waiting, sizeof(waiting),
			 dngettext(CPS_TEXTDOMAIN, ", %lld change waiting", ", %lld changes waiting",
				   (unsigned long)w->last.waiting),
			 w->last.waiting);
	*is_error = w->last.error[0] != '\0';
	snprintf(out, len, "%s%s%s%s", w->last.online ? _("Remote: online") : _("Remote: offline"),
		 waiting, *is_error ? " - " : "", w->last.error);
	return out;
}
