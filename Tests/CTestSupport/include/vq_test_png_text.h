#ifndef VQ_TEST_PNG_TEXT_H
#define VQ_TEST_PNG_TEXT_H
#include <stddef.h>
#include <stdint.h>
/* Test-only: reads a PNG with libpng (an independent reader of vq's own chunk writer) and copies the text of the
 * tEXt/zTXt/iTXt chunk named `keyword` into `out` (NUL-terminated). Returns its length, -1 when the PNG does not
 * decode, -2 when no such chunk exists, -3 when `out` is too small. */
long vq_test_png_text(const uint8_t *data, size_t size, const char *keyword, char *out, size_t out_size);
#endif
