/* vq_png_io.c: libpng reads and writes through callbacks and reports errors by
 * longjmp; these callbacks connect it to memory buffers and our message buffer. */
#include "vq_png_io.h"
#include "vq_image_buffer.h"
#include <stdio.h>
#include <string.h>
#include <zlib.h>

void vq_png_read(png_structp png, png_bytep out, size_t length) {
    vq_png_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "file is truncated");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

void vq_png_write(png_structp png, png_bytep bytes, size_t length) {
    vq_image_buffer *out = png_get_io_ptr(png);
    if (!vq_image_buffer_reserve(out, length)) png_error(png, "out of memory");
    memcpy(out->bytes + out->count, bytes, length);
    out->count += length;
}

void vq_png_flush(png_structp png) { (void)png; }

void vq_png_error(png_structp png, png_const_charp text) {
    snprintf(png_get_error_ptr(png), VQ_IMAGE_MSG_SIZE, "%s", text);
    png_longjmp(png, 1);
}

void vq_png_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

void vq_png_read_warning(png_structp png, png_const_charp text) {
    /* libpng prefixes chunk messages with the chunk's name; a lowercase first letter marks an ancillary chunk. */
    int ancillary = text[0] >= 'a' && text[0] <= 'z' && text[1] && text[2] && text[3] && text[4] == ':';
    if (!ancillary) vq_png_error(png, text);
}

uint32_t vq_png_crc(const uint8_t *data, size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {
        uInt chunk = size > (1u << 30) ? (1u << 30) : (uInt)size;
        crc = crc32(crc, data, chunk);
        data += chunk;
        size -= chunk;
    }
    return (uint32_t)crc;
}

uint32_t vq_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int vq_exceeds(uint32_t width, uint32_t height, vq_image_limits limits) {
    return width > limits.max_side || height > limits.max_side
        || (uint64_t)width * height > limits.max_pixels;
}

vq_image_status vq_png_create_reader(png_structp *png, png_infop *info, char msg[VQ_IMAGE_MSG_SIZE]) {
    *png = png_create_read_struct(PNG_LIBPNG_VER_STRING, msg, vq_png_error, vq_png_read_warning);
    *info = *png ? png_create_info_struct(*png) : NULL;
    if (*info == NULL) {
        png_destroy_read_struct(png, NULL, NULL);
        snprintf(msg, VQ_IMAGE_MSG_SIZE, "out of memory");
        return VQ_IMAGE_FAILED;
    }
    return VQ_IMAGE_OK;
}

vq_image_status vq_png_check_ihdr(const uint8_t *data, size_t size, vq_image_limits limits,
                                  uint32_t *width, uint32_t *height) {
    *width = 0;
    *height = 0;
    if (size >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        *width = vq_be32(data + 16);
        *height = vq_be32(data + 20);
        if (*width == 0 || *height == 0) return VQ_IMAGE_ZERO_SIZE;
        if (vq_exceeds(*width, *height, limits)) return VQ_IMAGE_TOO_LARGE;
    }
    return VQ_IMAGE_OK;
}
