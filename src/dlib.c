/* dlib.c - opening a shared library at run time and filling a table of
 * its functions (see dlib.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dlib.h"

/* Each pointer is filled from dlsym's void *, copied by its bytes: ISO C
 * has no conversion from an object pointer to a function pointer, POSIX
 * guarantees they have the same size and form. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "a function pointer is as large as a data pointer");

void *cps_dlib_open(const char *const *sonames, size_t n, char *why, size_t len)
{
	void *h = NULL;

	if (len)
		why[0] = '\0';
	for (size_t i = 0; i < n && !h; i++) {
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (!h && len && !why[0]) {
			const char *e = dlerror();
			snprintf(why, len, "%s", e ? e : sonames[i]);
		}
	}
	return h;
}

const char *cps_dlib_fill(void *h, const struct cps_dlib_symbol *syms, size_t n,
			  void *table, size_t size)
{
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);

		if (!p) {
			memset(table, 0, size);
			dlclose(h);
			return syms[i].name;
		}
		memcpy((char *)table + syms[i].offset, &p, sizeof(p));
	}
	return NULL;
}
