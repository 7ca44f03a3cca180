#!/usr/bin/env bats
# cplclassify: rules are skipped when the words they need are absent, and run
# from just before the first of them; neither may change a verdict.  ASCII
# words are found in any case (and through U+017F and U+212A, which caseless
# matching takes for s and k); lookbehinds still see the text before; hits
# far into a long text are placed at the right character.
load helper
bats_require_minimum_version 1.5.0

HEAD="id,category,subcategory,cause,weight,pattern,must_match,must_not_match,note"

# rules_of TEXT [FLAGS...]: class_rules of one case
rules_of() {
	local text=$1
	shift
	printf 'id,kind,value,pattern\n' > q.csv
	printf 'case_id,text\n1,"%s"\n' "$text" > c.csv
	cplclassify "$@" c.csv | mlr --icsv --ocsv --headerless-csv-output cut -f class_rules
}

@test "an ASCII word in a rule is found in any case" {
	printf '%s\n' "$HEAD" 'w1,service_use,service_use.wlan,product,5,WLAN(?:认证|登录),,,' > r.csv
	[ "$(rules_of '手机登录wlan认证失败' --rules r.csv --cues q.csv)" = "w1" ]
	[ "$(rules_of '手机登录WlAn登录不上' --rules r.csv --cues q.csv)" = "w1" ]
	[ "$(rules_of '手机登录WLAN失败' --rules r.csv --cues q.csv)" = "" ]
}

@test "a rule of ASCII words still matches through the long s and the Kelvin sign" {
	printf '%s\n' "$HEAD" 'k1,business_handling,business_handling.sim_replacement,service,6,sim|kk,,,' > r.csv
	[ "$(rules_of 'ſim卡丢了要补办' --rules r.csv --cues q.csv)" = "k1" ]
	[ "$(rules_of 'Kk卡丢了要补办' --rules r.csv --cues q.csv)" = "k1" ]
	[ "$(rules_of '手机卡丢了要补办' --rules r.csv --cues q.csv)" = "" ]
}

@test "a lookbehind sees the text before where the rule starts running" {
	printf '%s\n' "$HEAD" 's1,service,service.attitude,service,3,(?<!不)满意度|服务差,,,' > r.csv
	long=$(printf '客户来电反映%.0s' $(seq 1 40))
	[ "$(rules_of "${long}对结果不满意度很低" --rules r.csv --cues q.csv)" = "" ]
	[ "$(rules_of "${long}对结果满意度很低" --rules r.csv --cues q.csv)" = "s1" ]
}

@test "a hit far into a long text is placed at the right character" {
	printf '%s\n' "$HEAD" 'n1,network,network.coverage,product,3,"信号.{0,4}差",,,' > r.csv
	long=$(printf '客户来电反映%.0s' $(seq 1 40)) # 240 characters
	printf 'id,kind,value,pattern\n' > q.csv
	printf 'case_id,text\n1,"%s信号一直很差信号差"\n' "$long" > c.csv
	run -0 cplclassify --rules r.csv --cues q.csv --explain c.csv
	[[ "$output" == *'rule n1 (network.coverage +3) matched "信号一直很差" in text at char 241'* ]]
}

@test "a rule that can match anything long runs over the whole text" {
	printf '%s\n' "$HEAD" 'u1,network,network.coverage,product,3,基站.+故障,,,' > r.csv
	long=$(printf '客户来电反映%.0s' $(seq 1 40))
	[ "$(rules_of "基站${long}故障" --rules r.csv --cues q.csv)" = "u1" ]
}

@test "a rule whose plain words are in the text is a hit without being run, and only then" {
	printf '%s\n' "$HEAD" \
		'p1,info_security,info_security.number_marked,product,5,"(?:被)?标记(?:为)?|号码.{0,4}拦截",,,' \
		'p2,complaint,complaint.hotline,service,5,(?>投|投诉)电话,,,' \
		'p3,complaint,complaint.repeat,service,5,(?:投诉)?+投诉,,,' \
		'p4,marketing,marketing.coupon,price,5,优惠(?!券),,,' \
		'p5,service_use,service_use.wlan,product,5,(?-i)WLAN|无线,,,' > r.csv
	[ "$(rules_of '号码被标记为骚扰' --rules r.csv --cues q.csv)" = "p1" ]
	# atomic, possessive, lookahead, case-sensitive: the words alone are not enough
	[ "$(rules_of '投诉电话打不通' --rules r.csv --cues q.csv)" = "" ]
	[ "$(rules_of '优惠券没到' --rules r.csv --cues q.csv)" = "" ]
	[ "$(rules_of '手机wlan认证' --rules r.csv --cues q.csv)" = "" ]
	[ "$(rules_of '手机WLAN认证' --rules r.csv --cues q.csv)" = "p5" ]
	# --explain runs it to say where
	run -0 cplclassify --rules r.csv --cues q.csv --explain c.csv
	[[ "$output" == *'rule p5 (service_use.wlan +5) matched "WLAN" in text at char 3'* ]]
	printf 'case_id,text\n1,"号码被标记为骚扰"\n' > c.csv
	run -0 cplclassify --rules r.csv --cues q.csv --explain c.csv
	[[ "$output" == *'rule p1 (info_security.number_marked +5) matched "被标记为" in text at char 3'* ]]
}

@test "a rule's alternatives run alone say what the whole rule says" {
	printf '%s\n' "$HEAD" \
		'a1,billing,billing.charge_dispute,price,5,"(?:没有|未)收到.{0,4}短信|(?<!为)不知情|退[^订]{0,4}费",,,' \
		'a2,service_use,service_use.wlan,product,5,(?i)号码|wlan,,,' \
		'a3,complaint,complaint.repeat,service,5,(投诉)过|再次\1,,,' > r.csv
	# each alternative of a1 alone, a lookbehind that sees before it, a
	# class that shuts one out; an inline option and a back reference run whole
	for t in 退了两次费:a1 退订费:  为不知情: 客户称不知情:a1 没有收到过短信:a1 收到短信: \
		WLAN认证:a2 投诉过:a3 再次投诉: 退费不知情:a1; do
		[ "$(rules_of "${t%%:*}" --rules r.csv --cues q.csv)" = "${t#*:}" ]
		[ "$(rules_of "${t%%:*}" --rules r.csv --cues q.csv --explain 2>/dev/null)" = "${t#*:}" ]
	done
}

@test "the verdicts of the default rules are the same with and without --explain" {
	cplclassify "$ROOT/examples/cases.csv" | mlr --icsv --ocsv cut -f 工单编号,category,subcategory,urgent_types,priority,complainant_type,emotion,class_rules > plain.csv
	cplclassify --explain "$ROOT/examples/cases.csv" | mlr --icsv --ocsv cut -f 工单编号,category,subcategory,urgent_types,priority,complainant_type,emotion,class_rules > explained.csv
	[ "$(wc -l < plain.csv)" -gt 10 ]
	diff plain.csv explained.csv
}

@test "rules and cues reading the same columns are found in one scan, each in table order" {
	{ printf '%s,field\n' "$HEAD"
	  printf '%s\n' 'r1,billing,billing.charge_dispute,price,2,扣费,,,,' 'r2,network,network.coverage,product,3,信号,,,,' \
		'r3,service,service.hotline,service,1,热线,,,,channel' 'r4,business_handling,business_handling.sim_replacement,service,1,sim,,,,'
	} > r.csv
	printf 'id,kind,value,field,pattern\nq1,emotion,upset,,扣费\nq2,urgent,over_level,channel,热线\nq3,complainant,compensate,,赔\n' > q.csv
	# the words come up in another order than the tables'; case 2 holds the long s
	printf 'case_id,channel,text\n1,10086热线,信号差还扣费要赔\n2,营业厅,ſim卡信号差扣费\n3,热线,\n4,营业厅,热线不通\n' > c.csv
	cplclassify --rules r.csv --cues q.csv c.csv | mlr --icsv --ocsv --headerless-csv-output cut -o -f category,urgent_types,complainant_type,emotion,class_rules > out.csv
	printf '%s\n' 'network,over_level,compensate,upset,r1;r2;r3;q1;q2;q3' 'network,,inform,upset,r1;r2;r4;q1' \
		'service,over_level,inform,calm,r3;q2' 'other,,inform,calm,' | diff - out.csv
}
