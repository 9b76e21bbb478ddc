#include "vq_signals.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define VQ_CLEANUP_SLOTS 64
#define VQ_CLEANUP_PATH 4096

static char cleanup_paths[VQ_CLEANUP_SLOTS][VQ_CLEANUP_PATH];
static volatile sig_atomic_t cleanup_used[VQ_CLEANUP_SLOTS];

static volatile sig_atomic_t interrupt_caught = 0;   /* SIGINT only raises `interrupted` while set */
static volatile sig_atomic_t interrupted = 0;

static void vq_on_signal(int sig) {
    if (sig == SIGINT && interrupt_caught) {
        interrupted = 1;
        return;
    }
    for (int i = 0; i < VQ_CLEANUP_SLOTS; i++) {
        if (cleanup_used[i]) unlink(cleanup_paths[i]);
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

int vq_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= VQ_CLEANUP_PATH) return -1;
    sigset_t all, previous;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &previous);   /* the handler never sees a half-written path */
    int slot = -1;
    for (int i = 0; i < VQ_CLEANUP_SLOTS; i++) {
        if (!cleanup_used[i]) {
            memcpy(cleanup_paths[i], path, length + 1);
            cleanup_used[i] = 1;
            slot = i;
            break;
        }
    }
    sigprocmask(SIG_SETMASK, &previous, NULL);
    return slot;
}

void vq_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < VQ_CLEANUP_SLOTS) cleanup_used[slot] = 0;
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
