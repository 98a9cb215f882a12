/* keys.c - the key table (see keys.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	if (r == OK && ch >= 0x20 && !cps_text_is_control((uint32_t)ch)) {
		/* C1 and the bidi controls are never typed (the engine's one
		 * policy); the frame says so (keys_left_out) */
		ev.cmd = CMD_CHAR;
		ev.ch = ch;
	}
	return ev;
}

uint32_t keys_left_out(int r, wint_t ch)
{
	return r == OK && ch >= 0x80 && cps_text_is_control((uint32_t)ch) ? (uint32_t)ch : 0;
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

/* ---- reading keys ------------------------------------------------------ */

/* How long after a lone ESC its split tail is still taken as a key. */
#define ESC_TAIL_MS 2000

static struct reader {
	unsigned char u8[4];     /* a UTF-8 sequence being read */
	int nu8, need;
	long long esc_ms;        /* when curses gave a lone ESC; 0: none since */
	char seq[16];            /* the ESC's tail being read ("[1;5A") */
	int nseq;
	long long seq_ms;
	int in_paste;
	struct { int r; wint_t ch; } q[32];   /* decoded, not yet handed out */
	int qh, qn;
} rd;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void push(int r, wint_t ch)
{
	if (rd.qn < (int)(sizeof(rd.q) / sizeof(rd.q[0]))) {
		int i = (rd.qh + rd.qn) % (int)(sizeof(rd.q) / sizeof(rd.q[0]));
		rd.q[i].r = r;
		rd.q[i].ch = ch;
		rd.qn++;
	}
}

/* The tail was not a key after all (it came too late, or grew too long):
 * what was typed is typed. */
static void tail_as_text(void)
{
	for (int i = 0; i < rd.nseq; i++)
		push(OK, (wint_t)(unsigned char)rd.seq[i]);
	rd.nseq = 0;
}

/* The key a complete tail stands for, if it is one the wizard uses;
 * another key is dropped (it must not become text). */
static void tail_as_key(void)
{
	static const struct { const char *seq; int key; } keys[] = {
		{ "A", KEY_UP }, { "B", KEY_DOWN }, { "C", KEY_RIGHT }, { "D", KEY_LEFT },
		{ "H", KEY_HOME }, { "F", KEY_END }, { "Z", KEY_BTAB },
		{ "1~", KEY_HOME }, { "7~", KEY_HOME }, { "4~", KEY_END }, { "8~", KEY_END },
		{ "3~", KEY_DC }, { "200~", KEY_PASTE_BEGIN }, { "201~", KEY_PASTE_END },
		{ "P", KEY_F(1) }, { "Q", KEY_F(2) }, { "11~", KEY_F(1) }, { "12~", KEY_F(2) },
		{ "20~", KEY_F(9) }, { "21~", KEY_F(10) },
	};
	char body[16];
	size_t n = 0;

	/* the body without its introducer and any modifiers ("1;5A" is A) */
	const char *p = rd.seq + 1;
	const char *semi = strrchr(p, ';');
	if (semi && strchr(p, '~') == NULL)
		p = semi + 1;
	while (*p && n + 1 < sizeof(body))
		body[n++] = *p++;
	body[n] = '\0';
	rd.nseq = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(body, keys[i].seq) == 0) {
			push(KEY_CODE_YES, (wint_t)keys[i].key);
			return;
		}
}

/* The next byte of the tail: 1 when it ended the tail. */
static int tail_ends(int c)
{
	if (rd.seq[0] == 'O')
		return rd.nseq == 2;               /* SS3: one letter */
	return rd.nseq > 1 && c >= 0x40 && c <= 0x7e;   /* CSI: its final byte */
}

/* A UTF-8 sequence complete in rd.u8: the character, or KEYS_NOT_TEXT
 * for an overlong form, a surrogate or a value beyond Unicode. */
static wint_t utf8_char(void)
{
	unsigned v = rd.u8[0] & (0x7fu >> rd.need);

	for (int i = 1; i < rd.need; i++)
		v = (v << 6) | (rd.u8[i] & 0x3fu);
	if ((rd.need == 2 && v < 0x80) || (rd.need == 3 && v < 0x800) ||
	    (rd.need == 4 && v < 0x10000) || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return KEYS_NOT_TEXT;
	return (wint_t)v;
}

static void feed(int c)
{
	long long now = now_ms();

	if (rd.nseq) {
		if (c <= 0x7f && c >= 0x20 && now - rd.seq_ms <= ESC_TAIL_MS) {
			rd.seq[rd.nseq++] = (char)c;
			rd.seq[rd.nseq] = '\0';
			rd.seq_ms = now;
			if (tail_ends(c))
				tail_as_key();
			else if (rd.nseq + 1 >= (int)sizeof(rd.seq))
				tail_as_text();
			return;
		}
		tail_as_text();
	}
	if (rd.nu8 && (c > 0xff || (c & 0xc0) != 0x80)) {
		/* a sequence cut short: its bytes were not text */
		push(OK, KEYS_NOT_TEXT);
		rd.nu8 = 0;
	}
	if (c > 0xff) {   /* a key code */
		if (c == KEY_PASTE_BEGIN || c == KEY_PASTE_END)
			rd.in_paste = c == KEY_PASTE_BEGIN;
		rd.esc_ms = 0;
		push(KEY_CODE_YES, (wint_t)c);
		return;
	}
	if (rd.nu8) {
		rd.u8[rd.nu8++] = (unsigned char)c;
		if (rd.nu8 == rd.need) {
			push(OK, utf8_char());
			rd.nu8 = 0;
		}
		return;
	}
	if (c < 0x80) {
		if ((c == '[' || c == 'O') && rd.esc_ms && now - rd.esc_ms <= ESC_TAIL_MS) {
			rd.seq[0] = (char)c;
			rd.seq[1] = '\0';
			rd.nseq = 1;
			rd.seq_ms = now;
			rd.esc_ms = 0;
			return;
		}
		rd.esc_ms = c == 27 && !rd.in_paste ? now : 0;
		push(OK, (wint_t)c);
		return;
	}
	rd.esc_ms = 0;
	rd.need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!rd.need) {
		push(OK, KEYS_NOT_TEXT);   /* a byte that never starts UTF-8 */
		return;
	}
	rd.u8[0] = (unsigned char)c;
	rd.nu8 = 1;
}

int keys_read(WINDOW *w, wint_t *ch)
{
	while (!rd.qn) {
		int c = wgetch(w);
		if (c == ERR)
			return ERR;   /* a character begun waits for its next byte */
		feed(c);
	}
	int r = rd.q[rd.qh].r;
	*ch = rd.q[rd.qh].ch;
	rd.qh = (rd.qh + 1) % (int)(sizeof(rd.q) / sizeof(rd.q[0]));
	rd.qn--;
	return r;
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
