#!/bin/sh
# batch-by-region.sh: batch incidents (批量投诉: many customers with the same
# problem in one place within an hour) by region, with plain sort and awk.
#
# usage: batch-by-region.sh EXPORT.csv [MORE.csv...]
# Writes, tab-separated: region, batches, cases, and the batches' problems,
# the region with most cases first.
#
# How: cplclassify links the cases of a batch with one batch_id and names
# their common problem in issue_key (subcategory/region); cplreport --by
# counts the cases of each (region, batch, problem); awk sums by region (the
# three columns are codes and place names, never quoted, so plain -F, is
# safe) and sort ranks.  No Miller or csvkit needed.
set -eu
bin=${CPL_BIN:+$CPL_BIN/}
[ $# -gt 0 ] || { echo "usage: batch-by-region.sh EXPORT.csv..." >&2; exit 2; }

"${bin}cplclassify" "$@" 2>/dev/null |
	"${bin}cplreport" --by region,batch_id,issue_key --format csv --lang en 2>/dev/null |
	awk -F, 'NR > 1 && $2 != "(empty)" {
			cases[$1] += $4; batches[$1]++
			split($3, k, "/"); what[$1] = what[$1] (what[$1] ? "; " : "") k[1] " (" $4 ")"
		}
		END { for (r in cases) printf "%s\t%d\t%d\t%s\n", r, batches[r], cases[r], what[r] }' |
	sort -t "$(printf '\t')" -k3,3nr -k1,1
