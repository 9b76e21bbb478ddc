/// bash, zsh and fish completion scripts, generated from the option table.
enum Completions {
    static func render(_ shell: Invocation.Shell) -> String {
        switch shell {
        case .bash: return bash()
        case .zsh: return zsh()
        case .fish: return fish()
        }
    }

    private static let commandWords = CommandName.allCases.filter { $0 != .query }.map(\.rawValue)

    private static func bash() -> String {
        let words = OptionTable.options.flatMap { option in [option.short.map { "-\($0)" }, "--\(option.long)"].compactMap { $0 } }
        var valueCases = ""
        for option in OptionTable.options where option.takesValue {
            let names = [option.short.map { "-\($0)" }, "--\(option.long)"].compactMap { $0 }.joined(separator: "|")
            let action: String
            switch option.completion {
            case .file: action = "COMPREPLY=($(compgen -f -- \"$cur\"))"
            case .directory: action = "COMPREPLY=($(compgen -d -- \"$cur\"))"
            case .profile: action = "COMPREPLY=($(compgen -W \"$(vq profiles 2>/dev/null | awk 'NR>1 {print ($1==\"*\") ? $2 : $1}')\" -- \"$cur\"))"
            case .choices(let values): action = "COMPREPLY=($(compgen -W \"\(values.joined(separator: " "))\" -- \"$cur\"))"
            case .none: action = "COMPREPLY=()"
            }
            valueCases += "        \(names)) \(action); return ;;\n"
        }
        return """
        # bash completion for vq (generated from the option table; run 'make docs' to refresh)
        _vq() {
            local cur prev
            cur="${COMP_WORDS[COMP_CWORD]}"
            prev="${COMP_WORDS[COMP_CWORD-1]}"
            case "$prev" in
        \(valueCases)    esac
            case "${COMP_WORDS[1]}" in
                config) [ "$COMP_CWORD" -eq 2 ] && { COMPREPLY=($(compgen -W "path check" -- "$cur")); return; } ;;
                completions) [ "$COMP_CWORD" -eq 2 ] && { COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return; } ;;
            esac
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "\(words.joined(separator: " "))" -- "$cur"))
            elif [ "$COMP_CWORD" -eq 1 ]; then
                COMPREPLY=($(compgen -W "\(commandWords.joined(separator: " "))" -- "$cur") $(compgen -f -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
        }
        complete -o filenames -F _vq vq

        """
    }

    private static func zsh() -> String {
        var specs = ""
        for option in OptionTable.options {
            let help = zshEscape(option.help)
            var action = ""
            if option.takesValue {
                let value = option.valueName!.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: ":", with: "")
                switch option.completion {
                case .file: action = ":\(value):_files"
                case .directory: action = ":\(value):_files -/"
                case .profile: action = ":\(value):_vq_profiles"
                case .choices(let values): action = ":\(value):(\(values.joined(separator: " ")))"
                case .none: action = ":\(value): "
                }
            }
            let repeat_ = option.repeatable ? "*" : ""
            if let short = option.short {
                specs += "    '\(repeat_)(-\(short) --\(option.long))'{-\(short),--\(option.long)}'[\(help)]\(action)' \\\n"
            } else {
                specs += "    '\(repeat_)--\(option.long)[\(help)]\(action)' \\\n"
            }
        }
        return """
        #compdef vq
        # zsh completion for vq (generated from the option table; run 'make docs' to refresh)
        _vq_profiles() {
            local -a profiles
            profiles=(${(f)"$(vq profiles 2>/dev/null | awk 'NR>1 {print ($1=="*") ? $2 : $1}')"})
            _describe 'profile' profiles
        }
        _vq() {
            if (( CURRENT == 3 )) && [[ $words[2] == config ]]; then _values 'action' path check; return; fi
            if (( CURRENT == 3 )) && [[ $words[2] == completions ]]; then _values 'shell' bash zsh fish; return; fi
            _arguments -s -S \\
        \(specs)    '1: :->first' \\
            '*:image:_files'
            case $state in
                first) _alternative 'commands:command:(\(commandWords.joined(separator: " ")))' 'files:prompt or image:_files' ;;
            esac
        }
        _vq "$@"

        """
    }

    private static func fish() -> String {
        var lines = """
        # fish completion for vq (generated from the option table; run 'make docs' to refresh)
        complete -c vq -n '__fish_use_subcommand' -a '\(commandWords.joined(separator: " "))'
        complete -c vq -n '__fish_seen_subcommand_from config' -f -a 'path check'
        complete -c vq -n '__fish_seen_subcommand_from completions' -f -a 'bash zsh fish'

        """
        for option in OptionTable.options {
            var line = "complete -c vq"
            if let short = option.short { line += " -s \(short)" }
            line += " -l \(option.long)"
            if option.takesValue {
                switch option.completion {
                case .file: line += " -r -F"
                case .directory: line += " -r -a '(__fish_complete_directories)'"
                case .profile: line += " -x -a '(vq profiles 2>/dev/null | awk \"NR>1 {print (\\$1==\\\"*\\\") ? \\$2 : \\$1}\")'"
                case .choices(let values): line += " -x -a '\(values.joined(separator: " "))'"
                case .none: line += " -x"
                }
            }
            line += " -d '\(option.help.replacingOccurrences(of: "'", with: "\\'"))'"
            lines += line + "\n"
        }
        return lines
    }

    private static func zshEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "[", with: "\\[")
            .replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: ":", with: "\\:")
    }
}
