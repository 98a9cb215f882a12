/* page_product.c - one product of "My products" (README, rules 4): add a new one
 * (a->session.product_id 0) or view and change one ("View product").  The model is
 * picked from the catalog; the four details the green tick needs (serial
 * number, purchase date, country of purchase, dealer) may be left out while
 * the customer looks them up, and the page says which are missing.
 *
 * Nothing typed is lost: Save keeps the changes and stays; Back and Next
 * save them too and go back to the list; quitting saves them.  When they
 * cannot be saved (a field is wrong) the page stays and says why; pressing
 * the same key again leaves without saving.  Every rule (the catalog, the
 * serial, the date, the country, the dealer, duplicates) is the engine's. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cpsreg/catalog.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/product.h"
#include "country.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

enum { W_MODEL = 1, W_SERIAL, W_DATE, W_COUNTRY, W_DEALER, W_SAVE, W_DELETE };
#define NFIELDS 5          /* W_MODEL .. W_DEALER */

#define FIELD_ROW 4        /* the model; each field below takes 2 rows */
#define BUTTON_ROW 14
#define NOTE_ROW 15
#define NOTE_ROWS 3
/* an error under a field must end inside column 78 */
#define ERROR_WIDTH (78 - APP_FIELD_COL)

struct state {
	int have;                        /* an existing product, in p */
	struct cps_product p;
	struct cps_catalog_item item;    /* the model chosen; id 0: none */
	char orig[NFIELDS][W_VALUE_MAX]; /* the fields as loaded or last saved */
	char note[CPS_ERROR_MAX];        /* a long error or a warning, below the buttons */
	int note_role;
	int note_field;                  /* the field the note is about; 0: none */
	char dup_serial[CPS_SERIAL_SIZE]; /* refused as a duplicate, for dup_model */
	long long dup_model;
	char dup_msg[CPS_ERROR_MAX];
	int confirm_delete;              /* Delete was pressed once */
	int refused;                     /* CMD_BACK/CMD_NEXT could not save: again leaves */
	int done;                        /* saved or dropped: nothing left for leave() */
	struct country_picker countries; /* every country, shown with its code */
	int lang;                        /* the language the errors are in, +1 */
};

/* ---- suggestions ----------------------------------------------------------- */

static int suggest_model(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max)
{
	struct app *a = arg;
	struct cps_catalog_item items[W_SUGGEST_MAX];
	struct cps_error err = { 0 };
	size_t n = 0;

	if (max > W_SUGGEST_MAX)
		max = W_SUGGEST_MAX;
	if (cps_catalog_search(a->e, text, items, (size_t)max, &n, &err) != CPS_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		sanitize_line(items[i].model, out[i], W_SUGGEST_LEN);
	return (int)n;
}

static int suggest_dealer(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max)
{
	struct app *a = arg;
	char found[W_SUGGEST_MAX][CPS_DEALER_SIZE];
	struct cps_error err = { 0 };
	size_t n = 0;

	if (max > W_SUGGEST_MAX)
		max = W_SUGGEST_MAX;
	if (cps_dealer_suggest(a->e, text, found, (size_t)max, &n, &err) != CPS_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		sanitize_line(found[i], out[i], W_SUGGEST_LEN);
	return (int)n;
}

/* ---- checks -------------------------------------------------------------- */

static void set_note(struct app *a, int field, int role, const char *text)
{
	struct state *s = a->state;

	snprintf(s->note, sizeof(s->note), "%s", text);
	s->note_role = role;
	s->note_field = field;
}

static void clear_note(struct app *a, int field)
{
	struct state *s = a->state;

	if (s->note_field == field)
		s->note[0] = '\0';
}

/* Shows an error under a field; one that does not fit there is shown in
 * full below the buttons, with its first sentence (or a pointer) under
 * the field. */
static void set_error(struct app *a, int id, const char *msg)
{
	struct widget *w = wform_get(&a->form, id);
	char first[256];

	if (!w)
		return;
	clear_note(a, id);
	if (text_width(msg) <= ERROR_WIDTH) {
		snprintf(w->error, sizeof(w->error), "%s", msg);
		return;
	}
	const char *dot = strstr(msg, ". ");
	size_t n = dot ? (size_t)(dot - msg) + 1 : 0;
	if (n && n < sizeof(first)) {
		memcpy(first, msg, n);
		first[n] = '\0';
	}
	if (n && n < sizeof(first) && text_width(first) <= ERROR_WIDTH)
		snprintf(w->error, sizeof(w->error), "%s", first);
	else
		snprintf(w->error, sizeof(w->error), "%s", _("Please correct this: see below."));
	set_note(a, id, R_ERROR, msg);
}

static void clear_error(struct app *a, int id)
{
	struct widget *w = wform_get(&a->form, id);

	if (w)
		w->error[0] = '\0';
	clear_note(a, id);
}

static void set_serial_hint(struct app *a)
{
	struct state *s = a->state;
	struct widget *w = wform_get(&a->form, W_SERIAL);
	char shape[128];

	if (!w)
		return;
	if (s->item.id && s->item.serial_pattern[0]) {
		cps_catalog_pattern_describe(s->item.serial_pattern, shape, sizeof(shape));
		snprintf(w->hint, sizeof(w->hint),
			 _("As printed on the product; for this model usually %s."), shape);
	} else {
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Letters and digits as printed on the product; spaces do not matter."));
	}
}

static int check_serial(struct app *a, char *out, size_t len);
static int check_date(struct app *a, char *out, size_t len);

/* The model: empty (0), one of the catalog (1), or not (-1). */
static int check_model(struct app *a)
{
	struct state *s = a->state;
	struct cps_catalog_item item;
	struct cps_error err = { 0 };
	const char *text = wform_text(&a->form, W_MODEL);
	long long before = s->item.id;
	char tmp[CPS_SERIAL_SIZE + CPS_DATE_SIZE];
	int rc;

	if (!text[0]) {
		memset(&s->item, 0, sizeof(s->item));
		clear_error(a, W_MODEL);
		rc = 0;
	} else if (cps_catalog_get_model(a->e, text, &item, &err) == CPS_OK) {
		s->item = item;
		if (strcmp(text, item.model) != 0)
			wform_set_text(&a->form, W_MODEL, item.model);
		clear_error(a, W_MODEL);
		rc = 1;
	} else {
		memset(&s->item, 0, sizeof(s->item));
		set_error(a, W_MODEL, err.code == CPS_ERR_NOT_FOUND
			  ? _("Not in the catalog: pick the model from the list.") : err.msg);
		rc = -1;
	}
	set_serial_hint(a);
	/* the serial's usual shape and the release year depend on the model */
	if (s->item.id != before) {
		if (wform_text(&a->form, W_SERIAL)[0])
			check_serial(a, tmp, sizeof(tmp));
		if (wform_text(&a->form, W_DATE)[0])
			check_date(a, tmp, sizeof(tmp));
	}
	return rc;
}

/* The checks below return 0 when the field can be saved (the cleaned
 * value in out, "" when empty) and -1 with its error shown. */
static int check_serial(struct app *a, char *out, size_t len)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX] = "";
	const char *text = wform_text(&a->form, W_SERIAL);
	enum cps_err rc;

	if (s->item.id)
		rc = cps_serial_check(a->e, s->item.id, text, out, len, warning, &err);
	else
		rc = cps_serial_normalise(text, out, len, &err);
	if (rc != CPS_OK) {
		set_error(a, W_SERIAL, err.msg);
		return -1;
	}
	clear_error(a, W_SERIAL);
	if (strcmp(text, out) != 0)
		wform_set_text(&a->form, W_SERIAL, out);
	if (warning[0])   /* an unusual serial is saved; it is only a note */
		set_note(a, W_SERIAL, R_WARN, warning);
	if (out[0] && s->dup_model == s->item.id && strcmp(out, s->dup_serial) == 0)
		set_error(a, W_SERIAL, s->dup_msg);   /* still the one refused on saving */
	return 0;
}

static int check_date(struct app *a, char *out, size_t len)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	enum cps_date_precision prec;
	const char *text = wform_text(&a->form, W_DATE);

	if (cps_purchase_date_check(a->e, s->item.id ? s->item.release_year : 0, text, out, len,
				    &prec, &err) != CPS_OK) {
		set_error(a, W_DATE, err.msg);
		return -1;
	}
	clear_error(a, W_DATE);
	/* shown as the language writes it (05.2021 stays 05.2021 in nb/da);
	 * out keeps the stored form */
	char shown[32];
	cps_date_shown(out, shown, sizeof(shown));
	if (strcmp(text, shown) != 0)
		wform_set_text(&a->form, W_DATE, shown);
	return 0;
}

static int check_country(struct app *a, char out[3])
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	const char *text = wform_text(&a->form, W_COUNTRY);
	char code[256], shown[128], msg[CPS_ERROR_MAX], cc[3];

	out[0] = '\0';
	if (!text[0]) {
		clear_error(a, W_COUNTRY);
		return 0;
	}
	/* what the picker cannot read goes to the engine as it is: the engine
	 * says what is wrong with it */
	snprintf(code, sizeof(code), "%s", country_read(&s->countries, text, cc, msg, sizeof(msg)) == 0
		 ? cc : text);
	if (cps_purchase_country_check(a->e, code, out, &err) != CPS_OK) {
		set_error(a, W_COUNTRY, err.msg);
		return -1;
	}
	clear_error(a, W_COUNTRY);
	country_shown(&s->countries, out, shown, sizeof(shown));
	if (strcmp(text, shown) != 0)
		wform_set_text(&a->form, W_COUNTRY, shown);
	return 0;
}

static int check_dealer(struct app *a, char *out, size_t len)
{
	struct cps_error err = { 0 };
	const char *text = wform_text(&a->form, W_DEALER);

	if (cps_dealer_normalise(text, out, len, &err) != CPS_OK) {
		set_error(a, W_DEALER, err.msg);
		return -1;
	}
	clear_error(a, W_DEALER);
	if (strcmp(text, out) != 0)
		wform_set_text(&a->form, W_DEALER, out);
	return 0;
}

/* ---- the product ------------------------------------------------------------ */

/* Fills the fields' values from the stored product (or the defaults of a
 * new one) and remembers them, so that a change can be told. */
static void fill_values(struct app *a, char values[NFIELDS][W_VALUE_MAX])
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char code[3] = "";

	memset(values, 0, NFIELDS * W_VALUE_MAX);
	if (s->have) {
		sanitize_line(s->p.model, values[W_MODEL - 1], W_VALUE_MAX);
		sanitize_line(s->p.serial, values[W_SERIAL - 1], W_VALUE_MAX);
		char date[32];
		/* as the customer typed it: 05.2021 stays 05.2021 in nb/da */
		sanitize_line(cps_date_shown(s->p.purchase_date, date, sizeof(date)),
			      values[W_DATE - 1], W_VALUE_MAX);
		country_shown(&s->countries, s->p.purchase_country, values[W_COUNTRY - 1], W_VALUE_MAX);
		sanitize_line(s->p.dealer, values[W_DEALER - 1], W_VALUE_MAX);
	} else if (a->session.account_id &&
		   cps_product_default_country(a->e, a->session.account_id, code, &err) == CPS_OK) {
		/* a new product was most likely bought in the account's country */
		country_shown(&s->countries, code, values[W_COUNTRY - 1], W_VALUE_MAX);
	}
}

static int dirty(struct app *a)
{
	struct state *s = a->state;

	for (int id = W_MODEL; id <= W_DEALER; id++)
		if (strcmp(wform_text(&a->form, id), s->orig[id - 1]) != 0)
			return 1;
	return 0;
}

static int load(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->have = 0;
	memset(&s->item, 0, sizeof(s->item));
	if (a->session.product_id) {
		if (cps_product_get(a->e, a->session.product_id, &s->p, &err) != CPS_OK) {
			app_message(a, 1, "%s", err.msg);
			a->session.product_id = 0;
			return -1;
		}
		if (s->p.account_id != a->session.account_id) {   /* never someone else's */
			a->session.product_id = 0;
		} else {
			s->have = 1;
			cps_catalog_get(a->e, s->p.catalog_id, &s->item, &err);
			char out[CPS_SERIAL_SIZE], warning[CPS_WARNING_MAX] = "";
			if (s->p.serial[0] &&
			    cps_serial_check(a->e, s->p.catalog_id, s->p.serial, out, sizeof(out),
					     warning, &err) == CPS_OK && warning[0])
				set_note(a, W_SERIAL, R_WARN, warning);
		}
	}
	fill_values(a, s->orig);
	return 0;
}

static int enter(struct app *a)
{
	struct state *s = app_page_state(a, sizeof(*s));

	if (!s)
		return -1;
	s->countries = (struct country_picker){ .e = a->e, .with_code = 1 };
	if (!a->session.account_id) {
		app_message(a, 1, "%s", _("Log in first: your products belong to your business account."));
		return -1;
	}
	return load(a);
}

/* How save() was asked: from Save (the focus goes to what is wrong), from
 * Back or Next (the focus stays, so that a second press leaves), or while
 * the page is left (the widgets are no longer on the screen). */
enum how { FROM_SAVE, FROM_NAV, FROM_LEAVE };

/* Saves what the fields hold: 0 when saved, -1 when something is wrong
 * (shown at the field, or below the buttons). */
static int save(struct app *a, enum how how)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char serial[CPS_SERIAL_SIZE], date[CPS_DATE_SIZE], country[3], dealer[CPS_DEALER_SIZE];
	char warning[CPS_WARNING_MAX] = "";
	int first_bad = 0;

	clear_note(a, 0);   /* what the last try said */
	int m = check_model(a);
	if (m == 0)
		set_error(a, W_MODEL, _("Choose the model first: type part of its name."));
	if (m <= 0)
		first_bad = W_MODEL;
	if (check_serial(a, serial, sizeof(serial)) != 0 && !first_bad)
		first_bad = W_SERIAL;
	if (check_date(a, date, sizeof(date)) != 0 && !first_bad)
		first_bad = W_DATE;
	if (check_country(a, country) != 0 && !first_bad)
		first_bad = W_COUNTRY;
	if (check_dealer(a, dealer, sizeof(dealer)) != 0 && !first_bad)
		first_bad = W_DEALER;
	if (first_bad) {
		if (how == FROM_SAVE)
			wform_focus(&a->form, first_bad);
		app_message(a, 1, "%s", _("Not saved: please correct what is marked."));
		return -1;
	}

	struct cps_product_draft d = {
		.catalog_id = s->item.id, .serial = serial, .purchase_date = date,
		.purchase_country = country, .dealer = dealer,
	};
	long long id = s->have ? s->p.id : 0;
	enum cps_err rc = s->have ? cps_product_update(a->e, id, &d, warning, &err)
				  : cps_product_add(a->e, a->session.account_id, &d, &id, warning, &err);
	if (rc != CPS_OK) {
		if (rc == CPS_ERR_EXISTS) {   /* the same serial: the message names support */
			snprintf(s->dup_serial, sizeof(s->dup_serial), "%s", serial);
			s->dup_model = s->item.id;
			snprintf(s->dup_msg, sizeof(s->dup_msg), "%s", err.msg);
			set_error(a, W_SERIAL, err.msg);
			if (how == FROM_SAVE)
				wform_focus(&a->form, W_SERIAL);
		} else {
			set_note(a, 0, R_ERROR, err.msg);
		}
		/* locked by another program: the quit question must not say saved */
		a->unsaved = rc == CPS_ERR_BUSY || rc == CPS_ERR_CONFLICT;
		app_message(a, 1, "%s", _("Not saved: see the message on the page."));
		return -1;
	}
	a->unsaved = 0;

	int was_new = !s->have;
	a->session.product_id = id;
	if (cps_product_get(a->e, id, &s->p, &err) == CPS_OK)
		s->have = 1;
	for (int f = W_MODEL; f <= W_DEALER; f++)
		snprintf(s->orig[f - 1], W_VALUE_MAX, "%s", wform_text(&a->form, f));
	if (warning[0])
		set_note(a, W_SERIAL, R_WARN, warning);
	app_refresh_flow(a);
	if (how == FROM_LEAVE)
		return 0;
	if (was_new)
		app_relayout(a);   /* now it can be deleted */
	app_message(a, 0, "%s", s->p.complete
		    ? _("Saved. The product has its green tick.")
		    : _("Saved. Add what is missing to get the green tick."));
	return 0;
}

static void delete_product(struct app *a)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };

	s->confirm_delete = 0;
	if (cps_product_delete(a->e, s->p.id, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return;
	}
	s->done = 1;
	/* a->session.product_id stays: the list sees it is gone and says so */
	app_refresh_flow(a);
	app_go(a, &page_products);
}

/* Back and Next: save (if anything changed) and go back to the list. */
static void go_back_to_list(struct app *a, enum cmd cmd)
{
	struct state *s = a->state;

	if (s->done || !dirty(a) || s->refused == (int)cmd || save(a, FROM_NAV) == 0) {
		s->done = 1;
		app_go(a, &page_products);
		return;
	}
	s->refused = (int)cmd;
	app_message(a, 1, "%s", cmd == CMD_BACK
		    ? _("Not saved: correct what is marked, or press Back again to drop the changes.")
		    : _("Not saved: correct what is marked, or press Next again to drop the changes."));
}

/* ---- the page ---------------------------------------------------------------- */

static void layout(struct app *a)
{
	struct state *s = a->state;
	struct wform *f = &a->form;
	struct widget *w;
	int row = FIELD_ROW;

	w = wform_add(f, W_PICKER, W_MODEL, row, APP_COL, APP_FIELD_COL, 40, _("Model"),
		      _("Type part of the name (e.g. r5), then Down and Enter to pick it."));
	w->suggest = suggest_model;
	w->suggest_arg = a;
	w->maxlen = CPS_MODEL_MAX;
	w = wform_add(f, W_TEXT, W_SERIAL, row += 2, APP_COL, APP_FIELD_COL, 32, _("Serial number"), "");
	w->maxlen = CPS_SERIAL_MAX + 10;   /* room for the spaces people type */
	w = wform_add(f, W_TEXT, W_DATE, row += 2, APP_COL, APP_FIELD_COL, 20, _("Purchase date"),
		      _("Your best guess is fine: 2021, 05.2021 or 14.05.2021"));
	w->maxlen = 20;
	w = wform_add(f, W_PICKER, W_COUNTRY, row += 2, APP_COL, APP_FIELD_COL, 32,
		      _("Country of purchase"),
		      _("Where you bought it: type the name or the code (DK), Down and Enter."));
	w->suggest = country_suggest;
	w->suggest_arg = s ? &s->countries : NULL;
	w->maxlen = 60;
	w = wform_add(f, W_PICKER, W_DEALER, row += 2, APP_COL, APP_FIELD_COL, 50, _("Dealer"),
		      _("The shop you bought it from; names given before are offered."));
	w->suggest = suggest_dealer;
	w->suggest_arg = a;
	w->maxlen = CPS_DEALER_MAX;
	if (s) {
		for (int id = W_MODEL; id <= W_DEALER; id++)
			snprintf(wform_get(f, id)->value, W_VALUE_MAX, "%s", s->orig[id - 1]);
		set_serial_hint(a);
	}
	wform_add(f, W_BUTTON, W_SAVE, BUTTON_ROW, APP_FIELD_COL, APP_FIELD_COL, 10, _("Save"),
		  _("Save the product and stay here; missing details can be added later."));
	if (s && s->have)
		wform_add(f, W_BUTTON, W_DELETE, BUTTON_ROW, APP_FIELD_COL + 14, APP_FIELD_COL + 14, 12,
			  _("Delete"), _("Remove this product from your products (asks first)."));
	app_nav_buttons(a, _("Back"), _("Next"));
	if ((w = wform_get(f, W_NAV_BACK)))
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Back to My products; your changes are saved (^B)."));
	if ((w = wform_get(f, W_NAV_NEXT)))
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Save and go back to My products, where Next goes on (^N)."));
}

/* The note below the buttons; a note on the serial that fits under the
 * field goes there instead, next to what it is about. */
static void draw_note(struct app *a)
{
	struct state *s = a->state;
	struct widget *w = s->note_field ? wform_get(&a->form, s->note_field) : NULL;

	if (!s->note[0])
		return;
	if (w && s->note_role == R_WARN && !w->error[0]) {
		if (text_width(s->note) <= ERROR_WIDTH) {
			app_text(a, w->row + 1, w->fcol, R_WARN, s->note);
			return;
		}
		app_text(a, w->row + 1, w->fcol, R_WARN, _("Please check it: see the note below."));
	}
	app_wrap(a, NOTE_ROW, APP_COL, APP_TEXT_WIDTH, NOTE_ROWS, s->note_role, s->note);
}

/* After ^T the errors and notes already on the screen are said again in
 * the new language: each field that has one is checked again (a duplicate
 * serial's refusal, which only saving can repeat, keeps its words).  Run
 * from draw(): by then the relayout has put the fields' texts back. */
static void retranslate(struct app *a)
{
	struct state *s = a->state;
	char tmp[W_VALUE_MAX], cc[3];

	for (int id = W_MODEL; id <= W_DEALER; id++) {
		struct widget *w = wform_get(&a->form, id);
		if (!w || (!w->error[0] && !(s->note[0] && s->note_field == id)))
			continue;
		switch (id) {
		case W_MODEL:
			if (!wform_text(&a->form, W_MODEL)[0])
				set_error(a, W_MODEL, _("Choose the model first: type part of its name."));
			else
				check_model(a);
			break;
		case W_SERIAL:
			check_serial(a, tmp, sizeof(tmp));
			break;
		case W_DATE:
			check_date(a, tmp, sizeof(tmp));
			break;
		case W_COUNTRY:
			check_country(a, cc);
			break;
		default:
			check_dealer(a, tmp, sizeof(tmp));
			break;
		}
	}
}

static void draw(struct app *a)
{
	struct state *s = a->state;
	char line[1024], missing[256];

	if (!s)
		return;
	if (s->lang != app_language_current() + 1) {
		if (s->lang)
			retranslate(a);
		s->lang = app_language_current() + 1;
	}
	if (s->confirm_delete && (!wform_focused(&a->form) || wform_focused(&a->form)->id != W_DELETE))
		s->confirm_delete = 0;   /* the customer moved on: the question is off */
	if (!s->have) {
		app_text(a, 0, APP_COL, R_TITLE, _("Add a product"));
		app_wrap(a, 1, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
			     _("Pick the model, then give the serial number, purchase date, country of "
			       "purchase and dealer: the green tick needs all four. Your best guess is fine."));
		if (s->item.id) {
			char model[CPS_MODEL_SIZE];
			snprintf(line, sizeof(line),
				 dngettext(CPS_TEXTDOMAIN,
					   "The %s counts %d point once it has the green tick.",
					   "The %s counts %d points once it has the green tick.",
					   s->item.points),
				 sanitize_line(s->item.model, model, sizeof(model)), s->item.points);
			app_wrap(a, 3, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL, line);
		}
	} else {
		const char *title = _("View product");
		app_text(a, 0, APP_COL, R_TITLE, title);
		if (s->p.origin == CPS_ORIGIN_MIGRATED) {
			int tx = APP_COL + text_width(title) + 2;
			app_wrap(a, 0, tx, APP_TEXT_WIDTH + APP_COL - tx, 1, R_NORMAL,
				     _("(moved from your old CPS account)"));
		}
		int x = page_mark(a, 1, APP_COL, s->p.complete);
		if (s->p.complete) {
			snprintf(line, sizeof(line),
				 dngettext(CPS_TEXTDOMAIN,
					   "Green tick: every detail is given. It counts %d point.",
					   "Green tick: every detail is given. It counts %d points.",
					   s->p.worth),
				 s->p.worth);
			app_wrap(a, 1, x, APP_TEXT_WIDTH - x + APP_COL, 1, R_NORMAL, line);
		} else {
			cps_product_missing(&s->p, missing, sizeof(missing));
			app_wrap(a, 1, x, APP_TEXT_WIDTH - x + APP_COL, 1, R_WARN, missing);
			snprintf(line, sizeof(line),
				 dngettext(CPS_TEXTDOMAIN,
					   "Add what is missing to get the green tick and its %d point.",
					   "Add what is missing to get the green tick and its %d points.",
					   s->p.worth),
				 s->p.worth);
			app_wrap(a, 2, x, APP_TEXT_WIDTH - x + APP_COL, 1, R_NORMAL, line);
		}
		if (!s->p.model_active)
			app_wrap(a, 3, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL,
				     _("This model is no longer in the catalog; the product keeps it."));
	}
	draw_note(a);
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;
	char buf[CPS_DEALER_SIZE];

	if (!s)
		return;
	if (ev.id != W_DELETE)
		s->confirm_delete = 0;
	s->refused = 0;
	switch (ev.id) {
	case W_MODEL:
		check_model(a);
		break;
	case W_SERIAL:
		check_serial(a, buf, sizeof(buf));
		break;
	case W_DATE:
		check_date(a, buf, sizeof(buf));
		break;
	case W_COUNTRY:
		check_country(a, buf);
		break;
	case W_DEALER:
		check_dealer(a, buf, sizeof(buf));
		break;
	case W_SAVE:
		if (ev.what == WR_ACTIVATE)
			save(a, FROM_SAVE);
		break;
	case W_DELETE:
		if (ev.what != WR_ACTIVATE || !s->have)
			break;
		if (s->confirm_delete) {
			delete_product(a);
		} else {
			s->confirm_delete = 1;
			app_message(a, 1, "%s",
				    _("Delete this product? Press y or Enter to delete it, n to keep it."));
		}
		break;
	}
}

static int key(struct app *a, struct key_event k)
{
	struct state *s = a->state;
	struct widget *w = wform_focused(&a->form);

	if (!s)
		return 0;
	if (s->confirm_delete) {
		s->confirm_delete = 0;
		if (k.cmd == CMD_CHAR && (k.ch == 'y' || k.ch == 'Y' || k.ch == 'j' || k.ch == 'J')) {
			delete_product(a);
			return 1;
		}
		app_message(a, 0, "%s", _("The product was kept."));
		return 1;
	}
	if (k.cmd == CMD_BACK && w && w->kind == W_PICKER && w->nsugg) {
		w->nsugg = 0;   /* Esc closes the list of suggestions first */
		return 1;
	}
	if (k.cmd == CMD_BACK || k.cmd == CMD_NEXT) {
		go_back_to_list(a, k.cmd);
		return 1;
	}
	return 0;
}

/* Leaving in another way (quitting): keep what can be kept. */
static void leave(struct app *a)
{
	struct state *s = a->state;

	if (s && !s->done && a->session.account_id && dirty(a) && save(a, FROM_LEAVE) != 0 &&
	    a->unsaved)
		a->lost = 1;   /* refused for a lock: said where the session ends */
	a->unsaved = 0;
}

const struct page page_product = {
	.name = "product",
	.step = CPS_STEP_PRODUCTS,
	.title = N_("Product"),
	.help = N_("Give the model and the four mandatory details: serial number, purchase "
		   "date, country of purchase and dealer. With all four the product gets the green "
		   "tick and its points count. Don't worry if you don't remember exactly - just give "
		   "your best guess (a year such as 2021 is enough for the date).\n\n"
		   "In the model, country and dealer fields, type a few letters and pick from the "
		   "list with Down and Enter. Save keeps the changes; Back and Next keep them too "
		   "and go back to My products. Delete asks first."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.key = key,
	.draw = draw,
};
