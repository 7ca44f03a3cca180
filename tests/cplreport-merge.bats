#!/usr/bin/env bats
# --partial and --merge: any split of the input, partialled and merged, in
# any order, gives the single run's report byte for byte, in every format;
# states that do not belong together are refused; memory stays flat.
load helper
load cplreport-helper

FORMATS="text md html json csv"

# same_as_single FLAGS...: for every format, the report merged from the
# states part*.state equals the single run over whole.csv
same_as_single() {
	local f
	for f in $FORMATS; do
		cplreport "$@" -f "$f" whole.csv > single.$f 2>/dev/null || [ $? -eq 3 ]
		cplreport --merge "$@" -f "$f" part*.state > merged.$f
		cmp single.$f merged.$f || fails "--format $f: the merged report differs"
	done
}

# split_lines N FILE: FILE cut into parts of N records, each with the header
split_parts() {
	rm -f part*
	tail -n +2 "$2" | split -l "$1" - part
	for p in part*; do
		{ head -n 1 "$2"; cat "$p"; } > "$p.csv"
		cplreport $PFLAGS --partial "$p.csv" > "$p.state" 2>/dev/null || [ $? -eq 3 ]
	done
}

@test "merge: one record a part gives the single report, in every format" {
	cp "$RFIX/cases.csv" whole.csv
	PFLAGS="--day 2026-11-21"
	split_parts 1 whole.csv
	[ "$(ls part*.state | wc -l)" = 26 ]
	same_as_single --day 2026-11-21
}

@test "merge: uneven parts, and the states in reverse order" {
	gen_cases 400 > whole.csv
	PFLAGS="--day 2026-11-21 --cases 5"
	split_parts 37 whole.csv
	same_as_single --day 2026-11-21 --cases 5
	cplreport --merge -f json $(ls -r part*.state) > reversed.json
	cmp single.json reversed.json
}

@test "merge: records sorted differently give the same report (ties of created_at, batches across parts)" {
	gen_cases 500 > whole.csv
	{ head -n 1 whole.csv; tail -n +2 whole.csv | sort -t, -k2,2 -k1,1r; } > sorted.csv
	PFLAGS="--from 2026-11-20 --to 2026-11-21 --cases 7"
	split_parts 61 sorted.csv
	same_as_single --from 2026-11-20 --to 2026-11-21 --cases 7
}

@test "merge: GNU parallel --pipe -N 3 over a generated file, states concatenated in one stream" {
	command -v parallel >/dev/null || skip "no GNU parallel"
	gen_cases 90 > whole.csv
	parallel --will-cite --pipe --header : -N 3 cplreport --day 2026-11-21 --cases 4 --partial < whole.csv > states 2>/dev/null
	[ "$(grep -c '^cplreport-state,' states)" = 30 ]
	local f
	for f in $FORMATS; do
		cplreport --day 2026-11-21 --cases 4 -f "$f" whole.csv > single.$f 2>/dev/null || [ $? -eq 3 ]
		cplreport --merge -f "$f" states > merged.$f
		cmp single.$f merged.$f || fails "--format $f differs"
	done
	# and from standard input
	cplreport --merge -f json < states | cmp - single.json
}

@test "merge: GNU parallel with several jobs over a larger file, --by too" {
	command -v parallel >/dev/null || skip "no GNU parallel"
	gen_cases 6000 > whole.csv
	parallel --will-cite --pipe --header : -N 700 -j 4 cplreport --partial < whole.csv > states 2>/dev/null
	cplreport -f json whole.csv > single.json 2>/dev/null || [ $? -eq 3 ]
	cplreport --merge -f json states | cmp - single.json
	parallel --will-cite --pipe --header : -N 700 -j 4 cplreport --by agent_id,category --partial < whole.csv > bystates 2>/dev/null
	cplreport --by agent_id,category -f csv whole.csv > single.csv
	cplreport --merge -f csv bystates | cmp - single.csv
}

@test "merge: a merge of merged states is the same again (--merge --partial)" {
	gen_cases 300 > whole.csv
	PFLAGS="--day 2026-11-20"
	split_parts 40 whole.csv
	cplreport --merge --partial partaa.state partab.state partac.state > left.state
	cplreport --merge --partial partad.state partae.state partaf.state partag.state partah.state > right.state
	cplreport --day 2026-11-20 -f json whole.csv > single.json 2>/dev/null || [ $? -eq 3 ]
	cplreport --merge -f json right.state left.state | cmp - single.json
}

@test "merge: a state remembers its time zone, so the merge shows the same days" {
	cp "$RFIX/cases.csv" whole.csv
	cplreport --tz UTC --day 2026-11-21 --partial whole.csv > utc.state 2>/dev/null || [ $? -eq 3 ]
	cplreport --tz UTC --day 2026-11-21 -f json whole.csv > single.json 2>/dev/null || [ $? -eq 3 ]
	cplreport --merge -f json utc.state | cmp - single.json
	cplreport --day 2026-11-21 --partial whole.csv > sh.state 2>/dev/null || [ $? -eq 3 ]
	run cplreport --merge utc.state sh.state
	[ "$status" -eq 2 ]
}

@test "merge: the case lists keep the oldest --cases, and count them all" {
	gen_cases 800 > whole.csv
	cplreport --day 2026-11-21 --cases 3 -f json whole.csv > r.json 2>/dev/null || [ $? -eq 3 ]
	flat r.json
	mlr --icsv --ocsv filter '$created_at =~ "^2026-11-21" && ($reply_status == "overdue" || $resolve_status == "overdue")' whole.csv > over.csv
	is sla.overdue_cases.total "$(count_records over.csv)"
	is sla.cases_limit 3
	[ "$(grep -c '^sla\.overdue_cases\.listed\.[0-9]*\.case_id' flat.txt)" = 3 ]
	mlr --icsv --onidx sort -f created_at,case_id then head -n 3 then cut -f case_id over.csv > want
	grep -P '^sla\.overdue_cases\.listed\.\d+\.case_id\t' flat.txt | awk -F'\t+' '{ print $2 }' > got
	diff want got
	cplreport --day 2026-11-21 --cases 3 --lang en whole.csv 2>/dev/null | grep -q "^  $(count_records over.csv) in all; the oldest 3 listed (limit --cases 3)$"
}

@test "merge: states of other periods, --by or --cases are refused, and so are contradicting options" {
	gen_cases 50 > whole.csv
	cplreport --day 2026-11-21 --partial whole.csv > a.state 2>/dev/null
	cplreport --day 2026-11-20 --partial whole.csv > b.state 2>/dev/null
	cplreport --day 2026-11-21 --cases 3 --partial whole.csv > c.state 2>/dev/null
	cplreport --day 2026-11-21 --by region --partial whole.csv > d.state 2>/dev/null
	run cplreport --merge a.state b.state
	[ "$status" -eq 2 ]
	echo "$output" | grep -q '^cplreport: b.state:1: this state was counted for another period than the first state$'
	run cplreport --merge a.state c.state
	[ "$status" -eq 2 ]
	run cplreport --merge a.state d.state
	[ "$status" -eq 2 ]
	run cplreport --merge --day 2026-11-20 a.state
	[ "$status" -eq 2 ]
	run cplreport --merge --day 2026-11-21 a.state
	[ "$status" -eq 0 ]
	printf 'case_id,created_at\nX,2026-11-21 10:00\n' > other.csv
	cplreport --day 2026-11-21 --partial other.csv > e.state 2>/dev/null
	run cplreport --merge a.state e.state
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'other columns'
}

@test "merge: a state cut short, or a file that is no state, is refused with its line" {
	gen_cases 50 > whole.csv
	cplreport --partial whole.csv > a.state 2>/dev/null || true
	head -n 20 a.state > cut.state
	run cplreport --merge cut.state
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'cut short'
	{ head -n 20 a.state; cat a.state; } > cut2.state
	run cplreport --merge cut2.state
	[ "$status" -eq 2 ]
	echo "$output" | grep -q '^cplreport: cut2.state:21: the state before this line is cut short'
	run cplreport --merge whole.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q '^cplreport: whole.csv:1: not a cplreport state'
	local n
	n=$(grep -n '^M,totals,' a.state | cut -d: -f1)
	sed "${n}s/,[0-9]*\$/,x/" a.state > bad.state
	run cplreport --merge bad.state
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.state:$n: not a cplreport state: 'x' is not a number"
	run cplreport --merge /nonexistent.state
	[ "$status" -eq 4 ]
}

@test "memory grows with the groups, not with the records" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	gen_cases 20000 > small.csv
	{ cat small.csv; for i in 1 2 3 4 5 6 7 8 9; do tail -n +2 small.csv; done; } > big.csv
	/usr/bin/time -f %M cplreport --day 2026-11-21 -f json small.csv 2> small.rss > /dev/null || true
	/usr/bin/time -f %M cplreport --day 2026-11-21 -f json big.csv 2> big.rss > /dev/null || true
	local a b
	a=$(tail -n 1 small.rss) b=$(tail -n 1 big.rss)
	echo "max RSS: 20000 records ${a} kB, 200000 records ${b} kB"
	[ "$b" -lt $((a + 2048)) ] || fails "10 times the records took ${b} kB against ${a} kB"
}
