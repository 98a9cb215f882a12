/* testutil.h - small file helpers shared by the unit tests. */
#ifndef CPSREG_TESTUTIL_H
#define CPSREG_TESTUTIL_H

#include <stddef.h>

/* Makes a fresh folder under $TESTS_TMP (or /tmp) and writes its path. */
void tu_tempdir(char *buf, size_t len);
/* Removes a folder and everything in it. */
void tu_rmtree(const char *dir);
/* mkdir -p */
void tu_mkdirs(const char *dir);
/* Writes len bytes to path (replacing it); fails the test on error. */
void tu_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file; *len gets its size; free() the result.  NULL if missing. */
char *tu_read_file(const char *path, size_t *len);

#endif
