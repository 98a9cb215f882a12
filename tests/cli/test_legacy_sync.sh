#!/bin/sh
# test_legacy_sync.sh - old CPS accounts from the remote, with the test peer
# (tests/peer/peer.py): the sync asks GET /v1/legacy-accounts for every
# submitted customer whose old CPS e-mail names no old account at the shop,
# stores what the peer sends as the import would (serial, date and country
# read by the import's rules, the catalog's model), keeps a 404 so that the
# e-mail is not asked again, and asks again once staff correct the e-mail.
# A wrong answer is refused with the field and why, and nothing of it is
# stored.  A migration the peer answers 409 already_migrated reaches the
# customer as a message in her language.
. tests/lib.sh
. tests/peer/peer.sh

: "${STRESS_DRIVER:=./tests/stress/stress_driver}"
case $STRESS_DRIVER in /*) ;; *) STRESS_DRIVER="$PWD/$STRESS_DRIVER" ;; esac

db="$SUITE_DIR/legacy.db"
peer_begin 1 3
trap 'peer_stop' EXIT
# shellcheck disable=SC2086 # the options are words
cps() { "$CPSREG_BIN" --db "$db" --set remote.url="$PEER_URL" --set remote.token_file="$SUITE_DIR/token" \
	--set remote.ca_file="$SUITE_DIR/peer.pem" --set remote.backoff_ms=20 "$@"; }
"$CPSREG_BIN" --db "$db" outbox >/dev/null
now=$(date +%s)
# customer EMAIL OLD_EMAIL STATUS LANGUAGE: an application as the wizard
# leaves it (submitted unless a draft)
customer() {
	sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
		first_name, last_name, language, vat_registered, vat_number, authorised, old_email,
		status, submitted_at, expected_by, created_at, updated_at) VALUES
		('$1', 'Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo', 'Kari', 'Nordmann', '$4', 1,
		 'NO988077917MVA', 1, '$2', '$3', $now, '2026-12-10', $now, $now);"
}
lookups() { peer_ctl GET /_control/records | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["lookups"]))'; }
old_products() { sqlite3 "$db" "SELECT c.model, coalesce(p.serial, '-'), coalesce(p.purchase_date, '-'),
	coalesce(p.purchase_country, '-'), coalesce(p.dealer, '-') FROM legacy_product p
	JOIN legacy_account a ON a.id = p.legacy_account_id JOIN catalog c ON c.id = p.catalog_id
	WHERE a.email = '$1' ORDER BY p.id"; }
old_account() { sqlite3 "$db" "SELECT member_number || ' ' || name FROM legacy_account WHERE email = '$1'"; }

customer kari@nordfoto.no Kari.Nordmann@example.no validated nb
customer ola@fjordfoto.no ola.gammel@example.no validated en
customer nils@foto.no nils.gammel@example.no pending en
customer utkast@foto.no utkast.gammel@example.no draft en
peer_ctl POST /_control/legacy '{"accounts": [{"email": "kari.nordmann@example.no",
	"member_number": "CPS-NO-104233", "name": "Kari  Nordmann Foto", "products": [
	{"model": "EOS R5", "serial": "0123 4567-8901", "purchase_date": "14.05.2021",
	 "purchase_country": "no", "dealer": "Japan Photo Oslo"},
	{"model": "speedlite   el-1", "purchase_date": "2021"}]}]}' >/dev/null

# --- the first sync asks for each old e-mail --------------------------------------
expect_exit 0 "the sync asks the remote for the old accounts" cps sync --once
contains "it says three were answered (one found, two not)" "3 old CPS accounts looked up at the remote"
asked=$(lookups)
case " $asked " in
*" Kari.Nordmann@example.no "*) ok "the validated customer's old e-mail was asked" ;;
*) not_ok "the validated customer's old e-mail was asked" "asked: $asked" ;;
esac
case " $asked " in
*" nils.gammel@example.no "*) ok "a pending customer's too (the answer is there when she is validated)" ;;
*) not_ok "a pending customer's too" "asked: $asked" ;;
esac
case " $asked " in
*utkast*) not_ok "a draft's old e-mail is not asked" "asked: $asked" ;;
*) ok "a draft's old e-mail is not asked" ;;
esac
check "the old account is stored with its member number and name" \
	test "$(old_account kari.nordmann@example.no)" = "CPS-NO-104233 Kari Nordmann Foto"
want="EOS R5|012345678901|2021-05-14|NO|Japan Photo Oslo
Speedlite EL-1|-|2021|-|-"
got=$(old_products kari.nordmann@example.no)
[ "$got" = "$want" ] && ok "its products as the import stores them (serial, date, country cleaned; the catalog's model)" ||
	not_ok "its products as the import stores them" "got:
$got"
check "the peer's 404 is kept" test "$(sqlite3 "$db" "SELECT count(*) FROM legacy_not_found WHERE email = 'ola.gammel@example.no'")" -eq 1

# --- nothing is asked again -------------------------------------------------------
before=$(lookups)
expect_exit 0 "a second sync" cps sync --once
lacks "looks nothing up" "looked up"
check "asks the peer nothing more" test "$(lookups)" = "$before"

# --- staff correct the old e-mail: it is asked again ------------------------------
expect_exit 0 "staff correct a customer's old e-mail" \
	cps correct-old-email ola@fjordfoto.no ola.nordmann@example.no --staff Kim
contains "the check says the account is being looked up" "is being looked up at CPS"
peer_ctl POST /_control/legacy '{"accounts": [{"email": "ola.nordmann@example.no",
	"member_number": "CPS-NO-200001", "products": []}]}' >/dev/null
expect_exit 0 "the sync asks for the corrected e-mail" cps sync --once
contains "and stores the answer" "1 old CPS account looked up at the remote"
check "an old account without products" test "$(old_account ola.nordmann@example.no)" = "CPS-NO-200001 "

# --- a wrong answer: refused with the field, nothing stored -------------------------
customer per@foto.no per.gammel@example.no validated en
# refused NAME JSON_OF_THE_ACCOUNT FIELD WHY
refused() {
	peer_ctl POST /_control/legacy "{\"accounts\": [$2]}" >/dev/null
	asked_before=$(lookups | wc -w)
	expect_exit 1 "$1: the sync fails" cps sync --once
	contains "$1: naming the field" "GET /v1/legacy-accounts $3: "
	contains "$1: and what is wrong" "$4"
	contains "$1: and that nothing is stored" "nothing of it is stored"
	check "$1: nothing is stored" test "$(sqlite3 "$db" "SELECT count(*) FROM legacy_account WHERE email = 'per.gammel@example.no'")" -eq 0
	check "$1: the e-mail is not taken for one without an old account" \
		test "$(sqlite3 "$db" "SELECT count(*) FROM legacy_not_found WHERE email = 'per.gammel@example.no'")" -eq 0
	check "$1: it was asked" test "$(lookups | wc -w)" -gt "$asked_before"
}
P='"email": "per.gammel@example.no", "member_number": "CPS-NO-300001"'
refused "a model the catalog lacks" "{$P, \"products\": [{\"model\": \"EOS R5\"}, {\"model\": \"EOS R99\"}]}" \
	"products[1].model" "\"EOS R99\" is not in this shop's product catalog"
refused "another e-mail than the one asked" \
	'{"_for": "per.gammel@example.no", "email": "someone@example.no", "member_number": "CPS-NO-300001", "products": []}' \
	"email" "but per.gammel@example.no was asked for"
refused "no member number" '{"email": "per.gammel@example.no", "products": []}' \
	"member_number" "missing"
refused "a member number with a space" '{"email": "per.gammel@example.no", "member_number": "CPS NO", "products": []}' \
	"member_number" "not a member number"
refused "another old account's member number" \
	'{"email": "per.gammel@example.no", "member_number": "CPS-NO-104233", "products": []}' \
	"member_number" "another old CPS account at this shop (kari.nordmann@example.no)"
refused "products that are no array" "{$P, \"products\": {}}" "products" "not an array"
refused "a purchase date in the future" "{$P, \"products\": [{\"model\": \"EOS R5\", \"purchase_date\": \"2090\"}]}" \
	"products[0].purchase_date" "future"
refused "a country that is no code" "{$P, \"products\": [{\"model\": \"EOS R5\", \"purchase_country\": \"Norway\"}]}" \
	"products[0].purchase_country" "not a two-letter country code"
refused "a serial given twice" \
	"{$P, \"products\": [{\"model\": \"EOS R5\", \"serial\": \"111\"}, {\"model\": \"eos r5\", \"serial\": \"1 11\"}]}" \
	"products[1].serial" "also products[0]"
refused "another old account's product" \
	"{$P, \"products\": [{\"model\": \"EOS R5\", \"serial\": \"012345678901\"}]}" \
	"products[0].serial" "another old CPS account at this shop"
refused "a dealer with a control character" "{$P, \"products\": [{\"model\": \"EOS R5\", \"dealer\": \"Foto\\u001b[2J\"}]}" \
	"products[0].dealer" "control character"
refused "a serial that is a number" "{$P, \"products\": [{\"model\": \"EOS R5\", \"serial\": 42}]}" \
	"products[0].serial" "not a string"
refused "an answer that is no object's" '{"email": "per.gammel@example.no", "member_number": "CPS-NO-300001", "products": ["EOS R5"]}' \
	"products[0]" "not an object"
peer_ctl POST /_control/legacy "{\"accounts\": [{$P, \"products\": [{\"model\": \"EOS R6 Mark II\", \"serial\": \"77\"}]}]}" >/dev/null
expect_exit 0 "a right answer at last" cps sync --once
check "is stored" test "$(old_products per.gammel@example.no)" = "EOS R6 Mark II|77|-|-|-"

# --- the remote moved the old account before: 409 already_migrated ---------------
peer_ctl POST /_control/legacy '{"accounts": [{"email": "kari.nordmann@example.no",
	"member_number": "CPS-NO-104233", "products": [], "_migrated": true}]}' >/dev/null
check "Kari moves her old products at the shop" "$STRESS_DRIVER" migrate "$db" kari@nordfoto.no "$PEER_URL"
expect_exit 0 "the sync sends the migration" cps sync --once
contains "the remote refuses it" "1 refused"
expect_exit 0 "staff see why" cps outbox
contains "already_migrated" "already_migrated"
# the message is the remote's to deliver: it went with the same sync
expect_exit 0 "a message is written for Kari" sqlite3 "$db" "SELECT body || ' via ' ||
	coalesce(delivered_via, '-') FROM message WHERE recipient = 'kari@nordfoto.no' AND kind = 'conflict'"
contains "and handed to the remote to deliver" "via remote"
contains "in Norwegian, saying her old account was moved before" "Den gamle CPS-kontoen din er allerede flyttet til en ny konto"
contains "and that staff can help" "Spør de ansatte i butikken"
finish
