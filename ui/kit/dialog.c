/* dialog.c - the kiosk's small dialogs over a page: the staff PIN and the
 * idle countdown (see dialog.h). */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <stdio.h>
#include <string.h>

#include <ncurses.h>

#include "cpsreg/i18n.h"
#include "cpsreg/kiosk.h"
#include "dialog.h"
#include "frame.h"
#include "theme.h"

#define BOX_WIDTH 64

/* A framed box of rows lines in the middle of the body, emptied; returns
 * its first inner row. */
static int draw_box(struct app *a, int rows)
{
	int top = (app_body_rows(a) - rows - 2) / 2;
	int left = (app_body_cols(a) - BOX_WIDTH) / 2;
	char line[BOX_WIDTH + 1];

	if (top < 0)
		top = 0;
	memset(line, ' ', BOX_WIDTH);
	line[BOX_WIDTH] = '\0';
	for (int r = 0; r < rows + 2; r++)
		widget_put(a->body, top + r, left, line, BOX_WIDTH, role_attr(R_NORMAL));
	wattron(a->body, role_attr(R_FRAME));
	/* ASCII corners: every console shows them */
	mvwhline(a->body, top, left + 1, '-', BOX_WIDTH - 2);
	mvwhline(a->body, top + rows + 1, left + 1, '-', BOX_WIDTH - 2);
	mvwvline(a->body, top + 1, left, '|', rows);
	mvwvline(a->body, top + 1, left + BOX_WIDTH - 1, '|', rows);
	mvwaddch(a->body, top, left, '+');
	mvwaddch(a->body, top, left + BOX_WIDTH - 1, '+');
	mvwaddch(a->body, top + rows + 1, left, '+');
	mvwaddch(a->body, top + rows + 1, left + BOX_WIDTH - 1, '+');
	wattroff(a->body, role_attr(R_FRAME));
	return top + 1;
}

static int box_col(struct app *a)
{
	return (app_body_cols(a) - BOX_WIDTH) / 2 + 2;
}

void pin_dialog_open(struct app *a)
{
	pin_dialog_close(a);
	a->pin.open = 1;
	a->asking_quit = 0;
	a->showing_help = 0;
	if (!cps_kiosk_pin_configured(a->e)) {
		snprintf(a->pin.msg, sizeof(a->pin.msg), "%s",
			 _("No staff PIN is set (kiosk.staff_pin_hash), so the kiosk cannot be left from the screen."));
		a->pin.msg_error = 1;
	}
}

void pin_dialog_close(struct app *a)
{
	explicit_bzero(&a->pin, sizeof(a->pin));
}

void pin_dialog_key(struct app *a, struct key_event k)
{
	struct pin_dialog *d = &a->pin;
	struct cps_error err = { 0 };

	switch (k.cmd) {
	case CMD_BACK:
	case CMD_QUIT:
		pin_dialog_close(a);
		return;
	case CMD_BACKSPACE:
		if (d->len > 0)
			d->pin[--d->len] = '\0';
		return;
	case CMD_CLEAR:
		explicit_bzero(d->pin, sizeof(d->pin));
		d->len = 0;
		return;
	case CMD_ACTIVATE:
	case CMD_NEXT:
		if (!cps_kiosk_pin_configured(a->e))
			return;
		if (cps_kiosk_pin_check(a->e, d->pin, NULL, &err) == CPS_OK) {
			/* Next with the PIN: the staff console instead of leaving */
			a->want_console = k.cmd == CMD_NEXT;
			a->quit = 1;
			pin_dialog_close(a);
			return;
		}
		explicit_bzero(d->pin, sizeof(d->pin));
		d->len = 0;
		snprintf(d->msg, sizeof(d->msg), "%s", err.msg);
		d->msg_error = 1;
		return;
	case CMD_CHAR:
	case CMD_TOGGLE:
		/* a PIN is printable ASCII (what hash-pin reads from a keyboard) */
		if (k.ch > 0x20 && k.ch < 0x7f && d->len < PIN_MAX)
			d->pin[d->len++] = (char)k.ch;
		return;
	default:
		return;
	}
}

void pin_dialog_draw(struct app *a)
{
	char line[128];
	int row = draw_box(a, 7), col = box_col(a);

	app_text(a, row++, col, R_TITLE, _("Staff only: leave the kiosk"));
	row++;
	/* one star per character typed; never the PIN itself */
	char stars[PIN_MAX + 1];
	memset(stars, '*', a->pin.len);
	stars[a->pin.len] = '\0';
	snprintf(line, sizeof(line), "%s %s", _("Staff PIN:"), stars);
	app_fit(a, row++, col, BOX_WIDTH - 4, R_FIELD_FOCUS, line);
	row++;
	if (a->pin.msg[0])
		app_wrap(a, row, col, BOX_WIDTH - 4, 2, a->pin.msg_error ? R_ERROR : R_HINT, a->pin.msg);
	snprintf(line, sizeof(line), _("Enter: leave. %s: staff console. Esc, ^B: back to the page."),
		 keys_label(CMD_NEXT));
	app_fit(a, row + 2, col, BOX_WIDTH - 4, R_HINT, line);
	curs_set(0);
}

void idle_dialog_draw(struct app *a, int seconds_left)
{
	char line[256];
	int row = draw_box(a, 4), col = box_col(a);

	app_text(a, row++, col, R_TITLE, _("Still there? Press any key."));
	row++;
	snprintf(line, sizeof(line),
		 dngettext(CPS_TEXTDOMAIN, "This session is saved and closed in %d second.",
			  "This session is saved and closed in %d seconds.", (unsigned long)seconds_left),
		 seconds_left);
	app_fit(a, row, col, BOX_WIDTH - 4, R_WARN, line);
	curs_set(0);
}
