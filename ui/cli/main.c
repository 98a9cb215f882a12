/* main.c - cpsreg's entry point: locale, command line, configuration,
 * database, then the wizard or the requested command. */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildpaths.h"
#include "cpsreg/cpsreg.h"
#include "cpsreg/i18n.h"
#include "cpsreg/engine.h"
#include "cpsreg/limit.h"
#include "cpsreg/lang.h"
#include "frame.h"
#include "pages.h"
#include "staff.h"
#include "sync.h"
#include "ui.h"

/* When the binary sits in a source tree (beside the Makefile and assets/),
 * it uses that tree's assets, translations and ./var/ for its data. */
static const char *find_source_tree(char *buf, size_t len)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(probe, sizeof(probe), "%s/Makefile", exe);
	if (stat(probe, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	snprintf(probe, sizeof(probe), "%s/assets/po", exe);
	if (stat(probe, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	snprintf(buf, len, "%s", exe);
	return buf;
}

static void set_language(const char *lang)
{
	if (strcmp(lang, "auto") == 0)
		return;
	/* LANGUAGE picks the catalogue without needing that locale installed */
	setenv("LANGUAGE", lang, 1);
	if (strcmp(lang, "en") == 0)
		setenv("LANGUAGE", "en", 1);
}

/* The language of the session: LANG=nb_NO.UTF-8 or da_DK.UTF-8 means
 * Norwegian or Danish even where that locale is not generated (setlocale
 * then fell back to C.UTF-8), so the choice goes to LANGUAGE, which
 * gettext honours without the locale.  A LANGUAGE already set wins. */
static void session_language(void)
{
	const char *loc = setlocale(LC_MESSAGES, NULL);
	const char *cur = getenv("LANGUAGE");
	int lang = cps_lang_current();

	/* under C or POSIX gettext ignores LANGUAGE (and ^T with it) */
	if (loc && (!strcmp(loc, "C") || !strcmp(loc, "POSIX")))
		setlocale(LC_MESSAGES, "C.UTF-8");
	if ((!cur || !*cur) && lang != CPS_LANG_EN)
		setenv("LANGUAGE", cps_lang_code(lang), 1);
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The wizard: the engine on the configured database, then the screens.
 * SIGHUP (a closed SSH window) and SIGTERM only set a flag; the loop then
 * saves the page and restores the terminal. */
/* The wizard reads and writes UTF-8 whatever the session's locale: over
 * SSH without LANG, on a console service or with LC_ALL=C the locale is
 * "C", in which curses reads "Blåbær" as "Bl" and writes back what it
 * cannot show as blanks.  Returns 1 when the character type is UTF-8 (the
 * session's, or the first of these that exists), else 0. */
static int utf8_ctype(void)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "en_GB.UTF-8" };

	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_CTYPE, names[i]) && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
			return 1;
	return 0;
}

/* The options the wizard was started with, for its sync child (sync.h):
 * the same configuration file and --set values (--db is one), so that it
 * opens the same database.  *opts is freed by the caller, each string
 * too. */
static size_t child_options(const struct cli *cli, char ***opts)
{
	size_t n = 0, max = 2 + 2 * cli->nsettings;
	char **v = calloc(max, sizeof(*v));

	*opts = v;
	if (!v)
		return 0;
	if (cli->config_path) {
		v[n++] = strdup("--config");
		v[n++] = strdup(cli->config_path);
	}
	for (size_t i = 0; i < cli->nsettings; i++) {
		size_t len = strlen(cli->settings[i].name) + strlen(cli->settings[i].value) + 2;
		char *kv = malloc(len);

		if (kv)
			snprintf(kv, len, "%s=%s", cli->settings[i].name, cli->settings[i].value);
		v[n++] = strdup("--set");
		v[n++] = kv;
	}
	for (size_t i = 0; i < n; i++)
		if (!v[i])
			return n;   /* out of memory: the caller sees a NULL */
	return n;
}

/* Opens the engine for the wizard once its first page is on the screen
 * (app_run_opening); wrong resume codes and logins then count against
 * this screen too. */
static int open_for_terminal(const void *ctx, struct cps_engine **e, struct cps_error *err)
{
	const char *tty;

	if (cps_engine_open(e, ctx, err) != CPS_OK)
		return -1;
	tty = ttyname(0);
	if (tty)
		cps_limit_set_terminal(*e, strncmp(tty, "/dev/", 5) == 0 ? tty + 5 : tty);
	return 0;
}

/* Why the wizard cannot show its screens here, into why; 0 when it can. */
static int no_screen(char *why, size_t len)
{
	const char *term = getenv("TERM");

	if (!isatty(0) || !isatty(1))
		snprintf(why, len, "%s", _("the wizard needs a terminal (standard input and output must be a terminal)"));
	/* a dumb terminal cannot place text: the screens would stay blank */
	else if (!term || !*term || strcmp(term, "dumb") == 0)
		snprintf(why, len, _("the terminal type TERM=%s cannot show the wizard's screens; set TERM to your terminal (for example xterm-256color, linux or vt100)"),
			 term && *term ? term : "");
	else
		return 0;
	return 1;
}

static int run_wizard(const struct cps_config *cfg)
{
	struct cps_engine *e = NULL;
	struct cps_error err = { 0 };
	struct sigaction sa;
	char why[512];

	if (!utf8_ctype()) {
		cli_error("%s", _("the wizard needs a UTF-8 locale and none is installed (try C.UTF-8 or en_US.UTF-8: locale-gen, or the locales package)"));
		return EXIT_TERMINAL;
	}
	if (no_screen(why, sizeof(why))) {
		/* no screen: what is wrong with the database is said first */
		if (cps_engine_open(&e, cfg, &err) != CPS_OK) {
			cli_error("%s", err.msg);
			return err.code == CPS_ERR_INVALID ? EXIT_FAIL : EXIT_STORE;
		}
		if (cps_engine_warning(e))
			cli_warning("%s", cps_engine_warning(e));
		cps_engine_close(e);
		cli_error("%s", why);
		return EXIT_TERMINAL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* the first page is shown before the database is opened: the
	 * customer does not wait for it (README "Performance") */
	const struct app_opener op = { open_for_terminal, cfg, &e, &err };
	int rc = app_run_opening(&op, cfg, &wizard_pages, &stop_requested);
	if (rc == APP_RUN_NOT_OPENED) {
		cli_error("%s", err.msg);
		return err.code == CPS_ERR_INVALID ? EXIT_FAIL : EXIT_STORE;
	}
	/* kiosk staff gave the PIN for the console: then the kiosk again */
	while (rc == APP_RUN_CONSOLE && !stop_requested) {
		rc = staff_console_at_kiosk(e, cfg, &stop_requested);
		if (rc == 0 && !stop_requested)
			rc = app_run(e, cfg, &wizard_pages, &stop_requested);
	}
	if (rc == APP_RUN_CONSOLE)
		rc = 0;
	/* shown on the status line; said again here for a log of the session */
	if (e && cps_engine_warning(e))
		cli_warning("%s", cps_engine_warning(e));
	cps_engine_close(e);
	if (rc == APP_RUN_LOST) {
		/* after a hang-up nobody saw the screen: this line is the word */
		cli_error("%s", _("what was typed last could not be saved: the database stayed in use by another program"));
		return EXIT_STORE;
	}
	if (rc != 0) {
		cli_error("%s", _("the terminal could not be started; check TERM"));
		return EXIT_TERMINAL;
	}
	return EXIT_OK;
}

/* What was printed must have arrived: a full disk, a closed pipe or
 * /dev/full turn a success into a failure (a script must not read a cut
 * "valid:" line as an answer). */
static int close_stdout(int rc)
{
	int failed = ferror(stdout), e;

	errno = 0;
	if (fclose(stdout) != 0)
		failed = 1;
	e = errno ? errno : EIO;
	if (failed) {
		cli_error(_("cannot write the output: %s"), strerror(e));
		if (rc == EXIT_OK)
			rc = EXIT_FAIL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct cps_config *cfg = NULL;
	struct cps_error err = { 0 };
	char tree[PATH_MAX], localedir[PATH_MAX + 16];
	int rc;

	/* Only the character type and the messages follow the session: the
	 * program writes its dates and numbers itself, and where there is no
	 * locale archive each other category was a file to open and map
	 * before the first screen. */
	if (!setlocale(LC_CTYPE, ""))
		setlocale(LC_CTYPE, "C.UTF-8");
	if (!setlocale(LC_MESSAGES, ""))
		setlocale(LC_MESSAGES, "C.UTF-8");
	session_language();
	cli.tree_dir = find_source_tree(tree, sizeof(tree));
	if (cli.tree_dir)
		snprintf(localedir, sizeof(localedir), "%s/assets/locale", cli.tree_dir);
	else
		snprintf(localedir, sizeof(localedir), "%s", CPS_LOCALEDIR);
	bindtextdomain(CPS_TEXTDOMAIN, localedir);
	bind_textdomain_codeset(CPS_TEXTDOMAIN, "UTF-8");
	signal(SIGPIPE, SIG_IGN);

	rc = cli_parse(&cli, argc, argv);
	if (rc != EXIT_OK)
		goto out;
	if (cli.help) {
		cli_help();
		goto out;
	}
	if (cli.version) {
		cli_version();
		goto out;
	}
	if (cli.dump_keys) {
		cli_dump_keys();
		goto out;
	}
	if (cps_init(&err) != CPS_OK) {
		cli_error("%s", err.msg);
		rc = EXIT_FAIL;
		goto out;
	}
	if (cli.check_config) {
		rc = cmd_check_config(&cli);
		goto out;
	}
	if (cli.argc > 0) {
		rc = commands_run(&cli);
		goto out;
	}
	rc = cli_load_config(&cli, &cfg, 0);
	if (rc != EXIT_OK)
		goto out;
	set_language(cfg->language);
	{
		char **opts;
		size_t nopts = child_options(&cli, &opts);
		int complete = opts != NULL;

		for (size_t i = 0; i < nopts; i++)
			complete = complete && opts[i];
		/* without every option the child could open another database */
		if (complete)
			sync_set_command(argv[0], opts, nopts);
		rc = run_wizard(cfg);
		for (size_t i = 0; opts && i < nopts; i++)
			free(opts[i]);
		free(opts);
	}
out:
	cps_config_free(cfg);
	cps_cleanup();
	cli_free(&cli);
	return close_stdout(rc);
}
