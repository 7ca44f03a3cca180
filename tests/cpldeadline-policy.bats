#!/usr/bin/env bats
# cpldeadline: which policy a case gets, on classified and on raw logs.
load helper
bats_require_minimum_version 1.5.0

D="$FIX/deadline"
HDR=policy,urgency,urgent_type,category,subcategory,channel,customer_level,reply_within,resolve_within

@test "the seven columns come after the input's, in order" {
	run cpldeadline --now '2026-11-20 12:00' "$D/raw.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "工单编号,受理时间,受理渠道,客户级别,投诉内容,首次回复时间,归档时间,sla_policy,reply_due,resolve_due,reply_status,resolve_status,reply_left_min,resolve_left_min,cpl_problems" ]
}

@test "a raw log with no classification columns gets the ordinary 24h / 15d policy" {
	cpldeadline --now '2026-11-20 12:00' "$D/raw.csv" > out.csv
	[ "$(col out.csv sla_policy | sort -u)" = ordinary ]
	[ "$(col out.csv reply_due | tr '\n' ' ')" = "2026-11-21 10:00:00 2026-11-21 09:05:00 2026-11-21 10:05:00 " ]
	[ "$(col out.csv resolve_due | tr '\n' ' ')" = "2026-12-05 10:00:00 2026-12-05 09:05:00 2026-12-05 10:05:00 " ]
}

@test "classified cases get the policy of their urgency, urgent types and category" {
	cpldeadline --now '2026-11-20 12:00' "$D/classified.csv" > out.csv
	[ "$(mlr --icsv --onidx --ofs , cut -o -f case_id,sla_policy,reply_due,resolve_due out.csv)" = "$(cat <<'EOF'
c1,ordinary,2026-11-21 10:00:00,2026-12-05 10:00:00
c2,urgent_over_level,2026-11-20 12:00:00,2026-11-21 10:00:00
c3,urgent_major,2026-11-20 11:00:00,2026-11-21 10:00:00
c4,restore_after_payment,2026-11-21 10:00:00,2026-11-21 10:00:00
c5,fault_repair,2026-11-21 10:00:00,2026-11-22 10:00:00
c6,urgent,2026-11-20 14:00:00,2026-11-22 10:00:00
c7,ordinary,2026-11-21 10:00:00,2026-12-05 10:00:00
EOF
)" ]
}

@test "urgent_type matches when the case's list holds it, not a part of a name" {
	printf '%s\nmaj,,major,,,,,1h,\nany,,,,,,,2h,\n' "$HDR" > p.csv
	printf 'case_id,created_at,urgent_types\n1,2026-11-20 10:00,repeat;major\n2,2026-11-20 10:00,majority\n3,2026-11-20 10:00, major \n4,2026-11-20 10:00,\n' > c.csv
	cpldeadline --policy p.csv --now '2026-11-20 10:00' c.csv > out.csv
	[ "$(col out.csv sla_policy | tr '\n' ' ')" = "maj any maj any " ]
}

@test "the first matching row wins, an empty cell matches anything, a;b matches either" {
	printf '%s\ngold,,,,,,金卡;白金卡,2h,\nhotline,,,,,10086热线,,4h,\nrest,,,,,,,24h,\n' "$HDR" > p.csv
	printf 'case_id,created_at,channel,customer_level\n1,2026-11-20 10:00,10086热线,金卡\n2,2026-11-20 10:00,10086热线,普通\n3,2026-11-20 10:00,营业厅,白金卡\n4,2026-11-20 10:00,营业厅,普通\n' > c.csv
	cpldeadline --policy p.csv --now '2026-11-20 10:00' c.csv > out.csv
	[ "$(col out.csv sla_policy | tr '\n' ' ')" = "gold hotline gold rest " ]
}

@test "a case no row matches is a record problem, stated, and the record is kept" {
	run --separate-stderr cpldeadline --policy "$D/urgent-only.csv" --now '2026-11-20 12:00' "$D/classified.csv"
	[ "$status" -eq 3 ]
	[ "$(echo "$output" | count_records /dev/stdin)" -eq 7 ]
	echo "$stderr" | grep -q "^cpldeadline: $D/classified.csv:2: no policy of $D/urgent-only.csv matches this case (urgency 'normal', urgent_types '', category 'network', subcategory 'network.coverage', channel '10086热线', customer_level '普通')$"
	[ "$(echo "$stderr" | wc -l)" -eq 4 ]
	echo "$output" | col /dev/stdin sla_policy | grep -q urgent
	echo "$output" | grep -q '^c1,.*,,,,,,,,"cpldeadline: no policy of '
}

@test "a row asking for a column the log lacks does not match a raw log" {
	run cpldeadline --policy "$D/urgent-only.csv" "$D/raw.csv"
	[ "$status" -eq 3 ]
	echo "$output" | grep -q "no policy of .* matches this case (channel '10086热线', customer_level '普通')"
}

@test "online chat: 15 s to greet when the log carries the greeting time" {
	cpldeadline --now '2026-11-20 12:00' "$D/chat.csv" > out.csv
	[ "$(mlr --icsv --onidx --ofs , cut -o -f 会话编号,sla_policy,reply_due,reply_status,resolve_due out.csv)" = "$(cat <<'EOF'
s1,chat_greeting,2026-11-20 10:00:15,met,
s2,chat_greeting,2026-11-20 10:01:15,breached,
s3,ordinary,2026-11-21 10:02:00,open,2026-12-05 10:02:00
EOF
)" ]
}

@test "online chat: 20 s per answer when the log carries the answer time" {
	printf 'msg,created_at,channel,chat_answered_at\n1,2026-11-20 10:00:00,在线客服,2026-11-20 10:00:20\n2,2026-11-20 10:00:30,在线客服,2026-11-20 10:00:51\n' > c.csv
	cpldeadline --now '2026-11-20 12:00' c.csv > out.csv
	[ "$(col out.csv sla_policy | sort -u)" = chat_answer ]
	[ "$(col out.csv reply_status | tr '\n' ' ')" = "met breached " ]
}

@test "a work order opened from online chat gets the ordinary targets, not 15 s" {
	cpldeadline --now '2026-11-20 12:00' "$D/raw.csv" > out.csv
	sed -n 3p out.csv | grep -q ',在线客服,.*,ordinary,2026-11-21 09:05:00,'
}

@test "clock durations: seconds, minutes, hours, days, decimals" {
	printf '%s\nt,,,,,,,90s,1.5h\n' "$HDR" > p.csv
	printf 'case_id,created_at\n1,2026-11-20 10:00\n' > c.csv
	cpldeadline --policy p.csv --now '2026-11-20 10:00' c.csv > out.csv
	[ "$(col out.csv reply_due)" = "2026-11-20 10:01:30" ]
	[ "$(col out.csv resolve_due)" = "2026-11-20 11:30:00" ]
	printf '%s\nt,,,,,,,45m,2d\n' "$HDR" > p.csv
	cpldeadline --policy p.csv --now '2026-11-20 10:00' c.csv > out.csv
	[ "$(col out.csv reply_due)" = "2026-11-20 10:45:00" ]
	[ "$(col out.csv resolve_due)" = "2026-11-22 10:00:00" ]
}

@test "a policy with no target for resolve leaves the resolve columns empty" {
	printf '%s\nt,,,,,,,2h,\n' "$HDR" > p.csv
	printf 'case_id,created_at\n1,2026-11-20 10:00\n' > c.csv
	cpldeadline --policy p.csv --now '2026-11-20 10:00' c.csv > out.csv
	[ "$(sed -n 2p out.csv)" = "1,2026-11-20 10:00,t,2026-11-20 12:00:00,,open,,120,," ]
}

@test "a bad policy file is refused with file:line and the reason" {
	printf 'case_id,created_at\n1,2026-11-20 10:00\n' > c.csv
	run cpldeadline --policy "$D/bad-duration.csv" c.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cpldeadline: $D/bad-duration.csv:3: resolve_within '15 days': expected a duration above zero: Ns, Nm, Nh, Nd, Nwd (whole working days) or Nbh" ]
	run cpldeadline --policy "$D/bad-urgency.csv" c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad-urgency.csv:2: urgency 'urgnt': expected normal, urgent or empty"
	run cpldeadline --policy "$D/bad-columns.csv" c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad-columns.csv:1: missing column 'urgent_type'"
	for d in 0h 1.5wd -2h 2x wd; do
		printf '%s\nt,,,,,,,%s,\n' "$HDR" "$d" > p.csv
		run cpldeadline --policy p.csv c.csv
		[ "$status" -eq 2 ] || fails "$d: $status"
		echo "$output" | grep -q "p.csv:2: reply_within '$d'" || fails "$d: $output"
	done
	printf '%s\nt,,,,,,,2h@,\n' "$HDR" > p.csv
	run cpldeadline --policy p.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "expected a column name after '@'"
}

@test "the built-in policy table carries a source for every row" {
	run mlr --icsv --ojson --skip-comments filter 'is_empty($source)' "$ROOT/data/policy.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "[
]" ]
}

@test "no created_at column is a usage error naming the header" {
	printf 'case_id,text\n1,x\n' > c.csv
	run cpldeadline c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "no 'created_at' column (header: case_id,text)"
}
