#!/usr/bin/env bats
# cplclassify: who is complaining and how (seed 000): complainant_type
# inform / correct / compensate, emotion calm / upset / angry, harassment;
# the cue table (--cues, --add-cues) and its checks.
load helper

R="$FIX/classify/rules.csv"

# one TEXT [FLAGS...]: the case's complainant_type,emotion,harassment
one() {
	local text=$1
	shift
	printf 'case_id,text\n1,"%s"\n' "$text" > c.csv
	cplclassify --rules "$R" "$@" c.csv | mlr --icsv --ocsv --headerless-csv-output cut -o -f complainant_type,emotion,harassment
}

@test "complainant: compensate for refunds and compensation, correct for a demand, inform otherwise" {
	[ "$(one '多扣了话费，要求退还多扣的50元')" = "compensate,calm,0" ]
	[ "$(one '信号差，要求赔偿损失')" = "compensate,calm,0" ]
	[ "$(one '信号差，要求尽快处理')" = "correct,calm,0" ]
	[ "$(one '信号差，希望尽快解决')" = "correct,calm,0" ]
	[ "$(one '反映家里信号差')" = "inform,calm,0" ]
	[ "$(one '客户不需要赔偿，只要求恢复信号')" = "correct,calm,0" ]
}

@test "emotion: angry for threats, insults and exclamations, upset for discontent" {
	[ "$(one '客户强烈不满')" = "inform,angry,0" ]
	[ "$(one '信号差!!')" = "inform,angry,0" ]
	[ "$(one '信号差！！！')" = "inform,angry,0" ]
	[ "$(one '你们就是骗子')" = "inform,angry,0" ]
	[ "$(one '客户情绪激动，扬言要曝光')" = "inform,angry,0" ]
	[ "$(one '多次反映信号差未解决')" = "inform,upset,0" ]
	[ "$(one '客户对解释不认可')" = "inform,upset,0" ]
	[ "$(one '客户来电查询话费')" = "inform,calm,0" ]
	[ "$(one '接到骗子电话')" = "inform,calm,0" ]
}

@test "harassment: nonsense text" {
	[ "$(one '来电无实质内容')" = "inform,calm,1" ]
	[ "$(one '啊啊啊啊啊')" = "inform,calm,1" ]
	[ "$(one '客户胡言乱语')" = "inform,calm,1" ]
	[ "$(one '客户反映收到骚扰电话')" = "inform,calm,0" ]
}

# calls N HOURS_APART TEXT: N cases of one caller from 2026-11-22
calls() {
	echo "case_id,created_at,customer_id,text"
	for i in $(seq 1 "$1"); do
		local h=$((i * $2))
		printf 'H%d,2026-11-%02d %02d:00:00,13800000001,%s\n' "$i" $((22 + h / 24)) $((h % 24)) "$3"
	done
}

@test "harassment: the same caller opening many cases with no real problem in a short time" {
	# 你好 is no complaint (category other), and no nonsense either
	calls 5 4 你好 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "11111" ]
	[ "$(col out.csv urgency | sort -u)" = "normal" ]
	calls 4 4 你好 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "0000" ]
	# five calls, but no 24 hours hold all five
	calls 5 7 你好 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "00000" ]
	# a real problem each time is not harassment
	calls 5 4 信号差 > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "00000" ]
}

@test "--harassment-calls and --harassment-window set the thresholds; 0 turns it off" {
	calls 3 1 你好 > c.csv
	cplclassify --rules "$R" --harassment-calls 3 c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "111" ]
	cplclassify --rules "$R" --harassment-calls 3 --harassment-window 2h c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "000" ]
	calls 6 1 你好 > c.csv
	cplclassify --rules "$R" --harassment-calls 0 c.csv > out.csv
	[ "$(col out.csv harassment | tr -d '\n')" = "000000" ]
	run cplclassify --harassment-calls 1 c.csv
	[ "$status" -eq 2 ]
}

@test "class_rules names the category rules and the cues that fired" {
	printf 'case_id,text\n1,多扣了话费，强烈不满，要求退还\n' > c.csv
	cplclassify --rules "$R" c.csv > out.csv
	[ "$(col out.csv class_rules)" = "bill.dispute;bill.refund;complainant.compensate;complainant.correct;emotion.angry;emotion.upset" ]
}

@test "--add-cues adds a cue and replaces one of the same id" {
	printf 'id,kind,value,field,pattern,must_match,must_not_match,note\nmy.vip,urgent,important_customer,,本行行长,,,\nemotion.angry,emotion,angry,,气死,,,\n' > add.csv
	printf 'case_id,text\n1,我是本行行长，气死了\n2,强烈不满\n' > c.csv
	cplclassify --rules "$R" --add-cues add.csv c.csv > out.csv
	[ "$(col out.csv urgent_types | tr '\n' ' ')" = "important_customer  " ]
	[ "$(col out.csv emotion | tr '\n' ' ')" = "angry upset " ]
}

@test "--cues replaces the cue table" {
	printf 'id,kind,value,pattern\nonly,emotion,angry,信号\n' > cues.csv
	printf 'case_id,channel,text\n1,工信部,信号差，要求赔偿\n' > c.csv
	cplclassify --rules "$R" --cues cues.csv c.csv > out.csv
	[ "$(mlr --icsv --ocsv --headerless-csv-output cut -o -f urgent_types,complainant_type,emotion out.csv)" = ",inform,angry" ]
}

@test "a bad cue table is refused with file, line and reason" {
	printf 'case_id,text\n1,x\n' > c.csv
	bad() {
		printf 'id,kind,value,field,pattern,must_match,must_not_match\n%s\n' "$1" > bad.csv
		run cplclassify --cues bad.csv c.csv
		[ "$status" -eq 2 ] || fails "status $status for $1"
		echo "$output" | grep -q "^cplclassify: bad.csv:2: $2" || fails "message for $1: $output"
	}
	bad 'a,mood,angry,,x,,' "cue 'a': kind 'mood' is not"
	bad 'a,emotion,furious,,x,,' "cue 'a': emotion 'furious' is not calm, upset or angry"
	bad 'a,urgent,batch,,x,,' "cue 'a': batch is found from the cases' times"
	bad 'a,urgent,urgentish,,x,,' "cue 'a': 'urgentish' is not an urgent type"
	bad 'a,emotion,angry,,(x,,' "bad pattern at character"
	bad 'a,emotion,angry,,气,生气 | 怒,' "rule 'a' does not match its example '怒'"
	bad 'a,emotion,angry,,气,,生气' "rule 'a' matches its example '生气'"
	bad 'a,emotion,angry,Text,气,,' "cue 'a': field 'Text' is not a canonical column name"
	printf 'id,kind,value,pattern\na,emotion,angry,x\na,emotion,upset,y\n' > bad.csv
	run cplclassify --cues bad.csv c.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:3: cue id 'a' appears twice"
}

@test "the built-in cue table's examples hold (it loads)" {
	printf 'case_id,text\n1,x\n' > c.csv
	run cplclassify c.csv
	[ "$status" -eq 0 ]
}

@test "emotion: a threat tied to a condition (再不处理就…, 否则…) is angry, a plain complaint to the regulator is not" {
	[ "$(one '客户第十次来电催修宽带，称再不处理就要投诉到工信部。' | cut -d, -f2)" = angry ]
	[ "$(one '表示今晚不修好就找媒体曝光' | cut -d, -f2)" = angry ]
	[ "$(one '否则将起诉你们' | cut -d, -f2)" = angry ]
	[ "$(one '客户来电查询投诉处理进度' | cut -d, -f2)" = calm ]
}
