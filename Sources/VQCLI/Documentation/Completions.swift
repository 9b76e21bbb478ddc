import TextFormatting

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
    /// The same, each name followed by a tab and its model (fish shows it beside the name).
    private static let describedProfileLister = "awk 'NR>1 {if ($1==\"*\") print $2 \"\\t\" $4; else print $1 \"\\t\" $3}'"
    /// Turns the table `vq templates` prints into one template name per line.
    private static let templateLister = "awk 'NR>1 {print $1}'"

    /// The name a shell script gives a command while completing it: `batch`, or `batch.status` after an action word
    /// that only some of its options follow.
    private static func keys(of command: CommandName) -> [(key: String, options: [OptionSpec])] {
        [(command.rawValue, options(of: command))]
            + command.restrictingActions.map { action in
                ("\(command.rawValue).\(action.word)", options(of: command).filter { action.options?.contains($0.name) == true })
            }
    }

    /// Whether a command's first argument may be a file as well as an action word.
    private static func takesFiles(_ arguments: CommandArguments) -> Bool {
        switch arguments {
        case .files, .promptAndFiles: return true
        case .actions(_, _, let otherwise): return takesFiles(otherwise)
        case .none, .profile, .value: return false
        }
    }

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
            case .profile: action = "COMPREPLY=(\(words) -W \"$(_vq_list profiles \"$config\")\" -- \"$cur\"))"
            case .template: action = "COMPREPLY=(\(words) -W \"$(_vq_list templates \"$config\")\" -- \"$cur\"))"
            case .choices(let values): action = "COMPREPLY=(\(words) -W \"\(values.joined(separator: " "))\" -- \"$cur\"))"
            case .none: continue
            }
            valueCases += "            \(names(option).joined(separator: "|"))) \(action) ;;\n"
        }
        var optionCases = ""
        var keyCases = ""
        var argumentCases = ""
        for command in CommandName.allCases {
            for (key, options) in keys(of: command) {
                optionCases += "            \(key)) words=\"\(options.flatMap(names).joined(separator: " "))\" ;;\n"
            }
            for action in command.restrictingActions {
                keyCases += "            \"\(command.rawValue) \(action.word)\") key=\(command.rawValue).\(action.word) ;;\n"
            }
            argumentCases += "        \(command.rawValue)) \(bashArguments(command.arguments, at: 0, command: command)) ;;\n"
        }
        return """
            # bash completion for vq \(header)
            # _vq_list profiles|templates [CONFIG]: the names `vq profiles` or `vq templates` lists.
            _vq_list() {
                if [[ -n $2 ]]; then vq --config "$2" "$1" 2>/dev/null; else vq "$1" 2>/dev/null; fi | \\
                    if [[ $1 == profiles ]]; then \(profileLister); else \(templateLister); fi
            }
            _vq() {
                COMPREPLY=()
                local cur="${COMP_WORDS[COMP_CWORD]}" cmd=query config="" pending="" prefix="" npos=0 endopts=0 sawopt=0 first="" i j word
                local value_longs=" \(valueLongs) " value_shorts="\(valueShorts)" commands=" \(commandWords) "
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
            \(valueCases)            *) COMPREPLY=() ;;
                    esac
                    return
                fi
                local key="$cmd"
                case "$cmd $first" in
            \(keyCases)        esac
                if (( !endopts )) && [[ $cur == -* ]]; then
                    local words=""
                    case "$key" in
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

    /// The bash commands that complete argument number `npos` of a command, whose arguments from number `at` on are
    /// `arguments` (`first` holds the first argument, an action word).
    private static func bashArguments(_ arguments: CommandArguments, at position: Int, command: CommandName) -> String {
        let files = "$(compgen -f -- \"$cur\")"
        switch arguments {
        case .none, .value: return "COMPREPLY=()"
        case .files: return "COMPREPLY=(\(files))"
        case .promptAndFiles:
            // The default command's first argument may also name a command, when no option came before it.
            guard command == .query else { return "COMPREPLY=(\(files))" }
            return "COMPREPLY=($( (( npos == 0 && !sawopt )) && compgen -W \"\(commandWords)\" -- \"$cur\") \(files))"
        case .profile: return "(( npos == \(position) )) && COMPREPLY=($(compgen -W \"$(_vq_list profiles \"$config\")\" -- \"$cur\"))"
        case .actions(_, let actions, let otherwise):
            let words = "$(compgen -W \"\(actions.map(\.word).joined(separator: " "))\" -- \"$cur\")"
            var text = "if (( npos == \(position) )); then COMPREPLY=(\(words)\(takesFiles(otherwise) ? " " + files : "")); else case \"$first\" in "
            for action in actions {
                text += "\(action.word)) \(bashArguments(action.then, at: position + 1, command: command)) ;; "
            }
            return text + "*) \(bashArguments(otherwise, at: position, command: command)) ;; esac; fi"
        }
    }

    // MARK: zsh

    private static func zsh() -> String {
        var commandCases = ""
        for command in CommandName.allCases {
            for (key, options) in keys(of: command) {
                var specs = options.map(zshSpec)
                if key == command.rawValue { specs += zshArguments(command.arguments, command: command) }
                commandCases += "        \(key))\n            _arguments -s -S : \\\n"
                commandCases += specs.map { "                \($0)" }.joined(separator: " \\\n") + " ;;\n"
            }
        }
        var keyCases = ""
        for command in CommandName.allCases {
            for action in command.restrictingActions {
                keyCases += "            (\"\(command.rawValue) \(action.word)\") key=\(command.rawValue).\(action.word) ;;\n"
            }
        }
        return """
            #compdef vq
            # zsh completion for vq \(header)
            # _vq_list profiles|templates: the names `vq profiles` or `vq templates` lists, with the --config on the line.
            _vq_list() {
                local -a names config
                local i
                for (( i = 2; i < CURRENT; i++ )); do
                    case $words[i] in
                        --config) config=(--config "${(Q)words[i+1]}") ;;
                        --config=*) config=(--config "${(Q)words[i]#--config=}") ;;
                    esac
                done
                if [[ $1 == profiles ]]; then
                    names=(${(f)"$(vq $config profiles 2>/dev/null | \(profileLister))"})
                else
                    names=(${(f)"$(vq $config templates 2>/dev/null | \(templateLister))"})
                fi
                _describe ${1%s} names
            }
            _vq_profiles() { _vq_list profiles }
            _vq_templates() { _vq_list templates }
            _vq_first() {
                if (( sawopt )); then _files; return; fi
                _alternative 'commands:command:(\(commandWords))' 'files:prompt or image:_files'
            }
            _vq() {
                local cmd=query key word first value_longs=' \(valueLongs) ' value_shorts='\(valueShorts)' commands=' \(commandWords) '
                integer i=2 j skip=0 at=0 sawopt=0
                # The command is the first word that is neither an option nor an option's value, as in vq's parser; the
                # first word after it that is neither is its first argument (an action word).
                while (( i < CURRENT )); do
                    word=$words[i]
                    if (( skip )); then
                        skip=0
                    elif [[ $word == -- ]]; then
                        break
                    elif [[ $word == --* ]]; then
                        sawopt=1
                        [[ $word != *=* && $value_longs == *" $word "* ]] && skip=1
                    elif [[ $word == -?* ]]; then
                        sawopt=1
                        for (( j = 2; j <= $#word; j++ )); do
                            if [[ $value_shorts == *$word[j]* ]]; then (( j == $#word )) && skip=1; break; fi
                        done
                    elif (( at == 0 && !sawopt )) && [[ $cmd == query && $commands == *" $word "* ]]; then
                        cmd=$word; at=i
                    else
                        first=$word
                        break
                    fi
                    (( i++ ))
                done
                # Complete the command's options and arguments as if its name were not on the line.
                if (( at )); then words[at]=(); (( CURRENT-- )); fi
                key=$cmd
                case "$cmd $first" in
            \(keyCases)        esac
                # After such an action word only its options complete: take it off the line too.
                if [[ $key != $cmd ]]; then words[i-1]=(); (( CURRENT-- )); fi
                case $key in
            \(commandCases)    esac
            }
            _vq "$@"

            """
    }

    /// The `_arguments` specs of a command's arguments; `$line[1]` is its first argument (an action word).
    private static func zshArguments(_ arguments: CommandArguments, command: CommandName) -> [String] {
        switch arguments {
        case .none, .value: return []
        case .files: return ["'*:image:_files'"]
        case .profile: return ["'1:profile:_vq_profiles'"]
        case .promptAndFiles: return [command == .query ? "'1: :_vq_first'" : "'1:prompt:_files'", "'*:image:_files'"]
        case .actions(let label, let actions, let otherwise):
            let words = actions.map(\.word).joined(separator: " ")
            var specs: [String] = []
            if takesFiles(otherwise) {
                specs.append("'1: :_alternative \"actions:\(label):(\(words))\" \"files:prompt or image:_files\"'")
                let taking = actions.filter { $0.then == .none }.map(\.word).joined(separator: "|")
                specs.append("'*:image:{[[ $line[1] == (\(taking)) ]] || _files}'")
            } else {
                specs.append("'1:\(label):(\(words))'")
                let profiles = actions.filter { $0.then == .profile }.map(\.word)
                if !profiles.isEmpty {
                    specs.append("'2:profile:{[[ $line[1] == (\(profiles.joined(separator: "|"))) ]] && _vq_profiles}'")
                }
            }
            return specs
        }
    }

    /// One `_arguments` spec: `'(-p --profile)'{-p,--profile=}'[help]:NAME:action'`; repeatable ones start with `*`.
    private static func zshSpec(_ option: OptionSpec) -> String {
        let help = zshEscape(option.help)
        var action = ""
        if option.takesValue {
            let value = option.valueName!.replacingScalars("'", with: "").replacingScalars(":", with: "")
            switch option.completion {
            case .file: action = ":\(value):_files"
            case .directory: action = ":\(value):_files -/"
            case .profile: action = ":\(value):_vq_profiles"
            case .template: action = ":\(value):_vq_templates"
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
        text.replacingScalars("'", with: "'\\''").replacingScalars("[", with: "\\[")
            .replacingScalars("]", with: "\\]").replacingScalars(":", with: "\\:")
    }

    // MARK: fish

    private static func fish() -> String {
        var keyCases = ""
        for command in CommandName.allCases {
            for action in command.restrictingActions {
                keyCases += "        case '\(command.rawValue) \(action.word)'\n            set command \(command.rawValue).\(action.word)\n"
            }
        }
        var lines = """
            # fish completion for vq \(header)
            # Prints the command being completed (`batch.status` after an action word that only some options follow), how
            # many arguments it has so far, its first argument, and 1 when an option came before any argument, as vq's
            # parser reads the line.
            function __vq_state
                set -l tokens (commandline -opc)
                set -e tokens[1]
                set -l command query
                set -l count 0
                set -l first ''
                set -l sawopt 0
                set -l skip 0
                set -l endopts 0
                for token in $tokens
                    if test $skip = 1
                        set skip 0
                    else if test $endopts = 1; or not string match -qr -- '^-.' $token
                        if test $count = 0 -a $command = query -a $endopts = 0 -a $sawopt = 0; and contains -- $token \(commandWords)
                            set command $token
                        else
                            test $count = 0; and set first $token
                            set count (math $count + 1)
                        end
                    else if test $token = --
                        set endopts 1
                    else if string match -qr -- '^--[^=]+$' $token
                        set sawopt 1
                        contains -- $token \(valueLongs); and set skip 1
                    else if string match -qr -- '^-[^-]' $token
                        set sawopt 1
                        string match -qr -- '^-[^\(valueShorts)]*[\(valueShorts)]$' $token; and set skip 1
                    else
                        set sawopt 1
                    end
                end
                switch "$command $first"
            \(keyCases)    end
                echo $command
                echo $count
                echo $first
                echo $sawopt
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
            # True when the command being completed is $argv[1], its first argument $argv[2], and it has $argv[3] so far.
            function __vq_action_is
                set -l state (__vq_state)
                test $state[1] = $argv[1] -a "$state[3]" = $argv[2] -a $state[2] = $argv[3]
            end
            # True for the first argument of a query when no option came before it: it may name a command.
            function __vq_may_name_command
                set -l state (__vq_state)
                test $state[1] = query -a $state[2] = 0 -a $state[4] = 0
            end
            # Names from `vq profiles` (each with its model) or `vq templates`, with the --config given on the line.
            function __vq_list
                set -l tokens (commandline -opc)
                set -l config
                for i in (seq (count $tokens))
                    if test $tokens[$i] = --config; and test $i -lt (count $tokens)
                        set config --config $tokens[(math $i + 1)]
                    else if string match -q -- '--config=*' $tokens[$i]
                        set config --config (string replace -- --config= '' $tokens[$i])
                    end
                end
                if test $argv[1] = profiles
                    vq $config profiles 2>/dev/null | \(describedProfileLister)
                else
                    vq $config templates 2>/dev/null | \(templateLister)
                end
            end

            """
        for command in CommandName.allCases {
            lines += fishArguments(command.arguments, command: command)
            for action in command.restrictingActions {
                lines += "complete -c vq -n '__vq_command_is \(command.rawValue).\(action.word)' -f\n"
            }
        }
        for option in OptionTable.options {
            let applies = CommandName.allCases.flatMap { command in
                keys(of: command).filter { $0.options.contains { $0.name == option.name } }.map(\.key)
            }
            var line = "complete -c vq -n '__vq_command_is \(applies.joined(separator: " "))'"
            if let short = option.short { line += " -s \(short)" }
            line += " -l \(option.long)"
            if option.takesValue {
                switch option.completion {
                case .file: line += " -r -F"
                case .directory: line += " -x -a '(__fish_complete_directories)'"
                case .profile: line += " -x -a '(__vq_list profiles)'"
                case .template: line += " -x -a '(__vq_list templates)'"
                case .choices(let values): line += " -x -a '\(values.joined(separator: " "))'"
                case .none: line += " -x"
                }
            }
            line += " -d '\(option.help.replacingScalars("\\", with: "\\\\").replacingScalars("'", with: "\\'"))'"
            lines += line + "\n"
        }
        return lines
    }

    /// The fish `complete` lines for a command's arguments.
    private static func fishArguments(_ arguments: CommandArguments, command: CommandName) -> String {
        let name = command.rawValue
        switch arguments {
        case .none, .value, .profile: return "complete -c vq -n '__vq_command_is \(name)' -f\n"
        case .files: return ""
        case .promptAndFiles:
            return command == .query ? "complete -c vq -n '__vq_may_name_command' -a '\(commandWords)'\n" : ""
        case .actions(let label, let actions, let otherwise):
            var lines = takesFiles(otherwise) ? "" : "complete -c vq -n '__vq_command_is \(name)' -f\n"
            let words = actions.map(\.word).joined(separator: " ")
            let noFiles = takesFiles(otherwise) ? "" : " -f"
            lines += "complete -c vq -n '__vq_argument_is \(name) 0'\(noFiles) -a '\(words)' -d '\(label)'\n"
            for action in actions where action.then == .profile {
                lines += "complete -c vq -n '__vq_action_is \(name) \(action.word) 1' -f -a '(__vq_list profiles)'\n"
            }
            return lines
        }
    }
}
