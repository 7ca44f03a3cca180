#!/usr/bin/env bats
# cplclassify: category, subcategory and cause from the rule table: scoring,
# ties, other, rules on other columns, --rules / --add-rules, the checks a
# table passes when it loads, and traditional characters.
load helper
bats_require_minimum_version 1.5.0

R="$FIX/classify/rules.csv"
HEAD="id,category,subcategory,cause,weight,pattern,must_match,must_not_match,note"

# verdict TEXT [FLAGS...]: category,subcategory,cause of one case
verdict() {
	local text=$1
	shift
	printf 'case_id,text\n1,"%s"\n' "$text" > c.csv
	cplclassify "$@" c.csv | mlr --icsv --ocsv --headerless-csv-output cut -o -f category,subcategory,cause
}

@test "each matching rule adds its weight; the highest total wins" {
	printf '%s\n' "$HEAD" \
		'a1,network,network.coverage,product,3,信号,,,' \
		'b1,billing,billing.charge_dispute,price,2,扣费,,,' \
		'b2,billing,billing.refund,price,2,退,,,' > r.csv
	[ "$(verdict '信号差' --rules r.csv)" = "network,network.coverage,product" ]
	[ "$(verdict '信号差导致扣费，要求退' --rules r.csv)" = "billing,billing.charge_dispute,price" ]
}

@test "a rule counts once however often it matches" {
	printf '%s\n' "$HEAD" 'a1,network,network.coverage,product,3,信号,,,' 'b1,billing,billing.charge_dispute,price,4,扣费,,,' > r.csv
	[ "$(verdict '信号信号信号，扣费' --rules r.csv)" = "billing,billing.charge_dispute,price" ]
}

@test "ties go to the category whose best rule comes first in the table" {
	printf '%s\n' "$HEAD" 'a1,network,network.coverage,product,3,信号,,,' 'b1,billing,billing.charge_dispute,price,3,扣费,,,' > r.csv
	[ "$(verdict '扣费，信号' --rules r.csv)" = "network,network.coverage,product" ]
	printf '%s\n' "$HEAD" 'b1,billing,billing.charge_dispute,price,3,扣费,,,' 'a1,network,network.coverage,product,3,信号,,,' > r.csv
	[ "$(verdict '扣费，信号' --rules r.csv)" = "billing,billing.charge_dispute,price" ]
}

@test "subcategory and cause come from the winning category's strongest rule (ties: earliest)" {
	printf '%s\n' "$HEAD" \
		'a1,network,network.coverage,product,2,信号,,,' \
		'a2,network,network.call_quality,service,5,掉话,,,' \
		'a3,network,network.data_speed,price,5,网速,,,' > r.csv
	[ "$(verdict '信号差，掉话' --rules r.csv)" = "network,network.call_quality,service" ]
	[ "$(verdict '信号差，网速慢，掉话' --rules r.csv)" = "network,network.call_quality,service" ]
}

@test "negative weights count against a category; no positive score is other" {
	printf '%s\n' "$HEAD" 'a1,network,network.coverage,product,3,信号,,,' 'a2,network,network.coverage,product,-4,信号灯,,,' > r.csv
	[ "$(verdict '信号差' --rules r.csv)" = "network,network.coverage,product" ]
	[ "$(verdict '路口信号灯坏了' --rules r.csv)" = "other,other," ]
	[ "$(verdict '你好' --rules r.csv)" = "other,other," ]
}

@test "a rule's field column matches another column" {
	printf '%s,field\n' "$HEAD" > r.csv
	printf '%s\n' 'a1,service,service.hotline,service,3,热线,,,,channel' 'b1,billing,billing.charge_dispute,price,2,扣费,,,,' >> r.csv
	printf 'case_id,channel,text\n1,10086热线,扣费\n2,营业厅,扣费\n3,营业厅,热线\n' > c.csv
	cplclassify --rules r.csv c.csv > out.csv
	[ "$(col out.csv category | tr '\n' ' ')" = "service billing other " ]
}

@test "the fixture table: subcategories and causes of several categories" {
	[ "$(verdict '缴费后仍未开机' --rules "$R")" = "billing,billing.not_restored_after_payment,price" ]
	[ "$(verdict '营业员态度差' --rules "$R")" = "service,service.attitude,service" ]
	[ "$(verdict '没有订购彩铃却扣费' --rules "$R")" = "unauthorized_subscription,unauthorized_subscription.sp,product" ]
}

@test "--rules replaces the table; --add-rules extends it and replaces a rule of the same id" {
	printf '%s\n' "$HEAD" 'x1,marketing,marketing.gift,service,9,信号,,,' > add.csv
	[ "$(verdict '信号差' --rules "$R")" = "network,network.coverage,product" ]
	[ "$(verdict '信号差' --rules "$R" --add-rules add.csv)" = "marketing,marketing.gift,service" ]
	printf '%s\n' "$HEAD" 'net.coverage,network,network.coverage,product,3,基站,,,' > fix.csv
	[ "$(verdict '信号差' --rules "$R" --add-rules fix.csv)" = "other,other," ]
	[ "$(verdict '基站坏了' --rules "$R" --add-rules fix.csv)" = "network,network.coverage,product" ]
	[ "$(verdict '信号差' --rules add.csv)" = "marketing,marketing.gift,service" ]
}

@test "a bad rule table is refused with file, line and reason" {
	printf 'case_id,text\n1,x\n' > c.csv
	bad() {
		printf '%s\n%s\n' "$HEAD" "$1" > bad.csv
		run cplclassify --rules bad.csv c.csv
		[ "$status" -eq 2 ] || fails "status $status for $1"
		echo "$output" | grep -q "^cplclassify: bad.csv:2: $2" || fails "message for $1: $output"
	}
	bad 'a,Network,network.x,product,1,x,,,' "rule 'a': category 'Network' is not a lowercase code"
	bad 'a,network,network x,product,1,x,,,' "rule 'a': subcategory 'network x' is not"
	bad 'a,network,network.x,goods,1,x,,,' "rule 'a': cause 'goods' is not product, service, price or empty"
	bad 'a,network,network.x,product,heavy,x,,,' "rule 'a': weight 'heavy' is not a number"
	bad 'a,network,network.x,product,1,,,,' "rule 'a': empty pattern"
	bad 'a,network,network.x,product,1,[x,,,' "bad pattern at character"
	bad 'a,network,network.x,product,1,信号,网速慢,,' "rule 'a' does not match its example '网速慢'"
	bad ',network,network.x,product,1,x,,,' "empty rule id"
	bad 'a,billing,network.x,product,1,x,,,' "rule 'a': subcategory 'network.x' is not one of category 'billing' (billing.something)"
	bad 'a,network,network.x,product,1,扣费(,,,' "bad pattern at character 4 ('扣费(' before it): missing closing parenthesis"
	printf '%s\n%s\n%s\n' "$HEAD" 'a,network,network.x,product,1,x,,,' 'a,network,network.x,product,1,y,,,' > bad.csv
	run cplclassify --rules bad.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:3: rule id 'a' appears twice (first at line 2)"
	printf 'id,category\na,network\n' > bad.csv
	run cplclassify --rules bad.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:1: missing column 'subcategory'"
	printf 'id,category,subcategory,cause,weight,patern\na,network,network.x,product,1,x\n' > bad.csv
	run cplclassify --rules bad.csv c.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cplclassify: bad.csv:1: missing column 'pattern' (is 'patern' it?)" ] || fails "$output"
}

@test "a category a table brings in a slip from a known one is said; a new one of its own is not" {
	printf 'case_id,text\n1,扣费了\n' > c.csv
	printf '%s\n%s\n' "$HEAD" 'my.cat,biling,biling.x,price,6,扣费,扣费了,,' > typo.csv
	run --separate-stderr cplclassify --add-rules typo.csv c.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "cplclassify: typo.csv:2: category 'biling' is new: did you mean 'billing'?" ] || fails "$stderr"
	# in a table of its own, the category of fewer rules is the slip
	printf '%s\n%s\n%s\n%s\n' "$HEAD" 'a,billing,billing.x,price,6,扣费,,,' 'b,billing,billing.y,price,6,退费,,,' \
		'c,biling,biling.z,price,6,话费,,,' > own.csv
	run --separate-stderr cplclassify --rules own.csv c.csv
	[ "$stderr" = "cplclassify: own.csv:4: category 'biling' is new: did you mean 'billing'?" ] || fails "$stderr"
	run --separate-stderr cplclassify --add-rules "$ROOT/examples/rules-custom.csv" c.csv
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fails "$stderr"
	# two letters from a known code is a code of its own (device, not service); a subcategory
	# written as the category itself is the category
	printf '%s\n%s\n' "$HEAD" 'd.x,device,device,product,6,扣费,扣费了,,' > dev.csv
	run --separate-stderr cplclassify --add-rules dev.csv c.csv
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fails "$stderr"
	[ "$(echo "$output" | mlr --icsv --onidx cut -f category,subcategory)" = "device device" ]
}

@test "a pathological pattern hits the match limit: a record problem, not a hang" {
	printf '%s\n%s\n' "$HEAD" 'slow,network,network.x,product,1,(a+)+$,,,' > r.csv
	printf 'case_id,text\n1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n2,ok\n' > c.csv
	run --separate-stderr timeout 20 cplclassify --rules r.csv c.csv
	[ "$status" -eq 3 ]
	echo "$stderr" | grep -q "c.csv:2: rule 'slow' hit the match limit"
	[ "$(echo "$output" | count_records /dev/stdin)" -eq 2 ]
}

@test "a pattern with a start-of-pattern verb matches as pcre2 means it, with the JIT and without" {
	{
		echo "$HEAD"
		echo 'store.y,service_use,service_use.store,,50,"(*NO_JIT)营业厅.{0,4}卫生间",营业厅的卫生间很脏,,'
		echo 'store.z,service_use,service_use.store,,50,(*NOTEMPTY)(?:营业厅卫生间)?,,,'
	} > verbs.csv
	printf 'case_id,text\nA1,营业厅的卫生间很脏\nA2,信号不好无法上网\n' > in.csv
	for jit in "" 1; do
		run --separate-stderr env ${jit:+CPL_NO_JIT=1} cplclassify --add-rules verbs.csv in.csv
		[ "$status" -eq 0 ] || fails "CPL_NO_JIT=$jit: exit $status: $stderr"
		[ -z "$stderr" ] || fails "$stderr"
		[ "$(echo "$output" | mlr --icsv --onidx cut -f category)" = "service_use
network" ] || fails "$output"
	done
}

@test "a text in traditional characters gets the same answer as its simplified twin" {
	printf 'case_id,customer_level,text\n' > c.csv
	while IFS='|' read -r trad simp; do
		printf 'T,金卡,"%s"\nS,金卡,"%s"\n' "$trad" "$simp" >> c.csv
	done <<-'EOF'
	客戶反映家中信號差，經常掉線，要求處理！！|客户反映家中信号差，经常掉线，要求处理！！
	多扣了話費，強烈不滿，要求退還並賠償|多扣了话费，强烈不满，要求退还并赔偿
	營業員態度惡劣，揚言要向媒體曝光|营业员态度恶劣，扬言要向媒体曝光
	沒有訂購彩鈴卻被扣費|没有订购彩铃却被扣费
	收到垃圾短信和騷擾電話，客戶已向工信部投訴過|收到垃圾短信和骚扰电话，客户已向工信部投诉过
	EOF
	for table in "$R" ""; do
		cplclassify ${table:+--rules "$table"} c.csv > out.csv
		mlr --icsv --ocsv cut -x -f case_id,text out.csv > v.csv
		[ "$(count_records v.csv)" -eq 10 ]
		# every traditional row equals the simplified row after it
		paste -d'\n' <(sed -n '2~2p' v.csv) <(sed -n '3~2p' v.csv) | uniq -u > diff.txt
		[ ! -s diff.txt ] || { cat diff.txt; fails "twins differ with ${table:-the built-in table}"; }
	done
	[ "$(col out.csv category | sed -n 1p)" = network ]
}
