#ifndef VQ_TEST_XMP_H
#define VQ_TEST_XMP_H
#include <stddef.h>
#include <stdint.h>
/* Test-only: the XMP packet of a JPEG as libjpeg reads its APP1 markers (the "http://ns.adobe.com/xap/1.0/"
 * one), copied NUL-terminated into `out`. Returns its length, -1 when the JPEG does not decode, -2 without XMP,
 * -3 when `out` is too small. */
long vq_test_jpeg_xmp(const uint8_t *data, size_t size, char *out, size_t out_size);
/* Test-only: the "XMP " chunk of a WebP as libwebpdemux reads it; the same results. */
long vq_test_webp_xmp(const uint8_t *data, size_t size, char *out, size_t out_size);
#endif
