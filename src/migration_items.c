/* migration_items.c - the items of a migration and their texts in one
 * allocation (see src/migration_items.h).  Fresh memory is what costs
 * here: texts in fixed fields of their longest size made 10,000 items
 * 5 MB, each page of it a fault; the room for the longest texts is still
 * made, but only what is written is ever touched. */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/catalog.h"
#include "cpsreg/legacy.h"
#include "cpsreg/product.h"
#include "migration_items.h"

/* The longest each text may be, NUL included. */
#define TEXT_MODEL CPS_MODEL_SIZE
#define TEXT_SERIAL CPS_SERIAL_SIZE
#define TEXT_DATE CPS_DATE_SIZE
#define TEXT_COUNTRY 3
#define TEXT_DEALER (CPS_LEGACY_DEALER_MAX + 1)
#define ITEM_TEXT (TEXT_MODEL + TEXT_SERIAL + TEXT_DATE + TEXT_COUNTRY + TEXT_DEALER)

/* An item's five texts, to move them with the block. */
#define ITEM_FIELDS(it) { &(it)->model, &(it)->serial, &(it)->purchase_date, \
			  &(it)->purchase_country, &(it)->dealer }

void cps_mitems_init(struct cps_mitems *l, size_t hint)
{
	memset(l, 0, sizeof(*l));
	l->cap = hint;
}

void cps_mitems_free(struct cps_mitems *l)
{
	free(l->items);
	cps_mitems_init(l, 0);
}

static char *texts(const struct cps_mitems *l)
{
	return (char *)(l->items + l->cap);
}

/* Room for one more item and its texts; 0 when there is no memory. */
static int room(struct cps_mitems *l)
{
	size_t cap = l->items ? l->cap * 2 : l->cap ? l->cap : 16;
	char *block;

	if (l->items && l->n < l->cap)
		return 1;
	if (cap > ((size_t)-1) / (sizeof(*l->items) + ITEM_TEXT))
		return 0;
	block = malloc(cap * (sizeof(*l->items) + ITEM_TEXT));
	if (!block)
		return 0;
	if (l->items) {
		char *to = block + cap * sizeof(*l->items);
		const char *from = texts(l);

		memcpy(block, l->items, l->n * sizeof(*l->items));
		memcpy(to, from, l->text_len);
		for (size_t i = 0; i < l->n; i++) {
			struct cps_migration_item *it = (struct cps_migration_item *)(void *)block + i;
			const char **field[] = ITEM_FIELDS(it);

			for (size_t f = 0; f < sizeof(field) / sizeof(field[0]); f++)
				*field[f] = to + (*field[f] - from);
		}
		free(l->items);
	}
	l->items = (struct cps_migration_item *)(void *)block;
	l->cap = cap;
	return 1;
}

/* s cut where a field of size bytes cuts it: same when that is the same
 * text, else a copy after the others. */
static const char *add_text(struct cps_mitems *l, const char *s, size_t size,
			    const char *same)
{
	size_t n;
	char *t;

	if (!s)
		s = "";
	n = strnlen(s, size - 1);
	if (same && strncmp(same, s, n) == 0 && same[n] == '\0')
		return same;
	t = texts(l) + l->text_len;
	memcpy(t, s, n);
	t[n] = '\0';
	l->text_len += n + 1;
	return t;
}

struct cps_migration_item *cps_mitems_add(struct cps_mitems *l, long long catalog_id,
					  const char *model, const char *serial,
					  const char *purchase_date,
					  const char *purchase_country,
					  const char *dealer)
{
	struct cps_migration_item *it, *prev;
	size_t *seen = &l->model_seen[(unsigned long long)catalog_id % CPS_MITEMS_MODELS];
	const char *same_model = NULL;

	if (!room(l))
		return NULL;
	if (*seen && l->items[*seen - 1].catalog_id == catalog_id)
		same_model = l->items[*seen - 1].model;
	prev = l->n ? &l->items[l->n - 1] : NULL;
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	it->catalog_id = catalog_id;
	it->model = add_text(l, model, TEXT_MODEL, same_model);
	it->serial = add_text(l, serial, TEXT_SERIAL, prev ? prev->serial : NULL);
	it->purchase_date = add_text(l, purchase_date, TEXT_DATE,
				     prev ? prev->purchase_date : NULL);
	it->purchase_country = add_text(l, purchase_country, TEXT_COUNTRY,
					prev ? prev->purchase_country : NULL);
	it->dealer = add_text(l, dealer, TEXT_DEALER, prev ? prev->dealer : NULL);
	*seen = l->n;
	return it;
}
