#!/bin/sh
# test_input.sh - every keystroke kept or refused out loud, on the real
# binary in a private tmux server at 80x24; each case checks that the
# screen, the review and the store after a restart agree:
#   1. a valid CVR number replaced by an invalid one: the field, the review
#      and the draft after a restart show the invalid one with its error,
#      never the older valid one;
#   2. refused optional values (phone "12", old e-mail "not-an-email") are
#      kept as typed and listed on the review, also after a restart;
#   3. a full field stops taking characters and says so (a 149-character
#      company name in a field of 120); the field scrolls; what is stored is
#      what the field holds;
#   4. a bracketed paste with ESC, a tab and a C0 control in it: text in the
#      field, the controls stripped, never Back or a button; a lone Esc in a
#      text field only leaves the field;
#   5. a combining mark typed after its letter stays on it (composed where
#      the letter has a precomposed form), and the store holds NFC;
#   6. in the C locale the wizard still works in UTF-8 (typed and pasted
#      Nordic letters reach the screen and the store);
#   7. another session saves the draft meanwhile: this session's save of
#      the street keeps the other's city, shows it and says so;
#   8. Enter in the document's file picker takes the file offered for the
#      start of its name.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	not_ok "tmux and sqlite3 are installed (make deps-test installs them)"
	finish
fi

WELCOME="Welcome to Canon Professional Services (CPS)"
SCREEN1="1 of 3: Company"
SCREEN2="2 of 3: Contact person"
SCREEN3="3 of 3: VAT and proof document"
REVIEW="Check your application, then send it"

sql() { sqlite3 "$DB" "$1"; }

# need NAME TEXT: waits for TEXT; a not ok and status 1 on timeout.
need() {
	e2e_wait_for "$2" && return 0
	not_ok "$1" "gave up waiting for '$2'"
	return 1
}

resume_code_on_top() {
	e2e_screen | sed -n 's/.*Your resume code: \([0-9A-Z-]*\) (write it down.*/\1/p' | head -n 1
}

# restart: quit (^Q y), start again on the same database and continue with
# the resume code $CODE (the form opens where it was left: after the review,
# on its last screen).
restart() {
	e2e_keys C-q
	e2e_wait_for "Press y to quit" >/dev/null
	e2e_keys y
	e2e_wait_exit >/dev/null
	e2e_start -- --db "$DB"
	e2e_wait_for "$WELCOME" >/dev/null || return 1
	e2e_keys Tab Enter
	e2e_wait_for "Continue your application" >/dev/null || return 1
	e2e_type "$CODE"
	e2e_keys Enter
}

# ==================================================================================
# 1. the review and the store follow the screen: an invalid CVR after a valid one
# ==================================================================================
e2e_start
DB=$E2E_DB
if e2e_fill_company "Hansen Foto ApS" && e2e_fill_contact "anna@hansen-foto.dk" &&
	e2e_keys C-n && need "screen 3" "$SCREEN3"; then
	CODE=$(resume_code_on_top)
	e2e_keys Space
	e2e_wait_for "[ ] VAT registration certificate" >/dev/null
	e2e_keys Tab
	e2e_type "DK 24 25 67 90"
	e2e_keys Tab
	e2e_wait_for "DK24256790" >/dev/null
	e2e_keys BTab
	e2e_keys C-u
	e2e_type "24256791"
	e2e_keys Tab
	e2e_expect "cvr: the refusal is shown under the field" "check digit"
	e2e_lacks "cvr: the older valid number is not shown" "DK24256790"
	case $(sql "SELECT vat_number FROM account") in
	"") ok "cvr: the older valid number is no longer stored" ;;
	*) not_ok "cvr: the older valid number is no longer stored" "$(sql "SELECT vat_number FROM account")" ;;
	esac
	case $(sql "SELECT text FROM application_typed") in
	24256791) ok "cvr: the store keeps the number as typed" ;;
	*) not_ok "cvr: the store keeps the number as typed" "$(sql "SELECT * FROM application_typed")" ;;
	esac
	e2e_keys C-n
	if need "cvr: the review opens" "$REVIEW"; then
		e2e_expect "cvr: the review names the number typed" '"24256791"'
		e2e_lacks "cvr: the review does not show the older number" "DK24256790"
	fi
	if restart && need "cvr: resumed" "Your resume code: $CODE"; then
		e2e_wait_for "$SCREEN3" >/dev/null
		e2e_expect "cvr: after a restart the field shows what was typed" "24256791"
		e2e_expect "cvr: after a restart with its error" "check digit"
		e2e_lacks "cvr: after a restart the older number is not back" "DK24256790"
	fi
fi

# ==================================================================================
# 2. refused optional values are kept and listed on the review
# ==================================================================================
e2e_start
DB=$E2E_DB
if e2e_fill_company "Nordlys Foto AS" && e2e_fill_contact "ola@nordlys.no"; then
	CODE=$(resume_code_on_top)
	e2e_type "12"
	e2e_keys Tab Tab
	e2e_type "not-an-email"
	e2e_keys Tab
	e2e_wait_for "not-an-email" >/dev/null
	e2e_keys C-n C-n
	if need "optional: the review opens" "$REVIEW"; then
		e2e_expect "optional: the review lists the phone as typed" '"12"'
		e2e_expect "optional: the review lists the old e-mail as typed" '"not-an-email"'
	fi
	case $(sql "SELECT group_concat(text, '|') FROM (SELECT text FROM application_typed ORDER BY field)") in
	"12|not-an-email") ok "optional: both are stored as typed" ;;
	*) not_ok "optional: both are stored as typed" "$(sql "SELECT * FROM application_typed")" ;;
	esac
	if restart && need "optional: resumed" "Your resume code: $CODE"; then
		e2e_wait_for "$SCREEN3" >/dev/null
		e2e_keys C-b
		e2e_wait_for "$SCREEN2" >/dev/null
		e2e_expect "optional: after a restart the phone keeps its error" "A phone number has at least"
		e2e_expect "optional: after a restart the phone shows 12" "Phone (optional)      12"
		e2e_expect "optional: after a restart the old e-mail is there" "not-an-email"
	fi
fi

# ==================================================================================
# 3. a full field says so; the store holds exactly what the field shows
# ==================================================================================
e2e_start
DB=$E2E_DB
LONG=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "%sWord%02d", (i ? " " : ""), i }')
FIRST120=$(printf '%s' "$LONG" | cut -c1-120)
if need "full: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "$LONG"
	e2e_expect "full: the message line says the field is full" "The field is full (at most 120 characters)"
	e2e_expect "full: the field shows the end of what it holds, scrolled" "name    Word10 Word11 Word12 Word13 Word14 Word15 Word16 W"
	e2e_keys Tab
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT company FROM account") in
	"$FIRST120") ok "full: the store holds the 120 characters the field took" ;;
	*) not_ok "full: the store holds the 120 characters the field took" "$(sql "SELECT company FROM account")" ;;
	esac
	e2e_keys BTab
	e2e_keys BSpace
	e2e_type "X"
	e2e_expect_gone "full: a character fits again once one is deleted" "The field is full"
fi

# ==================================================================================
# 4. a bracketed paste is text, never keys; Esc in a field only leaves it
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "paste: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	# ESC, a tab and a C0 control inside the paste: stripped, never keys
	_e2e_tmux set-buffer "$(printf 'Gade \033[2J 5\tX\001Y')"
	_e2e_tmux paste-buffer -p -t e2e
	e2e_expect "paste: the text lands in the field, controls stripped" "Company legal name    Gade [2J 5XY"
	e2e_lacks "paste: the ESC in it did not go back" "< Start a new application >"
	e2e_expect "paste: still on the company screen" "$SCREEN1"
	e2e_keys Escape
	e2e_expect "esc: a lone Esc in a field only leaves it, and says so" "Esc leaves the field; ^B goes back"
	e2e_expect "esc: the page is still there" "$SCREEN1"
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT company FROM account") in
	"Gade [2J 5XY") ok "paste: the store holds what the field shows" ;;
	*) not_ok "paste: the store holds what the field shows" "$(sql "SELECT company FROM account")" ;;
	esac
fi

# ==================================================================================
# 5. combining marks stay with their letter; the store holds NFC
# ==================================================================================
e2e_start
DB=$E2E_DB
if need "marks: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	# "Sto", e, U+0301, "rgata Fot", x, U+0301, "o": e and its accent compose
	# to the one letter; x has no precomposed form and keeps its mark
	e2e_type "$(printf 'Stoe\314\201rgata Fotx\314\201o')"
	e2e_expect "marks: the field shows each accent on its letter" "$(printf 'Company legal name    Sto\303\251rgata Fotx\314\201o')"
	e2e_keys Tab
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT hex(company) FROM account") in
	53746FC3A9726761746120466F7478CC816F) ok "marks: stored composed (NFC), in the order typed" ;;
	*) not_ok "marks: stored composed (NFC), in the order typed" "$(sql "SELECT company FROM account")" ;;
	esac
fi

# ==================================================================================
# 6. a session in the C locale (SSH without LANG, LC_ALL=C) still reads UTF-8,
#    on a machine where no locale was ever generated (LOCPATH names an empty
#    folder: only the C library's own C.UTF-8 is there)
# ==================================================================================
mkdir -p "$SUITE_DIR/no-locales"
e2e_start LC_ALL=C LANG= "LOCPATH=$SUITE_DIR/no-locales"
DB=$E2E_DB
if need "locale C: the welcome page" "< Start a new application >"; then
	e2e_keys Enter
	e2e_wait_for "$SCREEN1" >/dev/null
	e2e_type "Blåbær"
	e2e_keys Tab
	_e2e_tmux set-buffer "Ærø Fotø"
	_e2e_tmux paste-buffer -p -t e2e
	e2e_keys Tab
	e2e_expect "locale C: the company is shown as typed" "Company legal name    Blåbær"
	e2e_wait_for "Your resume code:" >/dev/null
	case $(sql "SELECT company FROM account") in
	"Blåbær") ok "locale C: the store holds Blåbær" ;;
	*) not_ok "locale C: the store holds Blåbær" "$(sql "SELECT company FROM account")" ;;
	esac
	e2e_expect "locale C: pasted text is shown as pasted" "Ærø Fotø"
fi

# ==================================================================================
# 7. another session changes the draft meanwhile: nothing of it is reverted
# ==================================================================================
e2e_start
DB=$E2E_DB
if e2e_fill_company "Nordlys Foto AS"; then
	# the other session (staff over SSH, a second terminal) sets the city,
	# as the engine's save does: the row's version goes up
	sql "UPDATE account SET city = 'Bergen', version = version + 1"
	e2e_keys BTab BTab BTab
	e2e_keys C-u
	e2e_type "Storgata 5"
	e2e_keys Tab
	e2e_expect "two sessions: the customer is told, in one line" "Changed in another session meanwhile: its answers are shown, yours is saved."
	e2e_expect "two sessions: the screen shows the other session's city" "City                  Bergen"
	case $(sql "SELECT street || '|' || city FROM account") in
	"Storgata 5|Bergen") ok "two sessions: the store keeps both changes" ;;
	*) not_ok "two sessions: the store keeps both changes" "$(sql "SELECT street, city FROM account")" ;;
	esac
fi

# ==================================================================================
# 8. Enter in a picker takes the suggestion: the document's file
# ==================================================================================
PNG="$SUITE_DIR/proof.png"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\6\0\0\0\37\25\304\211\0\0\0\rIDATx\234c\370\17\0\0\1\1\0\5\30\330N\0\0\0\0IEND\256B`\202' >"$PNG"
e2e_start
DB=$E2E_DB
if e2e_fill_company "Picker Foto ApS" && e2e_keys C-n && need "picker: screen 2" "$SCREEN2" &&
	e2e_keys C-n && need "picker: screen 3" "$SCREEN3"; then
	e2e_keys Space
	e2e_wait_for "[ ] VAT registration certificate" >/dev/null
	e2e_keys Tab Tab Space Tab Tab
	e2e_type "$SUITE_DIR/pro"
	e2e_wait_for "proof.png" >/dev/null
	e2e_keys Enter
	e2e_expect "picker: Enter takes the file offered, which is attached" "Attached: proof.png (PNG"
fi

e2e_check_widths "no line wider than 80 columns"
e2e_stop
finish
