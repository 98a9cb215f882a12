#!/bin/sh
# run.sh - runs every test suite (called by 'make check' / 'make test').
#
# Unit suites are cmocka binaries (UNIT_BINS); shell suites are
# tests/cli/test_*.sh, tests/e2e/test_*.sh, tests/stress/test_*.sh (short
# forms; 'make stress' runs the long ones) and tests/fuzz/test_*.sh (the
# replay of the fuzz corpora), which print "ok - ..." and
# "not ok - ..." lines (see tests/lib.sh).  Prints one line per suite, the
# log of every suite that failed, and a closing "N passed, N failed" line.
# Run one suite by hand: ./tests/unit/test_config, or sh tests/cli/test_cli.sh

: "${CPSREG_BIN:=./cpsreg}"
export CPSREG_BIN
export LC_ALL=C.UTF-8
export TESTS_TMP="${TESTS_TMP:-$PWD/tests/tmp}"
rm -rf "$TESTS_TMP"
mkdir -p "$TESTS_TMP"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

total_pass=0
total_fail=0
failed_suites=""

count() { # count PATTERN FILE
	grep -c "$1" "$2" 2>/dev/null || true
}

run_suite() { # run_suite NAME KIND COMMAND...
	name=$1 kind=$2
	shift 2
	log="$TESTS_TMP/$(echo "$name" | tr '/' '_').log"
	"$@" >"$log" 2>&1
	rc=$?
	if [ "$kind" = unit ]; then
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	else
		p=$(count '^ok ' "$log")
		f=$(count '^not ok ' "$log")
	fi
	p=${p:-0}
	f=${f:-0}
	# A suite that died or exited non-zero without a failed test still fails.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "  $name: ran no test" >>"$log"
		f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$f" -ne 0 ]; then
		printf '%-28s %4d passed, %d failed (exit %d)\n' "$name" "$p" "$f" "$rc"
		failed_suites="$failed_suites $log"
	else
		printf '%-28s %4d passed\n' "$name" "$p"
	fi
}

for b in $UNIT_BINS; do
	run_suite "$b" unit "./$b"
done
for s in tests/cli/test_*.sh tests/e2e/test_*.sh tests/stress/test_*.sh tests/fuzz/test_*.sh; do
	[ -f "$s" ] || continue
	run_suite "$s" shell sh "$s"
done

for log in $failed_suites; do
	echo
	echo "----- $log -----"
	cat "$log"
done
echo
echo "tests: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
