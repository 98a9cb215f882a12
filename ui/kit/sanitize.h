/* sanitize.h - text from the store or the remote made safe to show:
 * control characters and escape sequences never reach the terminal. */
#ifndef CPSREG_UI_SANITIZE_H
#define CPSREG_UI_SANITIZE_H

#include <stddef.h>

/* One line: every control character (C0, DEL, C1, the bidi controls) and
 * every bad UTF-8 sequence becomes one '?' (the engine's decoder and list,
 * include/cpsreg/text.h).  Bad is what RFC 3629 forbids: a stray
 * continuation byte, a lead byte C0, C1 or F5-FF, an overlong form (E0 80 80,
 * F0 80 80 80), a surrogate (ED A0 80), a code point above U+10FFFF, a
 * sequence cut short.  A bad sequence is its longest start that could still
 * have been valid (at least one byte), so "E2 82 41" gives "?A".  The output
 * is cut on a character boundary to fit len bytes.  Returns buf. */
const char *sanitize_line(const char *in, char *buf, size_t len);
/* The same, but newlines and tabs are kept. */
const char *sanitize_text(const char *in, char *buf, size_t len);
/* Bytes of the valid UTF-8 character at p (1-4), or 0 when a bad sequence
 * starts there; *bad gets the bytes of that bad sequence (1-3). */
size_t sanitize_utf8_len(const char *p, size_t *bad);

#endif
