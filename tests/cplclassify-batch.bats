#!/usr/bin/env bats
# cplclassify: 批量投诉.  Within any 60 minutes, more than 10 customers (or
# more than 5 VIP customers) with the same issue_key; every case of the burst
# is marked and shares one batch_id; the input need not be sorted by time.
load helper
bats_require_minimum_version 1.5.0

R="$FIX/classify/rules.csv"

# burst N STEP_SECONDS [LEVEL [SAME_CUSTOMER]]: N cases about weak signal in
# 南京, one every STEP seconds from 2026-11-22 10:00:00.
burst() {
	local n=$1 step=$2 level=${3:-普通} same=${4:-}
	echo "case_id,created_at,customer_id,customer_level,region,text"
	for i in $(seq 1 "$n"); do
		local s=$(( (i - 1) * step ))
		local cust=$((13800000000 + i))
		[ -n "$same" ] && cust=13800000000
		printf 'C%02d,2026-11-22 %02d:%02d:%02d,%s,%s,南京,家里信号差\n' "$i" $((10 + s / 3600)) $(( s % 3600 / 60 )) $(( s % 60 )) "$cust" "$level"
	done
}

batch_ids() { cplclassify --rules "$R" "$@" | mlr --icsv --onidx cut -f batch_id | sort | uniq -c | sed 's/^ *//'; }

@test "11 ordinary customers within 60 minutes are a batch, all 11 with one batch_id" {
	burst 11 300 > c.csv
	run batch_ids c.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" =~ ^11\ B20261122100000-[0-9a-f]{8}$ ]] || fails "got: $output"
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv urgent_types | sort -u)" = "batch" ]
	[ "$(col out.csv priority | sort -u)" = "3" ]
}

@test "10 ordinary customers are not a batch" {
	burst 10 300 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	[ "$(col out.csv urgency | sort -u)" = "normal" ]
}

@test "6 VIP customers within 60 minutes are a batch, 5 are not" {
	burst 6 600 金卡 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv batch_id | sort -u | wc -l)" -eq 1 ]
	[ -n "$(col out.csv batch_id | head -1)" ]
	[ "$(col out.csv urgent_types | sort -u)" = "batch;important_customer" ]
	burst 5 600 金卡 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
}

@test "the VIP levels come from the level table" {
	burst 6 600 铜牌 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	printf 'id,pattern,important,vip\ncopper,铜牌,0,1\n' > levels.csv
	cplclassify --rules "$R" --levels levels.csv c.csv > out.csv
	[ "$(col out.csv urgent_types | sort -u)" = "batch" ]
}

@test "a burst spread over exactly 60 minutes is not a batch; 1 second less is" {
	burst 11 360 > c.csv # 10:00:00 ... 11:00:00
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	burst 11 359 > c.csv # 10:00:00 ... 10:59:50
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv batch_id | grep -c .)" -eq 11 ]
}

@test "the same customer calling 12 times is not a batch" {
	burst 12 60 普通 same > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	[ "$(col out.csv urgency | sort -u)" = "normal" ]
}

@test "the input need not be sorted by time: shuffled gives the same answer, in input order" {
	burst 11 300 > c.csv
	{ head -1 c.csv; tail -n +2 c.csv | sort -r; } > shuffled.csv
	cplclassify --rules "$R" c.csv | mlr --icsv --ocsv sort -f case_id > a.csv
	cplclassify --rules "$R" shuffled.csv > b-raw.csv
	[ "$(col b-raw.csv case_id | head -1)" = "C11" ]
	mlr --icsv --ocsv sort -f case_id b-raw.csv > b.csv
	cmp a.csv b.csv
}

@test "other customers with other problems, or in other regions, do not count" {
	{
		burst 10 300
		echo "X1,2026-11-22 10:30:00,13900000001,普通,南京,营业员态度差"
		echo "X2,2026-11-22 10:31:00,13900000002,普通,苏州,家里信号差"
	} > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	# with the issue key made of subcategory alone, 苏州's case joins the burst
	cplclassify --rules "$R" --issue-key subcategory c.csv > out.csv
	[ "$(col out.csv batch_id | grep -c .)" -eq 11 ]
	[ "$(mlr --icsv --onidx filter '$case_id=="X2"' then cut -f issue_key out.csv)" = "network.coverage" ]
}

@test "--issue-key: a column the input lacks is said, a header that is not a name is refused" {
	burst 1 0 > c.csv
	run --separate-stderr cplclassify --rules "$R" --issue-key category,regoin c.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "cplclassify: --issue-key: the input has no 'regoin' column: that part of every issue_key is empty" ] || fails "$stderr"
	run --separate-stderr cplclassify --rules "$R" --issue-key category,region c.csv
	[ -z "$stderr" ]
	run cplclassify --rules "$R" --issue-key category,地市 c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -qF -- "--issue-key: '地市' is not a column name like subcategory or region (a header is given a name with --map, as in --map region=地市)"
}

@test "issue_key is subcategory/region by default" {
	burst 1 0 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv issue_key)" = "network.coverage/南京" ]
}

@test "overlapping windows are one burst; bursts hours apart get different ids" {
	{
		burst 11 300
		burst 11 300 | tail -n +2 | sed 's/^C/D/; s/ 10:/ 15:/; s/ 11:/ 16:/'
	} > c.csv
	# cases after the first burst's first hour: their windows still share
	# cases with it, so they keep its id
	for i in $(seq 1 5); do echo "E$i,2026-11-22 11:0$i:00,1370000000$i,普通,南京,信号差"; done >> c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv batch_id | sort -u | wc -l)" -eq 2 ]
	[ "$(mlr --icsv --onidx filter '$case_id=~"^[CE]"' then cut -f batch_id out.csv | sort -u | wc -l)" -eq 1 ]
	[ "$(mlr --icsv --onidx filter '$case_id=~"^D"' then cut -f batch_id out.csv | sort -u)" != "$(mlr --icsv --onidx filter '$case_id=="C01"' then cut -f batch_id out.csv)" ]
}

@test "--batch-window, --batch-ordinary and --batch-vip change the thresholds" {
	burst 4 120 > c.csv
	cplclassify --rules "$R" --batch-ordinary 3 c.csv > out.csv
	[ "$(col out.csv batch_id | grep -c .)" -eq 4 ]
	cplclassify --rules "$R" --batch-ordinary 3 --batch-window 5m c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	burst 2 60 金卡 > c.csv
	cplclassify --rules "$R" --batch-vip 1 c.csv > out.csv
	[ "$(col out.csv batch_id | grep -c .)" -eq 2 ]
	run cplclassify --batch-window 3mo c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q -- "--batch-window: expected a duration"
	run cplclassify --batch-ordinary many c.csv
	[ "$status" -eq 2 ]
}

@test "an unparsable created_at is stated, the record kept, and it takes no part" {
	burst 11 300 > c.csv
	sed -i 's/2026-11-22 10:50:00/2026-11-22 25:61/' c.csv
	run --separate-stderr cplclassify --rules "$R" c.csv
	[ "$status" -eq 3 ]
	echo "$stderr" | grep -q "^cplclassify: c.csv:12: created_at '2026-11-22 25:61' is not a time"
	echo "$output" > out.csv
	[ "$(count_records out.csv)" -eq 11 ]
	[ -z "$(col out.csv batch_id | sort -u)" ]
	mlr --icsv --onidx filter '$case_id=="C11"' then cut -f cpl_problems out.csv | grep -q "created_at"
}

@test "cases without a customer number count as customers of their own" {
	burst 11 300 | sed 's/,1380000[0-9]*,/,,/' > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv batch_id | grep -c .)" -eq 11 ]
}

@test "cases with no category (other) never make a batch" {
	burst 11 300 | sed 's/家里信号差/你好/' > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
}
