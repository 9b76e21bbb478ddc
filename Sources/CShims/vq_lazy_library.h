/* vq_lazy_library.h: a shared library loaded on first use (dlopen) instead of linked, so a run that never needs it
 * (--version, --help, a query with a JPEG) does not pay for mapping and relocating it and its dependencies at
 * start. Each such library has a header listing the functions vq calls (an X-macro) and defining each name to a
 * pointer that VQ_LAZY_LIBRARY fills on first use; the library's own header still declares the types. */
#ifndef VQ_LAZY_LIBRARY_H
#define VQ_LAZY_LIBRARY_H
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include "vq_image.h"

/** One function to resolve: its name and the pointer that receives it. */
typedef struct {
    const char *name;
    void **slot;
} vq_lazy_symbol;

/** Where a loaded library's references are looked up first: vq's global scope (as for a linked library; C++ libraries,
 *  whose vague-linkage symbols must stay unique), or the library and its own dependencies (plain C libraries). */
typedef enum { VQ_LAZY_GLOBAL_FIRST, VQ_LAZY_OWN_FIRST } vq_lazy_binding;

/** Opens `soname` and resolves `symbols`; on failure writes why into `error` (naming the library `name` and the
 *  Debian `package` that installs it). */
void vq_lazy_library_open(const char *soname, const char *name, const char *package, vq_lazy_binding binding,
                          const vq_lazy_symbol *symbols, size_t count, char error[VQ_IMAGE_MSG_SIZE]);

#define VQ_LAZY_DECLARE(prefix, name) extern __typeof__(name) *prefix##name;
#define VQ_LAZY_DEFINE(prefix, name) __typeof__(prefix##name) prefix##name;
#define VQ_LAZY_ENTRY(prefix, name) { #name, (void **)&prefix##name },

/* Defines the pointers of FUNCTIONS (an X-macro taking X(prefix, name), declared with VQ_LAZY_DECLARE before any
 * macro renames the functions) and `load`, which opens `soname` once
 * (thread-safe) and returns VQ_IMAGE_OK, or VQ_IMAGE_UNSUPPORTED with msg naming what is missing. */
#define VQ_LAZY_LIBRARY(load, FUNCTIONS, soname, name, package, binding) \
    FUNCTIONS(VQ_LAZY_DEFINE) \
    static pthread_once_t load##_once = PTHREAD_ONCE_INIT; \
    static char load##_error[VQ_IMAGE_MSG_SIZE]; \
    static void load##_open(void) { \
        static const vq_lazy_symbol symbols[] = { FUNCTIONS(VQ_LAZY_ENTRY) }; \
        vq_lazy_library_open(soname, name, package, binding, symbols, sizeof symbols / sizeof symbols[0], load##_error); \
    } \
    vq_image_status load(char msg[VQ_IMAGE_MSG_SIZE]) { \
        pthread_once(&load##_once, load##_open); \
        if (!load##_error[0]) return VQ_IMAGE_OK; \
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", load##_error); \
        return VQ_IMAGE_UNSUPPORTED; \
    }

#endif
