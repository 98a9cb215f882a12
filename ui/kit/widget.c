/* widget.c - the widget layer over libform (see widget.h). */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cpsreg/text.h"

#include "text.h"
#include "theme.h"
#include "widget.h"

void wform_init(struct wform *f)
{
	memset(f, 0, sizeof(*f));
}

struct widget *wform_add(struct wform *f, enum wkind kind, int id, int row,
			 int col, int fcol, int fwidth, const char *label,
			 const char *hint)
{
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 16;
		struct widget *w = realloc(f->w, (size_t)cap * sizeof(*w));
		if (!w)
			return NULL;
		f->w = w;
		f->cap = cap;
	}
	struct widget *w = &f->w[f->n++];
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->id = id;
	w->row = row;
	w->col = col;
	w->fcol = fcol;
	w->fwidth = fwidth;
	w->maxlen = W_VALUE_MAX / 4 - 1;
	w->selected = -1;
	w->sugg_sel = -1;
	snprintf(w->label, sizeof(w->label), "%s", label ? label : "");
	snprintf(w->hint, sizeof(w->hint), "%s", hint ? hint : "");
	return w;
}

struct widget *wform_get(struct wform *f, int id)
{
	for (int i = 0; i < f->n; i++)
		if (f->w[i].id == id)
			return &f->w[i];
	return NULL;
}

struct widget *wform_focused(struct wform *f)
{
	return f->n ? &f->w[f->focus] : NULL;
}

static int is_text(const struct widget *w)
{
	return w->kind == W_TEXT || w->kind == W_PASSWORD || w->kind == W_PICKER;
}

/* Copies a posted field's text into w->value, trimmed. */
static void sync_value(struct wform *f, struct widget *w)
{
	if (!w->field)
		return;
	if (current_field(f->form) == w->field)
		form_driver(f->form, REQ_VALIDATION);   /* what was typed reaches the buffer */
	const char *b = field_buffer(w->field, 0);
	size_t n = b ? strlen(b) : 0;
	while (n && b[n - 1] == ' ')
		n--;
	size_t s = 0;
	while (s < n && b[s] == ' ')
		s++;
	if (n - s >= sizeof(w->value))
		n = s + sizeof(w->value) - 1;
	memcpy(w->value, b + s, n - s);
	w->value[n - s] = '\0';
	w->fresh = 1;
}

/* The value, read back from libform only when it may differ. */
static void sync_if_stale(struct wform *f, struct widget *w)
{
	if (!w->fresh || !w->field)
		sync_value(f, w);
}

/* libform shows nothing of a field that is not public: one star per
 * character typed is drawn over it, so the customer sees that keys arrive
 * (never the password itself). */
static void draw_mask(struct wform *f, struct widget *w, WINDOW *win, int width, attr_t back)
{
	int n = 0;

	sync_if_stale(f, w);
	for (const char *p = w->value; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;   /* a character's first byte */
	if (n > width - 1)
		n = width - 1;   /* a long one scrolls: the cursor keeps the last cell */
	wattron(win, back);
	for (int i = 0; i < n; i++)
		mvwaddch(win, w->row, w->fcol + i, '*');
	wattroff(win, back);
}

/* Makes the focused widget's field the form's current one, the cursor at
 * the end of its text. */
static void focus_field(struct wform *f)
{
	struct widget *w = wform_focused(f);

	if (!f->form || !w || !w->field || current_field(f->form) == w->field)
		return;
	set_current_field(f->form, w->field);
	form_driver(f->form, REQ_END_LINE);
}

static void refresh_suggestions(struct widget *w)
{
	w->nsugg = 0;
	w->sugg_sel = -1;
	if (w->kind == W_PICKER && w->suggest && w->value[0])
		w->nsugg = w->suggest(w->suggest_arg, w->value, w->sugg, W_SUGGEST_MAX);
}

void wform_set_text(struct wform *f, int id, const char *text)
{
	struct widget *w = wform_get(f, id);

	if (!w)
		return;
	snprintf(w->value, sizeof(w->value), "%s", text ? text : "");
	w->fresh = 0;
	if (w->field) {
		set_field_buffer(w->field, 0, w->value);
		if (current_field(f->form) == w->field)
			form_driver(f->form, REQ_END_LINE);
	}
}

const char *wform_text(struct wform *f, int id)
{
	struct widget *w = wform_get(f, id);

	if (!w)
		return "";
	sync_if_stale(f, w);
	return w->value;
}

void wform_post(struct wform *f, WINDOW *win)
{
	int n = 0, k = 0;

	f->win = win;
	f->posted = 1;
	for (int i = 0; i < f->n; i++)
		n += is_text(&f->w[i]);
	if (!n)
		return;
	/* One form for every field of the page, in a window of its own that is
	 * never shown: libform keeps the fields there, and drawing copies them
	 * into the page (wform_draw), so erasing the page never touches them. */
	f->fields = calloc((size_t)n + 1, sizeof(*f->fields));
	f->fwin = newwin(getmaxy(win), getmaxx(win), 0, 0);
	if (!f->fields || !f->fwin) {
		wform_unpost(f);
		f->posted = 1;
		return;
	}
	for (int i = 0; i < f->n; i++) {
		struct widget *w = &f->w[i];
		int width = w->fwidth < getmaxx(win) - w->fcol ? w->fwidth : getmaxx(win) - w->fcol;
		if (!is_text(w) || width < 1 || w->row >= getmaxy(win))
			continue;
		w->field = new_field(1, width, w->row, w->fcol, 0, 0);
		if (!w->field)
			continue;
		/* required fields must not be skipped or blanked by libform */
		field_opts_off(w->field, O_AUTOSKIP | O_BLANK | O_STATIC | O_PASSOK | O_NULLOK);
		if (w->kind == W_PASSWORD)
			field_opts_off(w->field, O_PUBLIC);
		set_max_field(w->field, w->maxlen);
		set_field_buffer(w->field, 0, w->value);
		w->fresh = 0;
		set_field_back(w->field, role_attr(R_FIELD));
		f->fields[k++] = w->field;
	}
	f->form = k ? new_form(f->fields) : NULL;
	if (f->form) {
		/* the focus moves only as wform_key says: Backspace at the start of
		 * a field must not go to the field before */
		form_opts_off(f->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
		set_form_win(f->form, f->fwin);
		set_form_sub(f->form, f->fwin);
		if (post_form(f->form) != E_OK) {
			wform_unpost(f);
			f->posted = 1;
			return;
		}
		form_driver(f->form, REQ_END_LINE);
		focus_field(f);
	}
}

void wform_unpost(struct wform *f)
{
	if (f->form) {
		for (int i = 0; i < f->n; i++)
			sync_value(f, &f->w[i]);
		unpost_form(f->form);
		free_form(f->form);
		f->form = NULL;
	}
	for (int i = 0; i < f->n; i++) {
		struct widget *w = &f->w[i];
		if (!w->field)
			continue;
		if (w->kind == W_PASSWORD)   /* libform's copy of a password */
			set_field_buffer(w->field, 0, "");
		free_field(w->field);
		w->field = NULL;
	}
	free(f->fields);
	f->fields = NULL;
	if (f->fwin)
		delwin(f->fwin);
	f->fwin = NULL;
	f->posted = 0;
}

void wform_free(struct wform *f)
{
	wform_unpost(f);
	if (f->w)   /* what was typed (passwords too) does not stay in memory */
		explicit_bzero(f->w, (size_t)f->cap * sizeof(*f->w));
	free(f->w);
	memset(f, 0, sizeof(*f));
}

int wform_button_cols(const char *label)
{
	return text_width(label) + 4;
}

#define CHECK_ROWS_MAX 3

int wform_check_rows(const char *label, int width)
{
	int n = text_wrap(label, width - 4 > 8 ? width - 4 : 8, NULL, 0);

	return n < 1 ? 1 : n > CHECK_ROWS_MAX ? CHECK_ROWS_MAX : n;
}

void widget_put(WINDOW *win, int y, int x, const char *s, int width, attr_t attr)
{
	if (width <= 0)
		return;
	wattron(win, attr);
	mvwaddnstr(win, y, x, s, (int)text_fit(s, width));
	wattroff(win, attr);
}

/* A text widget's field: libform's cells copied into the page. */
static void draw_field(struct wform *f, struct widget *w, int focused)
{
	WINDOW *win = f->win;
	int width = w->fwidth;

	if (w->fcol + width > getmaxx(win))
		width = getmaxx(win) - w->fcol;
	if (!w->field)
		return;
	attr_t back = role_attr(focused ? R_FIELD_FOCUS : R_FIELD);
	if (field_back(w->field) != back)
		set_field_back(w->field, back);
	copywin(f->fwin, win, w->row, w->fcol, w->row, w->fcol, w->row,
		w->fcol + width - 1, FALSE);
	if (w->kind == W_PASSWORD)
		draw_mask(f, w, win, width, back);
}

static void draw_widget(struct wform *f, struct widget *w, int focused)
{
	WINDOW *win = f->win;
	int maxx = getmaxx(win);

	if (w->label[0] && w->kind != W_CHECK && w->kind != W_BUTTON)
		widget_put(win, w->row, w->col, w->label, w->fcol - w->col - 1, role_attr(R_LABEL));
	switch (w->kind) {
	case W_TEXT:
	case W_PASSWORD:
	case W_PICKER:
		draw_field(f, w, focused);
		break;
	case W_CHOICE: {
		int x = w->fcol;
		for (int i = 0; i < w->noptions; i++) {
			char item[160];
			snprintf(item, sizeof(item), "(%c) %s", i == w->selected ? '*' : ' ', w->options[i]);
			attr_t a = role_attr(focused && (i == w->selected || (w->selected < 0 && i == 0))
					     ? R_FIELD_FOCUS : R_LABEL);
			int len = text_width(item);
			if (x + len > maxx)
				break;
			widget_put(win, w->row, x, item, maxx - x, a);
			x += len + 3;
		}
		break;
	}
	case W_CHECK: {
		/* "[x] label", a long label going on under itself (the seeds'
		 * own words for a kind of document can be longer than a row) */
		char item[sizeof(w->label) + 8];
		struct text_line l[CHECK_ROWS_MAX];
		int cw = w->fwidth < maxx - w->col ? w->fwidth : maxx - w->col;
		int n = wform_check_rows(w->label, cw);
		attr_t at = role_attr(focused ? R_FIELD_FOCUS : R_LABEL);

		text_wrap(w->label, cw - 4 > 8 ? cw - 4 : 8, l, CHECK_ROWS_MAX);
		if (n == 1) {
			snprintf(item, sizeof(item), "[%c] %s", w->checked ? 'x' : ' ', w->label);
			widget_put(win, w->row, w->col, item, maxx - w->col, at);
			break;
		}
		for (int i = 0; i < n; i++) {
			if (i == 0)
				snprintf(item, sizeof(item), "[%c] %.*s", w->checked ? 'x' : ' ',
					 (int)l[i].len, w->label + l[i].off);
			else
				snprintf(item, sizeof(item), "%.*s", (int)l[i].len, w->label + l[i].off);
			widget_put(win, w->row + i, w->col + (i ? 4 : 0), item, maxx - w->col - (i ? 4 : 0), at);
		}
		break;
	}
	case W_BUTTON: {
		char item[sizeof(w->label) + 8];
		snprintf(item, sizeof(item), "< %s >", w->label);
		widget_put(win, w->row, w->col, item, maxx - w->col,
			 role_attr(w->disabled ? R_STEP_CLOSED : focused ? R_BUTTON_FOCUS : R_BUTTON));
		break;
	}
	}
	if (w->error[0] && !w->edited)
		widget_put(win, w->row + 1, w->kind == W_CHECK || w->kind == W_BUTTON ? w->col : w->fcol,
			 w->error, maxx - w->fcol, role_attr(R_ERROR));
}

void wform_draw(struct wform *f)
{
	for (int i = 0; i < f->n; i++)
		draw_widget(f, &f->w[i], i == f->focus);
	/* the focused picker's suggestions go on top of what is below it */
	struct widget *w = wform_focused(f);
	if (w && w->kind == W_PICKER && w->nsugg) {
		for (int i = 0; i < w->nsugg; i++) {
			char line[W_SUGGEST_LEN + 4];
			snprintf(line, sizeof(line), " %-*s", w->fwidth - 1, w->sugg[i]);
			/* the whole row: no tail of an error stays beside the list */
			mvwhline(f->win, w->row + 1 + i, w->fcol, ' ', getmaxx(f->win) - w->fcol);
			widget_put(f->win, w->row + 1 + i, w->fcol, line, w->fwidth,
				 role_attr(i == w->sugg_sel ? R_FIELD_FOCUS : R_KEYBAR));
		}
	}
}

void wform_draw_focused(struct wform *f)
{
	struct widget *w = wform_focused(f);

	if (w)   /* its label and error are as they were drawn */
		draw_field(f, w, 1);
}

void wform_place_cursor(struct wform *f)
{
	struct widget *w = wform_focused(f);

	if (w && w->field && current_field(f->form) == w->field) {
		/* libform puts the cursor in its window; the same place in ours */
		pos_form_cursor(f->form);
		curs_set(1);
		wmove(f->win, getcury(f->fwin), getcurx(f->fwin));
	} else {
		curs_set(0);
	}
}

static int next_enabled(struct wform *f, int from, int dir)
{
	for (int i = 1; i <= f->n; i++) {
		int j = ((from + dir * i) % f->n + f->n) % f->n;
		if (!f->w[j].disabled)
			return j;
	}
	return from;
}

void wform_focus(struct wform *f, int id)
{
	for (int i = 0; i < f->n; i++)
		if (f->w[i].id == id)
			f->focus = i;
	focus_field(f);
}

/* Moves the focus; returns the event for the field that was left. */
static struct wevent move_focus(struct wform *f, int dir)
{
	struct widget *w = wform_focused(f);
	struct wevent ev = { WR_HANDLED, 0 };

	if (!w)
		return ev;
	w->nsugg = 0;
	w->edited = 0;   /* the page checks the text it leaves with */
	if (is_text(w)) {
		sync_value(f, w);
		ev.what = WR_LEAVE;
		ev.id = w->id;
	}
	f->focus = next_enabled(f, f->focus, dir);
	focus_field(f);
	return ev;
}

/* A combining mark typed after its letter.  libform keeps a mark in the
 * cell it is drawn into, which is the empty cell at the cursor, and that
 * cell moves on with every character typed after it: "Sto", e, U+0301,
 * "rgata" would come out with the accent at the end.  So the mark is put
 * into the text right after the letter before the cursor, the text is put
 * in NFC (the mark composed with its letter where Unicode has the letter),
 * and the field is set anew with the cursor where it was. */
static int add_mark(struct wform *f, struct widget *w, wint_t mark)
{
	char text[W_VALUE_MAX], out[W_VALUE_MAX + 8], mb[MB_LEN_MAX];
	char nfc[CPS_TEXT_NFC_SIZE(sizeof(out))];
	const char *b;
	int col, cols = 0;
	size_t off = 0, n, k;

	form_driver(f->form, REQ_VALIDATION);
	b = field_buffer(w->field, 0);
	if (!b)
		return -1;
	snprintf(text, sizeof(text), "%s", b);
	n = strlen(text);
	while (n && text[n - 1] == ' ')
		n--;
	text[n] = '\0';
	col = f->form->begincol + f->form->curcol;
	/* the byte offset of the cursor's column */
	while (off < n && cols < col) {
		uint32_t cp;
		k = cps_utf8_decode(text + off, n - off, &cp);
		if (!k)
			return -1;
		int wd = wcwidth((wchar_t)cp);
		cols += wd > 0 ? wd : 0;
		off += k;
		while (off < n && (k = cps_utf8_decode(text + off, n - off, &cp)) && wcwidth((wchar_t)cp) == 0)
			off += k;   /* the marks the letter has already */
	}
	int len = wctomb(mb, (wchar_t)mark);
	if (off == 0 || len <= 0 || n + (size_t)len >= sizeof(text))
		return -1;
	snprintf(out, sizeof(out), "%.*s%.*s%s", (int)off, text, len, mb, text + off);
	/* NFC may be longer than what it is made of (a mark that decomposes
	 * into two): a text that would not fit is not changed */
	if (cps_text_nfc(out, strlen(out), nfc) >= sizeof(text))
		return -1;
	w->fresh = 0;
	set_field_buffer(w->field, 0, nfc);
	form_driver(f->form, REQ_BEG_LINE);
	for (int i = 0; i < cols; i++)
		form_driver(f->form, REQ_NEXT_CHAR);
	return 0;
}

static struct wevent edit_text(struct wform *f, struct widget *w, int req, wint_t ch);

/* An edit of the focused text; a text changed makes its error stale.
 * Reading the text back (field_buffer) costs more than the rest of a key,
 * so it is read only to tell whether the first edit since the field got
 * the focus changed it, and for a picker's suggestions; otherwise
 * w->value is read again when it is asked for (wform_text). */
static struct wevent edit(struct wform *f, struct widget *w, int req, wint_t ch)
{
	struct wevent ev = { WR_HANDLED, w->id };
	char before[W_VALUE_MAX];

	focus_field(f);
	if (req == REQ_PREV_CHAR || req == REQ_NEXT_CHAR || req == REQ_BEG_LINE ||
	    req == REQ_END_LINE) {
		form_driver(f->form, req);   /* the cursor moves; the text stays */
		return ev;
	}
	if (w->edited && w->kind != W_PICKER) {
		w->fresh = 0;
		return edit_text(f, w, req, ch);
	}
	sync_if_stale(f, w);
	memcpy(before, w->value, sizeof(before));
	w->fresh = 0;   /* the edit changes the field */
	ev = edit_text(f, w, req, ch);
	sync_if_stale(f, w);
	if (strcmp(before, w->value) != 0)
		w->edited = 1;
	return ev;
}

static struct wevent edit_text(struct wform *f, struct widget *w, int req, wint_t ch)
{
	struct wevent ev = { WR_HANDLED, w->id };

	if (!req && wcwidth((wchar_t)ch) == 0 && add_mark(f, w, ch) == 0) {
		if (w->kind == W_PICKER) {
			sync_value(f, w);
			refresh_suggestions(w);
		}
		return ev;
	}
	if (req) {
		form_driver(f->form, req);
	} else if (form_driver_w(f->form, OK, ch) != E_OK) {
		/* libform refuses a character only at the field's maximum:
		 * say so, rather than lose it without a word */
		ev.what = WR_FULL;
		return ev;
	}
	if (w->kind == W_PICKER) {
		sync_value(f, w);
		refresh_suggestions(w);
	}
	return ev;
}

struct wevent wform_key(struct wform *f, struct key_event k)
{
	struct widget *w = wform_focused(f);
	struct wevent ev = { WR_NONE, 0 };

	if (!w)
		return ev;
	ev.id = w->id;
	switch (k.cmd) {
	case CMD_NEXT_FIELD:
		return move_focus(f, 1);
	case CMD_PREV_FIELD:
		return move_focus(f, -1);
	case CMD_DOWN:
		if (w->kind == W_PICKER && w->nsugg) {
			w->sugg_sel = w->sugg_sel + 1 < w->nsugg ? w->sugg_sel + 1 : w->sugg_sel;
			ev.what = WR_HANDLED;
			return ev;
		}
		return move_focus(f, 1);
	case CMD_UP:
		if (w->kind == W_PICKER && w->sugg_sel >= 0) {
			w->sugg_sel--;
			ev.what = WR_HANDLED;
			return ev;
		}
		return move_focus(f, -1);
	case CMD_CHAR:
		if (w->field)
			return edit(f, w, 0, k.ch);
		break;
	case CMD_TOGGLE:
		if (w->field)
			return edit(f, w, 0, k.ch);
		if (w->kind == W_CHECK) {
			w->checked = !w->checked;
			ev.what = WR_CHANGED;
			return ev;
		}
		if (w->kind == W_CHOICE && w->noptions) {
			w->selected = (w->selected + 1) % w->noptions;
			ev.what = WR_CHANGED;
			return ev;
		}
		if (w->kind == W_BUTTON && !w->disabled) {
			ev.what = WR_ACTIVATE;
			return ev;
		}
		break;
	case CMD_LEFT:
	case CMD_RIGHT:
		if (w->field)
			return edit(f, w, k.cmd == CMD_LEFT ? REQ_PREV_CHAR : REQ_NEXT_CHAR, 0);
		if (w->kind == W_CHOICE && w->noptions) {
			int d = k.cmd == CMD_LEFT ? -1 : 1;
			int s = w->selected < 0 ? 0 : w->selected + d;
			w->selected = (s + w->noptions) % w->noptions;
			ev.what = WR_CHANGED;
			return ev;
		}
		if (w->kind == W_BUTTON)
			return move_focus(f, k.cmd == CMD_LEFT ? -1 : 1);
		break;
	case CMD_HOME:
		if (w->field)
			return edit(f, w, REQ_BEG_LINE, 0);
		break;
	case CMD_END:
		if (w->field)
			return edit(f, w, REQ_END_LINE, 0);
		break;
	case CMD_BACKSPACE:
		if (w->field)
			return edit(f, w, REQ_DEL_PREV, 0);
		break;
	case CMD_DELETE:
		if (w->field)
			return edit(f, w, REQ_DEL_CHAR, 0);
		break;
	case CMD_CLEAR:
		if (w->field)
			return edit(f, w, REQ_CLR_FIELD, 0);
		break;
	case CMD_ACTIVATE:
		if (w->kind == W_PICKER && w->sugg_sel < 0 && w->nsugg > 0) {
			/* nothing chosen with the arrows: Enter takes the best
			 * match, the list's first, unless that is what was typed */
			sync_value(f, w);
			if (strcmp(w->value, w->sugg[0]) != 0)
				w->sugg_sel = 0;
		}
		if (w->kind == W_PICKER && w->sugg_sel >= 0) {
			wform_set_text(f, w->id, w->sugg[w->sugg_sel]);
			w->nsugg = 0;
			w->sugg_sel = -1;
			ev.what = WR_CHANGED;
			return ev;
		}
		if (w->kind == W_BUTTON) {
			ev.what = w->disabled ? WR_HANDLED : WR_ACTIVATE;
			return ev;
		}
		if (w->kind == W_CHECK) {
			w->checked = !w->checked;
			ev.what = WR_CHANGED;
			return ev;
		}
		/* Enter in a field goes on to the next one */
		return move_focus(f, 1);
	default:
		break;
	}
	return ev;
}
