/* keys.c - the key table (see keys.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ncurses.h>
#include <term.h>

#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "keys.h"

#define CTRL(c) ((c) & 0x1f)
/* key codes of our own for the bracketed paste's brackets */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)

struct binding {
	enum cmd cmd;
	int key;          /* a character, or a KEY_* code */
	int is_code;      /* key is a KEY_* code */
};

static const struct binding bindings[] = {
	{ CMD_NEXT_FIELD, '\t', 0 },
	{ CMD_DOWN, KEY_DOWN, 1 },
	{ CMD_PREV_FIELD, KEY_BTAB, 1 },
	{ CMD_UP, KEY_UP, 1 },
	{ CMD_LEFT, KEY_LEFT, 1 },
	{ CMD_RIGHT, KEY_RIGHT, 1 },
	{ CMD_HOME, KEY_HOME, 1 },
	{ CMD_HOME, CTRL('A'), 0 },
	{ CMD_END, KEY_END, 1 },
	{ CMD_END, CTRL('E'), 0 },
	{ CMD_BACKSPACE, KEY_BACKSPACE, 1 },
	{ CMD_BACKSPACE, 0x7f, 0 },
	{ CMD_BACKSPACE, CTRL('H'), 0 },
	{ CMD_DELETE, KEY_DC, 1 },
	{ CMD_DELETE, CTRL('D'), 0 },
	{ CMD_CLEAR, CTRL('U'), 0 },
	{ CMD_ACTIVATE, '\r', 0 },
	{ CMD_ACTIVATE, '\n', 0 },
	{ CMD_ACTIVATE, KEY_ENTER, 1 },
	{ CMD_BACK, 27, 0 },
	{ CMD_BACK, CTRL('B'), 0 },
	{ CMD_BACK, KEY_F(9), 1 },
	{ CMD_NEXT, CTRL('N'), 0 },
	{ CMD_NEXT, KEY_F(10), 1 },
	{ CMD_HELP, CTRL('G'), 0 },
	{ CMD_HELP, KEY_F(1), 1 },
	{ CMD_QUIT, CTRL('Q'), 0 },
	{ CMD_QUIT, CTRL('X'), 0 },
	{ CMD_LANGUAGE, CTRL('T'), 0 },
	{ CMD_LANGUAGE, KEY_F(2), 1 },
	{ CMD_REDRAW, CTRL('L'), 0 },
	{ CMD_RESIZE, KEY_RESIZE, 1 },
	{ CMD_PASTE_BEGIN, KEY_PASTE_BEGIN, 1 },
	{ CMD_PASTE_END, KEY_PASTE_END, 1 },
};

struct shown {
	const char *label;
	const char *note;   /* msgid */
};

static const struct shown shown[CMD_COUNT] = {
	/* the names of keys with words are msgids too: the keyboard of a
	 * Norwegian or Danish customer says Mellomrom / Mellemrum */
	[CMD_NEXT_FIELD] = { N_("Tab"), N_("next") },
	[CMD_PREV_FIELD] = { N_("S-Tab"), N_("previous") },
	[CMD_ACTIVATE] = { N_("Enter"), N_("choose") },
	[CMD_TOGGLE] = { N_("Space"), N_("tick a box, change a choice") },
	[CMD_BACK] = { "^B", N_("back") },
	[CMD_NEXT] = { "^N", N_("next page") },
	[CMD_HELP] = { "^G", N_("help") },
	[CMD_QUIT] = { "^Q", N_("quit") },
	[CMD_LANGUAGE] = { "^T", N_("language") },
	[CMD_REDRAW] = { "^L", N_("redraw the screen") },
	[CMD_HOME] = { "^A", N_("start of the field") },
	[CMD_END] = { "^E", N_("end of the field") },
	[CMD_CLEAR] = { "^U", N_("empty the field") },
};

/* ^T is on the bar: a customer who cannot read the screen must find the
 * way to another language without the help */
const enum cmd keys_bar[] = {
	CMD_NEXT_FIELD, CMD_ACTIVATE, CMD_BACK, CMD_NEXT, CMD_HELP, CMD_LANGUAGE, CMD_QUIT,
	CMD_NONE
};

const enum cmd keys_all[] = {
	CMD_NEXT_FIELD, CMD_PREV_FIELD, CMD_ACTIVATE, CMD_TOGGLE, CMD_BACK, CMD_NEXT,
	CMD_HELP, CMD_LANGUAGE, CMD_QUIT, CMD_HOME, CMD_END, CMD_CLEAR, CMD_REDRAW, CMD_NONE
};

struct key_event keys_translate(int r, wint_t ch)
{
	struct key_event ev = { CMD_NONE, 0 };

	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		if (bindings[i].is_code == (r == KEY_CODE_YES) && (wint_t)bindings[i].key == ch) {
			ev.cmd = bindings[i].cmd;
			if (!bindings[i].is_code)
				ev.ch = ch;   /* Esc and ^B both go back, but not from a field */
			return ev;
		}
	}
	if (r == OK && ch == ' ') {
		ev.cmd = CMD_TOGGLE;   /* a text field takes it as a character */
		ev.ch = ch;
		return ev;
	}
	if (r == OK && ch >= 0x20 && ch != 0x7f) {
		ev.cmd = CMD_CHAR;
		ev.ch = ch;
	}
	return ev;
}

struct key_event keys_pasted(int r, wint_t ch)
{
	struct key_event ev = { CMD_NONE, 0 };

	if (r == KEY_CODE_YES && ch == KEY_PASTE_END)
		ev.cmd = CMD_PASTE_END;
	else if (r == OK && !cps_text_is_control((uint32_t)ch)) {
		ev.cmd = CMD_CHAR;
		ev.ch = ch;
	}
	return ev;
}

static const char *paste_seq(int on)
{
	/* the terminfo extension for it where the entry has one, else the
	 * xterm sequence for the terminals known to understand it */
	char *cap = tigetstr(on ? "BE" : "BD");
	static const char *const known[] = { "xterm", "tmux", "screen", "rxvt", "vte",
					     "foot", "alacritty", "kitty", "konsole", "st-" };
	const char *term = getenv("TERM");

	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	if (cap && cap != (char *)-1)
		return cap;
	for (size_t i = 0; term && i < sizeof(known) / sizeof(known[0]); i++)
		if (strncmp(term, known[i], strlen(known[i])) == 0)
			return on ? "\033[?2004h" : "\033[?2004l";
	return NULL;
}

void keys_paste_mode(int on)
{
	const char *seq = paste_seq(on);

	if (seq) {
		putp(seq);
		fflush(stdout);
	}
}

const char *keys_label(enum cmd c)
{
	return shown[c].label ? _(shown[c].label) : "";
}

const char *keys_note(enum cmd c)
{
	return shown[c].note ? _(shown[c].note) : "";
}
