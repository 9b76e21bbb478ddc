/* vq_image_buffer.h: growable output buffer shared by the PNG and JPEG encoders (private to CShims). */
#ifndef VQ_IMAGE_BUFFER_H
#define VQ_IMAGE_BUFFER_H
#include "vq_image.h"

/** Ensures room for `extra` more bytes; returns 0 when memory runs out. */
int vq_image_buffer_reserve(vq_image_buffer *buffer, size_t extra);

#endif
