/* page_document.c - one customer's proof document for staff: its type,
 * file name, kind of file, size, SHA-256 and when it came (or who saw the
 * paper in person), and its file written, as received, to a new file
 * staff name, to open with a viewer.  A customer who has no file shows the
 * paper at the counter: staff record it here as seen in person, while the
 * application can still change.  Both are in the audit log. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/privacy.h"
#include "staff.h"
#include "theme.h"

/* W_SEEN + a document type: that paper was seen in person */
enum { W_PATH = 1, W_EXPORT, W_SEEN };
#define PATH_ROW 10
#define SEEN_ROW 14

struct state {
	struct cps_application app;
	int have;
};

static int enter(struct app *a)
{
	struct state *s;
	struct cps_error err = { 0 };

	if (!(s = app_page_state(a, sizeof(struct state))))
		return -1;
	app_refresh_flow(a);
	if (cps_application_load(a->e, a->session.account_id, &s->app, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	s->have = 1;
	return 0;
}

/* The file can be written only when there is one. */
static int has_file(const struct state *s)
{
	return s->app.doc.type != CPS_DOC_NONE && !s->app.doc.seen_by[0];
}

/* A paper can be recorded while the application can change (a draft,
 * or rejected) and the VAT answer says which papers fit. */
static int paper_open(const struct state *s)
{
	return (s->app.status == CPS_APP_DRAFT || s->app.status == CPS_APP_REJECTED) &&
	       (s->app.vat_registered == CPS_VAT_YES || s->app.vat_registered == CPS_VAT_NO);
}

static void layout(struct app *a)
{
	const struct state *s = a->state;
	struct widget *w;
	int r = SEEN_ROW + 1;

	if (!s || !s->have)
		return;
	if (paper_open(s))
		for (int t = CPS_DOC_NONE + 1; t < CPS_DOC_COUNT; t++)
			if (cps_doc_type_fits((enum cps_doc_type)t, s->app.vat_registered))
				wform_add(&a->form, W_BUTTON, W_SEEN + t, r++, APP_COL + 2,
					  APP_COL + 2, 44, cps_doc_type_label((enum cps_doc_type)t),
					  _("Record that you saw this paper at the counter; no file is kept."));
	if (has_file(s)) {
		w = wform_add(&a->form, W_TEXT, W_PATH, PATH_ROW, APP_COL, APP_FIELD_COL, 34,
			      _("Write to file"),
			      _("A new file for the document as received; an existing file is never replaced."));
		w->maxlen = W_VALUE_MAX - 1;
		wform_add(&a->form, W_BUTTON, W_EXPORT, PATH_ROW, 60, 60, 16, _("Write"),
			  _("Write the document's file to the path beside it."));
	}
	app_nav_buttons(a, _("Back"), NULL);
}

/* A label and its value on one row (cut to fit), or wrapped onto up to
 * lines rows (a document type in Danish is longer than the column);
 * returns the next row. */
static int row(struct app *a, int r, int lines, const char *label, const char *value)
{
	int width = APP_TEXT_WIDTH - APP_FIELD_COL + APP_COL;

	app_fit(a, r, APP_COL, APP_LABEL_WIDTH, R_LABEL, label);
	if (!value || !*value)
		value = "-";
	if (lines > 1)
		return app_wrap(a, r, APP_FIELD_COL, width, lines, R_NORMAL, value);
	app_fit(a, r, APP_FIELD_COL, width, R_NORMAL, value);
	return r + 1;
}

static void draw(struct app *a)
{
	const struct state *s = a->state;
	const struct cps_document_info *d;
	char line[256], when[64];

	if (!s || !s->have)
		return;
	d = &s->app.doc;
	snprintf(line, sizeof(line), _("Proof document of %s"), s->app.email[0] ? s->app.email : "-");
	app_fit(a, 0, APP_COL, APP_TEXT_WIDTH, R_TITLE, line);
	if (paper_open(s))
		app_fit(a, SEEN_ROW, APP_COL, APP_TEXT_WIDTH, R_LABEL,
			_("The customer shows the paper: seen in person"));
	if (d->type == CPS_DOC_NONE) {
		app_text(a, 2, APP_COL, R_NORMAL, _("The application has no proof document yet."));
		return;
	}
	/* the rows below the type move down when it takes two (row 9 is
	 * free for that, above the file's path) */
	int r = row(a, 2, 2, _("Type"), cps_doc_type_label(d->type));
	staff_time(d->created_at, when, sizeof(when));
	r = row(a, r, 1, _("Received"), when);
	if (d->seen_by[0]) {
		snprintf(line, sizeof(line), _("a paper seen in person by %s; there is no file"), d->seen_by);
		row(a, r, 2, _("Document"), line);
		return;
	}
	r = row(a, r, 1, _("File name"), d->filename);
	r = row(a, r, 1, _("Kind of file"), d->mime);
	snprintf(line, sizeof(line), _("%lld bytes"), d->size);
	r = row(a, r, 1, _("Size"), line);
	/* 64 hex digits do not fit beside a label at 80 columns */
	app_fit(a, r, APP_COL, APP_LABEL_WIDTH, R_LABEL, "SHA-256");
	app_fit(a, r + 1, APP_COL + 2, APP_TEXT_WIDTH - 2, R_NORMAL, d->sha256);
	app_wrap(a, PATH_ROW + 2, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
		 _("Open the written file with a viewer; compare its SHA-256 (sha256sum) with the one above."));
}

static void seen(struct app *a, struct state *s, enum cps_doc_type type)
{
	struct cps_error err = { 0 };

	if (cps_document_seen_in_person(a->e, s->app.id, type, staff_actor(), &err) != CPS_OK ||
	    cps_application_load(a->e, s->app.id, &s->app, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return;
	}
	app_relayout(a);
	app_message(a, 0, _("Recorded: %s, seen in person."), cps_doc_type_label(type));
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;
	struct cps_error err = { 0 };
	char path[W_VALUE_MAX];

	if (ev.what != WR_ACTIVATE || !s->have)
		return;
	if (ev.id > W_SEEN && ev.id < W_SEEN + CPS_DOC_COUNT) {
		seen(a, s, (enum cps_doc_type)(ev.id - W_SEEN));
		return;
	}
	if (ev.id != W_EXPORT)
		return;
	snprintf(path, sizeof(path), "%s", wform_text(&a->form, W_PATH));
	if (cps_document_export(a->e, s->app.id, staff_actor(), path, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	else
		app_message(a, 0, _("The document is written to %s."), path);
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_BACK || k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_customer);
		return 1;
	}
	return 0;
}

const struct page staff_page_document = {
	.name = "document",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: proof document"),
	.help = N_("The customer's proof document: its type, when it came, the file's name, kind, "
		   "size and SHA-256, or who saw the paper in person. Write to file puts the "
		   "document, as it was received, in a new file of your choice to open with a "
		   "viewer. While the application is a draft or rejected, a customer without a "
		   "file may show the paper: choose its kind to record it as seen in person. "
		   "Both are recorded in the audit log."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
