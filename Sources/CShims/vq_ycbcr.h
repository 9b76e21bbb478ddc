/* vq_ycbcr.h: YCbCr planes to RGB rows, streamed into the resampler (private to CShims). */
#ifndef VQ_YCBCR_H
#define VQ_YCBCR_H
#include "vq_image.h"

/** Per-sample lookup tables for one YCbCr -> RGB matrix and range, in 16.16 fixed point. */
typedef struct vq_ycbcr_matrix {
    int32_t y[256], cr_r[256], cb_g[256], cr_g[256], cb_b[256];
} vq_ycbcr_matrix;

/** Fills `m` for an H.273 matrix_coefficients value (1 BT.709, 2 unspecified and 5/6 BT.601, 4 FCC,
 *  7 SMPTE 240M, 9/10 BT.2020) and range; returns 0 for the others (the caller lets libheif convert). */
int vq_ycbcr_matrix_init(vq_ycbcr_matrix *m, int matrix_coefficients, int full_range);

/** One 8-bit YCbCr image: planes, their strides, and how much the chroma planes are subsampled. */
typedef struct vq_ycbcr_planes {
    const uint8_t *y, *cb, *cr;
    int y_stride, cb_stride, cr_stride;
    uint32_t width, height;
    int chroma_shift_x, chroma_shift_y;   /* 4:2:0 -> 1, 1; 4:2:2 -> 1, 0; 4:4:4 -> 0, 0 */
} vq_ycbcr_planes;

/** Converts the planes row by row (each chroma sample used for the pixels it covers) and area-averages the
 *  RGB rows into `out`, exactly target size. VQ_IMAGE_FAILED (with msg) when memory runs out. */
vq_image_status vq_ycbcr_resample(const vq_ycbcr_planes *planes, const vq_ycbcr_matrix *m,
                                  uint32_t target_width, uint32_t target_height,
                                  vq_pixels *out, char msg[VQ_IMAGE_MSG_SIZE]);

#endif
