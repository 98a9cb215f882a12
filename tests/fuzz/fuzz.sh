#!/bin/sh
# fuzz.sh - runs libFuzzer targets (called by "make fuzz"; the binaries
# must be built).  Usage: sh tests/fuzz/fuzz.sh NAME...
#
# Each target runs FUZZ_SECONDS (default 60) on a scratch copy of its seed
# corpus and of its saved crashes, under tests/tmp/fuzz/<name>/, so what it
# finds never bloats the committed corpus.  A crash, leak, timeout or
# out-of-memory input is minimised (at most FUZZ_MINIMIZE_SECONDS) and
# saved as tests/fuzz/regress/<name>/<kind>-<sha1>, which "make test" then
# replays; the script exits non-zero when any target found one.  One
# summary line per target gives runs, runs per second, coverage and result.

: "${FUZZ_SECONDS:=60}"
: "${FUZZ_MAX_LEN:=8192}"
: "${FUZZ_MINIMIZE_SECONDS:=60}"
export LC_ALL=C.UTF-8
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

top=$PWD
work="$top/tests/tmp/fuzz"
mkdir -p "$work"
found=0
summary=""

stat_of() { # stat_of NAME LOG: a number from -print_final_stats
	sed -n "s/^stat::$1: *\\([0-9]*\\).*/\\1/p" "$2" | tail -n 1
}

for name in "$@"; do
	bin="$top/tests/fuzz/fuzz_$name"
	dir="$work/$name"
	corpus="$dir/corpus"
	art="$dir/artifacts"
	log="$dir/fuzz.log"
	rm -rf "$art" "$dir/tmp"
	mkdir -p "$corpus" "$art" "$dir/tmp"
	for f in "$top/tests/fuzz/corpus/$name"/* "$top/tests/fuzz/regress/$name"/*; do
		[ -f "$f" ] && cp "$f" "$corpus/"
	done
	echo "fuzz: $name for ${FUZZ_SECONDS}s"
	# a private TMPDIR: a target's scratch folder stays inside the tree
	# even when a crash skips its clean-up; stdin is not the terminal
	TMPDIR="$dir/tmp" "$bin" -max_total_time="$FUZZ_SECONDS" \
		-max_len="$FUZZ_MAX_LEN" -timeout=20 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" </dev/null >"$log" 2>&1
	rc=$?
	runs=$(stat_of number_of_executed_units "$log")
	speed=$(stat_of average_exec_per_sec "$log")
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p' "$log" | tail -n 1)
	result=ok
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		kind=$(basename "$a" | sed 's/-.*//')
		min="$dir/minimised"
		rm -f "$min"
		# only a crash can be minimised by libFuzzer; keep the rest whole
		if [ "$kind" = crash ] &&
		   TMPDIR="$dir/tmp" "$bin" -minimize_crash=1 -max_total_time="$FUZZ_MINIMIZE_SECONDS" \
			-runs=100000 -exact_artifact_path="$min" "$a" </dev/null >"$dir/minimise.log" 2>&1 &&
		   [ -s "$min" ]; then
			a=$min
		fi
		sum=$(sha1sum "$a" | cut -c1-40)
		mkdir -p "$top/tests/fuzz/regress/$name"
		cp "$a" "$top/tests/fuzz/regress/$name/$kind-$sum"
		echo "fuzz: $name: saved tests/fuzz/regress/$name/$kind-$sum"
		result="FOUND $kind (tests/fuzz/regress/$name/$kind-$sum)"
		found=$((found + 1))
	done
	if [ "$rc" -ne 0 ] && [ "$result" = ok ]; then
		result="FAILED (exit $rc, see $log)"
		found=$((found + 1))
	fi
	[ "$result" = ok ] || tail -n 40 "$log"
	summary="$summary$(printf '%-10s %9s runs %7s/s  %s  %s' "$name" "${runs:-?}" "${speed:-?}" "${cov:-no coverage line}" "$result")
"
done

echo
echo "fuzz summary (${FUZZ_SECONDS}s per target):"
printf '%s' "$summary"
if [ "$found" -ne 0 ]; then
	echo "fuzz: $found problem(s) found; the inputs are in tests/fuzz/regress/ (make test replays them)"
	exit 1
fi
echo "fuzz: no crash found"
