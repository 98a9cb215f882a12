/* engine_private.h - the inside of struct cps_engine, for src/ only. */
#ifndef CPSREG_ENGINE_PRIVATE_H
#define CPSREG_ENGINE_PRIVATE_H

#include "cpsreg/engine.h"
#include "cpsreg/limit.h"
#include "cpsreg/store.h"
#include "cpsreg/workdays.h"

struct cps_engine {
	const struct cps_config *cfg;
	struct cps_store *store;
	struct cps_holidays *holidays;
	struct cps_country *countries;
	size_t ncountries;
	int names_pending;  /* the nb and da names are still to be looked up */
	char warning[512];  /* see cps_engine_warning() */
	time_t fixed_now;
	/* wrong staff PINs in a row at this terminal, and when the last was */
	int pin_failed;
	time_t pin_failed_at;
	/* the terminal wrong resume codes and logins count against (limit.h) */
	char terminal[CPS_LIMIT_TERMINAL_MAX];
	/* the type-ahead's folded model names, read once per catalog */
	struct cps_catalog_names *catalog_names;
	/* an import's batches (src/import.c): at most this many rows each
	 * (0: the default), and a call after each one is committed (NULL:
	 * none; non-zero stops the import, which then changes nothing) */
	/* today's date for the clock's last second (cps_engine_today) */
	time_t today_at;
	struct cps_ymd today;
	size_t import_batch_rows;
	int (*import_batch_done)(void *arg, size_t written);
	void *import_batch_arg;
};

/* Today's date by the engine's clock, as cps_ymd_from_time gives it,
 * kept for the second it was asked in (an import asks once per row). */
enum cps_err cps_engine_today(struct cps_engine *e, struct cps_ymd *out);

/* Frees the type-ahead's names (catalog.c); NULL is ignored. */
void cps_catalog_names_free(struct cps_catalog_names *n);

#endif
