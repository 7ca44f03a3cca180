#!/usr/bin/env bats
# cplclassify: 重复投诉.  The same customer and subcategory again, within 3
# calendar months after an earlier case of theirs was closed; repeat_of names
# that case; earlier cases come from the input and from --history.
load helper
bats_require_minimum_version 1.5.0

R="$FIX/classify/rules.csv"
H="case_id,created_at,customer_id,region,text,closed_at,status"

# two CLOSED_AT [STATUS] [LATER_CREATED]: an earlier weak-signal case closed
# at CLOSED_AT, and a later one of the same customer received 2026-11-22 10:00.
two() {
	echo "$H"
	echo "E1,2026-07-01 09:00:00,13800138000,南京,家里信号差,$1,${2:-已归档}"
	echo "L1,${3:-2026-11-22 10:00:00},13800138000,南京,家里还是没信号,,处理中"
}

repeat_of() { cplclassify --rules "$R" "$@" | mlr --icsv --onidx filter '$case_id=="L1"' then cut -f repeat_of; }

@test "closed just inside 3 calendar months before: a repeat naming the earlier case" {
	two "2026-08-22 10:00:01" > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(mlr --icsv --onidx filter '$case_id=="L1"' then cut -f urgent_types,priority out.csv)" = "repeat 7" ]
	[ "$(mlr --icsv --onidx filter '$case_id=="E1"' then cut -o -f repeat_of,urgency out.csv)" = " normal" ]
}

@test "closed exactly 3 months before is still inside; one second more is outside" {
	two "2026-08-22 10:00:00" > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
	two "2026-08-22 09:59:59" > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "calendar months: 05-31 minus three months is 02-28" {
	two "2026-02-28 12:00:00" 已归档 "2026-05-31 12:00:00" | sed 's/2026-07-01 09:00:00/2026-02-01 09:00:00/' > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
	two "2026-02-28 11:59:59" 已归档 "2026-05-31 12:00:00" | sed 's/2026-07-01 09:00:00/2026-02-01 09:00:00/' > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "an earlier case still open is not a repeat" {
	two "" 处理中 > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "an earlier case closed only after the new one came in is not a repeat" {
	two "2026-11-22 10:00:01" > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "a closed status without closed_at counts as closed when it was received" {
	two "" 已归档 "2026-09-30 10:00:00" > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
	two "" closed "2026-10-01 09:00:00" > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
	two "" 待客户确认 "2026-09-30 10:00:00" > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "another subcategory or another customer is not a repeat" {
	two "2026-09-01 10:00:00" | sed 's/家里还是没信号/营业员态度差/' > c.csv
	[ -z "$(repeat_of c.csv)" ]
	two "2026-09-01 10:00:00" | sed '3s/13800138000/13900139000/' > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "the same customer written differently is the same customer" {
	two "2026-09-01 10:00:00" | sed '3s/13800138000/"+86 138-0013-8000"/' > c.csv
	[ "$(repeat_of c.csv)" = "E1" ]
}

@test "the latest closed earlier case is named; the input need not be sorted" {
	{
		echo "$H"
		echo "L1,2026-11-22 10:00:00,13800138000,南京,家里还是没信号,,处理中"
		echo "E2,2026-10-01 09:00:00,13800138000,南京,信号差,2026-10-05 09:00:00,已归档"
		echo "E1,2026-09-01 09:00:00,13800138000,南京,信号差,2026-09-03 09:00:00,已归档"
	} > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv repeat_of | tr '\n' ' ')" = "E2 E1  " ]
}

@test "a repeat found only through --history" {
	two "2026-09-01 10:00:00" > all.csv
	{ head -1 all.csv; sed -n 3p all.csv; } > today.csv
	{ head -1 all.csv; sed -n 2p all.csv; } > earlier.csv
	[ -z "$(repeat_of today.csv)" ]
	[ "$(repeat_of --history earlier.csv today.csv)" = "E1" ]
	cplclassify --rules "$R" --history earlier.csv today.csv > out.csv
	[ "$(count_records out.csv)" -eq 1 ]
}

@test "--history reads an earlier cplclassify output by its subcategory column" {
	two "2026-09-01 10:00:00" > all.csv
	{ head -1 all.csv; sed -n 2p all.csv; } > earlier.csv
	cplclassify --rules "$R" earlier.csv > earlier-out.csv
	# the earlier text no longer says what it was about: its subcategory does
	mlr --icsv --ocsv put '$text = "见附件"' earlier-out.csv > earlier-classified.csv
	{ head -1 all.csv; sed -n 3p all.csv; } > today.csv
	[ "$(repeat_of --history earlier-classified.csv today.csv)" = "E1" ]
}

@test "--history is repeatable and accepts Chinese headers" {
	printf '工单编号,受理时间,客户号码,投诉内容,归档时间\nH1,2026-10-01 09:00,13800138000,信号差,2026-10-02 09:00\n' > h1.csv
	printf '工单编号,受理时间,客户号码,投诉内容,归档时间\nH2,2026-10-11 09:00,13800138000,信号差,2026-10-12 09:00\n' > h2.csv
	printf '%s\nL1,2026-11-22 10:00:00,13800138000,南京,没信号,,\n' "$H" > today.csv
	[ "$(repeat_of --history h1.csv --history h2.csv today.csv)" = "H2" ]
}

@test "a history file that cannot show repeats is refused" {
	printf 'a,b\n1,2\n' > h.csv
	printf '%s\n' "$H" > today.csv
	run cplclassify --rules "$R" --history h.csv today.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "h.csv:1: --history: no customer_id"
	run cplclassify --rules "$R" --history /nonexistent.csv today.csv
	[ "$status" -eq 4 ]
}

@test "--repeat-window takes months or days" {
	two "2026-10-01 10:00:00" > c.csv
	[ "$(repeat_of --repeat-window 2mo c.csv)" = "E1" ]
	[ -z "$(repeat_of --repeat-window 1mo c.csv)" ]
	[ "$(repeat_of --repeat-window 52d c.csv)" = "E1" ]
	[ -z "$(repeat_of --repeat-window 51d c.csv)" ]
	run cplclassify --repeat-window soon c.csv
	[ "$status" -eq 2 ]
}

@test "a case without a customer number is never a repeat" {
	two "2026-09-01 10:00:00" | sed 's/13800138000//' > c.csv
	[ -z "$(repeat_of c.csv)" ]
}

@test "repeats among 30,000 customers: the names of earlier cases are kept past the first write buffer" {
	# 60,000 cases, 30,000 of them closed earlier ones whose names (26 bytes
	# each, 780 KB in all) must come back for repeat_of
	awk -v H="$H" 'BEGIN {
		print H
		for (i = 0; i < 30000; i++) {
			c = sprintf("138%08d", i)
			printf "EARLY-CASE-%015d,2026-07-01 09:00:00,%s,南京,家里信号差,2026-08-30 10:00:00,已归档\n", i, c
			printf "LATER-CASE-%015d,2026-11-22 10:00:00,%s,南京,家里还是没信号,,处理中\n", i, c
		}
	}' > big.csv
	cplclassify --rules "$R" big.csv > out.csv
	[ "$(mlr --icsv --onidx filter '$case_id =~ "^LATER" && sub($case_id, "LATER", "EARLY") == $repeat_of' then count out.csv)" = 30000 ]
	[ "$(mlr --icsv --onidx filter '$case_id =~ "^EARLY" && $repeat_of != ""' then count out.csv)" = 0 ]
}
