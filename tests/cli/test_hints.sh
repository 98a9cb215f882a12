#!/bin/sh
# test_hints.sh - every hint a screen gives for a field or a button is read
# on the message line, one row of 78 columns at 80x24: in English each one
# must fit (test_msgfit holds the translations of a one-line text to one
# line).  The hints are found in the sources of ui/ as the last _("...")
# argument of wform_add() and the helpers that pass a hint on to it
# (app_password_field, add_field, add_button, staff_list), and of the
# snprintf() of a widget's hint, with the C string pieces joined.
. tests/lib.sh

command -v python3 >/dev/null 2>&1 || { not_ok "python3 is installed" "make test installs it"; finish; }

python3 - ui <<'PY' >"$SUITE_DIR/hints.txt"
import glob, re, sys

def inside(src, open_at):
    """The text between the parenthesis at open_at and its match."""
    depth, i, quoted = 0, open_at, False
    while i < len(src):
        c = src[i]
        if quoted:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return src[open_at + 1:i]
        i += 1
    return ''

def strings(arg):
    """The literal of _("a" "b"), joined and unescaped; None if not one."""
    m = re.match(r'^\s*_\((.*)\)\s*$', arg, re.S)
    if not m:
        return None
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
    raw = ''.join(parts)
    return raw.encode().decode('unicode_escape').encode('latin-1').decode('utf-8')

def top_args(text):
    out, depth, cur, quoted, i = [], 0, '', False, 0
    while i < len(text):
        c = text[i]
        cur += c
        if quoted:
            if c == '\\':
                cur += text[i + 1]
                i += 2
                continue
            if c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c in '([':
            depth += 1
        elif c in ')]':
            depth -= 1
        elif c == ',' and depth == 0:
            out.append(cur[:-1])
            cur = ''
        i += 1
    out.append(cur)
    return out

calls = r'\b(wform_add|app_password_field|add_field|add_button|staff_list|snprintf)\s*\('
for path in sorted(glob.glob(sys.argv[1] + '/**/*.c', recursive=True)):
    src = open(path, encoding='utf-8').read()
    for m in re.finditer(calls, src):
        args = top_args(inside(src, m.end() - 1))
        if m.group(1) == 'snprintf' and 'hint' not in args[0]:
            continue
        t = strings(args[-1])
        if t is not None:
            print('%s\t%d\t%s' % (path, len(t), t))
PY

n=$(wc -l <"$SUITE_DIR/hints.txt")
[ "$n" -gt 80 ] && ok "the hints are found in ui/ ($n)" || not_ok "the hints are found in ui/" "only $n"
for f in $(cut -f1 "$SUITE_DIR/hints.txt" | sort -u); do
	long=$(awk -F '\t' -v f="$f" '$1 == f && $2 > 78 { print $2 " columns: " $3 }' "$SUITE_DIR/hints.txt")
	[ -z "$long" ] && ok "$f: every hint fits one line of 78 columns" ||
		not_ok "$f: every hint fits one line of 78 columns" "$long"
done
finish
