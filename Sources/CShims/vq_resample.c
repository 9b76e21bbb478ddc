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
    r->max_taps = (uint32_t)ceil(x_scale) + 1;
    r->x_start = malloc(sizeof(uint32_t) * dst_w);
    r->x_count = malloc(sizeof(uint32_t) * dst_w);
    r->x_weights = malloc(sizeof(float) * dst_w * r->max_taps);
    r->reduced = malloc(sizeof(float) * dst_w * channels);
    r->acc = calloc((size_t)dst_w * channels, sizeof(float));
    if (channels == 2 || channels == 4) r->premultiplied = malloc(sizeof(float) * src_w * channels);
    if (!r->x_start || !r->x_count || !r->x_weights || !r->reduced || !r->acc
        || ((channels == 2 || channels == 4) && !r->premultiplied)) return 0;
    for (uint32_t x = 0; x < dst_w; x++) {
        double left = x * x_scale, right = (x + 1) * x_scale;
        if (right > src_w) right = src_w;
        uint32_t first = (uint32_t)floor(left);
        uint32_t last = (uint32_t)ceil(right);  /* exclusive */
        if (last > src_w) last = src_w;
        if (last - first > r->max_taps) last = first + r->max_taps;
        float *w = r->x_weights + (size_t)x * r->max_taps;
        double sum = 0;
        for (uint32_t i = first; i < last; i++) {
            double lo = i > left ? i : left, hi = i + 1 < right ? i + 1 : right;
            w[i - first] = (float)(hi - lo);
            sum += hi - lo;
        }
        for (uint32_t i = first; i < last; i++) w[i - first] = (float)(w[i - first] / sum);
        r->x_start[x] = first;
        r->x_count[x] = last - first;
    }
    return 1;
}

/* Reduces one source row horizontally into r->reduced. */
static void vq_resampler_reduce_row(vq_resampler *r, const uint8_t *row) {
    int ch = r->channels;
    if (r->premultiplied) {
        float *p = r->premultiplied;
        for (uint32_t x = 0; x < r->src_w; x++) {
            const uint8_t *s = row + (size_t)x * ch;
            float alpha = s[ch - 1];
            for (int c = 0; c < ch - 1; c++) p[x * ch + c] = s[c] * alpha * (1.0f / 255.0f);
            p[x * ch + ch - 1] = alpha;
        }
        for (uint32_t x = 0; x < r->dst_w; x++) {
            const float *w = r->x_weights + (size_t)x * r->max_taps;
            const float *s = p + (size_t)r->x_start[x] * ch;
            float sums[4] = {0, 0, 0, 0};
            for (uint32_t i = 0; i < r->x_count[x]; i++)
                for (int c = 0; c < ch; c++) sums[c] += w[i] * s[i * ch + c];
            for (int c = 0; c < ch; c++) r->reduced[x * ch + c] = sums[c];
        }
    } else if (ch == 3) {
        for (uint32_t x = 0; x < r->dst_w; x++) {
            const float *w = r->x_weights + (size_t)x * r->max_taps;
            const uint8_t *s = row + (size_t)r->x_start[x] * 3;
            float s0 = 0, s1 = 0, s2 = 0;
            for (uint32_t i = 0; i < r->x_count[x]; i++, s += 3) {
                s0 += w[i] * s[0];
                s1 += w[i] * s[1];
                s2 += w[i] * s[2];
            }
            r->reduced[3 * x] = s0;
            r->reduced[3 * x + 1] = s1;
            r->reduced[3 * x + 2] = s2;
        }
    } else {
        for (uint32_t x = 0; x < r->dst_w; x++) {
            const float *w = r->x_weights + (size_t)x * r->max_taps;
            const uint8_t *s = row + (size_t)r->x_start[x];
            float sum = 0;
            for (uint32_t i = 0; i < r->x_count[x]; i++) sum += w[i] * s[i];
            r->reduced[x] = sum;
        }
    }
}

static uint8_t vq_clamp_round(float v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)(v + 0.5f);
}

/* Writes the accumulated output row (dividing by the weight it collected) and clears the accumulator. */
static void vq_resampler_emit(vq_resampler *r) {
    int ch = r->channels;
    size_t n = (size_t)r->dst_w * ch;
    uint8_t *out = r->dst + (size_t)r->dst_y * n;
    float scale = r->acc_weight > 0 ? (float)(1.0 / r->acc_weight) : 0;
    if (r->premultiplied) {
        for (uint32_t x = 0; x < r->dst_w; x++) {
            float *a = r->acc + (size_t)x * ch;
            float alpha = a[ch - 1] * scale;
            float unpremultiply = alpha > 0 ? 255.0f / alpha : 0;
            for (int c = 0; c < ch - 1; c++) out[x * ch + c] = vq_clamp_round(a[c] * scale * unpremultiply);
            out[x * ch + ch - 1] = vq_clamp_round(alpha);
        }
    } else {
        for (size_t i = 0; i < n; i++) out[i] = vq_clamp_round(r->acc[i] * scale);
    }
    memset(r->acc, 0, n * sizeof(float));
    r->acc_weight = 0;
    r->dst_y++;
}

static void vq_resampler_add(vq_resampler *r, float weight) {
    size_t n = (size_t)r->dst_w * r->channels;
    for (size_t i = 0; i < n; i++) r->acc[i] += weight * r->reduced[i];
    r->acc_weight += weight;
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
    vq_resampler_reduce_row(r, row);
    double top = r->src_y, bottom = r->src_y + 1.0;
    r->src_y++;
    while (top < bottom - 1e-9 && r->dst_y < r->dst_h) {
        double boundary = (r->dst_y + 1) * r->y_scale;
        if (bottom < boundary - 1e-9) {
            vq_resampler_add(r, (float)(bottom - top));
            return;
        }
        vq_resampler_add(r, (float)(boundary - top));
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
    free(r->x_count);
    free(r->x_weights);
    free(r->premultiplied);
    free(r->reduced);
    free(r->acc);
    memset(r, 0, sizeof *r);
}
