/* vq_frame.c: libwebp (animations), giflib and libheif hand back a whole decoded frame; this streams its rows
 * through the area-average resampler, dropping an alpha channel that is opaque everywhere. */
#include "vq_frame.h"
#include "vq_resample.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vq_frame_has_transparency(const uint8_t *rows, size_t stride, uint32_t width, uint32_t height) {
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *row = rows + y * stride;
        for (uint32_t x = 0; x < width; x++)
            if (row[(size_t)x * 4 + 3] != 255) return 1;
    }
    return 0;
}

vq_image_status vq_frame_resample(const uint8_t *rows, size_t stride, uint32_t width, uint32_t height,
                                  int channels, uint32_t target_width, uint32_t target_height,
                                  vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    if (target_width == 0 || target_height == 0 || target_width > width || target_height > height
        || (channels != 3 && channels != 4)) abort();
    int drop_alpha = channels == 4 && !vq_frame_has_transparency(rows, stride, width, height);
    int out_channels = drop_alpha ? 3 : channels;
    vq_resampler resampler;
    uint8_t *rgb_row = drop_alpha ? malloc((size_t)width * 3) : NULL;
    out->bytes = malloc((size_t)target_width * target_height * out_channels);
    int ready = vq_resampler_init(&resampler, width, height, target_width, target_height, out_channels, out->bytes);
    if (out->bytes == NULL || !ready || (drop_alpha && rgb_row == NULL)) {
        vq_resampler_release(&resampler);
        free(rgb_row);
        vq_pixels_free(out);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *row = rows + y * stride;
        if (drop_alpha) {
            for (uint32_t x = 0; x < width; x++) memcpy(rgb_row + (size_t)x * 3, row + (size_t)x * 4, 3);
            row = rgb_row;
        }
        vq_resampler_push_row(&resampler, row);
    }
    vq_resampler_finish(&resampler);
    vq_resampler_release(&resampler);
    free(rgb_row);
    out->width = target_width;
    out->height = target_height;
    out->channels = out_channels;
    return VQ_IMAGE_OK;
}
