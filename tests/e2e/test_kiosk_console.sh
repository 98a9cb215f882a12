#!/bin/sh
# test_kiosk_console.sh - the staff console opened at a kiosk with the
# staff PIN (^Q, the PIN, then ^N): a wrong PIN opens nothing; the console
# asks who is there (the PIN is shared) and will not open without a name;
# it works and its actions are recorded with that name and the screen;
# ^Q goes back to the kiosk without the PIN, and so does the idle time
# (with its countdown), so that no customer finds it open.
. tests/lib.sh
. tests/e2e/lib.sh

PIN=135790
HASH=$(echo "$PIN" | "$CPSREG_BIN" hash-pin)
[ -n "$HASH" ] && ok "hash-pin makes a hash for the test" || not_ok "hash-pin makes a hash for the test" "empty"
alive() { kill -0 "$E2E_PID" 2>/dev/null; }

e2e_start -- --set kiosk.enabled=yes --set kiosk.idle_timeout=8 --set kiosk.idle_warning=4 \
	--set "kiosk.staff_pin_hash=$HASH"
e2e_expect "the kiosk shows the welcome page" "Start a new application"
sqlite3 "$E2E_DB" "INSERT INTO attempt_limit (scope, key, failures, last_failed_at)
	VALUES ('terminal', 'tty7', 6, $(date +%s));"

e2e_keys C-q
e2e_expect "^Q asks for the staff PIN" "Staff PIN:"
e2e_expect "the dialog says ^N opens the console" "^N: staff console"
e2e_type "000000"
e2e_keys C-n
e2e_expect "a wrong PIN opens no console" "That is not the staff PIN"
e2e_lacks "the console is not shown" "Staff: queue"

e2e_type "$PIN"
e2e_keys C-n
e2e_expect "the right PIN with ^N opens the console, which asks who is there" "Who is at the console?"
alive && ok "the kiosk did not end" || not_ok "the kiosk did not end"
e2e_keys C-n
e2e_expect "without a name it does not open" "Please enter your name"
e2e_lacks "the queue is not shown" "Applications waiting for validation"
e2e_type "Maria Berg"
e2e_keys Enter Enter   # to the button, and press it
e2e_expect "with a name the queue opens" "Applications waiting for validation"

# an action in the console, recorded with the name and the kiosk's screen
e2e_keys Tab Tab Tab Enter
e2e_expect "the waits page opens" "tty7"
e2e_keys Enter
e2e_expect "the wait is lifted" "Lifted: the next try may come at once."
run "$CPSREG_BIN" --db "$E2E_DB" audit
contains "the audit names the PIN's screen" "unlock"
contains "with the name given at the kiosk and its screen" "by Maria Berg at "

# ^Q in the console goes back to the kiosk, without the PIN
e2e_keys C-q
e2e_expect "^Q in the console asks to quit, not for the PIN" "Quit"
e2e_lacks "no PIN is asked" "Staff PIN:"
e2e_keys y
e2e_expect "the kiosk's welcome page is back" "Start a new application"
alive && ok "leaving the console does not end the kiosk" || not_ok "leaving the console does not end the kiosk"

# left alone, the console counts down and goes back to the kiosk
e2e_keys C-q
e2e_wait_for "Staff PIN:" >/dev/null
e2e_type "$PIN"
e2e_keys C-n
e2e_expect "the console asks the name again" "Who is at the console?"
e2e_lacks "the last name is not offered to the next one" "Maria Berg"
e2e_expect "left alone it counts down" "Still there?" 15
e2e_expect "then the kiosk is back" "Start a new application" 15
e2e_lacks "the console is gone" "Applications waiting for validation"

# Enter with the PIN still leaves the kiosk
e2e_keys C-q
e2e_wait_for "Staff PIN:" >/dev/null
e2e_type "$PIN"
e2e_keys Enter
e2e_expect_exit 0 "Enter with the PIN leaves the kiosk"
finish
