/* err.c - filling in struct cps_error (see include/cpsreg/err.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cpsreg/err.h"
#include "cpsreg/i18n.h"

enum cps_err cps_error_set(struct cps_error *err, enum cps_err code,
			   const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cps_error_prefix(struct cps_error *err, const char *fmt, ...)
{
	char head[CPS_ERROR_MAX], tail[CPS_ERROR_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(tail, err->msg, sizeof(tail));
	/* head, then ": ", then as much of the old message as fits */
	size_t n = strnlen(head, sizeof(err->msg) - 1);
	memcpy(err->msg, head, n);
	if (n + 2 < sizeof(err->msg)) {
		err->msg[n++] = ':';
		err->msg[n++] = ' ';
	}
	size_t t = strnlen(tail, sizeof(tail));
	if (t > sizeof(err->msg) - 1 - n)
		t = sizeof(err->msg) - 1 - n;
	memcpy(err->msg + n, tail, t);
	err->msg[n + t] = '\0';
}

void cps_error_clear(struct cps_error *err)
{
	if (!err)
		return;
	err->code = CPS_OK;
	err->msg[0] = '\0';
}

