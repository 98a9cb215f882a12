#!/bin/sh
# test_invoice_sync.sh - the remote's invoice end to end with the test peer
# (tests/peer/peer.py): a customer who joins at a shop with a remote has a
# membership at once and the invoice requested (cpsreg status says so, no
# invoice e-mail yet); the sync brings the invoice through GET /invoices
# or in the answer to the enrollment, stores it and queues its e-mail in
# the customer's language (Norwegian) with the payment link or the
# invoice's bank details; a second sync changes nothing; a wrong invoice
# is refused with the field and why, and nothing of it is stored.
. tests/lib.sh
. tests/peer/peer.sh

: "${STRESS_DRIVER:=./tests/stress/stress_driver}"
case $STRESS_DRIVER in /*) ;; *) STRESS_DRIVER="$PWD/$STRESS_DRIVER" ;; esac

db="$SUITE_DIR/invoice.db"
peer_begin 1 3
trap 'peer_stop' EXIT
# shellcheck disable=SC2086 # the options are words
cps() { "$CPSREG_BIN" --db "$db" --set remote.url="$PEER_URL" --set remote.token_file="$SUITE_DIR/token" \
	--set remote.ca_file="$SUITE_DIR/peer.pem" --set remote.backoff_ms=20 "$@"; }
# a Norwegian customer who joins at Silver (tests/stress/stress_driver.c)
member() { "$STRESS_DRIVER" member "$db" "$1" "$2" "$PEER_URL"; }
state() { sqlite3 "$db" "SELECT i.state || ' ' || coalesce(i.remote_number, '-') FROM invoice i
	JOIN account a ON a.id = i.account_id WHERE a.email = '$1'"; }
invoices() { sqlite3 "$db" "SELECT id, state, number, remote_number, amount_cents, due_on, payment_link,
	bank_iban, reference FROM invoice ORDER BY id"; }
waiting() { sqlite3 "$db" "SELECT count(*) FROM message m JOIN account a ON a.id = m.account_id
	WHERE a.email = '$1' AND m.kind = 'invoice'"; }
# the invoice e-mail as written (the remote delivers it: it waits for no one)
mail_of() { sqlite3 "$db" "SELECT m.subject || char(10) || m.body || char(10) || 'via ' ||
	coalesce(m.delivered_via, '-') FROM message m JOIN account a ON a.id = m.account_id
	WHERE a.email = '$1' AND m.kind = 'invoice'"; }

# --- joining: the membership at once, the invoice requested ---------------------
check "a customer joins at a shop with a remote, paying by card" member kari@example.no card
expect_exit 0 "status of the new member" cps status kari@example.no
contains "the membership is active" "membership: CPS-"
contains "the invoice is requested" "invoice: requested from the remote, not received yet"
lacks "no invoice number is shown" "INV-"
check "no invoice e-mail waits yet" test "$(waiting kari@example.no)" -eq 0
check "the row is requested" test "$(state kari@example.no)" = "requested -"

# --- the invoice comes later, through GET /invoices ------------------------------
peer_ctl POST /_control/enrollments '{"invoice": "later"}' >/dev/null
expect_exit 0 "the sync sends the enrollment and pulls the invoice" cps sync --once
contains "it says the invoice was stored" "1 invoice from the remote stored"
expect_exit 0 "status after the sync" cps status kari@example.no
contains "the remote's invoice is shown" "invoice: CPS-INV-"
contains "with where it came from" "(from the remote)"
contains "and its payment link" "payment link: https://pay.cps.example.com/i/CPS-INV-"
link=$(printf '%s\n' "$OUT" | sed -n 's/^payment link: //p')
check "the row is received" sh -c "sqlite3 '$db' \"SELECT state FROM invoice\" | grep -qx received"
expect_exit 0 "the invoice e-mail is written" mail_of kari@example.no
contains "in Norwegian" "Fakturanummer: CPS-INV-"
contains "and handed to the remote to deliver in the same sync" "via remote"
contains "with the payment link, in Norwegian" "Betal med kort på $link innen forfallsdatoen"
lacks "no word of staff giving the card" "personalet"
lacks "nothing in English" "Invoice number"
check "one invoice e-mail" test "$(waiting kari@example.no)" -eq 1
before=$(invoices)
expect_exit 0 "a second sync" cps sync --once
lacks "stores no invoice again" "invoice from the remote"
check "the invoice is unchanged" test "$(invoices)" = "$before"
check "and there is still one e-mail" test "$(waiting kari@example.no)" -eq 1
# the remote delivers it: staff have nothing to hand over
expect_exit 0 "messages for her" cps messages kari@example.no
lacks "the invoice e-mail is not among the messages staff hand over" "Fakturanummer"

# --- the invoice in the answer to the enrollment, by bank transfer ----------------
peer_ctl POST /_control/enrollments '{"invoice": "answer"}' >/dev/null
check "a second customer joins, paying by bank transfer" member ola@example.no bank
check "her invoice is requested" test "$(state ola@example.no)" = "requested -"
expect_exit 0 "the sync stores the invoice of the answer" cps sync --once
contains "one invoice stored" "1 invoice from the remote stored"
expect_exit 0 "her invoice e-mail" mail_of ola@example.no
contains "carries the invoice's IBAN" "IBAN: NL91 ABNA 0417 1643 00"
contains "and its reference" "CPS CPS-INV-"
lacks "no card link for a bank transfer" "https://"
before=$(invoices)
expect_exit 0 "and a sync after it" cps sync --once
check "changes nothing" test "$(invoices)" = "$before"

# --- a wrong invoice in the answer: refused, the enrollment parked ---------------
peer_ctl POST /_control/enrollments \
	'{"invoice": "answer", "override": {"payment_link": "http://pay.cps.example.com/x"}}' >/dev/null
check "a third customer joins by card" member per@example.no card
before=$(invoices)
expect_exit 0 "the sync goes on" cps sync --once
contains "the enrollment counts as refused" "1 refused"
expect_exit 0 "cpsreg outbox says why" cps outbox
contains "naming the field" "invoice.payment_link"
contains "and what is wrong" "not an https:// address"
check "the invoice stays requested" test "$(state per@example.no)" = "requested -"
check "no invoice e-mail for it" test "$(waiting per@example.no)" -eq 0

# --- a wrong page of GET /invoices: refused, the cursor stays ---------------------
peer_ctl POST /_control/enrollments '{"invoice": "none"}' >/dev/null
check "a fourth customer joins by card" member liv@example.no card
expect_exit 0 "her enrollment is sent" cps sync --once
id=$(sqlite3 "$db" "SELECT id FROM account WHERE email = 'liv@example.no'")
cursor=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'remote.invoices_after'")
peer_ctl POST /_control/invoices "{\"invoices\": [{\"account_id\": $id, \"number\": \"R-1\",
	\"amount_cents\": \"100.00\", \"currency\": \"EUR\", \"issued_on\": \"2026-12-01\",
	\"due_on\": \"2026-12-31\", \"payment_link\": \"https://pay.cps.example.com/R-1\"}]}" >/dev/null
before=$(invoices)
expect_exit 1 "a page with a wrong invoice fails the sync" cps sync --once
contains "naming the invoice and its field" "invoices[0].amount_cents"
contains "and what is wrong" "not a whole number"
contains "and that nothing was stored" "nothing of it is stored"
check "nothing was stored" test "$(invoices)" = "$before"
check "the cursor stays" test "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'remote.invoices_after'")" = "$cursor"
check "no invoice e-mail for it" test "$(waiting liv@example.no)" -eq 0
finish
