#!/usr/bin/env bats
# Valgrind memcheck over the demo pipeline (examples/demo.sh's commands) on a
# small log: no memory errors and no leaks (definite, indirect or possible)
# in any command.  CPL_NO_JIT=1 makes pcre2 interpret, as valgrind cannot
# follow JIT code.  Skipped without valgrind, or on a sanitizer build.
load helper

NOW='2026-11-22 07:00:00'

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	cat > cases.csv <<-'EOF'
	工单编号,受理时间,受理渠道,客户号码,客户级别,地市,问题发生地,投诉内容,处理工号,回复内容,首次回复时间,归档时间,工单状态,是否升级,处理部门
	GD1,2026-11-21 09:40:11,10086热线,13800000001,金卡,南京,,客戶反映家中信號差，揚言要向媒體曝光！！,1013,您搞错了，这不是我们的事,2026-11-21 10:00:00,,处理中,否,网络部
	GD2,2026-11-21 10:00:00,工信部申诉,13800000002,普通,苏州,上海,话费多扣了二十元要求退还，已经第三次投诉,1014,您好，给您带来不便非常抱歉，已为您退费,2026-11-21 10:30:00,2026-11-21 16:00:00,已归档,是,计费部
	GD3,2026-02-30 10:00,在线客服,13800000003,银卡,南京,,宽带断网三天了没人管,1015,"您好，
	已为您报修",,,处理中,否,
	GD4,2026-11-20 08:00:00,10086热线,13800000001,金卡,南京,,又是信号差，上次说修好了,1013,您好，很抱歉,2026-11-20 09:00:00,2026-11-20 12:00:00,已归档,否,网络部
	EOF
}

setup() {
	[ "$(cat "$CPL_BUILD/variant" 2>/dev/null)" != san ] || skip "a sanitizer build"
	command -v valgrind >/dev/null || skip "no valgrind"
	T="$BATS_TEST_TMPDIR"
	D="$BATS_FILE_TMPDIR"
	cd "$T" || return 1
	export CPL_NO_JIT=1
}

# vg CMD...: run under memcheck; fail on any error or leak
vg() {
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--log-file=vg.log "$@" && st=0 || st=$?
	[ "$st" != 99 ] && [ ! -s vg.log ] || fails "$*: $(head -n 30 vg.log)"
	return 0
}

@test "memcheck: the pipeline, command by command, has no errors and no leaks" {
	vg cplclassify "$D/cases.csv" > c1.csv 2>/dev/null
	vg cpldeadline --now "$NOW" c1.csv > c2.csv 2>/dev/null
	vg cplphrase c2.csv > all.csv 2>/dev/null
	[ "$(count_records all.csv)" = 4 ]
	local f
	for f in text html json md; do
		vg cplreport --now "$NOW" --day yesterday --lang en --format $f all.csv > /dev/null 2>&1
	done
	vg cplreport --by category,urgency --lang en all.csv > /dev/null 2>&1
	vg cplreport --by case_id --format csv "$D/cases.csv" > /dev/null 2>&1
}

@test "memcheck: --explain, --lint and --text have no errors and no leaks" {
	vg cplclassify --explain "$D/cases.csv" > /dev/null 2>&1
	vg cplphrase --lint "$D/cases.csv" > /dev/null 2>&1
	echo '您搞错了，这不是我们的事，公司的规定就是这样，我没有办法。' > d.txt
	vg cplphrase --text d.txt > /dev/null 2>&1
	cplclassify "$D/cases.csv" > c1.csv 2>/dev/null || true
	vg cplphrase --suggest c1.csv > /dev/null 2>&1
}

@test "memcheck: hostile bytes (NUL, bad UTF-8, an unterminated quote) have no errors" {
	{ head -n 2 "$D/cases.csv"; printf 'GD9,2026-11-21 09:00:00,热线,1,普通,南京,,\xff\0坏,1,"未闭合\n'; } > bad.csv
	vg cplclassify bad.csv > /dev/null 2>&1
	vg cpldeadline --now "$NOW" bad.csv > /dev/null 2>&1
	vg cplphrase bad.csv > /dev/null 2>&1
	vg cplreport bad.csv > /dev/null 2>&1
}
