/* vq_image_codecs.h: whole-operation wrappers around libwebp, giflib, libheif and libtiff for the Imaging module.
 * They use the types of vq_image.h (status, limits, pixels, buffers) and only plain C types, so Swift never
 * sees the libraries' headers. None of these libraries longjmps; each function still runs one whole
 * operation and frees everything it allocated before returning. */
#ifndef VQ_IMAGE_CODECS_H
#define VQ_IMAGE_CODECS_H
#include "vq_image.h"

/** What a header read or a decode learns about an image. */
typedef struct vq_image_facts {
    uint32_t width;      /* display size (HEIF: with irot/imir applied); for VQ_IMAGE_TOO_LARGE the offending size */
    uint32_t height;
    uint32_t frames;     /* animation frames, 1 for a still image; 0 when only the header was read */
    int has_alpha;       /* the format carries alpha (header) / the decoded pixels have an alpha channel (decode) */
} vq_image_facts;

/** Reads a WebP's features (canvas size, alpha, animation) and applies the limits; decodes no pixels. */
vq_image_status vq_webp_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Decodes a WebP at exactly target size (libwebp's own area rescaler). An animation is decoded frame by frame
 *  (every frame must decode) and its first frame is returned. Output is RGB, or RGBA when some pixel is
 *  transparent. Precondition: 1 <= target <= canvas size. */
vq_image_status vq_webp_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Encodes 8-bit RGB (3) or RGBA (4) pixels as WebP, lossy at `quality` or lossless. */
vq_image_status vq_webp_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                               int quality, int lossless, vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]);

/** Reads a GIF's logical screen size and applies the limits; decodes no pixels. */
vq_image_status vq_gif_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                   vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Reads every block of a GIF (a truncated file fails; each frame's declared size is checked against the
 *  limits) and LZW-decodes its first frame, composited on a transparent screen and area-averaged to exactly
 *  target size: RGB, or RGBA when some pixel is transparent. Later frames are counted, not decoded (vq sends
 *  an animation as its first frame). Precondition: 1 <= target <= screen size. */
vq_image_status vq_gif_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                              uint32_t target_width, uint32_t target_height,
                              vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Reads a HEIF/AVIF file's primary image size (with irot/imir applied) and applies the limits to its
 *  coded size; decodes no pixels. */
vq_image_status vq_heif_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Decodes a HEIF/AVIF file's primary image (HEVC or AV1, rotation and mirroring applied, HDR scaled to
 *  8 bits), area-averaged to exactly target size: RGB, or RGBA when some pixel is transparent.
 *  Precondition: 1 <= target <= display size. */
vq_image_status vq_heif_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Reads a TIFF's (or BigTIFF's) first page size (width and height swapped when its Orientation tag turns it)
 *  and applies the limits; decodes no pixels. */
vq_image_status vq_tiff_read_header(const uint8_t *data, size_t size, vq_image_limits limits,
                                    vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Decodes a TIFF's first page through libtiff's RGBA reader (any error fails the file), turns it as its
 *  Orientation tag says and area-averages it to exactly target size: RGB, or RGBA when some pixel is
 *  transparent. Precondition: 1 <= target <= display size. */
vq_image_status vq_tiff_decode(const uint8_t *data, size_t size, vq_image_limits limits,
                               uint32_t target_width, uint32_t target_height,
                               vq_pixels *out, vq_image_facts *facts, char msg[VQ_IMAGE_MSG_SIZE]);

/** Encodes 8-bit RGB (3) or RGBA (4) pixels as HEIC (HEVC) or AVIF (AV1) with the given EXIF-style
 *  orientation (1-8, written as irot/imir); tests make their HEIF fixtures with it. */
vq_image_status vq_heif_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                               int quality, int av1, int orientation,
                               vq_image_buffer *out, char msg[VQ_IMAGE_MSG_SIZE]);

#endif
