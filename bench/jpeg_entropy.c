/* The floor for checking JPEGs that are sent unchanged: an entropy-only decode of each file named on the command line,
   the cheapest libjpeg offers that still reads every Huffman-coded block (jpeg_skip_scanlines over all rows but the
   last at 1/8 scale: no inverse DCT or colour conversion for the skipped rows; jpeg_read_coefficients costs twice as
   much, as it stores every coefficient). Built by bench/bench.py at run time, never committed as a binary. Prints
   how many files decoded cleanly; a warning (corrupt data) counts as a failure. */
#include <setjmp.h>
#include <stdio.h>
#include <jpeglib.h>

struct anchor_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
};

static void fail(j_common_ptr info) {
    longjmp(((struct anchor_error *)info->err)->jump, 1);
}

static void warn(j_common_ptr info, int level) {
    if (level < 0) longjmp(((struct anchor_error *)info->err)->jump, 1);
}

static int decodes(FILE *file) {
    struct jpeg_decompress_struct info;
    struct anchor_error error;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = fail;
    error.base.emit_message = warn;
    if (setjmp(error.jump)) {
        jpeg_destroy_decompress(&info);
        return 0;
    }
    jpeg_create_decompress(&info);
    jpeg_stdio_src(&info, file);
    jpeg_read_header(&info, TRUE);
    info.scale_num = 1;
    info.scale_denom = 8;
    info.dct_method = JDCT_IFAST;
    info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&info);
    JSAMPARRAY rows = (*info.mem->alloc_sarray)((j_common_ptr)&info, JPOOL_IMAGE,
                                                info.output_width * info.output_components, info.rec_outbuf_height);
    if (info.output_height > 1) jpeg_skip_scanlines(&info, info.output_height - 1);
    while (info.output_scanline < info.output_height) jpeg_read_scanlines(&info, rows, info.rec_outbuf_height);
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return 1;
}

int main(int argc, char **argv) {
    int clean = 0;
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (!file) continue;
        clean += decodes(file);
        fclose(file);
    }
    printf("%d\n", clean);
    return clean == argc - 1 ? 0 : 1;
}
