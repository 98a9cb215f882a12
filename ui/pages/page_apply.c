/* page_apply.c - the business account application: the form on three
 * screens (company; contact person; VAT and proof document).  The review
 * before it is sent is page_review.c, the page that confirms it was sent
 * page_submitted.c.
 *
 * Every field is checked by the engine as it is left and saved to the
 * draft at once, so a customer who walks away loses nothing; the draft and
 * its resume code are made at the first field saved.  The engine decides
 * what is valid, which proof documents fit, and when the application may
 * be sent: this file only shows its answers. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/ident.h"
#include "cpsreg/postcode.h"
#include "apply.h"
#include "country.h"
#include "frame.h"
#include "pages.h"
#include "sanitize.h"
#include "theme.h"


/* widget ids: a field of the form is W_F + its enum cps_app_field (the
 * file of the proof document is W_F + CPS_FIELD_DOCUMENT); the kinds of
 * proof document are W_DOC + enum cps_doc_type */
enum { W_F = 1, W_DOC = 100, };

/* ---- text helpers ------------------------------------------------------ */

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

void apply_code_line(struct app *a)
{
	char line[256];

	if (!a->session.resume_code[0]) {
		app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL, a->session.account_id
			  ? _("Your answers are saved as you go.")
			  : _("Your answers are saved as you go; you get a resume code to continue later."));
		return;
	}
	snprintf(line, sizeof(line), _("Your resume code: %s (write it down to continue later)"),
		 a->session.resume_code);
	app_wrap(a, 0, APP_COL, APP_TEXT_WIDTH, 1, R_NORMAL, line);
	const char *at = strstr(line, a->session.resume_code);
	if (at) {
		char pre[256];
		snprintf(pre, sizeof(pre), "%.*s", (int)(at - line), line);
		int x = APP_COL + text_width(pre);
		if (x + text_width(a->session.resume_code) <= APP_COL + APP_TEXT_WIDTH)
			app_text(a, 0, x, R_TITLE, a->session.resume_code);
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
	int screen;                       /* 0 .. APPLY_SCREENS - 1 */
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
	struct country_picker countries;  /* where CPS takes business accounts */
	unsigned pending;                 /* fields the database was too busy to take */
	int lang;                         /* the language the errors are in, +1 */
	int retry_timer;                  /* tries them again while any is pending */
};

const struct apply_memo *apply_memo(struct app *a)
{
	const struct apply_memo *m = a->session.memo;

	if (!m || a->session.memo_size != sizeof(*m) || !a->session.account_id ||
	    m->account_id != a->session.account_id)
		return NULL;
	return m;
}

static const char *yes_no[2];

/* The customer's text field of the application, or NULL for the others
 * (the engine knows which field is held where). */
char *apply_field_buf(struct cps_application *p, enum cps_app_field f, size_t *size)
{
	return cps_app_field_text(p, f, size);
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

const char *apply_country_name(struct app *a, const char *code)
{
	const struct cps_country *c = code[0] ? cps_country_find(a->e, code) : NULL;
	return c ? cps_country_name(c) : code;
}

/* What a field shows for the saved value. */
static void show_saved(struct app *a, enum cps_app_field f)
{
	struct apply_state *st = a->state;
	size_t size;
	const char *v = apply_field_buf(&st->app, f, &size);

	if (!v || f == CPS_FIELD_LANGUAGE)
		return;
	if (f == CPS_FIELD_COUNTRY)
		v = apply_country_name(a, v);
	sanitize_line(v, st->text[f], sizeof(st->text[f]));
	if (wform_get(&a->form, W_F + (int)f))
		wform_set_text(&a->form, W_F + (int)f, st->text[f]);
}

static int ci_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
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

/* In kiosk mode a walk-up customer may pick files only inside
 * kiosk.document_dir (the scanner's folder or a USB mount), never the
 * whole file system: what is typed is read inside that folder, and the
 * real path (links followed) must stay in it.  Elsewhere the path is taken
 * as typed, with ~ for the home folder.  0, or -1 when the path is not
 * allowed. */
static int document_path(const struct cps_config *cfg, const char *typed, char *out, size_t len)
{
	char root[PATH_MAX], joined[PATH_MAX * 2], real[PATH_MAX];
	const char *dir = cfg->kiosk_document_dir;

	if (!cfg->kiosk_enabled) {
		expand_home(typed, out, len);
		return 0;
	}
	if (!dir || !*dir || !realpath(dir, root))
		return -1;
	while (*typed == '/')
		typed++;
	snprintf(joined, sizeof(joined), "%s/%s", root, typed);
	if (!realpath(joined, real)) {
		/* not there (yet): the engine says so; still no way out by ".." */
		if (strstr(typed, ".."))
			return -1;
		return snprintf(out, len, "%s", joined) < (int)len ? 0 : -1;
	}
	size_t n = strlen(root);
	if (strcmp(real, root) != 0 && !(strncmp(real, root, n) == 0 && (real[n] == '/' || n == 1)))
		return -1;
	return snprintf(out, len, "%s", real) < (int)len ? 0 : -1;
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

	const struct cps_config *cfg = arg;

	if (!cfg->kiosk_enabled && (!text[0] || (text[0] == '~' && !slash)))
		return 0;
	snprintf(shown, sizeof(shown), "%.*s", slash ? (int)(slash - text + 1) : 0, text);
	if (cfg->kiosk_enabled) {
		/* only the configured folder and what is below it */
		if (document_path(cfg, shown, real, sizeof(real)) != 0)
			return 0;
	} else {
		expand_home(shown[0] ? shown : ".", real, sizeof(real));
	}
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

	if (!a->session.account_id || st->locked)
		return;
	snprintf(step, sizeof(step), "apply:%d", st->screen + 1);
	if (strcmp(step, st->app.wizard_step) == 0)
		return;
	if (cps_application_set_step(a->e, a->session.account_id, step, &err) == CPS_OK)
		snprintf(st->app.wizard_step, sizeof(st->app.wizard_step), "%s", step);
}

/* Another session (staff over SSH, a second terminal) saved the
 * application since this page read it: only the field this session
 * changed goes onto the newest answers, which the screen then shows, and
 * the customer is told.  Nothing of the other session's is reverted. */
static enum cps_err save_on_newest(struct app *a, struct cps_application *cand,
				   enum cps_app_field changed, struct cps_error *err)
{
	struct apply_state *st = a->state;
	struct cps_application fresh;
	size_t size;
	enum cps_err rc = cps_application_load(a->e, a->session.account_id, &fresh, err);

	if (rc != CPS_OK)
		return rc;
	char *to = apply_field_buf(&fresh, changed, &size);
	const char *from = apply_field_buf(cand, changed, &size);
	if (to && from)
		memcpy(to, from, size);
	else if (changed == CPS_FIELD_VAT_REGISTERED)
		fresh.vat_registered = cand->vat_registered;
	else if (changed == CPS_FIELD_AUTHORISED)
		fresh.authorised = cand->authorised;
	else if (changed == CPS_FIELD_LANGUAGE)
		memcpy(fresh.language, cand->language, sizeof(fresh.language));
	rc = cps_application_save_draft(a->e, &fresh, err);
	if (rc != CPS_OK)
		return rc;
	*cand = fresh;
	st->app = fresh;
	for (int f = 0; f < CPS_FIELD_COUNT; f++)
		if (f != (int)changed && !st->err[f][0])
			show_saved(a, (enum cps_app_field)f);
	app_message(a, 0, "%s", _("Changed in another session meanwhile: its answers are shown, yours is saved."));
	return CPS_OK;
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
	unsigned dropped = 0;
	struct cps_application before = *cand;

	for (int g = 0; g < CPS_FIELD_COUNT; g++) {
		size_t size;
		char *v = apply_field_buf(cand, (enum cps_app_field)g, &size);
		struct cps_error e1 = { 0 };
		if (!v || g == (int)changed || !v[0])
			continue;
		if (cps_application_check_field(a->e, cand, (enum cps_app_field)g, v, NULL, 0, &e1) != CPS_OK) {
			set_err(st, (enum cps_app_field)g, e1.msg);
			v[0] = '\0';
			dropped |= 1u << g;
		}
	}
	snprintf(cand->wizard_step, sizeof(cand->wizard_step), "%s", st->app.wizard_step);
	if (!a->session.account_id) {
		char code[CPS_RESUME_CODE_SIZE];
		rc = cps_application_new_draft(a->e, cand, code, sizeof(code), err);
		if (rc != CPS_OK)
			return rc;
		a->session.account_id = cand->id;
		snprintf(a->session.resume_code, sizeof(a->session.resume_code), "%s", code);
		st->app = *cand;
		set_step(a);
		app_refresh_flow(a);
	} else {
		cand->id = a->session.account_id;
		rc = cps_application_save_draft(a->e, cand, err);
		if (rc == CPS_ERR_CONFLICT && changed < CPS_FIELD_COUNT)
			rc = save_on_newest(a, cand, changed, err);
		if (rc != CPS_OK)
			return rc;
		st->app = *cand;
	}
	/* a value left out is kept as it stood, marked, not lost */
	for (int g = 0; g < CPS_FIELD_COUNT; g++) {
		size_t size;
		struct cps_error e1 = { 0 };
		if (dropped & (1u << g))
			cps_application_keep_typed(a->e, a->session.account_id, (enum cps_app_field)g,
						   apply_field_buf(&before, (enum cps_app_field)g, &size), &e1);
	}
	return CPS_OK;
}

/* A save the database refused because another program held it (a long
 * staff import: CPS_ERR_BUSY) or changed the row meanwhile again
 * (CPS_ERR_CONFLICT): the value is not lost, it stays pending. */
static int lock_refused(enum cps_err rc)
{
	return rc == CPS_ERR_BUSY || rc == CPS_ERR_CONFLICT;
}

static void retry_pending(struct app *a, void *arg);
static void show_errors(struct app *a);

/* Field f could not be saved for a lock: it stays on the screen, is tried
 * again every few seconds and on every way off the page, and the quit
 * question says that not everything is saved (a->unsaved). */
static void set_pending(struct app *a, enum cps_app_field f)
{
	struct apply_state *st = a->state;

	st->pending |= 1u << f;
	a->unsaved = st->pending != 0;
	if (!st->retry_timer)
		st->retry_timer = loop_add_timer(&a->loop, 4000, 1, retry_pending, NULL);
	app_message(a, 1, "%s", _("Not saved yet: the database is busy; it is tried again every few seconds."));
}

/* A refused (or emptied) value: kept in the draft exactly as typed in
 * place of any older accepted one, so that the review and a later session
 * show what the screen shows; a draft is made for it when there is none. */
static enum cps_err keep_typed(struct app *a, enum cps_app_field f, const char *value)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	size_t size;
	enum cps_err rc;

	if (!a->session.account_id) {
		struct cps_application cand = st->app;
		if (blank(value))
			return CPS_OK;
		if ((rc = save(a, &cand, f, &err)) != CPS_OK)
			return rc;
	}
	rc = cps_application_keep_typed(a->e, a->session.account_id, f, blank(value) ? "" : value,
					&err);
	if (rc != CPS_OK) {
		if (!lock_refused(rc))
			app_message(a, 1, "%s", err.msg);
		return rc;
	}
	struct cps_application fresh;
	if (cps_application_load(a->e, a->session.account_id, &fresh, &err) == CPS_OK) {
		st->app.version = fresh.version;   /* the field emptied is this session's save */
	}
	char *cur = apply_field_buf(&st->app, f, &size);
	if (cur)
		cur[0] = '\0';
	return CPS_OK;
}

/* Checks value for text field f and saves it when it changed.  An emptied
 * field is saved empty (a draft may have empty fields) and marked. */
static void commit_text(struct app *a, enum cps_app_field f, const char *value)
{
	struct apply_state *st = a->state;
	struct cps_error err = { 0 };
	char norm[W_VALUE_MAX];
	size_t size;
	const char *cur = apply_field_buf(&st->app, f, &size);
	struct cps_application cand;

	if (!cur)
		return;
	enum cps_err rc;

	st->pending &= ~(1u << f);
	if (cps_application_check_field(a->e, &st->app, f, value, norm, sizeof(norm), &err) != CPS_OK) {
		set_err(st, f, err.msg);
		if (lock_refused(keep_typed(a, f, value)))
			set_pending(a, f);
		return;
	}
	set_err(st, f, "");
	if (strcmp(norm, cur) == 0 && norm[0]) {
		show_saved(a, f);
		return;
	}
	cand = st->app;
	snprintf(apply_field_buf(&cand, f, &size), size, "%s", norm);
	if (!norm[0]) {   /* an optional field emptied: nothing kept for it */
		if (lock_refused(keep_typed(a, f, "")))
			set_pending(a, f);
		else
			show_saved(a, f);
		return;
	}
	rc = save(a, &cand, f, &err);
	if (lock_refused(rc)) {
		set_pending(a, f);
		return;
	}
	if (rc != CPS_OK) {
		/* refused by the draft's own checks (an e-mail in use): kept too */
		set_err(st, f, strip_label(err.msg, f));
		if (lock_refused(keep_typed(a, f, value)))
			set_pending(a, f);
		return;
	}
	show_saved(a, f);
}

/* The postcode's hint shows one of the country's form (the engine's). */
static const char *postcode_hint(const struct apply_state *st, char *buf, size_t len)
{
	const char *ex = cps_postcode_example(st->app.country);

	if (!ex)
		snprintf(buf, len, "%s", _("The postcode of that address."));
	else
		snprintf(buf, len, _("The postcode of that address, such as %s."), ex);
	return buf;
}

static void commit_country(struct app *a, const char *text)
{
	struct apply_state *st = a->state;
	char code[3], msg[CPS_ERROR_MAX];

	if (country_read(&st->countries, text, code, msg, sizeof(msg)) != 0) {
		set_err(st, CPS_FIELD_COUNTRY, msg);
		st->pending &= ~(1u << CPS_FIELD_COUNTRY);
		if (lock_refused(keep_typed(a, CPS_FIELD_COUNTRY, text)))
			set_pending(a, CPS_FIELD_COUNTRY);
		return;
	}
	commit_text(a, CPS_FIELD_COUNTRY, code);
	struct widget *pw = wform_get(&a->form, W_F + CPS_FIELD_POSTCODE);
	if (pw)   /* the postcode's form is the new country's */
		postcode_hint(st, pw->hint, sizeof(pw->hint));
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

	if (!a->session.account_id) {
		struct cps_application cand = st->app;
		if (save(a, &cand, CPS_FIELD_DOCUMENT, &err) != CPS_OK) {
			set_err(st, CPS_FIELD_DOCUMENT, err.msg);
			return;
		}
	}
	if (document_path(a->cfg, path, real, sizeof(real)) != 0) {
		set_err(st, CPS_FIELD_DOCUMENT, a->cfg->kiosk_document_dir[0]
			? _("At this kiosk a document can only be taken from its scanner or USB folder; pick the file from the list.")
			: _("Documents cannot be read at this kiosk; please show the paper to staff at the counter."));
		return;
	}
	if (cps_document_attach(a->e, a->session.account_id, st->doc_type, real, &err) != CPS_OK) {
		set_err(st, CPS_FIELD_DOCUMENT, err.msg);
		return;
	}
	set_err(st, CPS_FIELD_DOCUMENT, "");
	snprintf(st->attached_path, sizeof(st->attached_path), "%s", path);
	st->attached_type = st->doc_type;
	struct cps_application fresh;
	if (cps_application_load(a->e, a->session.account_id, &fresh, &err) == CPS_OK)
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
		if (a->session.account_id && st->app.doc.type == CPS_DOC_NONE &&
		    cps_document_attach(a->e, a->session.account_id, st->doc_type, "", &err) != CPS_OK)
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
		if (strcmp(v, st->text[f]) == 0 && !(st->pending & (1u << f)))
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

#define RETRY_WAIT_MS 100

/* The timer while a field is pending: the fields are tried again; when
 * all are saved the timer stops and the customer is told. */
static void retry_pending(struct app *a, void *arg)
{
	struct apply_state *st = a->page == &page_apply ? a->state : NULL;

	(void)arg;
	if (!st || !st->pending)
		return;
	/* while the customer types, a retry must not freeze the screen for
	 * the whole busy timeout: it waits a moment, the next timer tries again */
	int before = cps_engine_busy_timeout(a->e, RETRY_WAIT_MS);
	save_screen(a);
	cps_engine_busy_timeout(a->e, before);
	a->unsaved = st->pending != 0;
	a->dirty = 1;   /* drawn from a timer, not after a key */
	if (st->pending)
		return;
	loop_remove(&a->loop, st->retry_timer);
	st->retry_timer = 0;
	show_errors(a);
	app_message(a, 0, "%s", _("Saved now: the database is free again."));
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

	app_cut(msg, 78 - col, w->error, sizeof(w->error));
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
	struct apply_state *st = a->state;
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
		w->suggest_arg = &st->countries;
	}
	add_field(a, W_TEXT, CPS_FIELD_STREET, r + 4, 50, CPS_APP_NAME_CHARS,
		  cps_app_field_label(CPS_FIELD_STREET),
		  _("Street and number of the company's registered address."));
	char hint[200];
	add_field(a, W_TEXT, CPS_FIELD_POSTCODE, r + 6, 12, CPS_APP_POSTCODE_CHARS,
		  cps_app_field_label(CPS_FIELD_POSTCODE), postcode_hint(st, hint, sizeof(hint)));
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

void apply_ident_label(const char *country, char *out, size_t len)
{
	snprintf(out, len, "%s", cps_ident_name(country[0] ? country : NULL));
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
	apply_ident_label(st->app.country, label, sizeof(label));
	if (st->app.vat_registered == CPS_VAT_YES) {
		/* the format with an example, from the engine; the old words
		 * where it knows the country no better */
		cps_ident_hint(st->app.country, hint, sizeof(hint));
		if (!hint[0])
			snprintf(hint, sizeof(hint), _("The company's %s; spaces, dots and the country prefix are fine."),
				 cps_ident_name(st->app.country[0] ? st->app.country : NULL));
		add_field(a, W_TEXT, CPS_FIELD_VAT_NUMBER, 5, 24, 40, label, hint);
	} else {
		add_xlabel(st, 5, 2, R_STEP_CLOSED, label);
	}

	/* a kind whose name needs two rows takes them (rows 7 to 10 are the
	 * kinds'; the Danish seed's own words are long) */
	int box_cols = app_body_cols(a) - APP_FIELD_COL - 1, row = 7;
	for (int i = 0; i < n; i++) {
		const char *kind = cps_doc_type_label(docs[i]);
		int rows = wform_check_rows(kind, box_cols);

		if (row + rows > 11)
			rows = 11 - row;   /* never over the file field */
		w = wform_add(&a->form, W_CHECK, W_DOC + (int)docs[i], row, APP_FIELD_COL, APP_FIELD_COL,
			      box_cols, kind, _("Space or Enter chooses this kind of proof document."));
		if (w)
			w->checked = st->doc_type == docs[i];
		row += rows > 0 ? rows : 1;
	}
	add_xlabel(st, 7, row - 7 > 1 ? row - 7 : 1, R_LABEL, cps_app_field_label(CPS_FIELD_DOCUMENT));
	w = add_field(a, W_PICKER, CPS_FIELD_DOCUMENT, 11, 50, 0, _("Document file"),
		      _("Type the file's path; pick from the list with the arrows and Enter."));
	if (w) {
		w->suggest = file_suggest;
		w->suggest_arg = (void *)a->cfg;
	}
	w = wform_add(&a->form, W_CHECK, W_F + CPS_FIELD_AUTHORISED, 13, APP_COL, APP_COL, 76,
		      cps_app_field_label(CPS_FIELD_AUTHORISED),
		      _("Space or Enter ticks the box; it is needed to send the application."));
	if (w)
		w->checked = st->app.authorised;
}

/* After ^T the errors already on the screen are said again in the new
 * language: each refused value is checked again (a refusal the checks
 * cannot repeat, such as an e-mail in use, keeps its words). */
static void retranslate(struct app *a)
{
	struct apply_state *st = a->state;

	for (int f = 0; f < CPS_FIELD_COUNT; f++) {
		struct cps_error e1 = { 0 };
		size_t size;
		char code[3], msg[CPS_ERROR_MAX];
		if (!st->err[f][0])
			continue;
		if (f == CPS_FIELD_COUNTRY) {
			/* a name the list lacks is the picker's to say; an empty
			 * field (or a code) is the engine's, as any field */
			if (country_read(&st->countries, st->text[f], code, msg, sizeof(msg)) != 0)
				set_err(st, CPS_FIELD_COUNTRY, msg);
			else if (cps_application_check_field(a->e, &st->app, CPS_FIELD_COUNTRY,
							     code, NULL, 0, &e1) != CPS_OK)
				set_err(st, CPS_FIELD_COUNTRY, e1.msg);
		} else if (apply_field_buf(&st->app, (enum cps_app_field)f, &size) &&
			   cps_application_check_field(a->e, &st->app, (enum cps_app_field)f,
							st->text[f], NULL, 0, &e1) != CPS_OK) {
			set_err(st, (enum cps_app_field)f, e1.msg);
		}
	}
}

static void layout(struct app *a)
{
	struct apply_state *st = a->state;

	if (!st)
		return;
	if (st->lang && st->lang != app_language_current() + 1)
		retranslate(a);
	st->lang = app_language_current() + 1;
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
			st->screen == APPLY_SCREENS - 1 ? _("Check and send") : _("Next"));
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
	struct apply_state *st = app_page_state(a, sizeof(*st));
	struct cps_error err = { 0 };
	int want_field = a->session.goto_field, want_screen = a->session.goto_screen;

	a->session.goto_field = a->session.goto_screen = -1;
	if (!st)
		return -1;
	st->countries = (struct country_picker){ .e = a->e, .cps_only = 1 };
	st->app.vat_registered = CPS_VAT_UNANSWERED;
	if (a->session.account_id) {
		if (cps_application_load(a->e, a->session.account_id, &st->app, &err) != CPS_OK) {
			app_message(a, 1, "%s", err.msg);
			memset(&st->app, 0, sizeof(st->app));
			st->app.vat_registered = CPS_VAT_UNANSWERED;
			a->session.account_id = 0;
			a->session.resume_code[0] = '\0';
		}
	}
	if (st->app.status == CPS_APP_PENDING || st->app.status == CPS_APP_VALIDATED) {
		st->locked = 1;
		return 0;
	}
	for (int f = 0; f < CPS_FIELD_COUNT; f++)
		show_saved(a, (enum cps_app_field)f);
	struct cps_app_typed *typed = a->session.account_id ? calloc(1, sizeof(*typed)) : NULL;
	if (typed && cps_application_typed(a->e, a->session.account_id, typed, &err) == CPS_OK) {
		/* what was refused shows as it was typed, with the reason */
		for (int f = 0; f < CPS_FIELD_COUNT; f++) {
			struct cps_error e1 = { 0 };
			if (!typed->text[f][0])
				continue;
			sanitize_line(typed->text[f], st->text[f], sizeof(st->text[f]));
			if (cps_application_check_field(a->e, &st->app, (enum cps_app_field)f,
							typed->text[f], NULL, 0, &e1) != CPS_OK)
				set_err(st, (enum cps_app_field)f, e1.msg);
		}
	}
	free(typed);
	const struct apply_memo *memo = apply_memo(a);
	if (memo) {
		memcpy(st->text, memo->text, sizeof(st->text));
		memcpy(st->err, memo->err, sizeof(st->err));
		st->doc_type = memo->doc_type;
		memcpy(st->attached_path, memo->attached_path, sizeof(st->attached_path));
		st->attached_type = memo->attached_type;
	}
	if (!a->session.account_id && !st->app.language[0])
		snprintf(st->app.language, sizeof(st->app.language), "%s", app_language());
	check_doc_fit(a);

	int step = 0;
	if (sscanf(st->app.wizard_step, "apply:%d", &step) == 1 && step >= 1 && step <= APPLY_SCREENS)
		st->screen = step - 1;
	else if (strcmp(st->app.wizard_step, "review") == 0)
		st->screen = APPLY_SCREENS - 1;
	if (st->app.status == CPS_APP_REJECTED)
		st->screen = 0;     /* the reason is shown at the top of the first screen */
	if (want_screen >= 0 && want_screen < APPLY_SCREENS)
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
	if (a->session.account_id || st->pending)
		save_screen(a);   /* the screen itself was saved when it was opened */
	/* each field was tried once more, waiting up to the busy timeout; what
	 * is still refused is said where the session ends (the kiosk's message,
	 * or on leaving the program), never dropped without a word */
	if (st->pending)
		a->lost = 1;
	if (st->retry_timer)
		loop_remove(&a->loop, st->retry_timer);
	st->retry_timer = 0;
	a->unsaved = 0;   /* the quit question was told; nothing more can be done */
	if (!a->session.account_id) {
		session_forget_memo(&a->session);
		return;
	}
	struct apply_memo *memo = session_memo(&a->session, sizeof(*memo));
	if (!memo)
		return;
	memo->account_id = a->session.account_id;
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
			w->nsugg = file_suggest((void *)a->cfg, copy, w->sugg, W_SUGGEST_MAX);
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
	if (st->pending) {
		/* leaving would leave it behind: the customer stays with it */
		show_errors(a);
		app_message(a, 1, "%s", _("Not saved yet: the database is busy; please wait a moment and try again."));
		return 1;
	}
	int errors = count_errors(st, st->screen);
	if (k.cmd == CMD_BACK) {
		if (st->screen == 0)
			app_go(a, &page_welcome);
		else
			go_screen(a, st->screen - 1);
		return 1;
	}
	if (st->screen < APPLY_SCREENS - 1) {
		go_screen(a, st->screen + 1);
		if (errors)
			app_message(a, 1, dngettext(CPS_TEXTDOMAIN,
				"%d answer on the screen before needs attention; you can correct it later.",
				"%d answers on the screen before need attention; you can correct them later.",
				(unsigned long)errors), errors);
		return 1;
	}
	if (a->session.account_id) {
		struct cps_error err = { 0 };
		if (cps_application_set_step(a->e, a->session.account_id, "review", &err) == CPS_OK)
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
	int rows = APPLY_LAST_ROW - top + 1;
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
			if (!full || !full[0] || strcmp(full, x->error) == 0 || x->edited)
				continue;   /* not cut, or about a text no longer there */
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
		{
			char mib[32];
			snprintf(size, sizeof(size), _("%s MiB"),
				 cps_number_text((double)d->size / (1024.0 * 1024.0), 1, mib, sizeof(mib)));
		}
		snprintf(line, sizeof(line), _("%s Attached: %s (%s, %s)"),
			 st->doctype_err[0] ? "" : a->utf8 ? "\xe2\x9c\x93" : "+", d->filename, kind, size);
	}
	char cut[512];
	/* an attached document of a kind that no longer fits gets no tick */
	app_cut(line[0] == ' ' ? line + 1 : line, 80 - APP_FIELD_COL - 2, cut, sizeof(cut));
	app_text(a, row, APP_FIELD_COL, st->doctype_err[0] ? R_WARN : R_TICK, cut);
}

static void draw(struct app *a)
{
	struct apply_state *st = a->state;
	static const char *const headings[APPLY_SCREENS] = {
		N_("1 of 3: Company"), N_("2 of 3: Contact person"), N_("3 of 3: VAT and proof document")
	};

	if (!st)
		return;
	apply_code_line(a);
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

/* Before the first field is left there is no draft: the quit question
 * must not say that what is typed is saved.  Asked when the question is
 * put, so that drawing (and so every key) need not read the field. */
static int unsaved(struct app *a)
{
	struct apply_state *st = a->state;
	const struct widget *w = wform_focused(&a->form);

	if (!st || a->session.account_id || st->locked || st->pending)
		return 0;
	return w && w->field && wform_text(&a->form, w->id)[0] ? APP_UNSAVED_NEW : 0;
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
	.unsaved = unsaved,
};
