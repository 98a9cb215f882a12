#!/bin/sh
# test_crash.sh - kill -9 at random points, and what the next start finds.
#
#   1. stress_driver crash: submit, product save, MIGRATE PRODUCTS,
#      enrollment and a schema upgrade, each killed with SIGKILL just before
#      a random write of its own; after each kill integrity_check is ok, the
#      rows that belong together are all there or none, and the customer
#      resumes (see tests/stress/stress_driver.c).
#   2. the real cpsreg killed with kill -9 at a random moment of
#      import-legacy (4000 rows): integrity_check ok, every old account or
#      none seen, and the import run again gives all of them once (and
#      nothing the killed one left).
#
# Short form (make test): 20 driver trials, 3 import kills.  STRESS_LONG=1
# (make stress): 200 and 20.  STRESS_SEED repeats a run of the driver.
. tests/lib.sh

: "${STRESS_DRIVER:=./tests/stress/stress_driver}"
case $STRESS_DRIVER in /*) ;; *) STRESS_DRIVER="$PWD/$STRESS_DRIVER" ;; esac

if [ "${STRESS_LONG:-0}" = 1 ]; then
	TRIALS=200 IMPORT_KILLS=20
else
	TRIALS=20 IMPORT_KILLS=3
fi
SEED=${STRESS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

if ! command -v sqlite3 >/dev/null 2>&1; then
	not_ok "sqlite3 is installed (make deps-test installs it)"
	finish
fi

# --- 1. the engine's operations, killed at a random write -----------------------
# The driver prints its own ok / not ok lines, one per trial.
"$STRESS_DRIVER" crash "$SUITE_DIR/crash" "$TRIALS" "$SEED"
rc=$?
if [ "$rc" -ne 0 ]; then
	not_ok "the crash driver ends cleanly" "exit $rc (seed $SEED)"
fi

# --- 2. import-legacy of the real binary, killed at a random moment -------------

# rand_delay MAX: a random number of seconds in [0, MAX), three decimals.
rand_delay() {
	awk -v max="$1" -v s="$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')" 'BEGIN { srand(s + 0); printf "%.3f", rand() * max }'
}

BIG="$SUITE_DIR/legacy-big.csv"
ACCOUNTS=800
# 5 products per old account, every model of the catalog in turn; no dates,
# so no model's release year matters
awk -F, -v n_acc=$ACCOUNTS 'BEGIN { print "email,member_number,name,model,serial,purchase_date,purchase_country,dealer" }
	!/^#/ && $1 != "model" { m[n++] = $1 }
	END { for (i = 0; i < n_acc * 5; i++) { a = int(i / 5);
		printf "old%d@example.com,M-%06d,Old %d,%s,%010d,,DK,Foto\n", a, a, a, m[i % n], i } }' \
	assets/catalog.csv >"$BIG"

# The database exists before each kill: the test is about the import, not
# about a file killed while it was being created.
TEMPLATE="$SUITE_DIR/import-template.db"
run "$CPSREG_BIN" --db "$TEMPLATE" status nobody@example.com
if [ -s "$TEMPLATE" ]; then
	ok "a database for the import trials is made"
else
	not_ok "a database for the import trials is made" "exit $RC: $OUT"
fi

# How long one import takes here, so that the kills spread over all of it
# (a figure to aim with, never a pass/fail).
cp "$TEMPLATE" "$SUITE_DIR/import-timed.db"
t0=$(date +%s.%N)
"$CPSREG_BIN" --db "$SUITE_DIR/import-timed.db" import-legacy "$BIG" >/dev/null 2>&1
t1=$(date +%s.%N)
SPAN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1.1 }')
echo "# one import of $ACCOUNTS accounts takes about $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s; kills fall in [0, $SPAN) s"

SHOWN="gen <= coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'legacy_generation'), 0)"
i=0
killed=0
while [ "$i" -lt "$IMPORT_KILLS" ]; do
	i=$((i + 1))
	db="$SUITE_DIR/import-$i.db"
	cp "$TEMPLATE" "$db"
	delay=$(rand_delay "$SPAN")
	"$CPSREG_BIN" --db "$db" import-legacy "$BIG" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	name="import-legacy killed after ${delay} s (trial $i)"
	ic=$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)
	# what readers see: the rows of a published import (an import writes
	# in batches, seen only when it ends; README, "Imports")
	n=$(sqlite3 "$db" "SELECT count(*) FROM legacy_account WHERE $SHOWN" 2>&1)
	p=$(sqlite3 "$db" "SELECT count(*) FROM legacy_product WHERE $SHOWN" 2>&1)
	if [ "$ic" != ok ]; then
		not_ok "$name: integrity_check" "$ic"
		continue
	fi
	case "$n/$p" in
	0/0 | $ACCOUNTS/$((ACCOUNTS * 5))) ok "$name: integrity ok, all or nothing ($n accounts, $p products)" ;;
	*) not_ok "$name: all or nothing" "$n accounts and $p products are left" ;;
	esac
	# the next import drops what the killed one left unpublished
	run "$CPSREG_BIN" --db "$db" import-legacy "$BIG"
	n=$(sqlite3 "$db" 'SELECT count(*) FROM legacy_account' 2>&1)
	p=$(sqlite3 "$db" 'SELECT count(*) FROM legacy_product' 2>&1)
	if [ "$RC" -eq 0 ] && [ "$n" = $ACCOUNTS ] && [ "$p" = $((ACCOUNTS * 5)) ]; then
		ok "$name: the import run again has every account once"
	else
		not_ok "$name: the import run again has every account once" "exit $RC, $n accounts, $p products: $OUT"
	fi
done
echo "# import-legacy: $killed of $IMPORT_KILLS runs were killed while running (the rest had ended)"

finish
