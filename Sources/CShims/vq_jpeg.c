/* vq_jpeg.c: validation and encoding. libjpeg reports errors through error_exit,
 * which must not return. Each function here owns the jmp_buf and runs the whole
 * libjpeg operation, so the jump never crosses a Swift frame; warnings about the
 * image data are promoted to errors (vq_jpeg_error.c) because a JPEG that needs
 * them is damaged. */
#include "vq_image.h"
#include "vq_image_buffer.h"
#include "vq_jpeg_error.h"

/* Destination manager that appends to a vq_image_buffer. */
typedef struct {
    struct jpeg_destination_mgr pub;
    vq_image_buffer *out;
} vq_jpeg_destination;

vq_image_status vq_jpeg_validate(const uint8_t *data, size_t size, vq_image_limits limits,
                                 uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    vq_jpeg_error err;
    vq_jpeg_progress progress;
    *width = 0;
    *height = 0;
    vq_jpeg_init_error(&err, msg, VQ_IMAGE_CORRUPT);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return err.status;
    }
    jpeg_create_decompress(&cinfo);
    progress.pub.progress_monitor = vq_jpeg_progress_monitor;
    progress.max_scans = (int)limits.max_jpeg_scans;
    cinfo.progress = &progress.pub;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    *width = cinfo.image_width;
    *height = cinfo.image_height;
    if (cinfo.image_width > limits.max_side || cinfo.image_height > limits.max_side
        || (uint64_t)cinfo.image_width * cinfo.image_height > limits.max_pixels) {
        jpeg_destroy_decompress(&cinfo);
        return VQ_IMAGE_TOO_LARGE;
    }
    /* Reduced scale still entropy-decodes every coefficient; it only skips most of the IDCT work. Skipping all but
     * the last row skips the rest of it and the colour conversion: libjpeg-turbo's jpeg_skip_scanlines still runs
     * the entropy decoder over every skipped MCU (it discards the coefficients), so truncated or corrupt data fails
     * here just as in a full decode. The last row is read so the decoder's end-of-image checks run as they do. */
    cinfo.scale_num = 1;
    cinfo.scale_denom = 8;
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = FALSE;
    cinfo.do_block_smoothing = FALSE;
    jpeg_start_decompress(&cinfo);
    JDIMENSION stride = cinfo.output_width * cinfo.output_components;
    JSAMPARRAY rows = (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE, stride,
                                                 cinfo.rec_outbuf_height);
    if (cinfo.output_height > 1) jpeg_skip_scanlines(&cinfo, cinfo.output_height - 1);
    while (cinfo.output_scanline < cinfo.output_height)
        jpeg_read_scanlines(&cinfo, rows, cinfo.rec_outbuf_height);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return VQ_IMAGE_OK;
}

static void vq_jpeg_init_destination(j_compress_ptr cinfo) {
    vq_jpeg_destination *dest = (vq_jpeg_destination *)cinfo->dest;
    if (!vq_image_buffer_reserve(dest->out, 65536)) ERREXIT(cinfo, JERR_OUT_OF_MEMORY);
    dest->pub.next_output_byte = dest->out->bytes + dest->out->count;
    dest->pub.free_in_buffer = dest->out->capacity - dest->out->count;
}

/* Called when the whole free space is full: keep it all and grow. */
static boolean vq_jpeg_empty_output_buffer(j_compress_ptr cinfo) {
    vq_jpeg_destination *dest = (vq_jpeg_destination *)cinfo->dest;
    dest->out->count = dest->out->capacity;
    vq_jpeg_init_destination(cinfo);
    return TRUE;
}

static void vq_jpeg_term_destination(j_compress_ptr cinfo) {
    vq_jpeg_destination *dest = (vq_jpeg_destination *)cinfo->dest;
    dest->out->count = dest->out->capacity - dest->pub.free_in_buffer;
}

vq_image_status vq_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               int channels, int quality, int progressive, int arithmetic,
                               vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    struct jpeg_compress_struct cinfo;
    vq_jpeg_error err;
    vq_jpeg_destination dest;
    vq_jpeg_init_error(&err, msg, VQ_IMAGE_FAILED);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        vq_image_buffer_free(out);
        return VQ_IMAGE_FAILED;
    }
    jpeg_create_compress(&cinfo);
    dest.pub.init_destination = vq_jpeg_init_destination;
    dest.pub.empty_output_buffer = vq_jpeg_empty_output_buffer;
    dest.pub.term_destination = vq_jpeg_term_destination;
    dest.out = out;
    cinfo.dest = &dest.pub;
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : channels == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (progressive) jpeg_simple_progression(&cinfo);
    cinfo.arith_code = arithmetic ? TRUE : FALSE;
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + cinfo.next_scanline * stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return VQ_IMAGE_OK;
}
