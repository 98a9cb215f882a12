/* screen.c - the one screen shown until the wizard lands: it says what
 * the program is, which configuration and database it uses, and how to
 * leave.  Sets the terminal up the way the wizard will (newterm with a
 * fallback, locale first, short ESCDELAY, monochrome unless colours work). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ncurses.h>

#include "cpsreg/cpsreg.h"
#include "cpsreg/i18n.h"
#include "ui.h"

#define MIN_COLS 80
#define MIN_ROWS 24

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static SCREEN *start_terminal(void)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);

	/* an unknown TERM must not end the program: fall back to a plain one */
	if (!scr)
		scr = newterm("vt100", stdout, stdin);
	if (!scr)
		scr = newterm("dumb", stdout, stdin);
	return scr;
}

static void centre(int y, const char *text, attr_t attr)
{
	int x = (COLS - (int)strlen(text)) / 2;

	attron(attr);
	mvaddstr(y, x > 0 ? x : 0, text);
	attroff(attr);
}

static void draw(const struct cps_config *cfg, const char *db_status)
{
	char line[512];

	erase();
	if (COLS < MIN_COLS || LINES < MIN_ROWS) {
		snprintf(line, sizeof(line), _("terminal too small (need %dx%d)"), MIN_COLS, MIN_ROWS);
		mvaddnstr(0, 0, line, COLS);
		refresh();
		return;
	}
	box(stdscr, 0, 0);
	snprintf(line, sizeof(line), " cpsreg %s ", cps_version());
	mvaddstr(0, 2, line);
	centre(3, _("Canon Professional Services - registration"), A_BOLD);
	centre(5, _("The registration wizard is not built yet."), A_NORMAL);
	centre(6, _("This build checks the configuration and the database."), A_NORMAL);
	snprintf(line, sizeof(line), _("Configuration: %s"),
		 cfg->file ? cfg->file : _("built-in defaults"));
	mvaddnstr(9, 4, line, COLS - 8);
	snprintf(line, sizeof(line), _("Database: %s"), db_status);
	mvaddnstr(10, 4, line, COLS - 8);
	centre(LINES - 3, _("Press q to quit."), A_REVERSE);
	refresh();
}

int screen_run(const struct cps_config *cfg, const char *db_status)
{
	struct sigaction sa;
	SCREEN *scr;

	if (!isatty(0) || !isatty(1)) {
		cli_error("%s", _("the wizard needs a terminal (standard input and output must be a terminal)"));
		return EXIT_TERMINAL;
	}
	scr = start_terminal();
	if (!scr) {
		cli_error("%s", _("the terminal could not be started; check TERM"));
		return EXIT_TERMINAL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	set_escdelay(50);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);          /* may fail on vt100: harmless */
	timeout(500);         /* wake up to notice a signal */
	draw(cfg, db_status);
	while (!stop_requested) {
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			draw(cfg, db_status);
			continue;
		}
		if (r == OK && (ch == 'q' || ch == 'Q'))
			break;
	}
	endwin();
	delscreen(scr);
	return EXIT_OK;
}
