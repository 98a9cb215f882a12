/* fuzz_csv.c - the RFC 4180 reader (cps_csv_open_mem) with the header
 * mapping the imports use.
 *
 * The first byte picks the flags and small limits (so the "record too
 * long" and "too many fields" paths are reached by short inputs); the
 * rest is the file.  Properties: every row has at least one field; its
 * fields are NUL-terminated, hold no NUL and are valid UTF-8 (all ASCII
 * exactly when the row says so); lines only go forward; after
 * CPS_CSV_END or a final error the reader keeps saying the same; the
 * reader stops (a dropped record eats at least a byte). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/csv.h"
#include "fuzz.h"

static int valid_utf8(const unsigned char *p)
{
	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
			   (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (!n)
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cps_csv_column cols[] = {
		{ .name = "email", .required = 1 },
		{ .name = "model", .required = 0 },
		{ .name = "points", .required = 0 },
	};
	struct cps_error err = { 0 };
	struct cps_csv_row row;
	struct cps_csv *c;
	unsigned flags;
	unsigned long last = 0;
	size_t calls = 0;
	enum cps_err rc;

	if (!size)
		return 0;
	flags = data[0] & (CPS_CSV_COMMENTS | CPS_CSV_SAME_COUNT);
	if (cps_csv_open_mem(&c, (const char *)data + 1, size - 1, "fuzz.csv", flags,
			     &err) != CPS_OK)
		return 0;
	if (data[0] & 0x80)
		cps_csv_set_limits(c, 1 + (data[0] & 0x38), 1 + ((data[0] >> 2) & 7));
	/* bit 2: read the first record as a header, as the imports do */
	if (data[0] & 0x04) {
		rc = cps_csv_header(c, cols, 3, &err);
		FZ_ASSERT(rc != CPS_CSV_END);
		if (rc == CPS_OK)
			for (size_t i = 0; i < 3; i++)
				FZ_ASSERT(cols[i].index >= -1 && cols[i].index < CPS_CSV_MAX_FIELDS);
	} else {
		rc = CPS_OK;
		for (size_t i = 0; i < 3; i++)
			cols[i].index = (int)i;
	}
	for (;;) {
		rc = cps_csv_next(c, &row, &err);
		if (rc != CPS_OK && rc != CPS_ERR_INVALID)
			break;
		/* a dropped record eats at least one byte: only a final
		 * error (a UTF-16 file) comes back more often */
		if (++calls > size + 2) {
			FZ_ASSERT(rc == CPS_ERR_INVALID);
			break;
		}
		FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		if (rc != CPS_OK)
			continue;
		FZ_ASSERT(row.count >= 1);
		FZ_ASSERT(row.line > last && row.last_line >= row.line);
		last = row.last_line;
		int ascii = 1;
		for (size_t i = 0; i < row.count; i++) {
			FZ_ASSERT(row.fields[i] != NULL);
			FZ_ASSERT(valid_utf8((const unsigned char *)row.fields[i]));
			for (const unsigned char *p = (const unsigned char *)row.fields[i]; *p; p++)
				ascii &= *p < 0x80;
		}
		FZ_ASSERT(row.ascii == ascii);
		for (size_t i = 0; i < 3; i++)
			FZ_ASSERT(cps_csv_get(&row, &cols[i]) != NULL);
	}
	FZ_ASSERT(rc == CPS_CSV_END || rc == CPS_ERR_NOMEM || rc == CPS_ERR_IO ||
		  rc == CPS_ERR_INVALID);
	FZ_ASSERT(cps_csv_next(c, &row, &err) == rc);
	FZ_ASSERT(strcmp(cps_csv_name(c), "fuzz.csv") == 0);
	cps_csv_free(c);
	return 0;
}
