/* vq_resample.c: area-average downscaling in C because it touches every decoded
 * sample: rows stream through, so the full-size image is never held. */
#include "vq_resample.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int vq_resampler_init(vq_resampler *r, uint32_t src_w, uint32_t src_h, uint32_t dst_w, uint32_t dst_h,
                      int channels, uint8_t *dst) {
    memset(r, 0, sizeof *r);
    r->src_w = src_w; r->src_h = src_h; r->dst_w = dst_w; r->dst_h = dst_h;
    r->channels = channels;
    r->dst = dst;
    r->y_scale = (double)src_h / dst_h;
    if (src_w == dst_w && src_h == dst_h) return 1;  /* plain copy */
    double x_scale = (double)src_w / dst_w;
    uint32_t taps = (uint32_t)ceil(x_scale) + 1;
    if (taps > src_w) taps = src_w;
    r->taps = taps;
    r->x_start = malloc(sizeof(uint32_t) * dst_w);
    r->x_weights = calloc((size_t)dst_w * taps, sizeof(float));
    r->acc = calloc((size_t)src_w * channels + 1, sizeof(float));  /* + 1: vq_resampler_emit_rgb reads 4 at a time */
    if (!r->x_start || !r->x_weights || !r->acc) return 0;
    for (uint32_t x = 0; x < dst_w; x++) {
        double left = x * x_scale, right = (x + 1) * x_scale;
        if (right > src_w) right = src_w;
        uint32_t first = (uint32_t)floor(left);
        uint32_t last = (uint32_t)ceil(right);  /* exclusive */
        if (last > src_w) last = src_w;
        if (last - first > taps) last = first + taps;
        /* Every column reads `taps` source columns: near the right edge the run starts earlier, with zero weights. */
        uint32_t start = first + taps > src_w ? src_w - taps : first;
        float *w = r->x_weights + (size_t)x * taps;
        double sum = 0;
        for (uint32_t i = first; i < last; i++) {
            double lo = i > left ? i : left, hi = i + 1 < right ? i + 1 : right;
            sum += hi - lo;
        }
        for (uint32_t i = first; i < last; i++) {
            double lo = i > left ? i : left, hi = i + 1 < right ? i + 1 : right;
            w[i - start] = (float)((hi - lo) / sum);
        }
        r->x_start[x] = start;
    }
    return 1;
}

/* Adds one source row, times `weight`, to the full-width accumulator (colour premultiplied by alpha); the first row
 * of an output row is stored rather than added, so the accumulator never needs clearing. */
static void vq_resampler_accumulate(vq_resampler *r, const uint8_t *restrict row, float weight) {
    int ch = r->channels;
    float *restrict acc = r->acc;
    int first = r->acc_weight == 0;
    if (ch == 2 || ch == 4) {
        float scaled = weight * (1.0f / 255.0f);
        for (uint32_t x = 0; x < r->src_w; x++) {
            const uint8_t *s = row + (size_t)x * ch;
            float *a = acc + (size_t)x * ch;
            float alpha = s[ch - 1];
            for (int c = 0; c < ch - 1; c++) a[c] = (first ? 0 : a[c]) + scaled * alpha * s[c];
            a[ch - 1] = (first ? 0 : a[ch - 1]) + weight * alpha;
        }
    } else if (first) {
        size_t n = (size_t)r->src_w * ch;
        for (size_t i = 0; i < n; i++) acc[i] = weight * row[i];
    } else {
        size_t n = (size_t)r->src_w * ch;
        for (size_t i = 0; i < n; i++) acc[i] += weight * row[i];
    }
    r->acc_weight += weight;
}

static uint8_t vq_clamp_round(float v) {
    return (uint8_t)(fminf(fmaxf(v, 0.0f), 255.0f) + 0.5f);  /* branch-free: 0 at or below 0, 255 at or above 255 */
}

typedef float vq_float4 __attribute__((ext_vector_type(4)));

/* Four floats from `p`, which need not be aligned. */
static inline vq_float4 vq_load4(const float *p) {
    vq_float4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One RGB output pixel from TAPS accumulated source pixels, R, G and B summed in one vector (its fourth lane reads the
 * next pixel's red, or the padding float after the accumulator, and is dropped); TAPS is a constant in the common
 * cases, so the loop unrolls. */
#define VQ_REDUCE_RGB(TAPS) do { \
        vq_float4 sum = 0; \
        for (uint32_t i = 0; i < (TAPS); i++) sum += w[i] * vq_load4(a + 3 * i); \
        sum *= scale; \
        o[0] = vq_clamp_round(sum.x); \
        o[1] = vq_clamp_round(sum.y); \
        o[2] = vq_clamp_round(sum.z); \
    } while (0)

static void vq_resampler_emit_rgb(const vq_resampler *r, uint8_t *out, float scale) {
    uint32_t taps = r->taps;
    const float *w = r->x_weights;
    for (uint32_t x = 0; x < r->dst_w; x++, w += taps, out += 3) {
        const float *a = r->acc + (size_t)r->x_start[x] * 3;
        uint8_t *o = out;
        switch (taps) {
        case 2: VQ_REDUCE_RGB(2); break;
        case 3: VQ_REDUCE_RGB(3); break;
        case 4: VQ_REDUCE_RGB(4); break;
        case 5: VQ_REDUCE_RGB(5); break;
        default: VQ_REDUCE_RGB(taps); break;
        }
    }
}

/* Reduces the accumulated rows across into the next output row (dividing by the weight they collected); the next
 * accumulated row starts the accumulator afresh. */
static void vq_resampler_emit(vq_resampler *r) {
    int ch = r->channels;
    uint32_t taps = r->taps;
    uint8_t *out = r->dst + (size_t)r->dst_y * r->dst_w * ch;
    float scale = r->acc_weight > 0 ? (float)(1.0 / r->acc_weight) : 0;
    if (ch == 3) vq_resampler_emit_rgb(r, out, scale);
    for (uint32_t x = 0; ch != 3 && x < r->dst_w; x++) {
        const float *w = r->x_weights + (size_t)x * taps;
        const float *a = r->acc + (size_t)r->x_start[x] * ch;
        uint8_t *o = out + (size_t)x * ch;
        if (ch == 1) {
            float sum = 0;
            for (uint32_t i = 0; i < taps; i++) sum += w[i] * a[i];
            o[0] = vq_clamp_round(sum * scale);
        } else {
            float sums[4] = {0, 0, 0, 0};
            for (uint32_t i = 0; i < taps; i++, a += ch)
                for (int c = 0; c < ch; c++) sums[c] += w[i] * a[c];
            float alpha = sums[ch - 1] * scale;
            float unpremultiply = alpha > 0 ? 255.0f / alpha : 0;
            for (int c = 0; c < ch - 1; c++) o[c] = vq_clamp_round(sums[c] * scale * unpremultiply);
            o[ch - 1] = vq_clamp_round(alpha);
        }
    }
    r->acc_weight = 0;
    r->dst_y++;
}

void vq_resampler_push_row(vq_resampler *r, const uint8_t *row) {
    if (r->src_y >= r->src_h) return;
    if (r->src_w == r->dst_w && r->src_h == r->dst_h) {
        size_t n = (size_t)r->dst_w * r->channels;
        memcpy(r->dst + (size_t)r->src_y * n, row, n);
        r->src_y++;
        r->dst_y = r->src_y;
        return;
    }
    double top = r->src_y, bottom = r->src_y + 1.0;
    r->src_y++;
    while (top < bottom - 1e-9 && r->dst_y < r->dst_h) {
        double boundary = (r->dst_y + 1) * r->y_scale;
        if (bottom < boundary - 1e-9) {
            vq_resampler_accumulate(r, row, (float)(bottom - top));
            return;
        }
        vq_resampler_accumulate(r, row, (float)(boundary - top));
        vq_resampler_emit(r);
        top = boundary;
    }
}

void vq_resampler_finish(vq_resampler *r) {
    while (r->dst_y < r->dst_h) {
        if (r->acc_weight <= 0) {  /* nothing left to average: repeat the last written row */
            size_t n = (size_t)r->dst_w * r->channels;
            if (r->dst_y > 0) memcpy(r->dst + (size_t)r->dst_y * n, r->dst + (size_t)(r->dst_y - 1) * n, n);
            else memset(r->dst, 0, n);
            r->dst_y++;
        } else {
            vq_resampler_emit(r);
        }
    }
}

void vq_resampler_release(vq_resampler *r) {
    free(r->x_start);
    free(r->x_weights);
    free(r->acc);
    memset(r, 0, sizeof *r);
}
