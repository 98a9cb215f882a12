/* keys.h - keys mapped to abstract commands, in one table with a help
 * note per binding; the key bar and the help screen are made from it.
 * Every command has a Ctrl key besides any function key, because F-keys
 * and Esc do not reach the program on every console. */
#ifndef CPSREG_UI_KEYS_H
#define CPSREG_UI_KEYS_H

#include <stdint.h>
#include <wchar.h>
#include <curses.h>

enum cmd {
	CMD_NONE,
	CMD_CHAR,         /* a character typed into a field */
	CMD_NEXT_FIELD,
	CMD_PREV_FIELD,
	CMD_UP,
	CMD_DOWN,
	CMD_LEFT,
	CMD_RIGHT,
	CMD_HOME,
	CMD_END,
	CMD_BACKSPACE,
	CMD_DELETE,
	CMD_CLEAR,        /* empty the field */
	CMD_ACTIVATE,     /* Enter */
	CMD_TOGGLE,       /* Space on a check box or choice */
	CMD_BACK,
	CMD_NEXT,
	CMD_HELP,
	CMD_QUIT,
	CMD_LANGUAGE,
	CMD_REDRAW,
	CMD_RESIZE,
	CMD_PASTE_BEGIN,  /* a bracketed paste starts: text, never keys, */
	CMD_PASTE_END,    /* until it ends */
	CMD_COUNT
};

struct key_event {
	enum cmd cmd;
	wint_t ch;        /* CMD_CHAR: the character */
};

/* Reads the next key from w as wget_wch() does (OK with a character,
 * KEY_CODE_YES with a key code, ERR when nothing waits; w in nodelay mode),
 * decoding UTF-8 itself: a byte that is not part of valid UTF-8 comes out
 * as U+FFFD (KEYS_NOT_TEXT) and the bytes after it are read on, where
 * wget_wch() lost them.  An arrow key whose sequence a slow link split
 * after its ESC (curses gave the ESC alone) has its tail ("[A") read as
 * that key within two seconds, never as text; not inside a bracketed paste. */
#define KEYS_NOT_TEXT 0xFFFD
int keys_read(WINDOW *w, wint_t *ch);

/* Turns what get_wch() returned into a command.  ch of a command bound to
 * a character is that character (27 for Esc). */
struct key_event keys_translate(int r, wint_t ch);
/* The invisible control character (C1, a bidi control such as U+202E:
 * the engine's one list) that keys_translate and keys_pasted leave out,
 * for the frame to say so; 0 for anything else (C0 controls are keys). */
uint32_t keys_left_out(int r, wint_t ch);
/* The same inside a bracketed paste: every character that is not a
 * control character (the engine's list: C0, DEL, C1, bidi controls) is
 * CMD_CHAR, space too; CMD_PASTE_END ends it; anything else (controls,
 * Esc, function keys) is CMD_NONE, dropped. */
struct key_event keys_pasted(int r, wint_t ch);
/* Turns the terminal's bracketed paste on (on 1, after curses started;
 * curses is taught its two sequences, ESC[200~ and ESC[201~) or off (0,
 * before curses ends), where the terminal is known to have it. */
void keys_paste_mode(int on);

/* The keys of a command as shown to people ("^B/Esc"), and its note. */
const char *keys_label(enum cmd c);
const char *keys_note(enum cmd c);   /* translated */

/* The commands shown in the key bar, in order; ends with CMD_NONE. */
extern const enum cmd keys_bar[];
/* Every command with a binding, for the help screen; ends with CMD_NONE. */
extern const enum cmd keys_all[];

#endif
