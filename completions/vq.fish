# fish completion for vq (generated from the option table; run 'make docs' to refresh)
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
            if test $count = 0 -a $command = query -a $endopts = 0 -a $sawopt = 0; and contains -- $token batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version
                set command $token
            else
                test $count = 0; and set first $token
                set count (math $count + 1)
            end
        else if test $token = --
            set endopts 1
        else if string match -qr -- '^--[^=]+$' $token
            set sawopt 1
            contains -- $token --profile --model --system --temperature --top-p --max-tokens --stop --messages --conversation --detail --max-side --max-pixels --quality --pages --pdf --frames --fps --start --end --media-resolution --modalities --output-dir --output --template --save --schema --header --timeout --stall-timeout --retries --retry-max-wait --jobs --glob --per-request --rate --out --format --sidecar --shard --shard-count --shard-from-env --inputs-from --max-cost --profiles --judge --min-score --count --size --aspect --background --compression --moderation --fidelity --partial-images --mask --prompts --search --since --by --annotate --classes --http --color --config; and set skip 1
        else if string match -qr -- '^-[^-]' $token
            set sawopt 1
            string match -qr -- '^-[^pmstoTHjn]*[pmstoTHjn]$' $token; and set skip 1
        else
            set sawopt 1
        end
    end
    switch "$command $first"
        case 'batch status'
            set command batch.status
        case 'batch cancel'
            set command batch.cancel
    end
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
        vq $config profiles 2>/dev/null | awk 'NR>1 {if ($1=="*") print $2 "\t" $4; else print $1 "\t" $3}'
    else
        vq $config templates 2>/dev/null | awk 'NR>1 {print $1}'
    end
end
complete -c vq -n '__vq_may_name_command' -a 'batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version'
complete -c vq -n '__vq_argument_is batch 0' -a 'status cancel' -d 'action'
complete -c vq -n '__vq_command_is batch.status' -f
complete -c vq -n '__vq_command_is batch.cancel' -f
complete -c vq -n '__vq_command_is gen' -f
complete -c vq -n '__vq_command_is compare' -f
complete -c vq -n '__vq_command_is eval' -f
complete -c vq -n '__vq_command_is logs' -f
complete -c vq -n '__vq_argument_is logs 0' -f -a 'show path' -d 'action'
complete -c vq -n '__vq_command_is models' -f
complete -c vq -n '__vq_command_is profiles' -f
complete -c vq -n '__vq_command_is templates' -f
complete -c vq -n '__vq_command_is prices' -f
complete -c vq -n '__vq_command_is keys' -f
complete -c vq -n '__vq_argument_is keys 0' -f -a 'set list remove' -d 'action'
complete -c vq -n '__vq_action_is keys set 1' -f -a '(__vq_list profiles)'
complete -c vq -n '__vq_action_is keys remove 1' -f -a '(__vq_list profiles)'
complete -c vq -n '__vq_command_is config' -f
complete -c vq -n '__vq_argument_is config 0' -f -a 'path check' -d 'action'
complete -c vq -n '__vq_command_is mcp' -f
complete -c vq -n '__vq_command_is completions' -f
complete -c vq -n '__vq_argument_is completions 0' -f -a 'bash zsh fish' -d 'shell'
complete -c vq -n '__vq_command_is help' -f
complete -c vq -n '__vq_argument_is help 0' -f -a 'batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version' -d 'command'
complete -c vq -n '__vq_command_is version' -f
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval models' -s p -l profile -x -a '(__vq_list profiles)' -d 'Service profile to use (see \'vq profiles\'); default from VQ_PROFILE or default_profile (vq compare and vq eval: repeat it for each profile)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval logs' -s m -l model -x -d 'Model name; default from VQ_MODEL or the profile (vq logs: only exchanges with this model; vq compare and vq eval: repeat it to compare models)'
complete -c vq -n '__vq_command_is query batch chat detect compare eval' -s s -l system -x -d 'System prompt'
complete -c vq -n '__vq_command_is query batch chat detect compare eval' -s t -l temperature -x -d 'Sampling temperature, 0 to 2'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l top-p -x -d 'Nucleus sampling probability, 0 to 1'
complete -c vq -n '__vq_command_is query batch chat detect compare eval' -l max-tokens -x -d 'Maximum number of tokens in the answer'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l stop -x -d 'Stop sequence (repeatable)'
complete -c vq -n '__vq_command_is query' -l messages -r -F -d 'Earlier conversation to send before the prompt: a JSON list of {role, content} messages (PROMPT then optional)'
complete -c vq -n '__vq_command_is query chat' -s c -l continue -d 'Continue the most recent logged conversation: its earlier turns (with their images) are sent first, its profile and model reused unless -p/-m say otherwise'
complete -c vq -n '__vq_command_is query chat logs' -l conversation -x -d 'Continue conversation ID, as -c does (vq logs: only its exchanges)'
complete -c vq -n '__vq_command_is query chat gen detect compare' -l no-log -d 'Do not record this exchange in the log (see \'vq logs\'; config: log = false)'
complete -c vq -n '__vq_command_is batch' -l log -d 'Record each item in the log, as queries are (batches are not logged otherwise)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l detail -x -a 'low high auto' -d 'Image detail hint for the model'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l max-side -x -d 'Shrink images whose longer side is over N pixels (default from the profile; 0 = no limit)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l max-pixels -x -d 'Shrink images with more than N pixels (default from the profile; 0 = no limit)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l no-resize -d 'Send images as they are: no shrinking, no rotation, no re-encoding (still validated)'
complete -c vq -n '__vq_command_is query batch chat gen compare eval' -l strip -d 'Re-encode JPEG and PNG images to drop their metadata (EXIF, GPS) even when no shrinking is needed'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l quality -x -d 'JPEG quality, 1 to 100, for re-encoded images (default 85); vq gen: the image\'s quality, low, medium, high or auto (standard or hd for dall-e-3)'
complete -c vq -n '__vq_command_is query batch chat detect compare eval' -l pages -x -d 'Only these pages of each PDF, e.g. 1-3,7 or 5- (both routes: a PDF of just them, or just them rendered)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l pdf -x -a 'native render auto' -d 'How PDFs are sent: native (the service reads the file), render (each page as an image) or auto (default: native where the profile\'s service reads PDFs and its limits allow)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l frames -x -d 'Sample N frames of each video, evenly between --start and --end, sent as images (default: as many as the profile\'s image limit allows, at most one a second)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l fps -x -d 'Sample R frames per second of each video (e.g. 0.5; at most the video\'s own rate); a service that reads video whole is asked to sample at R'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l start -x -d 'Watch each video from TIME: seconds, M:SS or H:MM:SS, with a fraction if need be (e.g. 1:20.5)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l end -x -d 'Watch each video up to TIME (as --start; default: its end)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l media-resolution -x -a 'low medium high' -d 'Gemini: tokens spent on each image, video frame and PDF page: low, medium or high (default: the model\'s)'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l keep-uploads -d 'Gemini: leave files uploaded through the Files API (media over the 20 MB inline cap) on the service for their 48 hours, so that -c reuses them; by default they are deleted after the answer'
complete -c vq -n '__vq_command_is query chat' -l clipboard -d 'Send the image on the clipboard too (wl-paste, xclip or osascript; in vq chat: /paste)'
complete -c vq -n '__vq_command_is query chat gen' -l no-stream -d 'Wait for the whole answer instead of streaming it'
complete -c vq -n '__vq_command_is query batch chat gen compare eval' -l modalities -x -d 'Kinds of output to ask for, e.g. text,image (sends "modalities"; default from the profile)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -s o -l output-dir -x -a '(__fish_complete_directories)' -d 'Directory for images the model returns, named vq-DATE-TIME-N.EXT (default: the current directory); vq detect: for --masks'
complete -c vq -n '__vq_command_is query gen' -l output -r -F -d 'Save the returned image as FILE (never overwritten; more images become FILE-2.EXT, ...)'
complete -c vq -n '__vq_command_is query gen compare eval logs models profiles templates prices' -l json -d 'Print JSON instead of text: for a query one object (text, model, profile, finish_reason, usage, cost, saved_images, id, conversation_id); vq logs one object per exchange; vq models, vq profiles, vq templates and vq prices the list'
complete -c vq -n '__vq_command_is query batch chat compare eval' -s T -l template -x -a '(__vq_list templates)' -d 'Ask with template NAME (a [templates.NAME] section of the config, or one saved with --save): its prompt first, then PROMPT if given; its options unless given here'
complete -c vq -n '__vq_command_is query' -l save -x -d 'Save PROMPT and the options a template holds as template NAME (templates.d/NAME.toml in vq\'s config directory; never over one unless --overwrite) instead of asking'
complete -c vq -n '__vq_command_is query batch chat compare eval' -l schema -r -F -d 'Answer with one JSON object following SCHEMA (a JSON Schema file, inline JSON, or \'caption, tags [string], people int\'), checked before it is printed'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval models' -s H -l header -x -d 'Extra HTTP header to send (repeatable)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval models' -l timeout -x -d 'Give up when the whole request takes longer than this'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l stall-timeout -x -d 'Give up when nothing arrives for this long (default 60; 900 for whole answers: --no-stream, vq batch)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval' -l retries -x -d 'Retries for connection failures, 408, 409, 429 and 5xx, with backoff (default 2)'
complete -c vq -n '__vq_command_is query batch chat gen compare eval' -l retry-max-wait -x -d 'Longest Retry-After wait to honour; a longer demand fails at once (default 60)'
complete -c vq -n '__vq_command_is batch gen eval' -s j -l jobs -x -d 'Requests in flight at once (default 4)'
complete -c vq -n '__vq_command_is batch' -l glob -x -d 'Only files whose name matches PATTERN (e.g. \'*.jpg\') in directories'
complete -c vq -n '__vq_command_is batch' -s 0 -l null -d 'The list of images on standard input (\'-\') is NUL-separated (find -print0)'
complete -c vq -n '__vq_command_is batch' -l per-request -x -d 'Images sent together in one request, each still getting its own line (default 1)'
complete -c vq -n '__vq_command_is batch' -l per-page -d 'One request and one line per PDF page (key report.pdf#p3); with --sidecar md, report.md gets the pages\' answers in order'
complete -c vq -n '__vq_command_is batch gen eval' -l rate -x -d 'At most N requests per minute (also N/s, N/h); HTTP 429 slows the whole batch down'
complete -c vq -n '__vq_command_is batch batch.status batch.cancel gen eval' -l out -r -F -d 'Append the JSON Lines to FILE (each line synced to disk, the file locked against a second vq) instead of stdout'
complete -c vq -n '__vq_command_is batch gen detect eval' -l format -x -a 'jsonl csv png jpeg webp json coco yolo' -d 'jsonl (default) or csv: one RFC 4180 row per image, columns image, each --schema property (else output), error; vq gen: the image format, png, jpeg or webp; vq detect and vq batch detect: json (default), coco, yolo or csv'
complete -c vq -n '__vq_command_is batch detect' -l csv-raw -d 'With --format csv: write cells as they are (by default one starting with = + - @ TAB or CR gets a leading \')'
complete -c vq -n '__vq_command_is batch gen eval' -l resume -d 'With --out: skip images FILE already answers; redo failed ones and a line torn by a crash'
complete -c vq -n '__vq_command_is batch' -l sidecar -x -d 'Write each answer beside its image (photo.jpg -> photo.EXT) instead of to stdout; images with one are skipped'
complete -c vq -n '__vq_command_is query batch detect' -l overwrite -d 'With --sidecar: replace existing sidecar files instead of skipping their images; with --save: replace the saved template; vq detect --annotate, vq batch detect --format yolo: replace an existing picture or label file'
complete -c vq -n '__vq_command_is batch gen' -l shard -x -d 'Process only shard K of N (0 <= K < N), by a stable hash of each image\'s key (its path inside the directory given, else its absolute path or URL)'
complete -c vq -n '__vq_command_is batch gen' -l shard-count -x -d 'Split into N shards, this task\'s 0-based index taken from SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX (an error when unset or not below N)'
complete -c vq -n '__vq_command_is batch gen' -l shard-from-env -x -d 'With --shard-count: take this task\'s 0-based index from environment variable VAR (e.g. SLURM_PROCID)'
complete -c vq -n '__vq_command_is batch' -l inputs-from -r -F -d 'Read the images from FILE, one path or URL per line (NUL-separated with -0), instead of arguments; a shard reads only the list, never the files of other shards'
complete -c vq -n '__vq_command_is batch gen' -l provider-batch -d 'Send through the provider\'s own batch API (openai, openai-responses, anthropic, gemini): about half the price, results within hours; needs --out, beside which the job\'s state is kept'
complete -c vq -n '__vq_command_is batch' -l detach -d 'With --provider-batch: return once the job is submitted; the same command with --resume (or vq batch status --out FILE) picks it up'
complete -c vq -n '__vq_command_is batch' -l retry-failed -d 'With --provider-batch --resume: submit the images whose lines failed (or expired) in the finished job again, as a new job'
complete -c vq -n '__vq_command_is batch gen' -l max-cost -x -d 'Spend at most USD on this run: sent requests count at their cost, the next at its estimate; the batch stops before going over (--resume with a new budget continues; see \'vq prices\')'
complete -c vq -n '__vq_command_is batch' -l profiles -x -d 'Ask every profile named about every image: one line per image and profile ("profile" tells them apart), resumable'
complete -c vq -n '__vq_command_is eval' -l judge -x -a '(__vq_list profiles)' -d 'Profile that scores the cases whose expectation is \'judge\' (it answers PASS or FAIL)'
complete -c vq -n '__vq_command_is eval' -l min-score -x -d 'Exit 1 when any profile passes fewer than RATE of the cases (0 to 1, or a percentage such as 90%)'
complete -c vq -n '__vq_command_is batch' -l keep-files -d 'With --provider-batch: keep the uploaded input and the result files at the provider (deleted once the results are written otherwise)'
complete -c vq -n '__vq_command_is gen logs' -s n -l count -x -d 'vq logs: show the latest N exchanges (default 3); vq gen: images to make (default 1)'
complete -c vq -n '__vq_command_is gen' -l size -x -d 'Size of the image to make, e.g. 1536x1024; converted to the nearest size the api allows (-v says which)'
complete -c vq -n '__vq_command_is gen' -l aspect -x -d 'Aspect ratio of the image to make, e.g. 16:9; converted to the nearest the api allows'
complete -c vq -n '__vq_command_is gen' -l background -x -a 'transparent opaque auto' -d 'Background of the image to make: transparent (png or webp), opaque or auto'
complete -c vq -n '__vq_command_is gen' -l compression -x -d 'Compression of a jpeg or webp image to make, 0 to 100'
complete -c vq -n '__vq_command_is gen' -l moderation -x -a 'auto low' -d 'Content moderation of a generation: auto (default) or low'
complete -c vq -n '__vq_command_is gen' -l fidelity -x -a 'high low' -d 'How closely an edit keeps the input images\' features (faces, logos): high or low'
complete -c vq -n '__vq_command_is gen' -l partial-images -x -d 'Stream N (0 to 3) partial images while the image is made; a terminal shows their progress'
complete -c vq -n '__vq_command_is gen' -l mask -r -F -d 'Edit only where this PNG is transparent; the same size as the first image (resized with it when it is shrunk)'
complete -c vq -n '__vq_command_is gen' -l no-metadata -d 'Do not write how an image was made (prompt, model, options, sources) into the saved file'
complete -c vq -n '__vq_command_is gen' -l prompts -r -F -d 'Make images for every prompt in FILE (one per line, or JSON Lines {"prompt","images","id"}) like vq batch: -j, --out, --resume, --shard; images named ID-N.EXT'
complete -c vq -n '__vq_command_is logs' -l search -x -d 'Only exchanges whose prompt or answer contains every word of TEXT (full-text search)'
complete -c vq -n '__vq_command_is logs' -l cost -d 'Show what the logged exchanges cost in US dollars, totalled per model (exchanges of unknown cost counted apart)'
complete -c vq -n '__vq_command_is logs' -l since -x -d 'With --cost: only exchanges of the last AGE (30m, 12h, 7d, 4w) or since a date (2026-12-01)'
complete -c vq -n '__vq_command_is logs' -l by -x -a 'model profile day' -d 'With --cost: one total per model (default), profile or UTC day'
complete -c vq -n '__vq_command_is query batch gen detect' -l dry-run -d 'Print the request that would be sent (base64 elided, key redacted) and exit'
complete -c vq -n '__vq_command_is query' -l count-tokens -d 'Ask the service to count the input tokens exactly (anthropic, gemini; no answer is generated) and print the count and its cost'
complete -c vq -n '__vq_command_is batch detect' -l points -d 'vq detect: one point per object ([x, y]) instead of a box'
complete -c vq -n '__vq_command_is batch detect' -l annotate -r -F -d 'vq detect: also draw the boxes (points, masks) with their labels onto the original image and save it as PATH (.jpg or .png); vq batch detect: into folder PATH, one picture per image mirroring its path (never over an existing file without --overwrite)'
complete -c vq -n '__vq_command_is detect' -l masks -d 'vq detect: ask for each object\'s segmentation mask too (Gemini 2.5); each saved as IMAGE-mask-N.png (the original\'s size, 255 on the object) in --output-dir, its path in "mask"'
complete -c vq -n '__vq_command_is batch detect' -l classes -r -F -d 'vq detect --format yolo|coco: the class names, one per line, a class\'s id its line number from 0; read when it exists, new labels appended (vq batch detect: default OUT/classes.txt)'
complete -c vq -n '__vq_command_is mcp' -l http -x -d 'vq mcp: serve the streamable HTTP transport on 127.0.0.1:PORT/mcp instead of stdio (0: any free port)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval models' -s v -l verbose -d 'Describe images, the request and timing on stderr (the key is never shown)'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval models' -s q -l quiet -d 'Print no warnings or notices on stderr, only errors'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version' -l color -x -a 'auto always never' -d 'Colour errors, warnings, chat prompts and vq logs headings: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always or never'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval logs models' -l raw -d 'On a terminal, print control characters from the model or service as they are (default: shown as ^[)'
complete -c vq -n '__vq_command_is query batch batch.status batch.cancel chat gen detect compare eval models profiles templates prices keys config mcp' -l config -r -F -d 'Config file to read instead of the default location'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version' -s h -l help -d 'Show help and exit'
complete -c vq -n '__vq_command_is query batch chat gen detect compare eval logs models profiles templates prices keys config mcp completions help version' -l version -d 'Show the version and exit'
