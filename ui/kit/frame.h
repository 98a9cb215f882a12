/* frame.h - the frame of a program of pages (the wizard; later the staff
 * console): the screen layout (header with the step strip, the page body,
 * a message line, the key bar), the event loop, page changes, and what
 * pages share to draw their body.  Each page is a const struct page in a
 * file of its own; the program's table of pages is a struct app_pages.
 *
 * A page keeps its own state in a->state (app_page_state() in enter; the
 * frame wipes and frees it after leave), adds its widgets to a->form in
 * layout (called again when the language changes), and answers widget
 * events and keys.  What the customer hands from page to page lives in
 * a->session.  A page asks the engine for every rule; it never decides one
 * itself. */
#ifndef CPSREG_UI_APP_H
#define CPSREG_UI_APP_H

#include <signal.h>

#include "cpsreg/engine.h"
#include "cpsreg/flow.h"
#include "dialog.h"
#include "keys.h"
#include "loop.h"
#include "session.h"
#include "text.h"
#include "widget.h"

#define APP_MIN_COLS 80
#define APP_MIN_ROWS 24
/* The body is the screen less the header (3 rows) and the bottom (2). */
#define APP_BODY_TOP 3
/* The one layout of every page's body (80 columns): text and labels start
 * at APP_COL and take APP_TEXT_WIDTH columns; fields start at APP_FIELD_COL,
 * so a label has APP_LABEL_WIDTH columns before its field. */
#define APP_COL 2
#define APP_FIELD_COL 24
#define APP_TEXT_WIDTH 76
#define APP_LABEL_WIDTH (APP_FIELD_COL - APP_COL - 1)

struct app;

struct page {
	const char *name;
	enum cps_step step;       /* marked in the strip; CPS_STEP_COUNT: none */
	const char *title;        /* msgid */
	const char *help;         /* msgid: what this page is for, what to do */
	int (*enter)(struct app *a);                        /* 0 or -1 */
	void (*layout)(struct app *a);                      /* add widgets */
	void (*leave)(struct app *a);                       /* save what it holds */
	void (*event)(struct app *a, struct wevent ev);     /* from the widgets */
	int (*key)(struct app *a, struct key_event k);      /* 1: taken */
	void (*draw)(struct app *a);                        /* text in the body */
	void (*remote_changed)(struct app *a);              /* a sync applied decisions or invoices */
	/* what quitting now would lose that a->unsaved does not hold yet
	 * (APP_UNSAVED_NEW), or 0; asked when it is needed, never per key */
	int (*unsaved)(struct app *a);
};

/* The pages of a program built on the kit (the wizard; later the staff
 * console): where it starts and which page serves a step of the flow. */
struct app_pages {
	const struct page *home;     /* the first page; Back from a first step */
	const struct page *(*for_step)(enum cps_step step);   /* home for none */
	/* opened at a kiosk with the staff PIN (the staff console): ^Q
	 * leaves without the PIN, and kiosk.idle_timeout without a key ends
	 * it, so that nobody finds it open */
	int from_kiosk;
};

/* a page's unsaved(): a new application's first field, not saved until it
 * is left */
#define APP_UNSAVED_NEW 2

struct app {
	struct cps_engine *e;
	const struct cps_config *cfg;
	const struct app_pages *pages;
	struct session session;   /* the customer at the screen */
	struct cps_flow flow;     /* refreshed on every page change */

	const struct page *page;
	const struct page *next_page;  /* set by app_go, taken by the loop */
	void *state;              /* the page's, from app_page_state() */
	size_t state_size;
	struct wform form;
	WINDOW *body;

	char msg[512];
	int msg_error;
	int quit;
	int asking_quit;
	int unsaved;              /* a page holds what the database refused (locked) */
	int lost;                 /* a page left could not save it even then */
	int showing_help;
	int help_scroll;
	int too_small;
	int pasting;              /* inside a bracketed paste: text, not keys */
	int utf8;                 /* the locale is UTF-8: Unicode marks */
	volatile sig_atomic_t *stop;
	struct loop loop;         /* timers and other file descriptors */
	int idle_timer;           /* kiosk: counts down an idle session */
	long long idle_since_ms;  /* kiosk: the last key (monotonic) */
	int idle_left;            /* kiosk: >0 while "Still there?" counts down */
	int dirty;                /* something to show changed: draw before waiting */
	int dirty_field;          /* only the focused field's text changed: draw it alone */
	struct pin_dialog pin;    /* kiosk: the staff PIN to leave */
	int new_customer;         /* app_new_customer: wipe before the next page */
	int want_console;         /* kiosk: the right PIN asked for the staff console */
	struct sync_child *sync;  /* the remote's sync (sync.h), or NULL */
};

/* The page's state: size bytes, zeroed, kept in a->state until the page
 * is left (then wiped and freed by the frame); NULL when out of memory. */
void *app_page_state(struct app *a, size_t size);
/* Switches to page p once the current event is handled. */
void app_go(struct app *a, const struct page *p);
/* The page for the flow's current step (or the welcome page). */
const struct page *app_page_for_flow(struct app *a);
/* Shows text on the message line: an error (is_error) or a note. */
void app_message(struct app *a, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_refresh_flow(struct app *a);
/* Rebuilds the page's widgets (language change), keeping typed text. */
void app_relayout(struct app *a);

/* Goes to the page of a step. */
void app_go_step(struct app *a, enum cps_step step);

/* Every page has a visible Back and Next at the bottom of its body: these
 * ids, added with app_nav_buttons(); the frame turns them (and ^B, ^N) into
 * the page's key handler calls with CMD_BACK and CMD_NEXT, or, when the
 * page does not take them, goes to the previous / next step's page. */
#define W_NAV_BACK 900
#define W_NAV_NEXT 901
void app_nav_buttons(struct app *a, const char *back_label, const char *next_label);

/* The e-mail field of the pages that ask for the account's address, at
 * row, holding email. */
struct widget *app_email_field(struct app *a, int id, int row, const char *email);
/* A password field at row (it is never shown). */
struct widget *app_password_field(struct app *a, int id, int row, const char *label,
				  const char *hint);
/* The e-mail address of the customer at the screen, or "". */
void app_customer_email(struct app *a, char *out, size_t len);
/* Two buttons side by side at row from APP_FIELD_COL: the second follows
 * the first, however long its label is in the language shown. */
struct app_button {
	int id;
	const char *label, *hint;   /* translated */
};
void app_button_pair(struct app *a, int row, const struct app_button *first,
		     const struct app_button *second);
/* Empties a field and wipes what it held (a password). */
void app_wipe_field(struct app *a, int id);

/* Body helpers for pages; each returns the next free row.  Every width is
 * measured in terminal columns and every cut ends in the one ellipsis
 * (text.h); the text is sanitised (sanitize.h) on its way to the screen.
 * app_text: one line, clipped at the body's edge.  app_fit: one line cut to
 * width.  app_wrap: wrapped to width within rows rows (none when rows <= 0),
 * the last one ending in the ellipsis when the text goes on; a NULL app only
 * counts the rows. */
int app_text(struct app *a, int row, int col, int role, const char *text);
/* The sanitised text cut to width as app_fit draws it, into out. */
char *app_cut(const char *text, int width, char *out, size_t len);
int app_fit(struct app *a, int row, int col, int width, int role, const char *text);
int app_wrap(struct app *a, int row, int col, int width, int rows, int role, const char *text);
/* How many lines text needs when wrapped to width (for layout()). */
int app_wrap_count(const char *text, int width);
/* The languages of the screens: codes and names (each in itself). */
#define APP_LANGUAGES 3
extern const char *const app_language_codes[APP_LANGUAGES];
extern const char *const app_language_names[APP_LANGUAGES];
/* Switches the language of the screens ("en", "nb", "da"). */
void app_set_language(const char *code);
/* The index of the language on screen (LANGUAGE as the frame sets it, else
 * the locale's; English when it is none of them), and its code. */
int app_language_current(void);
const char *app_language(void);
/* The index of a language code ("nb"; "no" is Norwegian too), or -1. */
int app_language_find(const char *code);
int app_body_rows(const struct app *a);
int app_body_cols(const struct app *a);

/* The next customer: once the current event is handled the page is left
 * (what it holds is saved), the session wiped (session_reset), any kiosk
 * dialog closed, the screen cleared and the home page opened (or the page
 * an app_go() after this call names). */
void app_new_customer(struct app *a);

/* Runs a program of pages until the user quits or a signal asks to stop:
 * 0, or APP_RUN_CONSOLE when kiosk staff gave the PIN for the staff
 * console (the caller runs it, then the kiosk again); APP_RUN_LOST when
 * a page left at the end could not save what it held (the database stayed
 * locked past its busy timeout: the caller says so); -1 when the
 * terminal could not be started. */
#define APP_RUN_CONSOLE 2
#define APP_RUN_LOST 3
int app_run(struct cps_engine *e, const struct cps_config *cfg, const struct app_pages *pages,
	    volatile sig_atomic_t *stop);

/* What app_run_opening opens: open(ctx, &engine, err) gives 0, or -1 with
 * err said; the engine opened is left in *e for the caller to close. */
struct app_opener {
	int (*open)(const void *ctx, struct cps_engine **e, struct cps_error *err);
	const void *ctx;
	struct cps_engine **e;
	struct cps_error *err;
};

/* As app_run, but the engine is opened only once the home page is on the
 * screen, so the customer does not wait for the database to see it (the
 * home page and nobody's flow need no engine).  When the opening fails,
 * the terminal is given back and APP_RUN_NOT_OPENED returned, with
 * *op->err said and *op->e NULL, for the caller to report. */
#define APP_RUN_NOT_OPENED 4
int app_run_opening(const struct app_opener *op, const struct cps_config *cfg,
		    const struct app_pages *pages, volatile sig_atomic_t *stop);

#endif
