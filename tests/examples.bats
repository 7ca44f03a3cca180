#!/usr/bin/env bats
# The scripts and tables of examples/ run on the sample export (or its
# GB18030 conversion) and say something true about it.
load helper

EX="$ROOT/examples"
CASES="$EX/cases.csv"
NOW='2026-11-22 07:00:00'

# lint_forbidden: "case_id rule" of every forbidden finding, from cplphrase --lint
lint_forbidden() {
	cplphrase --lint --format csv "$CASES" 2>/dev/null |
		mlr --icsv --onidx --ofs ' ' filter '$kind == "forbidden"' then cut -o -f id,rule
}

@test "forbidden-this-week.sh counts this week's forbidden phrases by agent, as the linter finds them" {
	run sh "$EX/forbidden-this-week.sh" -n "$NOW" "$CASES"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "agent_id,findings,rules" ]
	# the week of Sunday 2026-11-22 runs from Monday 11-16; case ids carry the day
	want=$(lint_forbidden | awk 'substr($1, 3, 8) >= "20261116" && substr($1, 3, 8) <= "20261122"' | wc -l)
	got=$(echo "$output" | mlr --icsv --onidx stats1 -a sum -f findings)
	[ "$want" -gt 10 ]
	[ "$got" -eq "$want" ] || fails "script: $got findings, linter: $want"
	# most findings first; every rule named is a forbidden one
	echo "$output" | mlr --icsv --onidx cut -f findings | sort -c -nr
	forbidden=$(cplphrase --list-rules | mlr --icsv --onidx filter '$kind == "forbidden"' then cut -f id)
	for r in $(echo "$output" | tail -n +2 | cut -d, -f3 | tr ';' '\n' | sed 's/ x[0-9]*$//' | sort -u); do
		echo "$forbidden" | grep -qx "$r" || fails "$r is not a forbidden rule"
	done
}

@test "forbidden-this-week.sh: the week is Monday to NOW's day" {
	# Monday 2026-11-16 alone
	run sh "$EX/forbidden-this-week.sh" -n '2026-11-16 23:00:00' "$CASES"
	[ "$status" -eq 0 ]
	want=$(lint_forbidden | awk 'substr($1, 3, 8) == "20261116"' | wc -l)
	got=$(echo "$output" | tail -n +2 | awk -F, '{ n += $2 } END { print n + 0 }')
	[ "$got" -eq "$want" ]
	# a week with no cases at all
	run sh "$EX/forbidden-this-week.sh" -n '2027-03-03 10:00:00' "$CASES"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tail -n +2 | grep -c .)" -eq 0 ]
}

@test "overdue-gold-billing.sh lists the billing cases of gold card and above that missed a deadline, most late first" {
	run sh "$EX/overdue-gold-billing.sh" -n '2026-11-25 07:00:00' "$CASES"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "case_id,level,region,subcategory,target,status,due,late_min" ]
	[ "${#lines[@]}" -ge 3 ]
	echo "$output" > out.csv
	mlr --icsv --ojson filter -x '$subcategory =~ "^billing\." && $level =~ "金卡|白金|铂金|钻石|黑金|至尊" && $late_min > 0 &&
		($status == "overdue" || $status == "breached")' out.csv > bad.json
	[ "$(grep -c '"case_id"' bad.json)" -eq 0 ] || fails "$(cat bad.json)"
	col out.csv late_min | sort -c -nr
	# every late gold billing case of the pipeline is there, the breached (done late) ones too
	cplclassify "$CASES" 2>/dev/null | cpldeadline --now '2026-11-25 07:00:00' 2>/dev/null > all.csv || true
	want=$(mlr --icsv --onidx filter '$category == "billing" && ${客户级别} =~ "金卡|白金|钻石" &&
		($reply_status =~ "overdue|breached" || $resolve_status =~ "overdue|breached")' then cut -f 工单编号 all.csv | sort -u)
	[ "$(col out.csv case_id | sort -u)" = "$want" ]
	# a breached one: GD2026111800074 closed 2026-11-21 01:48:43, due 2026-11-20 19:37:43
	grep -q '^GD2026111800074,金卡,扬州,billing.charge_dispute,resolve,breached,2026-11-20 19:37:43,371$' out.csv ||
		fails "$(cat out.csv)"
	# a done time in a shape Miller cannot read: that row's late_min is empty, and it comes last
	sed 's/2026-11-21 01:48:43/2026年11月21日 01:48/' "$CASES" > odd.csv
	run sh "$EX/overdue-gold-billing.sh" -n '2026-11-25 07:00:00' odd.csv
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]}-1]}" = "GD2026111800074,金卡,扬州,billing.charge_dispute,resolve,breached,2026-11-20 19:37:43," ] ||
		fails "$output"
	# an export without the done columns: only overdue ones, none breached
	mlr --csv cut -x -f 首次回复时间,归档时间 "$CASES" > nodone.csv
	run sh "$EX/overdue-gold-billing.sh" -n '2026-11-25 07:00:00' nodone.csv
	[ "$status" -eq 0 ] && [ "${#lines[@]}" -ge 2 ] || fails "$output"
	! echo "$output" | grep -q ',breached,'
	# three days earlier fewer are late
	run sh "$EX/overdue-gold-billing.sh" -n "$NOW" "$CASES"
	[ "${#lines[@]}" -lt "$(wc -l < out.csv)" ]
}

@test "batch-by-region.sh ranks regions by the cases of their batch incidents" {
	run sh "$EX/batch-by-region.sh" "$CASES"
	[ "$status" -eq 0 ]
	cplclassify "$CASES" 2>/dev/null > c.csv || [ $? -eq 3 ]
	want=$(mlr --icsv --onidx --ofs tab filter '$batch_id != ""' then count-distinct -f 地市,batch_id then \
		stats1 -a count,sum -f count -g 地市 then sort -nr count_sum c.csv)
	[ -n "$want" ]
	got=$(echo "$output" | cut -f1-3)
	[ "$got" = "$want" ] || fails "got: $got; want: $want"
	# the problem of a batch is named
	echo "$output" | grep -q 'network.coverage (11)'
}

@test "batch-by-region.sh says how to use it when given nothing" {
	run sh "$EX/batch-by-region.sh"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q '^usage: batch-by-region.sh'
}

@test "rules-custom.csv adds a store category that takes cases out of other" {
	cplclassify "$CASES" 2>/dev/null > before.csv || [ $? -eq 3 ]   # two unreadable times
	cplclassify --add-rules "$EX/rules-custom.csv" "$CASES" 2>/dev/null > after.csv || [ $? -eq 3 ]
	[ "$(count_records after.csv)" -eq 240 ]
	n=$(mlr --icsv --onidx filter '$category == "store"' then count after.csv)
	[ "$n" -ge 8 ]
	[ "$(mlr --icsv --onidx filter '$category == "store"' then count before.csv)" = "" ] ||
		[ "$(mlr --icsv --onidx filter '$category == "store"' then count before.csv)" -eq 0 ]
	# the power bank bought in a shop, the locked toilet, the opening hours
	mlr --icsv --onidx --ofs ' ' cut -f 工单编号,subcategory after.csv > ids.txt
	grep -qx 'GD2026112100027 store.goods' ids.txt
	grep -qx 'GD2026111900018 store.premises' ids.txt
	grep -qx 'GD2026112100004 store.hours' ids.txt
	# fewer cases are left as other
	o1=$(mlr --icsv --onidx filter '$category == "other"' then count before.csv)
	o2=$(mlr --icsv --onidx filter '$category == "other"' then count after.csv)
	[ "$o2" -lt "$o1" ]
}

@test "rules-custom.csv: an edit that breaks a rule's example is refused with file and line" {
	sed 's/营业厅卫生间长期锁门/卫生间长期锁门/' "$EX/rules-custom.csv" > broken.csv
	run cplclassify --add-rules broken.csv "$CASES"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "^cplclassify: broken.csv:[0-9]*: .*store.premises"
}

@test "policy-custom.csv replaces the policy: every row is used and store cases go to the store row" {
	cplclassify --add-rules "$EX/rules-custom.csv" "$CASES" 2>/dev/null |
		cpldeadline --policy "$EX/policy-custom.csv" --now "$NOW" 2>/dev/null > d.csv || true
	[ "$(count_records d.csv)" -eq 240 ]
	used=$(col d.csv sla_policy | sort -u | tr '\n' ' ')
	[ "$used" = "important ordinary store urgent urgent_major " ] || fails "used: $used"
	# a store case (opening hours) of an ordinary customer: 1wd to reply, 5wd to resolve
	row=$(mlr --icsv --onidx --ofs ' ' filter '$工单编号 == "GD2026112100004"' then cut -o -f sla_policy,reply_due,resolve_due d.csv)
	# received Saturday 2026-11-21: the 1st working day after is Monday 11-23, the 5th Friday 11-27
	[ "$row" = "store 2026-11-23 18:00:00 2026-11-27 18:00:00" ] || fails "$row"
	# the built-in policy knows no store row
	cplclassify --add-rules "$EX/rules-custom.csv" "$CASES" 2>/dev/null | cpldeadline --now "$NOW" 2>/dev/null > b.csv || true
	! col b.csv sla_policy | grep -qx store
}

@test "excel-roundtrip.sh turns a GB18030 CRLF export into a report and Excel CSVs with the same text" {
	iconv -f UTF-8 -t GB18030 "$CASES" | sed 's/$/\r/' > export.csv
	! iconv -f UTF-8 -t UTF-8 export.csv >/dev/null 2>&1
	mkdir out
	run sh "$EX/excel-roundtrip.sh" -n "$NOW" -o out export.csv
	[ "$status" -eq 3 ] || fails "status $status: $output"   # two cases with unreadable times
	echo "$output" | grep -q "export.csv:81: created_at '2026-02-30 10:00'"
	[ "$(ls out | tr '\n' ' ')" = "by-category.csv cases-classified.csv report.html " ]
	# Excel's UTF-8: a byte order mark and CRLF
	[ "$(head -c 3 out/cases-classified.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(grep -c $'\r$' out/cases-classified.csv)" -eq "$(wc -l < out/cases-classified.csv)" ]
	tail -c +4 out/cases-classified.csv | tr -d '\r' > back.csv
	[ "$(count_records back.csv)" -eq 240 ]
	[ "$(col back.csv 投诉内容 | md5sum)" = "$(col "$CASES" 投诉内容 | md5sum)" ]
	col back.csv category | grep -qx billing
	# the report and the table
	grep -q '<svg' out/report.html
	grep -q '苏州' out/report.html
	[ "$(head -c 3 out/by-category.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(tail -c +4 out/by-category.csv | tr -d '\r' | mlr --icsv --onidx stats1 -a sum -f count)" -eq 240 ]
}

@test "excel-roundtrip.sh fails cleanly on a missing export" {
	mkdir out
	run sh "$EX/excel-roundtrip.sh" -n "$NOW" -o out nonexistent.csv
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "cannot open 'nonexistent.csv'"
	[ -z "$(ls -A out)" ] || fails "left: $(ls -A out)"
}

@test "demo.sh runs the tour on the bundled export" {
	run sh "$EX/demo.sh"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '240 records in, 240 records out'
	echo "$output" | grep -q 'Daily complaint report'
}
