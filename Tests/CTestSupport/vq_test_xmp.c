#include "vq_test_xmp.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <webp/demux.h>

struct error_exit { struct jpeg_error_mgr base; jmp_buf jump; };

static void on_error(j_common_ptr info) { longjmp(((struct error_exit *)info->err)->jump, 1); }

static long copy_out(const uint8_t *bytes, size_t length, char *out, size_t out_size) {
    if (length + 1 > out_size) return -3;
    memcpy(out, bytes, length);
    out[length] = 0;
    return (long)length;
}

long vq_test_jpeg_xmp(const uint8_t *data, size_t size, char *out, size_t out_size) {
    static const char namespace[] = "http://ns.adobe.com/xap/1.0/";
    struct jpeg_decompress_struct info;
    struct error_exit error;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = on_error;
    if (setjmp(error.jump)) { jpeg_destroy_decompress(&info); return -1; }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&info, TRUE);
    long result = -2;
    for (jpeg_saved_marker_ptr marker = info.marker_list; marker; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length < sizeof namespace) continue;
        if (memcmp(marker->data, namespace, sizeof namespace) != 0) continue;
        result = copy_out(marker->data + sizeof namespace, marker->data_length - sizeof namespace, out, out_size);
        break;
    }
    jpeg_destroy_decompress(&info);
    return result;
}

long vq_test_webp_xmp(const uint8_t *data, size_t size, char *out, size_t out_size) {
    WebPData input = { data, size };
    WebPDemuxer *demux = WebPDemux(&input);
    if (!demux) return -1;
    long result = -2;
    WebPChunkIterator chunk;
    if (WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS) & XMP_FLAG) {
        if (WebPDemuxGetChunk(demux, "XMP ", 1, &chunk)) {
            result = copy_out(chunk.chunk.bytes, chunk.chunk.size, out, out_size);
            WebPDemuxReleaseChunkIterator(&chunk);
        }
    }
    WebPDemuxDelete(demux);
    return result;
}
