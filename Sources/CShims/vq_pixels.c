/* vq_pixels.c: whole-buffer pixel operations (resize, EXIF orientation) in C,
 * because they touch every sample and Swift debug builds bounds-check each one. */
#include "vq_image.h"
#include "vq_resample.h"
#include <stdlib.h>
#include <string.h>

vq_image_status vq_pixels_resize(const vq_pixels *in, uint32_t width, uint32_t height, vq_pixels *out) {
    memset(out, 0, sizeof *out);
    if (width == 0 || height == 0 || width > in->width || height > in->height) abort();
    out->bytes = malloc((size_t)width * height * in->channels);
    vq_resampler r;
    int ready = vq_resampler_init(&r, in->width, in->height, width, height, in->channels, out->bytes);
    if (out->bytes == NULL || !ready) {
        vq_resampler_release(&r);
        vq_pixels_free(out);
        return VQ_IMAGE_FAILED;
    }
    size_t stride = (size_t)in->width * in->channels;
    for (uint32_t y = 0; y < in->height; y++) vq_resampler_push_row(&r, in->bytes + y * stride);
    vq_resampler_finish(&r);
    vq_resampler_release(&r);
    out->width = width;
    out->height = height;
    out->channels = in->channels;
    return VQ_IMAGE_OK;
}

vq_image_status vq_pixels_orient(const vq_pixels *in, int orientation, vq_pixels *out) {
    memset(out, 0, sizeof *out);
    if (orientation < 1 || orientation > 8) abort();
    uint32_t w = in->width, h = in->height;
    int swap = orientation >= 5;
    uint32_t ow = swap ? h : w, oh = swap ? w : h;
    size_t ch = (size_t)in->channels;
    out->bytes = malloc((size_t)w * h * ch);
    if (out->bytes == NULL) return VQ_IMAGE_FAILED;
    out->width = ow;
    out->height = oh;
    out->channels = in->channels;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = in->bytes + (size_t)y * w * ch;
        for (uint32_t x = 0; x < w; x++) {
            uint32_t dx, dy;  /* where stored pixel (x, y) appears when displayed (EXIF 2.3, tag 0x0112) */
            switch (orientation) {
            case 2: dx = w - 1 - x; dy = y; break;
            case 3: dx = w - 1 - x; dy = h - 1 - y; break;
            case 4: dx = x; dy = h - 1 - y; break;
            case 5: dx = y; dy = x; break;
            case 6: dx = h - 1 - y; dy = x; break;
            case 7: dx = h - 1 - y; dy = w - 1 - x; break;
            case 8: dx = y; dy = w - 1 - x; break;
            default: dx = x; dy = y; break;
            }
            memcpy(out->bytes + ((size_t)dy * ow + dx) * ch, row + x * ch, ch);
        }
    }
    return VQ_IMAGE_OK;
}

void vq_pixels_free(vq_pixels *pixels) {
    free(pixels->bytes);
    memset(pixels, 0, sizeof *pixels);
}
