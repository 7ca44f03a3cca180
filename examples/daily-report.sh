#!/bin/sh
# daily-report.sh: yesterday's complaint report, for cron.
#
# Runs the whole pipeline (cplclassify | cpldeadline | cplphrase) over an
# export of the ticket system and writes yesterday's report twice, as HTML
# and as text, into DIR as report-YYYY-MM-DD.html and report-YYYY-MM-DD.txt.
# Nothing is half written: both reports are made in a temporary directory
# inside DIR and renamed into place only when every step went well.
#
# usage: daily-report.sh [-o DIR] [-n NOW] [-l zh|en] [-e ENCODING] EXPORT.csv [MORE.csv...]
#   -o DIR       where the reports go (default: the current directory)
#   -n NOW       the time the report is made at (default: now); "yesterday"
#                is the day before NOW, in $TZ (default Asia/Shanghai)
#   -l LANG      labels: zh (default) or en
#   -e ENCODING  the export's encoding (e.g. gb18030), if not UTF-8
# The commands are taken from $CPL_BIN if set, else from $PATH.
#
# Exit status: 0 done; 2 bad usage or configuration; 3 the reports were
# written but some records had problems (stated on stderr); 4 an input or
# output failed; 1 anything else.  With 3, the checked records are kept as
# DIR/checked-YYYY-MM-DD.csv, each with its problems in its cpl_problems
# column; the messages of the steps after the first name that file (its
# lines are the ones the messages give), not the temporary files, and a
# record's messages come together, one a step (with one export).  When a
# step fails, the records it read are kept under the same name, for its
# messages to name.  An empty export file (not even a header) is a failed
# export, exit 4.  Anything on stderr is worth reading, so let cron mail it
# (cron's PATH lacks /usr/local/bin, hence CPL_BIN):
#   MAILTO=complaints-team@example.com
#   0 7 * * * CPL_BIN=/usr/local/bin /srv/cpl/examples/daily-report.sh -o /srv/reports /srv/exports/cases.csv
set -u

prog=daily-report.sh
out=.
now=
lang=zh
encoding=
while getopts o:n:l:e: opt; do
	case $opt in
	o) out=$OPTARG ;;
	n) now=$OPTARG ;;
	l) lang=$OPTARG ;;
	e) encoding=$OPTARG ;;
	*) echo "usage: $prog [-o DIR] [-n NOW] [-l zh|en] [-e ENCODING] EXPORT.csv [MORE.csv...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	echo "$prog: no export given (usage: $prog [-o DIR] [-n NOW] EXPORT.csv)" >&2
	exit 2
fi
first=$1 # the export the messages of a clean run name
for f in "$@"; do
	[ -r "$f" ] || { echo "$prog: cannot read '$f'" >&2; exit 4; }
	# not even a header: the export failed, not a quiet night (a pipe may be empty yet)
	[ -f "$f" ] && [ ! -s "$f" ] && { echo "$prog: '$f' is empty (not even a header): no report written" >&2; exit 4; }
done
[ -d "$out" ] && [ -w "$out" ] || { echo "$prog: '$out' is not a writable directory" >&2; exit 4; }

# cpl and date must agree on what yesterday is: one zone for both.
TZ=${TZ:-Asia/Shanghai}
export TZ
[ -n "$now" ] || now=$(date '+%Y-%m-%d %H:%M:%S')
today=$(date -d "$now" +%F 2>/dev/null) && day=$(date -d "$today - 1 day" +%F) ||
	{ echo "$prog: -n: not a time: '$now'" >&2; exit 2; }

bin=${CPL_BIN:+$CPL_BIN/}
work=$(mktemp -d "$out/.daily-report.XXXXXX") || exit 4
trap 'rm -rf "$work"' EXIT
trap '[ -f "$work/said" ] && say "$first"; exit 1' HUP INT TERM

# Each step reads a file and writes one, so that each one's status is seen
# (a pipe would hide all but the last).  3 (some records had problems) is
# remembered and the run goes on: the reports are still right for the rest.
# The steps' messages are held until the end, when it is known which file
# their FILE:LINE should name: the kept records (checked, or those a failed
# step read), or else the export, for the warnings about its header line.
worst=0
kept="$out/checked-$day.csv"
: > "$work/said"
say() {
	# a record's FILE:LINE in a temporary file is the same line of $1; with
	# one export, each record's messages (one a step) come together, by line
	W="$work/" K="$1" awk '{
		i = index($0, ENVIRON["W"])
		if (i) {
			rest = substr($0, i + length(ENVIRON["W"]))
			if (match(rest, /^[a-z]+\.csv:[0-9]+:/)) {
				at = substr(rest, 1, RLENGTH)
				sub(/^[a-z]+\.csv/, "", at)
				$0 = substr($0, 1, i - 1) ENVIRON["K"] at substr(rest, RLENGTH + 1)
			}
		}
		line = match($0, /:[0-9]+: /) ? substr($0, RSTART + 1, RLENGTH - 3) + 0 : 0
		printf "%d\t%d\t%s\n", line, NR, $0
	}' "$work/said" | { if [ "$nexports" = 1 ]; then sort -t "$tab" -k1,1n -k2,2n; else cat; fi; } | cut -f 3- >&2
}
tab=$(printf '\t')
nexports=$#
step() {
	"$@" 2>> "$work/said"
	s=$?
	case $s in
	0) ;;
	3) worst=3 ;;
	*)
		# the records the failed step read are kept, for its messages to name
		if [ -n "$from" ] && mv -fT "$from" "$kept"; then
			say "$kept"
			echo "$prog: $1 failed (exit $s): no report written; the records it read are in $kept" >&2
		else
			say "$first"
			echo "$prog: $1 failed (exit $s): no report written" >&2
		fi
		exit "$s" ;;
	esac
}
from=
step "${bin}cplclassify" ${encoding:+--encoding "$encoding"} -o "$work/classified.csv" "$@"
from=$work/classified.csv
step "${bin}cpldeadline" --now "$now" -o "$work/deadlined.csv" "$work/classified.csv"
from=$work/deadlined.csv
step "${bin}cplphrase" -o "$work/checked.csv" "$work/deadlined.csv"
from=$work/checked.csv
# one pass over the records, then the two formats from its state
step "${bin}cplreport" --day "$day" --now "$now" --partial -o "$work/state" "$work/checked.csv"
step "${bin}cplreport" --merge --lang "$lang" --now "$now" --format html -o "$work/report.html" "$work/state"
step "${bin}cplreport" --merge --lang "$lang" --now "$now" --format text -o "$work/report.txt" "$work/state"

mv -fT "$work/report.html" "$out/report-$day.html" &&
mv -fT "$work/report.txt" "$out/report-$day.txt" || { say "$first"; echo "$prog: cannot move the reports into '$out'" >&2; exit 4; }
if [ "$worst" = 3 ]; then
	mv -fT "$work/checked.csv" "$kept" || { say "$first"; echo "$prog: cannot keep the checked records as '$kept'" >&2; exit 4; }
	say "$kept"
else
	rm -f "$kept" # an earlier run's, of a day since put right
	say "$first"
fi
exit "$worst"
