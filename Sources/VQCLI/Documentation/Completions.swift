/// bash, zsh and fish completion scripts, generated from the option table and the command list: each command
/// completes only the options it accepts, and a new command or option completes without changes here.
enum Completions {
    static func render(_ shell: Invocation.Shell) -> String {
        switch shell {
        case .bash: return bash()
        case .zsh: return zsh()
        case .fish: return fish()
        }
    }

    private static let header = "(generated from the option table; run 'make docs' to refresh)"
    private static let commandWords = CommandName.words.joined(separator: " ")
    private static let valueOptions = OptionTable.options.filter(\.takesValue)
    /// Long options that take a value, `--profile --model …`, for the scripts' word scanners.
    private static let valueLongs = valueOptions.map { "--\($0.long)" }.joined(separator: " ")
    /// Letters of the short options that take a value, `pmst…`.
    private static let valueShorts = String(valueOptions.compactMap(\.short))
    /// Turns the table `vq profiles` prints into one profile name per line (the default is marked with `*`).
    private static let profileLister = "awk 'NR>1 {print ($1==\"*\") ? $2 : $1}'"

    private static func options(of command: CommandName) -> [OptionSpec] {
        OptionTable.options.filter { $0.commands.contains(command) }
    }

    private static func names(_ option: OptionSpec) -> [String] {
        [option.short.map { "-\($0)" }, "--\(option.long)"].compactMap { $0 }
    }

    // MARK: bash

    private static func bash() -> String {
        // Values without a completion (a model name, a number) fall to the script's `*) COMPREPLY=()`.
        var valueCases = ""
        for option in valueOptions {
            let words = "$(compgen -P \"$prefix\""
            let action: String
            switch option.completion {
            case .file: action = "COMPREPLY=(\(words) -f -- \"$cur\"))"
            case .directory: action = "COMPREPLY=(\(words) -d -- \"$cur\"))"
            case .profile: action = "COMPREPLY=(\(words) -W \"$(_vq_profiles \"$config\")\" -- \"$cur\"))"
            case .choices(let values): action = "COMPREPLY=(\(words) -W \"\(values.joined(separator: " "))\" -- \"$cur\"))"
            case .none: continue
            }
            valueCases += "            \(names(option).joined(separator: "|"))) \(action) ;;\n"
        }
        var optionCases = ""
        var argumentCases = ""
        for command in CommandName.allCases {
            let words = options(of: command).flatMap(names).joined(separator: " ")
            optionCases += "            \(command.rawValue)) words=\"\(words)\" ;;\n"
            let action: String
            switch command.arguments {
            case .none: action = "COMPREPLY=()"
            case .word(_, let values): action = "(( npos == 0 )) && COMPREPLY=($(compgen -W \"\(values.joined(separator: " "))\" -- \"$cur\"))"
            case .promptAndFiles:
                // The default command's first argument may also name a command.
                action =
                    command == .query
                    ? "COMPREPLY=($( (( npos == 0 )) && compgen -W \"\(commandWords)\" -- \"$cur\") $(compgen -f -- \"$cur\"))"
                    : "COMPREPLY=($(compgen -f -- \"$cur\"))"
            }
            argumentCases += "        \(command.rawValue)) \(action) ;;\n"
        }
        return """
            # bash completion for vq \(header)
            _vq_profiles() {
                if [[ -n $1 ]]; then vq --config "$1" profiles 2>/dev/null; else vq profiles 2>/dev/null; fi | \(profileLister)
            }
            _vq() {
                COMPREPLY=()
                local cur="${COMP_WORDS[COMP_CWORD]}" cmd=query config="" pending="" prefix="" npos=0 endopts=0 i j word
                local value_longs=" \(valueLongs) " value_shorts="\(valueShorts)" commands=" \(commandWords) "
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
            \(valueCases)            *) COMPREPLY=() ;;
                    esac
                    return
                fi
                if (( !endopts )) && [[ $cur == -* ]]; then
                    local words=""
                    case "$cmd" in
            \(optionCases)        esac
                    COMPREPLY=($(compgen -W "$words" -- "$cur"))
                    return
                fi
                case "$cmd" in
            \(argumentCases)        *) COMPREPLY=() ;;
                esac
            }
            complete -o filenames -F _vq vq

            """
    }

    // MARK: zsh

    private static func zsh() -> String {
        var commandCases = ""
        for command in CommandName.allCases {
            var specs = options(of: command).map(zshSpec)
            switch command.arguments {
            case .none: break
            case .word(let label, let values): specs.append("'1:\(label):(\(values.joined(separator: " ")))'")
            case .promptAndFiles:
                specs.append(command == .query ? "'1: :_vq_first'" : "'1:prompt:_files'")
                specs.append("'*:image:_files'")
            }
            commandCases += "        \(command.rawValue))\n            _arguments -s -S : \\\n"
            commandCases += specs.map { "                \($0)" }.joined(separator: " \\\n") + " ;;\n"
        }
        return """
            #compdef vq
            # zsh completion for vq \(header)
            _vq_profiles() {
                local -a profiles config
                local i
                for (( i = 2; i < CURRENT; i++ )); do
                    case $words[i] in
                        --config) config=(--config "${(Q)words[i+1]}") ;;
                        --config=*) config=(--config "${(Q)words[i]#--config=}") ;;
                    esac
                done
                profiles=(${(f)"$(vq $config profiles 2>/dev/null | \(profileLister))"})
                _describe 'profile' profiles
            }
            _vq_first() {
                _alternative 'commands:command:(\(commandWords))' 'files:prompt or image:_files'
            }
            _vq() {
                local cmd=query word value_longs=' \(valueLongs) ' value_shorts='\(valueShorts)' commands=' \(commandWords) '
                integer i=2 j skip=0 at=0
                # The command is the first word that is neither an option nor an option's value, as in vq's parser.
                while (( i < CURRENT )); do
                    word=$words[i]
                    if (( skip )); then
                        skip=0
                    elif [[ $word == -- ]]; then
                        break
                    elif [[ $word == --* ]]; then
                        [[ $word != *=* && $value_longs == *" $word "* ]] && skip=1
                    elif [[ $word == -?* ]]; then
                        for (( j = 2; j <= $#word; j++ )); do
                            if [[ $value_shorts == *$word[j]* ]]; then (( j == $#word )) && skip=1; break; fi
                        done
                    else
                        [[ $commands == *" $word "* ]] && { cmd=$word; at=i }
                        break
                    fi
                    (( i++ ))
                done
                # Complete the command's options and arguments as if its name were not on the line.
                if (( at )); then words[at]=(); (( CURRENT-- )); fi
                case $cmd in
            \(commandCases)    esac
            }
            _vq "$@"

            """
    }

    /// One `_arguments` spec: `'(-p --profile)'{-p,--profile=}'[help]:NAME:action'`; repeatable ones start with `*`.
    private static func zshSpec(_ option: OptionSpec) -> String {
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
        // A repeatable option may follow itself; any other excludes its other spelling once given.
        let long = "--\(option.long)" + (option.takesValue ? "=" : "")
        let exclusion = option.repeatable ? "*" : "(\(names(option).joined(separator: " ")))"
        if let short = option.short {
            return "'\(exclusion)'{-\(short),\(long)}'[\(help)]\(action)'"
        }
        return "'\(exclusion)\(long)[\(help)]\(action)'"
    }

    private static func zshEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "[", with: "\\[")
            .replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: ":", with: "\\:")
    }

    // MARK: fish

    private static func fish() -> String {
        var lines = """
            # fish completion for vq \(header)
            # Prints the command being completed and how many arguments it has so far, as vq's parser reads the line.
            function __vq_state
                set -l tokens (commandline -opc)
                set -e tokens[1]
                set -l command query
                set -l count 0
                set -l skip 0
                set -l endopts 0
                for token in $tokens
                    if test $skip = 1
                        set skip 0
                    else if test $endopts = 1; or not string match -qr -- '^-.' $token
                        if test $count = 0 -a $command = query -a $endopts = 0; and contains -- $token \(commandWords)
                            set command $token
                        else
                            set count (math $count + 1)
                        end
                    else if test $token = --
                        set endopts 1
                    else if string match -qr -- '^--[^=]+$' $token
                        contains -- $token \(valueLongs); and set skip 1
                    else if string match -qr -- '^-[^-]' $token
                        string match -qr -- '^-[^\(valueShorts)]*[\(valueShorts)]$' $token; and set skip 1
                    end
                end
                echo $command
                echo $count
            end
            # True when the command being completed is one of the arguments.
            function __vq_command_is
                set -l state (__vq_state)
                contains -- $state[1] $argv
            end
            # True when the command being completed is $argv[1] and has $argv[2] arguments so far.
            function __vq_argument_is
                set -l state (__vq_state)
                test $state[1] = $argv[1] -a $state[2] = $argv[2]
            end
            # Profile names, from the --config given on the line if any.
            function __vq_profiles
                set -l tokens (commandline -opc)
                set -l config
                for i in (seq (count $tokens))
                    if test $tokens[$i] = --config; and test $i -lt (count $tokens)
                        set config --config $tokens[(math $i + 1)]
                    else if string match -q -- '--config=*' $tokens[$i]
                        set config --config (string replace -- --config= '' $tokens[$i])
                    end
                end
                vq $config profiles 2>/dev/null | \(profileLister)
            end

            """
        for command in CommandName.allCases {
            switch command.arguments {
            case .none:
                lines += "complete -c vq -n '__vq_command_is \(command.rawValue)' -f\n"
            case .word(_, let values):
                lines += "complete -c vq -n '__vq_command_is \(command.rawValue)' -f\n"
                lines += "complete -c vq -n '__vq_argument_is \(command.rawValue) 0' -f -a '\(values.joined(separator: " "))'\n"
            case .promptAndFiles:
                if command == .query { lines += "complete -c vq -n '__vq_argument_is query 0' -a '\(commandWords)'\n" }
            }
        }
        for option in OptionTable.options {
            let applies = CommandName.allCases.filter(option.commands.contains).map(\.rawValue).joined(separator: " ")
            var line = "complete -c vq -n '__vq_command_is \(applies)'"
            if let short = option.short { line += " -s \(short)" }
            line += " -l \(option.long)"
            if option.takesValue {
                switch option.completion {
                case .file: line += " -r -F"
                case .directory: line += " -x -a '(__fish_complete_directories)'"
                case .profile: line += " -x -a '(__vq_profiles)'"
                case .choices(let values): line += " -x -a '\(values.joined(separator: " "))'"
                case .none: line += " -x"
                }
            }
            line += " -d '\(option.help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
            lines += line + "\n"
        }
        return lines
    }
}
