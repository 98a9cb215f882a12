/* fuzz.h - what the fuzz targets share: the libFuzzer entry point, a
 * NUL-terminated copy of the input, a scratch folder for files an API
 * wants by path, and one engine per process that is put back to its
 * first state whenever an input changed it.
 *
 * The same targets build two ways: with clang's libFuzzer ("make fuzz")
 * and with the normal compiler and tests/fuzz/replay.c, which feeds them
 * the saved inputs ("make test").  Nothing here may depend on which. */
#ifndef CPSREG_FUZZ_H
#define CPSREG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct cps_engine;

/* Called by libFuzzer (or the replay driver) once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'ed copy of data with a NUL after it (data may hold NULs of its
 * own; C string APIs then see only the part before the first). */
char *fz_cstr(const uint8_t *data, size_t size);

/* The process's scratch folder (made on first use under $TMPDIR or /tmp,
 * removed at exit). */
const char *fz_dir(void);

/* Writes data to the file `name` in the scratch folder with mode 0600 and
 * returns its path (a static buffer, valid until the next call). */
const char *fz_write(const char *name, const uint8_t *data, size_t size);
/* Writes data to path (created 0600, truncated). */
void fz_write_all(const char *path, const void *data, size_t size);

/* (fz_engine.c) The process's engine: built-in defaults, a database in the scratch
 * folder, assets from $CPSREG_ASSETS or ./assets, and a fixed clock, so an
 * input gives the same result every run. */
struct cps_engine *fz_engine(void);

/* Puts the engine's database back to what it was just after opening
 * (after an input that changed it). */
void fz_engine_reset(void);

/* Stops the process at once when a property the API promises does not
 * hold: libFuzzer and the replay driver both report it as a crash. */
#define FZ_ASSERT(cond) ((cond) ? (void)0 : fz_fail(#cond, __FILE__, __LINE__))
void fz_fail(const char *what, const char *file, int line)
	__attribute__((noreturn));

#endif
