#!/usr/bin/env bats
# cplphrase --suggest: what to say to a classified case, by technique
# (移情法, 3F法, 三明治法, 引导征询法) and seed 000's regulation-backed answers.
load helper

PH="$BATS_TEST_DIRNAME/fixtures/phrase"

suggest() { cplphrase --suggest "$PH/classified.csv" > out.csv; }
tech() { mlr --icsv --onidx filter "\$case_id==\"$1\"" then cut -f technique out.csv; }
reply() { mlr --icsv --onidx filter "\$case_id==\"$1\"" then cut -f suggested_reply out.csv; }

@test "--suggest adds technique and suggested_reply (and the check of the reply column)" {
	suggest
	[ "$(head -n 1 out.csv)" = "case_id,text,agent_id,reply,emotion,complainant_type,category,subcategory,phrase_score,phrase_errors,phrase_warnings,phrase_findings,phrase_missing,technique,suggested_reply,cpl_problems" ]
	[ "$(count_records out.csv)" = 12 ]
}

@test "移情法 for an angry customer, before the body" {
	suggest
	[ "$(tech S01)" = "移情法;标准应答" ]
	reply S01 | grep -q '^您好,我是客服代表1024,很高兴为您服务。我非常理解您现在的心情,换成是我也会跟您一样着急。'
}

@test "引导征询法 when the customer wants compensation; angry and compensating gets both" {
	suggest
	[ "$(tech S08)" = "引导征询法" ]
	reply S08 | grep -q '请问您希望我们怎样处理'
	[ "$(tech S12)" = "移情法;引导征询法" ]
}

@test "3F法 for a customer who misread a policy (by subcategory or by the complaint's words)" {
	suggest
	[ "$(tech S09)" = "3F法" ]
	reply S09 | grep -q '其他客户也曾经有过同样的感受,不过经过说明后,他们发觉这种规定是保护他们的利益的'
	printf 'case_id,text,emotion,subcategory\nP,对规定不满,calm,business_handling.policy\n' > p.csv
	[ "$(cplphrase --suggest p.csv | mlr --icsv --onidx cut -f technique)" = "3F法" ]
}

@test "三明治法 when the answer is no (the reply refuses)" {
	suggest
	[ "$(tech S10)" = "三明治法" ]
	reply S10 | grep -q '我们会想尽一切办法来帮助您。.*不过我们可以为您提供其他的解决办法'
}

@test "seed 000's six regulation-backed answers, by subcategory (and the recharge card by its words)" {
	suggest
	for c in S02 S03 S04 S05 S06 S07; do [ "$(tech $c)" = "依规答复" ] || fails "$c: $(tech $c)"; done
	reply S02 | grep -q '停机超过90天的号码可以收回'
	reply S03 | grep -q '我们可以在到期半年内为您办理延期服务'
	reply S04 | grep -q '掉话率应不高于5%'
	reply S05 | grep -q '应答率应不低于85%'
	reply S06 | grep -q '保留期限至少为5个月'
	reply S07 | grep -q '有效证件原件'
}

@test "every reply has the standard opening and closing, with the agent number when the record has one" {
	suggest
	for c in S01 S02 S04 S05 S06 S07 S08 S09 S10 S11 S12; do
		reply $c | grep -q '^您好,我是客服代表[0-9]*,很高兴为您服务。' || fails "$c"
	done
	reply S03 | grep -q '^您好,很高兴为您服务。'
	for c in $(col out.csv case_id); do
		reply $c | grep -q '这样处理您还满意吗?感谢您的来电,祝您生活愉快,再见!$' || fails "$c"
	done
}

@test "the suggested replies pass the linter: no errors" {
	cplphrase --suggest "$PH/classified.csv" | cplphrase --lint --column suggested_reply > found.txt
	! grep -q ' error ' found.txt
}

@test "--suggest needs classified records" {
	printf 'case_id,text\nA,x\n' > in.csv
	run cplphrase --suggest in.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'needs classified records'
}

@test "a re-run replaces technique and suggested_reply in place" {
	cplphrase --suggest "$PH/classified.csv" > once.csv
	cplphrase --suggest once.csv > twice.csv
	cmp once.csv twice.csv
}

@test "--templates replaces the templates; one without a fallback row is refused" {
	cat > t.csv <<'CSV'
slot,technique,emotion,customer_level,body
opening,,,,您好。
body,贵宾服务,,金卡;钻石*,"尊贵的{customer_level}客户,我们马上为您处理。"
body,,,,我们马上为您处理。
closing,,,,再见。
CSV
	printf 'case_id,emotion,客户级别\nA,calm,金卡\nB,calm,普通\nC,calm,钻石卡\n' > in.csv
	cplphrase --suggest --templates t.csv in.csv > out.csv
	[ "$(reply A)" = "您好。尊贵的金卡客户,我们马上为您处理。再见。" ]
	[ "$(reply B)" = "您好。我们马上为您处理。再见。" ]
	[ "$(tech C)" = "贵宾服务" ]
	printf 'slot,technique,emotion,body\nopening,,,您好。\nbody,,angry,别急。\nclosing,,,再见。\n' > bad.csv
	run cplphrase --suggest --templates bad.csv in.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "slot 'body' needs a last row without conditions"
	run cplphrase --templates t.csv in.csv
	[ "$status" -eq 2 ]
}
