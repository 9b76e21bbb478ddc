/* Why this exists: see include/vq_line_editor.h (libedit's variadic calls, loaded with dlopen on first use). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include "vq_line_editor_library.h"
#include "vq_line_editor.h"
#include "vq_signals.h"

#define VQ_EDIT_DEFINE(name) __typeof__(vq_edit_fn_##name) vq_edit_fn_##name;
VQ_EDIT_FUNCTIONS(VQ_EDIT_DEFINE)
#undef VQ_EDIT_DEFINE

static pthread_once_t vq_edit_once = PTHREAD_ONCE_INIT;
static char vq_edit_error[256];

static void vq_edit_open_library(void) {
    void *library = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(vq_edit_error, sizeof vq_edit_error, "libedit is not installed (apt-get install libedit2): %s", dlerror());
        return;
    }
#define VQ_EDIT_RESOLVE(name) \
    if (!vq_edit_error[0] && !(vq_edit_fn_##name = (__typeof__(vq_edit_fn_##name))dlsym(library, #name))) \
        snprintf(vq_edit_error, sizeof vq_edit_error, "libedit.so.2 lacks %s (too old a libedit)", #name);
    VQ_EDIT_FUNCTIONS(VQ_EDIT_RESOLVE)
#undef VQ_EDIT_RESOLVE
}

int vq_line_editor_load(char msg[256]) {
    pthread_once(&vq_edit_once, vq_edit_open_library);
    if (!vq_edit_error[0]) return 0;
    snprintf(msg, 256, "%s", vq_edit_error);
    return -1;
}

/* A paste larger than this is cut (what is kept is still one turn); the rest is read and dropped. */
#define VQ_PASTE_LIMIT (4 << 20)
/* The byte the Ctrl-C function is bound to: the reader hands it to libedit when SIGINT arrived at the prompt. */
#define VQ_INTERRUPT_KEY 3

struct vq_line_editor {
    EditLine *el;
    History *history;
    char *prompt;
    vq_line_completer completer;
    void *completer_context;
    char *paste;          /* the whole paste (with the text typed before it) once a paste held a line break */
    int interrupted;
    int history_size;
    struct termios original; /* the terminal as vq found it, put back at close (and by the signal handler) */
    int has_original;
};

static vq_line_editor *vq_editor_of(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static char *vq_editor_prompt(EditLine *el) {
    vq_line_editor *editor = vq_editor_of(el);
    return editor->prompt ? editor->prompt : "";
}

/* Between reads (while an answer streams) the terminal is held in non-canonical mode without echo, signals still on:
 * what is typed waits unseen and unchanged for the next read. In the canonical mode libedit restores, the driver
 * would turn Ctrl-D into an end-of-file marker that libedit's raw mode then reads as a NUL (the Ctrl-D lost), and
 * type-ahead would be echoed into the answer. */
static void vq_editor_hold(vq_line_editor *editor) {
    if (!editor->has_original) return;
    struct termios hold = editor->original;
    hold.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL);
    hold.c_cc[VMIN] = 1;
    hold.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &hold);
}

/* Reads one byte from standard input, waiting in slices so Ctrl-C (a flag raised by vq's SIGINT handler) is noticed:
 * 1 read, 0 end of input, -1 error, 2 interrupted. */
static int vq_editor_read_byte(unsigned char *byte) {
    struct pollfd descriptor = { .fd = STDIN_FILENO, .events = POLLIN };
    for (;;) {
        if (vq_interrupt_take()) return 2;
        int ready = poll(&descriptor, 1, 100);
        if (ready < 0 && errno != EINTR) return -1;
        if (ready <= 0) continue;
        ssize_t count = read(STDIN_FILENO, byte, 1);
        if (count == 1) return 1;
        if (count == 0) return 0;
        if (errno != EINTR && errno != EAGAIN) return -1;
    }
}

/* libedit's character reader (EL_GETCFN): UTF-8 bytes to one wide character. */
static int vq_editor_getc(EditLine *el, wchar_t *out) {
    (void)el;
    unsigned char lead;
    int status = vq_editor_read_byte(&lead);
    if (status == 2) {
        *out = VQ_INTERRUPT_KEY;
        return 1;
    }
    if (status != 1) return status;
    int more = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    wchar_t value = more == 3 ? (lead & 0x07) : more == 2 ? (lead & 0x0F) : more == 1 ? (lead & 0x1F) : lead;
    for (int i = 0; i < more; i++) {
        unsigned char next;
        if (vq_editor_read_byte(&next) != 1 || (next & 0xC0) != 0x80) {
            *out = 0xFFFD;
            return 1;
        }
        value = (value << 6) | (next & 0x3F);
    }
    *out = (lead >= 0x80 && lead < 0xC0) ? 0xFFFD : value;
    return 1;
}

/* Bound to Ctrl-C (see vq_editor_getc): ends the read with nothing to send, the line left on screen after ^C, as
 * shells do. */
static unsigned char vq_editor_interrupt(EditLine *el, int ch) {
    (void)ch;
    vq_editor_of(el)->interrupted = 1;
    el_insertstr(el, "^C");
    el_push(el, "\n");
    return CC_REFRESH;
}

/* Appends a byte to a growing buffer that stops growing at VQ_PASTE_LIMIT; 0, or -1 when memory ran out. */
static int vq_editor_append(char **text, size_t *length, size_t *capacity, char byte) {
    if (*length + 1 >= *capacity) {
        if (*capacity >= VQ_PASTE_LIMIT) return 0;
        char *grown = realloc(*text, *capacity * 2);
        if (!grown) return -1;
        *text = grown;
        *capacity *= 2;
    }
    (*text)[(*length)++] = byte;
    return 0;
}

/* Bound to ESC [ 200 ~, the start of a bracketed paste: reads up to ESC [ 201 ~. A paste without a line break is
 * inserted for more editing; one with a line break ends the read, so the whole paste is one turn. */
static unsigned char vq_editor_paste(EditLine *el, int ch) {
    (void)ch;
    static const char end[] = "\033[201~";
    const size_t end_length = sizeof end - 1;
    size_t capacity = 4096, length = 0;
    char *text = malloc(capacity);
    char window[sizeof end] = { 0 }; /* the last bytes read, to find the end marker even past the size limit */
    if (!text) return CC_ERROR;
    for (;;) {
        unsigned char byte;
        int status = vq_editor_read_byte(&byte);
        if (status == 2) {
            free(text);
            return vq_editor_interrupt(el, VQ_INTERRUPT_KEY);
        }
        if (status != 1) break;
        memmove(window, window + 1, end_length - 1);
        window[end_length - 1] = (char)byte;
        if (vq_editor_append(&text, &length, &capacity, (char)byte) != 0) break;
        if (memcmp(window, end, end_length) == 0) {
            length = length >= end_length ? length - end_length : 0;
            break;
        }
    }
    /* Terminals send a pasted line break as \r (or \r\n): make each one \n. */
    size_t kept = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\r') {
            text[kept++] = '\n';
            if (i + 1 < length && text[i + 1] == '\n') i++;
        } else {
            text[kept++] = text[i];
        }
    }
    length = kept;
    while (length > 0 && text[length - 1] == '\n') length--;
    text[length] = 0;
    char *line_break = strchr(text, '\n');
    if (!line_break) {
        if (length > 0) el_insertstr(el, text);
        free(text);
        return CC_REFRESH;
    }
    vq_line_editor *editor = vq_editor_of(el);
    const LineInfo *line = el_line(el);
    size_t typed = (size_t)(line->lastchar - line->buffer);
    free(editor->paste);
    editor->paste = malloc(typed + length + 1);
    if (!editor->paste) {
        free(text);
        return CC_ERROR;
    }
    memcpy(editor->paste, line->buffer, typed);
    memcpy(editor->paste + typed, text, length + 1);
    *line_break = 0;
    el_insertstr(el, text);
    free(text);
    el_push(el, "\n"); /* libedit shows the line and ends it, as Enter does */
    return CC_REFRESH;
}

/* Bound to Tab: asks the completer, inserts its text and shows its candidates under the line. */
static unsigned char vq_editor_complete(EditLine *el, int ch) {
    (void)ch;
    vq_line_editor *editor = vq_editor_of(el);
    if (!editor->completer) return CC_ERROR;
    const LineInfo *line = el_line(el);
    size_t before = (size_t)(line->cursor - line->buffer);
    char *text = malloc(before + 1);
    if (!text) return CC_ERROR;
    memcpy(text, line->buffer, before);
    text[before] = 0;
    char *listing = NULL;
    char *insertion = editor->completer(editor->completer_context, text, &listing);
    free(text);
    unsigned char result = CC_REFRESH_BEEP;
    if (insertion && insertion[0]) {
        el_insertstr(el, insertion);
        result = CC_REFRESH;
    }
    if (listing && listing[0]) {
        FILE *out = stderr;
        fputs("\r\n", out);
        for (const char *p = listing; *p; p++) {
            if (*p == '\n') fputc('\r', out);
            fputc(*p, out);
        }
        if (listing[strlen(listing) - 1] != '\n') fputs("\r\n", out);
        fflush(out);
        result = CC_REDISPLAY;
    }
    free(insertion);
    free(listing);
    return result;
}

vq_line_editor *vq_line_editor_open(const char *program, int history_size) {
    /* libedit decodes multibyte input by the locale: make it UTF-8 when the environment names none. */
    const char *locale = setlocale(LC_CTYPE, "");
    if (!locale || strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0) setlocale(LC_CTYPE, "C.UTF-8");
    vq_line_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    /* Before el_init, which already puts its own cooked mode (echo and output processing on) in place. */
    editor->has_original = tcgetattr(STDIN_FILENO, &editor->original) == 0;
    editor->el = el_init(program, stdin, stderr, stderr);
    editor->history = history_init();
    if (!editor->el || !editor->history) {
        vq_line_editor_close(editor);
        return NULL;
    }
    HistEvent event;
    history(editor->history, &event, H_SETSIZE, history_size);
    history(editor->history, &event, H_SETUNIQUE, 1);
    el_set(editor->el, EL_CLIENTDATA, editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_PROMPT_ESC, vq_editor_prompt, '\1');
    el_set(editor->el, EL_HIST, history, editor->history);
    el_set(editor->el, EL_GETCFN, vq_editor_getc);
    el_set(editor->el, EL_ADDFN, "vq-interrupt", "end the line without sending it", vq_editor_interrupt);
    el_set(editor->el, EL_ADDFN, "vq-paste", "take a bracketed paste whole", vq_editor_paste);
    el_set(editor->el, EL_ADDFN, "vq-complete", "complete a chat command or an image path", vq_editor_complete);
    el_set(editor->el, EL_BIND, "^C", "vq-interrupt", NULL);
    el_set(editor->el, EL_BIND, "\033[200~", "vq-paste", NULL);
    el_set(editor->el, EL_BIND, "^I", "vq-complete", NULL);
    el_source(editor->el, NULL); /* the person's ~/.editrc (vi mode, bindings), as other libedit programs do */
    editor->history_size = history_size;
    if (editor->has_original) {
        vq_signals_set_terminal(STDIN_FILENO, &editor->original);
        vq_editor_hold(editor);
    }
    return editor;
}

void vq_line_editor_close(vq_line_editor *editor) {
    if (!editor) return;
    if (editor->has_original) {
        tcsetattr(STDIN_FILENO, TCSANOW, &editor->original);
        vq_signals_set_terminal(-1, NULL);
    }
    if (editor->el) el_end(editor->el);
    if (editor->history) history_end(editor->history);
    free(editor->prompt);
    free(editor->paste);
    free(editor);
}

void vq_line_editor_set_prompt(vq_line_editor *editor, const char *prompt) {
    free(editor->prompt);
    editor->prompt = strdup(prompt);
}

void vq_line_editor_set_completer(vq_line_editor *editor, vq_line_completer completer, void *context) {
    editor->completer = completer;
    editor->completer_context = context;
}

char *vq_line_editor_read(vq_line_editor *editor, int *kind) {
    free(editor->paste);
    editor->paste = NULL;
    editor->interrupted = 0;
    el_resize(editor->el);
    /* Bracketed paste on only while editing, so a paste arrives marked and whole. */
    fputs("\033[?2004h", stderr);
    fflush(stderr);
    int count = 0;
    const char *line = el_gets(editor->el, &count);
    vq_editor_hold(editor);
    fputs("\033[?2004l", stderr);
    fflush(stderr);
    if (editor->interrupted) {
        *kind = VQ_LINE_INTERRUPTED;
        return NULL;
    }
    if (editor->paste) {
        *kind = VQ_LINE_PASTED;
        char *text = editor->paste;
        editor->paste = NULL;
        return text;
    }
    if (!line || count <= 0) {
        *kind = VQ_LINE_END;
        return NULL;
    }
    *kind = VQ_LINE_TYPED;
    size_t length = strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
    char *text = malloc(length + 1);
    if (!text) return NULL;
    memcpy(text, line, length);
    text[length] = 0;
    return text;
}

void vq_line_editor_remember(vq_line_editor *editor, const char *entry) {
    HistEvent event;
    history(editor->history, &event, H_ENTER, entry);
}

void vq_line_editor_lend_terminal(vq_line_editor *editor, int lend) {
    if (!editor->has_original) return;
    if (lend) {
        tcsetattr(STDIN_FILENO, TCSANOW, &editor->original);
    } else {
        vq_editor_hold(editor);
    }
}

int vq_line_editor_load_history(vq_line_editor *editor, const char *path) {
    HistEvent event;
    return history(editor->history, &event, H_LOAD, path) < 0 ? -1 : 0;
}

/* Takes the exclusive flock on fd, waiting at most two seconds (a session holds it for a few milliseconds). */
static int vq_editor_lock(int fd) {
    for (int attempt = 0; attempt < 200; attempt++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
        if (errno != EWOULDBLOCK && errno != EINTR) return -1;
        struct timespec pause = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    errno = EWOULDBLOCK;
    return -1;
}

/* Writes history to path atomically: a 0600 temporary file renamed into place. */
static int vq_editor_save(History *history_list, const char *path) {
    size_t length = strlen(path);
    char *temporary = malloc(length + 16);
    if (!temporary) return -1;
    snprintf(temporary, length + 16, "%s.XXXXXX", path);
    int fd = mkstemp(temporary); /* created 0600 */
    if (fd < 0) {
        free(temporary);
        return -1;
    }
    FILE *file = fdopen(fd, "w");
    if (!file) {
        close(fd);
        unlink(temporary);
        free(temporary);
        return -1;
    }
    HistEvent event;
    int saved = history(history_list, &event, H_SAVE_FP, file);
    int synced = fflush(file) == 0 && fsync(fd) == 0;
    int closed = fclose(file);
    if (saved < 0 || !synced || closed != 0 || rename(temporary, path) != 0) {
        int error = errno;
        unlink(temporary);
        free(temporary);
        errno = error ? error : EIO;
        return -1;
    }
    free(temporary);
    return 0;
}

int vq_line_editor_append_history(vq_line_editor *editor, const char *path, const char *entry) {
    size_t length = strlen(path);
    char *lock_path = malloc(length + 6);
    if (!lock_path) return -1;
    snprintf(lock_path, length + 6, "%s.lock", path);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(lock_path);
    if (lock < 0) return -1;
    if (vq_editor_lock(lock) != 0) {
        int error = errno;
        close(lock);
        errno = error;
        return -1;
    }
    History *merged = history_init();
    int status = -1;
    if (merged) {
        HistEvent event;
        history(merged, &event, H_SETSIZE, editor->history_size);
        history(merged, &event, H_SETUNIQUE, 1);
        history(merged, &event, H_LOAD, path); /* a missing file is an empty history */
        history(merged, &event, H_ENTER, entry);
        status = vq_editor_save(merged, path);
    }
    int error = errno;
    if (merged) history_end(merged);
    close(lock); /* releases the flock */
    errno = error;
    return status;
}
