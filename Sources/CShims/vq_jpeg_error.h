/* vq_jpeg_error.h: the error manager and scan-limit monitor shared by every
 * setjmp-owning libjpeg operation in CShims (private to CShims). */
#ifndef VQ_JPEG_ERROR_H
#define VQ_JPEG_ERROR_H
#include "vq_image.h"
#include <stdio.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

/** Error manager that jumps back to the vq_jpeg_* function with the formatted message. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *msg;
    vq_image_status status;
} vq_jpeg_error;

/** Progress monitor that enforces the scan limit (libjpeg-turbo's advice for untrusted input). */
typedef struct {
    struct jpeg_progress_mgr pub;
    int max_scans;
} vq_jpeg_progress;

/** Installs vq's handlers: errors and warnings jump to err->jump; `status` is what a failure reports. */
void vq_jpeg_init_error(vq_jpeg_error *err, char *msg, vq_image_status status);

/** Jumps out with VQ_IMAGE_TOO_MANY_SCANS once a progressive JPEG passes max_scans. */
void vq_jpeg_progress_monitor(j_common_ptr cinfo);

#endif
