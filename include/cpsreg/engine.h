/* engine.h - the engine as one object: the configuration, the store, and
 * the data from assets/ (countries, holidays, the catalog), plus the clock.
 *
 * The UI opens one engine and passes it to every call of the domain
 * modules (account, product, migration, level, payment, flow). */
#ifndef CPSREG_ENGINE_H
#define CPSREG_ENGINE_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/config.h"
#include "cpsreg/err.h"

struct cps_engine;

/* Opens the database named by cfg->database (creating or upgrading it),
 * loads countries.csv and holidays.csv from cfg->assets_dir, and fills the
 * catalog from catalog.csv when the database has none yet.  cfg must
 * outlive the engine. */
enum cps_err cps_engine_open(struct cps_engine **out,
			     const struct cps_config *cfg,
			     struct cps_error *err);
void cps_engine_close(struct cps_engine *e);

/* The engine's clock: the real time, unless a test fixed it. */
time_t cps_engine_now(const struct cps_engine *e);
void cps_engine_set_now(struct cps_engine *e, time_t now); /* 0: real clock */

/* The database's busy timeout in ms (cps_store_busy_timeout): set for a
 * moment to a short one where waiting would stop the screen; returns the
 * value before, which the caller puts back. */
int cps_engine_busy_timeout(struct cps_engine *e, int ms);

/* Countries: which ones and where CPS serves from assets/countries.csv,
 * their names in English, Norwegian and Danish from Debian's iso-codes
 * (the CSV's English names when iso-codes is missing). */
struct cps_country {
	char code[3];
	char name[64];        /* English */
	char names[3][96];    /* by language (lang.h): en, nb, da */
	int cps;              /* CPS Europe takes business accounts there */
};
/* The country's name in the screen's language. */
const char *cps_country_name(const struct cps_country *c);
/* What went wrong with the country names when the engine opened (iso-codes
 * missing or unreadable: the names are then English), or NULL. */
const char *cps_engine_warning(const struct cps_engine *e);
size_t cps_country_count(const struct cps_engine *e);
const struct cps_country *cps_country_at(const struct cps_engine *e, size_t i);
/* The country with this ISO code (any case), or NULL. */
const struct cps_country *cps_country_find(const struct cps_engine *e, const char *code);

#endif
