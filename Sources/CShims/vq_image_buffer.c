/* vq_image_buffer.c: encoders write into memory we own (rather than libjpeg's
 * jpeg_mem_dest buffer), so every error path can free it without leaking. */
#include "vq_image_buffer.h"
#include <stdlib.h>

int vq_image_buffer_reserve(vq_image_buffer *buffer, size_t extra) {
    if (buffer->capacity - buffer->count >= extra) return 1;
    size_t capacity = buffer->capacity ? buffer->capacity : 65536;
    while (capacity - buffer->count < extra) {
        if (capacity > SIZE_MAX / 2) return 0;
        capacity *= 2;
    }
    uint8_t *bytes = realloc(buffer->bytes, capacity);
    if (bytes == NULL) return 0;
    buffer->bytes = bytes;
    buffer->capacity = capacity;
    return 1;
}

void vq_image_buffer_free(vq_image_buffer *buffer) {
    free(buffer->bytes);
    buffer->bytes = NULL;
    buffer->count = 0;
    buffer->capacity = 0;
}
