/* page_products.c - "My products" (README, rules 4 and 6): the account's
 * products, one row each with the green tick or a mark that details are
 * missing, the model, the serial number and the points (earned, or what the
 * product would add once complete); below the list the total, how many
 * products have the tick, and how far the invitation is.  Enter on a row
 * opens the product ("View product", page_product.c); "Add a product" opens
 * an empty one.  Every number comes from the engine (the product list and
 * the flow). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/product.h"
#include "frame.h"
#include "page_util.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

/* Widget ids: one button per product, W_ROW + its index in the list. */
enum { W_ADD = 1, W_ROW = 1000 };

#define MARK_COL 2        /* the tick or "!" in front of a row */
#define ROW_COL 5         /* the row buttons: "< " label " >" */
#define LABEL_COL (ROW_COL + 2)
#define HEAD_ROW 2
#define LIST_TOP 3
#define LIST_ROWS 9       /* rows of products on the screen at once */
#define SCROLL_ROW (LIST_TOP + LIST_ROWS)
#define ADD_ROW (SCROLL_ROW + 1)
#define TOTAL_ROW 15
#define HIDDEN_ROW 9999   /* a row button scrolled out of sight */
/* the columns of a row's label */
#define MODEL_W 38        /* the longest model name of the catalog */
#define SERIAL_W 13
#define POINTS_W 15
#define GAP 1

struct state {
	struct cps_product *list;
	size_t n;
	int top;              /* the first product on the screen */
	int incomplete;       /* products without the tick */
	long would_add;       /* their points once complete */
};

/* ---- text -------------------------------------------------------------- */

/* Appends text (sanitised) to out as a cell of exactly width columns,
 * cut with the ellipsis, padded on the right or (right_align) the left. */
static void put_cell(char *out, size_t len, const char *text, int width, int right_align)
{
	char clean[512], cell[512];
	size_t n = strlen(out);

	text_cell(sanitize_line(text, clean, sizeof(clean)), width, right_align, cell, sizeof(cell));
	if (n + strlen(cell) < len)   /* a whole cell or none: no character cut */
		memcpy(out + n, cell, strlen(cell) + 1);
}

/* The points column of a row: earned, or what completing it would add. */
static void points_text(const struct cps_product *p, char *out, size_t len)
{
	if (p->complete)
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN, "%d point", "%d points", p->worth),
			 p->worth);
	else
		snprintf(out, len, _("missing (+%d)"), p->worth);
}

static void row_label(const struct cps_product *p, char *out, size_t len)
{
	char pts[64];

	points_text(p, pts, sizeof(pts));
	out[0] = '\0';
	put_cell(out, len, p->model, MODEL_W, 0);
	put_cell(out, len, "", GAP, 0);
	put_cell(out, len, p->serial[0] ? p->serial : "-", SERIAL_W, 0);
	put_cell(out, len, "", GAP, 0);
	put_cell(out, len, pts, POINTS_W, 1);
}

/* The note on the message line while a row has the focus (78 columns). */
static void row_hint(const struct cps_product *p, char *out, size_t len)
{
	char missing[256], full[512];

	if (p->complete) {
		snprintf(out, len, _("Green tick: every detail is given, %d points. Enter opens it."),
			 p->worth);
		return;
	}
	if (cps_product_missing(p, missing, sizeof(missing)) == CPS_MISSING_SERIAL_CHECK) {
		/* every detail is there; the serial does not look like the model's */
		snprintf(out, len, "%s",
			 _("The serial number is unusual for this model: no tick until staff confirm it."));
		return;
	}
	snprintf(full, sizeof(full), "%s. %s", missing, _("Enter opens it to add them."));
	snprintf(out, len, "%s", text_width(full) <= 78 ? full : missing);
}

/* ---- the page ------------------------------------------------------------ */

static int enter(struct app *a)
{
	struct state *s = app_page_state(a, sizeof(*s));
	struct cps_error err = { 0 };

	if (!s)
		return -1;
	if (!a->session.account_id) {
		app_message(a, 1, "%s", _("Log in first: your products belong to your business account."));
		return -1;
	}
	if (cps_product_list(a->e, a->session.account_id, &s->list, &s->n, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->list[i].complete) {
			s->incomplete++;
			s->would_add += s->list[i].worth;
		}
	}
	/* back from a product: was it deleted there? */
	if (a->session.product_id) {
		struct cps_product p;
		int found = 0;
		for (size_t i = 0; i < s->n; i++)
			found |= s->list[i].id == a->session.product_id;
		if (!found && cps_product_get(a->e, a->session.product_id, &p, &err) == CPS_ERR_NOT_FOUND)
			app_message(a, 0, "%s", _("The product has been deleted."));
		if (!found)
			a->session.product_id = 0;
	}
	return 0;
}

static void leave(struct app *a)
{
	struct state *s = a->state;

	if (s)
		cps_product_list_free(s->list);
}

/* Puts the rows of the products in sight at their rows, keeping the
 * focused one in sight, and the others out of it. */
static void place_rows(struct app *a)
{
	struct state *s = a->state;
	struct widget *f = wform_focused(&a->form);

	if (!s)
		return;
	if (f && f->id >= W_ROW) {
		int k = f->id - W_ROW;
		if (k < s->top)
			s->top = k;
		if (k >= s->top + LIST_ROWS)
			s->top = k - LIST_ROWS + 1;
	}
	for (int i = 0; i < a->form.n; i++) {
		struct widget *w = &a->form.w[i];
		if (w->id < W_ROW)
			continue;
		int k = w->id - W_ROW;
		w->row = k >= s->top && k < s->top + LIST_ROWS ? LIST_TOP + k - s->top : HIDDEN_ROW;
	}
}

static void layout(struct app *a)
{
	struct state *s = a->state;
	struct wform *f = &a->form;
	int focus = W_ADD;

	for (size_t i = 0; s && i < s->n; i++) {
		char label[256], hint[512];
		row_label(&s->list[i], label, sizeof(label));
		row_hint(&s->list[i], hint, sizeof(hint));
		wform_add(f, W_BUTTON, W_ROW + (int)i, HIDDEN_ROW, ROW_COL, ROW_COL,
			  wform_button_cols(label), label, hint);
		if (i == 0 || s->list[i].id == a->session.product_id)
			focus = W_ROW + (int)i;
	}
	wform_add(f, W_BUTTON, W_ADD, ADD_ROW, ROW_COL, ROW_COL, 30, _("Add a product"),
		  _("Register a Canon product: model, serial number, date, country and dealer."));
	app_nav_buttons(a, _("Back"), _("Next"));
	wform_focus(f, focus);
	place_rows(a);
}

static void draw(struct app *a)
{
	struct state *s = a->state;
	char line[512];
	const char *tick = page_tick(a);

	snprintf(line, sizeof(line),
		 _("A product with the green tick (%s) has every mandatory detail, and its points "
		   "count. Choose a product to see it or to add what is missing (!)."), tick);
	app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL, line);
	if (!s)
		return;
	place_rows(a);
	if (s->n == 0) {
		app_wrap(a, LIST_TOP, LABEL_COL, APP_TEXT_WIDTH - LABEL_COL, 3, R_NORMAL,
			     _("You have not registered any products yet. Choose \"Add a product\" "
			       "to register your first Canon product."));
	} else {
		line[0] = '\0';
		put_cell(line, sizeof(line), _("Model"), MODEL_W, 0);
		put_cell(line, sizeof(line), "", GAP, 0);
		put_cell(line, sizeof(line), _("Serial number"), SERIAL_W, 0);
		put_cell(line, sizeof(line), "", GAP, 0);
		put_cell(line, sizeof(line), _("Points"), POINTS_W, 1);
		app_text(a, HEAD_ROW, LABEL_COL, R_LABEL, line);
	}
	for (int r = 0; r < LIST_ROWS && s->top + r < (int)s->n; r++)
		page_mark(a, LIST_TOP + r, MARK_COL, s->list[s->top + r].complete);
	if (s->n > LIST_ROWS) {
		int last = s->top + LIST_ROWS < (int)s->n ? s->top + LIST_ROWS : (int)s->n;
		snprintf(line, sizeof(line), _("Products %d-%d of %zu; Up and Down move through the list."),
			 s->top + 1, last, s->n);
		app_text(a, SCROLL_ROW, LABEL_COL, R_STEP_CLOSED, line);
	}

	/* the points and the invitation, as the engine counts them */
	char num[32];
	if (s->n)
		snprintf(line, sizeof(line),
			 dngettext(CPS_TEXTDOMAIN,
				   "Total: %s points. With the green tick: %d of %d product.",
				   "Total: %s points. With the green tick: %d of %d products.",
				   a->flow.products_registered),
			 cps_points_text(a->flow.points, num, sizeof(num)),
			 a->flow.products_complete, a->flow.products_registered);
	else
		snprintf(line, sizeof(line), "%s", _("Total: 0 points."));
	app_text(a, TOTAL_ROW, APP_COL, R_NORMAL, line);
	if (a->flow.invited) {
		app_text(a, TOTAL_ROW + 1, APP_COL, R_TICK,
			 _("You are invited to join CPS: Next takes you on."));
	} else {
		snprintf(line, sizeof(line),
			 dngettext(CPS_TEXTDOMAIN,
				   "%d more point for the invitation to join CPS (at %d points).",
				   "%d more points for the invitation to join CPS (at %d points).",
				   a->flow.points_missing),
			 a->flow.points_missing, a->flow.invite_points);
		app_text(a, TOTAL_ROW + 1, APP_COL, R_NORMAL, line);
	}
	if (s->incomplete) {
		snprintf(line, sizeof(line),
			 dngettext(CPS_TEXTDOMAIN,
				   "Giving the missing details of %d product (!) would add %s points.",
				   "Giving the missing details of %d products (!) would add %s points.",
				   s->incomplete),
			 s->incomplete, cps_points_text(s->would_add, num, sizeof(num)));
		app_text(a, TOTAL_ROW + 2, APP_COL, R_WARN, line);
	}
}

static void event(struct app *a, struct wevent ev)
{
	struct state *s = a->state;

	if (ev.what != WR_ACTIVATE)
		return;
	if (ev.id == W_ADD) {
		a->session.product_id = 0;
		app_go(a, &page_product);
	} else if (s && ev.id >= W_ROW && ev.id - W_ROW < (int)s->n) {
		a->session.product_id = s->list[ev.id - W_ROW].id;
		app_go(a, &page_product);
	}
}

const struct page page_products = {
	.name = "products",
	.step = CPS_STEP_PRODUCTS,
	.title = N_("My products"),
	.help = N_("Register all your Canon products here. Each product needs four mandatory "
		   "details for its points: serial number, purchase date, country of purchase and "
		   "dealer.\n\n"
		   "A product with the green tick (shown as OK on some terminals) has every detail, "
		   "and its points are counted. Without the green tick, choose the product (\"View "
		   "product\") and check it: some of the mandatory details may be missing. Don't "
		   "worry if you don't remember exactly - just give your best guess.\n\n"
		   "Products of an old CPS account are moved in the next step."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.draw = draw,
};
