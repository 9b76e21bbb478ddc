# bash completion for vq (generated from the option table; run 'make docs' to refresh)
# _vq_list profiles|templates [CONFIG]: the names `vq profiles` or `vq templates` lists.
_vq_list() {
    if [[ -n $2 ]]; then vq --config "$2" "$1" 2>/dev/null; else vq "$1" 2>/dev/null; fi | \
        if [[ $1 == profiles ]]; then awk 'NR>1 {print ($1=="*") ? $2 : $1}'; else awk 'NR>1 {print $1}'; fi
}
_vq() {
    COMPREPLY=()
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd=query config="" pending="" prefix="" npos=0 endopts=0 sawopt=0 first="" i j word
    local value_longs=" --profile --model --system --temperature --top-p --max-tokens --stop --messages --conversation --detail --max-side --max-pixels --quality --pages --pdf --frames --fps --start --end --media-resolution --modalities --output-dir --output --template --save --schema --header --timeout --stall-timeout --retries --retry-max-wait --jobs --glob --per-request --rate --out --format --sidecar --shard --shard-count --shard-from-env --inputs-from --max-cost --profiles --judge --min-score --count --size --aspect --background --compression --moderation --fidelity --partial-images --mask --prompts --search --since --by --annotate --classes --http --color --config " value_shorts="pmstoTHjn" commands=" batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version "
    # Read the words before the cursor as vq's parser does: the command, --config's value, an option waiting
    # for its value, the first argument (an action word). bash splits '--opt=value' into '--opt', '=', 'value'.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ -n $pending ]]; then
            [[ $word == "=" ]] && continue
            [[ $pending == --config ]] && config="$word"
            pending=""
        elif (( endopts )) || [[ $word != -?* ]]; then
            if (( npos == 0 && !endopts && !sawopt )) && [[ $cmd == query && $commands == *" $word "* ]]; then
                cmd="$word"
            else
                (( npos == 0 )) && first="$word"
                ((npos++))
            fi
        elif [[ $word == -- ]]; then
            endopts=1
        elif [[ $word == --*=* ]]; then
            sawopt=1
            [[ ${word%%=*} == --config ]] && config="${word#*=}"
        elif [[ $word == --* ]]; then
            sawopt=1
            [[ $value_longs == *" $word "* ]] && pending="$word"
        else
            sawopt=1
            for ((j = 1; j < ${#word}; j++)); do
                if [[ $value_shorts == *"${word:j:1}"* ]]; then
                    (( j == ${#word} - 1 )) && pending="-${word:j:1}"
                    break
                fi
            done
        fi
    done
    if [[ -z $pending && $cur == --*=* && $value_longs == *" ${cur%%=*} "* ]]; then
        pending="${cur%%=*}"; prefix="$pending="; cur="${cur#*=}"
    fi
    [[ -n $pending && $cur == "=" ]] && cur=""
    if [[ -n $pending ]]; then
        case "$pending" in
            -p|--profile) COMPREPLY=($(compgen -P "$prefix" -W "$(_vq_list profiles "$config")" -- "$cur")) ;;
            --messages) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --detail) COMPREPLY=($(compgen -P "$prefix" -W "low high auto" -- "$cur")) ;;
            --pdf) COMPREPLY=($(compgen -P "$prefix" -W "native render auto" -- "$cur")) ;;
            --media-resolution) COMPREPLY=($(compgen -P "$prefix" -W "low medium high" -- "$cur")) ;;
            -o|--output-dir) COMPREPLY=($(compgen -P "$prefix" -d -- "$cur")) ;;
            --output) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            -T|--template) COMPREPLY=($(compgen -P "$prefix" -W "$(_vq_list templates "$config")" -- "$cur")) ;;
            --schema) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --out) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --format) COMPREPLY=($(compgen -P "$prefix" -W "jsonl csv png jpeg webp json coco yolo" -- "$cur")) ;;
            --inputs-from) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --judge) COMPREPLY=($(compgen -P "$prefix" -W "$(_vq_list profiles "$config")" -- "$cur")) ;;
            --background) COMPREPLY=($(compgen -P "$prefix" -W "transparent opaque auto" -- "$cur")) ;;
            --moderation) COMPREPLY=($(compgen -P "$prefix" -W "auto low" -- "$cur")) ;;
            --fidelity) COMPREPLY=($(compgen -P "$prefix" -W "high low" -- "$cur")) ;;
            --mask) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --prompts) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --by) COMPREPLY=($(compgen -P "$prefix" -W "model profile day" -- "$cur")) ;;
            --annotate) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --classes) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --color) COMPREPLY=($(compgen -P "$prefix" -W "auto always never" -- "$cur")) ;;
            --config) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            *) COMPREPLY=() ;;
        esac
        return
    fi
    local key="$cmd"
    case "$cmd $first" in
            "batch status") key=batch.status ;;
            "batch cancel") key=batch.cancel ;;
        esac
    if (( !endopts )) && [[ $cur == -* ]]; then
        local words=""
        case "$key" in
            query) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --messages -c --continue --conversation --no-log --detail --max-side --max-pixels --no-resize --strip --quality --pages --pdf --frames --fps --start --end --media-resolution --keep-uploads --clipboard --no-stream --modalities -o --output-dir --output --json -T --template --save --schema -H --header --timeout --stall-timeout --retries --retry-max-wait --overwrite --dry-run --count-tokens -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            batch) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --log --detail --max-side --max-pixels --no-resize --strip --quality --pages --pdf --frames --fps --start --end --media-resolution --keep-uploads --modalities -o --output-dir -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -j --jobs --glob -0 --null --per-request --per-page --rate --out --format --csv-raw --resume --sidecar --overwrite --shard --shard-count --shard-from-env --inputs-from --provider-batch --detach --retry-failed --max-cost --profiles --keep-files --dry-run --points --annotate --classes -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            batch.status) words="--out --config" ;;
            batch.cancel) words="--out --config" ;;
            chat) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop -c --continue --conversation --no-log --detail --max-side --max-pixels --no-resize --strip --quality --pages --pdf --frames --fps --start --end --media-resolution --keep-uploads --clipboard --no-stream --modalities -o --output-dir -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            gen) words="-p --profile -m --model --no-log --max-side --max-pixels --no-resize --strip --quality --no-stream --modalities -o --output-dir --output --json -H --header --timeout --stall-timeout --retries --retry-max-wait -j --jobs --rate --out --format --resume --shard --shard-count --shard-from-env --provider-batch --max-cost -n --count --size --aspect --background --compression --moderation --fidelity --partial-images --mask --no-metadata --prompts --dry-run -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            detect) words="-p --profile -m --model -s --system -t --temperature --max-tokens --no-log --max-side --max-pixels --no-resize --quality --pages -o --output-dir -H --header --timeout --stall-timeout --retries --format --csv-raw --overwrite --dry-run --points --annotate --masks --classes -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            compare) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --no-log --detail --max-side --max-pixels --no-resize --strip --quality --pages --pdf --frames --fps --start --end --media-resolution --keep-uploads --modalities -o --output-dir --json -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            eval) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --detail --max-side --max-pixels --no-resize --strip --quality --pages --pdf --frames --fps --start --end --media-resolution --keep-uploads --modalities -o --output-dir --json -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -j --jobs --rate --out --format --resume --judge --min-score -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            logs) words="-m --model --conversation --json -n --count --search --cost --since --by --color --raw -h --help --version" ;;
            models) words="-p --profile --json -H --header --timeout -v --verbose -q --quiet --color --raw --config -h --help --version" ;;
            profiles) words="--json --color --config -h --help --version" ;;
            templates) words="--json --color --config -h --help --version" ;;
            prices) words="--json --color --config -h --help --version" ;;
            keys) words="--color --config -h --help --version" ;;
            config) words="--color --config -h --help --version" ;;
            mcp) words="--http --color --config -h --help --version" ;;
            completions) words="--color -h --help --version" ;;
            help) words="--color -h --help --version" ;;
            version) words="--color -h --help --version" ;;
        esac
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        return
    fi
    case "$cmd" in
        query) COMPREPLY=($( (( npos == 0 && !sawopt )) && compgen -W "batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version" -- "$cur") $(compgen -f -- "$cur")) ;;
        batch) if (( npos == 0 )); then COMPREPLY=($(compgen -W "status cancel" -- "$cur") $(compgen -f -- "$cur")); else case "$first" in status) COMPREPLY=() ;; cancel) COMPREPLY=() ;; *) COMPREPLY=($(compgen -f -- "$cur")) ;; esac; fi ;;
        chat) COMPREPLY=($(compgen -f -- "$cur")) ;;
        gen) COMPREPLY=() ;;
        detect) COMPREPLY=($(compgen -f -- "$cur")) ;;
        compare) COMPREPLY=() ;;
        eval) COMPREPLY=() ;;
        logs) if (( npos == 0 )); then COMPREPLY=($(compgen -W "show path" -- "$cur")); else case "$first" in show) COMPREPLY=() ;; path) COMPREPLY=() ;; *) COMPREPLY=() ;; esac; fi ;;
        models) COMPREPLY=() ;;
        profiles) COMPREPLY=() ;;
        templates) COMPREPLY=() ;;
        prices) COMPREPLY=() ;;
        keys) if (( npos == 0 )); then COMPREPLY=($(compgen -W "set list remove" -- "$cur")); else case "$first" in set) (( npos == 1 )) && COMPREPLY=($(compgen -W "$(_vq_list profiles "$config")" -- "$cur")) ;; list) COMPREPLY=() ;; remove) (( npos == 1 )) && COMPREPLY=($(compgen -W "$(_vq_list profiles "$config")" -- "$cur")) ;; *) COMPREPLY=() ;; esac; fi ;;
        config) if (( npos == 0 )); then COMPREPLY=($(compgen -W "path check" -- "$cur")); else case "$first" in path) COMPREPLY=() ;; check) COMPREPLY=() ;; *) COMPREPLY=() ;; esac; fi ;;
        mcp) COMPREPLY=() ;;
        completions) if (( npos == 0 )); then COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); else case "$first" in bash) COMPREPLY=() ;; zsh) COMPREPLY=() ;; fish) COMPREPLY=() ;; *) COMPREPLY=() ;; esac; fi ;;
        help) if (( npos == 0 )); then COMPREPLY=($(compgen -W "batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version" -- "$cur")); else case "$first" in batch) COMPREPLY=() ;; chat) COMPREPLY=() ;; gen) COMPREPLY=() ;; detect) COMPREPLY=() ;; compare) COMPREPLY=() ;; eval) COMPREPLY=() ;; logs) COMPREPLY=() ;; models) COMPREPLY=() ;; profiles) COMPREPLY=() ;; templates) COMPREPLY=() ;; prices) COMPREPLY=() ;; keys) COMPREPLY=() ;; config) COMPREPLY=() ;; mcp) COMPREPLY=() ;; completions) COMPREPLY=() ;; help) COMPREPLY=() ;; version) COMPREPLY=() ;; *) COMPREPLY=() ;; esac; fi ;;
        version) COMPREPLY=() ;;
        *) COMPREPLY=() ;;
    esac
}
complete -o filenames -F _vq vq
