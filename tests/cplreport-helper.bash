# cplreport-helper.bash: loaded by the tests/cplreport-*.bats files (after
# helper.bash).  The JSON report flattened to key/value lines, and figures
# counted again with Miller and awk, the independent way.
RFIX="$FIX/report"

# flat JSON: "key<TAB>value" lines with nested keys joined by '.'
# (flat.txt in the test's directory).
flat() { mlr --ijson --oxtab --ops tab flatten "$1" > flat.txt; }
val() { awk -F'\t+' -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "(none)" }' flat.txt; }

# is KEY WANT: the flattened JSON has WANT at KEY
is() {
	local got
	got=$(val "$1")
	[ "$got" = "$2" ] || fails "$1: the report says '$got', the count is '$2'"
}

# Count in CSV file $1 how many records satisfy the Miller filter $2.
count_where() { mlr --icsv --ojson filter "$2" then count "$1" | awk -F': ' '/"count"/ { gsub(/[ ,]/, "", $2); print $2; n = 1 } END { if (!n) print 0 }'; }

# map_is PREFIX CSV COLUMN: every value of COLUMN in CSV, counted, is
# PREFIX.value in the report, and the report has no other keys there.
map_is() {
	local prefix=$1 csv=$2 column=$3 k n want
	mlr --icsv --otsv --headerless-csv-output count-distinct -f "$column" "$csv" > want.tsv
	while IFS=$'\t' read -r k n; do
		is "$prefix.$k" "$n"
	done < want.tsv
	want=$(wc -l < want.tsv)
	n=$(grep -c "^$prefix\.[^	]*	" flat.txt || true)
	[ "$n" = "$want" ] || fails "$prefix: $n keys in the report, $want values in the input"
}

# list_map_is PREFIX CSV COLUMN [REGEX]: like map_is for a ';'-separated
# list column, each item counted once (only items matching REGEX).
list_map_is() {
	local prefix=$1 csv=$2 column=$3 re=${4:-.} k n want
	mlr --icsv --ocsv nest --explode --values --across-records -f "$column" --nested-fs ';' \
		then filter "is_not_empty(\$$column) && \$$column =~ \"$re\"" \
		then count-distinct -f "$column" "$csv" | tail -n +2 | tr ',' '\t' > want.tsv
	while IFS=$'\t' read -r k n; do
		is "$prefix.$k" "$n"
	done < want.tsv
	want=$(wc -l < want.tsv)
	n=$(grep -c "^$prefix\.[^	]*	" flat.txt || true)
	[ "$n" = "$want" ] || fails "$prefix: $n keys in the report, $want items in the input"
}

# ratio A B: A/B with four decimals, as the report writes rates ("null" for B = 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "null"; else printf "%.4f\n", a / b }'; }

# gen_cases N: N generated records with every column the report reads, many
# ties in created_at, customers, batches and overdue cases spread all over
# (for splits, merges and memory).
gen_cases() {
	awk -v n="$1" 'BEGIN {
		srand(7)
		print "case_id,created_at,channel,customer_id,customer_level,region,text,agent_id,status,closed_at,department,category,subcategory,urgency,urgent_types,complainant_type,emotion,harassment,issue_key,batch_id,repeat_of,sla_policy,reply_due,resolve_due,reply_status,resolve_status,reply_left_min,resolve_left_min,phrase_score,phrase_errors,phrase_warnings,phrase_findings,phrase_missing,cpl_problems"
		split("network billing service business_handling marketing other", cat, " ")
		split("10086热线 在线客服 营业厅 微信", ch, " ")
		split("南京 苏州 无锡 镇江 常州", rg, " ")
		split("普通 银卡 金卡 钻石卡", lv, " ")
		split("已归档 处理中 挂起 待处理", st, " ")
		split("met breached open at_risk overdue", ss, " ")
		split("inform correct compensate", ct, " ")
		split("calm upset angry", em, " ")
		split("major over_level batch repeat escalated cross_region important_customer", ut, " ")
		split("forbidden.not_our_business forbidden.impossible substitution.you_are_wrong not_our_business kid_knows", fr, " ")
		split("greeting empathy apology closing", ms, " ")
		for (i = 1; i <= n; i++) {
			day = 19 + int(rand() * 4)
			h = int(rand() * 24); m = int(rand() * 4) * 15
			t = sprintf("2026-11-%02d %02d:%02d:00", day, h, m)
			c = cat[1 + int(rand() * 6)]
			r = rg[1 + int(rand() * 5)]
			cust = sprintf("13%09d", int(rand() * 500))
			u = rand() < 0.3
			types = ""
			if (u) { types = ut[1 + int(rand() * 7)]; if (rand() < 0.3) types = types ";" ut[1 + int(rand() * 7)] }
			batch = rand() < 0.1 ? "B" int(rand() * 6) : ""
			rep = rand() < 0.08 ? sprintf("G%06d", int(rand() * i) + 1) : ""
			rs = ss[1 + int(rand() * 5)]; vs = ss[1 + int(rand() * 5)]
			score = rand() < 0.9 ? sprintf("%.1f", rand() * 100) : ""
			err = int(rand() * 3); warn = int(rand() * 3)
			f = ""
			for (k = 0; k < err; k++) f = f (f == "" ? "" : ";") fr[1 + int(rand() * 5)]
			mi = rand() < 0.3 ? ms[1 + int(rand() * 4)] : ""
			s = st[1 + int(rand() * 4)]
			printf "G%06d,%s,%s,%s,%s,%s,text %d,A%d,%s,%s,D%d,%s,%s.x%d,%s,%s,%s,%s,%d,%s.x|%s,%s,%s,P%d,2026-11-%02d 10:00:00,2026-12-%02d 10:00:00,%s,%s,%d,%d,%s,%d,%d,%s,%s,%s\n",
				i, t, ch[1 + int(rand() * 4)], cust, lv[1 + int(rand() * 4)], r, i, int(rand() * 40), s,
				s == "已归档" ? t : "", int(rand() * 8), c, c, int(rand() * 5), u ? "urgent" : "normal", types,
				ct[1 + int(rand() * 3)], em[1 + int(rand() * 3)], rand() < 0.02, c, r, batch, rep, int(rand() * 4),
				day, day, rs, vs, int(rand() * 2000) - 1000, int(rand() * 20000) - 5000, score, err, warn, f, mi,
				rand() < 0.01 ? "cplclassify: something" : ""
		}
	}'
}
