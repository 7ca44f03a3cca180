#!/bin/sh
# excel-roundtrip.sh: from an export saved by Excel (GB18030, CRLF, as
# Chinese Windows writes "CSV") to a report, and back to CSV files that Excel
# opens with the Chinese intact.
#
# usage: excel-roundtrip.sh [-n NOW] [-e ENCODING] [-o DIR] EXPORT.csv
#   -n NOW       judge deadlines and "yesterday" at NOW (default: now)
#   -e ENCODING  the export's encoding (default gb18030; utf-8 for a UTF-8 one)
#   -o DIR       where the files go (default: the current directory)
# Writes into DIR:
#   cases-classified.csv  every record with the columns cpl adds, for Excel
#                         (UTF-8 with a byte order mark, CRLF line ends)
#   by-category.csv       cases by category and urgency, for Excel
#   report.html           the report of the whole export, with charts
# Records with problems (a broken time, a ragged row) are kept and stated on
# stderr; the exit status is then 3, as the commands'.
set -u
bin=${CPL_BIN:+$CPL_BIN/}
now=$(date '+%Y-%m-%d %H:%M:%S')
enc=gb18030
out=.
while getopts n:e:o: opt; do
	case $opt in
	n) now=$OPTARG ;;
	e) enc=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: excel-roundtrip.sh [-n NOW] [-e ENCODING] [-o DIR] EXPORT.csv" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: excel-roundtrip.sh [-n NOW] [-e ENCODING] [-o DIR] EXPORT.csv" >&2; exit 2; }

# Only the first command decodes; the pipe between them is UTF-8 CSV; the
# last writes for Excel.  Each stage's status is noted on fd 3: the records go
# to a temporary file, renamed into place only when no stage failed.
tmp=$out/.cases-classified.$$
trap 'rm -f "$tmp" "$tmp.status"' EXIT
{ { "${bin}cplclassify" --encoding "$enc" "$1"; echo "cplclassify $?" >&3; } |
	{ "${bin}cpldeadline" --now "$now"; echo "cpldeadline $?" >&3; } |
	{ "${bin}cplphrase" --excel -o "$tmp"; echo "cplphrase $?" >&3; }; } 3>"$tmp.status"
status=0
while read -r cmd st; do
	case $st in
	0) ;;
	3) status=3 ;;   # records with problems: kept, and stated on stderr
	*) echo "excel-roundtrip.sh: $cmd failed (status $st)" >&2; exit "$st" ;;
	esac
done < "$tmp.status"
mv -f "$tmp" "$out/cases-classified.csv"

# cplreport reads its own --excel output back (the byte order mark is skipped)
"${bin}cplreport" --now "$now" --format html -o "$out/report.html" "$out/cases-classified.csv" 2>/dev/null
r=$?; [ $r = 0 ] || [ $r = 3 ] || exit $r
"${bin}cplreport" --now "$now" --by category,urgency --format csv --excel \
	-o "$out/by-category.csv" "$out/cases-classified.csv" 2>/dev/null
r=$?; [ $r = 0 ] || [ $r = 3 ] || exit $r
exit $status
