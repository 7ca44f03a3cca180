# bash completion for cplclassify, cpldeadline, cplphrase and cplreport.
# Flags come from the command's own --help, so they never drift from the
# program; column names for --map, --by and --column come from the header of
# the CSV file named on the command line.

_cpl_header() {
	local w f
	for w in "${COMP_WORDS[@]:1}"; do
		[[ $w != -* && -f $w ]] && f=$w
	done
	[[ -n $f ]] || return
	head -n 1 -- "$f" | tr -d '\r' | sed 's/^\xef\xbb\xbf//' | tr ',' '\n'
}

_cpl() {
	local cur prev words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--encoding) COMPREPLY=($(compgen -W "utf-8 gb18030 gbk" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "text md html json csv line" -- "$cur")); return ;;
	--lang) COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
	--day|--from|--to) COMPREPLY=($(compgen -W "yesterday today $(date +%Y-%m-%d)" -- "$cur")); return ;;
	--disable) COMPREPLY=($(compgen -W "forbidden substitution required conditional $("${COMP_WORDS[0]}" --list-rules 2>/dev/null | cut -d, -f1 | tail -n +2)" -- "$cur")); return ;;
	--tz) COMPREPLY=($(compgen -W "Asia/Shanghai Asia/Hong_Kong Asia/Taipei UTC" -- "$cur")); return ;;
	--by|--column)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_cpl_header)" -- "$cur")); return ;;
	--map)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "case_id= created_at= channel= customer_id= customer_level= region= issue_region= text= agent_id= reply= first_reply_at= closed_at= status= escalated= department=" -- "$cur"))
		compopt -o nospace 2>/dev/null; return ;;
	-o|--output|--rules|--add-rules|--cues|--add-cues|--levels|--sensitive|--history|--policy|--calendar|--calendar-add|--weights|--letter-parts|--templates|--labels)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		words=$("${COMP_WORDS[0]}" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -X '!*.@(csv|CSV|tsv|txt)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -F _cpl cplclassify cpldeadline cplphrase cplreport
