#!/bin/sh
# demo.sh (make demo): the whole pipeline over the bundled export, as an
# analyst would run it the morning after, and the report it gives.
cd "$(dirname "$0")/.." || exit 1
PATH=${CPL_BIN:-$PWD/bin}:$PATH  # CPL_BIN: another build
NOW='2026-11-22 07:00:00'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say "cplclassify examples/cases.csv | cpldeadline --now '$NOW' | cplphrase > classified.csv"
cplclassify examples/cases.csv 2>"$tmp/err1" | cpldeadline --now "$NOW" 2>"$tmp/err2" |
	cplphrase 2>"$tmp/err3" > "$tmp/all.csv"
cat "$tmp/err1" "$tmp/err2" "$tmp/err3" | sed 's/^/  (stderr) /'
printf '  %s records in, %s records out\n' \
	"$(cplreport --by case_id --format csv examples/cases.csv 2>/dev/null | tail -n +2 | wc -l)" \
	"$(cplreport --by case_id --format csv "$tmp/all.csv" 2>/dev/null | tail -n +2 | wc -l)"

say "cplreport --now '$NOW' --day yesterday --lang en classified.csv"
cplreport --now "$NOW" --day yesterday --lang en "$tmp/all.csv" 2>/dev/null

say "cplreport --by category,urgency --lang en classified.csv     # an ad-hoc table"
cplreport --by category,urgency --lang en "$tmp/all.csv" 2>/dev/null

say "grep -e 工单编号 -e GD2026112000032 examples/cases.csv | cplclassify --explain > /dev/null"
grep -e 工单编号 -e GD2026112000032 examples/cases.csv | cplclassify --explain 2>&1 >/dev/null | head -n 12

say "cplphrase --lint examples/cases.csv | head -n 5     # what agents should not have said"
cplphrase --lint examples/cases.csv 2>/dev/null | head -n 5

say "cplphrase --text     # an agent checks a draft"
echo '您搞错了，这不是我们的事，公司的规定就是这样，我没有办法。' | cplphrase --text
echo
echo "The full report as HTML: cplreport --format html -o report.html (see man cplreport)."
exit 0
