#!/usr/bin/env bats
# Customer numbers and ID-card numbers masked in every format (also inside
# free text), and hostile case text escaped for the format it lands in.
load helper
load cplreport-helper

H="$BATS_TEST_DIRNAME/fixtures/report/hostile.csv"
FORMATS="text md html json csv"

@test "masking: no customer or ID-card number survives in any format of the report" {
	local f
	for f in $FORMATS; do
		cplreport --day 2026-11-21 -f "$f" "$RFIX/cases.csv" 2>/dev/null > out.$f || [ $? -eq 3 ]
		! grep -E '1[3-9][0-9]{9}|110101199003071234' out.$f || fails "--format $f shows a number"
	done
	grep -q '139\*\*\*\*0003' out.text
	grep -q '"customer_id": "139\*\*\*\*0003"' out.json
	grep -q '<td>139\*\*\*\*0003</td>' out.html
}

@test "masking: inside free text, every shape of number (--by text)" {
	cplreport --by text -f csv "$H" > out.csv
	grep -q '客户138\*\*\*\*1234来电，备用号码 +86 139 \*\*\*\* 5678，身份证号110\*\*\*\*\*\*\*\*\*\*\*1234。' out.csv
	grep -q '座机025-\*\*\*\*1234，另一个025\*\*\*\*1234；全角１３８\*\*\*\*５６７８；身份证 110\*\*\*\*\*\*\*\*\*\*\*123X' out.csv
	# a case number, an amount and a date are not phone numbers
	grep -q '工单号GD2026112100001不是电话；金额12.50元；日期2026-11-21' out.csv
}

@test "masking: a customer_id is masked whole, whatever its shape" {
	cplreport --by customer_id -f csv "$H" > out.csv
	grep -q '^138\*\*\*\*1234,1$' out.csv
	grep -q '^86139\*\*\*\*5678,1$' out.csv
	grep -q '^A123\*\*\*\*8901,1$' out.csv
	grep -q '^张\*,1$' out.csv
	printf 'customer_id\nACCT-000789\n' > ids.csv
	cplreport --by customer_id -f csv ids.csv | grep -q '^ACC\*\*\*\*0789,1$'
}

@test "masking: --no-mask shows the numbers as they are" {
	cplreport --no-mask --by text,customer_id -f csv "$H" > out.csv
	grep -q '13812341234' out.csv
	grep -q '110101199003071234' out.csv
	grep -q '^张三' out.csv || grep -q ',张三,' out.csv
}

@test "escaping: HTML shows <script> as text and runs nothing" {
	cplreport --lang en -f html "$H" > out.html
	! grep -q "<script>alert" out.html
	grep -q "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" out.html
	grep -q "billing|&lt;b&gt;苏州&lt;/b&gt;" out.html
	! grep -q $'\x1b' out.html
	cplreport -f html --by text "$H" | grep -q '\[link\](http://evil.example)'
	! cplreport -f html --by text "$H" | grep -qi '<a '
}

@test "escaping: Markdown cannot open HTML, links, or leave its table cell" {
	cplreport --lang en -f md "$H" > out.md
	! grep -q '<script>' out.md
	grep -q '&lt;script&gt;' out.md
	cplreport -f md --by region,text "$H" > by.md
	grep -q '| 苏州\\|南京 |' by.md
	grep -q 'a \\\*bold\\\* \\_x\\_ \\\[link\\\](http://evil.example) \\`code\\` # head' by.md
	# every row has as many cells as the header
	[ "$(grep '^|' by.md | sed 's/\\|//g' | awk -F'|' '{ print NF }' | sort -u)" = 5 ]
}

@test "escaping: CSV cells a spreadsheet would run start with an apostrophe" {
	cplreport -f csv --by department,region,agent_id "$H" > out.csv
	grep -q "^\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\",<script>alert('x')</script>,A2,1$" out.csv
	grep -q "^'@cmd,'+SUM(A1:A9),'-2+3,1$" out.csv
	cplreport --lang en -f csv "$H" > report.csv
	# no key or label of the long table starts a formula
	! mlr --icsv --otsv --headerless-csv-output cut -f key,label report.csv | grep -P '(^|\t)[=+@-]'
	grep -q "^sla,sla_by_department,\"'=HYPERLINK" report.csv
	# spaces before the sign, the ideographic one (U+3000) too, and the full-width signs
	printf 'case_id,created_at,channel\n1,2026-11-20 10:00,　=1+1\n2,2026-11-20 10:00, =2+2\n3,2026-11-20 10:00,＝3\n' > sp.csv
	cplreport -f csv --by channel sp.csv > sp.out
	grep -q "^'　=1+1,1$" sp.out || fails "$(cat sp.out)"
	grep -q "^'=2+2,1$" sp.out
	grep -q "^'＝3,1$" sp.out
}

@test "escaping: JSON stays valid and carries the text exactly" {
	cplreport -f json --no-mask --by region,department "$H" > out.json
	mlr --ijson --ojson cat out.json > /dev/null
	grep -q '"region": "\\u003cscript>alert('"'"'x'"'"')\\u003c/script>"' out.json
	[ "$(mlr --ijson --onidx flatten then cut -f rows.1.region,rows.2.region,rows.3.region,rows.4.region out.json | tr ' ' '\n' | grep -c script)" = 1 ]
}

@test "escaping: text for a terminal carries no control or bidi characters" {
	printf 'case_id,created_at,region\nT1,2026-11-21 09:00,"\033]0;owned\007\033[31mred\xe2\x80\xaeevil"\n' > ctl.csv
	cplreport --by region ctl.csv > out.txt
	! grep -q $'\x1b' out.txt
	! grep -q $'\xe2\x80\xae' out.txt
	grep -q '  ?\]0;owned??\[31mred?evil  ' out.txt
}
