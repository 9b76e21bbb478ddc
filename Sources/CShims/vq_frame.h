/* vq_frame.h: shrinking one whole decoded frame, shared by the WebP, GIF and HEIF decoders (private to CShims). */
#ifndef VQ_FRAME_H
#define VQ_FRAME_H
#include "vq_image.h"

/** True when some alpha sample (the 4th of each pixel) of a width x height RGBA frame is below 255. */
int vq_frame_has_transparency(const uint8_t *rows, size_t stride, uint32_t width, uint32_t height);

/** Area-averages a width x height frame (3 or 4 channels, rows `stride` bytes apart) into `out`, exactly
 *  target size. An RGBA frame whose pixels are all opaque comes out RGB. Returns VQ_IMAGE_FAILED (with
 *  msg) when memory runs out. Precondition: 1 <= target <= frame size. */
vq_image_status vq_frame_resample(const uint8_t *rows, size_t stride, uint32_t width, uint32_t height,
                                  int channels, uint32_t target_width, uint32_t target_height,
                                  vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]);

#endif
