/* frame.c - the wizard's frame: terminal set-up, the layout (header with the
 * step strip, body, message line, key bar), the event loop, page changes,
 * resizing, the help screen and the quit question (see frame.h). */
#define _DEFAULT_SOURCE 1 /* setenv */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ncurses.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/kiosk.h"
#include "cpsreg/secret.h"
#include "frame.h"
#include "sanitize.h"
#include "sync.h"
#include "text.h"
#include "theme.h"

/* ---- text ---------------------------------------------------------------- */

int app_body_rows(const struct app *a)
{
	return a->body ? getmaxy(a->body) : 0;
}

int app_body_cols(const struct app *a)
{
	return a->body ? getmaxx(a->body) : 0;
}

int app_text(struct app *a, int row, int col, int role, const char *text)
{
	char clean[1024];

	if (row < app_body_rows(a))
		widget_put(a->body, row, col, sanitize_line(text, clean, sizeof(clean)),
			   app_body_cols(a) - col, role_attr((enum role)role));
	return row + 1;
}

char *app_cut(const char *text, int width, char *out, size_t len)
{
	char clean[2048];

	return text_cut(sanitize_line(text, clean, sizeof(clean)), width, out, len);
}

int app_fit(struct app *a, int row, int col, int width, int role, const char *text)
{
	char cut[1024];

	return app_text(a, row, col, role, app_cut(text, width, cut, sizeof(cut)));
}

/* Draws the lines first..first+rows of text wrapped to width from row on,
 * the last one marked when more follow (mark); returns how many lines the
 * whole text needs and, in *drawn, how many were drawn. */
static int wrap_draw(struct app *a, int row, int col, int width, int first, int rows,
		     int role, const char *text, int mark, int *drawn)
{
	char clean[4096], line[1024];
	struct text_line l[128];
	int max = (int)(sizeof(l) / sizeof(l[0]));
	int n, i;

	sanitize_text(text, clean, sizeof(clean));
	n = text_wrap(clean, width, l, max);
	for (i = first < 0 ? 0 : first; i < n && i < max && i - first < rows; i++) {
		if (mark && i - first == rows - 1 && i + 1 < n)   /* the text goes on */
			text_cut_more(clean + l[i].off, l[i].len, width, line, sizeof(line));
		else
			snprintf(line, sizeof(line), "%.*s", (int)l[i].len, clean + l[i].off);
		for (char *t = line; *t; t++)
			if (*t == '\t')
				*t = ' ';
		if (a)
			app_text(a, row + i - first, col, role, line);
	}
	*drawn = i > first ? i - first : 0;
	return n;
}

int app_wrap(struct app *a, int row, int col, int width, int rows, int role, const char *text)
{
	int drawn;

	wrap_draw(a, row, col, width, 0, rows, role, text, 1, &drawn);
	return row + drawn;
}

int app_wrap_count(const char *text, int width)
{
	char clean[4096];

	return text_wrap(sanitize_text(text, clean, sizeof(clean)), width, NULL, 0);
}

void app_message(struct app *a, int is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_error = is_error;
	a->dirty = 1;   /* a timer's message shows without waiting for a key */
}

/* ---- pages ------------------------------------------------------------- */

void app_go(struct app *a, const struct page *p)
{
	/* a message set after this call is shown on the new page */
	a->msg[0] = '\0';
	a->next_page = p;
}

void app_refresh_flow(struct app *a)
{
	struct cps_error err = { 0 };

	/* nobody's flow needs no database: the first page is shown before
	 * the engine is open (app_run_opening) */
	if (!a->session.account_id)
		cps_flow_nobody(a->cfg, &a->flow);
	else if (cps_flow_get(a->e, a->session.account_id, &a->flow, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
}

void app_go_step(struct app *a, enum cps_step step)
{
	app_go(a, a->pages->for_step(step));
}

const struct page *app_page_for_flow(struct app *a)
{
	if (!a->session.account_id)
		return a->pages->home;
	app_refresh_flow(a);
	return a->pages->for_step(a->flow.current);
}

void *app_page_state(struct app *a, size_t size)
{
	a->state = calloc(1, size);
	a->state_size = a->state ? size : 0;
	return a->state;
}

void app_nav_buttons(struct app *a, const char *back_label, const char *next_label)
{
	int row = app_body_rows(a) > 0 ? app_body_rows(a) - 1 : APP_MIN_ROWS - APP_BODY_TOP - 3;

	if (back_label)
		wform_add(&a->form, W_BUTTON, W_NAV_BACK, row, 2, 2, 20, back_label,
			  _("Go back to the page before (^B)."));
	if (next_label)
		wform_add(&a->form, W_BUTTON, W_NAV_NEXT, row, 50, 50, 28, next_label,
			  _("Go on to the next page (^N)."));
}



struct widget *app_email_field(struct app *a, int id, int row, const char *email)
{
	struct widget *w = wform_add(&a->form, W_TEXT, id, row, APP_COL, APP_FIELD_COL, 50,
				     _("E-mail"), _("The e-mail address of your business account."));

	if (w) {
		w->maxlen = CPS_EMAIL_MAX - 1;
		snprintf(w->value, sizeof(w->value), "%s", email ? email : "");
	}
	return w;
}

struct widget *app_password_field(struct app *a, int id, int row, const char *label,
				  const char *hint)
{
	struct widget *w = wform_add(&a->form, W_PASSWORD, id, row, APP_COL, APP_FIELD_COL, 40,
				     label, hint);

	if (w)
		w->maxlen = CPS_PASSWORD_MAX_BYTES;
	return w;
}

void app_customer_email(struct app *a, char *out, size_t len)
{
	struct cps_application app;
	struct cps_error err = { 0 };

	out[0] = '\0';
	if (a->session.account_id &&
	    cps_application_load(a->e, a->session.account_id, &app, &err) == CPS_OK)
		snprintf(out, len, "%s", app.email);
}

void app_button_pair(struct app *a, int row, const struct app_button *first,
		     const struct app_button *second)
{
	/* the second follows the first, however long its label is in the
	 * language shown */
	int col = APP_FIELD_COL + wform_button_cols(first->label) + 4;

	wform_add(&a->form, W_BUTTON, first->id, row, APP_FIELD_COL, APP_FIELD_COL,
		  col - APP_FIELD_COL - 4, first->label, first->hint);
	wform_add(&a->form, W_BUTTON, second->id, row, col, col, wform_button_cols(second->label),
		  second->label, second->hint);
}

void app_wipe_field(struct app *a, int id)
{
	struct widget *w = wform_get(&a->form, id);

	if (w) {
		explicit_bzero(w->value, sizeof(w->value));
		wform_set_text(&a->form, id, "");
	}
}

/* FNV-1a of a widget's value: enough to tell whether it changed. */
static unsigned long value_hash(const char *v)
{
	unsigned long h = 2166136261UL;

	for (; *v; v++)
		h = (h ^ (unsigned char)*v) * 16777619UL;
	return h;
}

/* Notes what the layout gave each widget (see app_relayout). */
static void remember_layout(struct app *a)
{
	for (int i = 0; i < a->form.n; i++) {
		struct widget *w = &a->form.w[i];

		w->laid_hash = value_hash(w->value);
		w->laid_selected = w->selected;
		w->laid_checked = w->checked;
	}
}

static void build_widgets(struct app *a)
{
	wform_init(&a->form);
	if (a->page->layout)
		a->page->layout(a);
	remember_layout(a);
	if (a->body && !a->too_small)
		wform_post(&a->form, a->body);
}

/* The page is left: it saves what it holds, then its widgets and state
 * are wiped and freed. */
static void leave_page(struct app *a)
{
	if (!a->page)
		return;
	wform_unpost(&a->form);
	if (a->page->leave)
		a->page->leave(a);
	wform_free(&a->form);
	if (a->state)
		explicit_bzero(a->state, a->state_size);
	free(a->state);
	a->state = NULL;
	a->state_size = 0;
	a->page = NULL;
}

static void enter_page(struct app *a, const struct page *p)
{
	leave_page(a);
	a->page = p;
	a->showing_help = 0;
	app_refresh_flow(a);
	if (p->enter && p->enter(a) != 0 && a->msg[0] == '\0')
		app_message(a, 1, "%s", _("This page could not be opened."));
	build_widgets(a);
}

struct saved {
	int id;
	char value[W_VALUE_MAX];
	int selected, checked, edited;
	char error[256];
	int value_changed, selected_changed, checked_changed;   /* by the person */
};

void app_relayout(struct app *a)
{
	int n = a->form.n;
	struct saved *s = calloc((size_t)(n ? n : 1), sizeof(*s));
	int focus_id = n ? a->form.w[a->form.focus].id : 0;

	wform_unpost(&a->form);
	for (int i = 0; s && i < n; i++) {
		s[i].id = a->form.w[i].id;
		memcpy(s[i].value, a->form.w[i].value, sizeof(s[i].value));
		s[i].selected = a->form.w[i].selected;
		s[i].checked = a->form.w[i].checked;
		s[i].edited = a->form.w[i].edited;
		memcpy(s[i].error, a->form.w[i].error, sizeof(s[i].error));
		s[i].value_changed = value_hash(s[i].value) != a->form.w[i].laid_hash;
		s[i].selected_changed = s[i].selected != a->form.w[i].laid_selected;
		s[i].checked_changed = s[i].checked != a->form.w[i].laid_checked;
	}
	wform_free(&a->form);
	wform_init(&a->form);
	if (a->page->layout)
		a->page->layout(a);
	remember_layout(a);
	/* what the person typed or chose since the last layout stays; what
	 * they left as it was laid out follows the page's new layout (a
	 * choice the page's state changed meanwhile, e.g. the language
	 * after ^T) */
	for (int i = 0; s && i < n; i++) {
		struct widget *w = wform_get(&a->form, s[i].id);
		if (!w)
			continue;
		if (s[i].value_changed) {
			memcpy(w->value, s[i].value, sizeof(w->value));
			/* an error about an older text stays hidden (a resize,
			 * ^T) while the text it was about is being changed */
			w->edited = s[i].edited;
		}
		if (s[i].selected_changed)
			w->selected = s[i].selected;
		if (s[i].checked_changed)
			w->checked = s[i].checked;
		if (!w->error[0])   /* one the page set again (translated) wins */
			memcpy(w->error, s[i].error, sizeof(w->error));
	}
	wform_focus(&a->form, focus_id);
	if (s)
		explicit_bzero(s, (size_t)(n ? n : 1) * sizeof(*s));  /* passwords too */
	free(s);
	if (a->body && !a->too_small)
		wform_post(&a->form, a->body);
}

/* ---- drawing ------------------------------------------------------------- */

/* What the header and the bottom lines were last drawn from: they are
 * drawn again when that changes, not for every key (their gettext look-ups
 * and wide-character work were a large part of a key's cost). */
static struct {
	int valid;
	const struct page *page;
	int cols, lines;
	const char *lang;   /* a translated text: another pointer in another language */
	enum cps_step_state states[CPS_STEP_COUNT];
	char bottom[1024];
	enum role bottom_role;
	char status[512];   /* the remote's, on the header's rule */
	int rest;           /* a long message's rows over the body */
	int hint;           /* the message line shows the focused widget's hint */
} drawn;

static void draw_header(struct app *a)
{
	char line[512];
	int x = 0;
	const char *lang = _("Canon Professional Services - registration");
	int same = drawn.valid && drawn.page == a->page && drawn.cols == COLS &&
		   drawn.lines == LINES && drawn.lang == lang;

	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		same = same && drawn.states[i] == a->flow.steps[i].state;
		drawn.states[i] = a->flow.steps[i].state;
	}
	if (same)
		return;

	snprintf(line, sizeof(line), " %s", _("Canon Professional Services - registration"));
	attr_t title = role_attr(R_KEYBAR);
	move(0, 0);
	attron(title);
	hline(' ', COLS);
	attroff(title);
	widget_put(stdscr, 0, 0, line, COLS, title);
	if (a->page && a->page->title) {
		const char *t = _(a->page->title);
		int w = text_width(t);
		widget_put(stdscr, 0, COLS - w - 1 > 0 ? COLS - w - 1 : 0, t, COLS, title | A_BOLD);
	}

	/* the step strip: done steps ticked, closed ones dim, the current one marked */
	const char *sep = a->utf8 ? " \xe2\x80\xba " : " > ";
	const char *tick = a->utf8 ? "\xe2\x9c\x93" : "+";
	int total = 0, maxlab = 0;
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		int w = text_width(cps_flow_step_label((enum cps_step)i));
		total += w + 1;
		maxlab = w > maxlab ? w : maxlab;
	}
	total += 3 * (CPS_STEP_COUNT - 1);
	int cut = 0;   /* shorten every label to fit the width */
	while (total > COLS - 2 && maxlab - cut > 3) {
		cut++;
		total -= CPS_STEP_COUNT;
	}
	move(1, 0);
	clrtoeol();
	x = 1;
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		const struct cps_flow_step *s = &a->flow.steps[i];
		const char *label = cps_flow_step_label((enum cps_step)i);
		char item[128];
		enum role r = s->state == CPS_STEP_DONE ? R_STEP_DONE
			    : s->state == CPS_STEP_CLOSED ? R_STEP_CLOSED : R_STEP_OPEN;
		int on_page = a->page && a->page->step == (enum cps_step)i;
		if (on_page)
			r = R_STEP_CURRENT;
		int lw = text_width(label) - cut;
		snprintf(item, sizeof(item), "%s%s", s->state == CPS_STEP_DONE ? tick : " ", label);
		widget_put(stdscr, 1, x, item, lw + 1, role_attr(r));
		x += lw + 1;
		if (i + 1 < CPS_STEP_COUNT) {
			widget_put(stdscr, 1, x, sep, 3, role_attr(R_STEP_CLOSED));
			x += 3;
		}
	}
	attron(role_attr(R_FRAME));
	mvhline(2, 0, a->utf8 ? 0 : '-', COLS);
	attroff(role_attr(R_FRAME));
	/* the bottom lines are drawn again with it (the key bar's words) */
	drawn.valid = 0;
	drawn.status[0] = '\0';
	drawn.page = a->page;
	drawn.cols = COLS;
	drawn.lines = LINES;
	drawn.lang = lang;
}

/* A message longer than the message line goes on over the page's last
 * rows, above it, until the next key: every message is read whole, even
 * one that names a long path.  At most this many rows in all. */
#define MSG_ROWS_MAX 4

/* The rows a message needs at the current width, its lines in lines[]
 * (MSG_ROWS_MAX of them); 1 for a hint, a question or nothing. */
static int message_lines(const struct app *a, const char *clean, struct text_line *lines)
{
	int n;

	if (a->asking_quit || !a->msg[0] || text_width(clean) <= COLS - 2)
		return 1;
	n = text_wrap(clean, COLS - 2, lines, MSG_ROWS_MAX);
	return n < 1 ? 1 : n > MSG_ROWS_MAX ? MSG_ROWS_MAX : n;
}

/* What quitting (or an idle close) now would lose: the page's answer
 * first (a first field not yet left), else what a page noted as refused. */
static int unsaved_now(struct app *a)
{
	int u = a->page && a->page->unsaved ? a->page->unsaved(a) : 0;

	return u ? u : a->unsaved;
}

static void draw_bottom(struct app *a)
{
	char clean[1024], line[1024], all[1024];
	const char *text = a->msg;
	enum role r = a->msg_error ? R_ERROR : R_HINT;
	struct text_line lines[MSG_ROWS_MAX];
	int n;

	if (a->asking_quit) {
		int unsaved = unsaved_now(a);
		text = unsaved == APP_UNSAVED_NEW
		       ? _("Quit cpsreg? NOT saved yet: Tab saves the field first. y quits, n stays.")
		       : unsaved
		       ? _("Quit cpsreg? NOT all is saved: the database is busy. y quits, n stays.")
		       : _("Quit cpsreg? What you typed is saved. Press y to quit, n to stay.");
		r = R_WARN;
	} else if (!text[0]) {
		struct widget *w = wform_focused(&a->form);
		text = w && w->hint[0] ? w->hint : "";
		r = R_HINT;
	}
	sanitize_line(text, clean, sizeof(clean));
	n = message_lines(a, clean, lines);
	if (n > 1) {
		/* the message line holds the last line; a text cut at
		 * MSG_ROWS_MAX rows ends in the ellipsis */
		const struct text_line *l = &lines[n - 1];
		snprintf(all, sizeof(all), "%s", clean + l->off);
		text_cut(all, COLS - 2, line, sizeof(line));
	} else {
		/* a hint is one line (tests/cli/test_hints.sh) */
		text_cut(clean, COLS - 2, line, sizeof(line));
	}
	drawn.hint = !a->asking_quit && !a->msg[0];
	if (drawn.valid && drawn.bottom_role == r && strcmp(drawn.bottom, line) == 0)
		return;   /* the key bar changes only with what draw_header checks */
	snprintf(drawn.bottom, sizeof(drawn.bottom), "%s", line);
	drawn.bottom_role = r;
	move(LINES - 2, 0);
	clrtoeol();
	widget_put(stdscr, LINES - 2, 1, line, COLS - 2, role_attr(r));

	attron(role_attr(R_KEYBAR));
	mvhline(LINES - 1, 0, ' ', COLS);
	attroff(role_attr(R_KEYBAR));
	/* two spaces between keys, none after the last; the bar starts one
	 * column in like the message line, unless only column 0 gives room
	 * for every key (the Norwegian bar at 80 columns) */
	int total = 0;
	for (int i = 0; keys_bar[i] != CMD_NONE; i++)
		total += (i ? 2 : 0) + text_width(keys_label(keys_bar[i])) + 1
			 + text_width(keys_note(keys_bar[i]));
	int x = total + 1 <= COLS ? 1 : 0;
	for (int i = 0; keys_bar[i] != CMD_NONE; i++) {
		const char *k = keys_label(keys_bar[i]);
		const char *note = keys_note(keys_bar[i]);
		int need = text_width(k) + 1 + text_width(note);
		if (x + need > COLS)
			break;
		widget_put(stdscr, LINES - 1, x, k, COLS - x, role_attr(R_KEY));
		x += text_width(k) + 1;
		widget_put(stdscr, LINES - 1, x, note, COLS - x, role_attr(R_KEYBAR));
		x += text_width(note) + 2;
	}
}

/* The remote's status line in line (empty without a remote): the state
 * and the changes waiting always whole, then the reason of a failed sync
 * as far as it fits the header's rule; a reason cut short ends in the
 * ellipsis and names the key that shows it whole (the help).  Returns 1
 * when the reason was cut. */
static int status_line(const struct app *a, char *line, size_t len, int *is_error)
{
	char text[480], head[480], reason[480], more[96], joined[1100];
	size_t h;
	int room = COLS - 4;   /* a rule's two cells stay at each end */

	sync_status_text(a, text, sizeof(text), &h, is_error);
	if (!text[0]) {
		line[0] = '\0';
		return 0;
	}
	snprintf(line, len, " %s ", text);
	if (text_width(line) <= room)
		return 0;
	snprintf(head, sizeof(head), " %.*s", (int)h, text);
	snprintf(more, sizeof(more), _("(more: %s)"), keys_label(CMD_HELP));
	int left = room - text_width(head) - text_width(more) - 2;
	if (left >= 8)   /* less is no use: " - " and a letter or two */
		app_cut(text + h, left, reason, sizeof(reason));
	else
		reason[0] = '\0';
	snprintf(joined, sizeof(joined), "%s%s %s ", head, reason, more);
	/* a state and a count wider than the row itself are cut too */
	app_cut(joined, room, line, len);
	return 1;
}

/* The remote's status, right-aligned on the header's rule (a rule again
 * when the status goes). */
static void draw_status(struct app *a)
{
	char line[512];
	int is_error;

	status_line(a, line, sizeof(line), &is_error);
	if (!line[0] && !drawn.status[0])
		return;
	if (drawn.valid && strcmp(drawn.status, line) == 0)
		return;
	snprintf(drawn.status, sizeof(drawn.status), "%s", line);
	attron(role_attr(R_FRAME));
	mvhline(2, 0, a->utf8 ? 0 : '-', COLS);
	attroff(role_attr(R_FRAME));
	if (line[0])
		widget_put(stdscr, 2, COLS - 2 - text_width(line), line, COLS - 2,
			   role_attr(is_error ? R_WARN : R_HINT));
}

static void draw_help(struct app *a)
{
	int width = app_body_cols(a) - 4, nkeys = 0, row;

	for (; keys_all[nkeys] != CMD_NONE; nkeys++)
		;
	int keyrows = (nkeys + 1) / 2;
	int keytop = app_body_rows(a) - keyrows - 2;
	werase(a->body);
	app_text(a, 0, 2, R_TITLE, _("Help"));
	/* the page's text scrolls with Up and Down above the keys, after the
	 * remote's whole status when the header's rule had to cut it */
	int room = keytop - 2, left = room, top = 1, first = a->help_scroll, total = 0;
	char status[512], text[480];
	size_t head;
	int is_error;
	if (status_line(a, status, sizeof(status), &is_error)) {
		sync_status_text(a, text, sizeof(text), &head, &is_error);
		int n = wrap_draw(a, top, 2, width, first, left, is_error ? R_WARN : R_HINT, text, 0,
				  &row);
		top += row;
		left -= row;
		if (first <= n && left > 0) {   /* a blank row after it */
			top++;
			left--;
		}
		total = n + 1;
		first = first > total ? first - total : 0;
	}
	if (a->page && a->page->help)
		total += wrap_draw(a, top, 2, width, first, left, R_NORMAL, _(a->page->help), 0, &row);
	if (a->help_scroll > 0 && total - a->help_scroll < room)
		a->help_scroll = total > room ? total - room : 0;
	if (total > room)
		app_text(a, keytop - 1, 2, R_HINT,
			 a->help_scroll + room < total ? _("(more: press Down)") : _("(press Up to scroll back)"));
	row = keytop;
	app_text(a, row++, 2, R_TITLE, _("Keys"));
	/* the notes line up after the widest key name, in the language shown */
	int kw = 0;
	for (int i = 0; i < nkeys; i++)
		if (text_width(keys_label(keys_all[i])) > kw)
			kw = text_width(keys_label(keys_all[i]));
	for (int i = 0; i < nkeys; i++) {
		int c = i < keyrows ? 4 : 42;
		app_text(a, row + i % keyrows, c, R_NORMAL, keys_label(keys_all[i]));
		app_fit(a, row + i % keyrows, c + kw + 1, (i < keyrows ? 42 : width + 2) - c - kw - 2,
			R_NORMAL, keys_note(keys_all[i]));
	}
	app_text(a, app_body_rows(a) - 1, 2, R_HINT, _("Press any other key to go back to the page."));
}

/* The header, the bottom lines and the body overwrite every cell they
 * own, so nothing is erased first: ncurses then sends only the cells
 * that really changed (a typed character, not the screen). */
/* The lines of a long message before its last, over the page's last rows
 * (the page is drawn again without them after the next key). */
static void draw_message_rest(struct app *a)
{
	char clean[1024], line[1024];
	struct text_line lines[MSG_ROWS_MAX];
	int n, top;
	attr_t at;

	if (a->asking_quit || !a->msg[0])
		return;
	sanitize_line(a->msg, clean, sizeof(clean));
	n = message_lines(a, clean, lines);
	if (n < 2)
		return;
	at = role_attr(a->msg_error ? R_ERROR : R_HINT);
	top = getmaxy(a->body) - (n - 1);
	drawn.rest = n - 1;
	for (int i = 0; i < n - 1; i++) {
		snprintf(line, sizeof(line), "%.*s", (int)lines[i].len, clean + lines[i].off);
		wmove(a->body, top + i, 0);
		wclrtoeol(a->body);
		widget_put(a->body, top + i, 1, line, COLS - 2, at);
	}
}

/* Whether the body may keep what was drawn but the focused field: set
 * by a key that only edited it (a->dirty_field), with nothing over the
 * page (a dialog, the help, a long message's rows). */
static int field_only(struct app *a)
{
	char clean[1024];
	struct text_line lines[MSG_ROWS_MAX];

	if (!a->dirty_field || !drawn.valid || a->showing_help || a->pin.open || a->idle_left > 0 ||
	    drawn.rest || !a->body)
		return 0;
	return a->msg[0] == '\0' ||
	       message_lines(a, sanitize_line(a->msg, clean, sizeof(clean)), lines) == 1;
}

static void draw(struct app *a)
{
	char line[128];

	if (a->too_small) {
		erase();
		drawn.valid = 0;
		snprintf(line, sizeof(line), _("terminal too small (need %dx%d)"), APP_MIN_COLS, APP_MIN_ROWS);
		mvaddnstr(0, 0, line, COLS);
		refresh();
		return;
	}
	if (!a->dirty && field_only(a)) {
		/* a key changed the focused field's text and nothing else: the
		 * header and the rest of the body are as drawn (no page text
		 * wrapped again), and so is the field's hint below */
		if (!drawn.hint || a->msg[0])
			draw_bottom(a);
		wnoutrefresh(stdscr);
		wform_draw_focused(&a->form);
		wform_place_cursor(&a->form);
		wnoutrefresh(a->body);
		doupdate();
		return;
	}
	draw_header(a);
	draw_bottom(a);
	draw_status(a);
	drawn.valid = 1;
	wnoutrefresh(stdscr);
	drawn.rest = 0;
	werase(a->body);
	if (a->showing_help) {
		draw_help(a);
		curs_set(0);
	} else {
		if (a->page->draw)
			a->page->draw(a);
		wform_draw(&a->form);
		wform_place_cursor(&a->form);
		/* the kiosk's dialogs lie over the page */
		if (a->pin.open)
			pin_dialog_draw(a);
		else if (a->idle_left > 0)
			idle_dialog_draw(a, a->idle_left);
		else
			draw_message_rest(a);
	}
	wnoutrefresh(a->body);
	doupdate();
}

/* ---- the terminal ------------------------------------------------------- */

static void make_body(struct app *a)
{
	if (a->body) {
		wform_unpost(&a->form);
		delwin(a->body);
		a->body = NULL;
	}
	a->too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_ROWS;
	if (a->too_small)
		return;
	a->body = newwin(LINES - APP_BODY_TOP - 2, COLS, APP_BODY_TOP, 0);
	if (!a->body) {
		/* out of memory: say the screen cannot be used, as when small */
		a->too_small = 1;
		return;
	}
	/* once per window: keypad() in the loop sent the keypad-mode
	 * sequence to the terminal before every key */
	keypad(a->body, TRUE);
	nodelay(a->body, TRUE);
	if (a->page)   /* laid out again: Back and Next follow the bottom */
		app_relayout(a);
}

/* Starts curses on the terminal; an unknown TERM falls back to vt100 with a
 * warning (newterm, unlike initscr, returns instead of exiting).  *fallback
 * gets the TERM that was not known, or stays empty. */
static SCREEN *start_terminal(char *fallback, size_t len)
{
	SCREEN *scr;
	const char *term = getenv("TERM");

	/* ncurses draws lines with Unicode in a UTF-8 locale instead of the
	 * terminal's alternate character set, which not every terminal has */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {   /* an unknown TERM must not end the program */
		snprintf(fallback, len, "%s", term ? term : "");
		/* said before the screen starts, for a log of the session */
		fprintf(stderr, _("cpsreg: warning: unknown terminal type TERM=%s; using vt100\n"),
			fallback);
		scr = newterm("vt100", stdout, stdin);
	}
	return scr;
}

/* Terminals without an alternate screen (the Linux console, vt100, vt220)
 * keep the last page after the program ends: the last customer's name,
 * e-mail and code must not stay there. */
static int has_alternate_screen(void)
{
	const char *smcup = tigetstr("smcup");

	return smcup && smcup != (const char *)-1 && *smcup;
}

void app_set_language(const char *code)
{
	setenv("LANGUAGE", code, 1);
	/* gettext keeps what it looked up; a new locale setting starts over */
	setlocale(LC_MESSAGES, "");
}

const char *const app_language_codes[APP_LANGUAGES] = { "en", "nb", "da" };
/* each language named in itself */
const char *const app_language_names[APP_LANGUAGES] = { "English", "Norsk bokm\xc3\xa5l", "Dansk" };

int app_language_find(const char *code)
{
	if (code && strncmp(code, "no", 2) == 0)
		return 1;
	for (int i = 0; code && i < APP_LANGUAGES; i++)
		if (strncmp(code, app_language_codes[i], 2) == 0)
			return i;
	return -1;
}

int app_language_current(void)
{
	/* LANGUAGE as the frame switches it, else the locale's (language=auto) */
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
		const char *cur = getenv(vars[v]);
		if (cur && *cur) {
			int i = app_language_find(cur);
			return i < 0 ? 0 : i;
		}
	}
	return 0;
}

const char *app_language(void)
{
	return app_language_codes[app_language_current()];
}

static void next_language(struct app *a)
{
	int i = (app_language_current() + 1) % APP_LANGUAGES;

	app_set_language(app_language_codes[i]);
	app_refresh_flow(a);
	app_relayout(a);
	app_message(a, 0, "%s", app_language_names[i]);
}

/* The commands that edit the focused text field (or move in it). */
static int edits_field(enum cmd c)
{
	return c == CMD_CHAR || c == CMD_TOGGLE || c == CMD_LEFT || c == CMD_RIGHT ||
	       c == CMD_HOME || c == CMD_END || c == CMD_BACKSPACE || c == CMD_DELETE ||
	       c == CMD_CLEAR;
}

/* Handles one key; returns 1 when it changed nothing on screen but the
 * focused field's text and cursor (and the message line), so that only
 * that field is drawn again. */
static int handle_key(struct app *a, struct key_event k)
{
	int esc_left = 0;

	if (k.cmd == CMD_RESIZE) {   /* whatever is shown: lay out again */
		make_body(a);
		return 0;
	}
	if (a->pin.open) {
		pin_dialog_key(a, k);
		return 0;
	}
	if (a->idle_left > 0) {
		/* "Press any key": the key only says someone is there */
		a->idle_left = 0;
		return 0;
	}
	if (k.cmd == CMD_PASTE_BEGIN || k.cmd == CMD_PASTE_END) {
		a->pasting = k.cmd == CMD_PASTE_BEGIN;
		return 0;
	}
	if (a->pasting) {
		/* pasted text goes into a text field and nowhere else: it never
		 * answers a question, presses a button or goes back */
		struct widget *w = wform_focused(&a->form);
		if (a->asking_quit || a->showing_help || a->too_small || !w || !w->field) {
			app_message(a, 1, "%s", _("Pasted text goes into a text field only; it was not used."));
			return 0;
		}
	} else if (k.cmd == CMD_BACK && k.ch == 27 && !a->asking_quit && !a->showing_help) {
		/* a lone Esc (or an arrow key's sequence split by a slow link)
		 * in a text field only leaves the field: nothing is thrown away */
		struct widget *w = wform_focused(&a->form);
		if (w && w->field) {
			k.cmd = CMD_NEXT_FIELD;
			k.ch = 0;
			esc_left = 1;
		}
	}
	if (a->asking_quit) {
		if (k.cmd == CMD_CHAR && (k.ch == 'y' || k.ch == 'Y' || k.ch == 'j' || k.ch == 'J'))
			a->quit = 1;
		else
			a->asking_quit = 0;
		return 0;
	}
	if (a->showing_help) {
		if (k.cmd == CMD_DOWN)
			a->help_scroll++;
		else if (k.cmd == CMD_UP && a->help_scroll > 0)
			a->help_scroll--;
		else
			a->showing_help = 0;
		return 0;
	}
	switch (k.cmd) {
	case CMD_REDRAW:
		clearok(curscr, TRUE);
		return 0;
	case CMD_HELP:
		a->showing_help = 1;
		a->help_scroll = 0;
		return 0;
	case CMD_QUIT:
		/* a kiosk is left only with the staff PIN (the console opened
		 * with it goes back to the kiosk) */
		if (a->cfg->kiosk_enabled && !a->pages->from_kiosk)
			pin_dialog_open(a);
		else
			a->asking_quit = 1;
		return 0;
	case CMD_LANGUAGE:
		next_language(a);
		return 0;
	default:
		break;
	}
	if (a->too_small)
		return 0;
	if (esc_left)
		app_message(a, 0, "%s", _("Esc leaves the field; ^B goes back to the page before."));
	else
		a->msg[0] = '\0';
	struct widget *fw = wform_focused(&a->form);
	int focus = a->form.focus, edited = fw ? fw->edited : 0;
	struct wevent ev = wform_key(&a->form, k);
	if (ev.what == WR_ACTIVATE && (ev.id == W_NAV_BACK || ev.id == W_NAV_NEXT)) {
		k.cmd = ev.id == W_NAV_BACK ? CMD_BACK : CMD_NEXT;
		ev.what = WR_NONE;
	}
	if (ev.what == WR_FULL) {
		const struct widget *w = wform_get(&a->form, ev.id);
		int max = w ? w->maxlen : 0;
		app_message(a, 1, dngettext(CPS_TEXTDOMAIN,
			"The field is full (at most %d character): the rest was not typed.",
			"The field is full (at most %d characters): the rest was not typed.",
			(unsigned long)max), max);
		return 0;
	}
	if (ev.what != WR_NONE) {
		if (ev.what != WR_HANDLED && a->page->event)
			a->page->event(a, ev);
		/* an edit that left the focus where it was, in a plain text
		 * field, and did not hide the field's error (its first change) */
		return ev.what == WR_HANDLED && !esc_left && edits_field(k.cmd) && fw &&
		       a->form.focus == focus && (fw->kind == W_TEXT || fw->kind == W_PASSWORD) &&
		       fw->field && fw->edited == edited;
	}
	if (a->page->key && a->page->key(a, k))
		return 0;
	/* not taken by the page: follow the order of the steps */
	if (k.cmd == CMD_BACK) {
		if (!a->session.account_id || a->page->step == CPS_STEP_COUNT || a->page->step == 0)
			app_go(a, a->pages->home);
		else
			app_go_step(a, (enum cps_step)(a->page->step - 1));
	} else if (k.cmd == CMD_NEXT && a->session.account_id && a->page->step < CPS_STEP_COUNT) {
		enum cps_step n = cps_flow_next(&a->flow, a->page->step);
		if (n < CPS_STEP_COUNT && n != a->page->step)
			app_go_step(a, n);
		else
			app_message(a, 1, "%s", a->flow.steps[a->page->step + 1 < CPS_STEP_COUNT ?
				    a->page->step + 1 : a->page->step].why);
	}
	return 0;
}

void app_new_customer(struct app *a)
{
	a->new_customer = 1;
	app_go(a, a->pages->home);
}

/* Kiosk, every second: after kiosk.idle_timeout seconds without a key the
 * session is saved and closed, so the next person at the screen starts
 * afresh; the last kiosk.idle_warning seconds of it count down on screen. */
static void kiosk_idle(struct app *a, void *arg)
{
	int timeout = a->cfg->kiosk_idle_timeout;
	int warning = a->cfg->kiosk_idle_warning < timeout ? a->cfg->kiosk_idle_warning : timeout;
	long long idle = (loop_now_ms() - a->idle_since_ms) / 1000;
	int was = a->idle_left;

	(void)arg;
	if (a->pages->from_kiosk) {
		/* staff walked away: the console must not wait for a customer */
		if (idle >= timeout)
			a->quit = 1;
		else
			a->idle_left = idle >= timeout - warning ? (int)(timeout - idle) : 0;
	} else if (!a->session.account_id && a->page == a->pages->home && !a->pin.open) {
		a->idle_left = 0;   /* nobody's session to close */
	} else if (idle >= timeout) {
		int was_new = unsaved_now(a) == APP_UNSAVED_NEW;
		app_new_customer(a);
		if (was_new)   /* a first field never left: there was no draft */
			app_message(a, 0, _("Closed after %d seconds without a key; the new application was not saved."),
				    timeout);
		else
			app_message(a, 0, _("Closed after %d seconds without a key; what you typed is saved."),
				    timeout);
	} else {
		a->idle_left = idle >= timeout - warning ? (int)(timeout - idle) : 0;
	}
	/* the countdown shows: redraw when it moves, not every second */
	if (a->idle_left != was)
		a->dirty = 1;
}

/* Kiosk: ^C, ^\ and ^Z are keys in raw mode, but SIGINT, SIGQUIT and
 * SIGTSTP sent from outside must not end or stop the kiosk either: they
 * ask for the staff PIN like ^Q. */
static volatile sig_atomic_t kiosk_signal;

static void on_kiosk_signal(int sig)
{
	(void)sig;
	kiosk_signal = 1;
}

static void kiosk_signals(void)
{
	struct sigaction sa;
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kiosk_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* app_run and app_run_opening: with an opener, e is NULL and the engine is
 * opened once the home page is on the screen. */
static int run(struct cps_engine *e, const struct app_opener *op, const struct cps_config *cfg,
	       const struct app_pages *pages, volatile sig_atomic_t *stop)
{
	struct app a;
	SCREEN *scr;
	char fallback[64] = "";
	int opened = 1, pending = op != NULL;

	memset(&a, 0, sizeof(a));
	a.e = e;
	a.cfg = cfg;
	a.pages = pages;
	a.dirty = 1;
	drawn.valid = 0;
	session_init(&a.session);
	a.stop = stop;
	a.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	scr = start_terminal(fallback, sizeof(fallback));
	if (!scr)
		return -1;
	/* the Linux console's fonts show the tick as a diamond: ASCII marks */
	const char *term = getenv("TERM");
	if (term && strncmp(term, "linux", 5) == 0)
		a.utf8 = 0;
	/* over SSH an arrow key's bytes may arrive apart: wait longer before
	 * taking ESC alone (an ESCDELAY in the environment wins) */
	if (!getenv("ESCDELAY"))
		set_escdelay(getenv("SSH_CONNECTION") || getenv("SSH_TTY") ? 300 : 50);
	raw();              /* ^Q, ^S and ^Z are keys here, not flow control */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	keys_paste_mode(1);
	theme_init();
	make_body(&a);
	enter_page(&a, app_page_for_flow(&a));
	if (fallback[0])
		app_message(&a, 1, _("Unknown terminal type TERM=%s; shown as on a vt100."), fallback);
	if (op) {
		/* the home page first, then the database: the customer reads
		 * while it opens, and keys typed meanwhile wait in the terminal */
		draw(&a);
		a.dirty = 0;
		opened = op->open(op->ctx, &a.e, op->err) == 0;
		if (!opened)
			goto end;
		*op->e = a.e;
		e = a.e;
		if (cps_engine_warning(e))
			app_message(&a, 1, "%s", cps_engine_warning(e));
	}
	if (cfg->kiosk_enabled) {
		a.idle_since_ms = loop_now_ms();
		a.idle_timer = loop_add_timer(&a.loop, 1000, 1, kiosk_idle, NULL);
		kiosk_signals();
		if (!cps_kiosk_pin_configured(e))
			app_message(&a, 1, "%s", _("No staff PIN is set (kiosk.staff_pin_hash): the kiosk cannot be left here."));
	}

	sync_start(&a);
	while (!a.quit && !*stop) {
		/* a page may send the customer on from its enter() */
		for (int hops = 0; a.next_page && hops < 8; hops++) {
			const struct page *p = a.next_page;
			a.next_page = NULL;
			if (a.new_customer) {
				/* the page saves what it holds before it is wiped */
				leave_page(&a);
				if (a.lost)   /* the idle close's "saved" would not be true */
					app_message(&a, 1, "%s", _("Closed, but NOT all was saved: the database stayed busy."));
				a.lost = 0;
				session_reset(&a.session);
				pin_dialog_close(&a);
				a.new_customer = a.asking_quit = a.showing_help = a.idle_left = 0;
				/* nothing of the last customer stays on the glass */
				clearok(curscr, TRUE);
			}
			enter_page(&a, p);
			a.dirty = 1;
		}
		/* nothing changed, nothing drawn: an idle wizard costs nothing */
		if (a.dirty || a.dirty_field) {
			draw(&a);
			a.dirty = a.dirty_field = 0;
		}
		/* keys are also looked for after a timeout or a timer, without
		 * waiting: a SIGWINCH that came just before the poll (or while
		 * the engine opened, before the first) does not wake it, so a
		 * resize is seen within a second at worst */
		int hup = 0;
		int pr = pending ? 0 : loop_wait(&a.loop, &a, 0, 1000, &hup);
		int looked = pr == 0;
		pending = 0;
		if (pr < 0 && *stop)
			break;      /* SIGHUP, SIGTERM */
		if (kiosk_signal) {
			kiosk_signal = 0;
			if (!a.pin.open)
				pin_dialog_open(&a);
			a.dirty = 1;
			continue;
		}
		/* a timer or another fd that changed something is drawn first */
		if (looked && (a.quit || a.next_page || a.dirty || a.dirty_field))
			continue;
		if (hup)
			break;      /* the terminal went away */
		/* input, or a signal: SIGWINCH comes out of keys_read as KEY_RESIZE */
		wint_t ch;
		int r;
		WINDOW *in = a.body ? a.body : stdscr;
		int not_text = 0, keys = 0;
		uint32_t left_out = 0;
		while ((r = keys_read(in, &ch)) != ERR) {
			int was_pasting = a.pasting;
			keys++;
			if (handle_key(&a, a.pasting ? keys_pasted(r, ch) : keys_translate(r, ch)))
				a.dirty_field = 1;
			else
				a.dirty = 1;
			/* in raw mode ^C, ^Z and ^\ are keys that do nothing: a person
			 * who presses them wants out, so say how */
			if (!was_pasting && r == OK && (ch == 0x03 || ch == 0x1a || ch == 0x1c))
				app_message(&a, 0, _("This key does not end the program: %s quits (it asks first)."),
					    keys_label(CMD_QUIT));
			not_text |= r == OK && ch == KEYS_NOT_TEXT;
			if (keys_left_out(r, ch))
				left_out = keys_left_out(r, ch);
			if (a.quit || a.next_page || in != (a.body ? a.body : stdscr) ||
			    (r == KEY_CODE_YES && ch == KEY_RESIZE))
				break;   /* a resize deleted the window read from (its
					  * new one may have the same address) */
		}
		/* a key, or a signal that woke the poll, is someone there */
		if (keys || !looked)
			a.idle_since_ms = loop_now_ms();
		if (!keys && !looked)
			a.dirty = 1;
		if (not_text)   /* said after the keys that came with it */
			app_message(&a, 1, "%s", _("Bytes that are not text (UTF-8) are shown as �: please correct them."));
		else if (left_out)
			app_message(&a, 1, _("An invisible control character (U+%04X) was left out."),
				    (unsigned)left_out);
	}
	sync_stop(&a);
end:
	/* save what the page holds before the terminal goes */
	leave_page(&a);
	session_reset(&a.session);
	pin_dialog_close(&a);
	if (!has_alternate_screen()) {
		clear();
		refresh();
	}
	if (a.body)
		delwin(a.body);
	keys_paste_mode(0);
	endwin();
	delscreen(scr);
	if (!opened)
		return APP_RUN_NOT_OPENED;
	if (a.want_console)
		return APP_RUN_CONSOLE;
	return a.lost ? APP_RUN_LOST : 0;
}

int app_run(struct cps_engine *e, const struct cps_config *cfg, const struct app_pages *pages,
	    volatile sig_atomic_t *stop)
{
	return run(e, NULL, cfg, pages, stop);
}

int app_run_opening(const struct app_opener *op, const struct cps_config *cfg,
		    const struct app_pages *pages, volatile sig_atomic_t *stop)
{
	*op->e = NULL;
	return run(NULL, op, cfg, pages, stop);
}
