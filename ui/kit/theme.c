/* theme.c - semantic colour roles with a monochrome default (see theme.h). */
#include <stdlib.h>

#include "theme.h"

struct role_def {
	attr_t mono;       /* without colours */
	short fg, bg;      /* with colours; -1 is the terminal's default */
	attr_t extra;      /* added to the colour pair */
};

static const struct role_def defs[R_COUNT] = {
	[R_NORMAL]       = { A_NORMAL, -1, -1, 0 },
	[R_TITLE]        = { A_BOLD, COLOR_CYAN, -1, A_BOLD },
	[R_STEP_DONE]    = { A_NORMAL, COLOR_GREEN, -1, 0 },
	[R_STEP_CURRENT] = { A_REVERSE | A_BOLD, COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[R_STEP_OPEN]    = { A_NORMAL, -1, -1, 0 },
	[R_STEP_CLOSED]  = { A_DIM, COLOR_BLUE, -1, 0 },
	[R_LABEL]        = { A_NORMAL, -1, -1, 0 },
	[R_FIELD]        = { A_UNDERLINE, -1, -1, A_UNDERLINE },
	[R_FIELD_FOCUS]  = { A_REVERSE, COLOR_BLACK, COLOR_WHITE, 0 },
	[R_BUTTON]       = { A_BOLD, -1, -1, A_BOLD },
	[R_BUTTON_FOCUS] = { A_REVERSE | A_BOLD, COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[R_HINT]         = { A_NORMAL, -1, -1, 0 },
	[R_ERROR]        = { A_BOLD, COLOR_RED, -1, A_BOLD },
	[R_TICK]         = { A_BOLD, COLOR_GREEN, -1, A_BOLD },
	[R_WARN]         = { A_BOLD, COLOR_YELLOW, -1, A_BOLD },
	[R_KEYBAR]       = { A_REVERSE, COLOR_BLACK, COLOR_WHITE, 0 },
	[R_KEY]          = { A_REVERSE | A_BOLD, COLOR_BLUE, COLOR_WHITE, A_BOLD },
	[R_FRAME]        = { A_NORMAL, -1, -1, 0 },
};

static attr_t attrs[R_COUNT];
static int colour;

void theme_init(void)
{
	const char *no = getenv("NO_COLOR");

	colour = has_colors() && !(no && *no);
	if (colour && start_color() == ERR)
		colour = 0;
	if (colour && use_default_colors() == ERR) {
		/* no default colours (e.g. vt100-like): plain white on black */
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	}
	for (int r = 0; r < R_COUNT; r++) {
		if (!colour) {
			attrs[r] = defs[r].mono;
			continue;
		}
		if (defs[r].fg == -1 && defs[r].bg == -1) {
			attrs[r] = defs[r].extra;
			continue;
		}
		init_pair((short)(r + 1), defs[r].fg, defs[r].bg);
		attrs[r] = COLOR_PAIR(r + 1) | defs[r].extra;
	}
}

attr_t role_attr(enum role r)
{
	return attrs[r];
}
