/* text.h - the one text measure of the screens: how many terminal columns
 * a UTF-8 text takes (wcwidth: a wide character takes two, a combining one
 * none), cutting it to a width on a character boundary with one ellipsis
 * ("…" where the terminal is UTF-8, "..." elsewhere), and wrapping it into
 * lines.  No curses here: the frame draws what this measures, pages lay out
 * with it, and the unit tests run it without a terminal.
 *
 * A bad UTF-8 sequence or a control character takes one column, as the
 * '?' that sanitize.h shows in its place. */
#ifndef CPSREG_KIT_TEXT_H
#define CPSREG_KIT_TEXT_H

#include <stddef.h>

/* The locale's character set is UTF-8 (the terminal shows Unicode). */
int text_utf8(void);
/* "…" on a UTF-8 terminal, else "...". */
const char *text_ellipsis(void);

/* Columns of the character at p; *len gets its bytes (at least 1). */
int text_char_width(const char *p, size_t *len);
/* Columns of a text, and of its first n bytes. */
int text_width(const char *s);
int text_width_n(const char *s, size_t n);

/* Bytes of the longest start of s within width columns (nothing marks
 * the cut: for clipping at the edge of a window). */
size_t text_fit(const char *s, int width);
/* Copies s into out (len bytes) cut to width columns: a text that does not
 * fit ends in the ellipsis within the width.  Returns out. */
char *text_cut(const char *s, int width, char *out, size_t len);
/* The first n bytes of s, marked as going on: cut where needed so that the
 * ellipsis fits within width after them.  Returns out. */
char *text_cut_more(const char *s, size_t n, int width, char *out, size_t len);
/* text_cut, then padded with spaces to exactly width columns (on the left
 * when right_align).  Returns out. */
char *text_cell(const char *s, int width, int right_align, char *out, size_t len);

/* One line of a wrapped text: bytes off..off+len of it, cols columns. */
struct text_line {
	size_t off, len;
	int cols;
};
/* Wraps s to width columns: a line breaks at a newline, else after the
 * last word that fits (spaces and tabs part words and are dropped at a
 * break); a word longer than a line is cut on a character boundary.  Fills
 * the first max lines (lines may be NULL when max is 0) and returns how
 * many lines the whole text needs. */
int text_wrap(const char *s, int width, struct text_line *lines, int max);

#endif
