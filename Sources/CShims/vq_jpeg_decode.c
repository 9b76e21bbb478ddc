/* vq_jpeg_decode.c: header reading and scaled decoding. Each function owns the
 * jmp_buf and runs the whole libjpeg operation (vq_jpeg_error.c handles errors),
 * so no jump crosses a Swift frame; decoded rows stream into the resampler, so
 * the full-size image is never held. */
#include "vq_jpeg_error.h"
#include "vq_resample.h"
#include <stdlib.h>
#include <string.h>

static int vq_jpeg_exceeds(j_decompress_ptr cinfo, vq_image_limits limits) {
    return cinfo->image_width > limits.max_side || cinfo->image_height > limits.max_side
        || (uint64_t)cinfo->image_width * cinfo->image_height > limits.max_pixels;
}

vq_image_status vq_jpeg_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    vq_jpeg_error err;
    *width = 0;
    *height = 0;
    vq_jpeg_init_error(&err, msg, VQ_IMAGE_CORRUPT);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return err.status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    *width = cinfo.image_width;
    *height = cinfo.image_height;
    vq_image_status status = vq_jpeg_exceeds(&cinfo, limits) ? VQ_IMAGE_TOO_LARGE : VQ_IMAGE_OK;
    jpeg_destroy_decompress(&cinfo);
    return status;
}

/* Picks the smallest scale M/8 whose output still covers the target (libjpeg-turbo decodes
 * 1/8..8/8 with reduced-size IDCTs, skipping most of the work for big reductions). */
static void vq_jpeg_choose_scale(j_decompress_ptr cinfo, uint32_t target_width, uint32_t target_height) {
    cinfo->scale_denom = 8;
    for (unsigned int num = 1; num <= 8; num++) {
        cinfo->scale_num = num;
        jpeg_calc_output_dimensions(cinfo);
        if (cinfo->output_width >= target_width && cinfo->output_height >= target_height) return;
    }
}

/* CMYK to RGB without a colour profile. Adobe (Photoshop) CMYK JPEGs store inverted samples
 * (255 = no ink), so R = C*K/255; plain CMYK stores ink amounts, so R = (255-C)*(255-K)/255. */
static void vq_cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, uint32_t width, int inverted) {
    for (uint32_t x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        unsigned int c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        rgb[0] = (uint8_t)((c * k + 127) / 255);
        rgb[1] = (uint8_t)((m * k + 127) / 255);
        rgb[2] = (uint8_t)((y * k + 127) / 255);
    }
}

vq_image_status vq_jpeg_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    vq_jpeg_error err;
    vq_jpeg_progress progress;
    vq_resampler *volatile resampler = NULL;
    uint8_t *volatile rgb_row = NULL;
    memset(out, 0, sizeof *out);
    vq_jpeg_init_error(&err, msg, VQ_IMAGE_CORRUPT);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        if (resampler) vq_resampler_release(resampler);
        free(resampler);
        free(rgb_row);
        vq_pixels_free(out);
        return err.status;
    }
    jpeg_create_decompress(&cinfo);
    progress.pub.progress_monitor = vq_jpeg_progress_monitor;
    progress.max_scans = (int)limits.max_jpeg_scans;
    cinfo.progress = &progress.pub;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (vq_jpeg_exceeds(&cinfo, limits)) {
        jpeg_destroy_decompress(&cinfo);
        return VQ_IMAGE_TOO_LARGE;
    }
    if (target_width == 0 || target_height == 0 || target_width > cinfo.image_width
        || target_height > cinfo.image_height) abort();
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) cinfo.out_color_space = JCS_CMYK;
    else if (cinfo.jpeg_color_space == JCS_GRAYSCALE) cinfo.out_color_space = JCS_GRAYSCALE;
    else cinfo.out_color_space = JCS_RGB;
    int channels = cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3;
    vq_jpeg_choose_scale(&cinfo, target_width, target_height);
    jpeg_start_decompress(&cinfo);

    out->bytes = malloc((size_t)target_width * target_height * channels);
    resampler = calloc(1, sizeof(vq_resampler));
    if (cmyk) rgb_row = malloc((size_t)cinfo.output_width * 3);
    if (out->bytes == NULL || resampler == NULL || (cmyk && rgb_row == NULL)) {
        err.status = VQ_IMAGE_FAILED;
        ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
    }
    if (!vq_resampler_init(resampler, cinfo.output_width, cinfo.output_height, target_width, target_height,
                           channels, out->bytes)) {
        err.status = VQ_IMAGE_FAILED;
        ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
    }
    JDIMENSION stride = cinfo.output_width * cinfo.output_components;
    JSAMPARRAY rows = (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE, stride,
                                                 cinfo.rec_outbuf_height);
    while (cinfo.output_scanline < cinfo.output_height) {
        JDIMENSION count = jpeg_read_scanlines(&cinfo, rows, cinfo.rec_outbuf_height);
        for (JDIMENSION i = 0; i < count; i++) {
            if (cmyk) {
                vq_cmyk_to_rgb(rows[i], rgb_row, cinfo.output_width, cinfo.saw_Adobe_marker);
                vq_resampler_push_row(resampler, rgb_row);
            } else {
                vq_resampler_push_row(resampler, rows[i]);
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    vq_resampler_finish(resampler);
    vq_resampler_release(resampler);
    free(resampler);
    free(rgb_row);
    out->width = target_width;
    out->height = target_height;
    out->channels = channels;
    return VQ_IMAGE_OK;
}
