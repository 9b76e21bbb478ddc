# bash completion for vq (generated from the option table; run 'make docs' to refresh)
_vq_profiles() {
    if [[ -n $1 ]]; then vq --config "$1" profiles 2>/dev/null; else vq profiles 2>/dev/null; fi | awk 'NR>1 {print ($1=="*") ? $2 : $1}'
}
_vq() {
    COMPREPLY=()
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd=query config="" pending="" prefix="" npos=0 endopts=0 i j word
    local value_longs=" --profile --model --system --temperature --top-p --max-tokens --stop --messages --conversation --detail --max-side --max-pixels --quality --modalities --output-dir --output --template --schema --header --timeout --stall-timeout --retries --retry-max-wait --jobs --glob --per-request --rate --out --format --sidecar --shard --shard-count --shard-from-env --inputs-from --count --size --aspect --background --compression --moderation --fidelity --partial-images --mask --search --config " value_shorts="pmstoTHjn" commands=" batch chat gen detect logs models profiles templates keys config completions help version "
    # Read the words before the cursor as vq's parser does: the command, --config's value, an option waiting
    # for its value. bash splits '--opt=value' into '--opt', '=', 'value'.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ -n $pending ]]; then
            [[ $word == "=" ]] && continue
            [[ $pending == --config ]] && config="$word"
            pending=""
        elif (( endopts )) || [[ $word != -?* ]]; then
            if (( npos == 0 && !endopts )) && [[ $cmd == query && $commands == *" $word "* ]]; then cmd="$word"; else ((npos++)); fi
        elif [[ $word == -- ]]; then
            endopts=1
        elif [[ $word == --*=* ]]; then
            [[ ${word%%=*} == --config ]] && config="${word#*=}"
        elif [[ $word == --* ]]; then
            [[ $value_longs == *" $word "* ]] && pending="$word"
        else
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
            -p|--profile) COMPREPLY=($(compgen -P "$prefix" -W "$(_vq_profiles "$config")" -- "$cur")) ;;
            --messages) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --detail) COMPREPLY=($(compgen -P "$prefix" -W "low high auto" -- "$cur")) ;;
            -o|--output-dir) COMPREPLY=($(compgen -P "$prefix" -d -- "$cur")) ;;
            --output) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --schema) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --out) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --format) COMPREPLY=($(compgen -P "$prefix" -W "jsonl csv png jpeg webp" -- "$cur")) ;;
            --inputs-from) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --background) COMPREPLY=($(compgen -P "$prefix" -W "transparent opaque auto" -- "$cur")) ;;
            --moderation) COMPREPLY=($(compgen -P "$prefix" -W "auto low" -- "$cur")) ;;
            --fidelity) COMPREPLY=($(compgen -P "$prefix" -W "high low" -- "$cur")) ;;
            --mask) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            --config) COMPREPLY=($(compgen -P "$prefix" -f -- "$cur")) ;;
            *) COMPREPLY=() ;;
        esac
        return
    fi
    if (( !endopts )) && [[ $cur == -* ]]; then
        local words=""
        case "$cmd" in
            query) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --messages -c --continue --conversation --no-log --detail --max-side --max-pixels --no-resize --strip --quality --no-stream --modalities -o --output-dir --output --json -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait --dry-run -v --verbose -q --quiet --raw --config -h --help --version" ;;
            batch) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --log --detail --max-side --max-pixels --no-resize --strip --quality --modalities -o --output-dir -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -j --jobs --glob -0 --null --per-request --rate --out --format --csv-raw --resume --sidecar --overwrite --shard --shard-count --shard-from-env --inputs-from --provider-batch --detach --retry-failed --keep-files --dry-run -v --verbose -q --quiet --raw --config -h --help --version" ;;
            chat) words="-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop -c --continue --conversation --no-log --detail --max-side --max-pixels --no-resize --strip --quality --no-stream --modalities -o --output-dir -T --template --schema -H --header --timeout --stall-timeout --retries --retry-max-wait -v --verbose -q --quiet --raw --config -h --help --version" ;;
            gen) words="-p --profile -m --model --no-log --max-side --max-pixels --no-resize --strip --quality --no-stream --modalities -o --output-dir --output --json -H --header --timeout --stall-timeout --retries --retry-max-wait --format -n --count --size --aspect --background --compression --moderation --fidelity --partial-images --mask --no-metadata --dry-run -v --verbose -q --quiet --raw --config -h --help --version" ;;
            detect) words="-p --profile -m --model -s --system -t --temperature --max-tokens --no-log --max-side --max-pixels --no-resize --quality -H --header --timeout --stall-timeout --retries --dry-run --points -v --verbose -q --quiet --raw --config -h --help --version" ;;
            logs) words="-m --model --conversation --json -n --count --search --raw -h --help --version" ;;
            models) words="-p --profile --json -H --header --timeout -v --verbose -q --quiet --raw --config -h --help --version" ;;
            profiles) words="--json --config -h --help --version" ;;
            templates) words="--json --config -h --help --version" ;;
            keys) words="--config -h --help --version" ;;
            config) words="--config -h --help --version" ;;
            completions) words="-h --help --version" ;;
            help) words="-h --help --version" ;;
            version) words="-h --help --version" ;;
        esac
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        return
    fi
    case "$cmd" in
        query) COMPREPLY=($( (( npos == 0 )) && compgen -W "batch chat gen detect logs models profiles templates keys config completions help version" -- "$cur") $(compgen -f -- "$cur")) ;;
        batch) COMPREPLY=($(compgen -f -- "$cur")) ;;
        chat) COMPREPLY=() ;;
        gen) COMPREPLY=() ;;
        detect) COMPREPLY=($(compgen -f -- "$cur")) ;;
        logs) COMPREPLY=() ;;
        models) COMPREPLY=() ;;
        profiles) COMPREPLY=() ;;
        templates) COMPREPLY=() ;;
        keys) COMPREPLY=() ;;
        config) (( npos == 0 )) && COMPREPLY=($(compgen -W "path check" -- "$cur")) ;;
        completions) (( npos == 0 )) && COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")) ;;
        help) (( npos == 0 )) && COMPREPLY=($(compgen -W "batch chat gen detect logs models profiles templates keys config completions help version" -- "$cur")) ;;
        version) COMPREPLY=() ;;
        *) COMPREPLY=() ;;
    esac
}
complete -o filenames -F _vq vq
