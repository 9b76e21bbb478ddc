/* vq_resample.h: streaming area-average downscaler used by the decoders (private to CShims). */
#ifndef VQ_RESAMPLE_H
#define VQ_RESAMPLE_H
#include <stddef.h>
#include <stdint.h>

/** Shrinks rows pushed top to bottom into `dst` (dst_w x dst_h x channels, owned by the caller).
 *  Each output pixel is the coverage-weighted mean of the source area it covers (box filter with
 *  fractional edges); with 2 or 4 channels the last is alpha and colour is averaged premultiplied.
 *  Rows are summed at full width first and reduced across once per output row: the per-row work is one
 *  vectorisable multiply-add over the row, and the costlier horizontal reduction runs dst_h times, not src_h. */
typedef struct vq_resampler {
    uint32_t src_w, src_h, dst_w, dst_h;
    int channels;
    uint8_t *dst;
    uint32_t *x_start;   /* first source column of each output column's taps */
    float *x_weights;    /* dst_w * taps, each run summing to 1 (zero where a column is not covered) */
    uint32_t taps;       /* source columns read for each output column */
    float *acc;          /* src_w * channels: source rows summed (weighted) for the output row being built */
    double y_scale, acc_weight;
    uint32_t src_y, dst_y;
} vq_resampler;

/** Allocates the tables; returns 0 when memory runs out (call vq_resampler_release either way).
 *  Precondition: 1 <= dst <= src in both dimensions. */
int vq_resampler_init(vq_resampler *r, uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h,
                      int channels, uint8_t *dst);

/** Feeds the next source row (src_w * channels bytes). */
void vq_resampler_push_row(vq_resampler *r, const uint8_t *row);

/** Writes any output row left by rounding, after the last source row. */
void vq_resampler_finish(vq_resampler *r);

/** Frees the tables (not dst). */
void vq_resampler_release(vq_resampler *r);

#endif
