/* legacy.c - importing the export of the old CPS system, and looking up
 * old accounts and their products for the migration (see
 * include/cpsreg/legacy.h for the file format and the rules).
 *
 * The import reads the whole file first and checks every row on its own,
 * then the rows against each other (one member number per e-mail, one
 * e-mail per member number, one product per model and serial), then,
 * under the import's claim, against what earlier imports stored.  Only
 * when nothing at all is wrong does it write (in batches, seen all at
 * once at the end: src/import.c), so a refused file changes nothing and
 * staff get the complete list of problems in one go. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/csv.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "cpsreg/legacy.h"
#include "cpsreg/text.h"
#include "cpsreg/workdays.h"
#include "audit.h"
#include "engine_private.h"
#include "import.h"
#include "store_legacy.h"

/* How much of a bad value a message quotes. */
#define SHOWN_MAX 60

enum col { C_EMAIL, C_MEMBER, C_NAME, C_MODEL, C_SERIAL, C_DATE, C_COUNTRY, C_DEALER, NCOLS };

struct cat_entry {
	long long id;
	char *model;
	int release_year;
};

/* A row is ten 32-bit numbers: its texts are offsets into the import's
 * one text buffer (0: none), its model the index of its catalog entry
 * plus one.  Memory the import touches for the first time costs a page
 * fault per 4 KB, and at 100,000 rows every byte of a row is 100 KB of
 * it (README, Performance): a row of pointers and longs was 112 bytes. */
struct row {
	uint32_t line;
	uint32_t email;     /* normalised */
	uint32_t member;
	uint32_t name;      /* 0 when empty */
	uint32_t cat;       /* catalog entry + 1; 0: the row names an account only */
	uint32_t serial;    /* 0 when missing, as the details below */
	uint32_t date;
	uint32_t country;
	uint32_t dealer;
	uint32_t acct;      /* index into struct import.accts (while the rows
			     * are grouped: the next row of the same e-mail) */
};

/* The first size of the text buffer, which doubles as it fills (a large
 * buffer grows by remapping its pages, not by copying them). */
#define TEXT_FIRST (64 * 1024)

/* A row that repeats an earlier one's model and serial (prev: the
 * latest such earlier row). */
struct dup {
	uint32_t row, prev;
};

struct acct {
	long long id;       /* stored account, 0 when new */
	uint32_t first;     /* the earliest row of the e-mail */
	uint32_t name;      /* the first name given, or 0 (while the rows
			     * are grouped: the latest row of the e-mail) */
};

/* What the catalog lookup and the date rule answered for a text seen
 * before: an export names the same few models and dates on row after
 * row, and a lookup of each (a binary search comparing ignoring case; a
 * date parsed, compared with the model's year and today, and written
 * out) cost more than all the other checks of a row together.  Kept in
 * MEMO_SLOTS slots by a hash of the text, a newer text taking the slot
 * of an older one; texts longer than a slot holds are not kept. */
#define MEMO_SLOTS 64

struct model_memo {
	char text[64];                     /* as in the file, squeezed ("": none) */
	const struct cat_entry *ce;        /* NULL: not in the catalog */
};

struct date_memo {
	char text[32];                     /* as in the file ("": none) */
	int year;                          /* the model's release year (0: none) */
	char out[CPS_DATE_SIZE];           /* as stored */
};

struct import {
	struct cps_engine *e;
	struct cps_csv *csv;
	struct cps_legacy_report *rep;
	struct cat_entry *cat;
	size_t ncat, capcat;
	struct row *rows;
	size_t nrows, caprows;
	size_t email_runs;   /* good rows whose e-mail is not the previous
			      * good row's: at least the accounts */
	size_t nserials;     /* good rows with a serial number */
	uint32_t last_email; /* the previous good row's e-mail */
	struct acct *accts;
	size_t naccts;
	struct dup *dups;    /* rows that repeat a model and serial */
	size_t ndups, capdups;
	uint32_t *slot;      /* the hash tables' slots, used again */
	size_t nslots;
	long long *existing; /* per row: the stored product with its serial ... */
	unsigned char *same; /* ... and whether it has the same details; */
	unsigned char *rename; /* per account; these three only when the
				* store holds old accounts or products */
	struct cps_csv_problems problems;  /* the first CPS_LEGACY_MAX_ERRORS */
	char *text;                        /* every row's texts (offset 0: none) */
	size_t text_len, text_cap;
	char *scratch[NCOLS];              /* a field of the row being read ... */
	size_t scratch_cap[NCOLS];         /* ... reused row after row */
	uint32_t prev[NCOLS];              /* the previous good row's values */
	char *email_raw;                   /* the e-mail as the previous row */
	size_t email_raw_cap;              /* that passed wrote it, and ... */
	uint32_t email_norm;               /* ... what it became (0: none) */
	struct model_memo models[MEMO_SLOTS];
	struct date_memo dates[MEMO_SLOTS];
	int nomem;
	const char *actor;   /* staff who import: audited; NULL: not */
	int stored_accts;    /* the store holds old accounts ... */
	int stored_products; /* ... and old products (of any generation) */
};

/* --- small helpers ---------------------------------------------------- */

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Compares like SQLite's NOCASE: ASCII letters without regard to case,
 * everything else byte by byte, whatever the locale. */
static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca == cb) {
			if (!ca)
				return 0;
			continue;   /* equal bytes fold alike */
		}
		ca = ascii_lower(ca);
		cb = ascii_lower(cb);
		if (ca != cb)
			return ca - cb;
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A control character as the engine's one policy has them (C0, DEL, C1
 * and the bidi controls: cps_text_find_control): its code point, or 0;
 * the CSV reader has already checked the UTF-8.  Of ASCII, where most
 * of a name or dealer is, the policy has C0 and DEL only: those bytes are
 * looked at here, without decoding them one by one. */
static uint32_t has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp = 0;
	size_t n;

	for (; *p && *p < 0x80; p++)
		if (*p < 0x20 || *p == 0x7f)
			return *p;
	n = strlen((const char *)p);
	return cps_text_find_control((const char *)p, n, &cp) < n ? cp : 0;
}

/* A value for a message: through the engine's one sanitiser, cut at
 * SHOWN_MAX bytes on a character boundary (the dots and NUL fit). */
static const char *shown(const char *v, char buf[SHOWN_MAX + 4])
{
	return cps_text_quote(v, buf, SHOWN_MAX + 4, CPS_TEXT_LINE);
}

/* Collapses every run of white space into one space (in place). */
static void squeeze(char *s)
{
	char *o = s;

	for (const char *p = s; *p; p++) {
		if (is_blank(*p)) {
			if (o > s && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	if (o > s && o[-1] == ' ')
		o--;
	*o = '\0';
}

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 64;
	void *nv = realloc(v, c * size);
	if (nv)
		*cap = c;
	return nv;
}

/* A copy of the n bytes at s (and a NUL) in the import's text: its
 * offset, or 0 when out of memory (or past the 4 GB offsets reach). */
static uint32_t text_put(struct import *im, const char *s, size_t n)
{
	if (im->text_len >= UINT32_MAX - 1 || n >= UINT32_MAX - im->text_len - 1) {
		im->nomem = 1;
		return 0;
	}
	if (im->text_cap - im->text_len < n + 2) {
		size_t cap = im->text_cap ? im->text_cap : TEXT_FIRST;
		while (cap - im->text_len < n + 2) {
			if (cap > SIZE_MAX / 2) {
				im->nomem = 1;
				return 0;
			}
			cap *= 2;
		}
		char *t = realloc(im->text, cap);
		if (!t) {
			im->nomem = 1;
			return 0;
		}
		if (!im->text) {
			t[0] = '\0';   /* offset 0 is no text */
			im->text_len = 1;
		}
		im->text = t;
		im->text_cap = cap;
	}
	uint32_t off = (uint32_t)im->text_len;
	memcpy(im->text + off, s, n);
	im->text[off + n] = '\0';
	im->text_len += n + 1;
	return off;
}

/* The text at offset off, or NULL for 0. */
static const char *txt(const struct import *im, uint32_t off)
{
	return off ? im->text + off : NULL;
}

/* The catalog entry of a row with a model. */
static const struct cat_entry *cat_of(const struct import *im, const struct row *r)
{
	return &im->cat[r->cat - 1];
}

static long long catalog_id(const struct import *im, const struct row *r)
{
	return r->cat ? cat_of(im, r)->id : 0;
}

/* The value s of column col for a good row: 0 when empty, the previous
 * good row's copy when it is the same (rows of one account repeat most
 * of their values), else a new copy. */
static uint32_t keep(struct import *im, int col, const char *s)
{
	uint32_t t;

	if (!s || !*s)
		return 0;
	if (im->prev[col] && strcmp(im->text + im->prev[col], s) == 0)
		return im->prev[col];
	t = text_put(im, s, strlen(s));
	if (t)
		im->prev[col] = t;
	return t;
}

/* --- the report -------------------------------------------------------- */

/* Hands the kept problems to the report, in the order of the file. */
static void report_errors(struct import *im)
{
	struct cps_legacy_report *r = im->rep;

	r->nerrors = im->problems.found;
	r->errors = cps_csv_problems_take(&im->problems, 0, &r->nkept);
	if (im->problems.nomem)
		im->nomem = 1;
}

void cps_legacy_report_free(struct cps_legacy_report *report)
{
	if (!report)
		return;
	for (size_t i = 0; i < report->nkept; i++)
		free(report->errors[i]);
	free(report->errors);
	memset(report, 0, sizeof(*report));
}

/* --- the catalog ------------------------------------------------------- */

static int cat_add(long long id, const char *model, int release_year, void *arg)
{
	struct import *im = arg;
	struct cat_entry *v = grow(im->cat, &im->capcat, im->ncat, sizeof(*v));

	if (!v) {
		im->nomem = 1;
		return 1;
	}
	im->cat = v;
	v[im->ncat].model = strdup(model);
	if (!v[im->ncat].model) {
		im->nomem = 1;
		return 1;
	}
	v[im->ncat].id = id;
	v[im->ncat].release_year = release_year;
	im->ncat++;
	return 0;
}

static int cat_cmp(const void *a, const void *b)
{
	return ascii_casecmp(((const struct cat_entry *)a)->model,
			     ((const struct cat_entry *)b)->model);
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* FNV-1a */
static uint64_t hash_text(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return h;
}

static const struct cat_entry *cat_find(const struct import *im, const char *model)
{
	struct cat_entry key = { .model = (char *)model };

	if (!im->ncat)
		return NULL;
	return bsearch(&key, im->cat, im->ncat, sizeof(*im->cat), cat_cmp);
}

/* cat_find(), answered again from the memo for a text seen before: the
 * same answer, as the catalog does not change during the import. */
static const struct cat_entry *cat_find_memo(struct import *im, const char *model)
{
	struct model_memo *m = &im->models[hash_text(FNV_OFFSET, model) % MEMO_SLOTS];
	const struct cat_entry *ce;

	if (m->text[0] && strcmp(m->text, model) == 0)
		return m->ce;
	ce = cat_find(im, model);
	if (strlen(model) < sizeof(m->text)) {
		strcpy(m->text, model);
		m->ce = ce;
	}
	return ce;
}

/* --- one row on its own -------------------------------------------------- */

static int member_ok(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > CPS_LEGACY_MEMBER_MAX)
		return 0;
	for (const char *p = m; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '/'))
			return 0;
	return 1;
}

/* The outcome rc of a product rule on a value of one row: 1 when it
 * holds; otherwise the rule's own message (e), after what the value is
 * (a msgid, translated only then: most rows hold), goes to the report,
 * through the sanitiser as it quotes the file. */
static int check_product_rule(struct import *im, unsigned long line,
			      const char *what, enum cps_err rc,
			      const struct cps_error *e)
{
	char msg[CPS_ERROR_MAX];

	if (rc == CPS_OK)
		return 1;
	cps_text_quote(e->msg, msg, sizeof(msg), CPS_TEXT_LINE);
	cps_csv_problem(&im->problems, line, _("%s is not valid: %s"), _(what), msg);
	return 0;
}

/* Whether v is the previous good row's value of column col (which
 * passed every check of its own). */
static int same_as_prev(const struct import *im, int col, const char *v)
{
	return im->prev[col] && strcmp(im->text + im->prev[col], v) == 0;
}

/* Field i of rec: without leading and trailing white space, in NFC
 * (README, rules 2.1: a name or a model written decomposed is the same
 * text as typed), in the column's scratch buffer; NULL when out of
 * memory. */
static char *field(struct import *im, const struct cps_csv_row *rec,
		   const struct cps_csv_column *col, int i)
{
	const char *s = cps_csv_get(rec, col);
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	if (n > (SIZE_MAX - 1) / 3) {
		im->nomem = 1;
		return NULL;
	}
	if (CPS_TEXT_NFC_SIZE(n) > im->scratch_cap[i]) {
		size_t cap = CPS_TEXT_NFC_SIZE(n) < 256 ? 256 : CPS_TEXT_NFC_SIZE(n);
		char *b = realloc(im->scratch[i], cap);
		if (!b) {
			im->nomem = 1;
			return NULL;
		}
		im->scratch[i] = b;
		im->scratch_cap[i] = cap;
	}
	/* ASCII, most of an export, is its own NFC: copied without setting
	 * up the normaliser for each field (the reader says when the whole
	 * record is) */
	size_t k = 0;
	while (!rec->ascii && k < n && (unsigned char)s[k] < 0x80)
		k++;
	if (rec->ascii || k == n) {
		memcpy(im->scratch[i], s, n);
		im->scratch[i][n] = '\0';
	} else {
		cps_text_nfc(s, n, im->scratch[i]);
	}
	return im->scratch[i];
}

/* The e-mail of a row, normalised (r->email); 1 when it is valid.  Rows
 * of one account follow each other with the same e-mail: the previous
 * good one's answer is taken again (the rule depends on the text alone).
 * No folded copy is kept: the rows are grouped by comparing ignoring
 * ASCII case, and most e-mails would be kept twice for nothing. */
static int row_email(struct import *im, const char *raw, struct row *r,
		     struct cps_error *e)
{
	char email[CPS_EMAIL_MAX];
	size_t k;

	if (im->email_norm && strcmp(raw, im->email_raw) == 0) {
		r->email = im->email_norm;
		return 1;
	}
	if (cps_ident_email(raw, email, sizeof(email), e) != CPS_OK)
		return 0;
	r->email = text_put(im, email, strlen(email));
	k = strlen(raw) + 1;
	if (k > im->email_raw_cap) {
		char *b = realloc(im->email_raw, k);
		if (!b) {
			im->nomem = 1;
			im->email_norm = 0;
			return 1;
		}
		im->email_raw = b;
		im->email_raw_cap = k;
	}
	memcpy(im->email_raw, raw, k);
	im->email_norm = r->email;
	return 1;
}

/* Checks one record; 1 when it is good (then r is filled in), 0 when it
 * is not (the problems are recorded). */
static int check_row(struct import *im, const struct cps_csv_row *rec,
		     const struct cps_csv_column *cols, struct row *r)
{
	char *v[NCOLS];
	char sh[SHOWN_MAX + 4];
	char serial[CPS_SERIAL_SIZE], date[CPS_DATE_SIZE];
	const char *serial_v = NULL, *date_v = NULL;
	struct cps_error e;
	const struct cat_entry *ce = NULL;
	int ok = 1;
	unsigned long line = rec->line;

	memset(r, 0, sizeof(*r));
	r->line = (uint32_t)line;   /* read_rows() refuses a larger one */
	for (int i = 0; i < NCOLS; i++)
		if (!(v[i] = field(im, rec, &cols[i], i)))
			return 0;

	/* e-mail */
	if (!*v[C_EMAIL]) {
		cps_csv_problem(&im->problems, line, "%s", _("the e-mail address is missing"));
		ok = 0;
	} else if (!row_email(im, v[C_EMAIL], r, &e)) {
		cps_csv_problem(&im->problems, line, _("the e-mail address \"%s\" is not valid: %s"),
			shown(v[C_EMAIL], sh), e.msg);
		ok = 0;
	}

	/* member number */
	if (!*v[C_MEMBER]) {
		cps_csv_problem(&im->problems, line, "%s", _("the member number is missing"));
		ok = 0;
	} else if (!member_ok(v[C_MEMBER])) {
		cps_csv_problem(&im->problems, line,
			_("the member number \"%s\" is not valid: use letters, digits, '-', '.' and '/', at most %d characters"),
			shown(v[C_MEMBER], sh), CPS_LEGACY_MEMBER_MAX);
		ok = 0;
	}

	/* name; a line break in a quoted field is only layout; the
	 * previous good row's name (its account's, mostly) passed already */
	squeeze(v[C_NAME]);
	uint32_t bad;
	if (same_as_prev(im, C_NAME, v[C_NAME])) {
		/* good */
	} else if ((bad = has_control(v[C_NAME])) != 0) {
		cps_csv_problem(&im->problems, line, _("the name contains a control character (U+%04X)"),
				(unsigned)bad);
		ok = 0;
	} else if (strlen(v[C_NAME]) > CPS_LEGACY_NAME_MAX) {
		cps_csv_problem(&im->problems, line, _("the name is longer than %d bytes"), CPS_LEGACY_NAME_MAX);
		ok = 0;
	}

	/* model, or an account without products */
	squeeze(v[C_MODEL]);
	if (!*v[C_MODEL]) {
		if (*v[C_SERIAL] || *v[C_DATE] || *v[C_COUNTRY] || *v[C_DEALER]) {
			cps_csv_problem(&im->problems, line, "%s",
				_("the model is missing: a row without a model names an old account only, so serial, purchase_date, purchase_country and dealer must be empty too"));
			ok = 0;
		}
		goto done;
	}
	ce = cat_find_memo(im, v[C_MODEL]);
	if (!ce) {
		cps_csv_problem(&im->problems, line,
			_("the model \"%s\" is not in the product catalog; write it as the catalog does"),
			shown(v[C_MODEL], sh));
		ok = 0;
	} else {
		r->cat = (uint32_t)(ce - im->cat) + 1;
	}

	/* serial number and purchase date: the product rules, as in the
	 * wizard (README, rules 4.3 and 4.4), so that what one accepts the other
	 * does */
	if (!check_product_rule(im, line, N_("the serial number"),
				cps_serial_normalise(v[C_SERIAL], serial, sizeof(serial), &e), &e))
		ok = 0;
	else
		serial_v = serial;
	int year = ce ? ce->release_year : 0;
	struct date_memo *dm = &im->dates[(hash_text(FNV_OFFSET, v[C_DATE]) ^ (unsigned)year) %
					  MEMO_SLOTS];
	if (*v[C_DATE] && dm->text[0] && dm->year == year && strcmp(v[C_DATE], dm->text) == 0) {
		/* as a good row's before: a date not in the future stays so
		 * as the clock goes on, and the release year is the same */
		date_v = dm->out;
	} else if (*v[C_DATE]) {
		enum cps_date_precision prec;
		if (!check_product_rule(im, line, N_("the purchase date"),
					cps_purchase_date_check(im->e, year,
								v[C_DATE], date, sizeof(date), &prec, &e),
					&e))
			ok = 0;
		else
			date_v = date;
		if (date_v && strlen(v[C_DATE]) < sizeof(dm->text)) {
			strcpy(dm->text, v[C_DATE]);
			dm->year = year;
			strcpy(dm->out, date);
		}
	}

	/* country of purchase */
	if (*v[C_COUNTRY]) {
		char *c = v[C_COUNTRY];
		if (strlen(c) != 2 || !((ascii_lower(c[0]) >= 'a' && ascii_lower(c[0]) <= 'z') &&
					(ascii_lower(c[1]) >= 'a' && ascii_lower(c[1]) <= 'z'))) {
			cps_csv_problem(&im->problems, line,
				_("the country of purchase \"%s\" is not a two-letter country code such as DK or NO"),
				shown(c, sh));
			ok = 0;
		} else {
			c[0] = (char)(ascii_lower(c[0]) - ('a' - 'A'));
			c[1] = (char)(ascii_lower(c[1]) - ('a' - 'A'));
		}
	}

	/* dealer */
	squeeze(v[C_DEALER]);
	if (same_as_prev(im, C_DEALER, v[C_DEALER])) {
		/* good */
	} else if ((bad = has_control(v[C_DEALER])) != 0) {
		cps_csv_problem(&im->problems, line, _("the dealer contains a control character (U+%04X)"),
				(unsigned)bad);
		ok = 0;
	} else if (strlen(v[C_DEALER]) > CPS_LEGACY_DEALER_MAX) {
		cps_csv_problem(&im->problems, line, _("the dealer is longer than %d bytes"), CPS_LEGACY_DEALER_MAX);
		ok = 0;
	}

done:
	if (!ok || im->nomem) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	r->member = keep(im, C_MEMBER, v[C_MEMBER]);
	r->name = keep(im, C_NAME, v[C_NAME]);
	r->serial = keep(im, C_SERIAL, serial_v);
	r->date = keep(im, C_DATE, date_v);
	r->country = keep(im, C_COUNTRY, v[C_COUNTRY]);
	r->dealer = keep(im, C_DEALER, v[C_DEALER]);
	if (im->nomem) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (r->email != im->last_email)
		im->email_runs++;
	im->last_email = r->email;
	if (r->serial)
		im->nserials++;
	return 1;
}

/* --- the rows against each other --------------------------------------- */

/* The rows are matched with each other through a hash table of row
 * numbers (one pass, a few bytes a row) rather than sorted: the sorts
 * of 100,000 rows chased pointers all over memory.  What is found is
 * then put in the order the sorts gave (by e-mail; by model and serial),
 * so that the problems come in the same order, and the same ones are
 * kept when there are more than the report holds. */

#define NO_ROW UINT32_MAX

/* ... of the text with ASCII letters lowered (as NOCASE compares) */
static uint64_t hash_folded(const char *s)
{
	uint64_t h = FNV_OFFSET;

	for (; *s; s++)
		h = (h ^ (unsigned)ascii_lower((unsigned char)*s)) * FNV_PRIME;
	return h;
}

/* The slots of a table for n entries (2^k of them, at most half full),
 * all empty; NULL when out of memory.  The import's tables take turns
 * in one allocation, made once for the largest (fresh memory is a page
 * fault per 4 KB: one freed and allocated again is faulted in again). */
static uint32_t *slots(struct import *im, size_t n, size_t *mask)
{
	size_t cap = 16;

	while (cap < 2 * n && cap < SIZE_MAX / 8)
		cap *= 2;
	if (cap > im->nslots) {
		size_t most = im->email_runs > im->nserials ? im->email_runs : im->nserials;
		size_t all = cap;

		while (all < 2 * most && all < SIZE_MAX / 8)
			all *= 2;
		free(im->slot);
		im->slot = malloc(all * sizeof(*im->slot));
		im->nslots = im->slot ? all : 0;
		if (!im->slot)
			return NULL;
	}
	*mask = cap - 1;
	memset(im->slot, 0, cap * sizeof(*im->slot));
	return im->slot;
}

/* Sorts the n numbers at v (rows, accounts, ...) in the order cmp gives
 * them, with room for n more at tmp: a merge sort.  Not qsort(): its
 * comparison gets no argument (the rows hold offsets, not texts), and
 * glibc's copies the array into fresh memory of its own each time (a
 * page fault per 4 KB).  Every order here ends with the line, so any
 * sort gives the same one. */
static void sort_u32(uint32_t *v, uint32_t *tmp, size_t n, const struct import *im,
		     int (*cmp)(const struct import *im, uint32_t a, uint32_t b))
{
	uint32_t *from = v, *to = tmp;

	for (size_t w = 1; w < n; w = w > n / 2 ? n : 2 * w) {
		for (size_t lo = 0, mid, hi; lo < n; lo = hi) {
			size_t i = lo, j, k = lo;

			mid = n - lo > w ? lo + w : n;
			hi = n - mid > w ? mid + w : n;
			for (j = mid; i < mid && j < hi;)
				to[k++] = cmp(im, from[j], from[i]) < 0 ? from[j++] : from[i++];
			while (i < mid)
				to[k++] = from[i++];
			while (j < hi)
				to[k++] = from[j++];
		}
		uint32_t *t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}

/* Accounts by e-mail (ignoring ASCII case). */
static int by_email(const struct import *im, uint32_t a, uint32_t b)
{
	return ascii_casecmp(txt(im, im->rows[im->accts[a].first].email),
			     txt(im, im->rows[im->accts[b].first].email));
}

/* Duplicates (their indexes in im->dups) by model and serial. */
static int by_serial(const struct import *im, uint32_t a, uint32_t b)
{
	const struct row *x = &im->rows[im->dups[a].row];
	const struct row *y = &im->rows[im->dups[b].row];
	long long cx = catalog_id(im, x), cy = catalog_id(im, y);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	int c = strcmp(txt(im, x->serial), txt(im, y->serial));
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Accounts by member number. */
static int by_member(const struct import *im, uint32_t a, uint32_t b)
{
	const struct row *x = &im->rows[im->accts[a].first];
	const struct row *y = &im->rows[im->accts[b].first];
	int c = strcmp(txt(im, x->member), txt(im, y->member));

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int optcmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* The same details: equal offsets are the same text (most are shared
 * with the previous row), else the texts are compared. */
static int optcmp_at(const struct import *im, uint32_t a, uint32_t b)
{
	return a == b ? 0 : optcmp(txt(im, a), txt(im, b));
}

/* Rows of products without a serial number: the same account, model and
 * details next to each other. */
static int by_details(const struct import *im, uint32_t a, uint32_t b)
{
	const struct row *x = &im->rows[a];
	const struct row *y = &im->rows[b];
	long long cx = catalog_id(im, x), cy = catalog_id(im, y);
	int c;

	if (x->acct != y->acct)
		return x->acct < y->acct ? -1 : 1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	if ((c = optcmp_at(im, x->date, y->date)) ||
	    (c = optcmp_at(im, x->country, y->country)) ||
	    (c = optcmp_at(im, x->dealer, y->dealer)))
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int same_details(const struct import *im, const struct row *x, const struct row *y)
{
	return x->acct == y->acct && x->cat == y->cat &&
	       !optcmp_at(im, x->date, y->date) && !optcmp_at(im, x->country, y->country) &&
	       !optcmp_at(im, x->dealer, y->dealer);
}

/* Groups the rows into accounts (one per e-mail) and checks that each
 * e-mail has one member number and one name. */
static enum cps_err group_accounts(struct import *im, struct cps_error *err)
{
	uint32_t *slot;
	size_t mask, ng = 0;
	char sh[SHOWN_MAX + 4], sh2[SHOWN_MAX + 4];

	if (!im->nrows)
		return CPS_OK;
	if (im->nrows >= NO_ROW)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	/* as many accounts as e-mails, and no more than the runs of them */
	slot = slots(im, im->email_runs, &mask);
	im->accts = malloc(im->email_runs * sizeof(*im->accts));
	if (!slot || !im->accts)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	/* the rows of each e-mail (ignoring ASCII case: NOCASE), chained in
	 * line order through their acct */
	for (uint32_t i = 0; i < im->nrows; i++) {
		struct row *r = &im->rows[i];
		const char *key = txt(im, r->email);
		size_t h = (size_t)hash_folded(key) & mask;

		while (slot[h]) {
			uint32_t o = im->rows[im->accts[slot[h] - 1].first].email;
			if (o == r->email || ascii_casecmp(txt(im, o), key) == 0)
				break;
			h = (h + 1) & mask;
		}
		r->acct = NO_ROW;
		if (slot[h]) {
			struct acct *a = &im->accts[slot[h] - 1];
			im->rows[a->name].acct = i;
			a->name = i;
		} else if (ng == im->email_runs) {
			/* cannot be: every new e-mail starts a run */
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		} else {
			im->accts[ng] = (struct acct){ .first = i, .name = i };
			slot[h] = (uint32_t)++ng;
		}
	}
	/* the accounts in the order of their e-mails: their order sorted in
	 * the slots (twice as many as accounts), then each moved to its
	 * place along the cycles of that order */
	uint32_t *order = slot;
	for (uint32_t k = 0; k < ng; k++)
		order[k] = k;
	sort_u32(order, order + ng, ng, im, by_email);
	for (uint32_t k = 0; k < ng; k++) {
		struct acct t = im->accts[k];
		uint32_t j = k;

		if (order[k] == NO_ROW)
			continue;   /* in its place */
		while (order[j] != k) {
			uint32_t from = order[j];
			im->accts[j] = im->accts[from];
			order[j] = NO_ROW;
			j = from;
		}
		im->accts[j] = t;
		order[j] = NO_ROW;
	}
	for (size_t k = 0; k < ng; k++) {
		struct acct *a = &im->accts[im->naccts++];
		const struct row *f = &im->rows[a->first];
		uint32_t next;

		a->name = f->name;
		for (uint32_t i = a->first; i != NO_ROW; i = next) {
			struct row *r = &im->rows[i];

			next = r->acct;
			if (i != a->first) {
				if (strcmp(txt(im, r->member), txt(im, f->member)) != 0)
					cps_csv_problem(&im->problems, r->line,
						_("the member number \"%s\" differs from %s on line %lu for the same e-mail %s"),
						shown(txt(im, r->member), sh), txt(im, f->member),
						(unsigned long)f->line, txt(im, r->email));
				if (r->name && a->name && strcmp(txt(im, r->name), txt(im, a->name)) != 0)
					cps_csv_problem(&im->problems, r->line,
						_("the name \"%s\" differs from \"%s\" given earlier for the same e-mail %s"),
						shown(txt(im, r->name), sh), shown(txt(im, a->name), sh2),
						txt(im, r->email));
				if (!a->name)
					a->name = r->name;
			}
			r->acct = (uint32_t)(im->naccts - 1);
		}
	}
	return CPS_OK;
}

/* One e-mail per member number; one product per model and serial. */
static enum cps_err check_unique(struct import *im, struct cps_error *err)
{
	uint32_t *sorted, *slot;
	size_t mask;

	if (!im->naccts)
		return CPS_OK;
	/* the accounts by member number, in the slots grouping left (twice
	 * as many as accounts) */
	sorted = slots(im, im->naccts, &mask);
	if (!sorted)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	for (size_t i = 0; i < im->naccts; i++)
		sorted[i] = (uint32_t)i;
	sort_u32(sorted, sorted + im->naccts, im->naccts, im, by_member);
	for (size_t i = 1; i < im->naccts; i++) {
		const struct row *a = &im->rows[im->accts[sorted[i - 1]].first];
		const struct row *b = &im->rows[im->accts[sorted[i]].first];
		if (strcmp(txt(im, a->member), txt(im, b->member)) == 0)
			cps_csv_problem(&im->problems, b->line,
				_("the member number %s is also given to %s on line %lu; a member number belongs to one e-mail only"),
				txt(im, b->member), txt(im, a->email), (unsigned long)a->line);
	}
	/* each row with a serial against the latest earlier one of its
	 * model and serial */
	slot = slots(im, im->nserials, &mask);
	if (!slot)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	for (uint32_t i = 0; i < im->nrows; i++) {
		const struct row *r = &im->rows[i];
		size_t h;

		if (!r->serial)
			continue;
		h = (size_t)hash_text(FNV_OFFSET ^ (uint64_t)catalog_id(im, r),
				      txt(im, r->serial)) & mask;
		while (slot[h]) {
			const struct row *o = &im->rows[slot[h] - 1];
			if (o->cat == r->cat && (o->serial == r->serial ||
			    strcmp(txt(im, o->serial), txt(im, r->serial)) == 0))
				break;
			h = (h + 1) & mask;
		}
		if (slot[h]) {
			struct dup *d = grow(im->dups, &im->capdups, im->ndups, sizeof(*d));
			if (!d)
				return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
			im->dups = d;
			im->dups[im->ndups++] = (struct dup){ i, slot[h] - 1 };
		}
		slot[h] = i + 1;
	}
	/* in the order of model and serial, sorted in the slots (twice as
	 * many as rows with a serial, each at most one duplicate) */
	uint32_t *order = slot;
	for (uint32_t i = 0; i < im->ndups; i++)
		order[i] = i;
	sort_u32(order, order + im->ndups, im->ndups, im, by_serial);
	for (size_t i = 0; i < im->ndups; i++) {
		const struct dup *d = &im->dups[order[i]];
		const struct row *r = &im->rows[d->row];
		cps_csv_problem(&im->problems, r->line,
			_("%s with the serial number %s is also on line %lu; a product can be registered once only"),
			cat_of(im, r)->model, txt(im, r->serial),
			(unsigned long)im->rows[d->prev].line);
	}
	return CPS_OK;
}

/* --- the rows against the store ------------------------------------------ */

static enum cps_err check_stored(struct import *im, struct cps_error *err)
{
	struct cps_store *s = im->e->store;
	struct cps_legacy_account old;
	enum cps_err rc;

	/* the first import (or one into a store emptied of them) has
	 * nothing to compare with: no lookup per account or product, and
	 * nothing to note per account or row */
	rc = cps_store_legacy_any(s, &im->stored_accts, &im->stored_products, err);
	if (rc != CPS_OK)
		return rc;
	if (im->stored_accts && im->naccts &&
	    !(im->rename = calloc(im->naccts, sizeof(*im->rename))))
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (im->stored_products && im->nrows &&
	    (!(im->existing = calloc(im->nrows, sizeof(*im->existing))) ||
	     !(im->same = calloc(im->nrows, sizeof(*im->same)))))
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	for (size_t i = 0; i < im->naccts && im->stored_accts; i++) {
		struct acct *a = &im->accts[i];
		const struct row *r = &im->rows[a->first];
		const char *email = txt(im, r->email), *member = txt(im, r->member);
		int found;

		rc = cps_store_legacy_account_seek_email(s, email, &old, &found, err);
		if (rc != CPS_OK)
			return rc;
		if (found) {
			a->id = old.id;
			if (strcmp(old.member_number, member) != 0)
				cps_csv_problem(&im->problems, r->line,
					_("%s was imported before with the member number %s, not %s"),
					email, old.member_number, member);
			im->rename[i] = a->name && strcmp(txt(im, a->name), old.name) != 0;
			continue;
		}
		rc = cps_store_legacy_account_seek_number(s, member, &old, &found, err);
		if (rc != CPS_OK)
			return rc;
		if (found)
			cps_csv_problem(&im->problems, r->line,
				_("the member number %s was imported before for %s; a member number belongs to one e-mail only"),
				member, old.email);
	}
	for (size_t i = 0; i < im->nrows && im->stored_products; i++) {
		struct row *r = &im->rows[i];
		long long owner;
		int same;

		if (!r->serial)
			continue;
		rc = cps_store_legacy_product_by_serial(s, catalog_id(im, r), txt(im, r->serial),
							txt(im, r->date), txt(im, r->country),
							txt(im, r->dealer),
							&im->existing[i], &owner, &same, err);
		if (rc != CPS_OK)
			return rc;
		im->same[i] = same != 0;
		if (im->existing[i] && owner != im->accts[r->acct].id) {
			rc = cps_store_legacy_account_by_id(s, owner, &old, err);
			if (rc != CPS_OK)
				return rc;
			cps_csv_problem(&im->problems, r->line,
				_("%s with the serial number %s was imported before for another old account (%s)"),
				cat_of(im, r)->model, txt(im, r->serial), old.email);
		}
	}
	return CPS_OK;
}

/* The stored product with row i's model and serial (0: none). */
static long long existing(const struct import *im, size_t i)
{
	return im->existing ? im->existing[i] : 0;
}

/* --- writing ----------------------------------------------------------- */

/* Rows asked of the batches at a time, each group written by one
 * statement or a few (src/store_legacy.c); gathered in a small buffer as
 * they come, not in a list of all of them (at 100,000 rows such a list
 * is megabytes of fresh memory to fault in). */
#define ROWS_AT_ONCE 128

struct pending {
	struct cps_import_run *run;
	size_t n;
	struct cps_store_legacy_new_account acct[ROWS_AT_ONCE];
	struct acct *who[ROWS_AT_ONCE];
	struct cps_store_legacy_new_product prod[ROWS_AT_ONCE];
};

/* Writes the pending accounts (all: 1; or while the buffer is full),
 * as many at a time as the open batch takes. */
static enum cps_err flush_accounts(struct import *im, struct pending *p, int all,
				   time_t now, struct cps_error *err)
{
	enum cps_err rc = CPS_OK;

	while (rc == CPS_OK && p->n > 0 && (all || p->n == ROWS_AT_ONCE)) {
		size_t k;

		rc = cps_import_rows(p->run, p->n, &k, err);
		if (rc == CPS_OK)
			rc = cps_store_legacy_accounts_insert(im->e->store, p->acct, k, now, err);
		for (size_t i = 0; i < k && rc == CPS_OK; i++)
			p->who[i]->id = p->acct[i].id;
		p->n -= k;
		memmove(p->acct, p->acct + k, p->n * sizeof(*p->acct));
		memmove(p->who, p->who + k, p->n * sizeof(*p->who));
	}
	return rc;
}

static enum cps_err flush_products(struct import *im, struct pending *p, int all,
				   struct cps_error *err)
{
	enum cps_err rc = CPS_OK;

	while (rc == CPS_OK && p->n > 0 && (all || p->n == ROWS_AT_ONCE)) {
		size_t k;

		rc = cps_import_rows(p->run, p->n, &k, err);
		if (rc == CPS_OK)
			rc = cps_store_legacy_products_insert(im->e->store, p->prod, k, err);
		p->n -= k;
		memmove(p->prod, p->prod + k, p->n * sizeof(*p->prod));
	}
	return rc;
}

static enum cps_err add_product(struct import *im, struct pending *p,
				const struct row *r, struct cps_error *err)
{
	p->prod[p->n++] = (struct cps_store_legacy_new_product){
		.account_id = im->accts[r->acct].id, .catalog_id = catalog_id(im, r),
		.serial = txt(im, r->serial), .date = txt(im, r->date),
		.country = txt(im, r->country), .dealer = txt(im, r->dealer) };
	im->rep->products_added++;
	return flush_products(im, p, 0, err);
}

/* The new accounts, in the order of the file (of each one's first row),
 * so that the products after them, in the order of the file too, add to
 * the end of the index of their accounts rather than all over it. */
static enum cps_err write_accounts(struct import *im, struct pending *p,
				   struct cps_error *err)
{
	time_t now = cps_engine_now(im->e);
	enum cps_err rc = CPS_OK;

	for (size_t i = 0; i < im->nrows && rc == CPS_OK; i++) {
		const struct row *r = &im->rows[i];
		struct acct *a = &im->accts[r->acct];

		if (a->first != i || a->id)
			continue;
		p->acct[p->n] = (struct cps_store_legacy_new_account){
			.email = txt(im, r->email), .member_number = txt(im, r->member),
			.name = txt(im, a->name) };
		p->who[p->n++] = a;
		im->rep->accounts_added++;
		rc = flush_accounts(im, p, 0, now, err);
	}
	return rc == CPS_OK ? flush_accounts(im, p, 1, now, err) : rc;
}

/* The new accounts and products, in batches of the import's own (unseen
 * until it is published). */
static enum cps_err write_new(struct import *im, struct cps_import_run *run,
			      struct cps_error *err)
{
	struct cps_store *s = im->e->store;
	struct cps_legacy_report *rep = im->rep;
	struct pending *p = calloc(1, sizeof(*p));
	enum cps_err rc;
	uint32_t *v;    /* rows without a serial number, and room to sort them */
	size_t n = 0;

	if (!p)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	p->run = run;
	/* at most every new account and every row naming a product: the
	 * batch that can hold what is left goes on as the last transaction
	 * (cps_import_expect); counting a product that is there already only
	 * makes an earlier batch wait for the disk */
	size_t most = 0;
	for (size_t i = 0; i < im->naccts; i++)
		most += !im->accts[i].id;
	for (size_t i = 0; i < im->nrows; i++)
		most += im->rows[i].cat != 0;
	cps_import_expect(run, most);
	rc = write_accounts(im, p, err);
	if (rc != CPS_OK) {
		free(p);
		return rc;
	}

	v = malloc((im->nrows ? 2 * im->nrows : 1) * sizeof(*v));
	if (!v) {
		free(p);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	for (size_t i = 0; i < im->nrows && rc == CPS_OK; i++) {
		struct row *r = &im->rows[i];

		if (!r->cat)
			continue;
		if (!r->serial)
			v[n++] = (uint32_t)i;
		else if (!existing(im, i))
			rc = add_product(im, p, r, err);
	}

	/* Without a serial number, identical rows count: k in the file and m
	 * stored means k - m more (and never fewer: an import does not
	 * delete).  Only published rows are counted: this import's own are of
	 * other details. */
	sort_u32(v, v + n, n, im, by_details);
	for (size_t i = 0; i < n && rc == CPS_OK;) {
		const struct row *r = &im->rows[v[i]];
		size_t j = i + 1;
		long long m = 0;

		while (j < n && same_details(im, r, &im->rows[v[j]]))
			j++;
		if (im->stored_products)
			rc = cps_store_legacy_product_count_plain(s, im->accts[r->acct].id,
							  catalog_id(im, r), txt(im, r->date),
							  txt(im, r->country), txt(im, r->dealer),
							  &m, err);
		for (size_t k = i; k < j && rc == CPS_OK; k++) {
			if ((long long)(k - i) < m)
				rep->products_unchanged++;
			else
				rc = add_product(im, p, &im->rows[v[k]], err);
		}
		i = j;
	}
	if (rc == CPS_OK)
		rc = flush_products(im, p, 1, err);
	free(v);
	free(p);
	return rc;
}

/* The changes to accounts and products stored before, in the import's
 * last transaction. */
static enum cps_err write_changes(struct import *im, struct cps_error *err)
{
	struct cps_store *s = im->e->store;
	struct cps_legacy_report *rep = im->rep;
	enum cps_err rc = CPS_OK;

	for (size_t i = 0; i < im->naccts && rc == CPS_OK; i++) {
		struct acct *a = &im->accts[i];
		if (im->rename && im->rename[i]) {
			rc = cps_store_legacy_account_set_name(s, a->id, txt(im, a->name), err);
			rep->accounts_updated++;
		}
	}
	rep->accounts_unchanged = im->naccts - rep->accounts_added - rep->accounts_updated;
	for (size_t i = 0; i < im->nrows && rc == CPS_OK; i++) {
		struct row *r = &im->rows[i];

		if (!r->cat || !r->serial || !existing(im, i))
			continue;
		if (!im->same[i]) {
			rc = cps_store_legacy_product_set_details(s, im->existing[i], txt(im, r->date),
								  txt(im, r->country), txt(im, r->dealer),
								  err);
			rep->products_updated++;
		} else {
			rep->products_unchanged++;
		}
	}
	return rc;
}

/* --- the import --------------------------------------------------------- */

static enum cps_err read_rows(struct import *im, const char *path,
			      struct cps_error *err)
{
	struct cps_csv_column cols[NCOLS] = {
		[C_EMAIL] = { .name = "email", .required = 1 },
		[C_MEMBER] = { .name = "member_number", .required = 1 },
		[C_NAME] = { .name = "name", .required = 1 },
		[C_MODEL] = { .name = "model", .required = 1 },
		[C_SERIAL] = { .name = "serial", .required = 1 },
		[C_DATE] = { .name = "purchase_date", .required = 1 },
		[C_COUNTRY] = { .name = "purchase_country", .required = 1 },
		[C_DEALER] = { .name = "dealer", .required = 1 },
	};
	struct cps_csv_row rec;
	struct cps_error e;
	enum cps_err rc;

	rc = cps_csv_open(&im->csv, path, CPS_CSV_COMMENTS, err);
	if (rc != CPS_OK) {
		cps_csv_problem_keep(&im->problems, 0, err->msg);
		return rc;
	}
	im->problems.csv = im->csv;
	rc = cps_csv_header(im->csv, cols, NCOLS, err);
	if (rc != CPS_OK) {
		cps_csv_problem_msg(&im->problems, err->msg);
		return rc;
	}
	for (;;) {
		rc = cps_csv_next(im->csv, &rec, &e);
		if (rc == CPS_CSV_END)
			break;
		if (rc == CPS_ERR_INVALID) {
			/* a malformed record: noted, and on to the next one */
			im->rep->rows++;
			cps_csv_problem_msg(&im->problems, e.msg);
			continue;
		}
		if (rc != CPS_OK) {
			if (err)
				*err = e;
			return rc;
		}
		im->rep->rows++;
		/* a row keeps its line in 32 bits, as its texts' offsets */
		if (rec.line > UINT32_MAX)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		struct row *v = grow(im->rows, &im->caprows, im->nrows, sizeof(*v));
		if (!v)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		im->rows = v;
		if (check_row(im, &rec, cols, &im->rows[im->nrows]))
			im->nrows++;
		if (im->nomem)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	return CPS_OK;
}

static enum cps_err refused(struct import *im, struct cps_error *err)
{
	const struct cps_legacy_report *r = im->rep;
	const char *first;

	report_errors(im);
	first = r->nkept ? r->errors[0] : _("the file has errors");
	size_t more = r->nerrors - 1;

	if (im->nomem)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (more == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("%s. Nothing was imported."), first);
	return cps_error_set(err, CPS_ERR_INVALID,
			     dngettext(CPS_TEXTDOMAIN,
				       "%s (and %zu more problem). Nothing was imported.",
				       "%s (and %zu more problems). Nothing was imported.",
				       (unsigned long)more),
			     first, more);
}

static void import_free(struct import *im)
{
	free(im->text);
	free(im->slot);
	free(im->dups);
	free(im->existing);
	free(im->same);
	free(im->rename);
	for (int i = 0; i < NCOLS; i++)
		free(im->scratch[i]);
	free(im->email_raw);
	free(im->rows);
	for (size_t i = 0; i < im->ncat; i++)
		free(im->cat[i].model);
	cps_csv_problems_free(&im->problems);
	free(im->cat);
	free(im->accts);
	cps_csv_free(im->csv);
}

static enum cps_err import_file(struct cps_engine *e, const char *path,
				const char *actor,
				struct cps_legacy_report *report,
				struct cps_error *err)
{
	struct import im = { .e = e, .rep = report, .actor = actor,
			     .problems = { .max = CPS_LEGACY_MAX_ERRORS } };
	struct cps_error local;
	struct cps_import_run run;
	enum cps_err rc;
	int started = 0;

	if (!err)
		err = &local;
	memset(report, 0, sizeof(*report));
	/* the date rules compare with today: a clock that gives none fails
	 * here, once, rather than on every row */
	struct cps_ymd today;
	rc = cps_ymd_from_time(cps_engine_now(e), &today);
	if (rc != CPS_OK) {
		rc = cps_error_set(err, rc, "%s", _("the clock gives no valid date"));
		goto out;
	}
	/* SQLite's own page cache (2 MB), not the store's large one for
	 * bulk work: the new rows go to the end of the tables and of most
	 * of their indexes, so few pages are in use at a time, and every
	 * page a larger cache grows by is fresh memory faulted in (at
	 * 100,000 rows some 2,700 faults, about a tenth of the time) */
	cps_store_legacy_bulk(e->store, 1);
	rc = cps_store_legacy_catalog_each(e->store, cat_add, &im, err);
	if (rc == CPS_OK && im.nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (rc != CPS_OK)
		goto out;
	if (im.ncat)
		qsort(im.cat, im.ncat, sizeof(*im.cat), cat_cmp);

	rc = read_rows(&im, path, err);
	if (rc == CPS_OK)
		rc = group_accounts(&im, err);
	if (rc == CPS_OK)
		rc = check_unique(&im, err);
	/* under the claim no other import changes the old accounts, so what
	 * check_stored reads stays true while the rows are written */
	if (rc == CPS_OK) {
		rc = cps_import_start(e, &run, 1, 0, err);
		started = rc == CPS_OK;
	}
	/* the log is copied into the database once, at the end, as for a
	 * catalog (README, Performance): SQLite's copy every 1,000 pages
	 * wrote pages of the e-mail index the next batch changes again,
	 * syncing the disk twice each time */
	if (started)
		cps_store_defer_checkpoints(e->store, 1);
	/* one snapshot for all the lookups, and no lock held */
	if (rc == CPS_OK && (rc = cps_store_begin_read(e->store, err)) == CPS_OK) {
		rc = check_stored(&im, err);
		cps_store_rollback(e->store);
	}
	if (rc == CPS_OK && (im.problems.found || im.problems.nomem || im.nomem))
		rc = refused(&im, err);
	if (rc == CPS_OK)
		rc = write_new(&im, &run, err);
	if (rc == CPS_OK)
		rc = cps_import_last(&run, err);
	if (rc == CPS_OK)
		rc = write_changes(&im, err);
	/* in the import's last transaction: no import without its line */
	if (rc == CPS_OK && im.actor)
		rc = cps_audit_add(e, im.actor, "import_legacy", 0, 0, err);
	if (rc == CPS_OK)
		rc = cps_import_publish(&run, err);
out:
	if (started && rc != CPS_OK)
		cps_import_abort(&run);
	cps_store_legacy_bulk(e->store, 0);
	if (started)
		cps_store_defer_checkpoints(e->store, 0);
	if (!report->errors)
		report_errors(&im);
	if (rc != CPS_OK) {
		/* nothing was stored: counts of added rows would mislead */
		report->accounts_added = report->accounts_updated = 0;
		report->accounts_unchanged = 0;
		report->products_added = report->products_updated = 0;
		report->products_unchanged = 0;
	}
	import_free(&im);
	return rc;
}

enum cps_err cps_legacy_import(struct cps_engine *e, const char *path,
			       struct cps_legacy_report *report,
			       struct cps_error *err)
{
	return import_file(e, path, NULL, report, err);
}

enum cps_err cps_legacy_import_as(struct cps_engine *e, const char *path,
				  const char *staff_name,
				  struct cps_legacy_report *report,
				  struct cps_error *err)
{
	enum cps_err rc = cps_audit_need_staff(staff_name, err);

	if (rc != CPS_OK) {
		memset(report, 0, sizeof(*report));
		return rc;
	}
	return import_file(e, path, staff_name, report, err);
}

/* --- looking up ------------------------------------------------------- */

enum cps_err cps_legacy_find(struct cps_engine *e, const char *old_email,
			     struct cps_legacy_account *info,
			     struct cps_error *err)
{
	char email[CPS_EMAIL_MAX];
	enum cps_err rc;

	memset(info, 0, sizeof(*info));
	rc = cps_ident_email(old_email ? old_email : "", email, sizeof(email), err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_legacy_account_by_email(e->store, email, info, err);
	if (rc == CPS_ERR_NOT_FOUND) {
		char contact[512];

		cps_config_support_contact(e->cfg, contact, sizeof(contact));
		return cps_error_set(err, rc,
			_("No old CPS account with the e-mail %s was found. Register your products again, or contact %s."),
			email, contact);
	}
	return rc;
}

enum cps_err cps_legacy_products(struct cps_engine *e,
				 long long legacy_account_id,
				 int (*fn)(const struct cps_legacy_product *p,
					   void *arg),
				 void *arg, struct cps_error *err)
{
	struct cps_legacy_account a;
	enum cps_err rc;

	rc = cps_store_legacy_account_by_id(e->store, legacy_account_id, &a, err);
	if (rc == CPS_ERR_NOT_FOUND)
		return cps_error_set(err, rc, "%s", _("The old CPS account was not found."));
	if (rc != CPS_OK)
		return rc;
	return cps_store_legacy_products_each(e->store, legacy_account_id, fn, arg, err);
}
