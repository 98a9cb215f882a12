/* sync.h - the remote's sync while the wizard runs (README, "The
 * remote"): the wizard starts "cpsreg sync --watch" as a child process
 * that reports each sync as one small record on a pipe, and the event
 * loop reads that pipe.  The child does the network and applies the
 * remote's decisions in its own process (its own environment, locale,
 * gettext language and SQLite connection), so nothing the wizard uses is
 * switched under it, and the wizard's process never starts libcurl.  No
 * key ever waits on the network or on the child's database work. */
#ifndef CPSREG_UI_SYNC_H
#define CPSREG_UI_SYNC_H

#include <stddef.h>
#include <stdint.h>

struct app;

/* The descriptor the child writes its records to: "cpsreg sync --watch
 * --status-fd 3".  --status-fd is for this pipe only, so neither --help
 * nor the man page lists it. */
#define SYNC_STATUS_FD 3
#define SYNC_STATUS_FD_TEXT "3"
#define SYNC_STATUS_MAGIC 0x43505331u   /* "CPS1": this layout */

/* One sync, from the child to the wizard: fixed size and smaller than
 * PIPE_BUF, so each write arrives whole.  Both ends are the same binary
 * (the child is /proc/self/exe), so the layout is the same. */
struct sync_status {
	uint32_t magic;
	int32_t online;        /* the remote answered */
	int32_t decisions;     /* decisions, invoices and old accounts applied by this sync */
	int32_t reserved;
	int64_t waiting;       /* changes not yet sent, or -1: unknown */
	char error[400];       /* the sync's error (the engine's words), or "" */
};

/* The command line of the child without its first word and the sync
 * command: the options the wizard was started with (-c FILE, --set ...),
 * so that it opens the same configuration and database.  argv0 is how
 * the program was called (tried when /proc/self/exe cannot be run).  The
 * strings must live as long as the wizard.  Without this call
 * sync_start() starts nothing (the staff console run as "cpsreg staff"). */
void sync_set_command(const char *argv0, char *const *options, size_t noptions);

/* Starts the child when a remote is configured (remote.url); nothing
 * otherwise, or when it cannot start (the wizard works without it;
 * cpsreg sync still sends the outbox). */
void sync_start(struct app *a);
/* Asks the child to stop (SIGTERM), waits for it a bounded time, then
 * kills it; reaps it in every case. */
void sync_stop(struct app *a);
/* The status line's text in the language shown ("" without a remote);
 * its first *head bytes are the state and the changes waiting, the rest
 * the reason of a failed sync (*is_error). */
const char *sync_status_text(const struct app *a, char *out, size_t len, size_t *head,
			     int *is_error);

/* What the last sync said of the remote: 1 it answered, 0 it could not
 * be reached (or the sync stopped), -1 nothing is known yet (no remote,
 * or the first sync has not ended). */
int sync_online(const struct app *a);

/* The child's side (cmd_sync.c): writes one record to fd; returns 0, or
 * -1 when the wizard is gone (EPIPE) or the write failed. */
int sync_status_write(int fd, int online, int decisions, long long waiting, const char *error);

#endif
