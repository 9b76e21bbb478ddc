/* Why this exists: see vq_lazy_library.h (libraries only some inputs need are loaded on first use). */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <stdio.h>
#include "vq_lazy_library.h"

/* VQ_LAZY_OWN_FIRST is RTLD_DEEPBIND: the library's own references (SQLite's 1,600, most to its own functions, bound
 * at once since Debian links it with BIND_NOW) are looked up in the library and its dependencies first instead of
 * after vq's global scope of some 45 objects, which saves about 2.4 million instructions when SQLite is loaded.
 * Sanitizer runtimes replace malloc in the executable, which a deep-bound library would bypass, so sanitized (fuzzing)
 * builds bind as usual. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define VQ_LAZY_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VQ_LAZY_SANITIZED 1
#endif

/* RTLD_LAZY binds as the loader does for a linked library: the libraries built with BIND_NOW (most of Debian's) are
 * still bound at once, while the others' calls bind on first use. RTLD_NOW would bind every function of every such
 * dependency on loading: for libcurl's chain (Kerberos, GMP, RTMP, nghttp2: ~1,800 PLT slots) about 1.2 million
 * instructions more than linking libcurl cost. The functions vq calls are resolved at once below either way. */
void vq_lazy_library_open(const char *soname, const char *name, const char *package, vq_lazy_binding binding,
                          const vq_lazy_symbol *symbols, size_t count, char error[VQ_IMAGE_MSG_SIZE]) {
    int flags = RTLD_LAZY | RTLD_LOCAL;
#ifndef VQ_LAZY_SANITIZED
    if (binding == VQ_LAZY_OWN_FIRST) flags |= RTLD_DEEPBIND;
#else
    (void)binding;
#endif
    void *library = dlopen(soname, flags);
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
