/* widget.h - a thin widget layer over libform: text and password fields
 * (libform), a type-ahead picker (a text field with suggestions), choice
 * lists, check boxes and buttons, in one focus chain per page.
 *
 * A page adds widgets with their positions in the body window, posts them,
 * and gets events back from wform_key(): a button pressed, a field left
 * (so the page can check it and save the draft), a value changed. */
#ifndef CPSREG_UI_WIDGET_H
#define CPSREG_UI_WIDGET_H

#include <form.h>

#include "keys.h"

#define W_VALUE_MAX 512
#define W_SUGGEST_MAX 6
#define W_SUGGEST_LEN 128

enum wkind { W_TEXT, W_PASSWORD, W_PICKER, W_CHOICE, W_CHECK, W_BUTTON };

struct widget;
typedef int (*suggest_fn)(void *arg, const char *text,
			  char out[][W_SUGGEST_LEN], int max);

struct widget {
	enum wkind kind;
	int id;
	char label[256];      /* translated; drawn at (row, col) */
	char hint[256];       /* translated; shown on the message line on focus */
	int row, col;
	int fcol, fwidth;     /* the field (or choice, box, button) */
	char value[W_VALUE_MAX];
	int maxlen;           /* characters a text field takes */
	const char *const *options;  /* W_CHOICE, translated */
	int noptions;
	int selected;         /* W_CHOICE: -1 until chosen */
	int checked;          /* W_CHECK */
	int disabled;
	char error[256];      /* shown under the field */
	int edited;           /* the text changed since the field got the focus:
			       * its error is about an older text, not shown */
	int fresh;            /* value is what the libform field holds: no
			       * need to read it back (field_buffer converts
			       * the whole field, the largest cost of a key) */
	/* what the page's layout gave (the value as a hash): a relayout
	 * keeps what the person changed and takes the new layout's value
	 * for what they did not */
	unsigned long laid_hash;
	int laid_selected, laid_checked;
	/* W_PICKER */
	suggest_fn suggest;
	void *suggest_arg;
	char sugg[W_SUGGEST_MAX][W_SUGGEST_LEN];
	int nsugg, sugg_sel;
	FIELD *field;         /* a text widget's, while posted */
};

struct wform {
	struct widget *w;
	int n, cap;
	int focus;
	WINDOW *win;          /* the page's body, where the widgets are drawn */
	int posted;
	/* while posted: one libform form with every text field of the page, in
	 * a window of the body's size that is never shown (see wform_post) */
	FORM *form;
	FIELD **fields;
	WINDOW *fwin;
};

enum wresult {
	WR_NONE,      /* not for the widgets */
	WR_HANDLED,   /* done; nothing for the page */
	WR_ACTIVATE,  /* a button pressed */
	WR_LEAVE,     /* the field id was left, by Tab, arrows or Enter
		       * (check it, save the draft) */
	WR_CHANGED,   /* a choice or check box changed */
	WR_FULL       /* a character refused: the field holds its maximum
		       * (the widget's maxlen); the customer must be told */
};

struct wevent {
	enum wresult what;
	int id;
};

void wform_init(struct wform *f);
/* Adds a widget; label and hint are already translated (copied). */
struct widget *wform_add(struct wform *f, enum wkind kind, int id, int row,
			 int col, int fcol, int fwidth, const char *label,
			 const char *hint);
struct widget *wform_get(struct wform *f, int id);
struct widget *wform_focused(struct wform *f);
void wform_focus(struct wform *f, int id);
/* Sets a text widget's value (also on screen when posted). */
void wform_set_text(struct wform *f, int id, const char *text);
const char *wform_text(struct wform *f, int id);

/* Columns a button takes on screen: "< label >". */
int wform_button_cols(const char *label);
/* Rows a check box takes: "[ ] label" within width columns (its fwidth),
 * a label too long for one row going on below itself; the page leaves
 * the rows free. */
int wform_check_rows(const char *label, int width);

/* Creates the libform form of the text fields for win (when a page is
 * entered, laid out again, or the window is made anew after a resize): it
 * is not posted again to draw.  Unpost before the window goes. */
void wform_post(struct wform *f, WINDOW *win);
/* Copies the fields' text into the widgets and frees the libform part. */
void wform_unpost(struct wform *f);
void wform_free(struct wform *f);

/* Writes the first width columns of a UTF-8 text (already sanitised) at
 * (y, x) of win; the frame and the widgets draw every text through it. */
void widget_put(WINDOW *win, int y, int x, const char *s, int width, attr_t attr);

/* Draws labels, fields, errors and suggestions. */
void wform_draw(struct wform *f);
/* Draws the focused widget's field alone, over what wform_draw drew:
 * after an edit that changed nothing but its text (not a picker, whose
 * suggestions lie over other rows; not an error hidden by the edit). */
void wform_draw_focused(struct wform *f);
/* Puts the terminal cursor in the focused text field (or hides it). */
void wform_place_cursor(struct wform *f);

struct wevent wform_key(struct wform *f, struct key_event ev);

#endif
