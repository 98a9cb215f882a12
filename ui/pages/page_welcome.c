/* page_welcome.c - the first page: start a new application, continue one
 * with a resume code, set the password with the code from the e-mail,
 * log in, or read the help; the language can be changed here. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "frame.h"
#include "pages.h"
#include "theme.h"

enum { W_NEW = 1, W_RESUME, W_PASSWORD_SET, W_LOGIN, W_LANG, W_HELP };

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	int row = 7;

	wform_add(f, W_BUTTON, W_NEW, row, 6, 6, 40, _("Start a new application"),
		  _("Apply for a Canon business account: company, contact, VAT, proof document."));
	wform_add(f, W_BUTTON, W_RESUME, row + 2, 6, 6, 40, _("Continue with a resume code"),
		  _("Continue a saved application with the resume code you were given."));
	wform_add(f, W_BUTTON, W_PASSWORD_SET, row + 4, 6, 6, 40, _("Set my password"),
		  _("Your account was validated: set your password with the code from the e-mail."));
	wform_add(f, W_BUTTON, W_LOGIN, row + 6, 6, 6, 40, _("Log in"),
		  _("Your password is set: log in with your e-mail and password."));
	struct widget *w = wform_add(f, W_CHOICE, W_LANG, row + 8, 6, 18, 60, _("Language"),
				     _("Left and right arrows (or Space) change the language."));
	w->options = app_language_names;
	w->noptions = APP_LANGUAGES;
	w->selected = app_language_current();
	wform_add(f, W_BUTTON, W_HELP, row + 10, 6, 6, 20, _("Help"),
		  _("What cpsreg does, step by step, and which keys to use."));
}

static void draw(struct app *a)
{
	int row = 1, width = app_body_cols(a) - 8;

	row = app_text(a, row, 4, R_TITLE, _("Welcome to Canon Professional Services (CPS)"));
	row++;
	app_wrap(a, row, 4, width, 7 - row, R_NORMAL,
		 _("Register your business, your Canon products and your points, and join CPS "
		   "in a few steps. Use Tab to move and Enter to choose; nothing needs a mouse."));
}

static void event(struct app *a, struct wevent ev)
{
	switch (ev.id) {
	case W_NEW:
		/* a new application: nothing of the previous customer stays
		 * (the session, the pages' state, the screen) */
		app_new_customer(a);
		app_go(a, &page_apply);
		break;
	case W_RESUME:
		app_go(a, &page_resume);
		break;
	case W_PASSWORD_SET:
		app_go(a, &page_password);
		break;
	case W_LOGIN:
		app_go(a, &page_login);
		break;
	case W_HELP:
		a->showing_help = 1;
		break;
	case W_LANG: {
		struct widget *w = wform_get(&a->form, W_LANG);
		app_set_language(app_language_codes[w->selected < 0 ? 0 : w->selected]);
		app_refresh_flow(a);
		app_relayout(a);
		break;
	}
	}
}

const struct page page_welcome = {
	.name = "welcome",
	.step = CPS_STEP_COUNT,
	.title = N_("Welcome"),
	.help = N_("cpsreg takes you from a new Canon business account to an active CPS "
		   "membership: 1. apply for a business account (company, VAT status, a proof "
		   "document); 2. wait for the validation (up to 2 working days) and set your "
		   "password with the code from the e-mail; 3. register your Canon products in "
		   "\"My products\" (serial number, purchase date, country of purchase, dealer); "
		   "4. move the products of an old CPS account, if you had one; 5. check your points "
		   "(every product with a green tick counts; at 500 points you are invited); "
		   "6. choose a membership level; 7. choose card or bank transfer and get your invoice.\n\n"
		   "If you leave, what you typed is kept: come back with your resume code, or log in "
		   "once your password is set."),
	.layout = layout,
	.event = event,
	.draw = draw,
};
