/* Why this exists: see vq_tiff_library.h. */
#include "vq_tiff_library.h"

VQ_LAZY_LIBRARY(vq_tiff_load, VQ_TIFF_FUNCTIONS, "libtiff.so.6", "libtiff", "libtiff6", VQ_LAZY_GLOBAL_FIRST)
