/* dialog.h - small dialogs the frame draws over a page in kiosk mode: the
 * staff PIN that leaving the kiosk needs, and the idle countdown ("Still
 * there?") before a session is saved and closed. */
#ifndef CPSREG_DIALOG_H
#define CPSREG_DIALOG_H

#include <stddef.h>

#include "cpsreg/err.h"
#include "keys.h"

struct app;

#define PIN_MAX 64

struct pin_dialog {
	int open;
	char pin[PIN_MAX + 1];    /* never shown, never logged; wiped on close */
	size_t len;
	char msg[CPS_ERROR_MAX];  /* the engine's answer to the last try */
	int msg_error;
};

/* Opens the PIN dialog (^Q and the stop signals in kiosk mode). */
void pin_dialog_open(struct app *a);
/* Closes it and wipes what was typed. */
void pin_dialog_close(struct app *a);
/* A key while the dialog is open: digits and letters go into the PIN,
 * Enter asks the engine, Esc or ^B closes.  The right PIN sets a->quit;
 * with Next (^N) instead of Enter also a->want_console (the staff
 * console, then the kiosk again). */
void pin_dialog_key(struct app *a, struct key_event k);
void pin_dialog_draw(struct app *a);

/* The idle countdown: seconds left before the session is closed. */
void idle_dialog_draw(struct app *a, int seconds_left);

#endif
