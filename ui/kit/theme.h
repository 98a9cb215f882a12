/* theme.h - semantic colour roles.  Every attribute on screen comes from
 * a role; the defaults are monochrome (bold, reverse, underline), upgraded
 * to colours only when the terminal has them and NO_COLOR is not set. */
#ifndef CPSREG_UI_THEME_H
#define CPSREG_UI_THEME_H

#include <ncurses.h>

enum role {
	R_NORMAL,
	R_TITLE,          /* the page title */
	R_STEP_DONE,      /* a ticked step in the strip */
	R_STEP_CURRENT,   /* the step the customer is on */
	R_STEP_OPEN,
	R_STEP_CLOSED,    /* dim */
	R_LABEL,
	R_FIELD,          /* an input field */
	R_FIELD_FOCUS,
	R_BUTTON,
	R_BUTTON_FOCUS,
	R_HINT,           /* the message line with a hint */
	R_ERROR,          /* an error under a field or on the message line */
	R_TICK,           /* the green tick of a complete product */
	R_WARN,           /* something missing */
	R_KEYBAR,
	R_KEY,            /* a key name in the key bar */
	R_FRAME,
	R_COUNT
};

/* Chooses monochrome or colour for the running terminal. */
void theme_init(void);
attr_t role_attr(enum role r);

#endif
