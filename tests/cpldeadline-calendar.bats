#!/usr/bin/env bats
# cpldeadline: working days (Nwd) and business hours (Nbh) on mainland
# China's calendar, with its holidays and make-up working days (调休上班).
load helper
bats_require_minimum_version 1.5.0

D="$FIX/deadline"

# due RECEIVED DURATION [FLAG...]: the due time of one case under a policy
# whose reply target is DURATION.
due() {
	local received=$1 within=$2
	shift 2
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nt,,,,,,,%s,\n' \
		"$within" > policy.csv
	printf 'case_id,created_at\n1,%s\n' "$received" > case.csv
	cpldeadline --policy policy.csv --now '2026-01-01 00:00:00' "$@" case.csv > out.csv
	col out.csv reply_due
}

@test "National Day 2026: 5wd from Wed 09-30 10:00 ends Tue 10-13 18:00, counting Saturday 10-10" {
	[ "$(due '2026-09-30 10:00:00' 5wd)" = "2026-10-13 18:00:00" ]
	# the working days in between, one by one: 10-08, 10-09, Sat 10-10, 10-12, 10-13
	[ "$(due '2026-09-30 10:00:00' 1wd)" = "2026-10-08 18:00:00" ]
	[ "$(due '2026-09-30 10:00:00' 3wd)" = "2026-10-10 18:00:00" ]
	[ "$(due '2026-09-30 10:00:00' 4wd)" = "2026-10-12 18:00:00" ]
}

@test "business hours run on into the make-up Saturday: Fri 10-09 17:00 + 8bh is Sat 10-10 16:00" {
	[ "$(due '2026-10-09 17:00:00' 8bh)" = "2026-10-10 16:00:00" ]
}

@test "Spring Festival 2026: 02-15..02-23 are off, Saturdays 02-14 and 02-28 are working days" {
	[ "$(due '2026-02-13 10:00:00' 1wd)" = "2026-02-14 18:00:00" ]
	[ "$(due '2026-02-14 10:00:00' 1wd)" = "2026-02-24 18:00:00" ]
	[ "$(due '2026-02-14 17:00:00' 2bh)" = "2026-02-24 10:00:00" ]
	[ "$(due '2026-02-20 10:00:00' 5wd)" = "2026-02-28 18:00:00" ]
	[ "$(due '2026-02-27 10:00:00' 1wd)" = "2026-02-28 18:00:00" ]
	# an ordinary Saturday is not a working day
	[ "$(due '2026-03-06 10:00:00' 1wd)" = "2026-03-09 18:00:00" ]
}

@test "a case received on a Sunday starts at Monday's opening" {
	[ "$(due '2026-11-22 10:00:00' 1wd)" = "2026-11-23 18:00:00" ]
	[ "$(due '2026-11-22 10:00:00' 8bh)" = "2026-11-23 17:00:00" ]
}

@test "a case received on a make-up Sunday (2026-09-20) starts at once" {
	[ "$(due '2026-09-20 10:00:00' 8bh)" = "2026-09-20 18:00:00" ]
	[ "$(due '2026-09-20 10:00:00' 1wd)" = "2026-09-21 18:00:00" ]
}

@test "17:59 and 18:01 on the last working day before National Day" {
	[ "$(due '2026-09-30 17:59:00' 1bh)" = "2026-10-08 09:59:00" ]
	[ "$(due '2026-09-30 18:01:00' 1bh)" = "2026-10-08 10:00:00" ]
	# the day of receipt never counts for working days, whatever the hour
	[ "$(due '2026-09-30 17:59:00' 1wd)" = "2026-10-08 18:00:00" ]
	[ "$(due '2026-09-30 18:01:00' 1wd)" = "2026-10-08 18:00:00" ]
}

@test "business hours run across the night" {
	[ "$(due '2026-11-23 16:00:00' 4bh)" = "2026-11-24 11:00:00" ]
	[ "$(due '2026-11-24 03:00:00' 1bh)" = "2026-11-24 10:00:00" ]
	# using the day up exactly ends at closing time, not at the next opening
	[ "$(due '2026-11-23 09:00:00' 9bh)" = "2026-11-23 18:00:00" ]
	[ "$(due '2026-11-23 09:00:00' 30m)" = "2026-11-23 09:30:00" ]
	[ "$(due '2026-11-23 09:00:00' 1.5bh)" = "2026-11-23 10:30:00" ]
}

@test "--hours with a lunch break: the break does not count" {
	H='--hours=08:30-12:00,13:30-17:30'
	[ "$(due '2026-11-23 11:00:00' 2bh "$H")" = "2026-11-23 14:30:00" ]
	[ "$(due '2026-11-23 12:30:00' 1bh "$H")" = "2026-11-23 14:30:00" ]
	[ "$(due '2026-11-23 11:00:00' 1bh "$H")" = "2026-11-23 12:00:00" ]
	[ "$(due '2026-11-23 17:00:00' 1bh "$H")" = "2026-11-24 09:00:00" ]
	# Nwd ends at the close of the last interval
	[ "$(due '2026-11-23 11:00:00' 1wd "$H")" = "2026-11-24 17:30:00" ]
}

@test "a bad --hours is a usage error" {
	for h in 18:00-09:00 9-18 09:00-12:00,11:00-14:00 09:00-25:00; do
		printf 'case_id,created_at\n1,2026-11-23 10:00\n' > c.csv
		run cpldeadline --hours "$h" c.csv
		[ "$status" -eq 2 ] || fails "$h: $status"
		echo "$output" | grep -q "^cpldeadline: --hours '$h': " || fails "$h: $output"
	done
}

@test "a due time in 2027 is computed on the weekly pattern and warned about once" {
	printf 'case_id,created_at\n1,2026-12-30 10:00\n2,2026-12-31 10:00\n3,2027-03-01 10:00\n' > c.csv
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nt,,,,,,,8bh,5wd\n' > p.csv
	run --separate-stderr cpldeadline --policy p.csv --now '2026-12-30 12:00' c.csv
	[ "$status" -eq 0 ]
	# 12-31, then 2027-01-01 taken as a plain Friday, 01-04, 01-05, 01-06
	echo "$output" | grep -q '^1,2026-12-30 10:00,t,2026-12-30 18:00:00,2027-01-06 18:00:00,'
	[ "$(echo "$stderr" | grep -c 'no data for 2027')" -eq 1 ]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	# a due time inside the calendar warns about nothing
	printf 'case_id,created_at\n1,2026-11-23 10:00\n' > in.csv
	run --separate-stderr cpldeadline --policy p.csv in.csv
	[ -z "$stderr" ]
}

@test "clock durations need no calendar, so a 15d due time in 2027 warns about nothing" {
	printf 'case_id,created_at\n1,2026-12-30 10:00\n' > c.csv
	run --separate-stderr cpldeadline --now '2026-12-30 12:00' c.csv
	echo "$output" | grep -q ',ordinary,2026-12-31 10:00:00,2027-01-14 10:00:00,'
	[ -z "$stderr" ]
}

@test "--calendar-add adds a year to the built-in calendar" {
	[ "$(due '2026-12-30 10:00:00' 5wd --calendar-add "$D/calendar-2027.csv")" = "2027-01-07 18:00:00" ]
	run --separate-stderr cpldeadline --policy policy.csv --calendar-add "$D/calendar-2027.csv" case.csv
	[ -z "$stderr" ]
	# its make-up Saturday counts; the built-in 2026 is still there
	[ "$(due '2027-02-05 10:00:00' 1wd --calendar-add "$D/calendar-2027.csv")" = "2027-02-13 18:00:00" ]
	[ "$(due '2026-09-30 10:00:00' 5wd --calendar-add "$D/calendar-2027.csv")" = "2026-10-13 18:00:00" ]
}

@test "--calendar-add corrects a date of the built-in calendar" {
	printf 'date,kind,name\n2026-10-08,off,a company holiday\n' > extra.csv
	[ "$(due '2026-09-30 10:00:00' 1wd --calendar-add extra.csv)" = "2026-10-09 18:00:00" ]
}

@test "a company's own day in a year does not cover it: only the State Council's dates (National Day) do" {
	# Spring Festival 2027 is not known: Fri 02-05 17:59 + 8bh runs on into Mon 02-08, with a warning
	printf 'date,kind,name\n2027-06-01,off,公司司庆\n' > company.csv
	printf 'case_id,created_at\n1,2027-02-05 17:59\n' > c.csv
	printf 'policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within\nt,,,,,,,8bh,\n' > p.csv
	run --separate-stderr cpldeadline --policy p.csv --now '2027-03-01 00:00' --calendar-add company.csv c.csv
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | col /dev/stdin reply_due)" = "2027-02-08 16:59:00" ]
	[ "$stderr" = "cpldeadline: warning: the calendar has some dates of 2027 but not the State Council's (no National Day on 1 October): its other days are taken as Monday to Friday, without holidays or make-up days (add them with --calendar-add)" ] ||
		fails "$stderr"
	# with the year's schedule added as well, no warning, and the holiday counts
	run --separate-stderr cpldeadline --policy p.csv --now '2027-03-01 00:00' --calendar-add company.csv \
		--calendar-add "$D/calendar-2027.csv" c.csv
	[ -z "$stderr" ] || fails "$stderr"
	[ "$(echo "$output" | col /dev/stdin reply_due)" = "2027-02-13 16:59:00" ]
}

@test "--calendar replaces the built-in calendar" {
	[ "$(due '2026-12-30 10:00:00' 5wd --calendar "$D/calendar-2027.csv")" = "2027-01-07 18:00:00" ]
	# 2026 is no longer known: 10-01 is a plain Thursday, with a warning
	printf 'case_id,created_at\n1,2026-09-30 10:00\n' > c.csv
	run --separate-stderr cpldeadline --policy policy.csv --calendar "$D/calendar-2027.csv" c.csv
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | col /dev/stdin reply_due)" = "2026-10-07 18:00:00" ]
	echo "$stderr" | grep -q 'no data for 2026'
}

@test "a bad calendar file is refused with file:line and the reason" {
	printf 'case_id,created_at\n1,2026-11-23 10:00\n' > c.csv
	run cpldeadline --calendar "$D/bad-kind.csv" c.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cpldeadline: $D/bad-kind.csv:3: kind 'holiday': expected off (a holiday) or work (a make-up working day)" ]
	run cpldeadline --calendar-add "$D/bad-weekday.csv" c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad-weekday.csv:3: 2026-10-09 is a weekday: a make-up working day"
	run cpldeadline --calendar "$D/bad-date.csv" c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad-date.csv:2: date '2026-02-30': expected YYYY-MM-DD"
	run cpldeadline --calendar "$D/bad-twice.csv" c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad-twice.csv:3: 2026-10-01 appears twice (first on line 2)"
	run cpldeadline --calendar /nonexistent/cal.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "cannot open '/nonexistent/cal.csv'"
}

@test "the built-in calendar holds the State Council's dates for 2024-2026" {
	cal="$ROOT/data/calendar.csv"
	[ "$(grep -c '^2024-.*,off,' "$cal")" -eq 28 ]
	[ "$(grep -c '^2024-.*,work,' "$cal")" -eq 8 ]
	[ "$(grep -c '^2025-.*,off,' "$cal")" -eq 28 ]
	[ "$(grep -c '^2025-.*,work,' "$cal")" -eq 5 ]
	[ "$(grep -c '^2026-.*,off,' "$cal")" -eq 33 ]
	[ "$(grep -c '^2026-.*,work,' "$cal")" -eq 6 ]
	# spot checks through the program: 2024-10-12 and 2025-01-26 were working weekend days
	[ "$(due '2024-10-11 10:00:00' 1wd)" = "2024-10-12 18:00:00" ]
	[ "$(due '2025-01-25 10:00:00' 1wd)" = "2025-01-26 18:00:00" ]
	[ "$(due '2025-01-27 10:00:00' 1wd)" = "2025-02-05 18:00:00" ]
}
