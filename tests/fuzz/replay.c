/* replay.c - runs a fuzz target without libFuzzer: main() feeds every file
 * named on the command line (or every file in a folder named there, in
 * name order) to LLVMFuzzerTestOneInput once.  "make test" links each
 * target with it, built by the normal compiler (and with the sanitizers
 * under SANITIZE=1), to replay the seed corpus and the saved crashes.
 *
 * Each file's name goes to stderr before it runs, so the log of a crash
 * names the input that caused it. */
#define _DEFAULT_SOURCE 1 /* DT_DIR, scandir */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned long replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (n + 4096 > cap) {
			unsigned char *b;

			cap = cap ? cap * 2 : 65536;
			b = realloc(buf, cap);
			if (!b) {
				fclose(f);
				free(buf);
				fprintf(stderr, "%s: out of memory\n", path);
				return -1;
			}
			buf = b;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay %s (%zu bytes)\n", path, n);
	/* an exact-size copy, so that reading past the input is caught */
	unsigned char *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	if (n)
		memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	replayed++;
	return 0;
}

static int skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int replay_path(const char *path)
{
	struct stat st;
	struct dirent **list;
	int n, bad = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	n = scandir(path, &list, skip_entry, alphasort);
	if (n < 0) {
		perror(path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char p[4096];

		snprintf(p, sizeof(p), "%s/%s", path, list[i]->d_name);
		if (replay_path(p) != 0)
			bad = -1;
		free(list[i]);
	}
	free(list);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i]) != 0)
			bad = 1;
	printf("replayed %lu inputs\n", replayed);
	return bad;
}
