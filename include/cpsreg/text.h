/* text.h - UTF-8 and quoting for the whole engine: one decoder, the
 * Unicode NFC every stored text is put in, and one sanitiser for every
 * message that quotes input (a value from cps.ini, a
 * CSV row, the store, the remote), so that control characters, escape
 * sequences, bidi controls and broken UTF-8 never reach a terminal raw and
 * a cut value never overruns its buffer. */
#ifndef CPSREG_ENGINE_TEXT_H
#define CPSREG_ENGINE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Decodes the UTF-8 sequence at s, of which n bytes may be read.  Returns
 * its length (1-4) and sets *cp, or returns 0 for an invalid sequence: a
 * stray continuation byte, a lead byte C0, C1 or F5-FF, an overlong form,
 * a surrogate (U+D800-U+DFFF), a code point above U+10FFFF, or a sequence
 * cut short by n.  n == 0 returns 0.  cp may be NULL.  It stops at the
 * first byte that is not a continuation byte, and a NUL never is one, so
 * for a NUL-terminated string n may be CPS_UTF8_NUL_TERMINATED. */
size_t cps_utf8_decode(const char *s, size_t n, uint32_t *cp);
#define CPS_UTF8_NUL_TERMINATED 4

/* Where cps_utf8_decode returns 0: the bytes of the bad sequence at s
 * (1-3), its longest start that could still have been valid, so that one
 * replacement stands for it ("E2 82 41" is one bad sequence and "A").
 * n == 0 returns 0. */
size_t cps_utf8_invalid_len(const char *s, size_t n);

/* 1 if s is valid UTF-8 throughout (len bytes). */
int cps_utf8_valid(const char *s, size_t len);

/* 1 if cp must never reach a terminal raw: C0 controls, DEL, C1 controls
 * (which some terminals take as escapes) and the bidi controls that can
 * make a line read differently from what it holds (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069). */
int cps_text_is_control(uint32_t cp);

/* The one policy for text coming in on every path (typed or pasted in
 * the wizard, a catalog or legacy import): a value holding a control
 * character of cps_text_is_control (C0, DEL, C1, the bidi overrides such
 * as U+202E) or bytes that are not UTF-8 is refused with a message naming
 * the character, never stored and never shown raw.  Returns the offset of
 * the first such character in the n bytes at s, or n when there is none;
 * *cp (may be NULL) gets its code point, U+FFFD for bytes that are not
 * UTF-8. */
size_t cps_text_find_control(const char *s, size_t n, uint32_t *cp);

/* The primary composite of first and second (Unicode canonical
 * composition: U+0065 and U+0301 give U+00E9, Hangul L and V give LV), or
 * 0 when there is none, or it is a composition exclusion. */
uint32_t cps_text_compose(uint32_t first, uint32_t second);

/* The bytes cps_text_nfc may need for n bytes in: NFC can be up to three
 * times longer in UTF-8 than its input (U+0390 is 2 bytes, its
 * decomposition 6; U+1D160 stays decomposed: 4 bytes become 12), and the
 * NUL.  n must be at most (SIZE_MAX - 1) / 3. */
#define CPS_TEXT_NFC_SIZE(n) (3 * (size_t)(n) + 1)

/* Writes the n bytes at in to out (at least CPS_TEXT_NFC_SIZE(n) bytes)
 * in Unicode normalisation form C: canonical decomposition, canonical
 * order of the combining marks, canonical composition (the composition
 * exclusions kept apart, Hangul composed), with the tables of
 * cps_text_unicode_version().  A byte that is not UTF-8 is copied
 * unchanged, for the caller to refuse; nothing composes or is reordered
 * across it.  Allocates nothing; a mark out of order is put in its place
 * by one move of the marks after it (no search), so even a long hostile
 * run of marks stays fast.  Returns the length of out, which is
 * NUL-terminated. */
size_t cps_text_nfc(const char *in, size_t n, char *out);

/* The Unicode version of cps_text_nfc's tables ("14.0.0"). */
const char *cps_text_unicode_version(void);

/* How cps_text_quote treats line breaks. */
enum {
	CPS_TEXT_LINE = 0,     /* one line: a newline or tab is '?' too */
	CPS_TEXT_KEEP_NL = 1   /* newlines and tabs are kept */
};

/* Copies in into buf (len bytes, NUL included) for a message: each
 * control character (see cps_text_is_control) and each invalid UTF-8
 * sequence (see cps_utf8_invalid_len) becomes one '?'.  A value that does not fit is cut on a
 * character boundary and ends in "..." -- the dots and the NUL always fit.
 * len < 4 gives the empty string.  Returns buf. */
const char *cps_text_quote(const char *in, char *buf, size_t len, int how);

/* How cps_local_time_text writes a time. */
enum {
	CPS_TIME_MINUTE = 0,   /* "2026-05-14 09:30" */
	CPS_TIME_DATE = 1      /* "2026-05-14" */
};

/* Writes t as local time into out (len bytes) in the form how asks for.
 * When the time cannot be converted (localtime_r fails) or does not fit,
 * out gets the seconds since 1970 as a number, which is still true, and
 * the function returns 0; 1 when the text is the local time. */
int cps_local_time_text(time_t t, int how, char *out, size_t len);

#endif
