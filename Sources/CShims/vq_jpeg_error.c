/* vq_jpeg_error.c: libjpeg's default error_exit calls exit(); these handlers
 * longjmp back to the vq_jpeg_* function that owns the jmp_buf instead, and
 * promote warnings about the image data to errors because a JPEG that needs
 * them is damaged. */
#include "vq_jpeg_error.h"

static void vq_jpeg_error_exit(j_common_ptr cinfo) {
    vq_jpeg_error *err = (vq_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->msg, VQ_IMAGE_MSG_SIZE, "%s", text);
    int code = cinfo->err->msg_code;
    if (err->status == VQ_IMAGE_CORRUPT && (code == JERR_SOF_UNSUPPORTED || code == JERR_BAD_PRECISION))
        err->status = VQ_IMAGE_UNSUPPORTED;
    if (err->status == VQ_IMAGE_CORRUPT && code == JERR_EMPTY_IMAGE) err->status = VQ_IMAGE_ZERO_SIZE;
    longjmp(err->jump, 1);
}

/* Level -1 is a warning (corrupt or truncated data): treat it as an error, except the warnings about bytes
 * outside the entropy-coded data, which leave every pixel as it is (Photoshop and some cameras write
 * extraneous bytes before markers). Trace messages are ignored. */
static void vq_jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level >= 0) return;
    int code = cinfo->err->msg_code;
    if (code == JWRN_EXTRANEOUS_DATA || code == JWRN_JFIF_MAJOR || code == JWRN_BOGUS_ICC) return;
    vq_jpeg_error_exit(cinfo);
}

void vq_jpeg_progress_monitor(j_common_ptr cinfo) {
    vq_jpeg_progress *progress = (vq_jpeg_progress *)cinfo->progress;
    vq_jpeg_error *err = (vq_jpeg_error *)cinfo->err;
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > progress->max_scans) {
        snprintf(err->msg, VQ_IMAGE_MSG_SIZE, "more than %d scans", progress->max_scans);
        err->status = VQ_IMAGE_TOO_MANY_SCANS;
        longjmp(err->jump, 1);
    }
}

void vq_jpeg_init_error(vq_jpeg_error *err, char *msg, vq_image_status status) {
    jpeg_std_error(&err->pub);
    err->pub.error_exit = vq_jpeg_error_exit;
    err->pub.emit_message = vq_jpeg_emit_message;
    err->msg = msg;
    err->status = status;
    msg[0] = '\0';
}
