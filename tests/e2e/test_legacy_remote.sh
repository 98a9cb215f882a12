#!/bin/sh
# test_legacy_remote.sh - MIGRATE PRODUCTS from the remote's old CPS
# account, in the wizard at 80x24, against the test peer: the shop imported
# no old accounts.  While the remote cannot be reached, the migration page
# says the lookup waits for the network; when the peer answers 404 for the
# mistyped old e-mail, the page says so without a key; staff correct the
# e-mail, the page says the account is being looked up, and when the
# peer's answer comes MIGRATE PRODUCTS appears without a key; the
# customer moves the peer's products and the sync sends the migration.
. tests/lib.sh
. tests/e2e/lib.sh
. tests/peer/peer.sh

need_tools tmux

peer_begin 1 3
trap 'peer_stop; e2e_stop' EXIT
db="$SUITE_DIR/shop.db"
EMAIL=kari@nordfoto.no
PASSWORD="quiet harbour lamp 42"
REMOTE="--set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token
	--set remote.ca_file=$SUITE_DIR/peer.pem --set remote.sync_interval=5
	--set remote.tries=1"
now=$(date +%s)
"$CPSREG_BIN" --db "$db" outbox >/dev/null
# submitted with "nordman" for "nordmann", approved by staff
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised, old_email,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('$EMAIL', 'Kari Nordmann Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Kari', 'Nordmann', 'en', 1, 'NO988077917MVA', 1, 'kari.nordman@example.no',
	 'pending', $now, '2026-12-10', $now, $now);"
"$CPSREG_BIN" --db "$db" approve "$EMAIL" --staff Kim >/dev/null
code=$("$CPSREG_BIN" --db "$db" messages "$EMAIL" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
[ -n "$code" ] && ok "the password code waits for the customer" || not_ok "the password code waits for the customer"
# the old account is the peer's only; its answer takes a while
peer_ctl POST /_control/legacy '{"accounts": [{"email": "kari.nordmann@example.no",
	"member_number": "CPS-NO-104233", "name": "Kari Nordmann Foto", "_delay": 6, "products": [
	{"model": "EOS R5", "serial": "012345678901", "purchase_date": "2021-05-14",
	 "purchase_country": "NO", "dealer": "Japan Photo Oslo"},
	{"model": "Speedlite EL-1", "purchase_date": "2021"}]}]}' >/dev/null
peer_ctl POST /_control/faults '{"always": "503"}' >/dev/null

# --- offline: the lookup waits for the network ---------------------------------
# shellcheck disable=SC2086 # the options are words
e2e_start -- --db "$db" $REMOTE
e2e_expect "the wizard opens" "< Set my password >"
e2e_expect "the remote cannot be reached" "Remote: offline" 20
e2e_keys Tab Tab Enter
e2e_expect "the password page opens" "Code from the e-mail"
e2e_type "$EMAIL"
e2e_keys Tab
e2e_type "$code"
e2e_keys Tab
e2e_type "$PASSWORD"
e2e_keys Tab
e2e_type "$PASSWORD"
e2e_keys C-n
e2e_expect "the password is set: My products" "< Add a product >"
e2e_keys C-n
e2e_expect "Next opens the migration" "Move the products of your old CPS account"
e2e_expect "the page says the lookup waits for the network" "the lookup waits for the network"
e2e_lacks "not that there is nothing to move" "was found"
e2e_lacks "no MIGRATE PRODUCTS yet" "MIGRATE PRODUCTS >"

# --- online: the peer has no account under the mistyped e-mail ------------------
peer_ctl POST /_control/faults '{}' >/dev/null
e2e_expect "the peer's 404 shows without a key" \
	"No old CPS account with the e-mail address kari.nordman@example.no was" 20
e2e_expect "the status line is online" "Remote: online"

# --- staff correct the e-mail; the page asks again -------------------------------
"$CPSREG_BIN" --db "$db" correct-old-email "$EMAIL" kari.nordmann@example.no --staff Kim >/dev/null &&
	ok "staff correct the old e-mail" || not_ok "staff correct the old e-mail"
e2e_keys C-b
e2e_expect "Back to My products" "< Add a product >"
e2e_keys C-n
e2e_expect "the page says the old account is being looked up" \
	"Your old CPS account (kari.nordmann@example.no) is being looked up at CPS"
e2e_expect "the peer's answer shows without a key" "< MIGRATE PRODUCTS >" 30
e2e_expect "with the old member number" "member number CPS-NO-104233"
e2e_expect "and its two products" "Speedlite EL-1"
e2e_expect "the message line says it was found" "Your old CPS account was found"
e2e_keys Enter
e2e_expect "the products move" "Moved: 2"
e2e_expect "one with its green tick" "With a green tick: 1"

# --- the sync sends the migration to the peer ------------------------------------
i=0
while [ $i -lt $((100 * E2E_SCALE)) ]; do
	peer_ctl GET /_control/records | grep -q '"kind": "migration"' && break
	sleep 0.2
	i=$((i + 1))
done
peer_ctl GET /_control/records | grep -q '"kind": "migration"' &&
	ok "the peer has the migration" || not_ok "the peer has the migration" "$(peer_ctl GET /_control/records)"
e2e_keys C-q y
e2e_expect_exit 0 "the wizard ends normally"
[ "$(sqlite3 "$db" "SELECT count(*) FROM product p JOIN account a ON a.id = p.account_id
	WHERE a.email = '$EMAIL' AND p.origin = 'migrated'")" = 2 ] &&
	ok "the two products are the customer's in the store" ||
	not_ok "the two products are the customer's in the store"
e2e_check_widths "no line of any capture is wider than 80 columns" 80
finish
