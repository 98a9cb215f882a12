#!/bin/sh
# test_replay.sh - replays every seed (tests/fuzz/corpus/<name>/) and every
# saved crash (tests/fuzz/regress/<name>/) through its fuzz target, built
# without libFuzzer (tests/fuzz/replay.c).  One result per target: a seed
# or a regression input that crashes, leaks (under SANITIZE=1) or breaks
# a property fails its target, and the log names the input.
#
# "make check" passes the binaries in FUZZ_REPLAY_BINS; by hand, after a
# "make test": sh tests/fuzz/test_replay.sh

. tests/lib.sh

if [ -z "${FUZZ_REPLAY_BINS:-}" ]; then
	FUZZ_REPLAY_BINS=$(ls tests/fuzz/replay_* 2>/dev/null | grep -v -- '-asan$')
fi
[ -n "$FUZZ_REPLAY_BINS" ] || not_ok "fuzz replay" "no replay binaries: run make test"

for bin in $FUZZ_REPLAY_BINS; do
	name=$(basename "$bin" | sed 's/^replay_//; s/-asan$//')
	set -- "tests/fuzz/corpus/$name"
	[ -d "tests/fuzz/regress/$name" ] && set -- "$@" "tests/fuzz/regress/$name"
	mkdir -p "$SUITE_DIR/$name"
	OUT=$(TMPDIR="$SUITE_DIR/$name" "./$bin" "$@" 2>&1)
	RC=$?
	n=$(printf '%s\n' "$OUT" | sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
	if [ "$RC" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		ok "fuzz replay $name: ${n} inputs"
	else
		not_ok "fuzz replay $name" "exit $RC; the last lines:
$(printf '%s\n' "$OUT" | tail -n 25)"
	fi
done
finish
