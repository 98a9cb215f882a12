/* csv.h - a strict RFC 4180 CSV reader for the assets and for imports.
 *
 * Reads the catalog, countries and holidays in assets/ and the legacy CPS
 * exports that staff import.  Real exports carry quoted fields with commas,
 * doubled quotes and line breaks, CRLF line ends and a UTF-8 byte order
 * mark; all of that is accepted.  Anything else that is wrong (an unclosed
 * quote, a stray quote, a NUL byte, invalid UTF-8, an absurdly long record)
 * is reported as "file:line: what is wrong".
 *
 * Usage:
 *
 *	struct cps_csv *c;
 *	struct cps_csv_row row;
 *	struct cps_csv_column cols[] = {
 *		{ .name = "model", .required = 1 },
 *		{ .name = "points", .required = 1 },
 *	};
 *	if (cps_csv_open(&c, path, CPS_CSV_COMMENTS, err) != CPS_OK)
 *		return err->code;
 *	rc = cps_csv_header(c, cols, 2, err);
 *	while (rc == CPS_OK && (rc = cps_csv_next(c, &row, err)) == CPS_OK)
 *		use(cps_csv_get(&row, &cols[0]), row.line);
 *	cps_csv_free(c);
 *	if (rc != CPS_CSV_END)
 *		return rc;
 */
#ifndef CPSREG_CSV_H
#define CPSREG_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "cpsreg/err.h"

/* What cps_csv_next() returns after the last record. */
#define CPS_CSV_END CPS_ERR_NOT_FOUND

/* Default limits; cps_csv_set_limits() changes them per reader. */
#define CPS_CSV_MAX_RECORD (64 * 1024) /* bytes of field data per record */
#define CPS_CSV_MAX_FIELDS 256         /* fields per record */

enum cps_csv_flags {
	/* Lines starting with '#' before the first record are comments
	 * (our asset files describe themselves this way).  Once the first
	 * record has been read, '#' is ordinary data again. */
	CPS_CSV_COMMENTS = 1 << 0,
	/* Every record must have as many fields as the first one (the
	 * header), as RFC 4180 asks. */
	CPS_CSV_SAME_COUNT = 1 << 1
};

struct cps_csv;

/* One record.  The strings belong to the reader and stay valid until the
 * next cps_csv_next() or cps_csv_free(); they are NUL-terminated, valid
 * UTF-8 and contain no NUL byte.  A field keeps its bytes exactly,
 * including a CRLF inside a quoted field.  The caller may modify the
 * strings in place (e.g. to trim them) but not extend them. */
struct cps_csv_row {
	char **fields;
	size_t count;            /* at least 1 */
	unsigned long line;      /* physical line where the record starts (1-based) */
	unsigned long last_line; /* physical line where it ends */
	int ascii;               /* 1: every byte of the record is ASCII (most
				  * records are; a reader of its fields can
				  * skip looking for others) */
};

/* A column wanted from the header row.  `name` is compared without regard
 * to ASCII case or surrounding spaces; `index` is filled in by
 * cps_csv_map_header(): the field's position, or -1 when the column is
 * absent (only allowed when not `required`).  Columns the caller did not
 * ask for are ignored. */
struct cps_csv_column {
	const char *name;
	int required;
	int index;
};

/* Opens the file at path and reads from it; the reader closes it. */
enum cps_err cps_csv_open(struct cps_csv **out, const char *path,
			  unsigned flags, struct cps_error *err);

/* Reads from fp, which stays the caller's (not closed by the reader).
 * name is used in messages only. */
enum cps_err cps_csv_open_file(struct cps_csv **out, FILE *fp,
			       const char *name, unsigned flags,
			       struct cps_error *err);

/* Reads len bytes at buf, which must outlive the reader (it is not copied).
 * name is used in messages only. */
enum cps_err cps_csv_open_mem(struct cps_csv **out, const char *buf,
			      size_t len, const char *name, unsigned flags,
			      struct cps_error *err);

void cps_csv_free(struct cps_csv *c);

/* Changes the limits; 0 keeps the current one.  Call before reading. */
void cps_csv_set_limits(struct cps_csv *c, size_t max_record,
			size_t max_fields);

/* Reads the next record into row, skipping blank lines (and leading
 * comments with CPS_CSV_COMMENTS).  Returns CPS_OK, CPS_CSV_END after the
 * last record (err then says "end of file"), CPS_ERR_INVALID for a
 * malformed record, CPS_ERR_IO or CPS_ERR_NOMEM.
 *
 * A malformed record is read to its end and dropped, so the next call goes
 * on with the record after it: an import can list every bad line at once.
 * Read errors, out of memory and a UTF-16 file are final: every later call
 * returns the same error. */
enum cps_err cps_csv_next(struct cps_csv *c, struct cps_csv_row *row,
			  struct cps_error *err);

/* Matches a header row against cols (see struct cps_csv_column).  Fails
 * with CPS_ERR_INVALID naming every required column that is missing, or a
 * wanted column that appears twice. */
enum cps_err cps_csv_map_header(const struct cps_csv *c,
				const struct cps_csv_row *header,
				struct cps_csv_column *cols, size_t ncols,
				struct cps_error *err);

/* Reads the next record as the header and maps it; an empty file is an
 * error (CPS_ERR_INVALID), not CPS_CSV_END. */
enum cps_err cps_csv_header(struct cps_csv *c, struct cps_csv_column *cols,
			    size_t ncols, struct cps_error *err);

/* The field of a mapped column in row, or "" when the column is absent or
 * the row is shorter.  Never NULL. */
const char *cps_csv_get(const struct cps_csv_row *row,
			const struct cps_csv_column *col);

/* The name given when the reader was opened (for the caller's messages). */
const char *cps_csv_name(const struct cps_csv *c);

/* Fills err with "name:line: <message>" and returns code, so a caller that
 * finds a bad value reports it the same way the reader does.  line 0 leaves
 * the line out. */
enum cps_err cps_csv_error(const struct cps_csv *c, unsigned long line,
			   struct cps_error *err, enum cps_err code,
			   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* --- the problems of an import ----------------------------------------
 *
 * The catalog and the legacy import both check a whole file and report
 * every problem as "name:line: what", in the order of the file.  They
 * keep them here: each problem with its line, at most `max` of them
 * (0: all; `found` counts every one), and take them sorted by line (the
 * order they were found within a line), trimmed to a limit. */
struct cps_csv_problem {
	unsigned long line;
	size_t seq;
	char *text;
};

struct cps_csv_problems {
	const struct cps_csv *csv;   /* for "name:line:"; NULL before it opens */
	size_t max;                  /* keep at most this many; 0: all */
	struct cps_csv_problem *v;
	size_t n, cap;               /* kept */
	size_t found;                /* every problem, kept or not */
	int nomem;                   /* a problem could not be kept */
};

/* Keeps a message as it is, at line (0: none). */
void cps_csv_problem_keep(struct cps_csv_problems *p, unsigned long line,
			  const char *text);

/* Keeps "name:line: <message>" (see cps_csv_error). */
void cps_csv_problem(struct cps_csv_problems *p, unsigned long line,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Keeps a message of the reader ("name:line: ..."), at the line it names. */
void cps_csv_problem_msg(struct cps_csv_problems *p, const char *msg);

/* Sorts the kept problems by line and hands over the first `limit` of
 * them (0: all) as an array of *n strings (the caller frees each and the
 * array); the rest stay for cps_csv_problems_free().  NULL with *n = 0
 * when nothing was kept or memory ran out (then p->nomem is set). */
char **cps_csv_problems_take(struct cps_csv_problems *p, size_t limit,
			     size_t *n);

void cps_csv_problems_free(struct cps_csv_problems *p);

#endif
