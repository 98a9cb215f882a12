/* engine_private.h - the inside of struct cps_engine, for src/ only. */
#ifndef CPSREG_ENGINE_PRIVATE_H
#define CPSREG_ENGINE_PRIVATE_H

#include "cpsreg/engine.h"
#include "cpsreg/store.h"
#include "cpsreg/workdays.h"

struct cps_engine {
	const struct cps_config *cfg;
	struct cps_store *store;
	struct cps_holidays *holidays;
	struct cps_country *countries;
	size_t ncountries;
	char warning[512];  /* see cps_engine_warning() */
	time_t fixed_now;
};

#endif
