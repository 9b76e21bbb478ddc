#ifndef VQ_SIGNALS_H
#define VQ_SIGNALS_H
/* Cleanup on SIGINT/SIGTERM/SIGHUP: a signal handler may only call async-signal-safe functions,
 * so the temp-file table and the handler live in C. */
#include <termios.h>

/* Installs the handler: it unlinks every registered path, then re-raises the signal with the default action. */
void vq_signals_install(void);
/* Sets the text the handler writes to stderr before ending vq (NULL: none); call from one thread at a time. */
void vq_signals_set_notice(const char *text);
/* Terminal settings the handler puts back (tcsetattr is async-signal-safe) before a signal ends vq, so a chat killed
 * while libedit has the terminal in raw mode leaves it usable; settings NULL forgets them. */
void vq_signals_set_terminal(int fd, const struct termios *settings);
/* Registers a path to unlink on a signal; returns a slot (>= 0), or -1 when the table is full or the path too long.
 * Safe to call from several threads at once (and with unregister), without a lock at the call site. */
int vq_cleanup_register(const char *path);
/* Forgets a slot once its file was renamed into place or removed. */
void vq_cleanup_unregister(int slot);
/* While on (vq chat), SIGINT no longer ends the process: it raises a flag that the caller polls and takes. */
void vq_interrupt_catch(int on);
/* 1 when SIGINT arrived since the flag was last taken. */
int vq_interrupt_pending(void);
/* Returns the flag and clears it. */
int vq_interrupt_take(void);
#endif
