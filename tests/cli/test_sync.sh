#!/bin/sh
# test_sync.sh - cpsreg sync and cpsreg outbox against the test peer
# (tests/peer/peer.py, TLS on 127.0.0.1 with a certificate made here):
# trust through remote.ca_file only, http refused for another host at
# config time, the token never shown, the remote down, each fault once,
# a 409 parked and told to the customer, decisions pulled and applied.
# The long runs through random faults and kill -9 are in
# tests/stress/test_sync_faults.sh.
. tests/lib.sh
. tests/peer/peer.sh

db="$SUITE_DIR/sync.db"
peer_begin 1 3
trap 'peer_stop' EXIT
token=$(cat "$SUITE_DIR/token")
remote="--db $db --set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token"
trusted="$remote --set remote.ca_file=$SUITE_DIR/peer.pem --set remote.backoff_ms=20"
# shellcheck disable=SC2086 # the options are words
cps() { "$CPSREG_BIN" $trusted "$@"; }
unsent() { sqlite3 "$db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL"; }
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# --- configuration ---------------------------------------------------------------
expect_exit 3 "http to another host is refused at config time" \
	"$CPSREG_BIN" --db "$db" --set remote.url=http://cps.example.com sync --once
contains "the message says why" "127.0.0.1"
expect_exit 3 "sync without a remote says what to set" "$CPSREG_BIN" --db "$db" sync --once
contains "it names remote.url" "remote.url"
expect_exit 2 "a wrong option is a usage error" "$CPSREG_BIN" --db "$db" sync --sometimes

# --- trust ----------------------------------------------------------------------
outbox_fill "$db" 30 4 first
# shellcheck disable=SC2086
expect_exit 6 "an untrusted certificate is refused" "$CPSREG_BIN" $remote sync --once
contains "the message names remote.ca_file" "remote.ca_file"
lacks "the token is not shown" "$token"
check "nothing was sent to an untrusted peer" test "$(unsent)" -eq 30
other="$SUITE_DIR/other"
mkdir -p "$other" && peer_cert "$other"
# shellcheck disable=SC2086
expect_exit 6 "a ca_file of another CA is refused too" "$CPSREG_BIN" $remote \
	--set remote.ca_file="$other/peer.pem" sync --once
contains "that message names remote.ca_file as well" "remote.ca_file"

before=$(peer_verify "$db")
expect_exit 0 "trusted through remote.ca_file, the sync works" cps sync --once
contains "it reports what it sent" "30 sent"
v=$(peer_verify "$db")
# the verify before and this one are a connection each
check "30 changes went over one keep-alive connection" \
	test $(($(field "$v" connections) - $(field "$before" connections))) -eq 2
check "the peer has every change once, in order ($v)" test "$(field "$v" lost)/$(field "$v" duplicated)/$(field "$v" out_of_order)/$(field "$v" unsent)" = "0/0/0/0"
expect_exit 0 "a second sync has nothing to send" cps sync --once
contains "nothing sent" "0 sent"

# --- the token --------------------------------------------------------------------
outbox_fill "$db" 3 2 second
# shellcheck disable=SC2086
expect_exit 1 "a wrong token stops the sync" "$CPSREG_BIN" --db "$db" --set remote.url="$PEER_URL" \
	--set remote.ca_file="$SUITE_DIR/peer.pem" --set remote.token=wrong-token-123 sync --once
contains "the message says the token was refused" "remote.token_file"
lacks "the wrong token is not shown" "wrong-token-123"
check "nothing is parked for a wrong token" test "$(unsent)" -eq 3
expect_exit 0 "check-config hides the token of token_file" cps --check-config
lacks "check-config does not show it" "$token"

# --- one fault at a time -----------------------------------------------------------
for f in 500 503 429 reset slow badjson ctype hang; do
	peer_ctl POST /_control/faults "{\"next\": [\"$f\"]}" >/dev/null
	outbox_fill "$db" 2 2 "fault-$f"
	expect_exit 0 "after a fault '$f' the sync still ends well" cps --set remote.timeout=2 \
		--set remote.low_speed_time=1 sync --once
	v=$(peer_verify "$db")
	check "after '$f': nothing lost, nothing twice ($v)" \
		test "$(field "$v" lost)/$(field "$v" duplicated)/$(field "$v" unsent)" = "0/0/0"
done

# a pull that hangs (nothing to send: the first request is GET /decisions)
peer_ctl POST /_control/faults '{"next": ["hang"]}' >/dev/null
expect_exit 0 "a pull that hangs is tried again and the sync ends well" cps --set remote.timeout=2 \
	--set remote.low_speed_time=1 sync --once
lacks "nothing is said to wait" "wait in the outbox"

# --- the remote is down ---------------------------------------------------------------
peer_ctl POST /_control/faults '{"always": "503"}' >/dev/null
outbox_fill "$db" 2 1 down
expect_exit 6 "a remote that keeps failing ends the sync with status 6" cps --set remote.tries=2 sync --once
contains "the message gives the remote's answer" "HTTP 503"
contains "and says the changes wait" "wait in the outbox"
peer_ctl POST /_control/faults '{"always": "hang"}' >/dev/null
expect_exit 6 "a remote that hangs: status 6 after remote.timeout" cps --set remote.tries=1 \
	--set remote.timeout=1 sync --once
contains "the message says it timed out" "timed out"
# SIGTERM (systemctl stop, or the wizard ending its sync child) cuts a
# request under way short: no error, status 0, the changes wait
# shellcheck disable=SC2086
"$CPSREG_BIN" $trusted --set remote.timeout=600 --set remote.low_speed_time=600 \
	sync --watch >"$SUITE_DIR/watch.out" 2>&1 &
wpid=$!
i=0
while [ "$(ls -l /proc/$wpid/fd 2>/dev/null | grep -c 'socket:')" -eq 0 ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -TERM $wpid
wait $wpid
wrc=$?
if [ $wrc -eq 0 ] && ! grep -q 'cpsreg:' "$SUITE_DIR/watch.out"; then
	ok "SIGTERM ends sync --watch in the middle of a request, status 0"
else
	not_ok "SIGTERM ends sync --watch in the middle of a request, status 0" "exit $wrc: $(cat "$SUITE_DIR/watch.out")"
fi
check "the changes it was sending wait" test "$(unsent)" -eq 2
peer_ctl POST /_control/faults '{}' >/dev/null
# proxies come from the environment
expect_exit 6 "https_proxy is used" env https_proxy=http://127.0.0.1:1 no_proxy= NO_PROXY= \
	"$CPSREG_BIN" $trusted --set remote.tries=1 sync --once
expect_exit 0 "and no_proxy too" env https_proxy=http://127.0.0.1:1 no_proxy=127.0.0.1 \
	"$CPSREG_BIN" $trusted sync --once
check "the changes went" test "$(unsent)" -eq 0
outbox_fill "$db" 2 1 down2
peer_stop
expect_exit 6 "a remote that is down: status 6" cps --set remote.tries=2 sync --once
contains "the message says it cannot be reached" "cannot reach the remote"
check "the changes wait" test "$(unsent)" -eq 2
peer_start "$SUITE_DIR" 1 3
# shellcheck disable=SC2086 # the peer's new port
trusted="--db $db --set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token --set remote.ca_file=$SUITE_DIR/peer.pem --set remote.backoff_ms=20"
expect_exit 0 "when it is back, the next sync sends them" cps sync --once
check "nothing waits any more" test "$(unsent)" -eq 0

# --- decisions and a 409 -------------------------------------------------------------
now=$(date +%s)
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('anna@example.dk', 'Foto Anna ApS', 'DK', 'Vestergade 1', '1456', 'København K',
	 'Anna', 'Hansen', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-01', $now, $now),
	('ola@example.no', 'Ola Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Ola', 'Nordmann', 'nb', 1, 'NO988077917MVA', 1, 'pending', $now, '2026-12-01', $now, $now);"
anna=$(sqlite3 "$db" "SELECT id FROM account WHERE email = 'anna@example.dk'")
ola=$(sqlite3 "$db" "SELECT id FROM account WHERE email = 'ola@example.no'")
peer_ctl POST /_control/decisions "{\"decisions\": [
	{\"account_id\": $anna, \"decision\": \"validated\", \"by\": \"CPS Europe\"},
	{\"account_id\": $ola, \"decision\": \"rejected\", \"reason\": \"The certificate is older than 3 months.\", \"by\": \"CPS Europe\"}]}" >/dev/null
expect_exit 0 "the remote's decisions are pulled" cps sync --once
contains "two decisions are applied" "2 decisions applied"
expect_exit 0 "status of the validated customer" cps status anna@example.dk
contains "she is validated" "validated"
expect_exit 0 "status of the rejected one" cps status ola@example.no
contains "he is rejected with the remote's reason" "older than 3 months"
expect_exit 0 "the audit log names the remote's staff" cps audit
contains "as decided by CPS Europe" "CPS Europe"
expect_exit 0 "a second sync applies nothing again" cps sync --once
contains "no decision twice" "0 decisions applied"

sqlite3 "$db" "INSERT INTO outbox (idem_key, kind, account_id, payload, created_at) VALUES
	('conflict-1', 'product', $anna, json_object('idempotency_key', 'conflict-1', 'kind', 'product', 'account_id', $anna, 'at', 1), 1)"
peer_ctl POST /_control/faults '{"next": ["409"]}' >/dev/null
expect_exit 0 "a 409 does not stop the sync" cps sync --once
contains "it counts as refused" "1 refused"
contains "and says where to look" "cpsreg outbox"
expect_exit 0 "outbox lists the refused change" cps outbox
contains "with the remote's reason" "serial_registered_elsewhere"
contains "and the customer" "anna@example.dk"
id=$(sqlite3 "$db" "SELECT id FROM outbox WHERE idem_key = 'conflict-1'")
# the message is the remote's to deliver: it went with the same sync
run sqlite3 "$db" "SELECT subject || ' via ' || coalesce(delivered_via, '-') FROM message
	WHERE recipient = 'anna@example.dk' AND kind = 'conflict'"
contains "the customer gets a message" "via remote"
contains "in Danish: a change could not be made" "kunne ikke"
before=$(peer_verify "$db")
expect_exit 0 "the next sync does not send it again by itself" cps sync --once
after=$(peer_verify "$db")
check "the peer saw no new try ($after)" test "$(field "$before" arrivals)" = "$(field "$after" arrivals)"
expect_exit 0 "staff send it again" cps outbox --retry "$id" --staff Kim
expect_exit 0 "it goes at the next sync" cps sync --once
contains "the remote gives its first answer again" "1 refused"
expect_exit 1 "retrying a change that is not parked is refused" cps outbox --retry 1

# --- a proof document: its file goes first (PUT /documents/{sha256}) ---------------
pdf="$SUITE_DIR/proof.pdf"
printf '%%PDF-1.4\n%% Anna Foto ApS\n%%%%EOF\n' >"$pdf"
sha=$(sha256sum "$pdf" | cut -d' ' -f1)
size=$(wc -c <"$pdf")
sqlite3 "$db" "DELETE FROM document WHERE account_id = $anna;
	INSERT INTO document (account_id, doc_type, filename, mime, size, sha256, content, created_at)
	VALUES ($anna, 'registration_certificate', 'proof.pdf', 'application/pdf', $size, '$sha',
	        readfile('$pdf'), 1);
	INSERT INTO outbox (idem_key, kind, account_id, payload, created_at) VALUES ('doc-1', 'document',
	        $anna, json_object('idempotency_key', 'doc-1', 'kind', 'document', 'account_id', $anna,
	        'at', 2, 'data', json_object('type', 'registration_certificate', 'filename', 'proof.pdf',
	        'mime', 'application/pdf', 'size', $size, 'sha256', '$sha')), 2)"
docs() { peer_ctl GET /_control/records | python3 -c 'import json, sys
print(" ".join("%s:%d:%d" % (k, v["size"], v["puts"]) for k, v in json.load(sys.stdin)["documents"].items()))'; }
peer_ctl POST /_control/faults '{"next": ["503", "503", "503", "503", "503"]}' >/dev/null
expect_exit 6 "the upload meets a remote that is down" cps --set remote.tries=2 sync --once
check "the document's row waits" test "$(sqlite3 "$db" "SELECT sent_at IS NULL AND parked_at IS NULL FROM outbox WHERE idem_key = 'doc-1'")" -eq 1
check "the peer has no file yet" test -z "$(docs)"
peer_ctl POST /_control/faults '{}' >/dev/null
expect_exit 0 "the next sync uploads it, then sends its facts" cps sync --once
contains "the row is sent" "1 sent"
check "the peer holds the file once, by its SHA-256 ($(docs))" test "$(docs)" = "$sha:$size:1"
check "and took the facts after it" test "$(sqlite3 "$db" "SELECT sent_at IS NOT NULL FROM outbox WHERE idem_key = 'doc-1'")" -eq 1
# a file the remote will not take is parked with its reason, not retried blindly
sqlite3 "$db" "UPDATE document SET mime = 'image/gif' WHERE account_id = $anna;
	INSERT INTO outbox (idem_key, kind, account_id, payload, created_at) VALUES ('doc-2', 'document',
	        $anna, json_object('idempotency_key', 'doc-2', 'kind', 'document', 'account_id', $anna,
	        'at', 3, 'data', json_object('type', 'registration_certificate', 'filename', 'proof.gif',
	        'mime', 'image/gif', 'size', $size, 'sha256', '$sha')), 3)"
expect_exit 0 "a sync with a file of a type the remote refuses" cps sync --once
contains "it counts as refused" "1 refused"
expect_exit 0 "outbox lists it" cps outbox
contains "with the remote's reason" "HTTP 415"
finish
