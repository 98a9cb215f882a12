# shellcheck shell=sh
# e2e/lib.sh - drives the real cpsreg in a private tmux server and reads the
# screen back with capture-pane, in the manner of tmux's own regress/*.sh.
# Sourced after tests/lib.sh (POSIX sh):
#
#   . tests/lib.sh
#   . tests/e2e/lib.sh
#
#   e2e_start [VAR=VALUE...] [-- ARGS...]
#                        starts "$CPSREG_BIN --db $E2E_DB ARGS" in a new session
#                        of E2E_SIZE (80x24) on the suite's own server (socket
#                        cpsreg-e2e-$$, no config file), ending the program of
#                        the call before; a new database per call; cwd = the
#                        repository; LC_ALL=C.UTF-8; TERM = tmux's own unless
#                        TERM=... is given; no LANGUAGE, LANG or NO_COLOR unless
#                        given.  VAR=VALUE (no spaces) go to the program only.
#                        Sets E2E_DB, E2E_PID (the program) and E2E_PANE_PID
#                        (the shell in the pane around it).  Returns once
#                        the program waits for a key (its database open: the
#                        wizard draws its first page before it opens it) or
#                        has ended; E2E_NO_WAIT=1 returns at once.
#   e2e_wait_ready [SECONDS]  waits until the program waits for a key (blocked
#                        in poll, read from /proc/PID/wchan) or has ended
#   e2e_keys KEY...      tmux send-keys: key names (Tab Enter Right C-g F1 ...)
#   e2e_type TEXT        types TEXT literally (UTF-8 safe)
#   e2e_screen           prints the pane as it is now
#   e2e_screen_attrs     the same with the attributes and colours (SGR escapes)
#   e2e_uses_colour      true when the screen shows any colour
#   e2e_row N            prints row N (1 = the top row)
#   e2e_wait_for TEXT [SECONDS]   polls every 0.1 s until TEXT is on the screen;
#                        on timeout prints the screen (as # lines), returns 1
#   e2e_wait_gone TEXT [SECONDS]  the same until TEXT is no longer on the screen
#   e2e_expect NAME TEXT [SECONDS]        ok when TEXT appears (waits), else not_ok
#   e2e_expect_row NAME N TEXT [SECONDS]  ok when row N holds TEXT (waits)
#   e2e_expect_gone NAME TEXT [SECONDS]   ok when TEXT disappears (waits)
#   e2e_lacks NAME TEXT  ok when the screen, now, does not hold TEXT
#   e2e_resize COLS ROWS resizes the window (the program gets SIGWINCH)
#   e2e_signal SIG       kill -SIG the program
#   e2e_wait_exit [SECONDS]  waits for the program to end; sets E2E_EXIT (its
#                        status) and E2E_TTY ("same" when the terminal modes
#                        are as before it started); returns 1 on timeout
#   e2e_expect_exit N NAME [SECONDS]  ok when the program ended with status N,
#                        the tty modes are restored, the alternate screen is
#                        off, the cursor is visible, the keypad is reset and
#                        stderr has no sanitizer report
#   e2e_stderr           prints what the program wrote to stderr
#   e2e_check_widths NAME [COLS]  ok when no line of any capture so far is
#                        wider than COLS (80) columns
#   e2e_stop             kills the server (also run at exit, even on failure)
#
# Timeouts default to E2E_TIMEOUT (10 s); under AddressSanitizer (a binary
# named *-asan) every timeout is multiplied by E2E_SCALE (3).  Waits are polls,
# never fixed sleeps: a passing test is as fast as the program.
#
# The program's stderr goes to a file (e2e_stderr), so sanitizer reports at
# exit never land on the screen being checked; leak detection stays on, with
# tests/e2e/lsan.supp naming the few allocations ncurses itself never frees.

unset TMUX TMUX_PANE
E2E_SOCKET="cpsreg-e2e-$$"
E2E_ROOT=$PWD
E2E_TIMEOUT=${E2E_TIMEOUT:-10}
E2E_SIZE=80x24
case $CPSREG_BIN in
*-asan) E2E_SCALE=${E2E_SCALE:-3} ;;
*) E2E_SCALE=${E2E_SCALE:-1} ;;
esac
E2E_N=0
E2E_DB=""
E2E_PID=""
E2E_PANE_PID=""
E2E_SERVER_PID=""
E2E_SOCKET_PATH=""
E2E_EXIT=""
E2E_TTY=""
E2E_CAPTURES="$SUITE_DIR/captures.txt"
: >"$E2E_CAPTURES"

# tmux needs a UTF-8 locale to read and write the program's UTF-8.
export LC_ALL=C.UTF-8

_e2e_tmux() { tmux -L "$E2E_SOCKET" -f /dev/null "$@"; }

# The pane runs this: it notes the tty modes, starts the program (whose pid
# is written first: the inner sh execs it), then notes its status and the
# modes again.  The pane then stays open (sleep, ended with the server) so the
# terminal's state after the program can be read: a dead pane would not do,
# tmux hides the cursor of a dead pane.
# shellcheck disable=SC2016 # expanded by the shell in the pane
_e2e_wrapper='st=$1 pidf=$2 errf=$3; shift 3
before=$(stty -g 2>/dev/null)
sh -c '\''echo $$ >"$0"; exec "$@"'\'' "$pidf" "$@" 2>"$errf"
rc=$?
after=$(stty -g 2>/dev/null)
if [ "$before" = "$after" ]; then tty=same; else tty=changed; fi
echo "exit=$rc tty=$tty" >"$st.tmp" && mv "$st.tmp" "$st"
exec sleep 86400'

_e2e_secs() { echo $(( ${1:-$E2E_TIMEOUT} * E2E_SCALE )); }

_e2e_capture() { _e2e_tmux capture-pane -p -t e2e 2>/dev/null; }

# Keeps a capture for e2e_check_widths.
_e2e_log() {
	printf '%s\n' "$1" >>"$E2E_CAPTURES"
}

# Prints the screen as diagnostic lines under a not ok.
_e2e_dump() {
	printf '%s\n' "$1" | sed 's/^/#   |/'
}

# Kills the server and waits until it is gone (tmux ends at its next
# one-second tick), so nothing is left running after the suite.
e2e_stop() {
	_e2e_tmux kill-server >/dev/null 2>&1
	if [ -n "$E2E_SERVER_PID" ]; then
		_end=$(($(date +%s) + $(_e2e_secs)))
		while kill -0 "$E2E_SERVER_PID" 2>/dev/null && [ "$(date +%s)" -lt "$_end" ]; do
			sleep 0.05
		done
		# tmux leaves its socket file behind
		kill -0 "$E2E_SERVER_PID" 2>/dev/null || rm -f "$E2E_SOCKET_PATH"
		E2E_SERVER_PID=""
	fi
	return 0
}

e2e_start() {
	_env=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_env="$_env $1"   # VAR=VALUE words; values without spaces
		shift
	done
	[ "${1:-}" = -- ] && shift
	E2E_N=$((E2E_N + 1))
	E2E_DB="$SUITE_DIR/e2e-$E2E_N.db"
	_e2e_files="$SUITE_DIR/e2e-$E2E_N"
	rm -f "$E2E_DB" "$_e2e_files".*
	E2E_PID="" E2E_PANE_PID="" E2E_EXIT="" E2E_TTY=""
	# One server for the suite, kept while it has no session; each start
	# replaces the session (and so the program) of the one before.
	if [ -n "$E2E_SERVER_PID" ] && kill -0 "$E2E_SERVER_PID" 2>/dev/null; then
		_e2e_tmux kill-session -t e2e >/dev/null 2>&1
	else
		_e2e_tmux start-server \; \
			set-option -g exit-empty off \; \
			set-option -g status off \; \
			set-option -g remain-on-exit on \; \
			set-option -g history-limit 0 || {
			not_ok "tmux starts a server" "tmux start-server failed"
			return 1
		}
	fi
	# shellcheck disable=SC2086 # _env is split into words on purpose
	_e2e_tmux new-session -d -s e2e -x "${E2E_SIZE%x*}" -y "${E2E_SIZE#*x}" -c "$E2E_ROOT" -- \
		sh -c "$_e2e_wrapper" sh "$_e2e_files.status" "$_e2e_files.pid" "$_e2e_files.err" \
		env -u LANGUAGE -u LANG -u NO_COLOR LC_ALL=C.UTF-8 \
		"LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$E2E_ROOT/tests/e2e/lsan.supp:print_suppressions=0" \
		$_env \
		"$CPSREG_BIN" --db "$E2E_DB" "$@" || {
		not_ok "tmux starts the program" "tmux new-session failed"
		return 1
	}
	E2E_SERVER_PID=$(_e2e_tmux display-message -p -t e2e '#{pid}')
	E2E_SOCKET_PATH=$(_e2e_tmux display-message -p -t e2e '#{socket_path}')
	# shellcheck disable=SC2034 # for the suites
	E2E_PANE_PID=$(_e2e_tmux display-message -p -t e2e '#{pane_pid}')
	_end=$(($(date +%s) + $(_e2e_secs)))
	while :; do
		E2E_PID=$(cat "$_e2e_files.pid" 2>/dev/null)
		if [ -n "$E2E_PID" ]; then
			[ "${E2E_NO_WAIT:-0}" = 1 ] || e2e_wait_ready
			return 0
		fi
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.1
	done
	not_ok "the program starts" "no pid after $(_e2e_secs) s"
	return 1
}

# The kernel names where a process sleeps in /proc/PID/wchan; where it
# does not, the wait is not made.  Asked once per suite, of a sleep of our
# own: a process that is running, as this shell is while it reads the
# file, reads as 0 whether the kernel names the place or not.
_e2e_wchan_works() {
	if [ -z "${_E2E_WCHAN:-}" ]; then
		_E2E_WCHAN=no
		sleep 5 &
		_p=$!
		_i=0
		while [ "$_i" -lt 40 ]; do
			case $(cat "/proc/$_p/wchan" 2>/dev/null) in
			'' | 0) ;;
			*) _E2E_WCHAN=yes; break ;;
			esac
			_i=$((_i + 1))
			sleep 0.05
		done
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	fi
	[ "$_E2E_WCHAN" = yes ]
}

e2e_wait_ready() {
	_e2e_wchan_works || return 0
	_end=$(($(date +%s) + $(_e2e_secs "${1:-}")))
	while :; do
		case $(cat "/proc/$E2E_PID/wchan" 2>/dev/null) in
		*poll*) return 0 ;;
		esac
		[ -s "$SUITE_DIR/e2e-$E2E_N.status" ] && return 0
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}

e2e_keys() { _e2e_tmux send-keys -t e2e "$@"; }
# ^Q, its question, y: the wizard ends with status 0
e2e_quit() {
	e2e_keys C-q
	e2e_expect "^Q asks first" "Quit"
	e2e_keys y
	e2e_expect_exit 0 "the wizard quits"
}
e2e_type() { _e2e_tmux send-keys -t e2e -l -- "$1"; }

e2e_screen() {
	_s=$(_e2e_capture)
	_e2e_log "$_s"
	printf '%s\n' "$_s"
}

e2e_screen_attrs() { _e2e_tmux capture-pane -e -p -t e2e; }

# SGR colours: 30-38, 40-48, 90-97, 100-107 (39 and 49 are "default").
e2e_uses_colour() {
	_esc=$(printf '\033')
	e2e_screen_attrs | grep -Eq "$_esc\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]"
}

e2e_row() { e2e_screen | sed -n "${1}p"; }

# _e2e_poll present|gone TEXT SECONDS [ROW]: 0 when reached; the last capture
# is left in E2E_LAST.  Gives up at once when the program has ended and the
# screen cannot change any more.
_e2e_poll() {
	_mode=$1 _text=$2 _row=${4:-}
	_end=$(($(date +%s) + $3))
	while :; do
		_ended=$(cat "$SUITE_DIR/e2e-$E2E_N.status" 2>/dev/null)
		E2E_LAST=$(_e2e_capture)
		if [ -n "$_row" ]; then
			_hay=$(printf '%s\n' "$E2E_LAST" | sed -n "${_row}p")
		else
			_hay=$E2E_LAST
		fi
		case $_hay in
		*"$_text"*) [ "$_mode" = present ] && break ;;
		*) [ "$_mode" = gone ] && break ;;
		esac
		if [ -n "$_ended" ] || [ "$(date +%s)" -ge "$_end" ]; then
			_e2e_log "$E2E_LAST"
			[ -n "$_ended" ] && E2E_LAST="(the program has ended: $_ended)
$E2E_LAST"
			return 1
		fi
		sleep 0.1
	done
	_e2e_log "$E2E_LAST"
	return 0
}

# e2e_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds
# (0) or SECONDS pass (1); an empty SECONDS is the suite's timeout.  For
# the suites' own conditions, so that every wait polls the same way.
e2e_until() {
	_uend=$(($(date +%s) + $(_e2e_secs "${1:-}")))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$_uend" ] && return 1
		sleep 0.1
	done
	return 0
}

e2e_wait_for() {
	_e2e_poll present "$1" "$(_e2e_secs "${2:-}")" && return 0
	echo "# gave up waiting for '$1'; the screen:"
	_e2e_dump "$E2E_LAST"
	return 1
}

e2e_wait_gone() {
	_e2e_poll gone "$1" "$(_e2e_secs "${2:-}")" && return 0
	echo "# gave up waiting for '$1' to go; the screen:"
	_e2e_dump "$E2E_LAST"
	return 1
}

e2e_expect() {
	if _e2e_poll present "$2" "$(_e2e_secs "${3:-}")"; then
		ok "$1"
	else
		not_ok "$1" "the screen lacks '$2':
$E2E_LAST"
	fi
}

e2e_expect_row() {
	if _e2e_poll present "$3" "$(_e2e_secs "${4:-}")" "$2"; then
		ok "$1"
	else
		not_ok "$1" "row $2 lacks '$3':
$E2E_LAST"
	fi
}

e2e_expect_gone() {
	if _e2e_poll gone "$2" "$(_e2e_secs "${3:-}")"; then
		ok "$1"
	else
		not_ok "$1" "the screen still has '$2':
$E2E_LAST"
	fi
}

e2e_lacks() {
	E2E_LAST=$(e2e_screen)
	case $E2E_LAST in
	*"$2"*) not_ok "$1" "the screen has '$2':
$E2E_LAST" ;;
	*) ok "$1" ;;
	esac
}

e2e_resize() { _e2e_tmux resize-window -t e2e -x "$1" -y "$2"; }

e2e_signal() { [ -n "$E2E_PID" ] && kill -s "$1" "$E2E_PID"; }

e2e_stderr() { cat "$SUITE_DIR/e2e-$E2E_N.err" 2>/dev/null; }

e2e_wait_exit() {
	_f="$SUITE_DIR/e2e-$E2E_N.status"
	_end=$(($(date +%s) + $(_e2e_secs "${1:-}")))
	while [ ! -s "$_f" ]; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			E2E_EXIT="" E2E_TTY=""
			return 1
		fi
		sleep 0.1
	done
	_st=$(cat "$_f")
	E2E_EXIT=$(echo "$_st" | sed -n 's/.*exit=\([0-9]*\).*/\1/p')
	E2E_TTY=$(echo "$_st" | sed -n 's/.*tty=\([a-z]*\).*/\1/p')
	return 0
}

e2e_expect_exit() {
	_want=$1 _n=$2
	if ! e2e_wait_exit "${3:-}"; then
		not_ok "$_n" "the program did not end within $(_e2e_secs "${3:-}") s; the screen:
$(e2e_screen)"
		return 0
	fi
	_modes=$(_e2e_tmux display-message -p -t e2e \
		'alternate=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag}#{keypad_cursor_flag}')
	_why=""
	[ "$E2E_EXIT" = "$_want" ] || _why="$_why exit status $E2E_EXIT, wanted $_want;"
	[ "$E2E_TTY" = same ] || _why="$_why the tty modes were not restored (stty -g differs);"
	[ "$_modes" = "alternate=0 cursor=1 keypad=00" ] || _why="$_why the terminal was left with $_modes;"
	e2e_stderr | grep -Eq 'Sanitizer|runtime error' && _why="$_why a sanitizer report on stderr;"
	if [ -z "$_why" ]; then
		ok "$_n"
	else
		not_ok "$_n" "$_why
stderr: $(e2e_stderr)
the screen:
$(e2e_screen)"
	fi
}

e2e_check_widths() {
	_max=${2:-80}
	_w=$(wc -L <"$E2E_CAPTURES")
	if [ "$_w" -le "$_max" ]; then
		ok "$1"
	else
		_long=$(while IFS= read -r _l; do
			[ "$(printf '%s\n' "$_l" | wc -L)" -gt "$_max" ] && printf '%s\n' "$_l"
		done <"$E2E_CAPTURES" | head -n 5)
		not_ok "$1" "a line is $_w columns wide:
$_long"
	fi
}

# shellcheck disable=SC2154 # _e2e_rc is set inside the trap
trap '_e2e_rc=$?; e2e_stop; exit $_e2e_rc' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

# --- helpers the suites share ----------------------------------------------

# e2e_fill_company NAME: the application's first screen from the welcome
# page, for a Danish company called NAME; 0 once the draft is saved.
e2e_fill_company() {
	e2e_wait_for "< Start a new application >" || return 1
	e2e_keys Enter
	e2e_wait_for "1 of 3: Company" || return 1
	e2e_type "$1"
	e2e_keys Tab
	e2e_type "Denmark"
	e2e_keys Tab
	e2e_type "Vestergade 1"
	e2e_keys Tab
	e2e_type "1456"
	e2e_keys Tab
	e2e_type "København K"
	e2e_keys Tab
	e2e_wait_for "Your resume code:"
}

# e2e_fill_contact EMAIL: ^N from the first screen, then the second with
# Anna Hansen and EMAIL; 0 once the e-mail is on the screen.
e2e_fill_contact() {
	e2e_keys C-n
	e2e_wait_for "2 of 3: Contact person" || return 1
	e2e_type "Anna"
	e2e_keys Tab
	e2e_type "Hansen"
	e2e_keys Tab
	e2e_type "$1"
	e2e_keys Tab
	e2e_wait_for "$1"
}

# e2e_field_value LABEL: what the field beside the label starting a row
# shows (from column 25).
e2e_field_value() {
	e2e_screen | grep -m 1 "^  $1 " | cut -c25- | sed 's/ *$//'
}

_e2e_field_shows() {
	_v=$(e2e_field_value "$1")
	[ "$_v" = "$2" ]
}

# e2e_field_is NAME LABEL VALUE: ok when the field beside LABEL shows exactly
# VALUE; polls, since the field may still change.
e2e_field_is() {
	if e2e_until "" _e2e_field_shows "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "the field '$2' shows '$_v', wanted '$3'
$(e2e_screen)"
	fi
}

# e2e_no_english NAME: ok when no English word that comes from data rather
# than from a message is on the screen: the English name of a country CPS
# serves (or Iceland's), the built-in support name, the built-in levels'
# lines, the proof documents' English labels.  For Norwegian and Danish
# screens, where each of them has its own words.
e2e_no_english() {
	_hit=$(e2e_screen | grep -Eo 'Denmark|Norway|Sweden|Germany|Netherlands|United Kingdom|Austria|Belgium|Switzerland|Iceland|Czechia|Hungary|Ireland|Italy|Poland|Spain|Priority support|Priority repairs|Faster repairs|Fastest repairs|Platinum service|registration certificate|Business invoice|Invoice showing|incorporation document' | head -n 1)
	if [ -z "$_hit" ]; then ok "$1"; else not_ok "$1" "'$_hit' on the screen:
$(e2e_screen)"; fi
}
