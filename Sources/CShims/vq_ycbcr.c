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

static inline uint8_t vq_clamp16(int32_t v) {
    v = (v + 32768) >> 16;
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

vq_image_status vq_ycbcr_resample(const vq_ycbcr_planes *p, const vq_ycbcr_matrix *m,
                                  uint32_t target_width, uint32_t target_height,
                                  vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]) {
    memset(out, 0, sizeof *out);
    if (target_width == 0 || target_height == 0 || target_width > p->width || target_height > p->height) abort();
    uint32_t chroma_w = (p->width + p->chroma_shift_x) >> p->chroma_shift_x;
    vq_resampler resampler;
    uint8_t *row = malloc((size_t)p->width * 3);
    int32_t *offsets = malloc(sizeof(int32_t) * 3 * chroma_w);  /* R, G, B offsets of the current chroma row */
    out->bytes = malloc((size_t)target_width * target_height * 3);
    int ready = vq_resampler_init(&resampler, p->width, p->height, target_width, target_height, 3, out->bytes);
    if (row == NULL || offsets == NULL || out->bytes == NULL || !ready) {
        vq_resampler_release(&resampler);
        free(row);
        free(offsets);
        vq_pixels_free(out);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    uint32_t chroma_row = UINT32_MAX;
    for (uint32_t y = 0; y < p->height; y++) {
        /* Each chroma row serves 1 or 2 luma rows, each chroma sample 1 or 2 pixels: work out its part once. */
        if (y >> p->chroma_shift_y != chroma_row) {
            chroma_row = y >> p->chroma_shift_y;
            const uint8_t *cb = p->cb + (size_t)chroma_row * p->cb_stride;
            const uint8_t *cr = p->cr + (size_t)chroma_row * p->cr_stride;
            for (uint32_t cx = 0; cx < chroma_w; cx++) {
                offsets[3 * cx] = m->cr_r[cr[cx]];
                offsets[3 * cx + 1] = m->cb_g[cb[cx]] + m->cr_g[cr[cx]];
                offsets[3 * cx + 2] = m->cb_b[cb[cx]];
            }
        }
        const uint8_t *luma = p->y + (size_t)y * p->y_stride;
        uint8_t *rgb = row;
        int shift = p->chroma_shift_x;
        for (uint32_t x = 0; x < p->width; x++, rgb += 3) {
            int32_t base = m->y[luma[x]];
            const int32_t *o = offsets + 3 * (x >> shift);
            rgb[0] = vq_clamp16(base + o[0]);
            rgb[1] = vq_clamp16(base + o[1]);
            rgb[2] = vq_clamp16(base + o[2]);
        }
        vq_resampler_push_row(&resampler, row);
    }
    vq_resampler_finish(&resampler);
    vq_resampler_release(&resampler);
    free(row);
    free(offsets);
    out->width = target_width;
    out->height = target_height;
    out->channels = 3;
    return VQ_IMAGE_OK;
}
