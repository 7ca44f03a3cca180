#!/bin/sh
# run.sh (make bench): speed and memory of every command, side by side with
# the floor (the record layer alone, and plain libcsv) and with the peers an
# analyst would use instead (Miller, Python csv + re).
#   N=1000000 cases (default), RUNS=3 rounds, each running every row once
#   (the median of a row's runs is quoted).
#   PEER_N=20000: the peers are slow (Miller takes minutes on 100k cases), so
#   they run on a log of PEER_N cases and are compared in records per second.
set -eu
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-3}
NOW='2026-12-01 09:00:00'
O=bench/out
mkdir -p $O
sh tools/deps.sh bench
CC=${CC:-cc}
$CC -O2 -o bench/gencases bench/gencases.c
$CC -O2 -D_GNU_SOURCE -Ilib -o bench/floor bench/floor.c lib/libcpl.a -lcsv -lpcre2-8
$CC -O2 -o bench/floor-libcsv bench/floor-libcsv.c -lcsv

gen() { # gen FILE ARGS...: a log of N cases, made once per N
	f=$1; shift
	if [ ! -s "$f" ] || [ "$(cat "$f.n" 2>/dev/null)" != "$N" ]; then
		bench/gencases -n "$N" -s 1 "$@" > "$f"
		echo "$N" > "$f.n"
	fi
}
gen $O/simp.csv
gen $O/trad.csv --traditional
PEER_N=${PEER_N:-20000}
[ "$PEER_N" -le "$N" ] || PEER_N=$N
bench/gencases -n "$PEER_N" -s 1 > $O/peer.csv
Q=$((N / 4))
if [ ! -s $O/quarter.csv ] || [ "$(cat $O/quarter.csv.n 2>/dev/null)" != "$N" ]; then
	bench/gencases -n "$Q" -s 1 > $O/quarter.csv
	echo "$N" > $O/quarter.csv.n
fi
# the later stages read what the earlier ones wrote, as in the pipeline
bin/cplclassify $O/simp.csv > $O/classified.csv 2>/dev/null || true
bin/cpldeadline --now "$NOW" $O/classified.csv > $O/deadlined.csv 2>/dev/null || true
bin/cplphrase $O/deadlined.csv > $O/phrased.csv 2>/dev/null || true
python3 bench/mkpeers.py data/categories.csv $O

MB=$(awk -v b="$(wc -c < $O/simp.csv)" 'BEGIN { printf "%.1f", b / 1048576 }')
printf 'input: %s cases, %s MB (bench/gencases -n %s -s 1), %s rounds, the median of each row\n' "$N" "$MB" "$N" "$RUNS"
printf 'machine: %s, %s cores, %s\n\n' "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# The rows are measured in rounds: each round runs every row once, and a
# row's figures are the median of its RUNS rounds (wall and CPU: user +
# system) and the largest peak RSS.  On a shared machine a burst of noise
# then falls on one round of every row, not on all the runs of one row, and
# the median leaves it out.
# measure NAME INPUT CMD...: one run of a row, appended to $O/times
measure() {
	name=$1; input=$2; shift 2
	/usr/bin/time -f '%e %M %U %S' -o $O/t1 "$@" < "$input" > /dev/null 2>$O/err || true
	echo "$name $(tail -n 1 $O/t1)" >> $O/times
}

# scale-out: a log of 4N cases (the pipeline's output, four times), made once
if [ ! -s $O/big.csv ] || [ "$(cat $O/big.csv.n 2>/dev/null)" != "$N" ]; then
	{ cat $O/phrased.csv; for i in 1 2 3; do tail -n +2 $O/phrased.csv; done; } > $O/big.csv
	echo "$N" > $O/big.csv.n
fi

round() {
	measure floor-libcsv $O/simp.csv bench/floor-libcsv
	measure floor $O/simp.csv bench/floor
	measure cplclassify $O/simp.csv bin/cplclassify
	measure cplclassify-1thread $O/simp.csv env CPL_THREADS=1 bin/cplclassify
	measure cplclassify-trad $O/trad.csv bin/cplclassify
	# its temporary file (the records kept for the second pass, about the size of
	# the input) in memory rather than on the disk /tmp is on: not a target, the
	# share of the time that goes to the file system
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		measure cplclassify-tmpfs $O/simp.csv env TMPDIR=/dev/shm bin/cplclassify
	fi
	# each later stage reads a wider file: its floor is the record layer on that file
	measure floor-classified $O/classified.csv bench/floor
	measure floor-deadlined $O/deadlined.csv bench/floor
	measure floor-phrased $O/phrased.csv bench/floor
	measure cpldeadline $O/classified.csv bin/cpldeadline --now "$NOW"
	measure cplphrase $O/deadlined.csv bin/cplphrase
	measure cplreport $O/phrased.csv bin/cplreport --now "$NOW"
	measure pipeline $O/simp.csv sh -c "bin/cplclassify | bin/cpldeadline --now '$NOW' | bin/cplphrase | bin/cplreport --now '$NOW'"
	measure python-peer $O/peer.csv python3 $O/peer.py
	measure miller-peer $O/peer.csv mlr --icsv --ocsv put -f $O/peer.mlr
	measure cplclassify-peer $O/peer.csv bin/cplclassify
	measure floor-quarter $O/quarter.csv bench/floor
	measure cplclassify-quarter $O/quarter.csv bin/cplclassify

	# scale-out: the report of the 4N cases made by one process and by GNU
	# parallel over both cores with --partial/--merge.  Records start with the
	# case id (GD20...), so --recstart keeps a quoted field with line breaks
	# inside one part.
	measure report-1-process $O/big.csv bin/cplreport --now "$NOW" --format json
	measure report-parallel $O/big.csv sh -c "parallel --pipepart -a $O/big.csv --header : --recstart GD20 --recend '\n' --block -8 \
		bin/cplreport --now \"'$NOW'\" --partial | bin/cplreport --merge --now '$NOW' --format json"
}
: > $O/times
r=0
while [ $r -lt "$RUNS" ]; do
	round
	r=$((r + 1))
done
# per row, in the order measured: median seconds, largest RSS, median CPU,
# fastest and slowest seconds
awk '
function sorted(list, v,   n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
	return n
}
function median(list,   v, n) { n = sorted(list, v); return v[int((n + 1) / 2)] }
function spread(list,   v, n) { n = sorted(list, v); return v[1] " " v[n] }
{
	if (!($1 in sec)) order[++rows] = $1
	sec[$1] = sec[$1] " " $2
	cpu[$1] = cpu[$1] " " ($4 + $5)
	if ($3 > rss[$1]) rss[$1] = $3
}
END {
	for (i = 1; i <= rows; i++) {
		k = order[i]
		printf "%s %s %.0f %s %s\n", k, median(sec[k]), rss[k] / 1024, median(cpu[k]), spread(sec[k])
	}
}' $O/times > $O/results
# the two reports of the scale-out must be the same
bin/cplreport --now "$NOW" --format json $O/big.csv > $O/big-single.json 2>/dev/null || true
parallel --pipepart -a $O/big.csv --header : --recstart GD20 --recend '\n' --block -8 \
	bin/cplreport --now "\"$NOW\"" --partial 2>/dev/null | bin/cplreport --merge --now "$NOW" --format json > $O/big-merged.json
if cmp -s $O/big-single.json $O/big-merged.json; then same=identical; else same=DIFFERENT; fi
awk -v n="$N" -v pn="$PEER_N" -v mb="$MB" -v cores="$(nproc)" -v same="$same" '
{ sec[$1] = $2; rss[$1] = $3; cpu[$1] = $4; fast[$1] = $5; runs[$1] = $5 "-" $6; order[NR] = $1 }
END {
	printf "%-22s %9s %12s %7s %12s %8s %9s %9s\n", "what", "seconds", "rounds", "cpu s", "records/s", "MB/s", "peak RSS", "x floor"
	for (i = 1; i <= NR; i++) {
		k = order[i]
		if (k ~ /quarter|report-|floor-[cdp]/) continue
		s = sec[k] > 0 ? sec[k] : 0.001
		if (k ~ /peer/)
			printf "%-22s %9.2f %12s %7.2f %12.0f %8s %7s MB %9s  (%d cases)\n", k, sec[k], runs[k], cpu[k], pn / s, "-", rss[k], "-", pn
		else
			printf "%-22s %9.2f %12s %7.2f %12.0f %8.1f %7s MB %9.2f\n", k, sec[k], runs[k], cpu[k], n / s, mb / s, rss[k], sec[k] / sec["floor"]
	}
	# each time ratio from the medians (the verdict) and from the fastest
	# runs (what noise on a shared host cannot add to)
	printf "\ntargets (this run):                     median  fastest\n"
	t("floor", "floor-libcsv", 1.2, "record layer floor / plain libcsv")
	t("cplclassify", "floor", 1.5, "cplclassify / floor")
	t("cplclassify-1thread", "floor", 1.5, "cplclassify, one thread / floor")
	t("cpldeadline", "floor-classified", 1.3, "cpldeadline / floor on its input")
	t("cplphrase", "floor-deadlined", 1.5, "cplphrase / floor on its input")
	t("cplreport", "floor-phrased", 1.0, "cplreport / floor on its input")
	slow = "cplclassify"; split("cpldeadline cplphrase cplreport", st, " ")
	for (j in st) if (sec[st[j]] > sec[slow]) slow = st[j]
	t("pipeline", slow, 1.5, "pipeline / slowest stage")
	t("cplclassify-trad", "cplclassify", 1.3, "traditional / simplified input")
	g("python-peer", "cplclassify-peer", 10, "python peer time / cplclassify time")
	g("miller-peer", "cplclassify-peer", 20, "miller peer time / cplclassify time")
	r(rss["cplclassify"] / rss["cplclassify-quarter"], 1.1, "cplclassify RSS, 4x input")
	r(rss["floor"] / rss["floor-quarter"], 1.1, "floor RSS, 4x input")
	printf "\nscale-out, %d cases: one process %.2f s (%s), parallel --partial/--merge on %d cores %.2f s (%s): %.2fx faster (fastest runs: %.2fx), reports %s\n",
		4 * n, sec["report-1-process"], runs["report-1-process"], cores, sec["report-parallel"], runs["report-parallel"],
		sec["report-1-process"] / sec["report-parallel"], fast["report-1-process"] / fast["report-parallel"], same
}
# a target: the ratio v (and vf from the fastest runs, "" for none) against
# lim, at most (op "<=") or at least (">=")
function target(what, v, vf, op, lim,   ok) {
	ok = op == "<=" ? v <= lim : v >= lim
	printf "  %-36s %7.2f %8s  (%s %.1f) %s\n", what, v, vf == "" ? "" : sprintf("%.2f", vf), op, lim, ok ? "met" : "MISSED"
}
function t(a, b, lim, what) { target(what, sec[a] / sec[b], fast[a] / fast[b], "<=", lim) }
function g(a, b, lim, what) { target(what, sec[a] / sec[b], fast[a] / fast[b], ">=", lim) }
function r(v, lim, what) { target(what, v, "", "<=", lim) }
' $O/results | tee $O/table.txt
