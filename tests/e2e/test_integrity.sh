#!/bin/sh
# test_integrity.sh - nothing typed is lost or changed without a word, on
# the real binary in a private tmux server at 80x24 (the first part of
# these checks is test_input.sh):
#   1. another program holds the database (a long staff import): the field
#      left is not saved, the customer is told, the quit question does not
#      say "saved"; once the lock is gone the field is saved on its own and
#      the store after quitting holds it; a hang-up or the kiosk's idle
#      close with a field still pending tries it once more (the busy
#      timeout), and a lock that outlasts that is said (stderr and exit 4,
#      or the kiosk's next screen), never dropped without a word;
#   2. a paste with bytes that are not UTF-8: each is shown as U+FFFD with a
#      message, and nothing after it is lost (screen and store agree); an
#      arrow key whose sequence arrives split after its ESC leaves the
#      field, and its "[A" never lands in the next one;
#   3. a bidi override (U+202E) or a C1 control typed or pasted is left out
#      with a message naming it: the field, the screen and the store never
#      hold it (the imports refuse it too: the unit tests);
#   4. a postcode is checked by the country's format, with a hint giving an
#      example (Sweden: "1135" refused, "11351" stored as "113 51");
#   5. after ^T the errors already shown (under a field, on the review) are
#      in the new language; a page opened at 100x30 keeps Back and Next when
#      the window shrinks to 80x24;
#   6. no stale text: an error about the text before is not shown while the
#      field is typed in anew, and no tail of it stays beside the list of
#      suggestions;
#   7. ^C, ^Z and ^\ say on the message line that ^Q quits;
#   8. a password field shows one star per character typed.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	not_ok "tmux and sqlite3 are installed (make deps-test installs them)"
	finish
fi

SCREEN1="1 of 3: Company"
sql() { sqlite3 "$DB" "$1"; }

need() {
	e2e_wait_for "$2" && return 0
	not_ok "$1" "gave up waiting for '$2'"
	return 1
}

# ==================================================================================
# 1. a save refused by a lock is kept, retried, and the quit question is honest
# ==================================================================================
LOCK_FIFO="$SUITE_DIR/lock.fifo"
LOCK_PID=""
# take_lock: another program takes the database's write lock and holds it
# until release_lock (sqlite3 waits on the fifo inside its transaction).
# It waits for a write of the program's own that is under way (the busy
# timeout), and a lock that could not be taken fails the check instead of
# skipping the section quietly.
take_lock() {
	rm -f "$LOCK_FIFO"
	mkfifo "$LOCK_FIFO"
	{ echo ".timeout 10000"; echo "BEGIN IMMEDIATE;"; cat "$LOCK_FIFO"; echo "COMMIT;"; } |
		sqlite3 "$DB" &
	LOCK_PID=$!
	# held when a write of our own is refused at once
	_n=0
	while sqlite3 "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
		_n=$((_n + 1))
		if [ "$_n" -gt 200 ]; then
			not_ok "another program takes the database's write lock" "not held after 10 s"
			return 1
		fi
		sleep 0.05
	done
	return 0
}
release_lock() {
	[ -n "$LOCK_PID" ] || return 0
	: >"$LOCK_FIFO"
	wait "$LOCK_PID"
	LOCK_PID=""
}

e2e_start
DB=$E2E_DB
if need "lock: the welcome page" "< Start a new application >" && take_lock; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Låst Foto ApS"
	e2e_keys Tab
	e2e_expect "lock: the customer is told the field is not saved yet" \
		"Not saved yet: the database is busy; it is tried again" 20
	e2e_keys C-q
	e2e_expect "lock: the quit question says not all is saved" "NOT all is saved: the database is busy" 20
	e2e_lacks "lock: the quit question does not say it is saved" "What you typed is saved"
	e2e_keys n
	e2e_expect "lock: the value stays on the screen" "Company legal name    Låst Foto ApS"
	case $(sql "SELECT count(*) FROM account") in
	0) ok "lock: nothing is stored while the lock is held" ;;
	*) not_ok "lock: nothing is stored while the lock is held" "$(sql "SELECT company FROM account")" ;;
	esac
	release_lock
	e2e_expect "lock: saved on its own once the database is free" "Saved now: the database is free again." 30
	e2e_expect "lock: the resume code comes with the draft" "Your resume code:"
	e2e_keys C-q
	e2e_expect "lock: now the quit question says saved" "What you typed is saved"
	e2e_keys y
	e2e_wait_exit >/dev/null
	case $(sql "SELECT company FROM account") in
	"Låst Foto ApS") ok "lock: the store holds the value after quitting" ;;
	*) not_ok "lock: the store holds the value after quitting" "$(sql "SELECT company FROM account")" ;;
	esac
fi
release_lock

# a hang-up while a field is pending: the close tries once more, waiting the
# busy timeout, so a lock that ends within it loses nothing ...
e2e_start
DB=$E2E_DB
if need "hangup: the welcome page" "< Start a new application >" && take_lock; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Lagt På Foto ApS"
	e2e_keys Tab
	e2e_wait_for "Not saved yet: the database is busy" 20 >/dev/null
	e2e_signal HUP
	release_lock
	e2e_expect_exit 0 "hangup: the program ends normally once its save got through" 30
	case $(sql "SELECT company FROM account") in
	"Lagt På Foto ApS") ok "hangup: the pending value is stored at the close" ;;
	*) not_ok "hangup: the pending value is stored at the close" "$(sql "SELECT company FROM account")" ;;
	esac
fi
release_lock

# ... and a lock that outlasts it is said: on stderr, with exit status 4
e2e_start
DB=$E2E_DB
if need "hangup, still locked: the welcome page" "< Start a new application >" && take_lock; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Aldrig Gemt ApS"
	e2e_keys Tab
	e2e_wait_for "Not saved yet: the database is busy" 20 >/dev/null
	e2e_signal HUP
	e2e_expect_exit 4 "hangup, still locked: exit status 4 (the database could not be used)" 40
	case $(e2e_stderr) in
	*"what was typed last could not be saved"*) ok "hangup, still locked: stderr says it was not saved" ;;
	*) not_ok "hangup, still locked: stderr says it was not saved" "$(e2e_stderr)" ;;
	esac
	release_lock
	case $(sql "SELECT count(*) FROM account") in
	0) ok "hangup, still locked: nothing half-saved" ;;
	*) not_ok "hangup, still locked: nothing half-saved" "$(sql "SELECT company FROM account")" ;;
	esac
fi
release_lock

# the kiosk's idle close with a field still refused: the next screen does not
# claim "saved", it says that not all was saved
e2e_start -- --set kiosk.enabled=yes --set kiosk.idle_timeout=6 --set kiosk.idle_warning=2
DB=$E2E_DB
if need "idle, locked: the welcome page" "< Start a new application >" && take_lock; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Kiosk Låst ApS"
	e2e_keys Tab
	e2e_wait_for "Not saved yet: the database is busy" 20 >/dev/null
	e2e_expect "idle, locked: the close says not all was saved" \
		"Closed, but NOT all was saved: the database stayed busy." 40
	e2e_lacks "idle, locked: the close does not claim it is saved" "what you typed is saved"
	e2e_lacks "idle, locked: nothing of the customer stays on the screen" "Kiosk Låst ApS"
fi
release_lock

# ==================================================================================
# 2. invalid UTF-8 in a paste, and a split arrow key
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "bytes: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	# a lone 0xFF, then a two-byte sequence cut short by an ASCII letter
	_e2e_tmux set-buffer "$(printf 'Ab\377cd \303X ef')"
	_e2e_tmux paste-buffer -p -t e2e
	e2e_expect "bytes: each bad byte is shown as U+FFFD, the rest is kept" \
		"$(printf 'Company legal name    Ab\357\277\275cd \357\277\275X ef')"
	e2e_expect "bytes: the customer is told" "Bytes that are not text (UTF-8) are shown as"
	e2e_keys Tab
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT hex(company) FROM account") in
	4162EFBFBD636420EFBFBD58206566) ok "bytes: the store holds what the screen shows" ;;
	*) not_ok "bytes: the store holds what the screen shows" "$(sql "SELECT company FROM account")" ;;
	esac
	# the country field: "Norge", then an arrow key whose ESC comes alone
	# (curses waits ESCDELAY for the rest; the link is slower)
	e2e_type "Norge"
	e2e_keys Escape
	e2e_wait_for "Esc leaves the field" >/dev/null
	e2e_type "[A"
	e2e_type "Storgata 1"
	e2e_expect "split arrow: the street holds only what was typed" "Storgata 1"
	e2e_lacks "split arrow: no [A leaked into a field" "[A"
fi

# ==================================================================================
# 3. bidi and C1 controls: one policy, left out with a message
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "bidi: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "$(printf 'Foto \342\200\256SpA')"
	e2e_expect "bidi: a typed U+202E is left out, and named" "An invisible control character (U+202E) was left out."
	e2e_expect "bidi: the field holds the rest" "Company legal name    Foto SpA"
	e2e_keys Tab
	_e2e_tmux set-buffer "$(printf 'Oslo\302\233')"
	_e2e_tmux paste-buffer -p -t e2e
	e2e_expect "bidi: a pasted C1 control (U+009B) is left out, and named" "An invisible control character (U+009B) was left out."
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT hex(company) FROM account") in
	466F746F20537041) ok "bidi: the store holds the company without the override" ;;
	*) not_ok "bidi: the store holds the company without the override" "$(sql "SELECT hex(company) FROM account")" ;;
	esac
fi

# ==================================================================================
# 4. the postcode by the country's format
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "postcode: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Norrsken Foto AB"
	e2e_keys Tab
	e2e_type "Sweden"
	e2e_keys Tab
	e2e_wait_for "Your resume code:" >/dev/null
	e2e_type "Drottninggatan 1"
	e2e_keys Tab
	e2e_expect "postcode: the hint gives the country's form" "The postcode of that address, such as 113 51."
	e2e_type "1135"
	e2e_keys Tab
	e2e_expect "postcode: a Swedish postcode of 4 digits is refused, with an example" \
		"A postcode in Sweden is written like 113 51."
	e2e_keys BTab C-u
	e2e_type "11351"
	e2e_keys Tab
	e2e_expect_gone "postcode: the refusal goes once it fits" "A postcode in Sweden is written like"
	e2e_expect "postcode: the field shows the normal form" "Postcode              113 51"
	case $(sql "SELECT postcode FROM account") in
	"113 51") ok "postcode: the store holds the normal form" ;;
	*) not_ok "postcode: the store holds the normal form" "$(sql "SELECT postcode FROM account")" ;;
	esac
fi

# ==================================================================================
# 5. ^T says the errors shown again; a resize lays the page out again
# ==================================================================================
e2e_start
DB=$E2E_DB
if e2e_fill_company "Språk Foto AS" && e2e_fill_contact "ola@sprak.no"; then
	e2e_type "12"
	e2e_keys Tab
	e2e_expect "^T: the phone's error in English" "A phone number has at least"
	e2e_keys C-t
	e2e_expect "^T: the same error now in Norwegian" "Et telefonnummer har minst"
	e2e_lacks "^T: the English words are gone" "A phone number has at least"
	e2e_keys C-t C-t
	e2e_expect "^T: and in English again" "A phone number has at least"
	e2e_keys C-n C-n
	if need "^T: the review opens" "Check your application, then send it"; then
		e2e_expect "^T: the review names the phone in English" '"12": A phone number'
		e2e_keys C-t
		e2e_expect "^T: the review's problem in Norwegian" '"12": Et telefonnummer'
	fi
fi
# ==================================================================================
# 6. stale text
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "stale: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Foto Gammel"
	e2e_keys Tab
	e2e_type "Oslo"
	e2e_keys Tab
	e2e_expect "stale: a country that is none is refused" 'No country is called "Oslo"'
	e2e_keys BTab C-u
	e2e_type "Dan"
	e2e_expect "stale: the list offers Denmark" " Denmark"
	e2e_lacks "stale: the error about Oslo is gone while typing" "Oslo"
	e2e_lacks "stale: no tail of the error beside the list" "first letters a"
	e2e_keys Enter
	e2e_expect "stale: the country taken" "Country               Denmark"
fi

e2e_check_widths "no line wider than 80 columns"
# (after the check of the widths: this one is drawn at 100 columns first)
e2e_start
DB=$E2E_DB
e2e_resize 100 30
if need "resize: the welcome page at 100x30" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_resize 80 24
	e2e_expect "resize: Back is on the 80x24 screen" "< Back >"
	e2e_expect "resize: Next is on the 80x24 screen" "< Next >"
	e2e_expect_row "resize: Back and Next are on the body's last row" 22 "< Next >"
fi

# ==================================================================================
# 7. ^C, ^Z and ^\ are not silent: the message line says how to quit
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "interrupt keys: the welcome page" "< Start a new application >"; then
	# the welcome page's hints are whole on the message line (no "…")
	e2e_expect_row "hints: Start's hint is whole" 23 \
		"Apply for a Canon business account: company, contact, VAT, proof document."
	e2e_keys Tab
	e2e_expect_row "hints: Continue's hint is whole" 23 \
		"Continue a saved application with the resume code you were given."
	e2e_keys BTab
	# the language choice follows ^T
	e2e_keys C-t
	e2e_expect "^T: the welcome page's choice shows Norsk bokmål" "(*) Norsk bokmål"
	e2e_keys C-t C-t
	e2e_expect "^T: and English again" "(*) English"
	for key in C-c C-z 'C-\'; do
		e2e_keys Tab   # a key between: the message of the one before goes
		e2e_wait_gone "This key does not end the program" >/dev/null
		e2e_keys "$key"
		e2e_expect_row "interrupt keys: $key says ^Q quits" 23 \
			"This key does not end the program: ^Q quits (it asks first)."
	done
	e2e_keys C-q y
	e2e_expect_exit 0 "interrupt keys: ^Q still quits"
fi

# ==================================================================================
# 7b. before the first field of a new application is left there is no draft:
#     the quit question does not say "saved"
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "new: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Ny Foto AS"
	e2e_expect "new: the name is typed" "Company legal name    Ny Foto AS"
	e2e_keys C-q
	e2e_expect_row "new: the quit question says it is not saved yet" 23 \
		"Quit cpsreg? NOT saved yet: Tab saves the field first. y quits, n stays."
	e2e_keys n Tab
	e2e_wait_for "Your resume code:" >/dev/null
	e2e_keys C-q
	e2e_expect "new: once the field is left it says saved" "What you typed is saved"
	e2e_keys y
	e2e_expect_exit 0 "new: quits"
	case $(sql "SELECT company FROM account") in
	"Ny Foto AS") ok "new: the store holds it" ;;
	*) not_ok "new: the store holds it" "$(sql "SELECT company FROM account")" ;;
	esac
fi

# ==================================================================================
# 8. a password field shows one star per character typed, never the password
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "mask: the welcome page" "< Log in >"; then
	e2e_keys Tab Tab Tab Enter
	e2e_wait_for "Log in to your business account" >/dev/null
	e2e_type "a@example.dk"
	e2e_keys Tab
	e2e_type "secrét pw"
	e2e_expect "mask: nine characters typed, nine stars" "Password              *********"
	e2e_lacks "mask: not ten" "**********"
	e2e_lacks "mask: the password is not shown" "secr"
	e2e_keys BSpace
	e2e_expect_gone "mask: one erased, one star less" "*********"
	e2e_expect "mask: eight stars stay" "Password              ********"
fi

e2e_stop
finish
