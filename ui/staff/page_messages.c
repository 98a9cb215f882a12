/* page_messages.c - the messages waiting to be handed over (password
 * codes, rejections, invoices), five at a time with Earlier and More: pick
 * one to read it, then mark it handed over, which wipes its code from the
 * store.  Sent lists those handed over, to send one again (Resend). */
#include <stdio.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/message.h"
#include "staff.h"
#include "theme.h"

#define LIST_ROWS 5
#define MESSAGES_MAX 200
enum { W_HANDED = 1, W_EARLIER, W_MORE, W_SENT, W_RESEND, W_ROW = 100 };

struct state {
	int n, more;          /* more: beyond MESSAGES_MAX */
	int top;              /* the first of the five shown */
	int sent;             /* listing the messages handed over */
	long long id[MESSAGES_MAX];
	char line[MESSAGES_MAX][STAFF_LINE];
	int shown;            /* index of the message read; -1: none */
	char subject[256];
	char body[4096];
	long long body_of;
};

static int add(const struct cps_message *m, void *arg)
{
	struct state *s = arg;
	char when[64];

	if (s->n == MESSAGES_MAX) {
		s->more = 1;
		return 1;
	}
	staff_time(m->created_at, when, sizeof(when));
	s->id[s->n] = m->id;
	snprintf(s->line[s->n], sizeof(s->line[0]), "#%lld  %s  %-14s %s", m->id, when, m->kind,
		 m->recipient);
	if (s->body_of == m->id) {
		snprintf(s->subject, sizeof(s->subject), "%s", m->subject);
		snprintf(s->body, sizeof(s->body), "%s", m->body);
	}
	s->n++;
	return 0;
}

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->n = s->more = 0;
	s->body[0] = s->subject[0] = '\0';
	if ((s->sent ? cps_messages_sent(a->e, add, s, &err)
		     : cps_messages_pending(a->e, NULL, add, s, &err)) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	if (!s->body[0])
		s->body_of = 0;
	/* the list may have become shorter (handed over elsewhere too) */
	if (s->top > s->n - 1)
		s->top = s->n > LIST_ROWS ? (s->n - 1) / LIST_ROWS * LIST_ROWS : 0;
	return 0;
}

static int shown(const struct state *s)
{
	return s->n - s->top < LIST_ROWS ? s->n - s->top : LIST_ROWS;
}

static int enter(struct app *a)
{
	if (staff_page_enter(a, sizeof(struct state)) != 0)
		return -1;
	return load(a);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;

	if (!s)
		return;
	staff_list(a, W_ROW, 2, (const char (*)[STAFF_LINE])s->line + s->top, shown(s),
		   _("Enter shows the message, to read out or print."));
	if (s->body_of && !s->sent)
		wform_add(f, W_BUTTON, W_HANDED, 2 + LIST_ROWS, APP_COL, APP_COL, 24, _("Handed over"),
			  _("The customer has it: it leaves the list and its code is wiped from the store."));
	if (s->body_of && s->sent)
		wform_add(f, W_BUTTON, W_RESEND, 2 + LIST_ROWS, APP_COL, APP_COL, 24, _("Resend"),
			  _("The customer lost it: a copy waits to be handed over again."));
	if (s->top > 0)
		wform_add(f, W_BUTTON, W_EARLIER, 2 + LIST_ROWS, 30, 30, 20, _("Earlier"),
			  _("The five messages before these."));
	if (s->top + LIST_ROWS < s->n)
		wform_add(f, W_BUTTON, W_MORE, 2 + LIST_ROWS, 54, 54, 20, _("More"),
			  _("The next five messages."));
	/* between Back and Queue, in the order Tab takes them */
	app_nav_buttons(a, _("Back"), NULL);
	wform_add(f, W_BUTTON, W_SENT, app_body_rows(a) - 1, 26, 26, 20,
		  s->sent ? _("Waiting") : _("Sent"),
		  s->sent ? _("The messages waiting to be handed over.")
			  : _("The messages handed over, newest first, to send one again."));
	app_nav_buttons(a, NULL, _("Queue"));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_text(a, 0, APP_COL, R_TITLE, s->sent ? _("Messages handed over, newest first")
						   : _("Messages waiting to be handed over"));
	if (s->n == 0)
		app_text(a, 2, APP_COL, R_NORMAL, s->sent ? _("No message was handed over yet.")
							  : _("No message is waiting."));
	else if (s->n > LIST_ROWS) {
		char line[128];

		snprintf(line, sizeof(line), _("%d-%d of %d%s; More and Earlier show the others"),
			 s->top + 1, s->top + shown(s), s->n, s->more ? "+" : "");
		app_fit(a, 1, APP_COL, APP_TEXT_WIDTH, R_LABEL, line);
	}
	if (s->body_of) {
		app_fit(a, 3 + LIST_ROWS, APP_COL, APP_TEXT_WIDTH, R_LABEL, s->subject);
		app_wrap(a, 4 + LIST_ROWS, APP_COL, APP_TEXT_WIDTH, app_body_rows(a) - 6 - LIST_ROWS,
			 R_NORMAL, s->body);
	}
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_MORE || ev.id == W_EARLIER) {
		s->top += ev.id == W_MORE ? LIST_ROWS : -LIST_ROWS;
		if (s->top < 0)
			s->top = 0;
		app_relayout(a);
		wform_focus(&a->form, wform_get(&a->form, ev.id) ? ev.id : W_ROW);
	} else if (ev.id >= W_ROW && ev.id < W_ROW + shown(s)) {
		s->body_of = s->id[s->top + ev.id - W_ROW];
		load(a);
		app_relayout(a);
		wform_focus(&a->form, s->sent ? W_RESEND : W_HANDED);
	} else if (ev.id == W_SENT) {
		s->sent = !s->sent;
		s->top = 0;
		s->body_of = 0;
		load(a);
		app_relayout(a);
		wform_focus(&a->form, s->n ? W_ROW : W_SENT);
	} else if (ev.id == W_RESEND && s->body_of) {
		long long id = s->body_of;
		if (cps_message_resend(a->e, id, staff_actor(), &err) != CPS_OK) {
			app_message(a, 1, "%s", err.msg);
			return;
		}
		app_message(a, 0, _("A copy of message %lld waits to be handed over."), id);
	} else if (ev.id == W_HANDED && s->body_of) {
		long long id = s->body_of;
		if (cps_message_handed_over(a->e, id, staff_actor(), &err) != CPS_OK) {
			app_message(a, 1, "%s", err.msg);
			return;
		}
		s->body_of = 0;
		load(a);
		app_relayout(a);
		wform_focus(&a->form, s->n ? W_ROW : W_SENT);
		app_message(a, 0, _("Message %lld handed over; its code is wiped from the store."), id);
	}
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_BACK || k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_queue);
		return 1;
	}
	return 0;
}

const struct page staff_page_messages = {
	.name = "messages",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: messages"),
	.help = N_("The messages waiting to be handed over, oldest first. Enter shows one; "
		   "Handed over marks it given to the customer and wipes its password code from "
		   "the store. Five are listed at a time: More and Earlier show the others. A code "
		   "that was used or has expired leaves the list by itself. Sent lists the messages "
		   "handed over; Resend queues a copy of one (a password code is never sent twice: "
		   "give a new one under Customer actions)."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
