/* frame.h - the wizard: the screen layout (header with the step strip, the
 * page body, a message line, the key bar), the event loop, and the table
 * of pages.  Each page is one ui/pages/page_*.c file with a const struct page.
 *
 * A page keeps its own state in a->state (allocated in enter, freed in
 * leave), adds its widgets to a->form in layout (called again when the
 * language changes), and answers widget events and keys.  It asks the
 * engine for every rule; it never decides one itself. */
#ifndef CPSREG_APP_H
#define CPSREG_APP_H

#include <signal.h>

#include "cpsreg/engine.h"
#include "cpsreg/flow.h"
#include "keys.h"
#include "loop.h"
#include "widget.h"

#define APP_MIN_COLS 80
#define APP_MIN_ROWS 24
/* The body is the screen less the header (3 rows) and the bottom (2). */
#define APP_BODY_TOP 3

struct app;

struct page {
	const char *name;
	enum cps_step step;       /* marked in the strip; CPS_STEP_COUNT: none */
	const char *title;        /* msgid */
	const char *help;         /* msgid: what this page is for, what to do */
	int (*enter)(struct app *a);                        /* 0 or -1 */
	void (*layout)(struct app *a);                      /* add widgets */
	void (*leave)(struct app *a);                       /* save, free state */
	void (*event)(struct app *a, struct wevent ev);     /* from the widgets */
	int (*key)(struct app *a, struct key_event k);      /* 1: taken */
	void (*draw)(struct app *a);                        /* text in the body */
};

struct app {
	struct cps_engine *e;
	const struct cps_config *cfg;
	long long account_id;     /* the customer at the screen; 0: nobody yet */
	char email[256];          /* typed on one page, offered on the next */
	char resume_code[32];     /* shown while the draft is being filled in */
	char chosen_level[32];    /* the level page's choice, for the payment page */
	long long product_id;     /* the product page's product; 0: a new one */
	struct cps_flow flow;     /* refreshed on every page change */

	const struct page *page;
	const struct page *next_page;  /* set by app_go, taken by the loop */
	void *state;
	struct wform form;
	WINDOW *body;

	char msg[512];
	int msg_error;
	int quit;
	int asking_quit;
	int showing_help;
	int help_scroll;
	int too_small;
	int utf8;                 /* the locale is UTF-8: Unicode marks */
	volatile sig_atomic_t *stop;
	struct loop loop;         /* timers and other file descriptors */
	int idle_timer;           /* kiosk: closes an idle session */
};

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

/* The page of a step of the flow. */
const struct page *app_page_for_step(enum cps_step step);
/* Goes to the page of a step. */
void app_go_step(struct app *a, enum cps_step step);

/* Every page has a visible Back and Next at the bottom of its body: these
 * ids, added with app_nav_buttons(); the frame turns them (and ^B, ^N) into
 * the page's key handler calls with CMD_BACK and CMD_NEXT, or, when the
 * page does not take them, goes to the previous / next step's page. */
#define W_NAV_BACK 900
#define W_NAV_NEXT 901
void app_nav_buttons(struct app *a, const char *back_label, const char *next_label);

/* Body helpers for pages: a line of text, wrapped text; they return the
 * next free row. */
int app_text(struct app *a, int row, int col, int role, const char *text);
int app_wrap(struct app *a, int row, int col, int width, int role, const char *text);
/* The same within rows rows; a text that does not fit ends in an ellipsis. */
int app_wrap_box(struct app *a, int row, int col, int width, int rows, int role,
		 const char *text);
/* How many lines text needs when wrapped to width (for layout()). */
int app_wrap_count(const char *text, int width);
/* Wraps text as app_wrap does and draws its lines that fall within rows
 * rows (none when rows <= 0), with nothing to mark a cut; a tab shows as
 * '?', as app_text shows it.  Returns how many lines the whole text needs,
 * so that what follows can be laid out below it; a NULL app only counts. */
int app_wrap_lines(struct app *a, int row, int col, int width, int rows, int role,
		   const char *text);
/* Wraps text within rows rows as the terminal measures it: a wide
 * character takes two columns, a line breaks at a space or a tab (drawn as
 * a space) and never passes width columns.  how: APP_FIT_* flags.  Returns
 * the next free row; a NULL app only counts the rows. */
#define APP_FIT_DOTS 1   /* a cut text ends in "..." after the last row's words */
#define APP_FIT_FLAT 2   /* one paragraph: a newline or a tab shows as '?' */
int app_wrap_fit(struct app *a, int row, int col, int width, int rows, int role,
		 const char *text, int how);
/* Columns a (UTF-8) text takes on the screen. */
int app_text_width(const char *s);
/* Switches the language of the screens ("en", "nb", "da"). */
void app_set_language(const char *code);
int app_body_rows(const struct app *a);
int app_body_cols(const struct app *a);

/* Runs the wizard until the customer quits or a signal asks to stop. */
int app_run(struct cps_engine *e, const struct cps_config *cfg,
	    volatile sig_atomic_t *stop);

#endif
