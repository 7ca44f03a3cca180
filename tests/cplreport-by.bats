#!/usr/bin/env bats
# --by COL,...: an ad-hoc count table over any columns, in any format.
load helper
load cplreport-helper

@test "--by agent_id,category counts every pair, most cases first, like Miller does" {
	gen_cases 500 > cases.csv
	cplreport --by agent_id,category -f csv cases.csv > got.csv
	# the header is for scripts: the same in either language
	[ "$(head -n 1 got.csv)" = agent_id,category,count ]
	[ "$(cplreport --by agent_id,category -f csv --lang zh cases.csv | head -n 1)" = agent_id,category,count ]
	[ "$(cplreport --by agent_id,category -f csv --lang en cases.csv | head -n 1)" = agent_id,category,count ]
	tail -n +2 got.csv | sort > got
	mlr --icsv --ocsv --headerless-csv-output count -g agent_id,category cases.csv | sort > want
	diff want got
	# ordered by count, then by the values
	tail -n +2 got.csv | awk -F, 'NR > 1 && ($3 > prev || ($3 == prev && $1 "," $2 < key)) { bad = 1 } { prev = $3; key = $1 "," $2 } END { exit bad }'
}

@test "--by finds columns by canonical name, alias, or the header as it is" {
	printf '工单编号,受理时间,处理工号,处理部门\nA,2026-11-21 09:00,1001,网络部\nB,2026-11-21 10:00,1001,计费中心\nC,2026-11-21 11:00,1002,网络部\n' > zh.csv
	cplreport --by agent_id -f csv zh.csv > a.csv
	grep -q '^1001,2$' a.csv
	cplreport --by 处理工号 -f csv zh.csv > b.csv
	tail -n +2 a.csv | cmp - <(tail -n +2 b.csv)
	cplreport --by department,agent_id -f csv zh.csv | grep -q '^网络部,1001,1$'
}

@test "--by honours the period and counts the skipped cases" {
	cplreport --day 2026-11-21 --by category -f json "$RFIX/cases.csv" 2>/dev/null > r.json || [ $? -eq 3 ]
	flat r.json
	is rows.1.category network
	is rows.1.count 6
	is groups 7
	is rest 0
	is records.skipped 10
	is by.1 category
}

@test "--by shows every group unless --top is given, and then sums the rest" {
	gen_cases 300 > cases.csv
	local groups
	groups=$(mlr --icsv --onidx count-distinct -f agent_id then count cases.csv)
	[ "$(cplreport --by agent_id -f csv cases.csv | tail -n +2 | wc -l)" = "$groups" ]
	cplreport --by agent_id -f csv --top 5 cases.csv > top.csv
	[ "$(tail -n +2 top.csv | wc -l)" = 6 ]
	cplreport --by agent_id -f json --top 5 cases.csv > r.json
	flat r.json
	is groups "$groups"
	is rest "$(( $(count_records cases.csv) - $(head -n 6 top.csv | tail -n +2 | awk -F, '{ s += $2 } END { print s }') ))"
	# the CSV's last row is the rest, as the JSON's rest and the text's note say
	[ "$(tail -n 1 top.csv)" = "_rest,$(val rest)" ]
	# every case is in some row
	[ "$(tail -n +2 top.csv | awk -F, '{ s += $2 } END { print s }')" = "$(count_records cases.csv)" ]
	cplreport --by agent_id --top 5 --lang en cases.csv | grep -Eq "^  $((groups - 5)) more: [0-9]+$"
}

@test "--by in every format" {
	local f
	for f in text md html json csv; do
		cplreport --day 2026-11-21 --by region,channel -f "$f" "$RFIX/cases.csv" > out.$f 2>/dev/null || [ $? -eq 3 ]
		grep -q 南京 out.$f || fails "--format $f: no 南京"
	done
	grep -Eq '^  南京  +10086热线 +4$' out.text
	grep -q '^| 南京 | 10086热线 | 4 |$' out.md
	grep -q '<td>南京</td><td>10086热线</td><td class="n">4</td>' out.html
	grep -q '^南京,10086热线,4$' out.csv
}

@test "--by a column the input lacks is a usage error naming it" {
	run cplreport --by agent_id,nosuch "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "no 'nosuch' column"
	run cplreport --by , "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
}

@test "--by counts groups whose values are long, among many short ones, exactly" {
	# keys are copied into 64 KB blocks; a long one gets a block of its own
	# and the blocks being filled must stay intact around it
	awk 'BEGIN {
		for (k = 0; k < 9000; k++) long = long "长"
		print "case_id,created_at,department"
		for (i = 1; i <= 6000; i++) {
			d = (i % 1000 == 0) ? long i % 3 : "部门" i % 2500
			printf "C%d,2026-11-21 09:00,%s\n", i, d
		}
	}' > long.csv
	cplreport --by department -f csv long.csv > got.csv
	tail -n +2 got.csv | sort > got
	mlr --icsv --ocsv --headerless-csv-output count -g department long.csv | sort > want
	diff want got
	[ "$(wc -l < got)" = 2503 ]
}
