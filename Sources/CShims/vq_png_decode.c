/* vq_png_decode.c: header reading and decoding to 8-bit pixels. Each function
 * owns the jmp_buf and runs the whole libpng operation, so no jump crosses a
 * Swift frame; rows stream into the resampler (interlaced PNGs excepted, whose
 * passes must be assembled first). */
#include "vq_png_io.h"
#include "vq_resample.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

vq_image_status vq_png_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                   uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]) {
    msg[0] = '\0';
    vq_image_status ihdr = vq_png_check_ihdr(data, size, limits, width, height);
    if (ihdr != VQ_IMAGE_OK) return ihdr;
    png_structp png;
    png_infop info;
    if (vq_png_create_reader(&png, &info, msg) != VQ_IMAGE_OK) return VQ_IMAGE_FAILED;
    vq_png_source source = { data, size, 0 };
    volatile vq_image_status status = VQ_IMAGE_CORRUPT;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &source, vq_png_read);
        png_set_user_limits(png, limits.max_side, limits.max_side);
        png_set_benign_errors(png, 1);
        png_read_info(png, info);
        *width = png_get_image_width(png, info);
        *height = png_get_image_height(png, info);
        status = vq_exceeds(*width, *height, limits) ? VQ_IMAGE_TOO_LARGE : VQ_IMAGE_OK;
    }
    png_destroy_read_struct(&png, &info, NULL);
    return status;
}

/* True when any alpha sample (the last of each pixel) in the row is below 255. */
static int vq_row_has_transparency(const uint8_t *row, uint32_t width, int channels) {
    for (uint32_t x = 0; x < width; x++)
        if (row[(size_t)x * channels + channels - 1] != 255) return 1;
    return 0;
}

/* Drops the alpha sample of every pixel in place (2 -> 1 or 4 -> 3 channels). */
static void vq_drop_alpha(vq_pixels *pixels) {
    size_t count = (size_t)pixels->width * pixels->height;
    int from = pixels->channels, to = from - 1;
    for (size_t i = 0; i < count; i++) memmove(pixels->bytes + i * to, pixels->bytes + i * from, (size_t)to);
    pixels->channels = to;
}

vq_image_status vq_png_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                              uint32_t target_width, uint32_t target_height,
                              vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    uint32_t width, height;
    vq_image_status header = vq_png_read_header(data, size, limits, &width, &height, msg);
    if (header != VQ_IMAGE_OK) return header;
    if (target_width == 0 || target_height == 0 || target_width > width || target_height > height) abort();
    png_structp png;
    png_infop info;
    if (vq_png_create_reader(&png, &info, msg) != VQ_IMAGE_OK) return VQ_IMAGE_FAILED;
    vq_png_source source = { data, size, 0 };
    vq_resampler *volatile resampler = calloc(1, sizeof(vq_resampler));
    png_bytep volatile row = NULL;
    png_bytep volatile whole = NULL;   /* every row, for interlaced images only */
    volatile vq_image_status status = VQ_IMAGE_CORRUPT;
    if (resampler == NULL) {
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        status = VQ_IMAGE_FAILED;
    } else if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &source, vq_png_read);
        png_set_user_limits(png, limits.max_side, limits.max_side);
        png_set_benign_errors(png, 1);
        png_read_info(png, info);
        png_set_scale_16(png);
        png_set_palette_to_rgb(png);
        png_set_expand_gray_1_2_4_to_8(png);
        if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
        int passes = png_set_interlace_handling(png);
        png_read_update_info(png, info);
        int channels = png_get_channels(png, info);
        size_t stride = png_get_rowbytes(png, info);
        if (stride != (size_t)width * channels) png_error(png, "unexpected row size after transforms");
        out->bytes = malloc((size_t)target_width * target_height * channels);
        if (out->bytes == NULL || !vq_resampler_init(resampler, width, height, target_width, target_height,
                                                     channels, out->bytes)) {
            status = VQ_IMAGE_FAILED;
            png_error(png, "out of memory");
        }
        int has_alpha = channels == 2 || channels == 4;
        int transparent = 0;
        if (passes > 1) {
            whole = malloc(stride * height);
            if (whole == NULL) {
                status = VQ_IMAGE_FAILED;
                png_error(png, "out of memory");
            }
            for (int pass = 0; pass < passes; pass++)
                for (uint32_t y = 0; y < height; y++) png_read_row(png, whole + y * stride, NULL);
            for (uint32_t y = 0; y < height; y++) {
                if (has_alpha && !transparent) transparent = vq_row_has_transparency(whole + y * stride, width, channels);
                vq_resampler_push_row(resampler, whole + y * stride);
            }
        } else {
            row = png_malloc(png, stride);
            for (uint32_t y = 0; y < height; y++) {
                png_read_row(png, row, NULL);
                if (has_alpha && !transparent) transparent = vq_row_has_transparency(row, width, channels);
                vq_resampler_push_row(resampler, row);
            }
        }
        png_read_end(png, NULL);
        vq_resampler_finish(resampler);
        out->width = target_width;
        out->height = target_height;
        out->channels = channels;
        if (has_alpha && !transparent) vq_drop_alpha(out);
        status = VQ_IMAGE_OK;
    }
    png_free(png, row);
    free(whole);
    if (resampler) vq_resampler_release(resampler);
    free(resampler);
    png_destroy_read_struct(&png, &info, NULL);
    if (status != VQ_IMAGE_OK) vq_pixels_free(out);
    return status;
}
