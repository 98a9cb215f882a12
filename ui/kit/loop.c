/* loop.c - timers and file descriptors for the event loop (see loop.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "loop.h"

long long loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct loop_watch *free_slot(struct loop *l)
{
	for (int i = 0; i < LOOP_MAX; i++)
		if (!l->w[i].id)
			return &l->w[i];
	return NULL;
}

int loop_add_timer(struct loop *l, int ms, int repeat, loop_fn fn, void *arg)
{
	struct loop_watch *w = free_slot(l);

	if (!w)
		return 0;
	memset(w, 0, sizeof(*w));
	w->id = ++l->next_id;
	w->fd = -1;
	w->due_ms = loop_now_ms() + ms;
	w->period_ms = repeat ? ms : 0;
	w->fn = fn;
	w->arg = arg;
	if (!repeat)
		w->period_ms = -ms;   /* remembered for loop_restart */
	return w->id;
}

void loop_restart(struct loop *l, int id)
{
	for (int i = 0; i < LOOP_MAX; i++) {
		struct loop_watch *w = &l->w[i];
		if (w->id == id && w->fd < 0) {
			int ms = w->period_ms < 0 ? -w->period_ms : w->period_ms;
			w->due_ms = loop_now_ms() + ms;
		}
	}
}

int loop_add_fd(struct loop *l, int fd, loop_fn fn, void *arg)
{
	struct loop_watch *w = free_slot(l);

	if (!w || fd < 0)
		return 0;
	memset(w, 0, sizeof(*w));
	w->id = ++l->next_id;
	w->fd = fd;
	w->fn = fn;
	w->arg = arg;
	return w->id;
}

void loop_remove(struct loop *l, int id)
{
	for (int i = 0; i < LOOP_MAX; i++)
		if (l->w[i].id == id)
			memset(&l->w[i], 0, sizeof(l->w[i]));
}

int loop_wait(struct loop *l, struct app *a, int key_fd, int max_ms, int *hup)
{
	struct pollfd pfd[LOOP_MAX + 1];
	int owner[LOOP_MAX + 1];
	int n = 0, timeout = max_ms;
	long long now = loop_now_ms();

	*hup = 0;
	pfd[n].fd = key_fd;
	pfd[n].events = POLLIN;
	owner[n++] = -1;
	for (int i = 0; i < LOOP_MAX; i++) {
		struct loop_watch *w = &l->w[i];
		if (!w->id)
			continue;
		if (w->fd >= 0) {
			pfd[n].fd = w->fd;
			pfd[n].events = POLLIN;
			owner[n++] = i;
		} else {
			long long left = w->due_ms - now;
			if (left < 0)
				left = 0;
			if (left < timeout)
				timeout = (int)left;
		}
	}
	int pr = poll(pfd, (nfds_t)n, timeout);
	if (pr < 0)
		return errno == EINTR ? -1 : 0;
	for (int j = 1; j < n; j++) {
		struct loop_watch *w = &l->w[owner[j]];
		if (w->id && (pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
			w->fn(a, w->arg);
	}
	now = loop_now_ms();
	for (int i = 0; i < LOOP_MAX; i++) {
		struct loop_watch *w = &l->w[i];
		if (!w->id || w->fd >= 0 || w->due_ms > now)
			continue;
		loop_fn fn = w->fn;
		void *arg = w->arg;
		if (w->period_ms > 0)
			w->due_ms = now + w->period_ms;
		else
			memset(w, 0, sizeof(*w));   /* a one-off timer is done */
		fn(a, arg);
	}
	if (pfd[0].revents & (POLLHUP | POLLERR))
		*hup = 1;
	return (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) ? 1 : 0;
}
