# lib.sh - helpers for the shell test suites (sourced, POSIX sh).
#
#   ok NAME / not_ok NAME DETAIL     record a result
#   check NAME COMMAND...            ok if COMMAND exits 0
#   expect_exit N NAME COMMAND...    ok if COMMAND exits with N (output in $OUT)
#   contains NAME TEXT               ok if $OUT contains TEXT
#   need_tools TOOL...               a failure and the end unless every TOOL is installed
#   finish                           prints the count; exit status = failures
#
# Every suite works in its own folder under $TESTS_TMP and never touches the
# user's configuration: HOME and XDG_* point inside it.

: "${CPSREG_BIN:=./cpsreg}"
case $CPSREG_BIN in /*) ;; *) CPSREG_BIN="$PWD/$CPSREG_BIN" ;; esac
: "${TESTS_TMP:=$PWD/tests/tmp}"
SUITE_DIR="$TESTS_TMP/$(basename "$0" .sh).$$"
rm -rf "$SUITE_DIR"
mkdir -p "$SUITE_DIR/home"
export HOME="$SUITE_DIR/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
unset CPSREG_CONFIG
for v in $(env | sed -n 's/^\(CPSREG_[A-Z_]*\)=.*/\1/p'); do
	[ "$v" = CPSREG_BIN ] || unset "$v"
done

_pass=0
_fail=0
OUT=""
RC=0

ok() { _pass=$((_pass + 1)); echo "ok - $1"; }
not_ok() {
	_fail=$((_fail + 1))
	echo "not ok - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'
	return 0
}
run() { OUT=$("$@" 2>&1); RC=$?; }
# run sets OUT and RC and itself always returns 0: check looks at RC
check() { _n=$1; shift; run "$@"; if [ "$RC" -eq 0 ]; then ok "$_n"; else not_ok "$_n" "exit $RC: $OUT"; fi; }
expect_exit() {
	_want=$1 _n=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$_want" ]; then ok "$_n"; else not_ok "$_n" "wanted exit $_want, got $RC: $OUT"; fi
}
contains() {
	case $OUT in
	*"$2"*) ok "$1" ;;
	*) not_ok "$1" "output lacks '$2': $OUT" ;;
	esac
}
lacks() {
	case $OUT in
	*"$2"*) not_ok "$1" "output has '$2': $OUT" ;;
	*) ok "$1" ;;
	esac
}
finish() {
	echo "# passed $_pass failed $_fail"
	[ "$_fail" -eq 0 ]
	exit $?
}
# a suite that needs a tool fails (it does not skip) when make deps-test
# has not installed it
need_tools() {
	for _tool in "$@"; do
		if ! command -v "$_tool" >/dev/null 2>&1; then
			not_ok "$_tool is installed (make deps-test installs it)"
			finish
		fi
	done
}
