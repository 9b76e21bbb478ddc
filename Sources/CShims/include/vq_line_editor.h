#ifndef VQ_LINE_EDITOR_H
#define VQ_LINE_EDITOR_H
/* vq chat's line editor: libedit (the editor of the Swift REPL and BSD shells) with history, bracketed paste, Tab
 * completion and Ctrl-C at the prompt. Why in C: el_set and history() are variadic, and libedit is loaded with dlopen
 * on first use (a plain query never pays for it), so every call goes through a pointer that only C can declare from
 * <histedit.h>. Standard input and standard error must be terminals. */

typedef struct vq_line_editor vq_line_editor;

/* What vq_line_editor_read returned. */
enum {
    VQ_LINE_TYPED = 0,       /* a line typed and ended with Enter */
    VQ_LINE_PASTED = 1,      /* a paste that held a line break, whole, with what was typed before it */
    VQ_LINE_INTERRUPTED = 2, /* Ctrl-C at the prompt: no text */
    VQ_LINE_END = 3          /* Ctrl-D on an empty line, or the terminal closed: no text */
};

/* Completes the text before the cursor: returns the text to insert at the cursor (malloc'd, or NULL for none) and
 * sets *listing to the candidates to show, one per line (malloc'd, or NULL). */
typedef char *(*vq_line_completer)(void *context, const char *before_cursor, char **listing);

/* Loads libedit once (thread-safe): 0, or -1 with msg (size 256) naming the missing library. */
int vq_line_editor_load(char msg[256]);
/* A line editor on stdin/stderr keeping at most history_size entries; NULL when libedit cannot start. Call
 * vq_line_editor_load first. From here to vq_line_editor_close the terminal is held for type-ahead between reads, and
 * a signal that ends vq puts it back as it was. */
vq_line_editor *vq_line_editor_open(const char *program, int history_size);
void vq_line_editor_close(vq_line_editor *editor);
/* The prompt; escape sequences (colour) go between \001 bytes so they take no width. Copied. */
void vq_line_editor_set_prompt(vq_line_editor *editor, const char *prompt);
void vq_line_editor_set_completer(vq_line_editor *editor, vq_line_completer completer, void *context);
/* Reads one entry with the terminal in editing mode: malloc'd text without its line end (NULL for INTERRUPTED and
 * END), and its kind. For PASTED, the first line of the paste is shown on the edited line; the caller shows the rest. */
char *vq_line_editor_read(vq_line_editor *editor, int *kind);
/* Adds an entry to the history (Up recalls it). */
void vq_line_editor_remember(vq_line_editor *editor, const char *entry);
/* Puts the terminal back as vq found it, for a program that takes it over ($EDITOR), when lend is 1; holds it again
 * for type-ahead (see vq_editor_hold) when lend is 0. */
void vq_line_editor_lend_terminal(vq_line_editor *editor, int lend);
/* Reads a history file (libedit's format) into the history Up recalls; 0, or -1 when it is missing or unreadable. */
int vq_line_editor_load_history(vq_line_editor *editor, const char *path);
/* Adds entry to the history file at path, merged with what other sessions wrote there since: under a flock on
 * path.lock, the file as it is now plus the entry, cut to the history size, written atomically (0600, temporary file
 * renamed into place). 0, or -1 with errno set. */
int vq_line_editor_append_history(vq_line_editor *editor, const char *path, const char *entry);
#endif
