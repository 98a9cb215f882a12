#!/bin/sh
# test_kiosk.sh - kiosk mode: leaving needs the staff PIN (keys and
# signals), the idle countdown, a session left alone is saved and closed,
# and the next customer finds nothing of the one before; the terminal types
# without an alternate screen, dumb and unknown ones.
. tests/lib.sh
. tests/e2e/lib.sh

PIN=135790
HASH=$(echo "$PIN" | "$CPSREG_BIN" hash-pin)
[ -n "$HASH" ] && ok "hash-pin makes a hash for the test" || not_ok "hash-pin makes a hash for the test" "empty"

alive() { kill -0 "$E2E_PID" 2>/dev/null; }

# a short idle time keeps the suite short, yet leaves a loaded machine
# time between the keys below
e2e_start -- --set kiosk.enabled=yes --set kiosk.idle_timeout=8 --set kiosk.idle_warning=4 \
	--set "kiosk.staff_pin_hash=$HASH"
e2e_expect "the welcome page is shown" "Start a new application"
e2e_keys Enter
e2e_expect "the application opens" "1 of 3"
e2e_type "Kiosk Foto AS"
e2e_keys Tab
e2e_expect "the draft gets a resume code" "resume code"
code1=$(e2e_screen | sed -n 's/.*resume code: \([0-9A-Z-]*\).*/\1/p')

# ^C, ^Z and ^\ are plain keys in the kiosk: nothing happens
e2e_keys C-c C-z 'C-\'
e2e_keys C-l
e2e_expect "the page stays after ^C, ^Z and ^\\" "Kiosk Foto AS"
alive && ok "^C, ^Z and ^\\ do not leave the kiosk" || not_ok "^C, ^Z and ^\\ do not leave the kiosk" "it ended"

# F-keys without a command do nothing; Esc and Alt-x are Back (Esc
# starts both), which stays in the wizard
e2e_keys F12 F11 F8 F3 C-l
e2e_expect "the page stays after F-keys" "Kiosk Foto AS"
alive && ok "F-keys do not leave the kiosk" || not_ok "F-keys do not leave the kiosk" "it ended"
e2e_keys M-q
e2e_expect "Alt-q goes back to the welcome page" "Start a new application"
alive && ok "Esc sequences do not leave the kiosk" || not_ok "Esc sequences do not leave the kiosk" "it ended"
e2e_keys Down Enter
e2e_expect "the same customer goes on with the resume code page" "Continue your application"
e2e_keys C-b
e2e_expect "back on the welcome page" "Start a new application"
e2e_keys Enter
e2e_expect "a new start from the welcome page" "1 of 3"
e2e_type "Kiosk Foto AS"
e2e_keys Tab
e2e_expect "the new draft gets a resume code" "resume code"
code1=$(e2e_screen | sed -n 's/.*resume code: \([0-9A-Z-]*\).*/\1/p')

# signals from outside ask for the PIN like ^Q
for sig in INT QUIT TSTP; do
	e2e_signal "$sig"
	e2e_expect "SIG$sig asks for the staff PIN" "Staff only: leave the kiosk"
	alive && ok "SIG$sig does not end the kiosk" || not_ok "SIG$sig does not end the kiosk" "it ended"
	e2e_keys Escape
	e2e_expect_gone "Esc closes the PIN dialog" "Staff only"
done

e2e_keys C-q
e2e_expect "^Q asks for the staff PIN" "Staff PIN:"
e2e_type 000000
e2e_expect "the PIN shows as stars" "Staff PIN: ******"
e2e_lacks "the PIN itself is not shown" "000000"
e2e_keys Enter
e2e_expect "a wrong PIN is refused" "That is not the staff PIN"
alive && ok "a wrong PIN does not leave" || not_ok "a wrong PIN does not leave" "it ended"
e2e_keys Escape
e2e_expect_gone "back on the page" "Staff only"

# idle: the countdown, and a key keeps the session
e2e_expect "the idle countdown shows" "Still there? Press any key" 20
e2e_expect "it counts the seconds" "saved and closed in"
e2e_keys Space
e2e_expect_gone "a key ends the countdown" "Still there?"
e2e_expect "the customer's page stays" "Kiosk Foto AS"
e2e_expect "after 8 s without a key the session is closed" "Closed after 8 seconds" 30
e2e_expect "the welcome page is back" "Start a new application"
company=$(sqlite3 "$E2E_DB" "SELECT company FROM account ORDER BY id DESC LIMIT 1")
[ "$company" = "Kiosk Foto AS" ] && ok "what was typed is saved" || not_ok "what was typed is saved" "$company"

# the second customer
e2e_keys Enter
e2e_expect "a new application starts empty" "1 of 3"
e2e_lacks "nothing of the previous customer is shown" "Kiosk Foto AS"
[ -n "$code1" ] && e2e_lacks "the previous resume code is not shown" "$code1"
e2e_keys C-b
e2e_expect "Back leads to the welcome page" "Start a new application"
e2e_lacks "Back shows nothing of the previous customer" "Kiosk Foto AS"
e2e_keys Enter
e2e_expect "the application opens again" "1 of 3"
e2e_lacks "still nothing of the previous customer" "Kiosk Foto AS"
e2e_type "Second Shop"
e2e_keys Tab
# a new start from the welcome page wipes this one too
e2e_keys C-b
e2e_expect "the welcome page" "Start a new application"
e2e_keys Enter
e2e_expect "a new start" "1 of 3"
e2e_lacks "the new start holds nothing of the one before" "Second Shop"
e2e_keys C-b
e2e_expect "the welcome page once more" "Set my password"
e2e_keys Down Down Enter
e2e_expect "the password page opens" "E-mail"
e2e_lacks "no e-mail is filled in" "@"

# the right PIN after one wrong try leaves
e2e_keys C-q
e2e_expect "^Q asks for the PIN again" "Staff PIN:"
e2e_type "$PIN"
e2e_keys Enter
e2e_expect_exit 0 "the right PIN leaves the kiosk"

# without a PIN hash the kiosk says it cannot be left from the screen
e2e_start -- --set kiosk.enabled=yes
e2e_expect "no PIN: said at start-up" "No staff PIN is set"
e2e_keys C-q
e2e_expect "no PIN: the dialog says so" "cannot be left from the screen"
e2e_keys Enter
alive && ok "no PIN: Enter does not leave" || not_ok "no PIN: Enter does not leave" "it ended"
e2e_signal TERM
e2e_expect_exit 0 "no PIN: SIGTERM (systemctl stop) still ends it"

# the document picker offers only kiosk.document_dir
SCAN="$SUITE_DIR/scan"
mkdir -p "$SCAN"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$SCAN/certificate.pdf"
ln -s /etc "$SCAN/escape"
e2e_start -- --set kiosk.enabled=yes --set "kiosk.staff_pin_hash=$HASH" --set "kiosk.document_dir=$SCAN"
e2e_keys Enter
e2e_expect "picker: the application opens" "1 of 3"
e2e_type "Scan Foto AS"
e2e_keys Tab C-n
e2e_expect "picker: the second screen" "2 of 3"
e2e_keys C-n
e2e_expect "picker: the third screen" "3 of 3"
e2e_keys Space Tab
e2e_type "988077917"
e2e_keys Tab Space Tab Tab
e2e_type "/etc/"
e2e_expect "picker: the field takes the text" "/etc/"
e2e_lacks "picker: /etc/ lists nothing of the system" "passwd"
e2e_keys C-u
e2e_type "/etc/passwd"
e2e_keys Tab
# an absolute path is read inside the folder too
e2e_expect "picker: /etc/passwd is looked for inside the folder" "There is no file"
e2e_lacks "picker: nothing outside the folder is attached" "Attached"
e2e_keys BTab C-u
e2e_type "escape/passwd"
e2e_keys Tab
e2e_expect "picker: a link out of the folder is refused" "only be taken from its"
e2e_keys BTab C-u
e2e_type "cert"
e2e_expect "picker: the folder's files are offered" "certificate.pdf"
e2e_keys C-u
e2e_type "certificate.pdf"
e2e_keys Tab
e2e_expect "picker: a file in the folder is attached" "Attached: certificate.pdf"

# terminals
e2e_start TERM=dumb
e2e_wait_exit
[ "$E2E_EXIT" = 5 ] && ok "TERM=dumb: exit 5" || not_ok "TERM=dumb: exit 5" "exit $E2E_EXIT"
e2e_stderr | grep -q "TERM=dumb" && ok "TERM=dumb: says why" || not_ok "TERM=dumb: says why" "$(e2e_stderr)"

e2e_start TERM=cpsreg-no-such-term
e2e_expect "an unknown TERM falls back with a warning" "Unknown terminal type"
e2e_keys C-q y
e2e_expect_exit 0 "an unknown TERM: ends normally"
e2e_stderr | grep -q "cpsreg-no-such-term" && ok "an unknown TERM: warned on stderr" || not_ok "an unknown TERM: warned on stderr" "$(e2e_stderr)"

e2e_start TERM=linux
e2e_expect "TERM=linux: the screen shows" "Start a new application"
e2e_expect_row "TERM=linux: ASCII marks in the step strip" 2 "Account >"
e2e_keys Enter
e2e_expect "TERM=linux: the application" "1 of 3"
e2e_type "Console Foto"
e2e_keys Tab C-q y
e2e_expect_exit 0 "TERM=linux: ends normally"
e2e_lacks "TERM=linux (no alternate screen): the page is cleared at exit" "Console Foto"
e2e_lacks "TERM=linux: nothing of the frame stays" "Canon Professional Services"
finish
