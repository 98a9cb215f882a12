#!/bin/sh
# test_sync_faults.sh - exactly once through faults: outbox records driven
# to the test peer (tests/peer/peer.py) through random faults (500, 503,
# 429, hang, reset mid-body, slow body, bad JSON, wrong content type), and
# cpsreg sync killed with kill -9 at random moments.  Counted on the peer
# by idempotency key: nothing lost, nothing applied twice, each customer's
# changes in the order they were made.
#
# Short form (make test): 200 records, 5 kills.  STRESS_LONG=1 (make
# stress): 1,000 records, 50 kills.  STRESS_SEED repeats a run.
. tests/lib.sh
. tests/peer/peer.sh

if [ "${STRESS_LONG:-0}" = 1 ]; then
	RECORDS=1000 KILLS=50
else
	RECORDS=200 KILLS=5
fi
SEED=${STRESS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED"

db="$SUITE_DIR/faults.db"
# Retry-After 0 keeps the run short; a hang outlasts remote.timeout
peer_begin 0 2
trap 'peer_stop' EXIT
cps() {
	"$CPSREG_BIN" --db "$db" --set remote.url="$PEER_URL" \
		--set remote.token_file="$SUITE_DIR/token" --set remote.ca_file="$SUITE_DIR/peer.pem" \
		--set remote.backoff_ms=5 --set remote.backoff_max=1 --set remote.timeout=1 \
		--set remote.low_speed_time=1 --set remote.tries=20 "$@"
}
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
verified() { # verified NAME: the peer's count against the database
	v=$(peer_verify "$db")
	echo "# $v"
	check "$1: 0 lost, 0 duplicated, in order, none unsent ($v)" \
		test "$(field "$v" lost)/$(field "$v" duplicated)/$(field "$v" out_of_order)/$(field "$v" unsent)" = "0/0/0/0"
}
# a sync that gives up leaves the rest for the next one, as cron would run it
sync_until_done() {
	runs=0
	while [ $runs -lt 20 ]; do
		runs=$((runs + 1))
		echo "$runs" >"$SUITE_DIR/runs"
		cps sync --once >"$SUITE_DIR/sync.out" 2>&1 && return 0
	done
	cat "$SUITE_DIR/sync.out"
	return 1
}

"$CPSREG_BIN" --db "$db" messages >/dev/null
check "the database is made" test -f "$db"

# --- random faults --------------------------------------------------------------
outbox_fill "$db" "$RECORDS" 25 rnd
peer_ctl POST /_control/faults "{\"random\": {\"rate\": 0.2, \"seed\": $SEED,
	\"kinds\": [\"500\", \"503\", \"429\", \"hang\", \"reset\", \"slow\", \"badjson\", \"ctype\"]}}" >/dev/null
check "$RECORDS records reach the peer through random faults" sync_until_done
echo "# sync runs: $(cat "$SUITE_DIR/runs")"
verified "random faults"

# --- kill -9 at random moments -----------------------------------------------------
mid=0
t=0
while [ $t -lt "$KILLS" ]; do
	t=$((t + 1))
	outbox_fill "$db" 30 6 "kill$t"
	peer_ctl POST /_control/faults "{\"random\": {\"rate\": 0.3, \"seed\": $((SEED + t)),
		\"kinds\": [\"500\", \"reset\", \"slow\", \"badjson\"]}}" >/dev/null
	delay=$(awk -v s="$SEED" -v t="$t" 'BEGIN { srand((s % 1000003) + t * 7919); printf "%.3f", rand() * 0.4 }')
	# exec: $! is cpsreg itself, not a shell around it
	(exec "$CPSREG_BIN" --db "$db" --set remote.url="$PEER_URL" \
		--set remote.token_file="$SUITE_DIR/token" --set remote.ca_file="$SUITE_DIR/peer.pem" \
		--set remote.backoff_ms=5 sync --once >/dev/null 2>&1) &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		mid=$((mid + 1))
	fi
	wait "$pid" 2>/dev/null
	peer_ctl POST /_control/faults '{}' >/dev/null
	ic=$(sqlite3 "$db" "PRAGMA integrity_check")
	[ "$ic" = ok ] || not_ok "trial $t: integrity_check after the kill" "$ic"
	if cps sync --once >"$SUITE_DIR/sync.out" 2>&1; then
		v=$(peer_verify "$db")
		if [ "$(field "$v" lost)/$(field "$v" duplicated)/$(field "$v" out_of_order)/$(field "$v" unsent)" = "0/0/0/0" ]; then
			ok "kill trial $t (after ${delay}s): the next sync finishes, 0 lost, 0 duplicated"
		else
			not_ok "kill trial $t (after ${delay}s): the next sync finishes, 0 lost, 0 duplicated" "$v (seed $SEED)"
		fi
	else
		not_ok "kill trial $t: the next sync finishes" "$(cat "$SUITE_DIR/sync.out") (seed $SEED)"
	fi
done
echo "# kill trials: $KILLS, of which $mid killed a sync in progress"
verified "after the kills"
finish
