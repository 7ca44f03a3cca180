#!/usr/bin/env bats
# cplphrase rules: the built-in table from the seeds, its variants (traditional,
# full-width, spaces, particles, 你/您), no false alarms on the seeds' good
# phrases, and the rule tables a user gives.
load helper

PH="$BATS_TEST_DIRNAME/fixtures/phrase"

# findings CSV: the rule ids found per case, "id rule,rule" a line
rules_by_case() {
	cplphrase --lint --format csv "$@" | mlr --icsv --onidx --ofs ' ' nest --ivar , -f rule then cut -o -f id,rule
}

@test "the built-in rules load: every example of every rule is checked" {
	run cplphrase --list-rules
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | mlr --icsv --onidx filter '$kind=="forbidden"' then count)" -ge 13 ]
	for id in kid_knows price_quality impossible not_sure never_said dont_know_how company_rule \
		cant_read_chinese notify_later not_our_business busy dont_know regulation_refusal \
		you_confused_me you_are_wrong said_clearly understood what_did_you_say but_concession \
		not_supported defensive_denial push_back greeting self_intro empathy apology \
		time_commitment satisfaction closing refusal_alternative apology_time; do
		echo "$output" | grep -q "^$id," || fails "no rule $id"
	done
}

@test "forbidden and substitution: each seed wording and its variants finds exactly its rule" {
	rules_by_case --disable required,conditional "$PH/bad-phrases.csv" > got.txt || true
	mlr --icsv --onidx --ofs ' ' cut -o -f case_id,rule "$PH/bad-phrases.csv" > want.txt
	diff want.txt got.txt
}

@test "forbidden phrases are errors, substitutions warnings with the better phrase" {
	run cplphrase --lint --disable required,conditional "$PH/bad-phrases.csv"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^B029:1: error not_our_business: 禁言:推卸责任(这不是我们的事): "这不是我们的事情"'
	echo "$output" | grep -q '^B044:1: warning you_are_wrong: .*(我觉得我们的沟通存在误解)$'
	echo "$output" | grep -q '^B050:1: warning what_did_you_say: .*(对不起,我没有听明白,请您再说一遍好吗?)$'
}

@test "traditional twins and full-width punctuation find the same rule at the same column" {
	printf 'case_id,reply\nS,您好。這不是我們的事！\nT,您好。这不是我们的事!\n' > in.csv
	run cplphrase --lint --disable required,conditional in.csv
	[ "${lines[0]}" = 'S:4: error not_our_business: 禁言:推卸责任(这不是我们的事): "這不是我們的事" (我来帮您联系相关部门处理,并在24小时内给您回复)' ]
	[ "${lines[1]}" = 'T:4: error not_our_business: 禁言:推卸责任(这不是我们的事): "这不是我们的事" (我来帮您联系相关部门处理,并在24小时内给您回复)' ]
}

@test "no recommended phrase of the seeds is flagged as forbidden or substituted" {
	run cplphrase --lint --disable required,conditional "$PH/good-phrases.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the recommended answers 这个问题我暂时无法给您确切的答复 and 这不是您的错 have no errors" {
	printf '%s\n' '这个问题我暂时无法给您确切的答复,我会记录下来,并在24小时内安排专人为您回电处理。' > a.txt
	printf '%s\n' '这不是您的错,我来帮您处理。' > b.txt
	run cplphrase --text a.txt b.txt
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q ' error '
}

@test "bare 不知道 is forbidden, but 听不清楚 and 如有不清楚的地方 are not" {
	printf 'case_id,reply\nA,我不知道。\nB,"对不起,可能信号不好,听不清楚,请您重拨一次,好吗?"\nC,"如有不清楚的地方,欢迎随时致电"\nD,"我不清楚您说的是哪一笔费用,请您再说一下好吗"\n' > in.csv
	run cplphrase --lint --disable required,conditional in.csv
	[ "$output" = 'A:1: error dont_know: 禁言:以“不知道”“不清楚”作答: "我不知道" (查找资料或请示上级后答复;暂时无法答复时说明何时答复)' ]
}

@test "required elements are scoped: a greeting must open the reply, a closing must end it" {
	printf 'case_id,reply\nA,"您好,我是客服代表1024。给您带来不便,非常抱歉。感谢您的来电,再见。"\nB,"请稍等。我查一下。好的。您好,感谢您的来电。已为您处理。稍后短信通知。"\n' > in.csv
	cplphrase in.csv > out.csv
	[ "$(mlr --icsv --onidx filter '$case_id=="A"' then cut -f phrase_missing out.csv)" = "empathy;time_commitment;satisfaction" ]
	[ "$(mlr --icsv --onidx filter '$case_id=="B"' then cut -f phrase_missing out.csv)" = "greeting;self_intro;empathy;apology;time_commitment;satisfaction;closing" ]
}

@test "a line break ends a sentence for the scopes" {
	printf '您好,我是客服代表1024\n已为您处理\n感谢您的来电\n请保持电话畅通\n' > call.txt
	run cplphrase --text call.txt
	! echo "$output" | grep -q 'greeting\|self_intro\|closing'
}

@test "conditional: a refusal without an alternative is a warning; with one (三明治法) it is not" {
	printf 'case_id,reply\nA,按规定我们不能办理。\nB,"我们不能办理退费,不过可以为您申请话费补偿。"\nC,"给您带来不便,非常抱歉。"\nD,"给您带来不便,非常抱歉,我们会在24小时内给您答复。"\n' > in.csv
	run cplphrase --lint --disable required in.csv
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^A:6: warning refusal_alternative: .*: "不能办理"'
	echo "$output" | grep -q '^C:1: warning apology_time: '
	! echo "$output" | grep -q '^B:\|^D:'
}

@test "missing and conditional elements are never errors: a short polite reply exits 0" {
	printf '您好。\n' > short.txt
	run cplphrase --text short.txt
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q ' error '
	echo "$output" | grep -q 'warning closing'
}

@test "--disable switches rules off by id and by kind; an unknown name is a usage error" {
	printf 'case_id,reply\nA,这不是我们的事!您搞错了。\n' > in.csv
	run cplphrase --lint --disable required in.csv
	echo "$output" | grep -q not_our_business
	echo "$output" | grep -q you_are_wrong
	run cplphrase --lint --disable required,not_our_business in.csv
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q not_our_business
	echo "$output" | grep -q you_are_wrong
	run cplphrase --lint --disable required --disable substitution in.csv
	[ "$status" -eq 1 ]
	! echo "$output" | grep -q you_are_wrong
	run cplphrase --disable no_such_rule in.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "cplphrase: --disable: no rule or kind 'no_such_rule'"
}

@test "--rules replaces the built-in table" {
	cat > mine.csv <<'CSV'
id,kind,pattern,message,must_match,must_not_match
no_dear,forbidden,亲,不要叫客户“亲”,亲 您好,您好
CSV
	printf 'case_id,reply\nA,亲 这不是我们的事\n' > in.csv
	run cplphrase --lint --rules mine.csv in.csv
	[ "$status" -eq 1 ]
	[ "$output" = 'A:1: error no_dear: 不要叫客户“亲”: "亲"' ]
}

@test "--add-rules extends the table, replaces a rule of the same id, or switches one off (enabled=0)" {
	cat > more.csv <<'CSV'
id,kind,pattern,message,enabled
no_dear,forbidden,亲,不要叫客户“亲”,
busy,,,,0
CSV
	printf 'case_id,reply\nA,"亲,我正忙着呢"\n' > in.csv
	run cplphrase --lint --disable required --add-rules more.csv in.csv
	echo "$output" | grep -q '^A:1: error no_dear'
	! echo "$output" | grep -q busy
	run cplphrase --lint --disable required in.csv
	echo "$output" | grep -q 'error busy'
}

@test "the enabled column switches a rule off in its own table" {
	cat > mine.csv <<'CSV'
id,kind,pattern,enabled
a,forbidden,亲,0
b,forbidden,喂,1
CSV
	printf 'case_id,reply\nA,"亲,喂"\n' > in.csv
	run cplphrase --lint --rules mine.csv in.csv
	[ "$output" = 'A:3: error b: forbidden phrase: "喂"' ]
}

@test "a rule whose example fails refuses the table with its line" {
	cat > bad.csv <<'CSV'
id,kind,pattern,must_match,must_not_match
# a comment
ok,forbidden,这不是我们的事,这不是我们的事,
never,forbidden,这不是我们的事情情,这不是我们的事,
CSV
	printf 'case_id,reply\nA,x\n' > in.csv
	run cplphrase --rules bad.csv in.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cplphrase: bad.csv:4: rule 'never' does not match its example '这不是我们的事'" ]
	printf 'id,kind,pattern,must_not_match\nx,forbidden,您,这不是您的错\n' > bad2.csv
	run cplphrase --rules bad2.csv in.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cplphrase: bad2.csv:2: rule 'x' matches its example '这不是您的错'" ]
}

@test "bad tables are refused: unknown kind, error level on a required element, a pattern matching nothing, a conditional without unless" {
	printf 'case_id,reply\nA,x\n' > in.csv
	printf 'id,kind,pattern\nx,banned,您\n' > t1.csv
	run cplphrase --rules t1.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t1.csv:2: rule 'x': kind must be"
	printf 'id,kind,level,pattern\nx,required,error,您好\n' > t2.csv
	run cplphrase --rules t2.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t2.csv:2: rule 'x': a required element is never error level"
	printf 'id,kind,pattern\nx,forbidden,(您)?\n' > t3.csv
	run cplphrase --rules t3.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t3.csv:2: rule 'x': the pattern matches the empty text"
	printf 'id,kind,pattern\nx,conditional,不能\n' > t4.csv
	run cplphrase --rules t4.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t4.csv:2: rule 'x': a conditional rule needs 'unless'"
	printf 'id,kind,pattern\nx,forbidden,(unclosed\n' > t5.csv
	run cplphrase --rules t5.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t5.csv:2: bad pattern"
	printf 'id,kind,pattern\nx,forbidden,a\nx,forbidden,b\n' > t6.csv
	run cplphrase --rules t6.csv in.csv
	[ "$status" -eq 2 ]; echo "$output" | grep -q "t6.csv:3: rule 'x' appears twice"
}

@test "a pathological user pattern hits the match limit: the record is kept and the problem stated" {
	printf 'id,kind,pattern\nslow,forbidden,(a+)+$\n' > slow.csv
	{ echo case_id,reply; printf 'A,'; head -c 30000 /dev/zero | tr '\0' a; echo b; echo 'B,ok'; } > in.csv
	run cplphrase --rules slow.csv in.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -q "in.csv:2: rule 'slow': the pattern hit the match limit"
	cplphrase --rules slow.csv in.csv 2>/dev/null > out.csv || true
	[ "$(count_records out.csv)" = 2 ]
}

@test "the literal prefilter changes no result" {
	cat "$PH/bad-phrases.csv" > all.csv
	tail -n +2 "$PH/good-phrases.csv" | cut -d, -f1,3- >> all.csv
	cplphrase --lint --format csv all.csv > with.csv || true
	CPL_PHRASE_NO_PREFILTER=1 cplphrase --lint --format csv all.csv > without.csv || true
	[ -s with.csv ]
	cmp with.csv without.csv
}
