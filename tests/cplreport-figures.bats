#!/usr/bin/env bats
# Every figure of the JSON report, counted again another way (Miller, awk):
# on a fixture with every column the other commands write, and on the
# bundled examples run through the whole pipeline.
load helper
load cplreport-helper

# the fixture's report of 2026-11-21, and that day's records
day_report() {
	run cplreport --day 2026-11-21 -f json "$RFIX/cases.csv"
	[ "$status" -eq 3 ] || fails "exit $status (the fixture has one unreadable created_at)"
	printf '%s\n' "$output" | grep -v '^cplreport: ' > r.json
	flat r.json
	mlr --icsv --ocsv filter '$created_at >= "2026-11-21" && $created_at < "2026-11-22"' "$RFIX/cases.csv" > in.csv
}

@test "figures: period, records read, in the period and skipped" {
	day_report
	is period.from 2026-11-21
	is period.to 2026-11-21
	is records.read "$(count_records "$RFIX/cases.csv")"
	is records.in_period "$(count_records in.csv)"
	is records.skipped_no_time "$(count_where "$RFIX/cases.csv" '$created_at == "" || $created_at == "not a date"')"
	is records.skipped_outside "$(count_where "$RFIX/cases.csv" '$created_at =~ "^2026-" && !($created_at >= "2026-11-21" && $created_at < "2026-11-22")')"
	is records.skipped 10
	is records.with_problems "$(count_where in.csv 'is_not_empty($cpl_problems)')"
}

@test "figures: totals received, closed, open, pending, urgent, harassment" {
	day_report
	is totals.received "$(count_records in.csv)"
	local closed
	closed=$(count_where in.csv '$status == "已归档" || ($status == "" && $closed_at != "")')
	is totals.closed "$closed"
	is totals.open $(( $(count_records in.csv) - closed ))
	is totals.pending "$(count_where in.csv '$status == "挂起"')"
	is totals.urgent "$(count_where in.csv '$urgency == "urgent"')"
	is totals.harassment "$(count_where in.csv '$harassment == 1')"
	is totals.batch_cases "$(count_where in.csv 'is_not_empty($batch_id)')"
}

@test "figures: urgent types, categories, channels, regions, levels, complainants, emotion" {
	day_report
	list_map_is urgent_by_type in.csv urgent_types
	map_is by_category in.csv category
	map_is by_subcategory in.csv subcategory
	map_is by_channel in.csv channel
	map_is by_customer_level in.csv customer_level
	map_is by_complainant_type in.csv complainant_type
	map_is by_emotion in.csv emotion
	# regions hold hostile text (escaped in JSON, not in the flattened view)
	is by_region.南京 "$(count_where in.csv '$region == "南京"')"
	is by_region.苏州 "$(count_where in.csv '$region == "苏州"')"
}

@test "figures: reply and resolve deadlines, with the on-time rate" {
	day_report
	local t s n met breached overdue
	for t in reply resolve; do
		for s in met breached open at_risk overdue; do
			n=$(count_where in.csv "\$${t}_status == \"$s\"")
			is "sla.$t.$s" "$n"
		done
		met=$(count_where in.csv "\$${t}_status == \"met\"")
		breached=$(count_where in.csv "\$${t}_status == \"breached\"")
		overdue=$(count_where in.csv "\$${t}_status == \"overdue\"")
		is "sla.$t.on_time_rate" "$(ratio "$met" $((met + breached + overdue)))"
	done
}

@test "figures: deadlines by policy and by department" {
	day_report
	local g col t s key v n
	for g in policy:sla_policy department:department; do
		key=${g%%:*} col=${g#*:}
		mlr --icsv --otsv --headerless-csv-output count-distinct -f "$col" in.csv | grep -v HYPERLINK > groups.tsv
		for t in reply resolve; do
			mlr --icsv --otsv --headerless-csv-output count -g "$col,${t}_status" in.csv > "$t.tsv"
		done
		mlr --icsv --otsv --headerless-csv-output filter '$reply_status == "overdue" || $resolve_status == "overdue"' \
			then count -g "$col" in.csv > over.tsv
		while IFS=$'\t' read -r v n; do
			is "sla.by_$key.$v.cases" "$n"
			for t in reply resolve; do
				for s in met breached open at_risk overdue; do
					is "sla.by_$key.$v.$t.$s" "$(awk -F'\t' -v v="$v" -v s="$s" '$1 == v && $2 == s { n = $3 } END { print n + 0 }' "$t.tsv")"
				done
			done
			is "sla.by_$key.$v.overdue" "$(awk -F'\t' -v v="$v" '$1 == v { n = $2 } END { print n + 0 }' over.tsv)"
		done < groups.tsv
	done
}

@test "figures: the overdue and at-risk cases, all of them, oldest first" {
	day_report
	local over risk
	over='$reply_status == "overdue" || $resolve_status == "overdue"'
	risk='!('"$over"') && ($reply_status == "at_risk" || $resolve_status == "at_risk")'
	is sla.overdue_cases.total "$(count_where in.csv "$over")"
	is sla.at_risk_cases.total "$(count_where in.csv "$risk")"
	mlr --icsv --onidx filter "$over" then sort -f created_at,case_id then cut -f case_id in.csv > want
	grep -P '^sla\.overdue_cases\.listed\.\d+\.case_id\t' flat.txt | awk -F'\t+' '{ print $2 }' > got
	diff want got
	mlr --icsv --onidx filter "$risk" then sort -f created_at,case_id then cut -f case_id in.csv > want
	grep -P '^sla\.at_risk_cases\.listed\.\d+\.case_id\t' flat.txt | awk -F'\t+' '{ print $2 }' > got
	diff want got
}

@test "figures: batch incidents, their cases, customers and window" {
	day_report
	local b
	for b in $(mlr --icsv --onidx filter 'is_not_empty($batch_id)' then count-distinct -f batch_id then cut -f batch_id in.csv); do
		is batches.1.batch_id "$b"
		is batches.1.cases "$(count_where in.csv "\$batch_id == \"$b\"")"
		is batches.1.customers "$(mlr --icsv --onidx filter "\$batch_id == \"$b\"" then count-distinct -f customer_id then count in.csv)"
		is batches.1.first "$(mlr --icsv --onidx filter "\$batch_id == \"$b\"" then sort -f created_at then head -n 1 then cut -f created_at in.csv)"
		is batches.1.last "$(mlr --icsv --onidx filter "\$batch_id == \"$b\"" then sort -r created_at then head -n 1 then cut -f created_at in.csv)"
	done
	[ "$(grep -c '^batches\.[0-9]*\.batch_id' flat.txt)" = 1 ]
}

@test "figures: a batch's customers are its distinct non-blank customer numbers, also when merged" {
	# B1: 138 twice, an empty one, " 139 " (trimmed); B2: 139 again, 140;
	# B3: only a blank one; and a case in no batch
	printf '%s\n' case_id,created_at,customer_id,batch_id \
		'1,2026-11-21 09:00,138,B1' '2,2026-11-21 09:01,138,B1' '3,2026-11-21 09:02,,B1' \
		'4,2026-11-21 09:03, 139 ,B1' '5,2026-11-21 09:04,139,B2' '6,2026-11-21 09:05,140,B2' \
		'7,2026-11-21 09:06,141,' '8,2026-11-21 09:07, ,B3' > b.csv
	cplreport -f json b.csv > r.json
	flat r.json
	is batches.1.batch_id B1
	is batches.1.cases 4
	is batches.1.customers 2
	is batches.2.customers 2
	is batches.3.batch_id B3
	is batches.3.customers 0
	cplreport b.csv > r.txt
	grep -Eq '^  B1 .* 4 +2$' r.txt || fails "the text table: $(grep B1 r.txt)"
	grep -Eq '^  B3 .* 1 +0$' r.txt || fails "the text table: $(grep B3 r.txt)"
	# each part sees 138 of B1; the merge counts it once
	head -n 2 b.csv > p1.csv
	{ head -n 1 b.csv; tail -n +3 b.csv; } > p2.csv
	cplreport --partial p1.csv > p1.state
	cplreport --partial p2.csv > p2.state
	cplreport --merge -f json p1.state p2.state > m.json
	cmp r.json m.json || fails "the merged report differs: $(diff r.json m.json)"
}

@test "figures: repeat complaints, their rate and customers" {
	day_report
	local n
	n=$(count_where in.csv 'is_not_empty($repeat_of) || $urgent_types =~ "(^|;)repeat(;|$)"')
	is repeats.count "$n"
	is repeats.rate "$(ratio "$n" "$(count_records in.csv)")"
	[ "$(grep -c '^repeats\.top_customers\.[0-9]*\.repeats' flat.txt)" = "$(mlr --icsv --onidx filter 'is_not_empty($repeat_of) || $urgent_types =~ "repeat"' then count-distinct -f customer_id then count in.csv)" ]
}

@test "figures: script quality: scores, findings, missing elements, agents" {
	day_report
	is phrase.scored "$(count_where in.csv 'is_not_empty($phrase_score)')"
	is phrase.mean_score "$(mlr --icsv --onidx filter 'is_not_empty($phrase_score)' then stats1 -a mean -f phrase_score then format-values -f %.2lf in.csv)"
	is phrase.errors "$(mlr --icsv --onidx stats1 -a sum -f phrase_errors in.csv)"
	is phrase.warnings "$(mlr --icsv --onidx stats1 -a sum -f phrase_warnings in.csv)"
	is phrase.cases_with_errors "$(count_where in.csv '$phrase_errors > 0')"
	mlr --icsv --onidx filter 'is_not_empty($phrase_score)' then cut -f phrase_score in.csv |
		awk '{ b = $1 < 60 ? "0-59" : $1 < 70 ? "60-69" : $1 < 80 ? "70-79" : $1 < 90 ? "80-89" : "90-100"; n[b]++ }
		     END { for (k in n) print k "\t" n[k] }' > buckets.tsv
	while IFS=$'\t' read -r k n; do is "phrase.score_distribution.$k" "$n"; done < buckets.tsv
	list_map_is phrase.errors_by_rule in.csv phrase_findings '^forbidden[.]'
	list_map_is phrase.findings_by_rule in.csv phrase_findings
	list_map_is phrase.missing in.csv phrase_missing
	local a i=1
	for a in $(mlr --icsv --onidx stats1 -a sum -f phrase_errors -g agent_id then filter '$phrase_errors_sum > 0' \
			then sort -nr phrase_errors_sum -f agent_id then cut -f agent_id in.csv); do
		is "phrase.agents.$i.agent_id" "$a"
		is "phrase.agents.$i.errors" "$(mlr --icsv --onidx filter "\$agent_id == \"$a\"" then stats1 -a sum -f phrase_errors in.csv)"
		is "phrase.agents.$i.cases" "$(count_where in.csv "\$agent_id == \"$a\"")"
		i=$((i + 1))
	done
	[ "$(grep -c '^phrase\.agents\.[0-9]*\.agent_id' flat.txt)" = $((i - 1)) ]
}

@test "figures: the previous day, for the change" {
	day_report
	mlr --icsv --ocsv filter '$created_at >= "2026-11-20" && $created_at < "2026-11-21"' "$RFIX/cases.csv" > prev.csv
	is previous.period.from 2026-11-20
	is previous.totals.received "$(count_records prev.csv)"
	is previous.totals.closed "$(count_where prev.csv '$status == "已归档"')"
	is previous.totals.urgent "$(count_where prev.csv '$urgency == "urgent"')"
	map_is previous.by_category prev.csv category
	is previous.sla.reply.met "$(count_where prev.csv '$reply_status == "met"')"
	is previous.repeats.count "$(count_where prev.csv 'is_not_empty($repeat_of) || $urgent_types =~ "repeat"')"
	is previous.phrase.mean_score "$(mlr --icsv --onidx stats1 -a mean -f phrase_score then format-values -f %.2lf prev.csv)"
}

@test "figures: the examples through the whole pipeline match an independent count" {
	[ -s "$ROOT/examples/cases.csv" ] || skip "no examples/cases.csv"
	cplclassify "$ROOT/examples/cases.csv" 2>/dev/null > c.csv || [ $? -eq 3 ]
	cpldeadline --now '2026-11-22 07:00:00' c.csv 2>/dev/null > d.csv || [ $? -eq 3 ]
	cplphrase d.csv 2>/dev/null > in.csv || [ $? -le 3 ]
	[ "$(count_records in.csv)" = "$(count_records "$ROOT/examples/cases.csv")" ]
	cplreport -f json in.csv 2>/dev/null > r.json || [ $? -eq 3 ]
	flat r.json
	is totals.received "$(count_records in.csv)"
	is totals.urgent "$(count_where in.csv '$urgency == "urgent"')"
	is totals.harassment "$(count_where in.csv '$harassment == 1')"
	list_map_is urgent_by_type in.csv urgent_types
	map_is by_category in.csv category
	map_is by_subcategory in.csv subcategory
	map_is by_complainant_type in.csv complainant_type
	map_is by_emotion in.csv emotion
	local t s
	for t in reply resolve; do
		for s in met breached open at_risk overdue; do
			is "sla.$t.$s" "$(count_where in.csv "\$${t}_status == \"$s\"")"
		done
	done
	is phrase.scored "$(count_where in.csv 'is_not_empty($phrase_score)')"
	is phrase.errors "$(mlr --icsv --onidx stats1 -a sum -f phrase_errors in.csv)"
	list_map_is phrase.findings_by_rule in.csv phrase_findings
	list_map_is phrase.missing in.csv phrase_missing
	is repeats.count "$(count_where in.csv 'is_not_empty($repeat_of) || $urgent_types =~ "(^|;)repeat(;|$)"')"
	is totals.batch_cases "$(count_where in.csv 'is_not_empty($batch_id)')"
	[ "$(grep -c '^batches\.[0-9]*\.batch_id' flat.txt)" = "$(mlr --icsv --onidx filter 'is_not_empty($batch_id)' then count-distinct -f batch_id then count in.csv)" ]
}
