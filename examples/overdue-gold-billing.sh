#!/bin/sh
# overdue-gold-billing.sh: billing complaints of gold-card customers (and
# above) that missed a deadline: overdue now (not done, past due), or
# breached (done, but after the due time); the most late first.
#
# usage: overdue-gold-billing.sh [-n NOW] EXPORT.csv [MORE.csv...]
#   -n NOW   judge at NOW (default: now)
# Writes CSV: case_id,level,region,subcategory,target,status,due,late_min:
# one row per late target (reply or resolve) of each case.  late_min is how
# late: at NOW for an overdue target, when it was done for a breached one
# (empty when the export writes that time in a shape Miller cannot read).
# Needs Miller (mlr).  "How many breached their deadline" is its row count
# with status breached, or both kinds: | mlr --icsv --opprint count-distinct -f status
#
# How: cplclassify says which cases are billing complaints; cpldeadline gives
# each its due times and whether each is met, breached, at risk or overdue at
# NOW; Miller keeps gold card and above (the levels data/customer-levels.csv
# marks important: 金卡, 白金, 铂金, 钻石, 黑金, 至尊) and reshapes the result.
# Column names are the export's (工单编号, 客户级别, 地市, 首次回复时间,
# 归档时间) or canonical ones.
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
		# a column by its canonical name or its usual header
		func pick(map r, str canon, str alias) {
			return is_present(r[alias]) ? r[alias] : r[canon];
		}
		# seconds of a time written 2026-11-21 01:48[:00] or 2026/11/21 1:48[:00]; an error else
		func secs(t) {
			u = gsub(string(t), "/", "-");
			if (u =~ "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{2}$") {
				u = u . ":00";
			}
			return strptime(u, "%Y-%m-%d %H:%M:%S");
		}
		level = pick($*, "customer_level", "客户级别");
		if ($category == "billing" && string(level) =~ "金卡|白金|铂金|钻石|黑金|至尊") {
			for (t in ["reply", "resolve"]) {
				st = $[t . "_status"];
				if (st == "overdue" || st == "breached") {
					late = "";
					if (st == "overdue") {
						late = -$[t . "_left_min"];
					} else {
						done = t == "reply" ? pick($*, "first_reply_at", "首次回复时间") : pick($*, "closed_at", "归档时间");
						if (is_present(done)) {
							d = secs(done) - secs($[t . "_due"]);
							if (is_numeric(d)) {
								late = int(d / 60);
							}
						}
					}
					emit1 {
						"case_id": pick($*, "case_id", "工单编号"),
						"level": level,
						"region": pick($*, "region", "地市"),
						"subcategory": $subcategory,
						"target": t,
						"status": st,
						"due": $[t . "_due"],
						"late_min": late,
						"_order": late == "" ? -1e18 : late,
					}
				}
			}
		}' \
	then sort -nr _order then cut -x -f _order
