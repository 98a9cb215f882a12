/* page_customer.c - what staff do for one customer beyond the decision:
 * correct the old CPS e-mail (and see the migration check again), open the
 * proof document, give a new resume code or password code, export
 * everything stored about them to a file, and erase it after a
 * confirmation.  Every action goes through the engine, which records it
 * in the audit log. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/migration.h"
#include "cpsreg/privacy.h"
#include "staff.h"
#include "theme.h"

enum { W_OLD = 1, W_CORRECT, W_DOCUMENT, W_CODE, W_PATH, W_EXPORT, W_ERASE,
       W_ERASE_YES, W_ERASE_NO };

#define OLD_ROW 2
#define CODE_ROW 6
#define EXPORT_ROW 9
#define ERASE_ROW 11

struct state {
	struct cps_application app;
	int have;
	char note[CPS_MIGRATION_TEXT_MAX];   /* the migration check's answer */
	char code[CPS_RESUME_CODE_SIZE];     /* a new resume code, shown once */
	int asking;                          /* the erase confirmation is open */
};

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->have = 0;
	if (cps_application_load(a->e, a->session.account_id, &s->app, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	s->have = 1;
	return 0;
}

static int enter(struct app *a)
{
	if (!app_page_state(a, sizeof(struct state)))
		return -1;
	app_refresh_flow(a);
	return load(a);
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;

	if (!s || !s->have)
		return;
	if (s->asking) {
		/* nothing else can be pressed while the question is open, and
		 * the safe answer has the focus */
		wform_add(f, W_BUTTON, W_ERASE_NO, ERASE_ROW + 5, APP_COL + 4, APP_COL + 4, 24,
			  _("No, keep it"), _("Erase nothing."));
		wform_add(f, W_BUTTON, W_ERASE_YES, ERASE_ROW + 5, 44, 44, 24, _("Yes, erase"),
			  _("Erase everything about this customer now; only the audit log keeps the number."));
		return;
	}
	w = wform_add(f, W_TEXT, W_OLD, OLD_ROW, APP_COL, APP_FIELD_COL, 34, _("Old CPS e-mail"),
		      _("The e-mail of the customer's old CPS account; empty clears it."));
	w->maxlen = CPS_EMAIL_MAX - 1;
	snprintf(w->value, sizeof(w->value), "%s", s->app.old_email);
	wform_add(f, W_BUTTON, W_CORRECT, OLD_ROW, 60, 60, 16, _("Correct"),
		  _("Keep the corrected old e-mail and check the migration again."));
	wform_add(f, W_BUTTON, W_DOCUMENT, CODE_ROW, APP_COL, APP_COL, 24, _("Proof document"),
		  _("The proof document's facts, and its file written where you choose."));
	if (s->app.status == CPS_APP_VALIDATED)
		wform_add(f, W_BUTTON, W_CODE, CODE_ROW, 30, 30, 28, _("New password code"),
			  _("A new code to set the password; it waits under Messages to hand over."));
	else
		wform_add(f, W_BUTTON, W_CODE, CODE_ROW, 30, 30, 28, _("New resume code"),
			  _("A new resume code for a customer who lost theirs; the old one stops working."));
	w = wform_add(f, W_TEXT, W_PATH, EXPORT_ROW, APP_COL, APP_FIELD_COL, 34, _("Export to file"),
		      _("A new file with all that is stored on the customer (JSON); never over a file."));
	w->maxlen = W_VALUE_MAX - 1;
	wform_add(f, W_BUTTON, W_EXPORT, EXPORT_ROW, 60, 60, 16, _("Export"),
		  _("Write the customer's data to the file named beside it."));
	wform_add(f, W_BUTTON, W_ERASE, ERASE_ROW, APP_COL, APP_COL, 24, _("Erase all data"),
		  _("Erase everything about this customer (asks first)."));
	app_nav_buttons(a, _("Back"), _("Messages"));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;
	char line[1024];

	if (!s || !s->have)
		return;
	snprintf(line, sizeof(line), "%s, %s: %s", s->app.company[0] ? s->app.company : "-",
		 s->app.email[0] ? s->app.email : "-", cps_app_status_label(s->app.status));
	app_fit(a, 0, APP_COL, APP_TEXT_WIDTH, R_TITLE, line);
	if (s->asking) {
		app_wrap(a, ERASE_ROW, APP_COL + 4, APP_TEXT_WIDTH - 8, 3, R_WARN,
			 _("Erase everything stored about this customer: the application, the "
			   "document, products, messages, invoices and membership? This cannot be "
			   "undone; the audit log keeps only the account's number."));
		return;
	}
	if (s->note[0])
		app_wrap(a, OLD_ROW + 1, APP_FIELD_COL, APP_TEXT_WIDTH - APP_FIELD_COL + APP_COL, 2,
			 R_NORMAL, s->note);
	if (s->code[0]) {
		snprintf(line, sizeof(line), _("New resume code: %s (shown once: give it to the customer)"),
			 s->code);
		app_fit(a, CODE_ROW + 1, APP_COL, APP_TEXT_WIDTH, R_TITLE, line);
	}
}

static void correct(struct app *a, struct state *s)
{
	struct cps_migration_info info;
	struct cps_error err = { 0 };
	char old[W_VALUE_MAX];

	snprintf(old, sizeof(old), "%s", wform_text(&a->form, W_OLD));
	if (cps_application_correct_old_email(a->e, s->app.id, old, staff_actor(), &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return;
	}
	if (cps_migration_check(a->e, s->app.id, &info, &err) == CPS_OK)
		snprintf(s->note, sizeof(s->note), "%s", info.text);
	else
		snprintf(s->note, sizeof(s->note), "%s", err.msg);
	cps_migration_info_free(&info);
	load(a);
	app_relayout(a);
	app_message(a, 0, "%s", _("The old CPS e-mail is corrected; the migration check is shown below it."));
}

static void new_code(struct app *a, struct state *s)
{
	struct cps_error err = { 0 };

	if (s->app.status == CPS_APP_VALIDATED) {
		if (cps_password_code_reissue(a->e, s->app.id, staff_actor(), &err) != CPS_OK)
			app_message(a, 1, "%s", err.msg);
		else
			app_message(a, 0, "%s", _("A new password code waits under Messages."));
		return;
	}
	if (cps_application_reissue_resume(a->e, s->app.id, staff_actor(), s->code, sizeof(s->code),
					   &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	else
		app_message(a, 0, "%s", _("The old resume code no longer works."));
}

static void export_customer(struct app *a, const struct state *s)
{
	struct cps_error err = { 0 };
	char path[W_VALUE_MAX];

	snprintf(path, sizeof(path), "%s", wform_text(&a->form, W_PATH));
	if (cps_customer_export_file(a->e, s->app.id, staff_actor(), path, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	else
		app_message(a, 0, _("Everything stored about the customer is in %s."), path);
}

static void ask(struct app *a, struct state *s, int open)
{
	s->asking = open;
	app_relayout(a);
	wform_focus(&a->form, open ? W_ERASE_NO : W_ERASE);
}

static void erase_customer(struct app *a, struct state *s)
{
	struct cps_error err = { 0 };
	long long id = s->app.id;
	int kept = 0;

	if (cps_customer_erase(a->e, id, staff_actor(), &kept, &err) != CPS_OK) {
		ask(a, s, 0);
		app_message(a, 1, "%s", err.msg);
		return;
	}
	a->session.account_id = 0;
	app_go(a, &staff_page_queue);
	if (kept)
		/* another program's read kept the journal from being copied
		 * back: the old pages, erased rows and all, are still on disk */
		app_message(a, 1, _("Customer %lld erased; old copies stay on disk until other sessions end."),
			    id);
	else
		app_message(a, 0, _("Customer %lld is erased; the audit log keeps only the number."), id);
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;

	if (ev.what != WR_ACTIVATE || !s->have)
		return;
	switch (ev.id) {
	case W_CORRECT:
		correct(a, s);
		break;
	case W_DOCUMENT:
		app_go(a, &staff_page_document);
		break;
	case W_CODE:
		new_code(a, s);
		break;
	case W_EXPORT:
		export_customer(a, s);
		break;
	case W_ERASE:
		ask(a, s, 1);
		break;
	case W_ERASE_NO:
		ask(a, s, 0);
		app_message(a, 0, "%s", _("Nothing was erased."));
		break;
	case W_ERASE_YES:
		erase_customer(a, s);
		break;
	}
}

static int key(struct app *a, struct key_event k)
{
	struct state *s = a->state;

	if (k.cmd == CMD_BACK && s && s->asking) {
		/* Back answers the question the safe way */
		ask(a, s, 0);
		app_message(a, 0, "%s", _("Nothing was erased."));
		return 1;
	}
	if (k.cmd == CMD_BACK) {
		app_go(a, &staff_page_case);
		return 1;
	}
	if (k.cmd == CMD_NEXT) {
		if (!s || !s->asking)
			app_go(a, &staff_page_messages);
		return 1;
	}
	return 0;
}

const struct page staff_page_customer = {
	.name = "customer",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: customer"),
	.help = N_("What staff do for one customer. Correct keeps a corrected old CPS e-mail and "
		   "shows the migration check again. Proof document shows the document and writes "
		   "its file where you choose. New resume code (before validation) or New password "
		   "code (after it) is for a customer who lost theirs. Export writes everything "
		   "stored about the customer to a new file; Erase removes it after a question, "
		   "keeping only the number in the audit log. Each is recorded in the audit log."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
