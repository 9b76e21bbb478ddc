/* Why this exists: see include/vq_base64.h. The vector step is Wojciech Muła's SSSE3 method (reshuffle the 12 bytes
 * into 16 six-bit indices with shuffles and multiplies, then translate indices to characters with one shuffle). */
#include "vq_base64.h"

static const uint8_t vq_base64_alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t vq_base64_encode_scalar(const uint8_t *src, size_t count, uint8_t *dst) {
    size_t i = 0, o = 0;
    for (; i + 3 <= count; i += 3, o += 4) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
        dst[o] = vq_base64_alphabet[v >> 18];
        dst[o + 1] = vq_base64_alphabet[v >> 12 & 63];
        dst[o + 2] = vq_base64_alphabet[v >> 6 & 63];
        dst[o + 3] = vq_base64_alphabet[v & 63];
    }
    size_t rest = count - i;
    if (rest > 0) {
        uint32_t v = (uint32_t)src[i] << 16 | (rest == 2 ? (uint32_t)src[i + 1] << 8 : 0);
        dst[o] = vq_base64_alphabet[v >> 18];
        dst[o + 1] = vq_base64_alphabet[v >> 12 & 63];
        dst[o + 2] = rest == 2 ? vq_base64_alphabet[v >> 6 & 63] : '=';
        dst[o + 3] = '=';
        o += 4;
    }
    return o;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/* Whole steps only: each reads 16 bytes (uses 12), so it stops while 16 remain; returns the input bytes consumed. */
__attribute__((target("ssse3"))) static size_t vq_base64_encode_ssse3(const uint8_t *src, size_t count, uint8_t *dst) {
    const __m128i spread = _mm_set_epi8(10, 11, 9, 10, 7, 8, 6, 7, 4, 5, 3, 4, 1, 2, 0, 1);
    const __m128i shift_lut = _mm_setr_epi8('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                                            '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
    size_t i = 0;
    for (; i + 16 <= count; i += 12, dst += 16) {
        __m128i in = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(src + i)), spread);
        __m128i high = _mm_mulhi_epu16(_mm_and_si128(in, _mm_set1_epi32(0x0fc0fc00)), _mm_set1_epi32(0x04000040));
        __m128i low = _mm_mullo_epi16(_mm_and_si128(in, _mm_set1_epi32(0x003f03f0)), _mm_set1_epi32(0x01000010));
        __m128i indices = _mm_or_si128(high, low);
        __m128i shift = _mm_subs_epu8(indices, _mm_set1_epi8(51));
        __m128i letters = _mm_cmpgt_epi8(_mm_set1_epi8(26), indices);
        shift = _mm_or_si128(shift, _mm_and_si128(letters, _mm_set1_epi8(13)));
        _mm_storeu_si128((__m128i *)dst, _mm_add_epi8(_mm_shuffle_epi8(shift_lut, shift), indices));
    }
    return i;
}

size_t vq_base64_encode(const uint8_t *src, size_t count, uint8_t *dst) {
    static int ssse3 = -1;
    if (ssse3 < 0) ssse3 = __builtin_cpu_supports("ssse3") ? 1 : 0;
    size_t done = ssse3 ? vq_base64_encode_ssse3(src, count, dst) : 0;
    return done / 3 * 4 + vq_base64_encode_scalar(src + done, count - done, dst + done / 3 * 4);
}
#else
size_t vq_base64_encode(const uint8_t *src, size_t count, uint8_t *dst) {
    return vq_base64_encode_scalar(src, count, dst);
}
#endif
