#!/bin/sh
# test_shop.sh - a shop's staff share one database, each as their own Unix
# user (README, "Running a shop"): with general.group the data folder
# becomes the group's (2770), the database and its -wal/-shm 0660, the
# configuration holding the staff PIN may be 640 for that group, and the
# audit names the Unix user who acted.  It makes a group and two users, so
# it runs only as root; elsewhere it says it skipped.
. tests/lib.sh

if [ "$(id -u)" -ne 0 ]; then
	ok "# SKIP shared shop: making a group and users needs root"
	finish
fi
for tool in groupadd useradd userdel groupdel setpriv sqlite3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		ok "# SKIP shared shop: $tool is not installed"
		finish
	fi
done

grp="cpsshop$$"
ua="${grp}a"
ub="${grp}b"
uc="${grp}c"
cleanup() {
	for u in "$ua" "$ub" "$uc"; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$grp" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
groupadd "$grp" || { not_ok "groupadd $grp"; finish; }
for u in "$ua" "$ub"; do
	useradd -M -N -g "$grp" -s /usr/sbin/nologin "$u" || { not_ok "useradd $u"; finish; }
done
# a user outside the group
useradd -M -N -s /usr/sbin/nologin "$uc" || { not_ok "useradd $uc"; finish; }

# every folder above the shop must be passable for the staff users
chmod 755 "$SUITE_DIR" "$HOME"
etc="$SUITE_DIR/etc"
srv="$SUITE_DIR/srv"
mkdir -p "$etc" "$srv"
chown "$ua" "$srv"
chmod 755 "$etc" "$srv"
data="$srv/cpsreg"
db="$data/cpsreg.db"
cat >"$etc/cps.ini" <<EOF
[general]
data_dir = $data
group = $grp
[kiosk]
staff_pin_hash = \$y\$j9T\$0123456789abcdef\$0123456789abcdefghijklmnopqrstuvwxyzABCDE
EOF

# as_user USER COMMAND...: runs COMMAND as USER with the groups of USER
as_user() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid="$(id -g "$_u")" --init-groups "$@"
}
cps_as() {
	_u=$1
	shift
	as_user "$_u" "$CPSREG_BIN" --config "$etc/cps.ini" "$@"
}
mode_of() { stat -c '%a %G' "$1"; }

# --- the configuration --------------------------------------------------------
chmod 600 "$etc/cps.ini"
expect_exit 3 "a private configuration cannot be read by a second staff member" cps_as "$ub" messages
chgrp "$grp" "$etc/cps.ini"
chmod 644 "$etc/cps.ini"
expect_exit 3 "a staff PIN everybody can read is refused" cps_as "$ua" messages
contains "it says how to share it with the group" "chmod 640"
chmod 640 "$etc/cps.ini"
expect_exit 3 "a user outside the group cannot read it" cps_as "$uc" messages

# --- the database ---------------------------------------------------------------
expect_exit 0 "the first staff member starts the shop's database" cps_as "$ua" messages
run mode_of "$data"
[ "$OUT" = "2770 $grp" ] && ok "the data folder is the group's, 2770" || not_ok "the data folder is the group's, 2770" "$OUT"
run mode_of "$db"
[ "$OUT" = "660 $grp" ] && ok "the database is 660 for the group" || not_ok "the database is 660 for the group" "$OUT"
# an application waiting, put in place as the wizard would leave it
now=$(date +%s)
as_user "$ua" sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('anna@example.dk', 'Foto Anna ApS', 'DK', 'Vestergade 1', '1456', 'København K',
	 'Anna', 'Hansen', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-01', $now, $now);" ||
	not_ok "the application is in place"

# The first staff member keeps a connection open (as a console left open
# would), so the -wal and -shm files stay while the second one writes.
fifo="$SUITE_DIR/held"
mkfifo "$fifo"
chmod 666 "$fifo"
as_user "$ua" sqlite3 "$db" <"$fifo" >/dev/null 2>&1 &
held=$!
exec 3>"$fifo"
echo "SELECT count(*) FROM account;" >&3
i=0
while [ ! -e "$db-shm" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
for side in wal shm; do
	run mode_of "$db-$side"
	[ "$OUT" = "660 $grp" ] && ok "the -$side file is 660 for the group" ||
		not_ok "the -$side file is 660 for the group" "$OUT"
done
expect_exit 0 "a second staff member writes to the same database" cps_as "$ub" approve anna@example.dk
exec 3>&-
wait "$held"
expect_exit 0 "the first sees what the second did" cps_as "$ua" audit anna@example.dk
contains "the audit names the second staff member's Unix user" "$ub"
expect_exit 0 "the second hands the message over" cps_as "$ub" handed-over 1
expect_exit 4 "a user outside the group cannot open the database" \
	as_user "$uc" "$CPSREG_BIN" --db "$db" messages
contains "the refusal names the database" "$db"

# --- a database made private before the shop was shared ----------------------
old="$srv/old"
mkdir "$old"
chown "$ua" "$old"
expect_exit 0 "a private database is made by its owner" \
	as_user "$ua" "$CPSREG_BIN" --db "$old/cpsreg.db" messages
run mode_of "$old/cpsreg.db"
case $OUT in 600*) ok "outside a shop the database stays 600" ;; *) not_ok "outside a shop the database stays 600" "$OUT" ;; esac
chgrp "$grp" "$old"
chmod 2770 "$old"
# a set-group-ID folder alone is not a shop: without general.group the
# customers' data stays private to its owner
expect_exit 0 "its owner opens it without general.group" \
	as_user "$ua" "$CPSREG_BIN" --db "$old/cpsreg.db" messages
run mode_of "$old/cpsreg.db"
case $OUT in 600*) ok "a set-group-ID folder without general.group keeps it 600" ;;
*) not_ok "a set-group-ID folder without general.group keeps it 600" "$OUT" ;; esac
expect_exit 4 "another staff member cannot open it yet" \
	as_user "$ub" "$CPSREG_BIN" --set general.group="$grp" --db "$old/cpsreg.db" messages
contains "the refusal says what its owner runs" "chmod 660"
expect_exit 0 "its owner opens it once with general.group" \
	as_user "$ua" "$CPSREG_BIN" --set general.group="$grp" --db "$old/cpsreg.db" messages
run mode_of "$old/cpsreg.db"
case $OUT in "660 $grp") ok "then it is the group's, 660" ;; *) not_ok "then it is the group's, 660" "$OUT" ;; esac
expect_exit 0 "then the other staff member can" \
	as_user "$ub" "$CPSREG_BIN" --set general.group="$grp" --db "$old/cpsreg.db" messages

finish
