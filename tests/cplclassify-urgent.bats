#!/usr/bin/env bats
# cplclassify: the urgent types found case by case (seed 003 紧急投诉):
# major, over_level, escalated, cross_region, important_customer,
# sensitive_customer; urgency, urgent_types and priority.
load helper

R="$FIX/classify/rules.csv"
H="case_id,channel,customer_id,customer_level,region,issue_region,escalated,text"

# urgent ROW...: the urgent_types of each row (after the header H), one a line
urgent() {
	{ echo "$H"; printf '%s\n' "$@"; } > c.csv
	cplclassify --rules "$R" $FLAGS c.csv > out.csv
	col out.csv urgent_types
}

@test "major: media, exposure, lawsuit, arbitration, government, leadership attention" {
	[ "$(urgent '1,10086热线,1,普通,南京,,否,信号差，扬言要向媒体曝光')" = "major" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,客户称将起诉你们')" = "major" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,已申请仲裁')" = "major" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,要到区政府上访')" = "major" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,公司领导批示尽快处理')" = "major" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,要找律师')" = "major" ]
}

@test "not major: the same words in harmless senses" {
	[ "$(urgent '1,10086热线,1,普通,南京,,否,无法发送多媒体短信')" = "" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,要求找你们领导')" = "" ]
}

@test "over_level by channel: 工信部, 通信管理局, 12345, 12315, 消协, 集团公司, 省公司" {
	for ch in 工信部申诉 通信管理局 12345市长热线 12315 消协 集团公司转办 省公司转办 省监督热线; do
		[ "$(urgent "1,$ch,1,普通,南京,,否,信号差")" = "over_level" ] || fails "channel $ch"
	done
	for ch in 10086热线 营业厅 在线客服 集团客户经理 微信公众号; do
		[ "$(urgent "1,$ch,1,普通,南京,,否,信号差")" = "" ] || fails "channel $ch"
	done
}

@test "over_level by text: the customer already went there, not a threat to go" {
	[ "$(urgent '1,10086热线,1,普通,南京,,否,客户已向工信部投诉过')" = "over_level" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,之前打过12345反映')" = "over_level" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,12345转办工单')" = "over_level" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,客户扬言要向工信部投诉')" = "" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,已告知客户可向工信部申诉')" = "" ]
}

@test "escalated: the escalated column says yes, or the text went up to the province" {
	for yes in 是 Y yes 1 true; do
		[ "$(urgent "1,10086热线,1,普通,南京,,$yes,信号差")" = "escalated" ] || fails "escalated $yes"
	done
	for no in 否 N no 0 ''; do
		[ "$(urgent "1,10086热线,1,普通,南京,,$no,信号差")" = "" ] || fails "escalated $no"
	done
	[ "$(urgent '1,10086热线,1,普通,南京,,否,分公司无法处理，已上升至省公司协调处理')" = "escalated" ]
}

@test "cross_region: issue_region is not region, or roaming and other provinces" {
	[ "$(urgent '1,10086热线,1,普通,南京,上海,否,信号差')" = "cross_region" ]
	[ "$(urgent '1,10086热线,1,普通,南京,南京市,否,信号差')" = "" ]
	[ "$(urgent '1,10086热线,1,普通,南京,-,否,信号差')" = "" ]
	# placeholders for no place: 同上, ——, N/A in any case
	for none in 同上 —— N/A null; do
		[ "$(urgent "1,10086热线,1,普通,南京,$none,否,信号差")" = "" ] || fails "issue_region $none"
	done
	[ "$(urgent '1,10086热线,1,普通,南京,同上海,否,信号差')" = "cross_region" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,在外省漫游时没有信号')" = "cross_region" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,在本地没有信号')" = "" ]
}

@test "important_customer: gold card and above, four and five stars, VIP, government, A-level groups" {
	for lv in 金卡 白金卡 钻石卡 四星 五星 5星 VIP 政府客户 A类集团 政企客户; do
		[ "$(urgent "1,10086热线,1,$lv,南京,,否,信号差")" = "important_customer" ] || fails "level $lv"
	done
	for lv in 普通 银卡 三星 3星 非VIP B类集团 ''; do
		[ "$(urgent "1,10086热线,1,$lv,南京,,否,信号差")" = "" ] || fails "level $lv"
	done
}

@test "important_customer: many level values in one file, each answered as on its own" {
	# 80 values, each twice, interleaved: more than the answers kept per
	# level value, so values share places and replace each other; 金卡n
	# (important) and 银卡n (not) are of one length
	local i rows=() want=()
	for pass in 1 2; do
		for i in $(seq 1 40); do
			rows+=("$i,10086热线,1,金卡$i,南京,,否,信号差" "$i,10086热线,1,银卡$i,南京,,否,信号差")
			want+=(important_customer "")
		done
	done
	urgent "${rows[@]}" > got
	printf '%s\n' "${want[@]}" > want
	diff want got
}

@test "--levels replaces the level table, which is checked when it loads" {
	printf 'id,pattern,important,vip\nsilver,银卡,1,0\n' > lv.csv
	FLAGS="--levels lv.csv"
	[ "$(urgent '1,10086热线,1,银卡,南京,,否,信号差')" = "important_customer" ]
	[ "$(urgent '1,10086热线,1,金卡,南京,,否,信号差')" = "" ]
	printf 'id,pattern,important,vip,must_match\nsilver,银卡,maybe,0,\n' > bad.csv
	run cplclassify --levels bad.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:2: important 'maybe' is not 1 or 0"
	printf 'id,pattern,important,vip,must_match\nsilver,银卡,1,0,金卡\n' > bad.csv
	run cplclassify --levels bad.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:2: rule 'silver' does not match its example '金卡'"
}

@test "sensitive_customer: on the --sensitive list, or presents as journalist, lawyer, deputy" {
	printf '# watched\n13800000001\n139 0000 0002\n' > s.txt
	FLAGS="--sensitive s.txt"
	[ "$(urgent '1,10086热线,13800000001,普通,南京,,否,信号差')" = "sensitive_customer" ]
	[ "$(urgent '1,10086热线,13900000002,普通,南京,,否,信号差')" = "sensitive_customer" ]
	[ "$(urgent '1,10086热线,13800000009,普通,南京,,否,信号差')" = "" ]
	FLAGS=
	[ "$(urgent '1,10086热线,1,普通,南京,,否,我是记者，信号差')" = "sensitive_customer" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,客户自称人大代表')" = "sensitive_customer" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,本人是律师，信号差')" = "sensitive_customer" ]
	[ "$(urgent '1,10086热线,1,普通,南京,,否,我不是记者，信号差')" = "" ]
}

@test "urgency and priority follow the most urgent type; normal cases are 9" {
	urgent '1,工信部申诉,1,金卡,南京,上海,是,扬言曝光' '2,10086热线,1,普通,南京,上海,否,信号差' '3,10086热线,1,普通,南京,,否,信号差' >/dev/null
	[ "$(mlr --icsv --onidx --ofs '|' cut -o -f urgency,urgent_types,priority out.csv | tr '\n' ' ')" = \
		"urgent|major;over_level;escalated;important_customer;cross_region|1 urgent|cross_region|8 normal||9 " ]
}

@test "--priority ranks the urgent types" {
	FLAGS="--priority cross_region,important_customer"
	urgent '1,工信部申诉,1,金卡,南京,上海,否,信号差' '2,10086热线,1,普通,南京,,否,扬言曝光' >/dev/null
	[ "$(col out.csv priority | tr '\n' ' ')" = "1 3 " ]
	[ "$(col out.csv urgent_types | head -1)" = "cross_region;important_customer;over_level" ]
	run cplclassify --priority major,urgentish c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q -- "--priority: 'urgentish' is not an urgent type"
	run cplclassify --priority major,major c.csv
	[ "$status" -eq 2 ]
}
