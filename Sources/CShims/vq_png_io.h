/* vq_png_io.h: memory I/O and error callbacks shared by the libpng operations
 * in CShims (private to CShims). */
#ifndef VQ_PNG_IO_H
#define VQ_PNG_IO_H
#include "vq_image.h"
#include <png.h>

/** Memory source for png_set_read_fn. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} vq_png_source;

/** png_set_read_fn callback: reads from a vq_png_source, failing with "file is truncated". */
void vq_png_read(png_structp png, png_bytep out, size_t length);

/** png_set_write_fn callbacks: append to the vq_image_buffer given as io pointer. */
void vq_png_write(png_structp png, png_bytep bytes, size_t length);
void vq_png_flush(png_structp png);

/** Copies libpng's message into the caller's buffer (the error pointer) and jumps to our setjmp. */
void vq_png_error(png_structp png, png_const_charp text);

/** Ignores the encoder's warnings. */
void vq_png_warning(png_structp png, png_const_charp text);

/** The readers' warning handler, which also receives libpng's benign errors (benign errors are on): those
 *  about an ancillary chunk (an ICC profile libpng dislikes, "iCCP: invalid window size", a bad CRC in a chunk
 *  libpng then discards) are ignored, since vq does no colour management and damaged chunks are dropped by
 *  re-encoding (see vq_png_crc); any other (a bad checksum at the end of the image data, extra image data)
 *  is an error, because other readers refuse such files. */
void vq_png_read_warning(png_structp png, png_const_charp text);

/** Big-endian 32-bit read. */
uint32_t vq_be32(const uint8_t *p);

/** True when width x height is over the limits. */
int vq_exceeds(uint32_t width, uint32_t height, vq_image_limits limits);

/** Creates the read and info structs wired to vq's error callbacks (`msg` receives libpng's message).
 *  Returns VQ_IMAGE_OK with both set (the caller owns them and runs its own setjmp), or VQ_IMAGE_FAILED
 *  with nothing allocated. */
vq_image_status vq_png_create_reader(png_structp *png, png_infop *info, char msg[VQ_IMAGE_MSG_SIZE]);

/** Rejects a decompression bomb (VQ_IMAGE_TOO_LARGE) or a zero width or height (VQ_IMAGE_ZERO_SIZE) from
 *  the raw IHDR (which must follow the 8-byte signature) before libpng allocates anything; sets *width and
 *  *height when the header is there. */
vq_image_status vq_png_check_ihdr(const uint8_t *data, size_t size, vq_image_limits limits,
                                  uint32_t *width, uint32_t *height);

#endif
