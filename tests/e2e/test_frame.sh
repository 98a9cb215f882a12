#!/bin/sh
# test_frame.sh - the wizard's frame on the real binary in a private tmux
# server: the welcome page with the header, the step strip, the message line
# and the key bar; help, the quit question and the language switch; resizing;
# plain terminals (vt100, NO_COLOR, an unknown TERM); SIGHUP and SIGTERM;
# the database, opened once the first page shows: a file that is not one
# ends the program with its message and the terminal given back; a page
# shown while another program holds the database shut takes a resize
# given meanwhile once it opens; the engine's warning (no iso-codes) is on the
# message line and on stderr.
# The pages behind the welcome page have their own suites.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (make deps-test installs it)"
	finish
fi

HEADER="Canon Professional Services - registration"
WELCOME="Welcome to Canon Professional Services (CPS)"
KEYBAR="Tab next  Enter choose  ^B back  ^N next page  ^G help  ^T language  ^Q quit"
# every key in nb and da at 80 columns too, ^N named as in English
NB_KEYBAR="Tab neste  Enter velg  ^B tilbake  ^N neste side  ^G hjelp  ^T språk  ^Q avslutt"
DA_KEYBAR="Tab næste  Enter vælg  ^B tilbage  ^N næste side  ^G hjælp  ^T sprog  ^Q afslut"
HINT_NEW="Apply for a Canon business account"
HINT_RESUME="Continue a saved application with the resume code"
HINT_PASSWORD="Your account was validated"
HINT_LANG="Left and right arrows (or Space) change the language."
HELP_END="to go back to the page."
QUIT="Quit cpsreg?"
SMALL="terminal too small (need 80x24)"

# row_like NAME ROW GLOB: ok when row ROW of the screen matches the glob.
row_like() {
	_r=$(e2e_row "$2")
	# shellcheck disable=SC2254 # the pattern is a glob on purpose
	case $_r in
	$3) ok "$1" ;;
	*) not_ok "$1" "row $2 is '$_r'" ;;
	esac
}

# The key table as "label|note" lines, as the program prints it: the help is
# generated from that table, so the test follows it.
KEY_TABLE=$("$CPSREG_BIN" --dump-keys)

# all_keys NAME: ok when the screen shows every key of the table beside its
# note (however many spaces apart).
all_keys() {
	_screen=$(e2e_screen | tr -s ' ')
	_missing=""
	while IFS='|' read -r _label _note; do
		[ -n "$_label" ] || continue
		case $_screen in *"$_label $_note"*) ;; *) _missing="$_missing $_label($_note)" ;; esac
	done <<EOF
$KEY_TABLE
EOF
	if [ -z "$_missing" ]; then
		ok "$1"
	else
		not_ok "$1" "missing:$_missing
$(e2e_screen)"
	fi
}

# alive NAME: ok when the program is still running.
alive() {
	if kill -0 "$E2E_PID" 2>/dev/null && ! e2e_wait_exit 0; then
		ok "$1"
	else
		not_ok "$1" "the program ended: exit $E2E_EXIT"
	fi
}

# --- the welcome page -----------------------------------------------------------
e2e_start
e2e_expect "the welcome page shows its title" "$WELCOME"
e2e_expect_row "the header names the program" 1 "$HEADER"
row_like "the header names the page on the right" 1 "*  Welcome"
row_like "the step strip names the seven steps in order" 2 \
	"*Account*Validation*Products*Migration*Points*Level*Payment"
row_like "a rule closes the header" 3 "────────*"
e2e_expect_row "the key bar is on the last row" 24 "$KEYBAR"
e2e_expect_row "the message line shows the first button's hint" 23 "$HINT_NEW"
e2e_expect "the first choice is there" "< Start a new application >"
if e2e_uses_colour; then ok "a colour terminal gets colours"; else not_ok "a colour terminal gets colours"; fi

# --- Tab moves the focus, the message line follows ------------------------------
e2e_keys Tab
e2e_expect_row "Tab moves the hint to the next button" 23 "$HINT_RESUME"
e2e_keys Tab
e2e_expect_row "Tab again moves it on" 23 "$HINT_PASSWORD"
e2e_keys BTab
e2e_expect_row "Shift-Tab moves it back" 23 "$HINT_RESUME"

# --- help -----------------------------------------------------------------------
if [ "$(printf '%s\n' "$KEY_TABLE" | grep -c '|')" -ge 10 ]; then
	ok "the program prints its key table (--dump-keys)"
else
	not_ok "the program prints its key table (--dump-keys)" "$KEY_TABLE"
fi
e2e_keys C-g
e2e_expect "^G shows the help" "$HELP_END"
e2e_expect_row "the help has its title" 4 "Help"
e2e_expect "the help explains the steps" "apply for a business account"
e2e_expect "the help has a key list" "  Keys"
all_keys "the help lists every key of the key table with its note"
e2e_expect_row "the key bar stays under the help" 24 "$KEYBAR"
first=$(e2e_row 5)   # the first line of the help text
e2e_keys Down
if [ -n "$first" ]; then
	e2e_expect_gone "Down scrolls the help text" "$first"
else
	not_ok "Down scrolls the help text" "row 5 is empty"
fi
e2e_lacks "Down scrolls the help text, not the page behind it" "$WELCOME"
e2e_expect "Down keeps the help open" "$HELP_END"
e2e_expect "the key list stays while the text scrolls" "  Keys"
e2e_keys Up
e2e_expect_row "Up scrolls back" 5 "$first"
e2e_keys Tab   # another key: it goes back, and the key does nothing else
e2e_expect_gone "another key leaves the help" "$HELP_END"
e2e_expect "the page is back" "$WELCOME"
e2e_expect_row "the key that left the help did not move the focus" 23 "$HINT_RESUME"
e2e_keys F1
e2e_expect "F1 shows the help too" "$HELP_END"
e2e_keys Enter   # Enter on the focused button would open a page
e2e_expect_gone "Enter leaves the help" "$HELP_END"
e2e_expect "Enter did not choose the button" "$WELCOME"

# --- the quit question ----------------------------------------------------------
e2e_keys C-q
e2e_expect_row "^Q asks on the message line" 23 "$QUIT"
e2e_expect "the question says what to press" "Press y to quit, n to stay."
e2e_keys n
e2e_expect_gone "n takes the question away" "$QUIT"
e2e_expect "n stays on the page" "$WELCOME"
alive "n does not end the program"
e2e_keys C-q
e2e_expect_row "^Q asks again" 23 "$QUIT"
e2e_keys y
e2e_expect_exit 0 "y ends the program with status 0 and the terminal restored"

# --- a taller terminal --------------------------------------------------------------
E2E_SIZE=80x40
e2e_start
E2E_SIZE=80x24
e2e_expect "the welcome page shows on a taller terminal" "$WELCOME"
e2e_expect_row "the key bar is on the last row of a taller terminal" 40 "$KEYBAR"
e2e_keys C-g
e2e_expect "^G shows the help on a taller terminal" "$HELP_END"
all_keys "the help on a taller terminal lists every key"
e2e_keys x
e2e_expect_gone "x leaves the help" "$HELP_END"
e2e_keys C-q y
e2e_expect_exit 0 "^Q y ends it from a taller terminal"

# --- the language --------------------------------------------------------------
for l in nb da; do
	if [ -s "assets/locale/$l/LC_MESSAGES/cpsreg.mo" ]; then
		ok "the $l catalogue is compiled"
	else
		not_ok "the $l catalogue is compiled" "run make first"
	fi
done
# What each language shows comes from the compiled catalogues: the header,
# and the first button where it is translated already (else only the header
# is checked).
in_catalogue() { LANGUAGE=$1 TEXTDOMAINDIR="$PWD/assets/locale" gettext -d cpsreg -- "$2"; }
EN_WORD="Start a new application"
NB_HEADER=$(in_catalogue nb "$HEADER") NB_WORD=$(in_catalogue nb "$EN_WORD")
DA_HEADER=$(in_catalogue da "$HEADER") DA_WORD=$(in_catalogue da "$EN_WORD")
for h in "nb:$NB_HEADER" "da:$DA_HEADER"; do
	if [ "${h#*:}" != "$HEADER" ]; then
		ok "the ${h%%:*} catalogue translates the header"
	else
		not_ok "the ${h%%:*} catalogue translates the header" "it is still '$HEADER'"
	fi
done
# has_word NAME WORD: like e2e_expect, skipped for a button not translated yet.
has_word() {
	if [ "$2" = "$EN_WORD" ]; then
		ok "$1 # SKIP the button is not translated yet"
	else
		e2e_expect "$1" "$2"
	fi
}

e2e_start
e2e_expect_row "the header starts in English" 1 "$HEADER"
e2e_keys C-t
e2e_expect_row "^T from English switches the header to Norwegian" 1 "$NB_HEADER"
has_word "^T from English switches the page to Norwegian" "$NB_WORD"
e2e_expect_row "nb: the whole key bar fits at 80 columns" 24 "$NB_KEYBAR"
e2e_keys C-q y
e2e_expect_exit 0 "it ends after a language switch"

e2e_start LANGUAGE=da
e2e_expect_row "LANGUAGE=da starts with a Danish header" 1 "$DA_HEADER"
has_word "LANGUAGE=da starts with a Danish page" "$DA_WORD"
e2e_expect_row "da: the whole key bar fits at 80 columns" 24 "$DA_KEYBAR"
e2e_keys C-t
e2e_expect_row "^T from Danish switches the header to English" 1 "$HEADER"
e2e_expect "^T from Danish switches the page to English" "$EN_WORD"
e2e_keys C-t
e2e_expect_row "^T again switches to Norwegian" 1 "$NB_HEADER"
has_word "the page follows to Norwegian" "$NB_WORD"
e2e_keys F2
e2e_expect_row "F2 from Norwegian switches to Danish" 1 "$DA_HEADER"
has_word "the page follows to Danish" "$DA_WORD"
e2e_keys C-q y
e2e_expect_exit 0 "it ends after switching languages"

e2e_start
e2e_expect "the welcome page is back" "$WELCOME"
e2e_keys Tab Tab Tab Tab
e2e_expect_row "Tab reaches the Language choice" 23 "$HINT_LANG"
e2e_expect "English is the chosen language" "(*) English"
e2e_keys Right
e2e_expect_row "Right on the Language choice switches to Norwegian" 1 "$NB_HEADER"
has_word "the page is in Norwegian" "$NB_WORD"
e2e_expect "Norsk is marked as chosen" "(*) Norsk bokmål"
e2e_keys Right
e2e_expect_row "Right again switches to Danish" 1 "$DA_HEADER"
has_word "the page is in Danish" "$DA_WORD"
e2e_expect "Dansk is marked as chosen" "(*) Dansk"
e2e_keys Left Left
e2e_expect_row "Left twice is back to English" 1 "$HEADER"
e2e_expect "the page is in English again" "$EN_WORD"
e2e_expect "English is marked again" "(*) English"
e2e_keys C-q y
e2e_expect_exit 0 "it ends after the Language choice"

# --- resizing -------------------------------------------------------------------
e2e_start
e2e_expect "the page shows before the resize" "$WELCOME"
e2e_resize 60 20
e2e_expect "60x20 says the terminal is too small" "$SMALL"
e2e_lacks "the page is not drawn on a small terminal" "$WELCOME"
e2e_resize 80 24
e2e_expect_gone "back at 80x24 the message goes" "$SMALL"
e2e_expect "back at 80x24 the page shows again" "$WELCOME"
e2e_expect_row "back at 80x24 the key bar is on the last row" 24 "$KEYBAR"
e2e_keys Tab
e2e_expect_row "keys work after the resize" 23 "$HINT_RESUME"
# ^L draws everything again: another program's output over the page (a
# kernel message on a console, a wall(1) over SSH) goes
_tty=$(_e2e_tmux display-message -p -t e2e '#{pane_tty}')
printf '\033[5;3HSTRAY OUTPUT OVER THE PAGE\033[12;40HMORE NOISE' >"$_tty"
e2e_expect "stray output shows on the page" "STRAY OUTPUT OVER THE PAGE"
e2e_keys C-l
e2e_expect_gone "^L draws the page again: the stray output is gone" "STRAY OUTPUT"
e2e_lacks "^L leaves none of it" "MORE NOISE"
e2e_expect "^L: the page is whole" "$WELCOME"
e2e_expect_row "^L: the hint of the focused button stays" 23 "$HINT_RESUME"
e2e_keys C-q y
e2e_expect_exit 0 "it ends normally after resizing"

# --- plain terminals ----------------------------------------------------------------
for env in TERM=vt100 NO_COLOR=1; do
	e2e_start "$env"
	e2e_expect "$env: the welcome page shows" "$WELCOME"
	e2e_expect_row "$env: the step strip shows" 2 "Account"
	e2e_expect_row "$env: the key bar shows" 24 "$KEYBAR"
	if e2e_uses_colour; then not_ok "$env: no colours" "$(e2e_screen_attrs | cat -v)"; else ok "$env: no colours"; fi
	e2e_keys Tab
	e2e_expect_row "$env: Tab works" 23 "$HINT_RESUME"
	e2e_keys C-g
	e2e_expect "$env: ^G shows the help" "$HELP_END"
	e2e_keys x
	e2e_expect_gone "$env: a key leaves the help" "$HELP_END"
	e2e_keys F1
	e2e_expect "$env: F1 shows the help" "$HELP_END"
	e2e_keys Escape
	e2e_expect_gone "$env: Escape leaves the help" "$HELP_END"
	e2e_keys C-q
	e2e_expect_row "$env: ^Q asks" 23 "$QUIT"
	e2e_keys y
	e2e_expect_exit 0 "$env: y ends it with status 0 and the terminal restored"
done

e2e_start TERM=no-such-term
e2e_expect "an unknown TERM still starts" "$WELCOME"
e2e_expect_row "an unknown TERM still shows the key bar" 24 "$KEYBAR"
e2e_keys C-q
e2e_expect_row "an unknown TERM still takes keys" 23 "$QUIT"
e2e_keys y
e2e_expect_exit 0 "an unknown TERM ends with status 0"

# --- signals --------------------------------------------------------------------
for sig in HUP TERM; do
	e2e_start
	e2e_expect "SIG$sig: the page shows" "$WELCOME"
	e2e_signal "$sig"
	e2e_expect_exit 0 "SIG$sig ends the program with status 0 and the terminal restored"
done
e2e_start
e2e_expect "SIGHUP with the help open: the page shows" "$WELCOME"
e2e_keys C-g
e2e_expect "SIGHUP with the help open: the help shows" "$HELP_END"
e2e_signal HUP
e2e_expect_exit 0 "SIGHUP with the help open ends it cleanly"

# --- the database, opened behind the first page ---------------------------------
JUNK="$SUITE_DIR/junk.db"
printf 'these are not the bytes of a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 >"$JUNK"
sum=$(md5sum <"$JUNK")
e2e_start -- --db "$JUNK"
e2e_expect_exit 4 "a file that is not a database: exit 4 and the terminal given back"
case $(e2e_stderr) in
*"junk.db is not a cpsreg database"*) ok "its message is on stderr, naming the file" ;;
*) not_ok "its message is on stderr, naming the file" "stderr: $(e2e_stderr)" ;;
esac
[ "$(md5sum <"$JUNK")" = "$sum" ] && ok "the file is left untouched" || not_ok "the file is left untouched"

# another program holds the database shut (an exclusive lock) for a while:
# the page shows at once, and a resize given while the database waits is
# taken once it opens (the loop's poll would not see its signal)
LOCKED="$SUITE_DIR/locked.db"
"$CPSREG_BIN" --db "$LOCKED" messages >/dev/null
LOCK_FIFO="$SUITE_DIR/lock.fifo"
rm -f "$LOCK_FIFO"
mkfifo "$LOCK_FIFO"
{ echo "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master;"
  cat "$LOCK_FIFO"; echo "COMMIT;"; } | sqlite3 "$LOCKED" >/dev/null &
LOCK_PID=$!
_n=0
while sqlite3 "$LOCKED" "SELECT count(*) FROM sqlite_master;" >/dev/null 2>&1 && [ "$_n" -lt 200 ]; do
	_n=$((_n + 1))
	sleep 0.05
done
E2E_NO_WAIT=1
e2e_start -- --db "$LOCKED"
E2E_NO_WAIT=0
e2e_expect "locked database: the welcome page shows while it waits" "$WELCOME"
e2e_resize 60 20
sleep 0.3
: >"$LOCK_FIFO"
wait "$LOCK_PID"
e2e_expect "a resize while the database opened is taken, with no key" "$SMALL"
e2e_resize 80 24
e2e_expect "locked database: back at 80x24 the page shows" "$WELCOME"
e2e_keys Tab
e2e_expect_row "locked database: keys work once it is open" 23 "$HINT_RESUME"
e2e_keys C-q y
e2e_expect_exit 0 "locked database: it ends with status 0"

ISO_WARNING="the country names in Norwegian and Danish could not be read from"
e2e_start -- --set general.iso_codes_dir=/no-such-dir
e2e_expect "no iso-codes: the welcome page shows" "$WELCOME"
e2e_expect "no iso-codes: the warning is on the message line" "$ISO_WARNING"
e2e_keys C-q
e2e_expect_row "no iso-codes: ^Q asks" 23 "$QUIT"
e2e_keys y
e2e_expect_exit 0 "no iso-codes: y ends it with status 0"
case $(e2e_stderr) in
*"warning: the country names"*) ok "no iso-codes: the warning is said on stderr too" ;;
*) not_ok "no iso-codes: the warning is said on stderr too" "stderr: $(e2e_stderr)" ;;
esac

# --- every capture fits ---------------------------------------------------------
e2e_check_widths "no line of any capture is wider than 80 columns" 80

finish
