/* country.h - the one country picker: a type-ahead field's suggestions and
 * the reading of what was typed, over the engine's table of countries.  A
 * page says which countries it offers (only where CPS takes business
 * accounts, or all) and how the field shows one ("Norway" or
 * "Norway (NO)"); the matching is the same everywhere: the ISO code, then
 * names that start with the text, then names with a word that does, case
 * and accents aside. */
#ifndef CPSREG_UI_COUNTRY_H
#define CPSREG_UI_COUNTRY_H

#include <stddef.h>

#include "cpsreg/engine.h"
#include "widget.h"

struct country_picker {
	struct cps_engine *e;
	int cps_only;     /* only the countries where CPS takes business accounts */
	int with_code;    /* shown as "Norway (NO)" */
};

/* A country as the field shows it (a code the table lacks: the code). */
void country_shown(const struct country_picker *p, const char *code, char *out, size_t len);
/* Suggestions for a W_PICKER (arg: the struct country_picker). */
int country_suggest(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max);
/* The code of what was typed: a code, a name, a field's "Name (CC)", or
 * the start of the one country the list offers for it.  Returns 0 (an
 * empty text gives ""), or -1 with a message for the customer. */
int country_read(const struct country_picker *p, const char *text, char code[3],
		 char *msg, size_t len);

#endif
