import VisionQuery

/// The man page's text about the conversation log, `-c`, `vq chat` and `vq logs` (one place for it).
enum HistoryDoc {
    static let manSection = """
        .SS Conversations and the log
        Every query is recorded in an SQLite database, \\fB$VQ_LOG_DB\\fR, else \\fB$XDG_DATA_HOME/vq/logs.db\\fR,
        else \\fB~/.local/share/vq/logs.db\\fR: time, profile, api, model, system prompt, prompt, the sampling
        options sent, each image (where it came from, its SHA\\-256, pixel size, and the prepared bytes that were
        sent, stored once per hash), the answer, saved image paths, token usage, duration and the error if it
        failed. Keys, auth headers and credentials in URLs are never stored. The database runs in WAL mode with a
        busy timeout, so many vq processes may log at once; its schema is versioned and migrated when a newer vq
        opens it. A log that cannot be written (unwritable, corrupt, locked) gives one warning and the answer is
        still printed. \\fB\\-\\-no\\-log\\fR or \\fBlog = false\\fR in the config file turn logging off; \\fBvq batch\\fR
        logs its items only with \\fB\\-\\-log\\fR.
        .PP
        \\fB\\-c\\fR continues the most recent conversation and \\fB\\-\\-conversation\\fR \\fIID\\fR a given one: the
        earlier prompts are sent again with their images, from the stored bytes (so it works after a file moved
        or a URL died), then their answers, then the new prompt and images. The conversation's profile, model
        and system prompt are reused unless \\fB\\-p\\fR, \\fB\\-m\\fR or \\fB\\-s\\fR say otherwise (\\fB\\-p\\fR brings its
        profile's model); another api gets the history in its own wire format. \\fB\\-\\-json\\fR reports the
        exchange's \\fBid\\fR and \\fBconversation_id\\fR.
        .PP
        \\fBvq chat\\fR is a conversation on a terminal: each line is a turn and its answer streams;
        \\fB/image\\fR \\fIPATH\\fR adds an image or PDF to the next turn, \\fB/paste\\fR the clipboard's image, \\fB/exit\\fR or Ctrl\\-D leaves, Ctrl\\-C stops an
        answer being written (what arrived stays in the chat) or clears the prompt, without leaving; a line starting
        with \\fB//\\fR sends one \\fB/\\fR. Image arguments go with the first turn. On a pipe it reads one turn per
        line and prints each answer, with no prompt; a failed turn then ends the chat with its exit status.
        The whole chat is one logged conversation.
        .PP
        At a terminal \\fBvq chat\\fR edits lines with libedit (your \\fB~/.editrc\\fR applies): Up and Down recall
        earlier prompts, kept in \\fB$XDG_STATE_HOME/vq/chat_history\\fR (else \\fB~/.local/state/vq/chat_history\\fR,
        mode 0600; two chats at once both add to it, the newest \(LineEditor.historySize) entries are kept); a paste of several lines is one
        turn; \\fB\\(dq\\(dq\\(dq\\fR or \\fB/multi\\fR starts a prompt of several lines, \\fB/edit\\fR composes one in
        \\fB$VISUAL\\fR or \\fB$EDITOR\\fR; Tab completes chat commands and \\fB/image\\fR paths. What is typed while an
        answer is written is not echoed into it and waits for the next prompt: a Ctrl\\-D typed then ends the chat once
        the answer is complete. A SIGTERM or SIGHUP puts the terminal back as it was before vq ends as that signal does
        (exit status \(ExitCode.terminated.rawValue) or \(ExitCode.hangup.rawValue) in the shell).
        .PP
        \\fBvq logs\\fR shows the latest exchanges, oldest first (\\fB\\-n\\fR, default 3); \\fB\\-\\-search\\fR
        \\fITEXT\\fR keeps those whose prompt or answer holds every word (SQLite FTS5), \\fB\\-\\-conversation\\fR and
        \\fB\\-\\-model\\fR filter, \\fB\\-\\-json\\fR prints one object per line. \\fBvq logs show\\fR \\fIID\\fR prints
        one exchange whole, with its images' sources, sizes and hashes; \\fBvq logs path\\fR prints the database path.

        """

    static let environmentEntries = """
        .TP
        .B VQ_LOG_DB
        The conversation log's path (default \\fB$XDG_DATA_HOME/vq/logs.db\\fR, else \\fB~/.local/share/vq/logs.db\\fR).

        """
}
