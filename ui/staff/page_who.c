/* page_who.c - the staff console opened at a kiosk with the staff PIN:
 * the PIN is shared and names nobody, so the console first asks who is
 * at the screen; every action after it is recorded in the audit log with
 * that name and the screen ("Maria at tty1"). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/audit.h"
#include "cpsreg/i18n.h"
#include "staff.h"
#include "theme.h"

enum { W_NAME = 1, W_GO };

static int enter(struct app *a)
{
	return staff_page_enter(a, 1);
}

static void layout(struct app *a)
{
	struct widget *w;

	w = wform_add(&a->form, W_TEXT, W_NAME, 4, APP_COL, APP_FIELD_COL, 30, _("Your name"),
		      _("Your name as colleagues know it: the audit log records it with each action."));
	w->maxlen = CPS_STAFF_NAME_CHARS;
	snprintf(w->value, sizeof(w->value), "%s", staff_kiosk_name());
	wform_add(&a->form, W_BUTTON, W_GO, 6, APP_FIELD_COL, APP_FIELD_COL, 24,
		  _("Open the console"), _("On to the applications waiting for validation."));
}

static void draw(struct app *a)
{
	app_text(a, 0, APP_COL, R_TITLE, _("Who is at the console?"));
	app_wrap(a, 1, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
		 _("The staff PIN is shared, so give your name: every action is recorded with "
		   "it and this screen. ^Q goes back to the kiosk."));
}

static void go_on(struct app *a)
{
	struct cps_error err = { 0 };
	char name[CPS_STAFF_NAME_SIZE];

	if (cps_audit_staff_name(wform_text(&a->form, W_NAME), name, sizeof(name), &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		wform_focus(&a->form, W_NAME);
		return;
	}
	staff_kiosk_set_name(name);
	app_go(a, &staff_page_queue);
}

static void event(struct app *a, struct wevent ev)
{
	if (ev.what == WR_ACTIVATE && ev.id == W_GO)
		go_on(a);
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_NEXT) {
		go_on(a);
		return 1;
	}
	return k.cmd == CMD_BACK;   /* nothing before it: ^Q leaves */
}

const struct page staff_page_who = {
	.name = "who",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: who is here"),
	.help = N_("The staff console opened at a kiosk with the staff PIN. The PIN is the same for "
		   "every colleague, so the console asks for your name first: the audit log records "
		   "every action with it, the screen it was done at and the Unix user the kiosk runs "
		   "as. ^Q goes back to the kiosk, and so does a while without a key."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
