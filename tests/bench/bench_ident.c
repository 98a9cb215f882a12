/* bench_ident.c - a figure for "make bench": how many business identifiers
 * per second check-id's engine call checks, over a file of mixed numbers
 * (every country, valid and invalid, in the spellings people type: spaces,
 * dots, prefixes, lower case, full-width digits, pasted line ends).  The
 * file is written, then read back line by line as a batch check would.
 * It prints figures; it never passes or fails on them. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpsreg/ident.h"

/* country, number: a mix of valid ones, one digit off, and malformed */
static const char *const sample[][2] = {
	{ "DK", "13 58 56 28" }, { "DK", "13585627" }, { "NO", "988 077 917 MVA" },
	{ "NO", "988077918" }, { "SE", "556036-0793" }, { "SE", "19811218-9876" },
	{ "SE", "811318-0007" }, { "FI", "2077474-0" }, { "FI", "2077474-1" },
	{ "GB", "GB 980 7806 84" }, { "GB", "XI 100 0000 34" }, { "GB", "802311781" },
	{ "AT", "ATU10223006" }, { "AT", "ATU12345678" }, { "BE", "BE 0428.759.497" },
	{ "CH", "CHE-116.281.710 MWST" }, { "CH", "CHE-123.456.789" },
	{ "CZ", "CZ00177041" }, { "CZ", "7103192745" }, { "CZ", "0327120002" },
	{ "DE", "DE 136 695 976" }, { "DE", "136695978" }, { "ES", "ESA28015865" },
	{ "ES", "X1234567L" }, { "ES", "W0184081J" }, { "FR", "FR 40 303 265 045" },
	{ "FR", "FRK7399859412" }, { "FR", "FRI7399859412" }, { "HU", "HU10773381" },
	{ "IE", "IE3628739UA" }, { "IE", "8Z49289G" }, { "IT", "IT00159560366" },
	{ "IT", "12345671015" }, { "LU", "LU20260743" }, { "NL", "NL004495445B01" },
	{ "NL", "NL004495445B00" }, { "PL", "PL 774-00-01-454" }, { "PT", "PT501964843" },
	{ "PT", "402345673" }, { "SK", "SK2022749619" }, { "SK", "1010000002" },
	{ "EL", "EL123456789" }, { "RO", "RO18" },
	{ "DK", "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x98" "5628" },
	{ "DK", "13/58/56/28" }, { "NO", "988077917\r" },
};

#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(void)
{
	char dir[] = "/tmp/cpsreg-bench-ident.XXXXXX", path[256], line[512];
	const int rounds = 5, lines_per_file = 200000;
	long checked = 0, valid = 0;
	double best = 0;
	FILE *f;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/numbers.txt", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	/* one number per line, "CC NUMBER", as a shop's export might hold */
	for (int i = 0; i < lines_per_file; i++)
		fprintf(f, "%s %s\n", sample[i % NSAMPLE][0], sample[i % NSAMPLE][1]);
	fclose(f);

	for (int r = 0; r < rounds; r++) {
		double t0 = now_ms(), t;
		long n = 0, ok = 0;

		f = fopen(path, "r");
		if (!f)
			return 1;
		while (fgets(line, sizeof(line), f)) {
			char norm[CPS_IDENT_MAX], cc[3];
			struct cps_error err = { 0 };

			if (strlen(line) < 4 || line[2] != ' ')
				continue;
			memcpy(cc, line, 2);
			cc[2] = '\0';
			/* the line's own newline stays: the check takes it as
			 * white space, as it takes a paste */
			if (cps_ident_check(cc, line + 3, norm, sizeof(norm), &err) == CPS_OK)
				ok++;
			n++;
		}
		fclose(f);
		t = now_ms() - t0;
		if (t > 0 && (best == 0 || n / t * 1000.0 > best))
			best = n / t * 1000.0;
		checked = n;
		valid = ok;
	}
	printf("check-id, file of mixed numbers (%ld lines, %ld valid): %10.0f numbers/s  (best of %d)\n",
	       checked, valid, best, rounds);

	unlink(path);
	rmdir(dir);
	return 0;
}
