/* vq_base64.h: standard-alphabet base64 encoding of request bodies (images are most of a request's bytes). */
#ifndef VQ_BASE64_H
#define VQ_BASE64_H
#include <stddef.h>
#include <stdint.h>

/** Encodes `count` bytes of `src` into `dst`, which must hold 4 * ceil(count / 3) bytes, padding with '=' when `count`
 *  is not a multiple of 3; returns the bytes written. With SSSE3 (checked once at run time) 12 bytes become 16
 *  characters per step; otherwise, and for the tail, 3 bytes at a time. */
size_t vq_base64_encode(const uint8_t *src, size_t count, uint8_t *dst);

#endif
