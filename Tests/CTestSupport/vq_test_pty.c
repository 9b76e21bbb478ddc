#define _XOPEN_SOURCE 600
#include "vq_test_pty.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int vq_test_open_pty(int *controller, int *terminal) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { close(fd); return -1; }
    const char *name = ptsname(fd);
    int other = name ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (other < 0) { close(fd); return -1; }
    *controller = fd;
    *terminal = other;
    return 0;
}
