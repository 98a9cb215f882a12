/* page_apply.c - the business account application (DOMAIN 1.1): the form
 * on three screens (company; contact person; VAT and proof document), the
 * review before it is sent, and the page that confirms it was sent.
 *
 * Every field is checked by the engine as it is left and saved to the
 * draft at once, so a customer who walks away loses nothing; the draft and
 * its resume code are made at the first field saved.  The engine decides
 * what is valid, which proof documents fit, and when the application may
 * be sent: this file only shows its answers. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "frame.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"

#define SCREENS 3
#define LAST_ROW 17             /* row 18 holds Back and Next */

/* widget ids: a field of the form is W_F + its enum cps_app_field (the
 * file of the proof document is W_F + CPS_FIELD_DOCUMENT); the kinds of
 * proof document are W_DOC + enum cps_doc_type */
enum { W_F = 1, W_DOC = 100, W_CORRECT = 200 };

/* Set by the review before it opens the form: the field to correct (its
 * screen opens with the problems shown), or only the screen to open. */
static int goto_field = -1;
static int goto_screen = -1;

/* What the form held when the customer last left it for the review in
 * this session: typed text the engine did not take (it is not stored),
 * the kind of document chosen before its file.  Only for the same
 * application; the store is the truth after a restart. */
struct memo;
static struct memo *memo;

/* ---- text helpers ------------------------------------------------------ */

/* Cuts (sanitised) text to width columns, ending in the ellipsis when it
 * had to be cut. */
static void fit(const char *in, int width, char *out, size_t len)
{
	char clean[2048];

	text_cut(sanitize_line(in, clean, sizeof(clean)), width, out, len);
}

/* The message without the "Field label: " the engine puts before a
 * refusal to save, when it is shown under that very field. */
static const char *strip_label(const char *msg, enum cps_app_field f)
{
	const char *label = cps_app_field_label(f);
	size_t n = strlen(label);

	if (n && strncmp(msg, label, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

static int blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* The first line of the page: the resume code, or that it is coming. */
static void draw_code_line(struct app *a)
{
	char line[256];

	if (!a->resume_code[0]) {
		app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL, a->account_id
			  ? _("Your answers are saved as you go.")
			  : _("Your answers are saved as you go; you get a resume code to continue later."));
		return;
	}
	snprintf(line, sizeof(line), _("Your resume code: %s (write it down to continue later)"),
		 a->resume_code);
	app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL, line);
	const char *at = strstr(line, a->resume_code);
	if (at) {
		char pre[256];
		snprintf(pre, sizeof(pre), "%.*s", (int)(at - line), line);
		int x = APP_COL + text_width(pre);
		if (x + text_width(a->resume_code) <= APP_COL + APP_TEXT_WIDTH)
			app_text(a, 0, x, R_TITLE, a->resume_code);
	}
}

/* ---- the form's state -------------------------------------------------- */

struct xlabel {
	int row, rows;
	int role;
	char text[160];
};

struct apply_state {
	struct cps_application app;      /* as the engine saved it */
	int screen;                       /* 0 .. SCREENS - 1 */
	int locked;                       /* sent: nothing to change here */
	char text[CPS_FIELD_COUNT][W_VALUE_MAX];    /* what each field shows */
	char err[CPS_FIELD_COUNT][CPS_ERROR_MAX];   /* the engine's message */
	char doctype_err[CPS_ERROR_MAX];
	enum cps_doc_type doc_type;       /* the kind of proof document chosen */
	char attached_path[W_VALUE_MAX];  /* attached in this session */
	enum cps_doc_type attached_type;
	int focus_id;                     /* to focus after the next layout */
	struct xlabel xl[12];             /* labels drawn by the page */
	int nxl;
};

struct memo {
	long long account_id;
	char text[CPS_FIELD_COUNT][W_VALUE_MAX];
	char err[CPS_FIELD_COUNT][CPS_ERROR_MAX];
	enum cps_doc_type doc_type;
	char attached_path[W_VALUE_MAX];
	enum cps_doc_type attached_type;
};

static void memo_forget(void)
{
	free(memo);
	memo = NULL;
}

static const char *yes_no[2];

/* The customer's text field of the application, or NULL for the others. */
static char *field_buf(struct cps_application *p, enum cps_app_field f, size_t *size)
{
#define B(m) do { *size = sizeof(p->m); return p->m; } while (0)
	switch (f) {
	case CPS_FIELD_COMPANY: B(company);
	case CPS_FIELD_COUNTRY: B(country);
	case CPS_FIELD_STREET: B(street);
	case CPS_FIELD_POSTCODE: B(postcode);
	case CPS_FIELD_CITY: B(city);
	case CPS_FIELD_FIRST_NAME: B(first_name);
	case CPS_FIELD_LAST_NAME: B(last_name);
	case CPS_FIELD_EMAIL: B(email);
	case CPS_FIELD_PHONE: B(phone);
	case CPS_FIELD_LANGUAGE: B(language);
	case CPS_FIELD_VAT_NUMBER: B(vat_number);
	case CPS_FIELD_OLD_EMAIL: B(old_email);
	default: break;
	}
#undef B
	*size = 0;
	return NULL;
}

static int screen_of(enum cps_app_field f)
{
	switch (f) {
	case CPS_FIELD_COMPANY: case CPS_FIELD_COUNTRY: case CPS_FIELD_STREET:
	case CPS_FIELD_POSTCODE: case CPS_FIELD_CITY:
		return 0;
	case CPS_FIELD_FIRST_NAME: case CPS_FIELD_LAST_NAME: case CPS_FIELD_EMAIL:
	case CPS_FIELD_PHONE: case CPS_FIELD_LANGUAGE: case CPS_FIELD_OLD_EMAIL:
		return 1;
	default:
		return 2;
	}
}

static const char *country_name(struct app *a, const char *code)
{
	const struct cps_country *c = code[0] ? cps_country_find(a->e, code) : NULL;
	return c ? c->name : code;
}

/* What a field shows for the saved value. */
static void show_saved(struct app *a, enum cps_app_field f)
{
	struct apply_state *st = a->state;
	size_t size;
	const char *v = field_buf(&st->app, f, &size);

	if (!v || f == CPS_FIELD_LANGUAGE)
		return;
	if (f == CPS_FIELD_COUNTRY)
		v = country_name(a, v);
	sanitize_line(v, st->text[f], sizeof(st->text[f]));
	if (wform_get(&a->form, W_F + (int)f))
		wform_set_text(&a->form, W_F + (int)f, st->text[f]);
}

static int ci_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

static int ci_contains(const char *s, const char *p)
{
	size_t n = strlen(p);

	for (; *s; s++)
		if (strncasecmp(s, p, n) == 0)
			return 1;
	return 0;
}

static void trim_copy(const char *in, char *out, size_t len)
{
	while (*in == ' ')
		in++;
	snprintf(out, len, "%s", in);
	size_t n = strlen(out);
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
}

/* Suggestions for the country field: the countries where CPS takes
 * business accounts whose code or name fits what was typed. */
static int country_suggest(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max)
{
	struct app *a = arg;
	char t[64];
	int n = 0;
	size_t count = cps_country_count(a->e);
	unsigned char taken[512] = { 0 };

	trim_copy(text, t, sizeof(t));
	if (!t[0])
		return 0;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < count && i < sizeof(taken) && n < max; i++) {
			const struct cps_country *c = cps_country_at(a->e, i);
			int hit = pass == 0 ? strcasecmp(c->code, t) == 0
				: pass == 1 ? ci_prefix(c->name, t) : ci_contains(c->name, t);
			if (!c->cps || taken[i] || !hit)
				continue;
			taken[i] = 1;
			sanitize_line(c->name, out[n], W_SUGGEST_LEN);
			n++;
		}
	}
	return n;
}

/* Turns what was typed into the country field into a code: a name, a
 * code, or the start of one name.  Returns 0, or -1 with a message. */
static int country_code(struct app *a, const char *text, char code[3], char *msg, size_t len)
{
	char t[128];
	size_t count = cps_country_count(a->e);
	const struct cps_country *one = NULL;
	int prefix_cps = 0, prefix_all = 0;
	const struct cps_country *first_cps = NULL, *first_all = NULL;

	trim_copy(text, t, sizeof(t));
	code[0] = '\0';
	if (!t[0])
		return 0;
	for (size_t i = 0; i < count; i++) {
		const struct cps_country *c = cps_country_at(a->e, i);
		if (strcasecmp(c->name, t) == 0)
			one = c;
	}
	if (!one)
		one = cps_country_find(a->e, t);
	if (!one) {
		for (size_t i = 0; i < count; i++) {
			const struct cps_country *c = cps_country_at(a->e, i);
			if (!ci_prefix(c->name, t))
				continue;
			prefix_all++;
			first_all = c;
			if (c->cps) {
				prefix_cps++;
				first_cps = c;
			}
		}
		one = prefix_cps == 1 ? first_cps : prefix_all == 1 ? first_all : NULL;
	}
	if (!one) {
		if (prefix_all > 1)
			snprintf(msg, len, _("Several countries start with \"%s\": please pick one from the list."), t);
		else
			snprintf(msg, len, _("No country is called \"%s\": type the first letters and pick it from the list."), t);
		return -1;
	}
	snprintf(code, 3, "%s", one->code);
	return 0;
}

/* Suggestions for the document's file: the entries of the folder typed
 * so far that start with the last part; folders end in '/'. */
struct name_ent {
	char *name;
	int dir;
};

static int cmp_name(const void *x, const void *y)
{
	return strcmp(((const struct name_ent *)x)->name, ((const struct name_ent *)y)->name);
}

static int valid_name(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return mbstowcs(NULL, s, 0) != (size_t)-1;
}

static void expand_home(const char *in, char *out, size_t len)
{
	const char *home = getenv("HOME");

	if (in[0] == '~' && (in[1] == '/' || in[1] == '\0') && home && *home)
		snprintf(out, len, "%s%s", home, in + 1);
	else
		snprintf(out, len, "%s", in);
}

static int file_suggest(void *arg, const char *text, char out[][W_SUGGEST_LEN], int max)
{
	char shown[W_VALUE_MAX], real[W_VALUE_MAX + 256];
	const char *slash = strrchr(text, '/');
	const char *base = slash ? slash + 1 : text;
	struct name_ent *v = NULL;
	size_t nv = 0, cap = 0;
	int n = 0;
	DIR *d;

	(void)arg;
	if (!text[0] || (text[0] == '~' && !slash))
		return 0;
	snprintf(shown, sizeof(shown), "%.*s", slash ? (int)(slash - text + 1) : 0, text);
	expand_home(shown[0] ? shown : ".", real, sizeof(real));
	d = opendir(real);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct stat sb;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (!ci_prefix(e->d_name, base) || !valid_name(e->d_name))
			continue;
		if (strlen(shown) + strlen(e->d_name) + 2 > W_SUGGEST_LEN)
			continue;
		if (nv == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct name_ent *nvp = realloc(v, nc * sizeof(*v));
			if (!nvp)
				break;
			v = nvp;
			cap = nc;
		}
		v[nv].name = strdup(e->d_name);
		if (!v[nv].name)
			break;
		v[nv].dir = fstatat(dirfd(d), e->d_name, &sb, 0) == 0 && S_ISDIR(sb.st_mode);
		nv++;
		if (nv >= 4096)
			break;
	}
	closedir(d);
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_name);
	for (size_t i = 0; i < nv; i++) {
		if (n < max)
			snprintf(out[n++], W_SUGGEST_LEN, "%s%s%s", shown, v[i].name, v[i].dir ? "/" : "");
		free(v[i].name);
	}
	free(v);
	return n;
}

/* ---- saving ------------------------------------------------------------- */

static void set_err(struct apply_state *st, enum cps_app_field f, const char *msg)
{
	snprintf(st->err[f], sizeof(st->err[f]), "%s", msg ? msg : "");
}

static void set_step(struct app *a)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	char step[CPS_APP_STEP_SIZE];

	if (!a->account_id || st->locked)
		return;
	snprintf(step, sizeof(step), "apply:%d", st->screen + 1);
	if (strcmp(step, st->app.wizard_step) == 0)
		return;
	if (cps_application_set_step(a->e, a->account_id, step, &err) == CPS_OK)
		snprintf(st->app.wizard_step, sizeof(st->app.wizard_step), "%s", step);
}

/* Saves cand as the draft (the first save makes the draft and its resume
 * code).  A field that no longer checks against the others (a VAT number
 * after the country changed) is left out of the save and marked; the
 * customer sees it when they get to it. */
static enum cps_err save(struct app *a, struct cps_application *cand, enum cps_app_field changed,
			 struct cps_error *err)
{
	struct apply_state *st = a->state;
	enum cps_err rc;

	for (int g = 0; g < CPS_FIELD_COUNT; g++) {
		size_t size;
		char *v = field_buf(cand, (enum cps_app_field)g, &size);
		struct cps_error e1 = { 0 };
		if (!v || g == (int)changed || !v[0])
			continue;
		if (cps_application_check_field(a->e, cand, (enum cps_app_field)g, v, NULL, 0, &e1) != CPS_OK) {
			set_err(st, (enum cps_app_field)g, e1.msg);
			v[0] = '\0';
		}
	}
	snprintf(cand->wizard_step, sizeof(cand->wizard_step), "%s", st->app.wizard_step);
	if (!a->account_id) {
		char code[CPS_RESUME_CODE_SIZE];
		rc = cps_application_new_draft(a->e, cand, code, sizeof(code), err);
		if (rc != CPS_OK)
			return rc;
		a->account_id = cand->id;
		snprintf(a->resume_code, sizeof(a->resume_code), "%s", code);
		st->app = *cand;
		set_step(a);
		app_refresh_flow(a);
		return CPS_OK;
	}
	cand->id = a->account_id;
	rc = cps_application_save_draft(a->e, cand, err);
	if (rc == CPS_OK)
		st->app = *cand;
	return rc;
}

/* Checks value for text field f and saves it when it changed.  An emptied
 * field is saved empty (a draft may have empty fields) and marked. */
static void commit_text(struct app *a, enum cps_app_field f, const char *value)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	char norm[W_VALUE_MAX];
	size_t size;
	const char *cur = field_buf(&st->app, f, &size);
	struct cps_application cand;

	if (!cur)
		return;
	if (cps_application_check_field(a->e, &st->app, f, value, norm, sizeof(norm), &err) != CPS_OK) {
		set_err(st, f, err.msg);
		if (blank(value) && cur[0]) {
			struct cps_error e2 = { 0 };
			cand = st->app;
			field_buf(&cand, f, &size)[0] = '\0';
			save(a, &cand, f, &e2);
		}
		return;
	}
	set_err(st, f, "");
	if (strcmp(norm, cur) == 0) {
		show_saved(a, f);
		return;
	}
	cand = st->app;
	snprintf(field_buf(&cand, f, &size), size, "%s", norm);
	if (save(a, &cand, f, &err) != CPS_OK) {
		set_err(st, f, strip_label(err.msg, f));
		return;
	}
	show_saved(a, f);
}

static void commit_country(struct app *a, const char *text)
{
	struct apply_state *st = a->state;
	char code[3], msg[CPS_ERROR_MAX];

	if (country_code(a, text, code, msg, sizeof(msg)) != 0) {
		set_err(st, CPS_FIELD_COUNTRY, msg);
		return;
	}
	commit_text(a, CPS_FIELD_COUNTRY, code);
}

/* The document's message when the kind attached no longer fits the VAT
 * answer, else "". */
static void check_doc_fit(struct app *a)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };

	st->doctype_err[0] = '\0';
	if (st->app.doc.type != CPS_DOC_NONE &&
	    cps_application_check_field(a->e, &st->app, CPS_FIELD_DOCUMENT,
					cps_doc_type_id(st->app.doc.type), NULL, 0, &err) != CPS_OK)
		snprintf(st->doctype_err, sizeof(st->doctype_err), "%s", err.msg);
	if (st->doc_type != CPS_DOC_NONE && !cps_doc_type_fits(st->doc_type, st->app.vat_registered))
		st->doc_type = CPS_DOC_NONE;
	if (st->doc_type == CPS_DOC_NONE && cps_doc_type_fits(st->app.doc.type, st->app.vat_registered))
		st->doc_type = st->app.doc.type;
}

static void attach(struct app *a, const char *path)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	char real[W_VALUE_MAX + 256];

	if (!a->account_id) {
		struct cps_application cand = st->app;
		if (save(a, &cand, CPS_FIELD_DOCUMENT, &err) != CPS_OK) {
			set_err(st, CPS_FIELD_DOCUMENT, err.msg);
			return;
		}
	}
	expand_home(path, real, sizeof(real));
	if (cps_document_attach(a->e, a->account_id, st->doc_type, real, &err) != CPS_OK) {
		set_err(st, CPS_FIELD_DOCUMENT, err.msg);
		return;
	}
	set_err(st, CPS_FIELD_DOCUMENT, "");
	snprintf(st->attached_path, sizeof(st->attached_path), "%s", path);
	st->attached_type = st->doc_type;
	struct cps_application fresh;
	if (cps_application_load(a->e, a->account_id, &fresh, &err) == CPS_OK)
		st->app = fresh;
	check_doc_fit(a);
}

/* The document's file field was left (or a file picked from the list). */
static void commit_file(struct app *a, const char *path)
{
	struct apply_state *st = a->state;
	char p[W_VALUE_MAX];

	trim_copy(path, p, sizeof(p));
	snprintf(st->text[CPS_FIELD_DOCUMENT], sizeof(st->text[0]), "%s", p);
	if (!p[0]) {
		struct cps_error err = { 0 };
		/* no file given: the engine says what is missing */
		if (a->account_id && st->app.doc.type == CPS_DOC_NONE &&
		    cps_document_attach(a->e, a->account_id, st->doc_type, "", &err) != CPS_OK)
			set_err(st, CPS_FIELD_DOCUMENT, err.msg);
		else
			set_err(st, CPS_FIELD_DOCUMENT, "");
		return;
	}
	if (strcmp(p, st->attached_path) == 0 && st->doc_type == st->attached_type &&
	    st->app.doc.type == st->doc_type)
		return;
	attach(a, p);
}

/* Reads the fields of the screen and saves those that changed since they
 * were last saved (for Back, Next, and leaving the page). */
static void save_screen(struct app *a)
{
	struct apply_state *st = a->state;

	for (int f = 0; f < CPS_FIELD_COUNT; f++) {
		struct widget *w = wform_get(&a->form, W_F + f);
		if (!w || (w->kind != W_TEXT && w->kind != W_PICKER))
			continue;
		const char *v = wform_text(&a->form, W_F + f);
		if (strcmp(v, st->text[f]) == 0)
			continue;
		char copy[W_VALUE_MAX];
		snprintf(copy, sizeof(copy), "%s", v);
		snprintf(st->text[f], sizeof(st->text[f]), "%s", copy);
		if (f == CPS_FIELD_COUNTRY)
			commit_country(a, copy);
		else if (f == CPS_FIELD_DOCUMENT)
			commit_file(a, copy);
		else
			commit_text(a, (enum cps_app_field)f, copy);
	}
}

/* ---- layout -------------------------------------------------------------- */

static void add_xlabel(struct apply_state *st, int row, int rows, int role, const char *text)
{
	if (st->nxl >= (int)(sizeof(st->xl) / sizeof(st->xl[0])))
		return;
	st->xl[st->nxl].row = row;
	st->xl[st->nxl].rows = rows;
	st->xl[st->nxl].role = role;
	snprintf(st->xl[st->nxl].text, sizeof(st->xl[0].text), "%s", text);
	st->nxl++;
}

/* A field with its label left of it; a label too long for its column is
 * drawn by the page on two rows (the second is free: errors start at the
 * field's column). */
static struct widget *add_field(struct app *a, enum wkind kind, enum cps_app_field f, int row,
				int width, int maxlen, const char *label, const char *hint)
{
	struct apply_state *st = a->state;
	int fits = text_width(label) <= APP_LABEL_WIDTH;
	struct widget *w = wform_add(&a->form, kind, W_F + (int)f, row, APP_COL, APP_FIELD_COL,
				     width, fits ? label : "", hint);

	if (!w)
		return NULL;
	if (!fits)
		add_xlabel(st, row, 2, R_LABEL, label);
	if (maxlen > 0)
		w->maxlen = maxlen;
	sanitize_line(st->text[f], w->value, sizeof(w->value));
	return w;
}

/* An error under its field, cut to the 78 columns of the screen (the
 * box below the fields shows the whole text). */
static void set_widget_error(struct widget *w, const char *msg)
{
	int col = w->kind == W_CHECK || w->kind == W_BUTTON ? w->col : w->fcol;

	fit(msg, 78 - col, w->error, sizeof(w->error));
}

/* The errors kept in the state, under their fields. */
static void show_errors(struct app *a)
{
	struct apply_state *st = a->state;

	for (int f = 0; f < CPS_FIELD_COUNT; f++) {
		struct widget *w = wform_get(&a->form, W_F + f);
		if (w)
			set_widget_error(w, st->err[f]);
	}
	struct widget *last = NULL;
	for (int t = CPS_DOC_NONE + 1; t < CPS_DOC_COUNT; t++)
		if (wform_get(&a->form, W_DOC + t))
			last = wform_get(&a->form, W_DOC + t);
	if (last)
		set_widget_error(last, st->doctype_err);
}

static int top_row(struct app *a)
{
	struct apply_state *st = a->state;

	return st->app.status == CPS_APP_REJECTED && st->screen == 0 ? 5 : 3;
}

static void layout_company(struct app *a)
{
	int r = top_row(a);
	struct widget *w;

	add_field(a, W_TEXT, CPS_FIELD_COMPANY, r, 50, CPS_APP_NAME_CHARS,
		  cps_app_field_label(CPS_FIELD_COMPANY),
		  _("The company's legal name, as it is registered."));
	w = add_field(a, W_PICKER, CPS_FIELD_COUNTRY, r + 2, 30, 60,
		      cps_app_field_label(CPS_FIELD_COUNTRY),
		      _("Type the first letters, then pick the country with the arrows and Enter."));
	if (w) {
		w->suggest = country_suggest;
		w->suggest_arg = a;
	}
	add_field(a, W_TEXT, CPS_FIELD_STREET, r + 4, 50, CPS_APP_NAME_CHARS,
		  cps_app_field_label(CPS_FIELD_STREET),
		  _("Street and number of the company's registered address."));
	add_field(a, W_TEXT, CPS_FIELD_POSTCODE, r + 6, 12, CPS_APP_POSTCODE_CHARS,
		  cps_app_field_label(CPS_FIELD_POSTCODE), _("The postcode of that address."));
	add_field(a, W_TEXT, CPS_FIELD_CITY, r + 8, 40, CPS_APP_SHORT_CHARS,
		  cps_app_field_label(CPS_FIELD_CITY), _("The city of that address."));
}

static void layout_contact(struct app *a)
{
	struct apply_state *st = a->state;
	struct widget *w;

	add_field(a, W_TEXT, CPS_FIELD_FIRST_NAME, 3, 40, CPS_APP_SHORT_CHARS, _("First name"),
		  _("The first name of the person we contact about the application."));
	add_field(a, W_TEXT, CPS_FIELD_LAST_NAME, 5, 40, CPS_APP_SHORT_CHARS, _("Last name"),
		  _("The last name of the contact person."));
	add_field(a, W_TEXT, CPS_FIELD_EMAIL, 7, 50, 0, cps_app_field_label(CPS_FIELD_EMAIL),
		  _("The answer, and later the e-mail to set your password, go to this address."));
	add_field(a, W_TEXT, CPS_FIELD_PHONE, 9, 24, 40, _("Phone (optional)"),
		  _("Optional: a phone number, e.g. +45 12 34 56 78."));
	w = add_field(a, W_CHOICE, CPS_FIELD_LANGUAGE, 11, 54, 0,
		      cps_app_field_label(CPS_FIELD_LANGUAGE),
		      _("The language of our e-mails to you: the arrows or Space change it."));
	if (w) {
		w->options = app_language_names;
		w->noptions = APP_LANGUAGES;
		w->selected = st->app.language[0] ? app_language_find(st->app.language) : -1;
		w->value[0] = '\0';
	}
	add_field(a, W_TEXT, CPS_FIELD_OLD_EMAIL, 13, 50, 0, _("Old CPS e-mail (optional)"),
		  _("Optional: so that your previously registered products can be transferred."));
}

/* The kinds of proof document that fit the VAT answer, from the engine. */
static int fitting_docs(const struct apply_state *st, enum cps_doc_type out[CPS_DOC_COUNT])
{
	int n = 0;

	for (int t = CPS_DOC_NONE + 1; t < CPS_DOC_COUNT; t++)
		if (cps_doc_type_fits((enum cps_doc_type)t, st->app.vat_registered))
			out[n++] = (enum cps_doc_type)t;
	return n;
}

static void ident_label(struct app *a, char *out, size_t len)
{
	struct apply_state *st = a->state;

	snprintf(out, len, "%s", cps_ident_name(st->app.country[0] ? st->app.country : NULL));
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)toupper((unsigned char)out[0]);
}

static void layout_vat(struct app *a)
{
	struct apply_state *st = a->state;
	enum cps_doc_type docs[CPS_DOC_COUNT];
	char label[128], hint[256];
	struct widget *w;
	int n = fitting_docs(st, docs);

	yes_no[0] = _("Yes");
	yes_no[1] = _("No");
	w = add_field(a, W_CHOICE, CPS_FIELD_VAT_REGISTERED, 3, 30, 0,
		      cps_app_field_label(CPS_FIELD_VAT_REGISTERED),
		      _("Is the company registered for VAT? The arrows or Space choose."));
	if (w) {
		w->options = yes_no;
		w->noptions = 2;
		w->selected = st->app.vat_registered == CPS_VAT_YES ? 0
			    : st->app.vat_registered == CPS_VAT_NO ? 1 : -1;
		w->value[0] = '\0';
	}
	ident_label(a, label, sizeof(label));
	if (st->app.vat_registered == CPS_VAT_YES) {
		snprintf(hint, sizeof(hint), _("The company's %s; spaces, dots and the country prefix are fine."),
			 cps_ident_name(st->app.country[0] ? st->app.country : NULL));
		add_field(a, W_TEXT, CPS_FIELD_VAT_NUMBER, 5, 24, 40, label, hint);
	} else {
		add_xlabel(st, 5, 2, R_STEP_CLOSED, label);
	}

	add_xlabel(st, 7, n > 1 ? n : 1, R_LABEL, cps_app_field_label(CPS_FIELD_DOCUMENT));
	for (int i = 0; i < n; i++) {
		w = wform_add(&a->form, W_CHECK, W_DOC + (int)docs[i], 7 + i, APP_FIELD_COL, APP_FIELD_COL, 54,
			      cps_doc_type_label(docs[i]),
			      _("Space or Enter chooses this kind of proof document."));
		if (w)
			w->checked = st->doc_type == docs[i];
	}
	w = add_field(a, W_PICKER, CPS_FIELD_DOCUMENT, 11, 50, 0, _("Document file"),
		      _("Type the file's path; pick from the list with the arrows and Enter."));
	if (w)
		w->suggest = file_suggest;
	w = wform_add(&a->form, W_CHECK, W_F + CPS_FIELD_AUTHORISED, 13, APP_COL, APP_COL, 76,
		      cps_app_field_label(CPS_FIELD_AUTHORISED),
		      _("Space or Enter ticks the box; it is needed to send the application."));
	if (w)
		w->checked = st->app.authorised;
}

static void layout(struct app *a)
{
	struct apply_state *st = a->state;

	if (!st)
		return;
	st->nxl = 0;
	if (!st->locked) {
		if (st->screen == 0)
			layout_company(a);
		else if (st->screen == 1)
			layout_contact(a);
		else
			layout_vat(a);
	}
	app_nav_buttons(a, _("Back"), st->locked ? _("Next") :
			st->screen == SCREENS - 1 ? _("Check and send") : _("Next"));
	show_errors(a);
	if (st->focus_id) {
		wform_focus(&a->form, st->focus_id);
		st->focus_id = 0;
	}
}

/* ---- moving between the screens -------------------------------------------- */

static int first_id(struct app *a)
{
	struct apply_state *st = a->state;

	if (st->screen == 0)
		return W_F + CPS_FIELD_COMPANY;
	if (st->screen == 1)
		return W_F + CPS_FIELD_FIRST_NAME;
	return W_F + CPS_FIELD_VAT_REGISTERED;
}

/* The widget that shows a field (the kinds of document for a document
 * without a kind). */
static int widget_of(struct app *a, enum cps_app_field f)
{
	struct apply_state *st = a->state;

	if (f == CPS_FIELD_DOCUMENT && st->doc_type == CPS_DOC_NONE) {
		enum cps_doc_type docs[CPS_DOC_COUNT];
		if (fitting_docs(st, docs) > 0)
			return W_DOC + (int)docs[0];
	}
	return W_F + (int)f;
}

static void go_screen(struct app *a, int screen)
{
	struct apply_state *st = a->state;

	st->screen = screen;
	set_step(a);
	app_relayout(a);
	show_errors(a);
	wform_focus(&a->form, first_id(a));
}

static int count_errors(const struct apply_state *st, int screen)
{
	int n = 0;

	for (int f = 0; f < CPS_FIELD_COUNT; f++)
		if (screen_of((enum cps_app_field)f) == screen && st->err[f][0])
			n++;
	if (screen == 2 && st->doctype_err[0])
		n++;
	return n;
}

/* ---- the page ------------------------------------------------------------- */

static int enter(struct app *a)
{
	struct apply_state *st = calloc(1, sizeof(*st));
	struct cps_error err = { 0 };
	int want_field = goto_field, want_screen = goto_screen;

	goto_field = goto_screen = -1;
	if (!st)
		return -1;
	a->state = st;
	st->app.vat_registered = CPS_VAT_UNANSWERED;
	if (a->account_id) {
		if (cps_application_load(a->e, a->account_id, &st->app, &err) != CPS_OK) {
			app_message(a, 1, "%s", err.msg);
			memset(&st->app, 0, sizeof(st->app));
			st->app.vat_registered = CPS_VAT_UNANSWERED;
			a->account_id = 0;
			a->resume_code[0] = '\0';
		}
	}
	if (st->app.status == CPS_APP_PENDING || st->app.status == CPS_APP_VALIDATED) {
		st->locked = 1;
		return 0;
	}
	for (int f = 0; f < CPS_FIELD_COUNT; f++)
		show_saved(a, (enum cps_app_field)f);
	if (memo && memo->account_id == a->account_id && a->account_id) {
		memcpy(st->text, memo->text, sizeof(st->text));
		memcpy(st->err, memo->err, sizeof(st->err));
		st->doc_type = memo->doc_type;
		memcpy(st->attached_path, memo->attached_path, sizeof(st->attached_path));
		st->attached_type = memo->attached_type;
	}
	if (!a->account_id && !st->app.language[0])
		snprintf(st->app.language, sizeof(st->app.language), "%s", app_language());
	check_doc_fit(a);

	int step = 0;
	if (sscanf(st->app.wizard_step, "apply:%d", &step) == 1 && step >= 1 && step <= SCREENS)
		st->screen = step - 1;
	else if (strcmp(st->app.wizard_step, "review") == 0)
		st->screen = SCREENS - 1;
	if (st->app.status == CPS_APP_REJECTED)
		st->screen = 0;     /* the reason is shown at the top of the first screen */
	if (want_screen >= 0 && want_screen < SCREENS)
		st->screen = want_screen;
	if (want_field >= 0 && want_field < CPS_FIELD_COUNT) {
		/* from the review: show every problem where it is */
		struct cps_app_problems probs;
		cps_application_validate(a->e, &st->app, &probs, &err);
		for (size_t i = 0; i < probs.n; i++) {
			if (probs.v[i].field == CPS_FIELD_DOCUMENT && st->app.doc.type != CPS_DOC_NONE)
				snprintf(st->doctype_err, sizeof(st->doctype_err), "%s", probs.v[i].msg);
			else if (!st->err[probs.v[i].field][0])   /* keep a more exact one */
				set_err(st, probs.v[i].field, probs.v[i].msg);
		}
		st->screen = screen_of((enum cps_app_field)want_field);
		st->focus_id = widget_of(a, (enum cps_app_field)want_field);
	}
	set_step(a);
	return 0;
}

static void leave(struct app *a)
{
	struct apply_state *st = a->state;

	if (!st || st->locked)
		return;
	/* Without a draft yet, leaving makes none: its resume code would
	 * never have been shown, so nobody could come back to it. */
	if (a->account_id)
		save_screen(a);   /* the screen itself was saved when it was opened */
	if (!a->account_id) {
		memo_forget();
		return;
	}
	if (!memo)
		memo = calloc(1, sizeof(*memo));
	if (!memo)
		return;
	memo->account_id = a->account_id;
	memcpy(memo->text, st->text, sizeof(memo->text));
	memcpy(memo->err, st->err, sizeof(memo->err));
	memo->doc_type = st->doc_type;
	memcpy(memo->attached_path, st->attached_path, sizeof(memo->attached_path));
	memo->attached_type = st->attached_type;
}

static void event(struct app *a, struct wevent ev)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	struct widget *w = wform_get(&a->form, ev.id);

	if (!st || st->locked || !w)
		return;
	if (ev.id >= W_DOC && ev.id < W_DOC + CPS_DOC_COUNT) {
		/* the kinds of document: one is chosen, like radio buttons */
		if (!w->checked) {
			w->checked = 1;
			return;
		}
		for (int t = CPS_DOC_NONE + 1; t < CPS_DOC_COUNT; t++) {
			struct widget *o = wform_get(&a->form, W_DOC + t);
			if (o && o != w)
				o->checked = 0;
		}
		st->doc_type = (enum cps_doc_type)(ev.id - W_DOC);
		st->doctype_err[0] = '\0';
		const char *path = wform_text(&a->form, W_F + CPS_FIELD_DOCUMENT);
		char copy[W_VALUE_MAX];
		trim_copy(path, copy, sizeof(copy));
		if (copy[0])
			commit_file(a, copy);
		else if (st->app.doc.type != CPS_DOC_NONE && st->app.doc.type != st->doc_type)
			set_err(st, CPS_FIELD_DOCUMENT,
				_("Please choose the file again, so that it is kept as this kind of document."));
		show_errors(a);
		return;
	}
	if (ev.id < W_F || ev.id >= W_F + CPS_FIELD_COUNT)
		return;
	enum cps_app_field f = (enum cps_app_field)(ev.id - W_F);
	struct cps_application cand;

	switch (f) {
	case CPS_FIELD_VAT_REGISTERED:
		if (ev.what != WR_CHANGED)
			break;
		cand = st->app;
		cand.vat_registered = w->selected == 0 ? CPS_VAT_YES : CPS_VAT_NO;
		if (save(a, &cand, f, &err) != CPS_OK)
			set_err(st, f, strip_label(err.msg, f));
		else
			set_err(st, f, "");
		check_doc_fit(a);
		save_screen(a);
		app_relayout(a);
		wform_focus(&a->form, ev.id);
		break;
	case CPS_FIELD_LANGUAGE:
		if (ev.what == WR_CHANGED && w->selected >= 0)
			commit_text(a, f, app_language_codes[w->selected]);
		break;
	case CPS_FIELD_AUTHORISED: {
		if (ev.what != WR_CHANGED)
			break;
		cand = st->app;
		cand.authorised = w->checked;
		if (save(a, &cand, f, &err) != CPS_OK)
			set_err(st, f, strip_label(err.msg, f));
		else if (cps_application_check_field(a->e, &st->app, f, w->checked ? "yes" : "no",
						     NULL, 0, &err) != CPS_OK)
			set_err(st, f, err.msg);
		else
			set_err(st, f, "");
		break;
	}
	case CPS_FIELD_DOCUMENT: {
		char copy[W_VALUE_MAX];
		snprintf(copy, sizeof(copy), "%s", wform_text(&a->form, ev.id));
		size_t n = strlen(copy);
		if (ev.what == WR_CHANGED && n && copy[n - 1] == '/') {
			/* a folder was picked: show what is in it */
			w->nsugg = file_suggest(NULL, copy, w->sugg, W_SUGGEST_MAX);
			w->sugg_sel = -1;
			break;
		}
		commit_file(a, copy);
		break;
	}
	case CPS_FIELD_COUNTRY: {
		char copy[W_VALUE_MAX];
		snprintf(copy, sizeof(copy), "%s", wform_text(&a->form, ev.id));
		snprintf(st->text[f], sizeof(st->text[f]), "%s", copy);
		commit_country(a, copy);
		break;
	}
	default:
		if (ev.what == WR_LEAVE) {
			char copy[W_VALUE_MAX];
			snprintf(copy, sizeof(copy), "%s", wform_text(&a->form, ev.id));
			snprintf(st->text[f], sizeof(st->text[f]), "%s", copy);
			commit_text(a, f, copy);
		}
		break;
	}
	show_errors(a);
}

static int key(struct app *a, struct key_event k)
{
	struct apply_state *st = a->state;

	if (!st || (k.cmd != CMD_BACK && k.cmd != CMD_NEXT))
		return 0;
	if (st->locked) {
		app_go(a, k.cmd == CMD_BACK ? &page_welcome : app_page_for_flow(a));
		return 1;
	}
	save_screen(a);
	int errors = count_errors(st, st->screen);
	if (k.cmd == CMD_BACK) {
		if (st->screen == 0)
			app_go(a, &page_welcome);
		else
			go_screen(a, st->screen - 1);
		return 1;
	}
	if (st->screen < SCREENS - 1) {
		go_screen(a, st->screen + 1);
		if (errors)
			app_message(a, 1, dngettext(CPS_TEXTDOMAIN,
				"%d answer on the screen before needs attention; you can correct it later.",
				"%d answers on the screen before need attention; you can correct them later.",
				(unsigned long)errors), errors);
		return 1;
	}
	if (a->account_id) {
		struct cps_error err = { 0 };
		if (cps_application_set_step(a->e, a->account_id, "review", &err) == CPS_OK)
			snprintf(st->app.wizard_step, sizeof(st->app.wizard_step), "review");
	}
	app_go(a, &page_review);
	return 1;
}

/* The full text of a message cut short under its field, or a note for
 * the screen, below the fields. */
static void draw_box(struct app *a, int top)
{
	struct apply_state *st = a->state;
	struct widget *w = wform_focused(&a->form);
	const char *msg = NULL, *label = NULL;
	int rows = LAST_ROW - top + 1;
	char buf[CPS_ERROR_MAX + 512];

	if (rows <= 0 || (w && w->kind == W_PICKER && w->nsugg))
		return;     /* the list of suggestions covers it */
	/* the focused field's message first, then any other that was cut */
	for (int pass = 0; pass < 2 && !msg; pass++) {
		for (int i = 0; i < a->form.n && !msg; i++) {
			struct widget *x = &a->form.w[i];
			const char *full = NULL;
			if (pass == 0 && x != w)
				continue;
			if (x->id >= W_DOC && x->id < W_DOC + CPS_DOC_COUNT)
				full = st->doctype_err;
			else if (x->id >= W_F && x->id < W_F + CPS_FIELD_COUNT)
				full = st->err[x->id - W_F];
			if (!full || !full[0] || strcmp(full, x->error) == 0)
				continue;
			/* the name the screen shows for the field */
			if (x->id >= W_DOC && x->id < W_DOC + CPS_DOC_COUNT)
				label = cps_app_field_label(CPS_FIELD_DOCUMENT);
			else if (x->label[0] && x->kind != W_CHECK)
				label = x->label;
			else
				label = cps_app_field_label((enum cps_app_field)(x->id - W_F));
			msg = full;
		}
	}
	if (msg) {
		snprintf(buf, sizeof(buf), "%s: %s", label, msg);
		app_wrap(a, top, APP_COL, APP_TEXT_WIDTH, rows, R_ERROR, buf);
		return;
	}
	if (st->app.status == CPS_APP_REJECTED && st->screen > 0) {
		app_wrap(a, top, APP_COL, APP_TEXT_WIDTH, rows, R_WARN,
			  a->flow.steps[CPS_STEP_ACCOUNT].why);
		return;
	}
	if (st->screen == 1) {
		app_wrap(a, top, APP_COL, APP_TEXT_WIDTH, rows, R_HINT,
			  _("If you had a CPS account before, give its e-mail address as your old CPS e-mail: the products you registered there can then be transferred."));
	} else if (st->screen == 2) {
		const struct cps_config *cfg = a->cfg;
		snprintf(buf, sizeof(buf),
			 _("The proof document is a scan or photo of the paper: a PDF, JPEG or PNG file of at most %d MiB. No file at hand? Show the paper to staff."),
			 cfg && cfg->document_max_mib > 0 ? cfg->document_max_mib : 10);
		app_wrap(a, top, APP_COL, APP_TEXT_WIDTH, rows, R_HINT, buf);
	} else {
		app_wrap(a, top, APP_COL, APP_TEXT_WIDTH, rows, R_HINT,
			  _("Tab or Enter goes to the next field, Shift-Tab back; Next (^N) opens the next screen, Back (^B) the one before."));
	}
}

static void draw_doc_status(struct app *a, int row)
{
	struct apply_state *st = a->state;
	struct widget *w = wform_get(&a->form, W_F + CPS_FIELD_DOCUMENT);
	const struct cps_document_info *d = &st->app.doc;
	char line[512], size[64];

	if (!w || w->error[0] || d->type == CPS_DOC_NONE)
		return;
	if (d->seen_by[0]) {
		snprintf(line, sizeof(line), _("%s %s: shown on paper to staff (%s)"),
			 a->utf8 ? "\xe2\x9c\x93" : "+", cps_doc_type_label(d->type), d->seen_by);
	} else {
		const char *kind = strstr(d->mime, "pdf") ? "PDF" : strstr(d->mime, "png") ? "PNG"
				 : strstr(d->mime, "jpeg") ? "JPEG" : d->mime;
		if (d->size < 1024 * 1024)
			snprintf(size, sizeof(size), _("%lld KiB"), (d->size + 1023) / 1024);
		else
			snprintf(size, sizeof(size), _("%.1f MiB"), (double)d->size / (1024.0 * 1024.0));
		snprintf(line, sizeof(line), _("%s Attached: %s (%s, %s)"),
			 st->doctype_err[0] ? "" : a->utf8 ? "\xe2\x9c\x93" : "+", d->filename, kind, size);
	}
	char cut[512];
	/* an attached document of a kind that no longer fits gets no tick */
	fit(line[0] == ' ' ? line + 1 : line, 80 - APP_FIELD_COL - 2, cut, sizeof(cut));
	app_text(a, row, APP_FIELD_COL, st->doctype_err[0] ? R_WARN : R_TICK, cut);
}

static void draw(struct app *a)
{
	struct apply_state *st = a->state;
	static const char *const headings[SCREENS] = {
		N_("1 of 3: Company"), N_("2 of 3: Contact person"), N_("3 of 3: VAT and proof document")
	};

	if (!st)
		return;
	draw_code_line(a);
	if (st->locked) {
		int row = app_text(a, 2, APP_COL, R_TITLE, cps_app_status_label(st->app.status));
		row = app_wrap(a, row + 1, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL,
				a->flow.steps[CPS_STEP_ACCOUNT].status);
		app_wrap(a, row + 1, APP_COL, APP_TEXT_WIDTH, 6, R_NORMAL,
			  a->flow.steps[CPS_STEP_VALIDATION].why[0] ? a->flow.steps[CPS_STEP_VALIDATION].why
			  : a->flow.steps[CPS_STEP_VALIDATION].status);
		return;
	}
	app_text(a, 1, APP_COL, R_TITLE, _(headings[st->screen]));
	if (st->app.status == CPS_APP_REJECTED && st->screen == 0)
		app_wrap(a, 2, APP_COL, APP_TEXT_WIDTH, 3, R_WARN, a->flow.steps[CPS_STEP_ACCOUNT].why);
	for (int i = 0; i < st->nxl; i++)
		app_wrap(a, st->xl[i].row, APP_COL, APP_LABEL_WIDTH, st->xl[i].rows, st->xl[i].role,
			  st->xl[i].text);
	if (st->screen == 2) {
		enum cps_doc_type docs[CPS_DOC_COUNT];
		if (st->app.vat_registered != CPS_VAT_YES)
			app_text(a, 5, APP_FIELD_COL, R_STEP_CLOSED,
				 st->app.vat_registered == CPS_VAT_NO
				 ? _("Not needed: the company is not registered for VAT.")
				 : _("Needed only for a company registered for VAT."));
		if (fitting_docs(st, docs) == 0)
			app_text(a, 7, APP_FIELD_COL, R_STEP_CLOSED,
				 _("Answer the VAT question first: the kinds depend on it."));
		draw_doc_status(a, 12);
	}
	int top = st->screen == 0 ? top_row(a) + 10 : 15;
	struct widget *auth = wform_get(&a->form, W_F + CPS_FIELD_AUTHORISED);
	if (st->screen == 2 && auth && !auth->error[0])
		top = 14;   /* the row for the box's error is free */
	draw_box(a, top);
}

const struct page page_apply = {
	.name = "apply",
	.step = CPS_STEP_ACCOUNT,
	.title = N_("Application"),
	.help = N_("The application has three screens: the company; the contact person; VAT and "
		   "the proof document. Each answer is saved as you leave its field. Write down the "
		   "resume code at the top: with it you can continue later. ^N and ^B move between "
		   "the screens; after the last one you check everything and send it."),
	.enter = enter,
	.layout = layout,
	.leave = leave,
	.event = event,
	.key = key,
	.draw = draw,
};

/* ==== the review ============================================================= */

#define REVIEW_PROBLEM_ROW 13
#define REVIEW_PROBLEM_ROWS 5

struct review_state {
	struct cps_application app;
	struct cps_app_problems probs;
	int shown;          /* problems with a Correct button */
};

static void review_load(struct app *a)
{
	struct review_state *st = a->state;
	struct cps_error err = { 0 };

	memset(&st->app, 0, sizeof(st->app));
	st->app.vat_registered = CPS_VAT_UNANSWERED;
	if (a->account_id && cps_application_load(a->e, a->account_id, &st->app, &err) != CPS_OK)
		app_message(a, 1, "%s", err.msg);
	cps_application_validate(a->e, &st->app, &st->probs, &err);
	/* a value the engine refused was never stored: name what was typed
	 * and why it was refused, as the form did */
	for (size_t i = 0; memo && memo->account_id == a->account_id && i < st->probs.n; i++) {
		enum cps_app_field f = st->probs.v[i].field;
		if (memo->err[f][0] && memo->text[f][0])
			snprintf(st->probs.v[i].msg, sizeof(st->probs.v[i].msg), "\"%.60s\": %s",
				 memo->text[f], memo->err[f]);
	}
	st->shown = (int)st->probs.n;
	if (st->shown > REVIEW_PROBLEM_ROWS)
		st->shown = REVIEW_PROBLEM_ROWS - 1;
}

static int review_enter(struct app *a)
{
	struct review_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	a->state = st;
	review_load(a);
	return 0;
}

static int correct_col(void)
{
	char b[160];

	snprintf(b, sizeof(b), "< %s >", _("Correct"));
	return APP_COL + text_width(b) + 1;
}

static void review_layout(struct app *a)
{
	struct review_state *st = a->state;

	if (!st)
		return;
	for (int i = 0; i < st->shown; i++) {
		char hint[256];
		fit(st->probs.v[i].msg, 78, hint, sizeof(hint));
		wform_add(&a->form, W_BUTTON, W_CORRECT + i, REVIEW_PROBLEM_ROW + i, APP_COL, APP_COL,
			  correct_col() - APP_COL - 1, _("Correct"), hint);
	}
	app_nav_buttons(a, _("Back"), _("Send application"));
	struct widget *send = wform_get(&a->form, W_NAV_NEXT);
	if (send && st->probs.n) {
		send->disabled = 1;
		snprintf(send->hint, sizeof(send->hint), "%s",
			 _("The application can be sent once nothing is listed as needing attention."));
	} else if (send) {
		snprintf(send->hint, sizeof(send->hint), "%s",
			 _("Send the application to Canon for validation (^N)."));
		wform_focus(&a->form, W_NAV_NEXT);
	}
}

static int has_problem(const struct review_state *st, enum cps_app_field f)
{
	for (size_t i = 0; i < st->probs.n; i++)
		if (st->probs.v[i].field == f)
			return 1;
	return 0;
}

/* One "label value" pair at col; the label red when one of its fields has
 * a problem; an empty value reads "not given". */
static void review_pair(struct app *a, int row, int col, int lw, int vw, const char *label,
			const char *value, int bad)
{
	app_fit(a, row, col, lw, bad ? R_ERROR : R_LABEL, label);
	if (value && value[0])
		app_fit(a, row, col + lw + 1, vw, R_NORMAL, value);
	else
		app_fit(a, row, col + lw + 1, vw, bad ? R_ERROR : R_STEP_CLOSED, _("not given"));
}

static void review_draw(struct app *a)
{
	struct review_state *st = a->state;
	const struct cps_application *p;
	char v[1024], w2[512];
	int r = 3;
	const int lw = APP_LABEL_WIDTH, vw = 80 - APP_FIELD_COL - 2;   /* full rows */
	const int hv = 15, hl2 = 20, c2 = 42;                 /* half rows */

	if (!st)
		return;
	p = &st->app;
	draw_code_line(a);
	app_text(a, 1, APP_COL, R_TITLE, _("Check your application, then send it"));

	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_COMPANY), p->company,
		    has_problem(st, CPS_FIELD_COMPANY));
	v[0] = '\0';
	snprintf(w2, sizeof(w2), "%s%s%s", p->postcode, p->postcode[0] && p->city[0] ? " " : "", p->city);
	const char *parts[3] = { p->street, w2, p->country[0] ? country_name(a, p->country) : "" };
	for (int i = 0; i < 3; i++) {
		if (!parts[i][0])
			continue;
		size_t n = strlen(v);
		snprintf(v + n, sizeof(v) - n, "%s%s", n ? ", " : "", parts[i]);
	}
	review_pair(a, r++, APP_COL, lw, vw, _("Address"), v,
		    has_problem(st, CPS_FIELD_STREET) || has_problem(st, CPS_FIELD_POSTCODE) ||
		    has_problem(st, CPS_FIELD_CITY) || has_problem(st, CPS_FIELD_COUNTRY));
	snprintf(v, sizeof(v), "%s%s%s", p->first_name, p->first_name[0] && p->last_name[0] ? " " : "",
		 p->last_name);
	review_pair(a, r++, APP_COL, lw, vw, _("Contact person"), v,
		    has_problem(st, CPS_FIELD_FIRST_NAME) || has_problem(st, CPS_FIELD_LAST_NAME));
	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_EMAIL), p->email,
		    has_problem(st, CPS_FIELD_EMAIL));
	review_pair(a, r, APP_COL, lw, hv, cps_app_field_label(CPS_FIELD_PHONE), p->phone,
		    has_problem(st, CPS_FIELD_PHONE));
	int li = p->language[0] ? app_language_find(p->language) : -1;
	const char *lang = li >= 0 ? app_language_names[li] : "";
	review_pair(a, r++, c2, hl2, 80 - c2 - hl2 - 3, _("Language"), lang,
		    has_problem(st, CPS_FIELD_LANGUAGE));
	review_pair(a, r++, APP_COL, lw, vw, _("Old CPS e-mail"), p->old_email,
		    has_problem(st, CPS_FIELD_OLD_EMAIL));
	review_pair(a, r, APP_COL, lw, hv, cps_app_field_label(CPS_FIELD_VAT_REGISTERED),
		    p->vat_registered == CPS_VAT_YES ? _("Yes") : p->vat_registered == CPS_VAT_NO ? _("No") : "",
		    has_problem(st, CPS_FIELD_VAT_REGISTERED));
	if (p->vat_registered == CPS_VAT_YES) {
		char label[128];
		snprintf(label, sizeof(label), "%s", cps_ident_name(p->country[0] ? p->country : NULL));
		if (label[0] >= 'a' && label[0] <= 'z')
			label[0] = (char)toupper((unsigned char)label[0]);
		review_pair(a, r, c2, hl2, 80 - c2 - hl2 - 3, label, p->vat_number,
			    has_problem(st, CPS_FIELD_VAT_NUMBER));
	}
	r++;
	if (p->doc.type == CPS_DOC_NONE)
		v[0] = '\0';
	else if (p->doc.seen_by[0])
		snprintf(v, sizeof(v), _("%s, shown on paper to staff"), cps_doc_type_label(p->doc.type));
	else
		snprintf(v, sizeof(v), "%s: %s", cps_doc_type_label(p->doc.type), p->doc.filename);
	review_pair(a, r++, APP_COL, lw, vw, cps_app_field_label(CPS_FIELD_DOCUMENT), v,
		    has_problem(st, CPS_FIELD_DOCUMENT));
	review_pair(a, r++, APP_COL, lw, vw, _("Authorised"),
		    p->authorised ? _("Yes, I am authorised to provide this information") : "",
		    has_problem(st, CPS_FIELD_AUTHORISED));

	if (st->probs.n == 0) {
		snprintf(v, sizeof(v), "%s %s", a->utf8 ? "\xe2\x9c\x93" : "+",
			 _("Everything needed is there. If all is right, choose \"Send application\"."));
		app_wrap(a, r, APP_COL, APP_TEXT_WIDTH, 2, R_TICK, v);
		return;
	}
	snprintf(v, sizeof(v), dngettext(CPS_TEXTDOMAIN,
		 "%d thing needs attention before the application can be sent:",
		 "%d things need attention before the application can be sent:",
		 (unsigned long)st->probs.n), (int)st->probs.n);
	app_text(a, r, APP_COL, R_ERROR, v);
	int col = correct_col();
	for (int i = 0; i < st->shown; i++) {
		const char *label = cps_app_field_label(st->probs.v[i].field);
		int row = REVIEW_PROBLEM_ROW + i;
		char cut[512];
		fit(label, 78 - col, cut, sizeof(cut));
		app_text(a, row, col, R_ERROR, cut);
		int x = col + text_width(cut) + 2;
		if (x < 76) {
			fit(st->probs.v[i].msg, 78 - x, cut, sizeof(cut));
			app_text(a, row, x, R_NORMAL, cut);
		}
	}
	if ((size_t)st->shown < st->probs.n) {
		snprintf(v, sizeof(v), dngettext(CPS_TEXTDOMAIN,
			 "... and %d more: correct these first, then come back here.",
			 "... and %d more: correct these first, then come back here.",
			 (unsigned long)(st->probs.n - (size_t)st->shown)),
			 (int)(st->probs.n - (size_t)st->shown));
		app_text(a, REVIEW_PROBLEM_ROW + st->shown, col, R_HINT, v);
	}
}

static void review_event(struct app *a, struct wevent ev)
{
	struct review_state *st = a->state;

	if (!st || ev.what != WR_ACTIVATE)
		return;
	if (ev.id >= W_CORRECT && ev.id < W_CORRECT + st->shown) {
		goto_field = (int)st->probs.v[ev.id - W_CORRECT].field;
		app_go(a, &page_apply);
	}
}

static int review_key(struct app *a, struct key_event k)
{
	struct review_state *st = a->state;
	struct cps_error err = { 0 };

	if (!st)
		return 0;
	if (k.cmd == CMD_BACK) {
		goto_screen = SCREENS - 1;
		app_go(a, &page_apply);
		return 1;
	}
	if (k.cmd != CMD_NEXT)
		return 0;
	if (st->probs.n) {
		app_message(a, 1, "%s", _("Please correct what is listed first: choose Correct beside it."));
		return 1;
	}
	if (cps_application_submit(a->e, a->account_id, &err) != CPS_OK) {
		app_message(a, 1, "%s", err.msg);
		review_load(a);
		app_relayout(a);
		return 1;
	}
	app_go(a, &page_submitted);
	return 1;
}

const struct page page_review = {
	.name = "review",
	.step = CPS_STEP_ACCOUNT,
	.title = N_("Check and send"),
	.help = N_("Your whole application before it is sent. What still needs attention is listed "
		   "in red: Correct takes you to it. When nothing is listed, \"Send application\" "
		   "sends it to Canon for validation."),
	.enter = review_enter,
	.layout = review_layout,
	.event = review_event,
	.key = review_key,
	.draw = review_draw,
};

/* ==== sent ==================================================================== */

struct sent_state {
	struct cps_application app;
	int loaded;
};

static int sent_enter(struct app *a)
{
	struct sent_state *st = calloc(1, sizeof(*st));
	struct cps_error err = { 0 };

	if (!st)
		return -1;
	a->state = st;
	if (a->account_id && cps_application_load(a->e, a->account_id, &st->app, &err) == CPS_OK)
		st->loaded = 1;
	else if (a->account_id)
		app_message(a, 1, "%s", err.msg);
	return 0;
}

static void sent_layout(struct app *a)
{
	app_nav_buttons(a, _("Back"), _("Done"));
	struct widget *w = wform_get(&a->form, W_NAV_BACK);
	if (w)
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Back to the start page; your application stays sent."));
	w = wform_get(&a->form, W_NAV_NEXT);
	if (w) {
		snprintf(w->hint, sizeof(w->hint), "%s",
			 _("Finish: the screen is cleared for the next customer."));
		wform_focus(&a->form, W_NAV_NEXT);
	}
}

static void sent_draw(struct app *a)
{
	struct sent_state *st = a->state;
	char line[1024], when[64];
	int row = 1;

	if (!st)
		return;
	snprintf(line, sizeof(line), "%s %s", a->utf8 ? "\xe2\x9c\x93" : "+",
		 _("Your application has been sent"));
	app_text(a, row, APP_COL, R_TICK, line);
	row += 2;
	if (st->loaded && st->app.submitted_at) {
		struct tm tm;
		time_t t = st->app.submitted_at;
		int days = a->cfg ? a->cfg->validation_days : 2;
		if (!localtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm))
			snprintf(when, sizeof(when), "?");
		snprintf(line, sizeof(line), dngettext(CPS_TEXTDOMAIN,
			 "Your application was sent on %s; the answer is expected by %s (up to %d working day).",
			 "Your application was sent on %s; the answer is expected by %s (up to %d working days).",
			 (unsigned long)days), when, st->app.expected_by, days);
		row = app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 2, R_NORMAL, line);
	}
	row++;
	if (a->resume_code[0]) {
		char spaced[64], frame[128];
		size_t o = 0;
		for (const char *p = a->resume_code; *p && o + 3 < sizeof(spaced); p++) {
			if (p != a->resume_code)
				spaced[o++] = ' ';
			spaced[o++] = *p;
		}
		spaced[o] = '\0';
		int inner = (int)strlen(spaced) + 6;
		app_text(a, row, APP_COL, R_NORMAL, _("Your resume code:"));
		o = 0;
		const char *h = a->utf8 ? "\xe2\x94\x80" : "-";
		for (int i = 0; i < inner && o + 4 < sizeof(frame); i++)
			o += (size_t)snprintf(frame + o, sizeof(frame) - o, "%s", h);
		snprintf(line, sizeof(line), "%s%s%s", a->utf8 ? "\xe2\x94\x8c" : "+", frame,
			 a->utf8 ? "\xe2\x94\x90" : "+");
		app_text(a, row + 1, APP_COL, R_FRAME, line);
		const char *v = a->utf8 ? "\xe2\x94\x82" : "|";
		app_text(a, row + 2, APP_COL, R_FRAME, v);
		app_text(a, row + 2, APP_COL + 1, R_TITLE, "   ");
		app_text(a, row + 2, APP_COL + 4, R_TITLE, spaced);
		app_text(a, row + 2, APP_COL + 1 + inner, R_FRAME, v);
		snprintf(line, sizeof(line), "%s%s%s", a->utf8 ? "\xe2\x94\x94" : "+", frame,
			 a->utf8 ? "\xe2\x94\x98" : "+");
		app_text(a, row + 3, APP_COL, R_FRAME, line);
		row = app_wrap(a, row + 4, APP_COL, APP_TEXT_WIDTH, 2, R_WARN,
				_("Write this down: with it you can see your application's state later."));
		row++;
	}
	snprintf(line, sizeof(line),
		 _("When your account has been validated, you will get an e-mail at %s to set your password. Do not try to reset your password before then."),
		 st->loaded && st->app.email[0] ? st->app.email : _("your address"));
	row = app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, 3, R_NORMAL, line);
	row++;
	app_wrap(a, row, APP_COL, APP_TEXT_WIDTH, LAST_ROW - row + 1, R_HINT,
		  _("Then log in and register your Canon products in \"My products\"."));
}

static int sent_key(struct app *a, struct key_event k)
{
	if (k.cmd != CMD_BACK && k.cmd != CMD_NEXT)
		return 0;
	/* the next person at the kiosk must not find this application */
	memo_forget();
	a->account_id = 0;
	a->resume_code[0] = '\0';
	app_go(a, &page_welcome);
	return 1;
}

const struct page page_submitted = {
	.name = "submitted",
	.step = CPS_STEP_VALIDATION,
	.title = N_("Application sent"),
	.help = N_("Your application waits for validation. Write down the resume code: with it you "
		   "can see its state later. Do not try to reset your password before the e-mail "
		   "comes. Done clears the screen for the next customer."),
	.enter = sent_enter,
	.layout = sent_layout,
	.key = sent_key,
	.draw = sent_draw,
};
