#include "vq_signals.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define VQ_CLEANUP_SLOTS 64
#define VQ_CLEANUP_PATH 4096

/* Each slot moves FREE -> WRITING -> USED -> FREE by compare-and-swap, so threads registering and unregistering at
 * once never share a slot, and the handler only reads paths that are complete. Lock-free atomics on int are
 * async-signal-safe, where a mutex is not. The handler claims a USED slot (-> UNLINKING) before reading its path, so
 * the slot cannot be reused under it. */
enum { VQ_SLOT_FREE = 0, VQ_SLOT_WRITING = 1, VQ_SLOT_USED = 2, VQ_SLOT_UNLINKING = 3 };

static char cleanup_paths[VQ_CLEANUP_SLOTS][VQ_CLEANUP_PATH];
static int cleanup_state[VQ_CLEANUP_SLOTS];

static int vq_slot_move(int slot, int from, int to) {
    return __atomic_compare_exchange_n(&cleanup_state[slot], &from, to, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* A line for the person at the terminal, written by the handler before the signal ends vq; length 0 = none. */
#define VQ_NOTICE_SIZE 4096
static char interrupt_notice[VQ_NOTICE_SIZE];
static size_t interrupt_notice_length;

/* The terminal to restore (descriptor -1: none) and its settings, written before the descriptor is published. */
static struct termios saved_terminal;
static int saved_terminal_fd = -1;

static volatile sig_atomic_t interrupt_caught = 0;   /* SIGINT only raises `interrupted` while set */
static volatile sig_atomic_t interrupted = 0;

static void vq_on_signal(int sig) {
    if (sig == SIGINT && interrupt_caught) {
        interrupted = 1;
        return;
    }
    int terminal = __atomic_load_n(&saved_terminal_fd, __ATOMIC_ACQUIRE);
    if (terminal >= 0) {
        tcsetattr(terminal, TCSANOW, &saved_terminal);
        /* Bracketed paste off again, and the shell's prompt on a line of its own. */
        static const char reset[] = "\033[?2004l\n";
        ssize_t ignored = write(STDERR_FILENO, reset, sizeof reset - 1);
        (void)ignored;
    }
    size_t length = __atomic_load_n(&interrupt_notice_length, __ATOMIC_ACQUIRE);
    if (length > 0) {
        ssize_t ignored = write(STDERR_FILENO, interrupt_notice, length);
        (void)ignored;
    }
    for (int i = 0; i < VQ_CLEANUP_SLOTS; i++) {
        if (vq_slot_move(i, VQ_SLOT_USED, VQ_SLOT_UNLINKING)) unlink(cleanup_paths[i]);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void vq_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = vq_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

void vq_signals_set_terminal(int fd, const struct termios *settings) {
    __atomic_store_n(&saved_terminal_fd, -1, __ATOMIC_RELEASE);
    if (settings == NULL || fd < 0) return;
    saved_terminal = *settings;
    __atomic_store_n(&saved_terminal_fd, fd, __ATOMIC_RELEASE);
}

void vq_signals_set_notice(const char *text) {
    __atomic_store_n(&interrupt_notice_length, 0, __ATOMIC_RELEASE);
    if (text == NULL) return;
    size_t length = strlen(text);
    if (length >= VQ_NOTICE_SIZE) length = VQ_NOTICE_SIZE - 1;
    memcpy(interrupt_notice, text, length);
    __atomic_store_n(&interrupt_notice_length, length, __ATOMIC_RELEASE);
}

int vq_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= VQ_CLEANUP_PATH) return -1;
    for (int i = 0; i < VQ_CLEANUP_SLOTS; i++) {
        if (vq_slot_move(i, VQ_SLOT_FREE, VQ_SLOT_WRITING)) {
            memcpy(cleanup_paths[i], path, length + 1);
            __atomic_store_n(&cleanup_state[i], VQ_SLOT_USED, __ATOMIC_RELEASE);
            return i;
        }
    }
    return -1;
}

void vq_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < VQ_CLEANUP_SLOTS) vq_slot_move(slot, VQ_SLOT_USED, VQ_SLOT_FREE);
}

void vq_interrupt_catch(int on) {
    interrupted = 0;
    interrupt_caught = on;
}

int vq_interrupt_pending(void) { return interrupted; }

int vq_interrupt_take(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}
