/* Why this exists: see vq_lazy_library.h (libraries only some inputs need are loaded on first use). */
#include <dlfcn.h>
#include <stdio.h>
#include "vq_lazy_library.h"

void vq_lazy_library_open(const char *soname, const char *name, const char *package, const vq_lazy_symbol *symbols,
                          size_t count, char error[VQ_IMAGE_MSG_SIZE]) {
    void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, VQ_IMAGE_MSG_SIZE, "%s is not installed (apt-get install %s): %s", name, package, dlerror());
        return;
    }
    for (size_t i = 0; i < count; i++) {
        *symbols[i].slot = dlsym(library, symbols[i].name);
        if (*symbols[i].slot == NULL) {
            snprintf(error, VQ_IMAGE_MSG_SIZE, "%s lacks %s (too old a %s)", soname, symbols[i].name, name);
            return;
        }
    }
}
