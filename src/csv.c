/* csv.c - the RFC 4180 CSV reader (see include/cpsreg/csv.h).
 *
 * A byte-at-a-time state machine over a small input buffer (or the caller's
 * memory).  One record is collected into one growing buffer with a NUL after
 * each field, so a row costs no allocation once the buffers are warm.  The
 * first problem in a record is remembered and the record is still read to
 * its end, which keeps the quote state right for the records after it. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/csv.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"

#define CHUNK 16384

enum state {
	FIELD_START, /* nothing of the field read yet */
	UNQUOTED,
	QUOTED,
	QUOTE_SEEN   /* a quote inside a quoted field: doubled, or the end */
};

struct cps_csv {
	char *name;
	unsigned flags;
	size_t max_record;
	size_t max_fields;

	FILE *fp;
	int own_fp;
	unsigned char *ibuf;     /* file input only */
	const unsigned char *in; /* ibuf, or the caller's memory */
	size_t ipos, ilen;
	int at_eof;              /* nothing more to fill the buffer with */

	unsigned long line;      /* the physical line being read */
	int started;             /* the byte order mark has been looked for */
	int seen_record;
	size_t first_count;      /* fields in the first good record */
	struct cps_error fatal;  /* code != CPS_OK: every call returns it */

	/* the record being collected */
	char *data;
	size_t dlen, dcap;
	size_t rbytes;           /* field bytes, without the NULs */
	size_t *starts;
	char **fields;
	size_t nf, fcap;
	unsigned long first_line;
	unsigned long last_line;

	/* the first problem in the record */
	int bad;
	struct cps_error problem;

	/* UTF-8 check: the bytes so far of the character being read, and
	 * how many it needs */
	unsigned char u_buf[4];
	size_t u_len, u_want;
	int non_ascii;           /* the record has a byte past 0x7F */

	/* 1 for a byte plain() accepts: one load per byte of a field */
	unsigned char plain[256];
};

static enum cps_err vfail(const struct cps_csv *c, unsigned long line,
			  struct cps_error *err, enum cps_err code,
			  const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static enum cps_err vfail(const struct cps_csv *c, unsigned long line,
			  struct cps_error *err, enum cps_err code,
			  const char *fmt, va_list ap)
{
	char what[CPS_ERROR_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	if (line == 0)
		return cps_error_set(err, code, "%s: %s", c->name, what);
	return cps_error_set(err, code, "%s:%lu: %s", c->name, line, what);
}

enum cps_err cps_csv_error(const struct cps_csv *c, unsigned long line,
			   struct cps_error *err, enum cps_err code,
			   const char *fmt, ...)
{
	va_list ap;
	enum cps_err rc;

	va_start(ap, fmt);
	rc = vfail(c, line, err, code, fmt, ap);
	va_end(ap);
	return rc;
}

/* Remembers the first problem of the current record. */
static void problem(struct cps_csv *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct cps_csv *c, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (c->bad)
		return;
	c->bad = 1;
	va_start(ap, fmt);
	vfail(c, line, &c->problem, CPS_ERR_INVALID, fmt, ap);
	va_end(ap);
}

static void set_fatal_errno(struct cps_csv *c, int e)
{
	char why[256];

	if (c->fatal.code != CPS_OK)
		return;
	if (strerror_r(e, why, sizeof(why)) != 0)
		snprintf(why, sizeof(why), "errno %d", e);
	cps_csv_error(c, 0, &c->fatal, CPS_ERR_IO, _("read error: %s"), why);
}

static void set_fatal_nomem(struct cps_csv *c)
{
	if (c->fatal.code == CPS_OK)
		cps_error_set(&c->fatal, CPS_ERR_NOMEM, "%s", _("out of memory"));
}

/* --- input ---------------------------------------------------------- */

/* Makes at least `want` bytes available if the input still has them;
 * returns how many are available. */
static size_t avail(struct cps_csv *c, size_t want)
{
	size_t have = c->ilen - c->ipos;

	if (have >= want || c->at_eof)
		return have;
	memmove(c->ibuf, c->ibuf + c->ipos, have);
	c->ilen = have;
	c->ipos = 0;
	while (c->ilen < want && !c->at_eof) {
		size_t room = CHUNK - c->ilen;
		size_t n;

		errno = 0;
		n = fread(c->ibuf + c->ilen, 1, room, c->fp);
		c->ilen += n;
		if (n < room) {
			c->at_eof = 1;
			if (ferror(c->fp))
				set_fatal_errno(c, errno ? errno : EIO);
		}
	}
	return c->ilen - c->ipos;
}

static int getb(struct cps_csv *c)
{
	if (c->ipos == c->ilen && avail(c, 1) == 0)
		return -1;
	return c->in[c->ipos++];
}

static int peekb(struct cps_csv *c)
{
	if (c->ipos == c->ilen && avail(c, 1) == 0)
		return -1;
	return c->in[c->ipos];
}

/* Skips a UTF-8 byte order mark and refuses UTF-16, which would otherwise
 * show up as a confusing "NUL byte" further on. */
static void start(struct cps_csv *c)
{
	size_t n = avail(c, 3);
	const unsigned char *p;

	c->started = 1;
	if (n < 2)
		return;
	p = c->in + c->ipos;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		c->ipos += 3;
		return;
	}
	if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
		       (p[0] == 0xFE && p[1] == 0xFF)) && c->fatal.code == CPS_OK)
		cps_csv_error(c, 1, &c->fatal, CPS_ERR_INVALID, "%s",
			      _("the file is UTF-16; save it as UTF-8 (\"CSV UTF-8\")"));
}

/* Consumes the rest of the line after a '\r' or '\n' already read. */
static void line_end(struct cps_csv *c, int ch)
{
	if (ch == '\r' && peekb(c) == '\n')
		getb(c);
	c->line++;
}

/* Skips blank lines and leading comments; returns 0 at the end of input. */
static int skip_to_record(struct cps_csv *c)
{
	for (;;) {
		int ch = peekb(c);

		if (ch < 0)
			return 0;
		if (ch == '\n' || ch == '\r') {
			getb(c);
			line_end(c, ch);
			continue;
		}
		if (ch == '#' && (c->flags & CPS_CSV_COMMENTS) && !c->seen_record) {
			do
				ch = getb(c);
			while (ch >= 0 && ch != '\n' && ch != '\r');
			if (ch >= 0)
				line_end(c, ch);
			continue;
		}
		return 1;
	}
}

/* --- the record ----------------------------------------------------- */

/* The length a lead byte announces (1-4), or 0 for a byte that cannot
 * start a character. */
static size_t utf8_lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF)
		return 3;
	if (b >= 0xF0 && b <= 0xF4)
		return 4;
	return 0;
}

/* Checks the bytes of a record as they arrive, with the engine's one
 * decoder.  A character still being read is kept in u_buf; each new byte
 * is checked at once by decoding the bytes so far padded with the
 * smallest continuation bytes: overlong forms, surrogates and values past
 * U+10FFFF show in the first two bytes, so the byte that makes a sequence
 * wrong is the one named. */
static void utf8(struct cps_csv *c, int ch)
{
	unsigned char b = (unsigned char)ch;
	char pad[4];

	if (b >= 0x80)
		c->non_ascii = 1;
	if (c->u_len == 0) {
		c->u_want = utf8_lead_len(b);
		if (c->u_want == 0)
			problem(c, c->line,
				_("invalid UTF-8 (byte 0x%02X); save the file as UTF-8"), b);
		else if (c->u_want > 1)
			c->u_buf[c->u_len++] = b;
		return;
	}
	c->u_buf[c->u_len++] = b;
	memcpy(pad, c->u_buf, c->u_len);
	memset(pad + c->u_len, 0x80, c->u_want - c->u_len);
	if (cps_utf8_decode(pad, c->u_want, NULL) != c->u_want) {
		c->u_len = 0;
		if (b < 0x80)
			problem(c, c->line, "%s",
				_("invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8"));
		else
			problem(c, c->line,
				_("invalid UTF-8 (byte 0x%02X); save the file as UTF-8"), b);
		return;
	}
	if (c->u_len == c->u_want)
		c->u_len = 0;
}

static int grow_data(struct cps_csv *c, size_t more)
{
	size_t cap = c->dcap ? c->dcap : 256;
	char *p;

	while (cap < c->dlen + more)
		cap *= 2;
	p = realloc(c->data, cap);
	if (!p) {
		set_fatal_nomem(c);
		return 0;
	}
	c->data = p;
	c->dcap = cap;
	return 1;
}

/* Room for more bytes of the record; 0 when out of memory.  Checked for
 * every field: the growing is apart so that the check is inlined. */
static inline int reserve(struct cps_csv *c, size_t more)
{
	return c->dlen + more <= c->dcap || grow_data(c, more);
}

static void data(struct cps_csv *c, int ch)
{
	if (c->bad || c->fatal.code != CPS_OK)
		return;
	if (ch == 0) {
		problem(c, c->line, "%s",
			_("a NUL byte (is this a text file?)"));
		return;
	}
	if (c->rbytes >= c->max_record) {
		problem(c, c->line,
			_("the record that starts on line %lu is longer than %zu bytes"),
			c->first_line, c->max_record);
		return;
	}
	if (!reserve(c, 1))
		return;
	c->data[c->dlen++] = (char)ch;
	c->rbytes++;
}

static void begin_field(struct cps_csv *c)
{
	if (c->bad || c->fatal.code != CPS_OK)
		return;
	if (c->nf >= c->max_fields) {
		problem(c, c->line, _("more than %zu fields in one record"),
			c->max_fields);
		return;
	}
	if (c->nf == c->fcap) {
		size_t cap = c->fcap ? c->fcap * 2 : 16;
		size_t *s = realloc(c->starts, cap * sizeof(*s));

		if (!s) {
			set_fatal_nomem(c);
			return;
		}
		c->starts = s;
		char **f = realloc(c->fields, cap * sizeof(*f));
		if (!f) {
			set_fatal_nomem(c);
			return;
		}
		c->fields = f;
		c->fcap = cap;
	}
	c->starts[c->nf++] = c->dlen;
}

static void end_field(struct cps_csv *c)
{
	if (c->bad || c->fatal.code != CPS_OK)
		return;
	if (reserve(c, 1))
		c->data[c->dlen++] = '\0';
}

/* A byte that never changes the reader's state and needs no UTF-8 check:
 * ASCII other than NUL, the quote, the comma and the line ends. */
static int plain(unsigned char b)
{
	return b - 1u < 0x7f && b != '"' && b != ',' && b != '\n' && b != '\r';
}

/* Takes the run of plain bytes at the current position in one copy, as
 * data() would take them one by one: most of a file is such runs inside
 * a field.  Stops where the record would pass its limit, so that the
 * byte-by-byte path reports it. */
static void plain_run(struct cps_csv *c)
{
	const unsigned char *p = c->in + c->ipos, *end = c->in + c->ilen, *q = p;
	size_t n;

	while (q < end && c->plain[*q])
		q++;
	n = (size_t)(q - p);
	if (n == 0)
		return;
	if (c->bad || c->fatal.code != CPS_OK) {
		c->ipos += n;   /* a bad record's data is dropped */
		return;
	}
	if (n > c->max_record - c->rbytes)
		n = c->max_record - c->rbytes;
	if (n == 0 || !reserve(c, n))
		return;
	memcpy(c->data + c->dlen, p, n);
	c->dlen += n;
	c->rbytes += n;
	c->ipos += n;
}

/* Takes the unquoted fields of plain bytes that start at the current
 * position and end with a comma (in the input at hand), as the
 * byte-by-byte path would: a field's bytes, its NUL, the next field
 * begun.  Most fields of an export are such; each costs a scan and a
 * copy here.  Stops at any other field, for the path that handles it,
 * and where the record would pass its limit, so that that path
 * reports it. */
static void plain_fields(struct cps_csv *c)
{
	while (!c->bad && c->fatal.code == CPS_OK) {
		const unsigned char *p = c->in + c->ipos, *end = c->in + c->ilen, *q = p;
		size_t n;

		while (q < end && c->plain[*q])
			q++;
		n = (size_t)(q - p);
		if (q == end || *q != ',' || n > c->max_record - c->rbytes ||
		    !reserve(c, n + 1))
			return;
		memcpy(c->data + c->dlen, p, n);
		c->dlen += n;
		c->rbytes += n;
		c->data[c->dlen++] = '\0';
		c->ipos += n + 1;
		begin_field(c);
	}
}

/* Reads one record, which starts at the current position. */
static void read_record(struct cps_csv *c)
{
	enum state st = FIELD_START;
	unsigned long qline = 0;
	int ch;

	c->dlen = 0;
	c->rbytes = 0;
	c->nf = 0;
	c->bad = 0;
	c->u_len = 0;
	c->non_ascii = 0;
	c->first_line = c->line;
	begin_field(c);
	for (;;) {
		/* not inside a character of several bytes */
		if (c->u_len == 0) {
			if (st == FIELD_START)
				plain_fields(c);
			/* a field that starts with a plain byte is unquoted
			 * (as the switch below would find), and its bytes a run */
			if (st == FIELD_START && c->ipos < c->ilen && c->plain[c->in[c->ipos]])
				st = UNQUOTED;
			if (st == UNQUOTED || st == QUOTED)
				plain_run(c);
			/* the comma after an unquoted field: the next field,
			 * as the switch below does it (an ASCII byte needs no
			 * UTF-8 check) */
			if (st == UNQUOTED && c->ipos < c->ilen && c->in[c->ipos] == ',') {
				c->ipos++;
				end_field(c);
				begin_field(c);
				st = FIELD_START;
				continue;
			}
		}
		ch = getb(c);
		if (c->fatal.code != CPS_OK)
			return;
		if (ch > 0)
			utf8(c, ch);
		switch (st) {
		case FIELD_START:
			if (ch == '"') {
				st = QUOTED;
				qline = c->line;
				break;
			}
			st = UNQUOTED;
			/* fall through */
		case UNQUOTED:
			if (ch == ',') {
				end_field(c);
				begin_field(c);
				st = FIELD_START;
			} else if (ch < 0 || ch == '\n' || ch == '\r') {
				goto record_end;
			} else {
				if (ch == '"')
					problem(c, c->line, "%s",
						_("a quote inside an unquoted field (put the whole field in quotes and double the quote)"));
				data(c, ch);
			}
			break;
		case QUOTED:
			if (ch == '"') {
				st = QUOTE_SEEN;
			} else if (ch < 0) {
				problem(c, qline, "%s",
					_("a quoted field starts here but is never closed (a missing quote?)"));
				goto record_end;
			} else {
				data(c, ch);
				if (ch == '\n')
					c->line++;
			}
			break;
		case QUOTE_SEEN:
			if (ch == '"') {
				data(c, ch);
				st = QUOTED;
			} else if (ch == ',') {
				end_field(c);
				begin_field(c);
				st = FIELD_START;
			} else if (ch < 0 || ch == '\n' || ch == '\r') {
				goto record_end;
			} else {
				problem(c, c->line, "%s",
					_("text after the closing quote of a field (a quote inside a quoted field must be doubled)"));
				data(c, ch);
				st = UNQUOTED;
			}
			break;
		}
	}
record_end:
	c->last_line = c->line;
	if (c->u_len > 0)
		problem(c, c->line, "%s",
			_("invalid UTF-8 (a multi-byte character is cut off); save the file as UTF-8"));
	end_field(c);
	if (ch >= 0)
		line_end(c, ch);
}

enum cps_err cps_csv_next(struct cps_csv *c, struct cps_csv_row *row,
			  struct cps_error *err)
{
	size_t i;

	if (!c->started)
		start(c);
	if (c->fatal.code != CPS_OK)
		goto fatal;
	if (!skip_to_record(c)) {
		if (c->fatal.code != CPS_OK)
			goto fatal;
		return cps_csv_error(c, 0, err, CPS_CSV_END, "%s",
				     _("end of file"));
	}
	read_record(c);
	if (c->fatal.code != CPS_OK)
		goto fatal;
	c->seen_record = 1;
	if (!c->bad && (c->flags & CPS_CSV_SAME_COUNT)) {
		if (c->first_count == 0)
			c->first_count = c->nf;
		else if (c->nf != c->first_count)
			problem(c, c->first_line,
				_("%zu fields where the first row has %zu"),
				c->nf, c->first_count);
	}
	if (c->bad) {
		if (err)
			*err = c->problem;
		return c->problem.code;
	}
	for (i = 0; i < c->nf; i++)
		c->fields[i] = c->data + c->starts[i];
	if (row) {
		row->fields = c->fields;
		row->count = c->nf;
		row->line = c->first_line;
		row->last_line = c->last_line;
		row->ascii = !c->non_ascii;
	}
	return CPS_OK;
fatal:
	if (err)
		*err = c->fatal;
	return c->fatal.code;
}

/* --- the header ----------------------------------------------------- */

static int is_space(int ch)
{
	return ch == ' ' || ch == '\t';
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Compares a header field with a column name: ASCII case and spaces around
 * the field do not count (spreadsheets add both). */
static int same_name(const char *field, const char *name)
{
	size_t n = strlen(field);

	while (n > 0 && is_space((unsigned char)field[n - 1]))
		n--;
	while (n > 0 && is_space((unsigned char)*field)) {
		field++;
		n--;
	}
	for (; n > 0 && *name; n--, field++, name++)
		if (lower((unsigned char)*field) != lower((unsigned char)*name))
			return 0;
	return n == 0 && *name == '\0';
}

enum cps_err cps_csv_map_header(const struct cps_csv *c,
				const struct cps_csv_row *header,
				struct cps_csv_column *cols, size_t ncols,
				struct cps_error *err)
{
	char missing[CPS_ERROR_MAX / 2];
	size_t used = 0, nmissing = 0, i, f;
	const char *first = NULL;

	for (i = 0; i < ncols; i++)
		cols[i].index = -1;
	for (f = 0; f < header->count && f <= (size_t)INT_MAX; f++) {
		for (i = 0; i < ncols; i++) {
			if (!same_name(header->fields[f], cols[i].name))
				continue;
			if (cols[i].index >= 0)
				return cps_csv_error(c, header->line, err,
						     CPS_ERR_INVALID,
						     _("the column \"%s\" appears twice in the header"),
						     cols[i].name);
			cols[i].index = (int)f;
		}
	}
	missing[0] = '\0';
	for (i = 0; i < ncols; i++) {
		if (!cols[i].required || cols[i].index >= 0)
			continue;
		if (nmissing++ == 0)
			first = cols[i].name;
		int n = snprintf(missing + used, sizeof(missing) - used, "%s%s",
				 used ? ", " : "", cols[i].name);
		if (n > 0 && (size_t)n < sizeof(missing) - used)
			used += (size_t)n;
	}
	if (nmissing == 1)
		return cps_csv_error(c, header->line, err, CPS_ERR_INVALID,
				     _("the column \"%s\" is missing from the header"),
				     first);
	if (nmissing > 1)
		return cps_csv_error(c, header->line, err, CPS_ERR_INVALID,
				     _("these columns are missing from the header: %s"),
				     missing);
	return CPS_OK;
}

enum cps_err cps_csv_header(struct cps_csv *c, struct cps_csv_column *cols,
			    size_t ncols, struct cps_error *err)
{
	struct cps_csv_row row;
	enum cps_err rc = cps_csv_next(c, &row, err);

	if (rc == CPS_CSV_END)
		return cps_csv_error(c, 0, err, CPS_ERR_INVALID, "%s",
				     _("the file is empty (no header row)"));
	if (rc != CPS_OK)
		return rc;
	return cps_csv_map_header(c, &row, cols, ncols, err);
}

const char *cps_csv_get(const struct cps_csv_row *row,
			const struct cps_csv_column *col)
{
	if (!row || !col || col->index < 0 || (size_t)col->index >= row->count)
		return "";
	return row->fields[col->index];
}

/* --- opening and closing -------------------------------------------- */

static struct cps_csv *alloc_reader(const char *name, unsigned flags)
{
	struct cps_csv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->name = strdup(name ? name : "-");
	if (!c->name) {
		free(c);
		return NULL;
	}
	c->flags = flags;
	for (int b = 0; b < 256; b++)
		c->plain[b] = (unsigned char)plain((unsigned char)b);
	c->max_record = CPS_CSV_MAX_RECORD;
	c->max_fields = CPS_CSV_MAX_FIELDS;
	c->line = 1;
	cps_error_clear(&c->fatal);
	cps_error_clear(&c->problem);
	return c;
}

enum cps_err cps_csv_open_file(struct cps_csv **out, FILE *fp,
			       const char *name, unsigned flags,
			       struct cps_error *err)
{
	struct cps_csv *c = alloc_reader(name, flags);

	*out = NULL;
	if (c)
		c->ibuf = malloc(CHUNK);
	if (!c || !c->ibuf) {
		cps_csv_free(c);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	c->fp = fp;
	c->in = c->ibuf;
	*out = c;
	return CPS_OK;
}

enum cps_err cps_csv_open(struct cps_csv **out, const char *path,
			  unsigned flags, struct cps_error *err)
{
	FILE *fp = fopen(path, "rb");
	enum cps_err rc;

	*out = NULL;
	if (!fp) {
		char why[256];
		int e = errno;

		if (strerror_r(e, why, sizeof(why)) != 0)
			snprintf(why, sizeof(why), "errno %d", e);
		return cps_error_set(err, CPS_ERR_IO, _("cannot open %s: %s"),
				     path, why);
	}
	rc = cps_csv_open_file(out, fp, path, flags, err);
	if (rc != CPS_OK) {
		fclose(fp);
		return rc;
	}
	(*out)->own_fp = 1;
	return CPS_OK;
}

enum cps_err cps_csv_open_mem(struct cps_csv **out, const char *buf,
			      size_t len, const char *name, unsigned flags,
			      struct cps_error *err)
{
	struct cps_csv *c = alloc_reader(name, flags);

	*out = NULL;
	if (!c)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	c->in = (const unsigned char *)buf;
	c->ilen = buf ? len : 0;
	c->at_eof = 1;
	*out = c;
	return CPS_OK;
}

void cps_csv_free(struct cps_csv *c)
{
	if (!c)
		return;
	if (c->own_fp && c->fp)
		fclose(c->fp);
	free(c->ibuf);
	free(c->data);
	free(c->starts);
	free(c->fields);
	free(c->name);
	free(c);
}

void cps_csv_set_limits(struct cps_csv *c, size_t max_record,
			size_t max_fields)
{
	if (max_record)
		c->max_record = max_record;
	if (max_fields)
		c->max_fields = max_fields > (size_t)INT_MAX ? (size_t)INT_MAX
							   : max_fields;
}

const char *cps_csv_name(const struct cps_csv *c)
{
	return c->name;
}

/* --- the problems of an import -------------------------------------- */

void cps_csv_problem_keep(struct cps_csv_problems *p, unsigned long line,
			  const char *text)
{
	p->found++;
	if (p->max && p->n >= p->max)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct cps_csv_problem *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			p->nomem = 1;
			return;
		}
		p->v = v;
		p->cap = cap;
	}
	/* a problem quotes what the file holds: never a control raw */
	char clean[CPS_ERROR_MAX];
	char *copy = strdup(cps_text_quote(text, clean, sizeof(clean), CPS_TEXT_LINE));
	if (!copy) {
		p->nomem = 1;
		return;
	}
	p->v[p->n] = (struct cps_csv_problem){ line, p->n, copy };
	p->n++;
}

void cps_csv_problem(struct cps_csv_problems *p, unsigned long line,
		     const char *fmt, ...)
{
	struct cps_error e;
	va_list ap;

	va_start(ap, fmt);
	if (p->csv) {
		vfail(p->csv, line, &e, CPS_ERR_INVALID, fmt, ap);
	} else {
		vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	}
	va_end(ap);
	cps_csv_problem_keep(p, line, e.msg);
}

/* The line in "name:line: what" (0 when the message names none). */
static unsigned long line_in(const struct cps_csv *c, const char *msg)
{
	const char *name = c ? cps_csv_name(c) : NULL;
	size_t n = name ? strlen(name) : 0;

	if (!n || strncmp(msg, name, n) != 0 || msg[n] != ':' ||
	    msg[n + 1] < '0' || msg[n + 1] > '9')
		return 0;
	return strtoul(msg + n + 1, NULL, 10);
}

void cps_csv_problem_msg(struct cps_csv_problems *p, const char *msg)
{
	cps_csv_problem_keep(p, line_in(p->csv, msg), msg);
}

static int by_line(const void *a, const void *b)
{
	const struct cps_csv_problem *x = a, *y = b;

	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

char **cps_csv_problems_take(struct cps_csv_problems *p, size_t limit,
			     size_t *n)
{
	size_t k = limit && limit < p->n ? limit : p->n;
	char **out;

	*n = 0;
	if (k == 0)
		return NULL;
	qsort(p->v, p->n, sizeof(*p->v), by_line);
	out = calloc(k, sizeof(*out));
	if (!out) {
		p->nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < k; i++) {
		out[i] = p->v[i].text;
		p->v[i].text = NULL;
	}
	*n = k;
	return out;
}

void cps_csv_problems_free(struct cps_csv_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].text);
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}
