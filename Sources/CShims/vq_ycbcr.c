/* vq_ycbcr.c: HEVC and AV1 decode to YCbCr planes; converting them to RGB a row at a time, straight into the
 * resampler, means the full-size image exists once (the planes) instead of twice (planes and an RGB copy). */
#include "vq_ycbcr.h"
#include "vq_resample.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vq_ycbcr_matrix_init(vq_ycbcr_matrix *m, int matrix_coefficients, int full_range) {
    double kr, kb;
    switch (matrix_coefficients) {
    case 1: kr = 0.2126; kb = 0.0722; break;
    case 2: case 5: case 6: kr = 0.299; kb = 0.114; break;
    case 4: kr = 0.30; kb = 0.11; break;
    case 7: kr = 0.212; kb = 0.087; break;
    case 9: case 10: kr = 0.2627; kb = 0.0593; break;
    default: return 0;
    }
    double kg = 1 - kr - kb;
    double y_scale = full_range ? 1.0 : 255.0 / 219.0, c_scale = full_range ? 1.0 : 255.0 / 224.0;
    int y_offset = full_range ? 0 : 16;
    for (int v = 0; v < 256; v++) {
        double y = (v - y_offset) * y_scale, c = (v - 128) * c_scale;
        m->y[v] = (int32_t)(y * 65536.0);
        m->cr_r[v] = (int32_t)(2 * (1 - kr) * c * 65536.0);
        m->cb_b[v] = (int32_t)(2 * (1 - kb) * c * 65536.0);
        m->cb_g[v] = (int32_t)(-2 * kb * (1 - kb) / kg * c * 65536.0);
        m->cr_g[v] = (int32_t)(-2 * kr * (1 - kr) / kg * c * 65536.0);
    }
    return 1;
}

static uint8_t vq_clamp16(int32_t v) {
    v = (v + 32768) >> 16;
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

vq_image_status vq_ycbcr_resample(const vq_ycbcr_planes *p, const vq_ycbcr_matrix *m,
                                  uint32_t target_width, uint32_t target_height,
                                  vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    if (target_width == 0 || target_height == 0 || target_width > p->width || target_height > p->height) abort();
    vq_resampler resampler;
    uint8_t *row = malloc((size_t)p->width * 3);
    out->bytes = malloc((size_t)target_width * target_height * 3);
    int ready = vq_resampler_init(&resampler, p->width, p->height, target_width, target_height, 3, out->bytes);
    if (row == NULL || out->bytes == NULL || !ready) {
        vq_resampler_release(&resampler);
        free(row);
        vq_pixels_free(out);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    for (uint32_t y = 0; y < p->height; y++) {
        const uint8_t *luma = p->y + (size_t)y * p->y_stride;
        const uint8_t *cb = p->cb + (size_t)(y >> p->chroma_shift_y) * p->cb_stride;
        const uint8_t *cr = p->cr + (size_t)(y >> p->chroma_shift_y) * p->cr_stride;
        uint8_t *rgb = row;
        for (uint32_t x = 0; x < p->width; x++, rgb += 3) {
            int32_t base = m->y[luma[x]];
            uint32_t cx = x >> p->chroma_shift_x;
            rgb[0] = vq_clamp16(base + m->cr_r[cr[cx]]);
            rgb[1] = vq_clamp16(base + m->cb_g[cb[cx]] + m->cr_g[cr[cx]]);
            rgb[2] = vq_clamp16(base + m->cb_b[cb[cx]]);
        }
        vq_resampler_push_row(&resampler, row);
    }
    vq_resampler_finish(&resampler);
    vq_resampler_release(&resampler);
    free(row);
    out->width = target_width;
    out->height = target_height;
    out->channels = 3;
    return VQ_IMAGE_OK;
}
