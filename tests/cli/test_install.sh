#!/bin/sh
# test_install.sh - "make install" and "make uninstall" with PREFIX and
# DESTDIR, a parallel build from a clean copy of the tree, and "make clean".
# Works on a copy so the tree under test keeps its own build.
. tests/lib.sh

src="$SUITE_DIR/src"
root="$SUITE_DIR/root"
mkdir -p "$src"
# the tracked sources only, as a fresh clone would have them
if git ls-files >/dev/null 2>&1 && [ -n "$(git ls-files Makefile)" ]; then
	git ls-files -z | xargs -0 -I{} cp --parents {} "$src"/
	# files not committed yet still belong to the tree under test
	git ls-files -z --others --exclude-standard | xargs -0 -r -I{} cp --parents {} "$src"/
else
	cp -r Makefile src include ui assets cps.ini.example "$src"/
	rm -rf "$src/assets/locale"
fi

check "a parallel build from a clean tree succeeds" make -C "$src" -j4 all
expect_exit 0 "make install with PREFIX and DESTDIR succeeds" \
	make -C "$src" install PREFIX=/usr DESTDIR="$root"
for f in usr/bin/cpsreg usr/share/man/man1/cpsreg.1 usr/share/cpsreg/cps.ini.example \
	usr/share/locale/nb/LC_MESSAGES/cpsreg.mo usr/share/locale/da/LC_MESSAGES/cpsreg.mo; do
	[ -f "$root/$f" ] && ok "installed $f" || not_ok "installed $f"
done
for f in "$src"/assets/*.csv; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	[ -f "$root/usr/share/cpsreg/$b" ] && ok "installed asset $b" || not_ok "installed asset $b"
done
[ -x "$root/usr/bin/cpsreg" ] && ok "the installed program is executable" || not_ok "executable"

# the installed binary is not in a source tree: it uses the install paths
run "$root/usr/bin/cpsreg" --check-config
contains "the installed program looks for assets under PREFIX" "general.assets_dir           = /usr/share/cpsreg "
contains "the installed program keeps its data under XDG_DATA_HOME" "general.data_dir             = $XDG_DATA_HOME/cpsreg "

expect_exit 0 "make uninstall succeeds" make -C "$src" uninstall PREFIX=/usr DESTDIR="$root"
left=$(find "$root" -type f | wc -l)
[ "$left" -eq 0 ] && ok "uninstall removes every installed file" || not_ok "uninstall leaves files" "$(find "$root" -type f)"

check "make clean succeeds" make -C "$src" clean
left=$(find "$src" -name '*.o' -o \( -name '*.d' -type f \) -o -name '*.a' -o -name '*.mo' -o -name cpsreg -type f | wc -l)
[ "$left" -eq 0 ] && ok "make clean removes the build output" || not_ok "make clean leaves files" \
	"$(find "$src" -name '*.o' -o -name '*.d' -o -name '*.a' -o -name '*.mo')"

finish
