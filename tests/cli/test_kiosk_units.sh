#!/bin/sh
# test_kiosk_units.sh - the kiosk's deployment examples in assets/kiosk/:
# systemd reads the unit and the getty drop-in without a complaint, and
# they keep the promises the README makes (restart on exit, no shell for
# the kiosk user).  systemd-analyze verify runs only where systemd is.
. tests/lib.sh

unit=assets/kiosk/cpsreg-kiosk.service
dropin=assets/kiosk/getty@tty1.service.d/autologin.conf

grep -q '^Restart=always' "$unit" && ok "the unit restarts the kiosk whenever it ends" ||
	not_ok "the unit restarts the kiosk whenever it ends" "no Restart=always"
grep -q '^Restart=always' "$dropin" && ok "the getty drop-in starts over whenever the kiosk ends" ||
	not_ok "the getty drop-in starts over whenever the kiosk ends" "no Restart=always"
grep -q '^ExecStart=/usr/local/bin/cpsreg ' "$unit" && ok "the unit runs cpsreg itself, not a shell" ||
	not_ok "the unit runs cpsreg itself, not a shell" "$(grep ^ExecStart "$unit")"
grep -q -- '--autologin kiosk' "$dropin" && grep -q -- '--shell /usr/local/bin/cpsreg kiosk' "$dropin" &&
	ok "the drop-in logs in a user whose shell is cpsreg" ||
	not_ok "the drop-in logs in a user whose shell is cpsreg" "see $dropin"
grep -q 'ExecStart=$' "$dropin" && ok "the drop-in clears getty's ExecStart first" ||
	not_ok "the drop-in clears getty's ExecStart first" "no empty ExecStart="

if ! command -v systemd-analyze >/dev/null 2>&1; then
	ok "# SKIP systemd-analyze verify: systemd is not installed here"
	finish
fi

dir="$SUITE_DIR/units"
rm -rf "$dir"
mkdir -p "$dir"
# verify needs the program to exist: the one just built stands in for the
# installed one
bin=$(cd "$(dirname "$CPSREG_BIN")" && pwd)/$(basename "$CPSREG_BIN")
sed "s|/usr/local/bin/cpsreg|$bin|" "$unit" >"$dir/cpsreg-kiosk.service"
out=$(systemd-analyze verify --man=no "$dir/cpsreg-kiosk.service" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ -z "$out" ] && ok "systemd-analyze verify: the unit" ||
	not_ok "systemd-analyze verify: the unit" "exit $rc: $out"

if [ -e /lib/systemd/system/getty@.service ] || [ -e /usr/lib/systemd/system/getty@.service ]; then
	cp -r "$(dirname "$dropin")" "$dir/"
	out=$(SYSTEMD_UNIT_PATH="$dir:" systemd-analyze verify --man=no getty@tty1.service 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && [ -z "$out" ] && ok "systemd-analyze verify: getty with the drop-in" ||
		not_ok "systemd-analyze verify: getty with the drop-in" "exit $rc: $out"
	# the check can fail: a broken line in the drop-in is reported
	printf 'ExecStart=relative/agetty\n' >>"$dir/getty@tty1.service.d/autologin.conf"
	out=$(SYSTEMD_UNIT_PATH="$dir:" systemd-analyze verify --man=no getty@tty1.service 2>&1)
	[ -n "$out" ] && ok "systemd-analyze verify reads the drop-in (a broken line is reported)" ||
		not_ok "systemd-analyze verify reads the drop-in (a broken line is reported)" "no complaint"
else
	ok "# SKIP systemd-analyze verify of the getty drop-in: no getty@.service here"
fi
finish
