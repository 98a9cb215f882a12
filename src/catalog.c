/* catalog.c - the product catalog: loading and importing catalog files,
 * the type-ahead search, categories and serial patterns (see
 * include/cpsreg/catalog.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cpsreg/catalog.h"
#include "cpsreg/csv.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "cpsreg/product.h"
#include "cpsreg/workdays.h"
#include "audit.h"
#include "engine_private.h"
#include "import.h"
#include "store_catalog.h"

#define CATALOG_GENERATION "catalog_generation" /* meta: imports so far */
/* how long the first start waits for another process loading the catalog */
#define DEFAULT_WAIT_MS 30000

#define MAX_POINTS 1000000
/* Canon's catalog has hundreds of models; the limit only stops a wrong
 * file (a whole legacy export, say) from taking the memory: a row here
 * is about 420 bytes, so this is about 100 MB at most. */
#define MAX_ROWS 250000
#define MAX_QUERY 256      /* bytes of a folded search query */
#define MAX_QUERY_WORDS 16
#define PATTERN_MAX_N 20

/* --- categories ----------------------------------------------------- */

static const char *const category_ids[CPS_CAT_COUNT] = {
	"body", "lens", "cinema", "flash", "printer", "other"
};

const char *cps_catalog_category_name(enum cps_category cat)
{
	switch (cat) {
	case CPS_CAT_BODY:    return _("Camera body");
	case CPS_CAT_LENS:    return _("Lens");
	case CPS_CAT_CINEMA:  return _("Cinema");
	case CPS_CAT_FLASH:   return _("Flash");
	case CPS_CAT_PRINTER: return _("Printer");
	case CPS_CAT_OTHER:   return _("Other");
	}
	return _("Other");
}

const char *cps_catalog_category_id(enum cps_category cat)
{
	return (unsigned)cat < CPS_CAT_COUNT ? category_ids[cat] : "other";
}

enum cps_err cps_catalog_category_parse(const char *word, enum cps_category *out)
{
	for (int i = 0; word && i < CPS_CAT_COUNT; i++) {
		if (strcasecmp(word, category_ids[i]) == 0) {
			*out = (enum cps_category)i;
			return CPS_OK;
		}
	}
	return CPS_ERR_INVALID;
}

/* --- folding for the search ----------------------------------------- */

/* U+00C0..U+00FF; NULL keeps the character (x and division signs). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

/* U+0100..U+017F (Latin Extended-A). */
static const char *const latin_ext_a[128] = {
	"a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

struct outbuf {
	char *p;
	size_t len;   /* room, NUL included */
	size_t n;     /* bytes the whole result needs */
};

static void put(struct outbuf *o, const char *s, size_t k)
{
	for (size_t i = 0; i < k; i++, o->n++)
		if (o->len > 0 && o->n < o->len - 1)
			o->p[o->n] = s[i];
}

size_t cps_catalog_fold(const char *text, char *out, size_t len)
{
	struct outbuf o = { out, len, 0 };
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	int space = 0;

	while (*s) {
		if (*s < 0x80) {
			/* ASCII (most of every name): nothing to decode */
			char c1 = (char)*s++;

			if (c1 == ' ' || c1 == '\t' || c1 == '\n' || c1 == '\r') {
				space = o.n > 0;
				continue;
			}
			if (space) {
				put(&o, " ", 1);
				space = 0;
			}
			if (c1 >= 'A' && c1 <= 'Z')
				c1 = (char)(c1 - 'A' + 'a');
			put(&o, &c1, 1);
			continue;
		}
		uint32_t u = 0;
		size_t k = cps_utf8_decode((const char *)s, CPS_UTF8_NUL_TERMINATED, &u);
		/* a byte that starts no valid sequence is kept as it is */
		long cp = k ? (long)u : -1;
		char c;

		if (k == 0)
			k = 1;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
			space = o.n > 0;
			s += k;
			continue;
		}
		if (space) {
			put(&o, " ", 1);
			space = 0;
		}
		if (cp >= 'A' && cp <= 'Z') {
			c = (char)(cp - 'A' + 'a');
			put(&o, &c, 1);
		} else if (cp >= 0xC0 && cp <= 0xFF && latin1[cp - 0xC0]) {
			put(&o, latin1[cp - 0xC0], strlen(latin1[cp - 0xC0]));
		} else if (cp >= 0x100 && cp <= 0x17F) {
			put(&o, latin_ext_a[cp - 0x100], strlen(latin_ext_a[cp - 0x100]));
		} else if (cp == 0x1E9E) {           /* capital sharp s */
			put(&o, "ss", 2);
		} else if (cp >= 0x2010 && cp <= 0x2015) { /* typographic dashes */
			put(&o, "-", 1);
		} else {
			put(&o, (const char *)s, k);
		}
		s += k;
	}
	if (len > 0)
		out[o.n < len ? o.n : len - 1] = '\0';
	return o.n;
}

/* --- serial patterns ------------------------------------------------ */

struct token {
	char kind;   /* 'd', 'a' or 'x' */
	int n;
};

/* Reads one token at *p (advancing it); 0 if there is none. */
static int read_token(const char **p, struct token *t)
{
	const char *s = *p;
	int n = 0;

	if (*s != 'd' && *s != 'a' && *s != 'x')
		return 0;
	t->kind = *s++;
	if (*s < '1' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9' && n <= PATTERN_MAX_N)
		n = n * 10 + (*s++ - '0');
	if (n > PATTERN_MAX_N)
		return 0;
	t->n = n;
	*p = s;
	return 1;
}

int cps_catalog_pattern_valid(const char *pattern, char *why, size_t len)
{
	const char *p = pattern;
	struct token t;

	if (!*p)
		return 1;
	if (strlen(p) >= CPS_PATTERN_SIZE) {
		if (why)
			snprintf(why, len, _("it is longer than %d characters"),
				 CPS_PATTERN_SIZE - 1);
		return 0;
	}
	for (;;) {
		int tokens = 0, total = 0;

		while (read_token(&p, &t)) {
			tokens++;
			total += t.n;
		}
		if (*p && *p != '|') {
			if (why)
				snprintf(why, len, "%s", _("each part must be d, a or x followed by a number from 1 to 20 (e.g. d10, a4d5); parts are separated by |"));
			return 0;
		}
		if (tokens == 0) {
			if (why)
				snprintf(why, len, "%s", _("an alternative between the | signs is empty"));
			return 0;
		}
		if (total > CPS_SERIAL_MAX) {
			if (why)
				snprintf(why, len, _("it asks for more than %d characters, longer than any serial number"),
					 CPS_SERIAL_MAX);
			return 0;
		}
		if (*p == '\0')
			return 1;
		p++;
	}
}

static int token_accepts(char kind, char c)
{
	int digit = c >= '0' && c <= '9';
	int letter = c >= 'A' && c <= 'Z';

	return kind == 'd' ? digit : kind == 'a' ? letter : digit || letter;
}

int cps_catalog_pattern_matches(const char *pattern, const char *serial)
{
	const char *p = pattern;
	struct token t;

	if (!pattern || !*pattern)
		return 1;
	for (;;) {
		const char *s = serial;
		int ok = 1;

		while (read_token(&p, &t)) {
			for (int i = 0; i < t.n && ok; i++, s++)
				ok = *s && token_accepts(t.kind, *s);
		}
		if (ok && *s == '\0' && (*p == '\0' || *p == '|'))
			return 1;
		while (*p && *p != '|')    /* skip the rest of a failed alternative */
			p++;
		if (*p == '\0')
			return 0;
		p++;
	}
}

static void token_text(struct token t, char *out, size_t len)
{
	unsigned long n = (unsigned long)t.n;

	switch (t.kind) {
	case 'd':
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN, "%d digit", "%d digits", n), t.n);
		break;
	case 'a':
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN, "%d letter", "%d letters", n), t.n);
		break;
	default:
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN, "%d letter or digit",
					     "%d letters or digits", n), t.n);
		break;
	}
}

size_t cps_catalog_pattern_describe(const char *pattern, char *out, size_t len)
{
	struct outbuf o = { out, len, 0 };
	const char *p = pattern ? pattern : "";
	struct token t;
	char piece[128];
	int alt = 0;

	while (*p) {
		int tok = 0;

		if (alt++) {
			const char *or = _(" or ");
			put(&o, or, strlen(or));
		}
		while (read_token(&p, &t)) {
			if (tok++) {
				const char *then = _(", then ");
				put(&o, then, strlen(then));
			}
			token_text(t, piece, sizeof(piece));
			put(&o, piece, strlen(piece));
		}
		while (*p && *p != '|')
			p++;
		if (*p == '|')
			p++;
	}
	if (len > 0)
		out[o.n < len ? o.n : len - 1] = '\0';
	return o.n;
}

/* --- import --------------------------------------------------------- */

/* A checked row of the file.  A file may list 250,000 models, so a row
 * is kept small (fresh memory costs a page fault per 4 KB): its texts are
 * in the import's one block of text, at most TEXT_MAX bytes, and a whole
 * struct cps_catalog_item is filled only for a row that is written as a
 * change. */
struct row {
	uint64_t prefix;       /* the key's first 8 bytes (see key_prefix) */
	unsigned long line;
	uint32_t known;        /* 1 + the stored model's place in the known
				* list (see apply); 0 for a new model */
	uint32_t model;        /* offsets into the import's text: the name, */
	uint32_t key;          /* ... its key (see name_key), */
	uint32_t pattern;      /* ... the serial pattern */
	int32_t points;
	int16_t release_year;
	unsigned char category;   /* enum cps_category */
};

/* The import's text: 250,000 rows of the longest names fit many times. */
#define TEXT_MAX UINT32_MAX

struct import {
	struct cps_csv *csv;
	struct cps_csv_problems problems;   /* every one: the file is refused */
	struct row *rows;
	size_t nrows, rcap;
	char *text;                         /* the rows' texts, NUL after each */
	size_t used, size;
	char *nfc;                          /* a name in NFC, one row at a time */
	size_t nfc_size;
	int max_year;
	int nomem;
	const char *actor;   /* staff who import: audited; NULL at start-up */
};

/* Trims spaces at both ends in place; runs of spaces inside become one
 * when squeeze is set. */
static char *trim(char *s, int squeeze)
{
	char *end, *w, *r;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (!squeeze)
		return s;
	for (r = w = s; *r; r++) {
		if ((*r == ' ' || *r == '\t') && w > s && w[-1] == ' ')
			continue;
		*w++ = *r == '\t' ? ' ' : *r;
	}
	*w = '\0';
	return s;
}

/* A whole number of digits only, 1..max; -1 otherwise. */
static long whole_number(const char *s, long max)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/* Counts the characters of s (the CSV reader has checked its UTF-8); -1
 * when one is a control character of the engine's one policy (C0, DEL,
 * C1, bidi controls: cps_text_find_control), its code point in *bad. */
static long text_chars(const char *s, uint32_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left;
	long n = 0;

	/* most names are printable ASCII: a byte is a character, and the
	 * only controls there are C0 and DEL */
	while (*p >= 0x20 && *p < 0x7f)
		p++;
	if (*p == '\0')
		return (long)(p - (const unsigned char *)s);
	left = strlen(s);
	if (cps_text_find_control(s, left, bad) < left)
		return -1;
	while (left > 0) {
		size_t k = cps_utf8_decode(s, left, NULL);
		s += k;
		left -= k;
		n++;
	}
	return n;
}

/* The key of a name: ASCII letters in lower case, every other byte as it
 * is: what SQLite's lower() makes of it (the store's index on the name
 * and its lookup by name: README, "Performance").  Two names are the same
 * model when their keys are equal, and keys compared byte by byte
 * (strcmp) sort as that index does: the name folded once instead of at
 * every comparison. */
static void name_key(const char *name, char *out)
{
	for (; *name; name++, out++)
		*out = *name >= 'A' && *name <= 'Z' ? (char)(*name - 'A' + 'a') : *name;
	*out = '\0';
}

/* The first 8 bytes of a key as one number, zeros after its end: two
 * keys compare as their prefixes do, and when these are equal, as the
 * rest of the keys do -- equal outright if the key ended within them.
 * Most comparisons of a sort are then made within the rows, without
 * reading their names from all over the text. */
static uint64_t key_prefix(const char *key)
{
	uint64_t p = 0;
	int i = 0;

	for (; i < 8 && key[i]; i++)
		p = p << 8 | (unsigned char)key[i];
	return p << (8 * (8 - i));
}

/* strcmp(ka, kb) for keys with these prefixes: < 0, 0 or > 0. */
static int key_cmp(uint64_t pa, const char *ka, uint64_t pb, const char *kb)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return (pa & 0xff) ? strcmp(ka + 8, kb + 8) : 0;
}

/* Room for len more bytes of text; 0 when memory ran out. */
static int text_room(struct import *im, size_t len)
{
	if (im->used + len <= im->size)
		return 1;
	if (len > TEXT_MAX - im->used) {
		im->nomem = 1;
		return 0;
	}
	size_t size = im->size ? im->size : 65536;
	while (size < im->used + len)
		size *= 2;
	char *v = realloc(im->text, size);
	if (!v) {
		im->nomem = 1;
		return 0;
	}
	im->text = v;
	im->size = size;
	return 1;
}

/* Copies t (NUL included) to the text; its offset. */
static uint32_t add_text(struct import *im, const char *t, size_t len)
{
	uint32_t at = (uint32_t)im->used;

	memcpy(im->text + at, t, len + 1);
	im->used += len + 1;
	return at;
}

/* Keeps a checked row: its name (NFC, trimmed), key and pattern go to
 * the text. */
static void keep_row(struct import *im, struct row *out, const char *model,
		     size_t mlen, const char *pattern)
{
	size_t plen = strlen(pattern);

	if (im->nrows == im->rcap) {
		size_t cap = im->rcap ? im->rcap * 2 : 256;
		struct row *nv = realloc(im->rows, cap * sizeof(*nv));
		if (!nv) {
			im->nomem = 1;
			return;
		}
		im->rows = nv;
		im->rcap = cap;
	}
	if (!text_room(im, 2 * (mlen + 1) + plen + 1))
		return;
	out->model = add_text(im, model, mlen);
	out->key = (uint32_t)im->used;
	name_key(model, im->text + im->used);
	out->prefix = key_prefix(im->text + im->used);
	im->used += mlen + 1;
	out->pattern = add_text(im, pattern, plen);
	im->rows[im->nrows++] = *out;
}

enum { COL_MODEL, COL_CATEGORY, COL_POINTS, COL_YEAR, COL_PATTERN, NCOLS };

static void check_row(struct import *im, struct cps_csv_row *r,
		      struct cps_csv_column *cols)
{
	struct row out = { .line = r->line };
	enum cps_category category = CPS_CAT_OTHER;
	size_t before = im->problems.found;
	char why[256];

	for (int i = 0; i < NCOLS; i++) {
		if ((size_t)cols[i].index >= r->count) {
			cps_csv_problem(&im->problems, r->line,
				 _("the row has only %zu fields: the column \"%s\" is missing"),
				 r->count, cols[i].name);
			return;
		}
	}
	char *model = trim(r->fields[cols[COL_MODEL].index], 1);
	/* stored in NFC, as every text is (README, rules 2.1): a name
	 * written decomposed is the same model; room for NFC's longest,
	 * in a buffer kept from row to row (a record of ASCII only is in
	 * NFC already) */
	size_t mlen = strlen(model);
	if (mlen > (SIZE_MAX - 1) / 3) {
		im->nomem = 1;
		return;
	}
	if (!r->ascii) {
		if (CPS_TEXT_NFC_SIZE(mlen) > im->nfc_size) {
			size_t size = CPS_TEXT_NFC_SIZE(mlen) > 1024 ? CPS_TEXT_NFC_SIZE(mlen) : 1024;
			char *nfc = realloc(im->nfc, size);
			if (!nfc) {
				im->nomem = 1;
				return;
			}
			im->nfc = nfc;
			im->nfc_size = size;
		}
		mlen = cps_text_nfc(model, mlen, im->nfc);
		model = im->nfc;
	}
	char *cat = trim(r->fields[cols[COL_CATEGORY].index], 0);
	char *points = trim(r->fields[cols[COL_POINTS].index], 0);
	char *year = trim(r->fields[cols[COL_YEAR].index], 0);
	char *pattern = trim(r->fields[cols[COL_PATTERN].index], 0);
	uint32_t bad = 0;
	long chars = text_chars(model, &bad);
	long v;

	if (!*model)
		cps_csv_problem(&im->problems, r->line, "%s", _("the model name is empty"));
	else if (chars < 0)
		cps_csv_problem(&im->problems, r->line, _("the model name contains a control character (U+%04X)"),
				(unsigned)bad);
	else if (chars > CPS_MODEL_MAX)
		cps_csv_problem(&im->problems, r->line, _("the model name is longer than %d characters"),
			 CPS_MODEL_MAX);

	if (cps_catalog_category_parse(cat, &category) != CPS_OK)
		cps_csv_problem(&im->problems, r->line,
			 _("\"%s\" is not a category; use body, lens, cinema, flash, printer or other"),
			 cat);

	v = whole_number(points, MAX_POINTS);
	if (v <= 0)
		cps_csv_problem(&im->problems, r->line,
			 _("points must be a positive whole number (at most %d), not \"%s\""),
			 MAX_POINTS, points);
	else
		out.points = (int)v;

	v = whole_number(year, 9999);
	if (v < CPS_CATALOG_FIRST_YEAR || v > im->max_year)
		cps_csv_problem(&im->problems, r->line,
			 _("the release year must be a year from %d to %d, not \"%s\""),
			 CPS_CATALOG_FIRST_YEAR, im->max_year, year);
	else
		out.release_year = (int16_t)v;

	for (char *c = pattern; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (!cps_catalog_pattern_valid(pattern, why, sizeof(why)))
		cps_csv_problem(&im->problems, r->line, _("\"%s\" is not a serial pattern: %s"), pattern, why);

	if (im->problems.found != before)
		return;
	if (im->nrows == MAX_ROWS) {
		cps_csv_problem(&im->problems, r->line, _("the file has more than %d models"), MAX_ROWS);
		return;
	}
	out.category = (unsigned char)category;
	keep_row(im, &out, model, mlen, pattern);
}

/* Whether row a comes before row b: by key, then by line (equal keys
 * are the same model twice, reported at the later line). */
static int row_before(const char *text, const struct row *a, const struct row *b)
{
	int c = key_cmp(a->prefix, text + a->key, b->prefix, text + b->key);

	return c ? c < 0 : a->line < b->line;
}

static void swap_rows(struct row *a, struct row *b)
{
	struct row t = *a;

	*a = *b;
	*b = t;
}

/* Heapsort of v[0..n): the way out when quicksort keeps choosing bad
 * pivots (a file made to defeat the median of three). */
static void heap_rows(const char *text, struct row *v, size_t n)
{
	for (size_t end = n, start = n / 2; end > 1;) {
		size_t root;

		if (start > 0) {
			root = --start;
		} else {
			swap_rows(&v[0], &v[--end]);
			root = 0;
		}
		for (size_t child; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && row_before(text, &v[child], &v[child + 1]))
				child++;
			if (!row_before(text, &v[root], &v[child]))
				break;
			swap_rows(&v[root], &v[child]);
		}
	}
}

/* Sorts v[0..n) by row_before in place: no second array of rows or of
 * references to them (fresh memory costs a page fault per 4 KB, and a
 * file may hold 250,000 rows).  Quicksort on the median of three, the
 * smaller side first so the stack stays short, heapsort when the sides
 * keep coming out uneven (depth), insertion sort for short runs. */
static void sort_rows_depth(const char *text, struct row *v, size_t n, int depth)
{
	while (n > 12) {
		if (depth-- == 0) {
			heap_rows(text, v, n);
			return;
		}
		size_t mid = n / 2, i = 0, j = n - 1;

		if (row_before(text, &v[mid], &v[0]))
			swap_rows(&v[mid], &v[0]);
		if (row_before(text, &v[n - 1], &v[0]))
			swap_rows(&v[n - 1], &v[0]);
		if (row_before(text, &v[n - 1], &v[mid]))
			swap_rows(&v[n - 1], &v[mid]);
		struct row pivot = v[mid];
		for (;;) {   /* Hoare's partition: v[0..j] <= pivot <= v[j+1..] */
			while (row_before(text, &v[i], &pivot))
				i++;
			while (row_before(text, &pivot, &v[j]))
				j--;
			if (i >= j)
				break;
			swap_rows(&v[i++], &v[j--]);
		}
		if (j + 1 < n - j - 1) {
			sort_rows_depth(text, v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_rows_depth(text, v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct row x = v[i];
		size_t k = i;

		for (; k > 0 && row_before(text, &x, &v[k - 1]); k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

static void sort_rows(const char *text, struct row *v, size_t n)
{
	int depth = 0;

	for (size_t k = n; k > 1; k >>= 1)
		depth += 2;
	sort_rows_depth(text, v, n, depth);
}

/* Sorts the rows by model name (the order the name index has, so the new
 * models go into it page after page) and reports every model that is
 * there twice. */
static void index_models(struct import *im)
{
	size_t first = 0;

	sort_rows(im->text, im->rows, im->nrows);
	for (size_t i = 1; i < im->nrows; i++) {
		const struct row *r = &im->rows[i];

		const struct row *q = &im->rows[i - 1];

		if (key_cmp(q->prefix, im->text + q->key, r->prefix, im->text + r->key) != 0) {
			first = i;
			continue;
		}
		cps_csv_problem(&im->problems, r->line,
			 _("the model \"%s\" is already on line %lu"),
			 im->text + r->model, im->rows[first].line);
	}
}

static void import_free(struct import *im)
{
	cps_csv_problems_free(&im->problems);
	free(im->rows);
	free(im->text);
	free(im->nfc);
	cps_csv_free(im->csv);
}

void cps_catalog_report_free(struct cps_catalog_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	r->errors = NULL;
	r->nerrors = 0;
}

/* Puts the problems (sorted, the first CPS_CATALOG_MAX_ERRORS) into the
 * report and the first one into err. */
static enum cps_err refuse(struct import *im, struct cps_catalog_report *report,
			   struct cps_error *err)
{
	size_t found = im->problems.found, n;
	char **list = cps_csv_problems_take(&im->problems, CPS_CATALOG_MAX_ERRORS, &n);
	char first[CPS_ERROR_MAX];

	if (!list)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	snprintf(first, sizeof(first), "%s", list[0]);
	if (report) {
		report->nproblems = found;
		report->errors = calloc(n + 1, sizeof(char *));
		if (!report->errors) {
			for (size_t i = 0; i < n; i++)
				free(list[i]);
			free(list);
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		}
		memcpy(report->errors, list, n * sizeof(char *));
		report->nerrors = n;
		if (found > n) {
			char more[128];
			size_t rest = found - n;
			snprintf(more, sizeof(more),
				 dngettext(CPS_TEXTDOMAIN, "... and %zu more problem",
					   "... and %zu more problems", rest), rest);
			report->errors[report->nerrors] = strdup(more);
			if (report->errors[report->nerrors])
				report->nerrors++;
		}
	} else {
		for (size_t i = 0; i < n; i++)
			free(list[i]);
	}
	free(list);
	return cps_error_set(err, CPS_ERR_INVALID,
			     dngettext(CPS_TEXTDOMAIN,
				       "%s (%zu problem in all; nothing was imported)",
				       "%s (%zu problems in all; nothing was imported)",
				       found),
			     first, found);
}

/* The catalog as it was before the import, found by model name as
 * cps_store_catalog_get_model would find it (equal names: the active one,
 * then the oldest), read in one query instead of one per row of the
 * file.  The file's own names are all different, so nothing it adds can
 * be looked for again. */
struct known_item {
	long long id;
	size_t model, key, pattern;   /* offsets into text */
	const char *keyp;        /* the key's address, once the text is read */
	uint64_t prefix;         /* of the key (key_prefix), likewise */
	size_t order;            /* in the store's order of preference */
	enum cps_category category;
	int points, release_year, active;
};

struct known {
	struct known_item *v;
	size_t n, cap;
	char *text;
	size_t used, size;
	int nomem;
};

/* Room for len more bytes of text; 0 when memory ran out. */
static int known_room(struct known *k, size_t len)
{
	if (k->used + len <= k->size)
		return 1;
	size_t size = k->size ? k->size * 2 : 16384;
	while (size < k->used + len)
		size *= 2;
	char *v = realloc(k->text, size);
	if (!v) {
		k->nomem = 1;
		return 0;
	}
	k->text = v;
	k->size = size;
	return 1;
}

static int add_known(const struct cps_catalog_item *item, void *arg)
{
	struct known *k = arg;
	size_t mlen = strlen(item->model), plen = strlen(item->serial_pattern);

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 256;
		struct known_item *v = realloc(k->v, cap * sizeof(*v));
		if (!v) {
			k->nomem = 1;
			return 1;
		}
		k->v = v;
		k->cap = cap;
	}
	if (!known_room(k, 2 * (mlen + 1) + plen + 1))
		return 1;
	struct known_item *x = &k->v[k->n];
	x->id = item->id;
	x->model = k->used;
	memcpy(k->text + k->used, item->model, mlen + 1);
	k->used += mlen + 1;
	x->key = k->used;
	name_key(item->model, k->text + k->used);
	k->used += mlen + 1;
	x->pattern = k->used;
	memcpy(k->text + k->used, item->serial_pattern, plen + 1);
	k->used += plen + 1;
	x->order = k->n;
	x->category = item->category;
	x->points = item->points;
	x->release_year = item->release_year;
	x->active = item->active;
	k->n++;
	return 0;
}

static int cmp_known(const void *a, const void *b)
{
	const struct known_item *x = a, *y = b;
	int c = key_cmp(x->prefix, x->keyp, y->prefix, y->keyp);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Fills old with the known item x. */
static void known_fill(const struct known *k, const struct known_item *x,
		       struct cps_catalog_item *old)
{
	memset(old, 0, sizeof(*old));
	old->id = x->id;
	snprintf(old->model, sizeof(old->model), "%s", k->text + x->model);
	old->category = x->category;
	old->points = x->points;
	old->release_year = x->release_year;
	snprintf(old->serial_pattern, sizeof(old->serial_pattern), "%s", k->text + x->pattern);
	old->active = x->active;
}

/* How the known model x and the row r compare by key: < 0, 0 or > 0. */
static int known_cmp(const struct known_item *x, const struct import *im,
		     const struct row *r)
{
	return key_cmp(x->prefix, x->keyp, r->prefix, im->text + r->key);
}

/* The catalog as stored, sorted by name. */
static enum cps_err load_known(struct cps_store *s, struct known *k, struct cps_error *err)
{
	enum cps_err rc = cps_store_catalog_each(s, add_known, k, err);

	if (rc == CPS_OK && k->nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	for (size_t i = 0; rc == CPS_OK && i < k->n; i++) {
		k->v[i].keyp = k->text + k->v[i].key;
		k->v[i].prefix = key_prefix(k->v[i].keyp);
	}
	if (rc == CPS_OK && k->n > 1)
		qsort(k->v, k->n, sizeof(*k->v), cmp_known);
	return rc;
}

/* Fills item with the row r of the file (active, as the file lists it),
 * as the stored model id. */
static void row_fill(const struct import *im, const struct row *r, long long id,
		     struct cps_catalog_item *item)
{
	memset(item, 0, sizeof(*item));
	item->id = id;
	snprintf(item->model, sizeof(item->model), "%s", im->text + r->model);
	item->category = (enum cps_category)r->category;
	item->points = r->points;
	item->release_year = r->release_year;
	snprintf(item->serial_pattern, sizeof(item->serial_pattern), "%s",
		 im->text + r->pattern);
	item->active = 1;
}

/* What writing the row r over the known model x changes: 0 nothing, 1
 * only what no index holds, 2 the spelling or the active flag too. */
static int row_change(const struct import *im, const struct row *r,
		      const struct known *k, const struct known_item *x)
{
	if (strcmp(k->text + x->model, im->text + r->model) != 0 || !x->active)
		return 2;
	return x->category != (enum cps_category)r->category || x->points != r->points ||
	       x->release_year != r->release_year ||
	       strcmp(k->text + x->pattern, im->text + r->pattern) != 0;
}

/* The new models as cps_store_catalog_add takes them: one batch per
 * statement, each row counted in the import's batch (src/import.c).  The
 * new rows are those matching no stored model (id 0), in the order of the
 * names. */
struct feed {
	struct import *im;
	struct cps_import_run *run;
	size_t at;         /* the next row to look at */
	size_t left;       /* new rows not yet handed over */
	int counted;       /* cps_import_row has counted the next row */
};

static int feed_row(void *arg, struct cps_store_catalog_row *out)
{
	struct feed *f = arg;
	const struct row *r;

	if (f->left == 0 || (!f->counted && !cps_import_more(f->run)))
		return 0;
	f->counted = 0;
	while (f->im->rows[f->at].known)
		f->at++;
	r = &f->im->rows[f->at++];
	f->left--;
	out->model = f->im->text + r->model;
	out->pattern = f->im->text + r->pattern;
	out->category = (enum cps_category)r->category;
	out->points = r->points;
	out->release_year = r->release_year;
	return 1;
}

/* Writes the checked rows: adds, updates, retires, and notes the time.
 * The new models are written in short transactions of their own, unseen
 * until the last one, which writes the changed and retired models and
 * publishes the import (src/import.c): no transaction holds the write
 * lock for long (README, "Performance").  The stored catalog is read
 * under the import's claim, so no other import changes it meanwhile.
 * The generation counts the imports, so that a type-ahead holding the
 * names in memory (in this process or another) sees that they changed,
 * even twice in the same second. */
static enum cps_err apply(struct cps_engine *e, struct import *im,
			  struct cps_catalog_report *rep,
			  int wait_ms, struct cps_error *err)
{
	struct cps_store *s = e->store;
	struct known known = { 0 };
	struct cps_import_run run;
	struct cps_catalog_item item;
	unsigned char *changed = NULL;
	struct feed feed = { .im = im, .run = &run };
	enum cps_err rc;

	rc = cps_import_start(e, &run, 0, wait_ms, err);
	if (rc != CPS_OK)
		return rc;
	cps_store_defer_checkpoints(s, 1);
	rc = load_known(s, &known, err);
	if (rc == CPS_OK && !(changed = calloc(im->nrows ? im->nrows : 1, 1)))
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	/* the new models, in the order of the names: the index on the name
	 * is then written in its own order, instead of at a random page per
	 * row.  The rows and the known models are both in the order of their
	 * keys, so one walk through both pairs them (the first of equal
	 * known names: the one the store's lookup picks) */
	for (size_t i = 0, j = 0; rc == CPS_OK && i < im->nrows; i++) {
		struct row *r = &im->rows[i];

		while (j < known.n && known_cmp(&known.v[j], im, r) < 0)
			j++;
		if (j < known.n && known_cmp(&known.v[j], im, r) == 0) {
			r->known = (uint32_t)j + 1;
			changed[i] = (unsigned char)row_change(im, r, &known, &known.v[j]);
		} else {
			feed.left++;
		}
	}
	rep->added = (int)feed.left;
	cps_import_expect(&run, feed.left);
	/* each batch is one statement, fed row by row until it is full */
	while (rc == CPS_OK && feed.left > 0) {
		rc = cps_import_row(&run, err);
		feed.counted = 1;
		if (rc == CPS_OK)
			rc = cps_store_catalog_add(s, feed_row, &feed, err);
	}
	if (rc == CPS_OK)
		rc = cps_import_last(&run, err);
	/* the last transaction may change many rows all over the table: its
	 * pages are kept in memory rather than spilled and read again (the
	 * batches before it only append, where a small cache is cheaper) */
	cps_store_bulk(s, 1);
	for (size_t i = 0; rc == CPS_OK && i < im->nrows; i++) {
		const struct row *r = &im->rows[i];

		if (!changed[i])
			continue;
		row_fill(im, r, known.v[r->known - 1].id, &item);
		if (changed[i] == 1)
			rc = cps_store_catalog_set_details(s, &item, err);
		else
			rc = cps_store_catalog_update(s, &item, err);
		rep->updated++;
	}
	rep->unchanged = rc == CPS_OK ? im->nrows - rep->added - rep->updated : 0;
	/* retired: every active model the file no longer lists (the same
	 * walk through both) */
	for (size_t i = 0, j = 0; rc == CPS_OK && i < known.n; i++) {
		const struct known_item *x = &known.v[i];

		while (j < im->nrows && known_cmp(x, im, &im->rows[j]) > 0)
			j++;
		if (!x->active || (j < im->nrows && known_cmp(x, im, &im->rows[j]) == 0))
			continue;
		known_fill(&known, x, &item);
		item.active = 0;
		rc = cps_store_catalog_update(s, &item, err);
		rep->retired++;
	}
	free(changed);
	free(known.v);
	free(known.text);
	if (rc == CPS_OK) {
		char when[32];
		time_t now = cps_engine_now(e);
		struct tm tm;
		if (!gmtime_r(&now, &tm) ||
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			snprintf(when, sizeof(when), "%lld", (long long)now);
		rc = cps_store_meta_set(s, "catalog_imported_at", when, err);
	}
	/* in the import's last transaction: no import without its line */
	if (rc == CPS_OK && im->actor)
		rc = cps_audit_add(e, im->actor, "import_catalog", 0, 0, err);
	if (rc == CPS_OK)
		rc = cps_import_publish(&run, err);
	if (rc != CPS_OK)
		cps_import_abort(&run);
	cps_store_bulk(s, 0);
	cps_store_defer_checkpoints(s, 0);
	return rc;
}

static enum cps_err import_file(struct cps_engine *e, const char *path,
				const char *actor, int wait_ms,
				struct cps_catalog_report *report,
				struct cps_error *err)
{
	struct cps_csv_column cols[NCOLS] = {
		[COL_MODEL] = { .name = "model", .required = 1 },
		[COL_CATEGORY] = { .name = "category", .required = 1 },
		[COL_POINTS] = { .name = "points", .required = 1 },
		[COL_YEAR] = { .name = "release_year", .required = 1 },
		[COL_PATTERN] = { .name = "serial_pattern", .required = 1 },
	};
	struct cps_catalog_report dummy;
	struct cps_catalog_report *rep = report ? report : &dummy;
	struct import im = { 0 };
	struct cps_csv_row row;
	struct cps_error e1;
	struct cps_ymd today;
	enum cps_err rc;

	memset(rep, 0, sizeof(*rep));
	im.actor = actor;
	if (cps_ymd_from_time(cps_engine_now(e), &today) != CPS_OK)
		today.y = 2000;
	im.max_year = today.y + 1;
	rc = cps_csv_open(&im.csv, path, CPS_CSV_COMMENTS, err);
	if (rc != CPS_OK)
		return rc;
	im.problems.csv = im.csv;
	rc = cps_csv_header(im.csv, cols, NCOLS, &e1);
	if (rc == CPS_ERR_INVALID) {
		cps_csv_problem_keep(&im.problems, 0, e1.msg);
	} else if (rc != CPS_OK) {
		if (err)
			*err = e1;
		import_free(&im);
		return rc;
	} else {
		char last[CPS_ERROR_MAX] = "";
		while ((rc = cps_csv_next(im.csv, &row, &e1)) != CPS_CSV_END) {
			if (rc == CPS_OK) {
				check_row(&im, &row, cols);
			} else if (rc == CPS_ERR_INVALID) {
				/* a final error repeats itself word for word */
				if (strcmp(last, e1.msg) == 0)
					break;
				snprintf(last, sizeof(last), "%s", e1.msg);
				cps_csv_problem_msg(&im.problems, e1.msg);
			} else {
				if (err)
					*err = e1;
				import_free(&im);
				return rc;
			}
			if (im.nomem || im.problems.nomem)
				break;
		}
		index_models(&im);
		if (im.nrows == 0 && im.problems.found == 0)
			cps_csv_problem(&im.problems, 0, "%s", _("the file lists no models"));
	}
	if (im.nomem || im.problems.nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	else if (im.problems.found > 0)
		rc = refuse(&im, report, err);
	else
		rc = apply(e, &im, rep, wait_ms, err);
	if (rc != CPS_OK) {
		rep->added = rep->updated = rep->unchanged = rep->retired = 0;
	}
	import_free(&im);
	if (!report)
		cps_catalog_report_free(&dummy);
	return rc;
}

enum cps_err cps_catalog_import(struct cps_engine *e, const char *path,
				struct cps_catalog_report *report,
				struct cps_error *err)
{
	return import_file(e, path, NULL, 0, report, err);
}

enum cps_err cps_catalog_import_as(struct cps_engine *e, const char *path,
				   const char *staff_name,
				   struct cps_catalog_report *report,
				   struct cps_error *err)
{
	enum cps_err rc = cps_audit_need_staff(staff_name, err);

	if (rc != CPS_OK) {
		if (report)
			memset(report, 0, sizeof(*report));
		return rc;
	}
	return import_file(e, path, staff_name, 0, report, err);
}

enum cps_err cps_catalog_load_default(struct cps_engine *e, struct cps_error *err)
{
	int any;
	enum cps_err rc = cps_store_catalog_any(e->store, &any, err);

	if (rc != CPS_OK || any)
		return rc;
	size_t len = strlen(e->cfg->assets_dir) + sizeof("/catalog.csv");
	char *path = malloc(len);
	if (!path)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	snprintf(path, len, "%s/catalog.csv", e->cfg->assets_dir);
	/* another process starting on the same new database may be loading
	 * it right now: its import is waited for, then nothing is left to do */
	rc = import_file(e, path, NULL, DEFAULT_WAIT_MS, NULL, err);
	if (rc == CPS_ERR_IO)
		cps_error_prefix(err, "%s", _("the product catalog is missing (check general.assets_dir)"));
	else if (rc != CPS_OK)
		cps_error_prefix(err, "%s", _("the product catalog cannot be loaded"));
	free(path);
	return rc;
}

/* --- reading -------------------------------------------------------- */

enum cps_err cps_catalog_count(struct cps_engine *e, int active_only,
			       size_t *count, struct cps_error *err)
{
	return cps_store_catalog_count(e->store, active_only, count, err);
}

enum cps_err cps_catalog_get(struct cps_engine *e, long long id,
			     struct cps_catalog_item *out, struct cps_error *err)
{
	return cps_store_catalog_get(e->store, id, out, err);
}

enum cps_err cps_catalog_get_model(struct cps_engine *e, const char *model,
				   struct cps_catalog_item *out,
				   struct cps_error *err)
{
	char clean[CPS_MODEL_SIZE];

	/* the name as the import stores it: trimmed, single spaces */
	snprintf(clean, sizeof(clean), "%s", model ? model : "");
	return cps_store_catalog_get_model(e->store, trim(clean, 1), out, err);
}

/* --- search --------------------------------------------------------- */

/* The type-ahead runs per key over every active model, so their folded
 * names stay in memory (one block of text) instead of being read from the
 * table per key, with the rest of each row for the few shown.  They are
 * read again when an import changed the catalog (the meta values it
 * writes), here or in another process. */
struct name {
	long long id;
	size_t key, model, pattern;  /* offsets into text */
	size_t model_len;
	enum cps_category category;
	int points, release_year;
};

struct cps_catalog_names {
	char stamp[2 * CPS_STORE_META_MAX];
	struct name *v;
	size_t n, cap;
	char *text;
	size_t used, size;
	int nomem;
};

void cps_catalog_names_free(struct cps_catalog_names *n)
{
	if (!n)
		return;
	free(n->v);
	free(n->text);
	free(n);
}

static size_t names_text(struct cps_catalog_names *n, const char *t)
{
	size_t len = strlen(t) + 1, at = n->used;

	if (n->used + len > n->size) {
		size_t size = n->size ? n->size * 2 : 16384;
		while (size < n->used + len)
			size *= 2;
		char *v = realloc(n->text, size);
		if (!v) {
			n->nomem = 1;
			return 0;
		}
		n->text = v;
		n->size = size;
	}
	memcpy(n->text + at, t, len);
	n->used += len;
	return at;
}

static int add_name(const struct cps_catalog_item *item, void *arg)
{
	struct cps_catalog_names *n = arg;
	char key[CPS_MODEL_SIZE * 2];

	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 256;
		struct name *v = realloc(n->v, cap * sizeof(*v));
		if (!v) {
			n->nomem = 1;
			return 1;
		}
		n->v = v;
		n->cap = cap;
	}
	struct name *x = &n->v[n->n];
	x->id = item->id;
	/* folding never lengthens a name: the buffer only guards it */
	cps_catalog_fold(item->model, key, sizeof(key));
	x->key = names_text(n, key);
	x->model = names_text(n, item->model);
	x->pattern = names_text(n, item->serial_pattern);
	x->model_len = strlen(item->model);
	x->category = item->category;
	x->points = item->points;
	x->release_year = item->release_year;
	if (n->nomem)
		return 1;
	n->n++;
	return 0;
}

/* What the last import left in meta: the names are current while it is
 * the same. */
static enum cps_err catalog_stamp(struct cps_store *s, char *out, size_t len,
				  struct cps_error *err)
{
	char at[CPS_STORE_META_MAX], gen[CPS_STORE_META_MAX];
	enum cps_err rc = cps_store_meta_get(s, "catalog_imported_at", at, sizeof(at), err);

	if (rc == CPS_ERR_NOT_FOUND)
		at[0] = '\0';
	else if (rc != CPS_OK)
		return rc;
	rc = cps_store_meta_get(s, CATALOG_GENERATION, gen, sizeof(gen), err);
	if (rc == CPS_ERR_NOT_FOUND)
		gen[0] = '\0';
	else if (rc != CPS_OK)
		return rc;
	snprintf(out, len, "%s|%s", at, gen);
	return CPS_OK;
}

/* The names of the active models as the catalog now has them. */
static enum cps_err current_names(struct cps_engine *e, struct cps_catalog_names **out,
				  struct cps_error *err)
{
	char stamp[2 * CPS_STORE_META_MAX];
	struct cps_catalog_names *n;
	enum cps_err rc;

	/* the stamp before the names: an import in between leaves newer
	 * names under an older stamp, read again at the next key, never the
	 * other way round */
	rc = catalog_stamp(e->store, stamp, sizeof(stamp), err);
	if (rc != CPS_OK)
		return rc;
	if (e->catalog_names && strcmp(e->catalog_names->stamp, stamp) == 0) {
		*out = e->catalog_names;
		return CPS_OK;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	rc = cps_store_catalog_each_active(e->store, add_name, n, err);
	if (rc == CPS_OK && n->nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (rc != CPS_OK) {
		cps_catalog_names_free(n);
		return rc;
	}
	snprintf(n->stamp, sizeof(n->stamp), "%s", stamp);
	cps_catalog_names_free(e->catalog_names);
	e->catalog_names = n;
	*out = n;
	return CPS_OK;
}

struct candidate {
	const struct name *name;
	int prefix;        /* the whole query starts the name */
	int exact;         /* query words that are whole words of the name */
};

/* A byte that belongs to a word: ASCII letters and digits, and any byte
 * of a non-ASCII character. */
static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* 0: word does not start a word of key; 1: it starts one; 2: it is one. */
static int word_match(const char *key, const char *word)
{
	size_t wl = strlen(word);
	int best = 0;

	for (const char *p = strstr(key, word); p; p = strstr(p + 1, word)) {
		if (p != key && word_byte((unsigned char)p[-1]) &&
		    word_byte((unsigned char)word[0]))
			continue;
		if (!word_byte((unsigned char)p[wl]) || !word_byte((unsigned char)word[wl - 1]))
			return 2;
		best = 1;
	}
	return best;
}

/* Ranks the candidates: the whole query at the start, then more whole
 * words, then the shorter name, then the name (model names are unique). */
static int cmp_candidate(const struct cps_catalog_names *n, const struct candidate *x,
			 const struct candidate *y)
{
	if (x->prefix != y->prefix)
		return y->prefix - x->prefix;
	if (x->exact != y->exact)
		return y->exact - x->exact;
	if (x->name->model_len != y->name->model_len)
		return x->name->model_len < y->name->model_len ? -1 : 1;
	return strcmp(n->text + x->name->model, n->text + y->name->model);
}

enum cps_err cps_catalog_search(struct cps_engine *e, const char *query,
				struct cps_catalog_item *results, size_t max,
				size_t *n, struct cps_error *err)
{
	char folded[MAX_QUERY], words[MAX_QUERY];
	char *word[MAX_QUERY_WORDS];
	size_t nwords = 0, qlen, kept = 0;
	struct cps_catalog_names *names = NULL;
	struct candidate *top;
	enum cps_err rc;

	*n = 0;
	if (cps_catalog_fold(query, folded, sizeof(folded)) >= sizeof(folded) ||
	    !folded[0] || max == 0)
		return CPS_OK;
	memcpy(words, folded, sizeof(words));
	char *save = NULL;
	for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (nwords == MAX_QUERY_WORDS)
			return CPS_OK;
		word[nwords++] = w;
	}
	if (nwords == 0)
		return CPS_OK;
	rc = current_names(e, &names, err);
	if (rc != CPS_OK)
		return rc;
	if (max > names->n)
		max = names->n ? names->n : 1;
	top = malloc(max * sizeof(*top));
	if (!top)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	qlen = strlen(folded);
	/* the best max so far, best first: no sort of every match */
	for (size_t i = 0; i < names->n; i++) {
		const char *key = names->text + names->v[i].key;
		struct candidate c = { .name = &names->v[i] };
		size_t w;

		for (w = 0; w < nwords; w++) {
			int m = word_match(key, word[w]);
			if (m == 0)
				break;
			c.exact += m == 2;
		}
		if (w < nwords)
			continue;
		c.prefix = strncmp(key, folded, qlen) == 0;
		if (kept == max && cmp_candidate(names, &c, &top[kept - 1]) >= 0)
			continue;
		size_t at = kept < max ? kept++ : max - 1;
		while (at > 0 && cmp_candidate(names, &c, &top[at - 1]) < 0) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = c;
	}
	for (size_t i = 0; i < kept; i++) {
		const struct name *x = top[i].name;
		struct cps_catalog_item *it = &results[i];

		memset(it, 0, sizeof(*it));
		it->id = x->id;
		snprintf(it->model, sizeof(it->model), "%s", names->text + x->model);
		it->category = x->category;
		it->points = x->points;
		it->release_year = x->release_year;
		snprintf(it->serial_pattern, sizeof(it->serial_pattern), "%s",
			 names->text + x->pattern);
		it->active = 1;
	}
	free(top);
	*n = kept;
	return CPS_OK;
}
