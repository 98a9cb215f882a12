#!/bin/sh
# test_remote.sh - the remote's sync inside the wizard, against the test peer
# (tests/peer/peer.py, TLS on 127.0.0.1 with a certificate made here): a
# customer applies at a kiosk and waits on the validation page; the peer
# validates; the page shows it without a key pressed, and the status line
# shows the remote without its token.  With the peer hanging every request,
# the wizard still answers keys at once and quits cleanly.
. tests/lib.sh
. tests/e2e/lib.sh
. tests/peer/peer.sh

for tool in tmux python3 openssl sqlite3; do
	if ! command -v $tool >/dev/null 2>&1; then
		not_ok "$tool is installed (make deps-test installs it)"
		finish
	fi
done

# the peer holds a hanging request far longer than the test runs
peer_start "$SUITE_DIR" 1 120 || { not_ok "the peer starts" "$(cat "$SUITE_DIR/peer.log")"; finish; }
trap 'peer_stop; e2e_stop' EXIT
token=$(cat "$SUITE_DIR/token")
PIN=246813
HASH=$(echo "$PIN" | "$CPSREG_BIN" hash-pin)
PDF="$SUITE_DIR/certificate.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
EMAIL=post@fjordfoto.example.no
REMOTE="--set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token
	--set remote.ca_file=$SUITE_DIR/peer.pem --set remote.sync_interval=5"

fill() {
	e2e_type "$1"
	e2e_keys Tab
}

# --- a customer applies at a kiosk, the peer validates ---------------------------
# shellcheck disable=SC2086 # the options are words
e2e_start -- $REMOTE --set kiosk.enabled=yes --set "kiosk.staff_pin_hash=$HASH" \
	--set "kiosk.document_dir=$SUITE_DIR"
e2e_expect "the kiosk starts on the welcome page" "Start a new application"
e2e_expect "the status line says the remote is online" "Remote: online" 20
e2e_keys Enter
e2e_expect "the application opens" "1 of 3: Company"
fill "Fjord Foto AS"
e2e_type "Norw"
e2e_expect "the country field offers Norway" " Norway"
e2e_keys Tab
fill "Storgata 1"
fill "0155"
fill "Oslo"
e2e_keys C-n
e2e_expect "the second screen" "2 of 3: Contact person"
fill "Kari"
fill "Nordmann"
fill "$EMAIL"
e2e_keys C-n
e2e_expect "the third screen" "3 of 3: VAT and proof document"
e2e_keys Space
e2e_expect "VAT registered" "(*) Yes"
e2e_keys Tab
fill "988077917"
e2e_keys Space Tab Tab
fill certificate.pdf   # from kiosk.document_dir
e2e_expect "the PDF is attached" "Attached: certificate.pdf"
e2e_keys Space
e2e_expect "the authority is confirmed" "[x] I am authorised"
code=$(e2e_screen | sed -n 's/.*Your resume code: \([0-9A-Z-]*\) (write it down.*/\1/p' | head -n 1)
e2e_keys C-n
e2e_expect "the review finds nothing missing" "Everything needed is there."
e2e_keys C-n
e2e_expect "the application is sent" "Your application has been sent"
e2e_keys Enter
e2e_expect "the kiosk clears the screen for the next customer" "Start a new application"
e2e_keys Tab Enter
e2e_expect "the customer comes back with the resume code" "Continue your application"
e2e_type "$code"
e2e_keys Enter
e2e_expect "the validation page waits for the answer" "Your application is being validated"
e2e_lacks "the token is not on the screen" "$token"
id=$(sqlite3 "$E2E_DB" "SELECT id FROM account WHERE email = '$EMAIL'")
peer_ctl POST /_control/decisions "{\"decisions\": [
	{\"account_id\": ${id:-0}, \"decision\": \"validated\", \"by\": \"CPS Europe\"}]}" >/dev/null
e2e_expect "the peer's decision shows without a key pressed" "Your account has been validated." 30
e2e_expect "the page offers the password" "< Set my password >"
e2e_expect "the step strip ticks the account" "✓Account"
status=$("$CPSREG_BIN" --db "$E2E_DB" status "$EMAIL" 2>&1)
case $status in
*validated*) ok "the store holds the decision" ;;
*) not_ok "the store holds the decision" "$status" ;;
esac
e2e_keys C-q
e2e_expect "^Q at the kiosk asks for the staff PIN" "Staff only"
e2e_type "$PIN"
e2e_keys Enter
e2e_expect_exit 0 "the kiosk ends with the worker stopped"
# the application, its document, and what the decision queued went with
# the sync that pulled it
unsent=$(sqlite3 "$E2E_DB" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
sent=$(sqlite3 "$E2E_DB" "SELECT group_concat(kind, ' ') FROM outbox WHERE sent_at IS NOT NULL")
case "$unsent/$sent" in
"0/application document"*) ok "the worker sent the application to the peer ($sent)" ;;
*) not_ok "the worker sent the application to the peer" "unsent $unsent, sent: $sent" ;;
esac

# --- the peer hangs: keys are still answered at once -----------------------------
# two changes to send: the first request hangs
DB2="$SUITE_DIR/hang.db"
"$CPSREG_BIN" --db "$DB2" outbox >/dev/null
outbox_fill "$DB2" 2 1 hang
peer_ctl POST /_control/faults '{"always": "hang"}' >/dev/null
# shellcheck disable=SC2086
e2e_start -- $REMOTE --set remote.timeout=600 --set remote.low_speed_time=600 --db "$DB2"
e2e_expect "the wizard starts while the peer hangs" "Start a new application"
e2e_expect "the status line says the first sync has not answered" "Remote: connecting"
e2e_keys Enter
e2e_expect "a key opens the application" "1 of 3: Company"
e2e_type "Hanging Foto AS"
e2e_expect "what is typed is on the screen" "Hanging Foto AS"
e2e_expect "the first sync is still waiting on the peer" "Remote: connecting"
e2e_keys C-q y
e2e_expect_exit 0 "quitting stops the worker in the middle of a request"
peer_ctl POST /_control/faults '{}' >/dev/null

# --- the remote cannot be reached: offline, and why -------------------------------
peer_stop
# shellcheck disable=SC2086
e2e_start -- $REMOTE --set remote.tries=1
e2e_expect "the status line says offline" "Remote: offline" 20
e2e_expect "and why" "cannot reach the remote"
e2e_lacks "without the token" "$token"
e2e_keys C-q y
e2e_expect_exit 0 "the wizard quits"
e2e_check_widths "no line is wider than 80 columns"
finish
