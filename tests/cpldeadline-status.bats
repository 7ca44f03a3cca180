#!/usr/bin/env bats
# cpldeadline: met, breached, open, at_risk, overdue; minutes left; pending
# time; bad timestamps; re-runs.
load helper
bats_require_minimum_version 1.5.0

D="$FIX/deadline"

# A 24h reply / 48h resolve policy, cases received 2026-11-20 10:00.
setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nday,,,,,,,24h,48h\n' > p.csv
}

# status_at NOW FIRST_REPLY CLOSED [FLAG...]: reply_status,reply_left_min,resolve_status,resolve_left_min
status_at() {
	local now=$1 replied=$2 closed=$3
	shift 3
	printf 'case_id,created_at,first_reply_at,closed_at\n1,2026-11-20 10:00:00,%s,%s\n' "$replied" "$closed" > c.csv
	cpldeadline --policy p.csv --now "$now" "$@" c.csv > out.csv
	mlr --icsv --ocsv --headerless-csv-output cut -o -f reply_status,reply_left_min,resolve_status,resolve_left_min out.csv
}

@test "met: done by the due time; the minutes left are empty once done" {
	[ "$(status_at '2026-11-25 00:00' '2026-11-21 10:00:00' '2026-11-22 09:59:59')" = "met,,met," ]
	[ "$(sed -n 2p out.csv)" = "1,2026-11-20 10:00:00,2026-11-21 10:00:00,2026-11-22 09:59:59,day,2026-11-21 10:00:00,2026-11-22 10:00:00,met,met,,," ]
}

@test "breached: done after the due time" {
	[ "$(status_at '2026-11-25 00:00' '2026-11-21 10:00:01' '2026-11-23 10:00:00')" = "breached,,breached," ]
}

@test "open: not done and little of the time used" {
	[ "$(status_at '2026-11-20 12:00' '' '')" = "open,1320,open,2760" ]
}

@test "at_risk: not done and more than 80% of the time used" {
	# 19h12m is exactly 80% of 24h: not yet at risk; one second more is
	[ "$(status_at '2026-11-21 05:12:00' '' '')" = "open,288,open,1728" ]
	[ "$(status_at '2026-11-21 05:12:01' '' '')" = "at_risk,287,open,1727" ]
	# --at-risk sets the share
	[ "$(status_at '2026-11-21 05:12:01' '' '' --at-risk 0.9)" = "open,287,open,1727" ]
	[ "$(status_at '2026-11-20 12:00' '' '' --at-risk 0)" = "at_risk,1320,at_risk,2760" ]
}

@test "at_risk for working days and business hours counts their own time: a holiday uses none of it" {
	# received after hours on the last working day before National Day 2026: 8bh is due Thu 10-08 17:00
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nbiz,,,,,,,8bh,5wd\n' > b.csv
	printf 'case_id,created_at\n1,2026-09-30 18:01\n' > c.csv
	st() { cpldeadline --policy b.csv --now "$1" c.csv | mlr --icsv --onidx --ofs , cut -o -f reply_due,reply_status,resolve_status; }
	# 10-07, the holiday's last day: 97% of the clock time used, none of the business hours
	[ "$(st '2026-10-07 12:00')" = "2026-10-08 17:00:00,open,open" ]
	# 10-08 15:00: 6 of the 8 business hours (75%); 15:25, past 80%
	[ "$(st '2026-10-08 15:00')" = "2026-10-08 17:00:00,open,open" ]
	[ "$(st '2026-10-08 15:25')" = "2026-10-08 17:00:00,at_risk,open" ]
	# 5wd is due Tue 10-13 18:00 (45 business hours); at_risk past 36 of them: Tue 10-13 09:00 is 36 exactly
	[ "$(st '2026-10-13 09:00')" = "2026-10-08 17:00:00,overdue,open" ]
	[ "$(st '2026-10-13 09:01')" = "2026-10-08 17:00:00,overdue,at_risk" ]
	# the clock's 24h and 48h are unchanged: 80% of 24h from 18:01 is 13:13 the next day
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nday,,,,,,,24h,48h\n' > b.csv
	[ "$(st '2026-10-01 13:13')" = "2026-10-01 18:01:00,open,open" ]
	[ "$(st '2026-10-01 13:14')" = "2026-10-01 18:01:00,at_risk,open" ]
}

@test "overdue: not done and past due; the minutes left are negative" {
	[ "$(status_at '2026-11-21 10:00:00' '' '')" = "at_risk,0,open,1440" ]
	[ "$(status_at '2026-11-21 10:00:30' '' '')" = "overdue,-1,open,1439" ]
	[ "$(status_at '2026-11-22 12:00:00' '' '')" = "overdue,-1560,overdue,-120" ]
	# replied late, still open
	[ "$(status_at '2026-11-22 12:00:00' '2026-11-21 11:00:00' '')" = "breached,,overdue,-120" ]
}

@test "--now takes the library's time shapes and refuses nonsense" {
	[ "$(status_at '2026年11月20日 12时00分' '' '')" = "open,1320,open,2760" ]
	run cpldeadline --now yesterday c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "^cpldeadline: --now: cannot read 'yesterday' as a time"
	run cpldeadline --at-risk 1.5 c.csv
	[ "$status" -eq 2 ]
}

@test "paused_min moves the due times by the time the case waited on the customer" {
	printf 'case_id,created_at,挂起时长\n1,2026-11-20 10:00:00,90\n2,2026-11-20 10:00:00,\n3,2026-11-20 10:00:00,abc\n' > c.csv
	run --separate-stderr cpldeadline --policy p.csv --now '2026-11-20 12:00' c.csv
	[ "$status" -eq 3 ]
	echo "$output" > out.csv
	[ "$(col out.csv reply_due | tr '\n' ' ')" = "2026-11-21 11:30:00 2026-11-21 10:00:00 2026-11-21 10:00:00 " ]
	[ "$stderr" = "cpldeadline: c.csv:4: 挂起时长 'abc': expected minutes, a number of 0 or more; taken as 0" ]
}

@test "a time that cannot be read is a record problem; the other records are untouched" {
	printf 'case_id,created_at,first_reply_at,closed_at\n1,昨天,,\n2,,,\n3,2026-11-20 10:00,下午,\n4,2026-11-20 10:00,,\n' > c.csv
	run --separate-stderr cpldeadline --policy p.csv --now '2026-11-20 12:00' c.csv
	[ "$status" -eq 3 ]
	echo "$output" > out.csv
	[ "$(count_records out.csv)" -eq 4 ]
	echo "$stderr" | grep -q "^cpldeadline: c.csv:2: created_at: cannot read '昨天' as a time: no due times$"
	echo "$stderr" | grep -q "^cpldeadline: c.csv:3: created_at is empty: no due times$"
	echo "$stderr" | grep -q "^cpldeadline: c.csv:4: first_reply_at: cannot read '下午' as a time, so the reply status is unknown$"
	[ "$(sed -n 2p out.csv)" = "1,昨天,,,day,,,,,,,cpldeadline: created_at: cannot read '昨天' as a time: no due times" ]
	# the reply status is unknown, the resolve target is judged as usual
	[ "$(sed -n 4,5p out.csv | cut -d, -f5-11)" = "day,2026-11-21 10:00:00,2026-11-22 10:00:00,,open,,2760
day,2026-11-21 10:00:00,2026-11-22 10:00:00,open,open,1320,2760" ]
}

@test "a reply or a closing before the case was received is a record problem, with no status" {
	run --separate-stderr status_at '2026-11-25 00:00' '2026-11-20 09:59:59' '2026-11-20 10:00:00'
	[ "$output" = ",,met," ]
	echo "$stderr" | grep -q "^cpldeadline: c.csv:2: first_reply_at 2026-11-20 09:59:59 is before created_at 2026-11-20 10:00:00, so the reply status is unknown$"
	[ "$(mlr --icsv --onidx cut -f cpl_problems out.csv)" = "cpldeadline: first_reply_at 2026-11-20 09:59:59 is before created_at 2026-11-20 10:00:00, so the reply status is unknown" ]
	# compared at the precision the time was written in: a date alone is that
	# day, a time without seconds that minute
	run --separate-stderr status_at '2026-11-25 00:00' '2026年11月20日 10时00分' '2026-11-20'
	[ "$output" = "met,,met," ] || fails "$output $stderr"
	[ -z "$stderr" ]
	run --separate-stderr status_at '2026-11-25 00:00' '2026-11-20 09:59' '2026-11-19'
	[ "$output" = ",,," ] || fails "$output"
	[ "$(echo "$stderr" | grep -c 'is before created_at')" = 2 ]
}

@test "output times are in the zone of --tz" {
	printf 'case_id,created_at\n1,2026-11-20T02:00:00Z\n' > c.csv
	cpldeadline --policy p.csv --now '2026-11-20T03:00:00Z' c.csv > out.csv
	[ "$(col out.csv reply_due)" = "2026-11-21 10:00:00" ]
	cpldeadline --tz UTC --policy p.csv --now '2026-11-20T03:00:00Z' c.csv > out.csv
	[ "$(col out.csv reply_due)" = "2026-11-21 02:00:00" ]
	[ "$(col out.csv reply_left_min)" = 1380 ]
}

@test "a re-run on its own output replaces its columns and gives the same bytes" {
	cpldeadline --now '2026-11-20 12:00' "$D/classified.csv" > once.csv
	cpldeadline --now '2026-11-20 12:00' once.csv > twice.csv
	cmp once.csv twice.csv
	# and with a problem in cpl_problems
	cpldeadline --policy "$D/urgent-only.csv" --now '2026-11-20 12:00' "$D/classified.csv" > once.csv 2>/dev/null || true
	cpldeadline --policy "$D/urgent-only.csv" --now '2026-11-20 12:00' once.csv > twice.csv 2>/dev/null || true
	cmp once.csv twice.csv
}

@test "records in = records out, in input order, with embedded newlines" {
	{
		echo 'case_id,created_at,text'
		for i in $(seq 1 500); do printf '%d,2026-11-20 10:%02d,"line one\nline two"\n' "$i" $((i % 60)); done
		echo '501,2026-11-20 10:00'
	} > many.csv
	run --separate-stderr cpldeadline --now '2026-11-20 12:00' many.csv
	[ "$status" -eq 3 ] # the short last record is stated
	echo "$output" > out.csv
	[ "$(count_records out.csv)" -eq 501 ]
	[ "$(col out.csv case_id | tr '\n' ' ')" = "$(seq 1 501 | tr '\n' ' ')" ]
}

@test "an empty input gives an empty output" {
	: > empty.csv
	run cpldeadline empty.csv
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
