#!/usr/bin/env bats
# cplclassify --explain: for each case, which rules fired with the text they
# matched (the original characters) and why the case is urgent.
load helper
bats_require_minimum_version 1.5.0

R="$FIX/classify/rules.csv"

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	printf 'case_id,channel,customer_level,region,issue_region,text\n' > c.csv
	printf 'GD1,工信部申诉,金卡,南京,上海,客戶反映家中信號差，揚言要向媒體曝光！！\n' >> c.csv
	printf 'GD2,10086热线,普通,南京,,信号差\n' >> c.csv
}

@test "--explain says on stderr which rules fired, with the original text matched" {
	run --separate-stderr cplclassify --rules "$R" --explain c.csv
	[ "$status" -eq 0 ]
	echo "$stderr" | grep -qx 'GD1: category network, subcategory network.coverage, cause product (score 3)'
	echo "$stderr" | grep -qx 'GD1: rule net.coverage (network.coverage +3) matched "信號差" in text at char 7'
	echo "$stderr" | grep -qx 'GD1: cue emotion.angry (angry) matched "！！" in text at char 19'
	echo "$stderr" | grep -qx 'GD1: rule channel.gov (service.escalated_channel +0.5) matched "工信部" in channel at char 1'
	# how close it was: the other categories' totals, highest first
	echo "$stderr" | grep -qx 'GD1: other categories scored: service 0.5' || fails "$stderr"
}

@test "--explain says why a case is urgent, one line per urgent type" {
	run --separate-stderr cplclassify --rules "$R" --explain c.csv
	echo "$stderr" | grep -qx 'GD1: urgent major: cue major.media matched "媒體" in text at char 15'
	echo "$stderr" | grep -qx 'GD1: urgent over_level: cue over.channel matched "工信部" in channel at char 1'
	echo "$stderr" | grep -qx 'GD1: urgent important_customer: customer_level "金卡" (level rule gold)'
	echo "$stderr" | grep -qx 'GD1: urgent cross_region: issue_region 上海 is not region 南京'
	echo "$stderr" | grep -qx 'GD1: urgent, priority 1; complainant inform, emotion angry'
	echo "$stderr" | grep -qx 'GD2: normal, priority 9; complainant inform, emotion calm'
	! echo "$stderr" | grep -q '^GD2: urgent '
}

@test "--explain says which customers made a batch and which case a repeat repeats" {
	{
		echo "case_id,created_at,customer_id,region,text,closed_at"
		for i in $(seq 10 20); do echo "B$i,2026-11-22 10:$i:00,138000000$i,南京,信号差,"; done
		echo "R1,2026-11-01 10:00:00,13800000010,南京,信号差,2026-11-02 10:00:00"
	} > b.csv
	run --separate-stderr cplclassify --rules "$R" --explain b.csv
	echo "$stderr" | grep -Eq '^B20: urgent batch: B20261122101000-[0-9a-f]{8}: 11 customers \(0 VIP\) with issue network.coverage/南京 within 60m, from 2026-11-22 10:10:00$'
	echo "$stderr" | grep -qx 'B10: urgent repeat: the same customer and subcategory as R1, closed 2026-11-02 10:00:00'
}

@test "--explain=FILE writes the explanation to FILE and leaves the CSV as it was" {
	cplclassify --rules "$R" c.csv > plain.csv
	run --separate-stderr cplclassify --rules "$R" --explain=why.txt c.csv
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(cat plain.csv)" ]
	grep -q '^GD1: urgent major: ' why.txt
	grep -q '^GD2: normal, priority 9' why.txt
}

@test "a case without case_id is named by file and line" {
	printf 'text\n信号差\n' > n.csv
	run --separate-stderr cplclassify --rules "$R" --explain n.csv
	echo "$stderr" | grep -q '^n.csv:2: category network'
}

@test "--explain=FILE that cannot be written is an I/O error" {
	run cplclassify --rules "$R" --explain=/nonexistent/dir/why.txt c.csv
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "cannot open '/nonexistent/dir/why.txt'"
}
