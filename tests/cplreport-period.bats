#!/usr/bin/env bats
# The period: --day (a date, yesterday, today relative to --now), --from and
# --to (inclusive), the skipped cases in the footer, and the previous period.
load helper
load cplreport-helper
bats_require_minimum_version 1.5.0

json() { cplreport -f json "$@" "$RFIX/cases.csv" 2>/dev/null > r.json || [ $? -eq 3 ]; flat r.json; }

@test "--day counts the cases received that day, from 00:00:00 to 23:59:59" {
	json --day 2026-11-21
	is totals.received 16
	json --day 2026-11-20
	is totals.received 6
	is period.from 2026-11-20
	is period.to 2026-11-20
}

@test "--day yesterday and today are relative to --now, in the local zone" {
	json --day yesterday --now '2026-11-22 07:00:00'
	is period.from 2026-11-21
	is totals.received 16
	is now '2026-11-22 07:00:00'
	json --day today --now '2026-11-22T01:30:00+08:00'
	is period.from 2026-11-22
	is totals.received 2
	# 2026-11-21 23:30 UTC is already the 22nd in Shanghai
	json --day today --now '2026-11-21T23:30:00Z'
	is period.from 2026-11-22
	json --tz UTC --day today --now '2026-11-21T23:30:00Z'
	is period.from 2026-11-21
}

@test "--from and --to are inclusive days" {
	json --from 2026-11-20 --to 2026-11-21
	is totals.received 22
	is period.from 2026-11-20
	is period.to 2026-11-21
	json --from 2026-11-21 --to 2026-11-21
	is totals.received 16
}

@test "--from and --to with a time of day cut at that time, --to inclusive to the second" {
	json --from '2026-11-21 10:00' --to '2026-11-21 12:00:00'
	# D07 and D08 at 10:00, D09 at 11:30, D10 at 12:00:00
	is totals.received 4
	is period.from '2026-11-21 10:00:00'
	is period.to '2026-11-21 12:00:00'
}

@test "an open end runs to the first or the last case of the input" {
	json --from 2026-11-21
	is totals.received 18
	is period.to 2026-11-22
	json --to 2026-11-20
	is totals.received 6
	is period.from 2026-11-20
	is records.skipped_outside 18
}

@test "without a period every record counts, and the period is the input's span" {
	run cplreport -f json "$RFIX/cases.csv"
	[ "$status" -eq 3 ]
	printf '%s\n' "$output" | grep -v '^cplreport:' > r.json
	flat r.json
	is totals.received "$(count_records "$RFIX/cases.csv")"
	is period.from 2026-11-20
	is period.to 2026-11-22
	is records.skipped 0
}

@test "skipped cases are counted in the footer of every format, not dropped silently" {
	run cplreport --day 2026-11-21 --lang en "$RFIX/cases.csv"
	echo "$output" | grep -q '26 records read, 16 in the period.'
	echo "$output" | grep -q '10 skipped: 8 outside the period, 2 without a readable created_at.'
	run cplreport --day 2026-11-21 --lang zh -f md "$RFIX/cases.csv"
	echo "$output" | grep -q '跳过 10 条：期间外 8 条，受理时间缺失或无法识别 2 条。'
	run cplreport --day 2026-11-21 --lang en -f html "$RFIX/cases.csv"
	echo "$output" | grep -q '<p>10 skipped: 8 outside the period, 2 without a readable created_at.</p>'
	run cplreport --day 2026-11-21 -f csv "$RFIX/cases.csv"
	echo "$output" | grep -q '^records,records,skipped_outside,,count,8$'
	echo "$output" | grep -q '^records,records,skipped_no_time,,count,2$'
}

@test "an unreadable created_at is stated with its line, and the exit status is 3" {
	run cplreport --day 2026-11-21 "$RFIX/cases.csv"
	[ "$status" -eq 3 ]
	echo "$output" | grep -q "^cplreport: $RFIX/cases.csv:26: created_at 'not a date' is not a time: the case is left out of the period's figures$"
	[ "$(echo "$output" | grep -c '^cplreport:')" = 1 ]
}

@test "the previous period of the same length is compared when the input covers it" {
	json --day 2026-11-21
	is previous.period.from 2026-11-20
	is previous.period.to 2026-11-20
	is previous.totals.received 6
	run cplreport --day 2026-11-21 --lang en "$RFIX/cases.csv"
	echo "$output" | grep -q '^Against the previous period (2026-11-20 to 2026-11-20)$'
	echo "$output" | grep -Eq '^  Received +16 +6 +\+10 \(\+166\.7%\)$'
	# two days back: the input starts on the 20th, the previous period on the 19th
	json --from 2026-11-21 --to 2026-11-22
	is previous.period.from '(none)'
	# the 20th alone has nothing before it
	json --day 2026-11-20
	is previous.period.from '(none)'
	# a period cut at times of day: the previous one is named by its times too
	run cplreport --from '2026-11-21 12:00' --to '2026-11-21 23:59:59' --lang en "$RFIX/cases.csv"
	echo "$output" | grep -q '^Against the previous period (2026-11-21 00:00:00 to 2026-11-21 11:59:59)$' || fails "$output"
}

@test "a bad date, --day with --from, and an empty period are usage errors" {
	run cplreport --day 2026-13-01 "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "^cplreport: --day: expected YYYY-MM-DD, yesterday or today, got '2026-13-01'$"
	run cplreport --day 2026-11-21 --from 2026-11-20 "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	run cplreport --from 2026-11-22 --to 2026-11-21 "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'the period ends before it begins'
	run cplreport --day yesterday --now 'soon' "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	# a day is a date: with a time it would count from 15:00 to midnight
	run cplreport --day '2026-11-21 15:00' "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "cplreport: --day '2026-11-21 15:00': a date, not a time (--from and --to take times)" ]
}

@test "a period with no case though the input has some is said: a wrong --day or a stale export" {
	printf 'case_id,created_at\n1,2026-11-20 10:00\n2,2026-11-21 09:30\n' > c.csv
	run --separate-stderr cplreport --day 2026-11-22 --format json c.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "cplreport: no case in the period: the input's cases run from 2026-11-20 10:00:00 to 2026-11-21 09:30:00" ] ||
		fails "$stderr"
	# the same from --partial and --merge; nothing said for a period with cases
	cplreport --day 2026-11-22 --partial c.csv > s1
	run --separate-stderr cplreport --merge s1
	echo "$stderr" | grep -q "no case in the period" || fails "$stderr"
	run --separate-stderr cplreport --day 2026-11-21 c.csv
	[ -z "$stderr" ] || fails "$stderr"
	# without a period an unreadable time's case is counted, and the message says so
	printf '3,soon\n' >> c.csv
	run --separate-stderr cplreport c.csv
	[ "$stderr" = "cplreport: c.csv:4: created_at 'soon' is not a time: the case is counted, but in no day or hour" ] ||
		fails "$stderr"
}

@test "a period needs created_at: its absence is a usage error naming the header" {
	printf 'case_id,category\nA,network\n' > nodate.csv
	run cplreport --day 2026-11-21 nodate.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "no 'created_at' column (header: case_id,category)"
	run cplreport nodate.csv
	[ "$status" -eq 0 ]
}

@test "Chinese headers and mixed time shapes are read like canonical ones" {
	printf '受理时间,一级分类\n2026/11/21 9:05,x\n2026年11月21日 10时05分,y\n2026-11-20 23:59:59,z\n' > zh.csv
	cplreport --day 2026-11-21 -f json zh.csv > r.json
	flat r.json
	is totals.received 2
	is records.skipped_outside 1
}
