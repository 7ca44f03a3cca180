#!/bin/sh
# forbidden-this-week.sh: which agents used forbidden phrases (禁言) this week.
#
# usage: forbidden-this-week.sh [-n NOW] EXPORT.csv [MORE.csv...]
#   -n NOW   the time "this week" is relative to (default: now); the week
#            runs from its Monday to NOW's day
# Writes CSV: agent_id,findings,rules (rule ids with their counts, see
# `cplphrase --list-rules` for what each means), the agents with most
# findings first.  Needs Miller (mlr).
#
# How: cplphrase adds phrase_findings (the ids of the rules a reply broke) to
# every record; cplphrase --list-rules says which ids are forbidden; Miller
# splits the findings one a row and keeps the forbidden ones; cplreport --by
# counts them for the week, reading the export's own time column.
set -eu
bin=${CPL_BIN:+$CPL_BIN/}
now=$(date '+%Y-%m-%d %H:%M:%S')
while getopts n: opt; do
	case $opt in
	n) now=$OPTARG ;;
	*) echo "usage: forbidden-this-week.sh [-n NOW] EXPORT.csv..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
command -v mlr >/dev/null || { echo "forbidden-this-week.sh: needs Miller (apt-get install miller)" >&2; exit 2; }
day=$(date -d "$now" +%Y-%m-%d)
monday=$(date -d "$day -$(($(date -d "$day" +%u) - 1)) days" +%Y-%m-%d)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${bin}cplphrase" --list-rules | mlr --csv filter '$kind == "forbidden"' then cut -f id > "$tmp/forbidden.csv"
"${bin}cplphrase" "$@" 2>/dev/null |
	mlr --csv filter '$phrase_errors > 0' \
		then nest --explode --values --across-records -f phrase_findings --nested-fs ';' \
		then join -j phrase_findings -l id -r phrase_findings -f "$tmp/forbidden.csv" |
	"${bin}cplreport" --by agent_id,phrase_findings --from "$monday" --to "$day" --now "$now" --format csv |
	mlr --csv put -q '
		@n[$agent_id] += $count;
		@r[$agent_id] = is_present(@r[$agent_id]) ? @r[$agent_id] . ";" . $phrase_findings . " x" . $count
			: $phrase_findings . " x" . $count;
		end { for (a, n in @n) { emit1 {"agent_id": a, "findings": n, "rules": @r[a]} } }' \
		then sort -nr findings -f agent_id
