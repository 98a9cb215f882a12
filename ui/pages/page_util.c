/* page_util.c - helpers shared by the pages (see page_util.h). */
#include "page_util.h"
#include "theme.h"

const char *page_tick(const struct app *a)
{
	return a->utf8 ? "\xe2\x9c\x93" : "OK";
}

int page_mark(struct app *a, int row, int col, int complete)
{
	const char *mark = complete ? page_tick(a) : "!";

	app_text(a, row, col, complete ? R_TICK : R_WARN, mark);
	return col + text_width(mark) + 1;
}

int page_pair(struct app *a, int row, int col, const char *label, int value_col,
	      int role, const char *value)
{
	if (a) {
		app_text(a, row, col, R_LABEL, label);
		app_text(a, row, value_col, role, value);
	}
	return row + 1;
}
