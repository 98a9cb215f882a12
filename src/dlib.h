/* dlib.h - a shared library opened at run time, its functions put in a
 * table of pointers (src/dlib.c): how libcurl (src/curl_load.c) and
 * libsqlite3 (src/store_sqlite.c) are opened, so that the program is not
 * linked against either. */
#ifndef CPSREG_DLIB_H
#define CPSREG_DLIB_H

#include <stddef.h>

/* one function: its name in the library, its pointer's place in a table */
struct cps_dlib_symbol {
	const char *name;
	size_t offset;
};

/* Opens the first of the n sonames that loads, with every symbol bound at
 * once and none shared with later libraries.  NULL when none does, with
 * the dynamic loader's reason for the first of them in why. */
void *cps_dlib_open(const char *const *sonames, size_t n, char *why, size_t len);

/* Fills table with the n symbols of h and returns NULL.  When one is
 * missing, the table is left all NULL (never half a table: a call through
 * it would crash), h is closed, and the missing name is returned. */
const char *cps_dlib_fill(void *h, const struct cps_dlib_symbol *syms, size_t n,
			  void *table, size_t size);

#endif
