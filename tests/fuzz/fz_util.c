/* fz_util.c - what every fuzz target may use (see fuzz.h): the input as a
 * C string, the scratch folder and its files.  No engine here, so a target
 * of the screen kit links without it. */
#define _DEFAULT_SOURCE 1 /* mkdtemp, nftw flags */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[512];
static char path_buf[700];

void fz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		fz_fail("malloc", __FILE__, __LINE__);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void cleanup(void)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

const char *fz_dir(void)
{
	if (!dir[0]) {
		const char *base = getenv("TMPDIR");

		if (!base || !*base)
			base = "/tmp";
		snprintf(dir, sizeof(dir), "%s/cpsreg-fuzz.XXXXXX", base);
		if (!mkdtemp(dir)) {
			fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
			fz_fail("a scratch folder", __FILE__, __LINE__);
		}
		atexit(cleanup);
	}
	return dir;
}

void fz_write_all(const char *p, const void *data, size_t size)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *b = data;

	if (fd < 0)
		fz_fail("open a scratch file", __FILE__, __LINE__);
	while (size) {
		ssize_t n = write(fd, b, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fz_fail("write a scratch file", __FILE__, __LINE__);
		b += n;
		size -= (size_t)n;
	}
	close(fd);
}

const char *fz_write(const char *name, const uint8_t *data, size_t size)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", fz_dir(), name);
	fz_write_all(path_buf, data, size);
	return path_buf;
}

