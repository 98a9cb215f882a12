/* migration_items.h - the list of an old account's products that a
 * migration works on (src/ only): struct cps_migration_item in one
 * allocation with their texts, so that free(items) frees both and the
 * list touches little fresh memory.
 *
 * Each text is copied, cut where the product's field cuts it (as
 * snprintf("%s") into a field of that size): the model at
 * CPS_MODEL_SIZE - 1 bytes, the serial CPS_SERIAL_SIZE - 1, the date
 * CPS_DATE_SIZE - 1, the country 2, the dealer CPS_LEGACY_DEALER_MAX.  A
 * text the same as the previous item's, or a model name already kept for
 * that catalog id, is not kept twice. */
#ifndef CPSREG_MIGRATION_ITEMS_H
#define CPSREG_MIGRATION_ITEMS_H

#include <stddef.h>

#include "cpsreg/migration.h"

#define CPS_MITEMS_MODELS 16

struct cps_mitems {
	struct cps_migration_item *items;     /* then the texts, up to items + cap */
	size_t n, cap;
	size_t text_len;                      /* bytes of text after items[cap] */
	size_t model_seen[CPS_MITEMS_MODELS]; /* 1 + an item of a model, by its id */
};

/* An empty list; the first item makes room for hint items (the number
 * expected: more are taken too). */
void cps_mitems_init(struct cps_mitems *l, size_t hint);
void cps_mitems_free(struct cps_mitems *l);

/* Adds an item with these texts (NULL is ""), everything else 0; NULL
 * when there is no memory.  The pointers to earlier items and texts may
 * change (the list's own, in items, follow). */
struct cps_migration_item *cps_mitems_add(struct cps_mitems *l, long long catalog_id,
					  const char *model, const char *serial,
					  const char *purchase_date,
					  const char *purchase_country,
					  const char *dealer);

#endif
