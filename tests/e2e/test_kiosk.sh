#!/bin/sh
# test_kiosk.sh - the kiosk idle timer: a session left alone is saved and
# closed, so the next person at the screen starts on the welcome page.
. tests/lib.sh
. tests/e2e/lib.sh

# a short idle time keeps the suite short, yet leaves a loaded machine
# time between the keys below
e2e_start -- --set kiosk.enabled=yes --set kiosk.idle_timeout=8
e2e_expect "the welcome page is shown" "Start a new application"
e2e_keys Enter
e2e_expect "the application opens" "1 of 3"
e2e_type "Kiosk Foto AS"
e2e_keys Tab
e2e_expect "the draft gets a resume code" "resume code"
e2e_expect "after 8 s without a key the session is closed" "Closed after 8 seconds" 30
e2e_expect "the welcome page is back" "Start a new application"
company=$(sqlite3 "$E2E_DB" "SELECT company FROM account")
[ "$company" = "Kiosk Foto AS" ] && ok "what was typed is saved" || not_ok "what was typed is saved" "$company"
e2e_keys Enter
e2e_expect "a new application starts empty" "1 of 3"
e2e_lacks "nothing of the previous customer is shown" "Kiosk Foto AS"
e2e_keys C-q y
e2e_expect_exit 0 "the program ends normally"
finish
