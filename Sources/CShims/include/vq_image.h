/* vq_image.h: setjmp-guarded libpng/libjpeg operations for the Imaging module.
 * Each function owns its jmp_buf and runs one whole library operation, so no
 * longjmp ever crosses a Swift frame. Only plain C types appear here, so Swift
 * never sees png.h or jpeglib.h. */
#ifndef VQ_IMAGE_H
#define VQ_IMAGE_H
#include <stddef.h>
#include <stdint.h>

/** Size of the caller-provided buffer that receives a library's one-line message. */
#define VQ_IMAGE_MSG_SIZE 200

/** Outcome of a vq_png_* / vq_jpeg_* call. */
typedef enum vq_image_status {
    VQ_IMAGE_OK = 0,
    VQ_IMAGE_CORRUPT = 1,         /* library rejected the data; msg says why */
    VQ_IMAGE_UNSUPPORTED = 2,     /* valid file using a variant the library cannot decode */
    VQ_IMAGE_TOO_LARGE = 3,       /* declared dimensions exceed the limits; width/height filled */
    VQ_IMAGE_TOO_MANY_SCANS = 4,  /* progressive JPEG with more scans than allowed */
    VQ_IMAGE_FAILED = 5,          /* encoding failed (out of memory, library refusal); msg says why */
    VQ_IMAGE_ZERO_SIZE = 6        /* the header declares a zero width or height */
} vq_image_status;

/** Resource limits applied before any pixel buffer is allocated. */
typedef struct vq_image_limits {
    uint64_t max_pixels;
    uint32_t max_side;
    uint32_t max_jpeg_scans;
} vq_image_limits;

/** Malloc-owned bytes produced by an encoder; release with vq_image_buffer_free. */
typedef struct vq_image_buffer {
    uint8_t *bytes;
    size_t count;
    size_t capacity;
} vq_image_buffer;

/** Fully decodes a PNG row by row (CRCs, zlib checksums, every interlace pass). libpng's complaints about
 *  ancillary chunks (an ICC profile it dislikes, a bad CRC in a chunk it then drops) are accepted; the
 *  caller finds damaged ancillary chunks with vq_png_crc and re-encodes. Other benign errors stay errors.
 *  Fills width/height whenever the header was read (also for VQ_IMAGE_TOO_LARGE). */
vq_image_status vq_png_validate(const uint8_t *data, size_t size, vq_image_limits limits,
                                uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]);

/** Entropy-decodes a whole JPEG at DCT scale 1/8; libjpeg warnings count as errors, except the ones
 *  about bytes outside the image data (extraneous bytes before a marker, an unknown JFIF revision, a bad
 *  ICC marker), which do not change a pixel. */
vq_image_status vq_jpeg_validate(const uint8_t *data, size_t size, vq_image_limits limits,
                                 uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]);

/** Encodes 8- or 16-bit (big-endian samples) pixels with 1-4 channels as PNG.
 *  With a palette (RGB triples, 1-256 entries), channels must be 1 and pixels are indices. */
vq_image_status vq_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                              int channels, int bit_depth, int interlaced,
                              const uint8_t *palette_rgb, int palette_count,
                              vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]);

/** Encodes 8-bit gray (1), RGB (3) or CMYK (4) pixels as JPEG. */
vq_image_status vq_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                               int channels, int quality, int progressive, int arithmetic,
                               vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]);

/** Malloc-owned 8-bit pixels, rows top to bottom, `channels` samples per pixel
 *  (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA); release with vq_pixels_free. */
typedef struct vq_pixels {
    uint8_t *bytes;
    uint32_t width;
    uint32_t height;
    int channels;
} vq_pixels;

/** Reads a JPEG's markers up to the first scan and applies the limits; decodes no pixels. */
vq_image_status vq_jpeg_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]);

/** Reads a PNG's IHDR and applies the limits; decodes no pixels. */
vq_image_status vq_png_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                   uint32_t *width, uint32_t *height, char msg[VQ_IMAGE_MSG_SIZE]);

/** Decodes a whole JPEG (warnings are errors, as in vq_jpeg_validate) at the smallest DCT scale
 *  M/8 whose output still covers target_width x target_height, streaming rows into an area average
 *  of exactly that size. Output is gray (1 channel) or RGB (3); CMYK/YCCK becomes RGB, read as
 *  inverted CMYK when an Adobe marker is present. Precondition: 1 <= target <= image size. */
vq_image_status vq_jpeg_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]);

/** Decodes a whole PNG (same checks as vq_png_validate) into 8-bit samples, streaming rows into an
 *  area average of exactly target_width x target_height (an interlaced PNG is assembled first).
 *  Palette and low-bit gray are expanded, 16-bit scaled to 8, tRNS becomes alpha; an alpha channel
 *  is dropped when every pixel is opaque. Precondition: 1 <= target <= image size. */
vq_image_status vq_png_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                              uint32_t target_width, uint32_t target_height,
                              vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]);

/** Area-averages `in` to exactly width x height into `out` (precondition: 1 <= size <= in's size). */
vq_image_status vq_pixels_resize(const vq_pixels *in, uint32_t width, uint32_t height, vq_pixels *out);

/** Writes `in` turned upright for EXIF orientation 1-8 into `out` (width and height swap for 5-8). */
vq_image_status vq_pixels_orient(const vq_pixels *in, int orientation, vq_pixels *out);

/** zlib's CRC-32 of `size` bytes (a PNG chunk's type and data), for finding damaged ancillary chunks. */
uint32_t vq_png_crc(const uint8_t *data, size_t size);

/** Frees decoded pixels and resets them to empty. */
void vq_pixels_free(vq_pixels *pixels);

/** Frees an encoder's output and resets the buffer to empty. */
void vq_image_buffer_free(vq_image_buffer *buffer);

#endif
