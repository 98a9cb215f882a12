# peer.sh - starting and steering the test peer from a shell suite
# (sourced after tests/lib.sh).
#
#   peer_cert DIR           a key and a self-signed certificate for 127.0.0.1 (openssl)
#   peer_start DIR [RETRY_AFTER] [HANG_SECONDS]
#                           starts tests/peer/peer.py on a free port; sets PEER_URL
#   peer_begin [RETRY_AFTER] [HANG_SECONDS]
#                           a suite's start: needs python3, openssl and sqlite3,
#                           starts the peer in $SUITE_DIR (or fails the suite
#                           with its log); the caller sets its own EXIT trap
#   peer_ctl METHOD PATH [JSON]   a control call (see peer.py)
#   peer_verify DB          "rows=N applied=N lost=N duplicated=N out_of_order=N ..."
#   peer_stop               stops the peer this suite started
PEER_PY="$PWD/tests/peer/peer.py"
PEER_PID=""

peer_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/peer.key" -out "$1/peer.pem" \
		-days 2 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
}

peer_start() {
	PEER_DIR=$1
	[ -f "$PEER_DIR/peer.pem" ] || peer_cert "$PEER_DIR"
	[ -f "$PEER_DIR/token" ] || { printf 'test-token-%s\n' "$$" >"$PEER_DIR/token"; chmod 600 "$PEER_DIR/token"; }
	rm -f "$PEER_DIR/port"
	python3 "$PEER_PY" serve "$PEER_DIR/peer.pem" "$PEER_DIR/peer.key" \
		"$(cat "$PEER_DIR/token")" "$PEER_DIR/port" "${2:-1}" "${3:-3}" \
		>"$PEER_DIR/peer.log" 2>&1 &
	PEER_PID=$!
	_i=0
	while [ ! -s "$PEER_DIR/port" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	PEER_PORT=$(cat "$PEER_DIR/port" 2>/dev/null)
	PEER_URL="https://127.0.0.1:$PEER_PORT"
	[ -n "$PEER_PORT" ]
}

peer_begin() {
	need_tools python3 openssl sqlite3
	peer_start "$SUITE_DIR" "${1:-1}" "${2:-3}" && return 0
	not_ok "the peer starts" "$(cat "$SUITE_DIR/peer.log" 2>/dev/null)"
	finish
}

peer_ctl() {
	python3 "$PEER_PY" ctl "$PEER_DIR/port" "$PEER_DIR/peer.pem" "$@"
}

peer_verify() {
	python3 "$PEER_PY" verify "$1" "$PEER_DIR/port" "$PEER_DIR/peer.pem"
}

peer_stop() {
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
	PEER_PID=""
}

# outbox_fill DB N ACCOUNTS PREFIX: N outbox rows of "product" changes
# spread over ACCOUNTS customers (numbers 1..ACCOUNTS), keys PREFIX-1 ...
# Written straight into the table: the sync sends whatever a row holds.
outbox_fill() {
	sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
		INSERT INTO outbox (idem_key, kind, account_id, payload, created_at)
		SELECT '$4-' || i, 'product', 1 + abs(random()) % $3,
		       json_object('idempotency_key', '$4-' || i, 'kind', 'product', 'at', i), i FROM n;
		UPDATE outbox SET payload = json_set(payload, '\$.account_id', account_id)
		WHERE idem_key LIKE '$4-%';"
}
