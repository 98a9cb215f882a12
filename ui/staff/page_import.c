/* page_import.c - the imports on screen: a newer product catalog, or the
 * old CPS accounts' export, from a file staff name.  Both are all or
 * nothing; a refused file has every problem listed as "file:line: what is
 * wrong" (the file's own name; its path is in the field), five at a time
 * with More and Earlier. */
#include <stdio.h>
#include <string.h>

#include "cpsreg/catalog.h"
#include "cpsreg/i18n.h"
#include "cpsreg/legacy.h"
#include "staff.h"
#include "theme.h"

#define PROBLEM_ROWS 5      /* problems a screen, each on up to two rows */
#define PROBLEMS_MAX 60
#define LIST_ROW 6
enum { W_PATH = 1, W_CATALOG, W_LEGACY, W_EARLIER, W_MORE };

struct state {
	char summary[512];
	int refused;
	int n, top;
	size_t total;         /* every problem found, listed or not */
	char line[PROBLEMS_MAX][STAFF_LINE];
};

static int enter(struct app *a)
{
	return staff_page_enter(a, sizeof(struct state));
}

static void layout(struct app *a)
{
	struct wform *f = &a->form;
	const struct state *s = a->state;
	struct widget *w;

	if (!s)
		return;
	w = wform_add(f, W_TEXT, W_PATH, 2, APP_COL, APP_FIELD_COL, 50, _("File"),
		      _("The CSV file to import, as a path on this machine."));
	w->maxlen = W_VALUE_MAX - 1;
	wform_add(f, W_BUTTON, W_CATALOG, 4, APP_COL, APP_COL, 24, _("Import catalog"),
		  _("A newer product catalog (the format of assets/catalog.csv); all or nothing."));
	wform_add(f, W_BUTTON, W_LEGACY, 4, 30, 30, 30, _("Import old CPS accounts"),
		  _("The old CPS export (the format of assets/legacy-sample.csv); all or nothing."));
	if (s->top > 0)
		wform_add(f, W_BUTTON, W_EARLIER, LIST_ROW + 2 * PROBLEM_ROWS, 30, 30, 20, _("Earlier"),
			  _("The problems before these."));
	if (s->top + PROBLEM_ROWS < s->n)
		wform_add(f, W_BUTTON, W_MORE, LIST_ROW + 2 * PROBLEM_ROWS, 54, 54, 20, _("More"),
			  _("The next problems."));
	app_nav_buttons(a, _("Back"), _("Queue"));
}

static void draw(struct app *a)
{
	const struct state *s = a->state;

	if (!s)
		return;
	app_text(a, 0, APP_COL, R_TITLE, _("Import a catalog or old CPS accounts"));
	if (s->summary[0])
		app_wrap(a, LIST_ROW - 1, APP_COL, APP_TEXT_WIDTH, s->n ? 1 : 3,
			 s->refused ? R_WARN : R_NORMAL, s->summary);
	/* a long path and message wrap: the whole line is worth reading */
	for (int i = 0, row = LIST_ROW; i < PROBLEM_ROWS && s->top + i < s->n; i++)
		row = app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL, s->line[s->top + i]);
}

/* The problems of a refused file, kept for the screen.  The whole path
 * stands in the File field above, so each line names only the file's own
 * name: "cat.csv:2: ..." reads the same however deep the folder is. */
static void keep(struct state *s, const char *path, char *const *errors, size_t n,
		 size_t total)
{
	size_t plen = strlen(path);
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	s->n = 0;
	s->top = 0;
	for (size_t i = 0; i < n && s->n < PROBLEMS_MAX; i++) {
		const char *e = errors[i];

		if (plen && strncmp(e, path, plen) == 0 && e[plen] == ':')
			snprintf(s->line[s->n++], sizeof(s->line[0]), "%s%s", base, e + plen);
		else
			snprintf(s->line[s->n++], sizeof(s->line[0]), "%s", e);
	}
	s->total = total;
}

static void refused(struct state *s, const char *msg)
{
	s->refused = 1;
	if (s->n == 0)
		snprintf(s->summary, sizeof(s->summary), "%s", msg);
	else
		snprintf(s->summary, sizeof(s->summary),
			 ngettext("%zu problem; nothing was imported:",
				  "%zu problems; nothing was imported:", s->total), s->total);
}

static void import_catalog(struct app *a, struct state *s, const char *path)
{
	struct cps_catalog_report r = { 0 };
	struct cps_error err = { 0 };

	if (cps_catalog_import_as(a->e, path, staff_actor(), &r, &err) != CPS_OK) {
		keep(s, path, r.errors, r.nerrors, r.nproblems);
		refused(s, err.msg);
	} else {
		snprintf(s->summary, sizeof(s->summary),
			 _("Catalog imported: %d added, %d updated, %d unchanged, %d retired."),
			 r.added, r.updated, r.unchanged, r.retired);
	}
	cps_catalog_report_free(&r);
}

static void import_legacy(struct app *a, struct state *s, const char *path)
{
	struct cps_legacy_report r = { 0 };
	struct cps_error err = { 0 };

	if (cps_legacy_import_as(a->e, path, staff_actor(), &r, &err) != CPS_OK) {
		keep(s, path, r.errors, r.nkept, r.nerrors);
		refused(s, err.msg);
	} else {
		snprintf(s->summary, sizeof(s->summary),
			 _("Old CPS accounts imported: %d added, %d updated, %d unchanged; %d products added, %d updated, %d unchanged."),
			 r.accounts_added, r.accounts_updated, r.accounts_unchanged,
			 r.products_added, r.products_updated, r.products_unchanged);
	}
	cps_legacy_report_free(&r);
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;
	char path[W_VALUE_MAX];

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_MORE || ev.id == W_EARLIER) {
		s->top += ev.id == W_MORE ? PROBLEM_ROWS : -PROBLEM_ROWS;
		if (s->top < 0)
			s->top = 0;
		app_relayout(a);
		wform_focus(&a->form, wform_get(&a->form, ev.id) ? ev.id : W_PATH);
		return;
	}
	if (ev.id != W_CATALOG && ev.id != W_LEGACY)
		return;
	snprintf(path, sizeof(path), "%s", wform_text(&a->form, W_PATH));
	s->summary[0] = '\0';
	s->refused = 0;
	s->n = s->top = 0;
	if (ev.id == W_CATALOG)
		import_catalog(a, s, path);
	else
		import_legacy(a, s, path);
	app_relayout(a);
	wform_set_text(&a->form, W_PATH, path);
	wform_focus(&a->form, s->n > PROBLEM_ROWS ? W_MORE : ev.id);
}

static int key(struct app *a, struct key_event k)
{
	if (k.cmd == CMD_BACK || k.cmd == CMD_NEXT) {
		app_go(a, &staff_page_queue);
		return 1;
	}
	return 0;
}

const struct page staff_page_import = {
	.name = "import",
	.step = CPS_STEP_COUNT,
	.title = N_("Staff: imports"),
	.help = N_("Type the path of a CSV file, then Import catalog (a newer product catalog) or "
		   "Import old CPS accounts (the old CPS export). Both are all or nothing: a file "
		   "with a bad row changes nothing, and every problem is listed with its line, five "
		   "at a time (More, Earlier). Importing the same file twice adds nothing twice."),
	.enter = enter,
	.layout = layout,
	.event = event,
	.key = key,
	.draw = draw,
};
