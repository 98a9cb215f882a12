/* page_util.h - small helpers that several wizard pages share and the kit
 * (frame.h) does not offer: the product marks, a label with its value.
 * What every page needs belongs in the kit; what only one page needs stays
 * in that page. */
#ifndef CPSREG_UI_PAGE_UTIL_H
#define CPSREG_UI_PAGE_UTIL_H

#include "frame.h"

/* The green tick of a complete product: a check mark, or "OK" where the
 * terminal has no Unicode. */
const char *page_tick(const struct app *a);
/* A product's mark at (row, col): the green tick when it is complete, else
 * "!" for the missing details.  Returns the column after the mark and a
 * space. */
int page_mark(struct app *a, int row, int col, int complete);
/* A label (R_LABEL) at col and its value at value_col, on one row.
 * Returns the next row; a NULL app only counts. */
int page_pair(struct app *a, int row, int col, const char *label, int value_col,
	      int role, const char *value);

#endif
