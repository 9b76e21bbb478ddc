# bash completion for vq (generated from the option table; run 'make docs' to refresh)
_vq() {
    local cur prev
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    case "$prev" in
        -p|--profile) COMPREPLY=($(compgen -W "$(vq profiles 2>/dev/null | awk 'NR>1 {print ($1=="*") ? $2 : $1}')" -- "$cur")); return ;;
        -m|--model) COMPREPLY=(); return ;;
        -s|--system) COMPREPLY=(); return ;;
        -t|--temperature) COMPREPLY=(); return ;;
        --top-p) COMPREPLY=(); return ;;
        --max-tokens) COMPREPLY=(); return ;;
        --stop) COMPREPLY=(); return ;;
        --messages) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --conversation) COMPREPLY=(); return ;;
        --detail) COMPREPLY=($(compgen -W "low high auto" -- "$cur")); return ;;
        --max-side) COMPREPLY=(); return ;;
        --max-pixels) COMPREPLY=(); return ;;
        --quality) COMPREPLY=(); return ;;
        --modalities) COMPREPLY=(); return ;;
        -o|--output-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -H|--header) COMPREPLY=(); return ;;
        --timeout) COMPREPLY=(); return ;;
        --stall-timeout) COMPREPLY=(); return ;;
        --retries) COMPREPLY=(); return ;;
        --retry-max-wait) COMPREPLY=(); return ;;
        -j|--jobs) COMPREPLY=(); return ;;
        --glob) COMPREPLY=(); return ;;
        --per-request) COMPREPLY=(); return ;;
        --rate) COMPREPLY=(); return ;;
        --out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --sidecar) COMPREPLY=(); return ;;
        --shard) COMPREPLY=(); return ;;
        --shard-count) COMPREPLY=(); return ;;
        --shard-from-env) COMPREPLY=(); return ;;
        -n|--count) COMPREPLY=(); return ;;
        --search) COMPREPLY=(); return ;;
        --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    case "${COMP_WORDS[1]}" in
        config) [ "$COMP_CWORD" -eq 2 ] && { COMPREPLY=($(compgen -W "path check" -- "$cur")); return; } ;;
        completions) [ "$COMP_CWORD" -eq 2 ] && { COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return; } ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "-p --profile -m --model -s --system -t --temperature --top-p --max-tokens --stop --messages -c --continue --conversation --no-log --log --detail --max-side --max-pixels --no-resize --strip --quality --no-stream --modalities -o --output-dir --output --json -H --header --timeout --stall-timeout --retries --retry-max-wait -j --jobs --glob -0 --null --per-request --rate --out --resume --sidecar --overwrite --shard --shard-count --shard-from-env -n --count --search --dry-run -v --verbose -q --quiet --config -h --help --version" -- "$cur"))
    elif [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "batch chat logs models profiles config completions" -- "$cur") $(compgen -f -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _vq vq
