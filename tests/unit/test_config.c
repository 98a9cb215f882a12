/* test_config.c - the configuration: search order, precedence, every kind
 * of bad input, the permission check on secrets, and the level table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <grp.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpsreg/config.h"
#include "cpsreg/level.h"
#include "testutil.h"

struct fx {
	char dir[512];
	char path[600];
	char *env[16];
	char envbuf[16][600];
	int nenv;
	struct cps_diags d;
	struct cps_error err;
	struct cps_config *cfg;
};

static void env_add(struct fx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void env_add(struct fx *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->envbuf[f->nenv], sizeof(f->envbuf[0]), fmt, ap);
	va_end(ap);
	f->env[f->nenv] = f->envbuf[f->nenv];
	f->nenv++;
	f->env[f->nenv] = NULL;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tu_tempdir(f->dir, sizeof(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cps.ini", f->dir);
	env_add(f, "HOME=%s", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	cps_config_free(f->cfg);
	cps_diags_free(&f->d);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static void write_ini(struct fx *f, const char *text, mode_t mode)
{
	tu_write_file(f->path, text, strlen(text));
	assert_int_equal(chmod(f->path, mode), 0);
}

static enum cps_err load(struct fx *f, const struct cps_setting *set, size_t nset)
{
	struct cps_config_opts o = {
		.config_path = f->path,
		.env = f->env,
		.overrides = set,
		.noverrides = nset,
	};
	cps_config_free(f->cfg);
	f->cfg = NULL;
	cps_diags_free(&f->d);
	cps_error_clear(&f->err);
	return cps_config_load(&f->cfg, &o, &f->d, &f->err);
}

/* 1 if some diagnostic of the given kind contains every needle */
static int has_diag(const struct fx *f, int is_error, const char *a, const char *b)
{
	for (size_t i = 0; i < f->d.n; i++) {
		if (f->d.v[i].is_error != is_error)
			continue;
		if (strstr(f->d.v[i].text, a) && (!b || strstr(f->d.v[i].text, b)))
			return 1;
	}
	return 0;
}

static void dump(const struct fx *f)
{
	for (size_t i = 0; i < f->d.n; i++)
		print_message("  diag[%zu] %s: %s\n", i, f->d.v[i].is_error ? "error" : "warning",
			      f->d.v[i].text);
	if (f->err.msg[0])
		print_message("  err: %s\n", f->err.msg);
}

static size_t key_index(const char *name)
{
	struct cps_key_view v;
	struct cps_config *cfg;
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };

	o.env = env;
	assert_int_equal(cps_config_defaults(&cfg, &o, NULL), CPS_OK);
	for (size_t i = 0; i < cps_config_nkeys(); i++) {
		cps_config_key_view(cfg, i, &v);
		if (strcmp(v.name, name) == 0) {
			cps_config_free(cfg);
			return i;
		}
	}
	cps_config_free(cfg);
	fail_msg("no key %s", name);
	return 0;
}

/* ---- defaults and search ---------------------------------------------- */

static void test_defaults_without_file(void **state)
{
	struct fx *f = *state;
	struct cps_config_opts o = { .env = f->env };
	char cwd[512];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->dir), 0);  /* no ./cps.ini there */
	enum cps_err rc = cps_config_load(&f->cfg, &o, &f->d, &f->err);
	assert_int_equal(chdir(cwd), 0);
	dump(f);
	assert_int_equal(rc, CPS_OK);
	assert_null(f->cfg->file);
	assert_int_equal(f->cfg->invite_points, 500);
	assert_int_equal(f->cfg->corporate_above, 2500);
	assert_int_equal(f->cfg->validation_days, 2);
	assert_int_equal(f->cfg->invoice_due_days, 30);
	assert_int_equal(f->cfg->token_hours, 48);
	assert_int_equal(f->cfg->document_max_mib, 10);
	assert_int_equal(f->cfg->kiosk_enabled, 0);
	assert_string_equal(f->cfg->remote_url, "");
	assert_int_equal(f->cfg->nlevels, 6);
	assert_string_equal(f->cfg->levels[0].name, "Silver");
	assert_int_equal(f->cfg->levels[2].points, 1600);
	assert_int_equal(f->cfg->levels[5].fee_cents, 500000);
	assert_true(f->cfg->levels[3].corporate);
	/* paths: XDG_DATA_HOME unset, so ~/.local/share/cpsreg */
	char want[700];
	snprintf(want, sizeof(want), "%s/.local/share/cpsreg", f->dir);
	assert_string_equal(f->cfg->data_dir, want);
	snprintf(want, sizeof(want), "%s/.local/share/cpsreg/cpsreg.db", f->dir);
	assert_string_equal(f->cfg->database, want);
}

static void test_source_tree_paths(void **state)
{
	struct fx *f = *state;
	struct cps_config_opts o = { .env = f->env, .tree_dir = "/src/cpsreg" };

	assert_int_equal(cps_config_defaults(&f->cfg, &o, NULL), CPS_OK);
	assert_string_equal(f->cfg->data_dir, "/src/cpsreg/var");
	assert_string_equal(f->cfg->database, "/src/cpsreg/var/cpsreg.db");
	assert_string_equal(f->cfg->assets_dir, "/src/cpsreg/assets");
}

static void test_search_order(void **state)
{
	struct fx *f = *state;
	struct cps_config_opts o = { .env = f->env };
	char cwd[512], xdgdir[700], xdgfile[800], envfile[700];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(xdgdir, sizeof(xdgdir), "%s/xdg/cpsreg", f->dir);
	tu_mkdirs(xdgdir);
	snprintf(xdgfile, sizeof(xdgfile), "%s/cps.ini", xdgdir);
	tu_write_file(xdgfile, "[rules]\nvalidation_days = 4\n", 28);
	snprintf(envfile, sizeof(envfile), "%s/named.ini", f->dir);
	tu_write_file(envfile, "[rules]\nvalidation_days = 5\n", 28);
	write_ini(f, "[rules]\nvalidation_days = 3\n", 0644);
	env_add(f, "XDG_CONFIG_HOME=%s/xdg", f->dir);
	o.env = f->env;

	assert_int_equal(chdir(f->dir), 0);
	/* ./cps.ini comes before the XDG file */
	assert_int_equal(cps_config_load(&f->cfg, &o, &f->d, &f->err), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 3);
	cps_config_free(f->cfg);
	/* then the XDG file */
	unlink(f->path);
	assert_int_equal(cps_config_load(&f->cfg, &o, &f->d, &f->err), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 4);
	assert_string_equal(f->cfg->file, xdgfile);
	cps_config_free(f->cfg);
	/* $CPSREG_CONFIG before everything */
	env_add(f, "CPSREG_CONFIG=%s", envfile);
	o.env = f->env;
	assert_int_equal(cps_config_load(&f->cfg, &o, &f->d, &f->err), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 5);
	cps_config_free(f->cfg);
	f->cfg = NULL;
	/* $CPSREG_CONFIG naming a missing file is an error, not a silent default */
	unlink(envfile);
	assert_int_equal(cps_config_load(&f->cfg, &o, &f->d, &f->err), CPS_ERR_IO);
	assert_null(f->cfg);
	assert_non_null(strstr(f->err.msg, "CPSREG_CONFIG"));
	assert_int_equal(chdir(cwd), 0);
}

static void test_missing_named_file(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, NULL, 0), CPS_ERR_IO);
	assert_non_null(strstr(f->err.msg, f->path));
	assert_null(f->cfg);
}

/* ---- precedence --------------------------------------------------------- */

static void test_precedence(void **state)
{
	struct fx *f = *state;
	struct cps_setting set[] = { { "rules.validation_days", "5" } };
	size_t idx = key_index("rules.validation_days");
	struct cps_key_view v;

	write_ini(f, "[rules]\n\nvalidation_days = 3\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 3);
	assert_int_equal(f->cfg->sources[idx], CPS_SRC_FILE);
	cps_config_key_view(f->cfg, idx, &v);
	assert_non_null(strstr(v.source, "cps.ini:3"));

	env_add(f, "CPSREG_RULES_VALIDATION_DAYS=4");
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 4);
	assert_int_equal(f->cfg->sources[idx], CPS_SRC_ENV);
	cps_config_key_view(f->cfg, idx, &v);
	assert_non_null(strstr(v.source, "CPSREG_RULES_VALIDATION_DAYS"));

	assert_int_equal(load(f, set, 1), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 5);
	assert_int_equal(f->cfg->sources[idx], CPS_SRC_CMDLINE);

	/* a key nobody set stays at its default */
	assert_int_equal(f->cfg->sources[key_index("rules.invoice_due_days")], CPS_SRC_DEFAULT);
}

/* ---- bad input ------------------------------------------------------------ */

struct bad_case {
	const char *ini;
	const char *needle1, *needle2;
};

static void expect_error(struct fx *f, const struct bad_case *c)
{
	write_ini(f, c->ini, 0644);
	enum cps_err rc = load(f, NULL, 0);
	if (rc != CPS_ERR_INVALID || !has_diag(f, 1, c->needle1, c->needle2)) {
		dump(f);
		fail_msg("for %s: rc %d, wanted an error with '%s'", c->ini, rc, c->needle1);
	}
	assert_null(f->cfg);
}

static void test_syntax_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "[rules]\ninvite_points = 500\nthis is not a setting\n", "cps.ini:3:", "key = value" },
		{ "[rules\ninvite_points = 500\n", "cps.ini:1:", "']'" },
		{ "invite_points = 500\n", "cps.ini:1:", "outside any section" },
		{ "[rules]\n= 500\n", "cps.ini:2:", "no key" },
		{ "[payment]\nreference = \"CPS {invoice}\n", "cps.ini:2:", "closing quote" },
		{ "[]\n", "cps.ini:1:", "no name" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(*state, &cases[i]);
}

static void test_bad_values(void **state)
{
	static const struct bad_case cases[] = {
		{ "[rules]\ninvite_points = lots\n", "cps.ini:2: rules.invite_points", "not a whole number" },
		{ "[rules]\ninvite_points = 12abc\n", "rules.invite_points", "'12abc'" },
		{ "[rules]\nvalidation_days = 99\n", "cps.ini:2: rules.validation_days", "allowed: 0 to 30" },
		{ "[kiosk]\nidle_timeout = 4\n", "kiosk.idle_timeout", "allowed: 5 to 3600" },
		{ "[kiosk]\nenabled = maybe\n", "kiosk.enabled", "not yes or no" },
		{ "[general]\nlanguage = klingon\n", "general.language", "auto, en, nb, da" },
		{ "[remote]\nurl = ftp://example.com\n", "remote.url", "https://" },
		{ "[remote]\nurl = http://example.com/api\n", "remote.url", "127.0.0.1" },
		{ "[remote]\nurl = https://\n", "remote.url", "host" },
		{ "[rules]\ncurrency = euro\n", "rules.currency", "ISO 4217" },
		{ "[rules]\nvat_percent = 100.5\n", "rules.vat_percent", "0 to 100" },
		{ "[rules]\nvat_percent = 25%\n", "rules.vat_percent", "25.5" },
		{ "[rules]\nvat_percent = 12.345\n", "rules.vat_percent", "two decimals" },
		{ "[rules]\nfees_include_vat = sometimes\n", "rules.fees_include_vat", "yes or no" },
		{ "[payment]\niban = NO93 8601 1117 948\n", "payment.iban", "check digits" },
		{ "[payment]\nbic = 1234\n", "payment.bic", "8 or 11" },
		{ "[payment]\nreference = \"CPS {member}\"\n", "payment.reference", "{invoice}" },
		{ "[support]\nemail = nobody\n", "support.email", "e-mail" },
		{ "[rules]\ninvite_points = 3000\n", "rules.corporate_above", "invite_points" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(*state, &cases[i]);
}

static void test_plain_pin_refused_without_echo(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[kiosk]\nstaff_pin_hash = 4711\n", 0600);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "kiosk.staff_pin_hash", "hash-pin"));
	/* the secret itself is never repeated in a message */
	for (size_t i = 0; i < f->d.n; i++)
		assert_null(strstr(f->d.v[i].text, "4711"));
}

/* A kiosk without a staff PIN cannot be left from the screen: a warning,
 * not an error (SIGTERM still ends it); with a hash it is used, silently. */
static void test_kiosk_without_pin_warns(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[kiosk]\nenabled = yes\nidle_warning = 10\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_true(has_diag(f, 0, "kiosk.staff_pin_hash is empty", "cannot be left"));
	assert_int_equal(f->cfg->kiosk_idle_warning, 10);

	write_ini(f, "[kiosk]\nenabled = yes\nstaff_pin_hash = "
		     "\"$y$j9T$s7fkIGG5mGxWGCUow0xtB/$J9DCAiwajIx7YZXl3mihOZEWeFFy8NwuqwgV7IYEKlB\"\n", 0600);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_false(has_diag(f, 0, "staff_pin_hash", NULL));
	assert_int_equal(f->cfg->kiosk_idle_warning, 30);

	write_ini(f, "[kiosk]\nidle_warning = 1\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "kiosk.idle_warning", NULL));
}

static void test_levels_must_be_ordered(void **state)
{
	static const struct bad_case cases[] = {
		{ "[level.gold]\npoints = 1000\nfee = 200\n[level.silver]\npoints = 500\nfee = 100\n",
		  "cps.ini:4: level.silver", "lowest to the highest" },
		{ "[level.silver]\npoints = 500\nfee = 100\n[level.corporate_b]\ncorporate = yes\nproducts = 100\nfee = 2500\n"
		  "[level.corporate_a]\ncorporate = yes\nproducts = 25\nfee = 1000\n",
		  "level.corporate_a", "Corporate levels" },
		{ "[level.silver]\npoints = 500\n", "[level.silver]", "fee" },
		{ "[level.silver]\nfee = 100\n", "[level.silver]", "points" },
		{ "[level.silver]\npoints = 400\nfee = 100\n", "level.silver", "invitation" },
		{ "[level.silver]\npoints = 500\nfee = 1,00\n", "level.silver.fee", "amount" },
		{ "[level.Sil ver]\npoints = 500\nfee = 100\n", "level id", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(*state, &cases[i]);
}

static void test_custom_levels_replace_defaults(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[level.basic]\npoints = 500\nfee = 99.5\n"
		     "[level.pro]\nname = Pro Plus\npoints = 900\nfee = 150\n"
		     "[level.corp]\ncorporate = yes\nproducts = 10\nfee = 1000\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_int_equal(f->cfg->nlevels, 3);
	assert_int_equal(f->cfg->levels_source, CPS_SRC_FILE);
	assert_string_equal(f->cfg->levels[0].name, "Basic");
	assert_int_equal(f->cfg->levels[0].fee_cents, 9950);
	assert_string_equal(f->cfg->levels[1].name, "Pro Plus");
	assert_true(f->cfg->levels[2].corporate);
	assert_int_equal(f->cfg->levels[2].products, 10);
	assert_non_null(cps_config_level(f->cfg, "pro"));
	assert_null(cps_config_level(f->cfg, "silver"));
}

/* What a level gives, in the shop's words and per language; the VAT. */
static void test_level_benefits_and_vat(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[rules]\nvat_percent = 25.5\nfees_include_vat = no\n"
		     "[level.basic]\npoints = 500\nfee = 100\nbenefits = Quick repairs\n"
		     "benefits_nb = Raske reparasjoner\nbenefits_da = Hurtige reparationer\n"
		     "[level.pro]\npoints = 900\nfee = 150\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_false(has_diag(f, 0, "unknown key", NULL));
	assert_string_equal(f->cfg->levels[0].benefits, "Quick repairs");
	assert_string_equal(f->cfg->levels[0].benefits_nb, "Raske reparasjoner");
	assert_string_equal(f->cfg->levels[0].benefits_da, "Hurtige reparationer");
	assert_string_equal(f->cfg->levels[1].benefits, "");
	assert_false(f->cfg->fees_include_vat);
	assert_int_equal(cps_config_vat_hundredths(f->cfg), 2550);

	/* one line, not a paragraph */
	char ini[600];
	snprintf(ini, sizeof(ini), "[level.basic]\npoints = 500\nfee = 100\nbenefits = %0*d\n",
		 CPS_LEVEL_BENEFITS_MAX, 7);
	write_ini(f, ini, 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "level.basic.benefits", "one line"));
}

/* The built-in table: fees with 25 % VAT in them, a line per level. */
static void test_default_vat_and_benefits(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[rules]\ninvite_points = 500\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_true(f->cfg->fees_include_vat);
	assert_int_equal(cps_config_vat_hundredths(f->cfg), 2500);
	for (int i = 0; i < f->cfg->nlevels; i++)
		assert_true(f->cfg->levels[i].benefits[0] != '\0');
}

static void test_warnings_keep_config_usable(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[rules]\ninvite_points = 500\ninvite_pionts = 600\n"
		     "[colours]\nbackground = blue\n"
		     "[payment]\nreference = Invoice #12\n"
		     "[support]\nname = A\nname = B\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	dump(f);
	assert_true(has_diag(f, 0, "cps.ini:3:", "unknown key rules.invite_pionts"));
	assert_true(has_diag(f, 0, "cps.ini:4:", "unknown section [colours]"));
	assert_true(has_diag(f, 0, "cps.ini:7:", "double quotes"));
	assert_true(has_diag(f, 0, "cps.ini:10:", "first on line 9"));
	assert_string_equal(f->cfg->support_name, "B");
	assert_string_equal(f->cfg->reference, "Invoice");
}

/* Keys nothing uses yet are read and checked, and setting one says so;
 * left at their defaults they say nothing. */
static void test_not_yet_used_keys_warn(void **state)
{
	struct fx *f = *state;
	struct cps_setting set[] = { { "mail.from", "desk@example.com" } };

	write_ini(f, "[rules]\ninvite_points = 500\nauto_approve_seconds = 30\n"
		     "[remote]\nconnect_timeout = 20\ntimeout = 30\nsync_interval = 90\n", 0644);
	env_add(f, "CPSREG_SUPPORT_HOURS=9-17");
	assert_int_equal(load(f, set, 1), CPS_OK);
	dump(f);
	/* the remote is used (cpsreg sync): its keys say nothing */
	assert_false(has_diag(f, 0, "remote.", NULL));
	/* the demo auto-approval works (test_account), so it says nothing */
	assert_false(has_diag(f, 0, "auto_approve_seconds", NULL));
	assert_true(has_diag(f, 0, "environment CPSREG_SUPPORT_HOURS", "support.hours"));
	/* so is mail (cpsreg sync delivers by mail.sendmail) */
	assert_false(has_diag(f, 0, "mail.from", NULL));
	assert_false(has_diag(f, 0, "invite_points", NULL));
	assert_int_equal(f->d.nerrors, 0);
	assert_int_equal(f->d.n, 1);

	/* only the environment is left to warn about */
	write_ini(f, "[rules]\ninvite_points = 400\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	dump(f);
	assert_int_equal(f->d.n, 1);
	assert_true(has_diag(f, 0, "support.hours", NULL));
}

static void test_support_contact(void **state)
{
	struct fx *f = *state;
	char buf[256];

	write_ini(f, "[support]\nphone = +47 22 00 00 00\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	cps_config_support_contact(f->cfg, buf, sizeof(buf));
	assert_string_equal(buf, CPS_SUPPORT_NAME_DEFAULT " (+47 22 00 00 00)");

	write_ini(f, "[support]\nname = \"\"\nemail = cps@example.com\nphone = 1\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	cps_config_support_contact(f->cfg, buf, sizeof(buf));
	assert_string_equal(buf, CPS_SUPPORT_NAME_DEFAULT " (1, cps@example.com)");

	write_ini(f, "[support]\nname = Canon Norge\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	cps_config_support_contact(f->cfg, buf, sizeof(buf));
	assert_string_equal(buf, "Canon Norge");
}

/* The support name and the built-in levels' lines are data the screens
 * show: on a Norwegian or Danish screen they are never the English
 * default (the seeds' names: "prioritert CPS-støtte", "CPS
 * Priority-support"). */
static void test_data_never_english_in_nb_da(void **state)
{
	static const char *const langs[] = { "nb", "da" };
	static const char *const want[] = { "prioritert CPS-støtte", "CPS Priority-support" };
	struct fx *f = *state;
	char buf[256], mo[128];

	for (int l = 0; l < 2; l++) {
		snprintf(mo, sizeof(mo), "assets/locale/%s/LC_MESSAGES/cpsreg.mo", langs[l]);
		if (access(mo, R_OK) != 0)
			skip();
	}
	write_ini(f, "[support]\nphone = +47 22 00 00 00\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	bindtextdomain("cpsreg", "assets/locale");
	bind_textdomain_codeset("cpsreg", "UTF-8");
	for (int l = 0; l < 2; l++) {
		setenv("LANGUAGE", langs[l], 1);
		textdomain(textdomain(NULL));   /* gettext hears of LANGUAGE */
		cps_config_support_contact(f->cfg, buf, sizeof(buf));
		if (strstr(buf, CPS_SUPPORT_NAME_DEFAULT) || !strstr(buf, want[l]))
			fail_msg("%s: support contact \"%s\"", langs[l], buf);
		assert_non_null(strstr(buf, "(+47 22 00 00 00)"));
		/* the built-in levels' lines: none is the English one */
		struct cps_config *d = NULL;
		struct cps_config_opts o = { .env = f->env };
		assert_int_equal(cps_config_defaults(&d, &o, NULL), CPS_OK);
		for (int i = 0; i < d->nlevels; i++) {
			const char *shown = cps_level_benefits(d, &d->levels[i]);
			if (!shown[0] || strcmp(shown, d->levels[i].benefits) == 0)
				fail_msg("%s: level %s shows \"%s\"", langs[l], d->levels[i].id, shown);
		}
		cps_config_free(d);
	}
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C");
	textdomain(textdomain(NULL));
}

static void test_decimal_not_octal(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[rules]\nvalidation_days = 010\ninvoice_due_days = \"45\"\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_int_equal(f->cfg->validation_days, 10);
	assert_int_equal(f->cfg->invoice_due_days, 45);
}

static void test_bad_environment_and_cmdline(void **state)
{
	struct fx *f = *state;
	struct cps_setting bad_name[] = { { "rules.nonsense", "1" } };
	struct cps_setting bad_value[] = { { "rules.invoice_due_days", "0" } };

	write_ini(f, "[rules]\n", 0644);
	env_add(f, "CPSREG_RULES_VALIDATION_DAYS=two");
	env_add(f, "CPSREG_RULES_VALIDATON_DAYS=2");
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "CPSREG_RULES_VALIDATION_DAYS", "'two'"));
	assert_true(has_diag(f, 0, "CPSREG_RULES_VALIDATON_DAYS", "no such setting"));
	f->nenv -= 2;
	f->env[f->nenv] = NULL;
	assert_int_equal(load(f, bad_name, 1), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "rules.nonsense", "no such setting"));
	assert_int_equal(load(f, bad_value, 1), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "rules.invoice_due_days", "1 to 365"));
}

static void test_section_named_like_a_key(void **state)
{
	struct fx *f = *state;

	/* CVE-2023-33461: with [rules:invite_points] iniparser's key
	 * rules:invite_points names a section, and getint on it crashes */
	write_ini(f, "[rules]\ninvite_points = 500\n[rules:invite_points]\nx = 1\n[kiosk:enabled]\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "cps.ini:3:", "':'"));
	assert_true(has_diag(f, 1, "cps.ini:5:", "':'"));
}

static void test_relative_paths_follow_the_file(void **state)
{
	struct fx *f = *state;
	char want[700];

	write_ini(f, "[general]\ndatabase = db/my.db\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	snprintf(want, sizeof(want), "%s/db/my.db", f->dir);
	assert_string_equal(f->cfg->database, want);
}

/* ---- secrets and permissions ------------------------------------------- */

static void test_secret_in_readable_file_refused(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[remote]\nurl = https://cps.example.com/api\ntoken = s3cr3t-token\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
	assert_null(f->cfg);
	assert_non_null(strstr(f->err.msg, "chmod 600"));
	assert_non_null(strstr(f->err.msg, "remote.token"));
	assert_null(strstr(f->err.msg, "s3cr3t"));

	write_ini(f, "[remote]\nurl = https://cps.example.com/api\ntoken = s3cr3t-token\n", 0640);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);

	write_ini(f, "[remote]\nurl = https://cps.example.com/api\ntoken = s3cr3t-token\n", 0600);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_string_equal(f->cfg->remote_token, "s3cr3t-token");

	/* no secret, no restriction */
	write_ini(f, "[remote]\nurl = https://cps.example.com/api\ntoken =\n", 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
}

/* A shop's staff share one configuration through their group
 * (general.group): a secret may be read by that group, owned by it, and by
 * nobody else. */
static void test_secret_readable_by_the_shops_group(void **state)
{
	struct fx *f = *state;
	struct group *g = getgrgid(getegid());
	char ini[600], tok[700];

	assert_non_null(g);
	snprintf(ini, sizeof(ini),
		 "[general]\ngroup = %s\n[kiosk]\nstaff_pin_hash = $y$j9T$abcdefghijklmnop$0123456789abcdefghijklmnopqrstuvwxyzABCDE\n",
		 g->gr_name);
	write_ini(f, ini, 0640);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_string_equal(f->cfg->group, g->gr_name);

	/* the group may read, not write; others nothing */
	write_ini(f, ini, 0660);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
	assert_non_null(strstr(f->err.msg, "chmod 640"));
	write_ini(f, ini, 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
	write_ini(f, ini, 0604);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);

	/* the same file naming no group stays owner-only */
	write_ini(f, "[kiosk]\nstaff_pin_hash = $y$j9T$abcdefghijklmnop$0123456789abcdefghijklmnopqrstuvwxyzABCDE\n", 0640);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);

	/* a file of another group than the one it names (root can chown) */
	if (geteuid() == 0) {
		struct group *other = getgrnam("nogroup");

		if (other && other->gr_gid != getegid()) {
			write_ini(f, ini, 0640);
			assert_int_equal(chown(f->path, (uid_t)-1, other->gr_gid), 0);
			assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
			assert_int_equal(chown(f->path, (uid_t)-1, getegid()), 0);
		}
	}

	/* the token file follows the same rule */
	snprintf(tok, sizeof(tok), "%s/token", f->dir);
	tu_write_file(tok, "abc123\n", 7);
	assert_int_equal(chmod(tok, 0640), 0);
	snprintf(ini, sizeof(ini),
		 "[general]\ngroup = %s\n[remote]\nurl = https://cps.example.com/api\ntoken_file = token\n",
		 g->gr_name);
	write_ini(f, ini, 0644);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_string_equal(f->cfg->remote_token, "abc123");
	assert_int_equal(chmod(tok, 0644), 0);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
}

static void test_group_must_exist(void **state)
{
	struct fx *f = *state;

	write_ini(f, "[general]\ngroup = no-such-cps-group\n", 0600);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "general.group", "no-such-cps-group"));
}

static void test_token_file(void **state)
{
	struct fx *f = *state;
	char tok[700], ini[900];
	struct cps_key_view v;

	snprintf(tok, sizeof(tok), "%s/token", f->dir);
	tu_write_file(tok, "abc123\n", 7);
	chmod(tok, 0644);
	snprintf(ini, sizeof(ini), "[remote]\nurl = https://cps.example.com/api\ntoken_file = token\n");
	write_ini(f, ini, 0644);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_PERM);
	assert_non_null(strstr(f->err.msg, "chmod 600"));

	chmod(tok, 0600);
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_string_equal(f->cfg->remote_token, "abc123");
	cps_config_key_view(f->cfg, key_index("remote.token"), &v);
	assert_null(strstr(v.value, "abc123"));
	assert_true(v.secret);

	/* the environment's token beats the file's token_file */
	env_add(f, "CPSREG_REMOTE_TOKEN=fromenv");
	assert_int_equal(load(f, NULL, 0), CPS_OK);
	assert_string_equal(f->cfg->remote_token, "fromenv");

	/* token and token_file both in the file is ambiguous */
	f->nenv--;
	f->env[f->nenv] = NULL;
	write_ini(f, "[remote]\ntoken = x\ntoken_file = token\n", 0600);
	assert_int_equal(load(f, NULL, 0), CPS_ERR_INVALID);
	assert_true(has_diag(f, 1, "either remote.token or remote.token_file", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults_without_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_tree_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_named_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_pin_refused_without_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_readable_by_the_shops_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_must_exist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kiosk_without_pin_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels_must_be_ordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_custom_levels_replace_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings_keep_config_usable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_yet_used_keys_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_support_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decimal_not_octal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_environment_and_cmdline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_section_named_like_a_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths_follow_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_in_readable_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_benefits_and_vat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_vat_and_benefits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_never_english_in_nb_da, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
