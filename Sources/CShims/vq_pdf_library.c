/* Why this exists: see vq_pdf_library.h (poppler is loaded on first use, not at every start). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "vq_pdf_library.h"

#define VQ_PDF_DEFINE(name) __typeof__(vq_pdf_fn_##name) vq_pdf_fn_##name;
VQ_PDF_FUNCTIONS(VQ_PDF_DEFINE)
#undef VQ_PDF_DEFINE

static pthread_once_t vq_pdf_once = PTHREAD_ONCE_INIT;
static char vq_pdf_load_error[VQ_IMAGE_MSG_SIZE];
static __thread char vq_pdf_error[VQ_IMAGE_MSG_SIZE];

/* poppler-glib hands poppler's messages ("Syntax Error at position 12: Couldn't find trailer dictionary") to
 * g_log at INFO level in its "Poppler" domain; the text after the first ": " is kept, the first one per thread. */
static void vq_pdf_on_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain;
    (void)level;
    (void)data;
    if (vq_pdf_error[0] || !message) return;
    const char *reason = strstr(message, ": ");
    snprintf(vq_pdf_error, sizeof vq_pdf_error, "%s", reason ? reason + 2 : message);
}

static void vq_pdf_open_library(void) {
    void *library = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(vq_pdf_load_error, sizeof vq_pdf_load_error,
                 "poppler is not installed (apt-get install libpoppler-glib8): %s", dlerror());
        return;
    }
#define VQ_PDF_RESOLVE(name) \
    if (!vq_pdf_load_error[0] && !(vq_pdf_fn_##name = (__typeof__(vq_pdf_fn_##name))dlsym(library, #name))) \
        snprintf(vq_pdf_load_error, sizeof vq_pdf_load_error, "libpoppler-glib.so.8 lacks %s (too old a poppler)", #name);
    VQ_PDF_FUNCTIONS(VQ_PDF_RESOLVE)
#undef VQ_PDF_RESOLVE
    if (!vq_pdf_load_error[0])
        g_log_set_handler("Poppler", G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_WARNING,
                          vq_pdf_on_log, NULL);
}

int vq_pdf_load(char msg[VQ_IMAGE_MSG_SIZE]) {
    pthread_once(&vq_pdf_once, vq_pdf_open_library);
    if (!vq_pdf_load_error[0]) return 1;
    snprintf(msg, VQ_IMAGE_MSG_SIZE, "%s", vq_pdf_load_error);
    return 0;
}

void vq_pdf_clear_error(void) { vq_pdf_error[0] = 0; }

const char *vq_pdf_first_error(void) { return vq_pdf_error; }
