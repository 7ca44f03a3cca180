#!/bin/sh
# overdue-gold-billing.sh: billing complaints of gold-card customers (and
# above) that are overdue now, the most overdue first.
#
# usage: overdue-gold-billing.sh [-n NOW] EXPORT.csv [MORE.csv...]
#   -n NOW   judge "overdue" at NOW (default: now)
# Writes CSV: case_id,level,region,subcategory,target,due,late_min: one row
# per overdue target (reply or resolve) of each case.  Needs Miller (mlr).
#
# How: cplclassify says which cases are billing complaints; cpldeadline gives
# each its due times and whether each is met, at risk or overdue at NOW;
# Miller keeps gold card and above (the levels data/customer-levels.csv marks
# important: 金卡, 白金, 铂金, 钻石, 黑金, 至尊) and reshapes the result.
# Column names are the export's (工单编号, 客户级别, 地市) or canonical ones.
set -eu
bin=${CPL_BIN:+$CPL_BIN/}
now=$(date '+%Y-%m-%d %H:%M:%S')
while getopts n: opt; do
	case $opt in
	n) now=$OPTARG ;;
	*) echo "usage: overdue-gold-billing.sh [-n NOW] EXPORT.csv..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
command -v mlr >/dev/null || { echo "overdue-gold-billing.sh: needs Miller (apt-get install miller)" >&2; exit 2; }

"${bin}cplclassify" "$@" 2>/dev/null | "${bin}cpldeadline" --now "$now" 2>/dev/null |
	mlr --csv put -q '
		func pick(map r, str canon, str alias): str {
			return is_present(r[alias]) ? r[alias] : r[canon];
		}
		level = pick($*, "customer_level", "客户级别");
		if ($category == "billing" && level =~ "金卡|白金|铂金|钻石|黑金|至尊") {
			for (t in ["reply", "resolve"]) {
				if ($[t . "_status"] == "overdue") {
					emit1 {
						"case_id": pick($*, "case_id", "工单编号"),
						"level": level,
						"region": pick($*, "region", "地市"),
						"subcategory": $subcategory,
						"target": t,
						"due": $[t . "_due"],
						"late_min": -$[t . "_left_min"],
					}
				}
			}
		}' \
	then sort -nr late_min
