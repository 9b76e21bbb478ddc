#ifndef VQ_TEST_PTY_H
#define VQ_TEST_PTY_H
/* Test-only: opens a pseudo-terminal pair. posix_openpt/grantpt/unlockpt/ptsname need _XOPEN_SOURCE, so Swift's
 * Glibc module does not show them. Returns 0 and both descriptors, or -1 with errno set. */
int vq_test_open_pty(int *controller, int *terminal);
#endif
