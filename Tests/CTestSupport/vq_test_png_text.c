#include "vq_test_png_text.h"
#include <png.h>
#include <setjmp.h>
#include <string.h>

struct source { const uint8_t *data; size_t size, offset; };

static void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
    struct source *src = png_get_io_ptr(png);
    if (src->offset + length > src->size) png_error(png, "read past the end");
    memcpy(out, src->data + src->offset, length);
    src->offset += length;
}

long vq_test_png_text(const uint8_t *data, size_t size, const char *keyword, char *out, size_t out_size) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); return -1; }
    struct source src = { data, size, 0 };
    long result = -2;
    if (setjmp(png_jmpbuf(png))) { png_destroy_read_struct(&png, &info, NULL); return -1; }
    png_set_read_fn(png, &src, read_from_memory);
    png_read_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);  /* reads to IEND: text after IDAT lands in info */
    png_textp texts = NULL;
    int count = png_get_text(png, info, &texts, NULL);
    for (int i = 0; i < count; i++) {
        if (strcmp(texts[i].key, keyword) != 0) continue;
        size_t length = texts[i].compression >= PNG_ITXT_COMPRESSION_NONE ? texts[i].itxt_length : texts[i].text_length;
        if (length + 1 > out_size) { result = -3; break; }
        memcpy(out, texts[i].text, length);
        out[length] = 0;
        result = (long)length;
        break;
    }
    png_destroy_read_struct(&png, &info, NULL);
    return result;
}
