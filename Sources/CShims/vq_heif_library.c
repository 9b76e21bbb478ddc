/* Why this exists: see vq_heif_library.h (libheif is loaded on first use, not at every start). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "vq_heif_library.h"

#define VQ_HEIF_DEFINE(name) __typeof__(vq_heif_fn_##name) vq_heif_fn_##name;
VQ_HEIF_FUNCTIONS(VQ_HEIF_DEFINE)
#undef VQ_HEIF_DEFINE

static pthread_once_t vq_heif_once = PTHREAD_ONCE_INIT;
static char vq_heif_error[VQ_IMAGE_MSG_SIZE];

static void vq_heif_open_library(void) {
    void *library = dlopen("libheif.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(vq_heif_error, sizeof vq_heif_error, "libheif is not installed (apt-get install libheif1): %s", dlerror());
        return;
    }
#define VQ_HEIF_RESOLVE(name) \
    if (!vq_heif_error[0] && !(vq_heif_fn_##name = (__typeof__(vq_heif_fn_##name))dlsym(library, #name))) \
        snprintf(vq_heif_error, sizeof vq_heif_error, "libheif.so.1 lacks %s (too old a libheif)", #name);
    VQ_HEIF_FUNCTIONS(VQ_HEIF_RESOLVE)
#undef VQ_HEIF_RESOLVE
}

vq_image_status vq_heif_load(char msg[VQ_IMAGE_MSG_SIZE]) {
    pthread_once(&vq_heif_once, vq_heif_open_library);
    if (!vq_heif_error[0]) return VQ_IMAGE_OK;
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", vq_heif_error);
    return VQ_IMAGE_UNSUPPORTED;
}
