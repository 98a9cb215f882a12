/* loop.h - what the wizard's event loop waits on besides the keyboard:
 * timers (the kiosk idle timer) and other file descriptors (the pipe of
 * the sync's child process).  Callbacks run in the loop, between keys. */
#ifndef CPSREG_UI_LOOP_H
#define CPSREG_UI_LOOP_H

#define LOOP_MAX 16

struct app;
typedef void (*loop_fn)(struct app *a, void *arg);

struct loop_watch {
	int id;              /* 0: free */
	int fd;              /* -1 for a timer */
	long long due_ms;    /* timers: when it fires (monotonic) */
	int period_ms;       /* timers: 0 = once */
	loop_fn fn;
	void *arg;
};

struct loop {
	struct loop_watch w[LOOP_MAX];
	int next_id;
};

/* Adds a timer firing after ms (then every ms when repeat); returns its
 * id, or 0 when the table is full. */
int loop_add_timer(struct loop *l, int ms, int repeat, loop_fn fn, void *arg);
/* Starts a timer over again from now. */
void loop_restart(struct loop *l, int id);
/* Calls fn whenever fd is readable; returns the id or 0. */
int loop_add_fd(struct loop *l, int fd, loop_fn fn, void *arg);
void loop_remove(struct loop *l, int id);
/* The monotonic clock the timers run on, in milliseconds. */
long long loop_now_ms(void);

/* Waits (at most max_ms) for key_fd, the watched fds and the next timer;
 * runs what is due.  Returns 1 when key_fd has input (or hung up: check
 * *hup), 0 otherwise, -1 when interrupted by a signal. */
int loop_wait(struct loop *l, struct app *a, int key_fd, int max_ms, int *hup);

#endif
