#!/bin/sh
# run_stress.sh - what 'make stress' runs: the long forms of the crash,
# concurrency and damage suites (STRESS_LONG=1), then every unit test under
# valgrind (VALGRIND: the command with --error-exitcode, so a memory error
# or a definite leak fails the suite).  Prints one line per suite, the logs
# of the failed ones, and "stress: N passed, N failed".  Figures (trials,
# operations, seconds) are printed for the record, never judged.

: "${CPSREG_BIN:=./cpsreg}"
export CPSREG_BIN STRESS_DRIVER
export LC_ALL=C.UTF-8
export STRESS_LONG=1
export TESTS_TMP="${TESTS_TMP:-$PWD/tests/tmp}"
[ -n "${STRESS_SEED:-}" ] && export STRESS_SEED
mkdir -p "$TESTS_TMP"

pass=0
fail=0
failed_logs=""

suite() { # suite NAME KIND COMMAND...
	name=$1 kind=$2
	shift 2
	log="$TESTS_TMP/stress_$(echo "$name" | tr '/ ' '__').log"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	if [ "$kind" = shell ]; then
		p=$(grep -c '^ok ' "$log")
		f=$(grep -c '^not ok ' "$log")
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	elif [ "$rc" -eq 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	printf '%-40s %5d passed, %d failed, %4d s\n' "$name" "$p" "$f" "$secs"
	grep -E '^# (crash trials|import-legacy|operations|kill trials|rows=|[a-z ]+: [0-9]+ write points)' "$log" | sed 's/^/    /'
	[ "$f" -ne 0 ] && failed_logs="$failed_logs $log"
}

start=$(date +%s)
for s in tests/stress/test_crash.sh tests/stress/test_concurrency.sh tests/stress/test_damage.sh \
	tests/stress/test_sync_faults.sh; do
	suite "$s" shell sh "$s"
done

# valgrind: 0 errors, 0 definite leaks
: "${VALGRIND:=valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite}"
if command -v valgrind >/dev/null 2>&1; then
	for b in $UNIT_BINS; do
		# shellcheck disable=SC2086 # VALGRIND is a command with options
		suite "valgrind $b" unit $VALGRIND "./$b"
	done
else
	echo "valgrind is not installed (make deps-stress installs it)"
	fail=$((fail + 1))
fi

for log in $failed_logs; do
	echo
	echo "----- $log -----"
	cat "$log"
done
echo
echo "stress: $pass passed, $fail failed, $(($(date +%s) - start)) s"
[ "$fail" -eq 0 ]
