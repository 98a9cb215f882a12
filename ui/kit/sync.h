/* sync.h - the remote's sync inside the wizard (README, "The remote"): a
 * worker thread with its own engine (its own SQLite connection) runs the
 * engine's cps_remote_sync every remote.sync_interval seconds and posts a
 * small status to the event loop through a pipe; the main thread alone
 * draws.  No key ever waits on the network or on the worker's database
 * work. */
#ifndef CPSREG_UI_SYNC_H
#define CPSREG_UI_SYNC_H

#include <stddef.h>

struct app;

/* Starts the worker when a remote is configured (remote.url); nothing
 * otherwise, or when the thread cannot start (the wizard works without
 * it; cpsreg sync still sends the outbox). */
void sync_start(struct app *a);
/* Asks the worker to stop and waits for it a bounded time (the request
 * under way is aborted within about a second). */
void sync_stop(struct app *a);
/* The status line's text in the language shown ("" without a remote);
 * *is_error when the last sync failed. */
const char *sync_status_text(const struct app *a, char *out, size_t len, int *is_error);

#endif
