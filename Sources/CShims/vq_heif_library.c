/* Why this exists: see vq_heif_library.h (libheif is loaded on first use, not at every start). */
#include "vq_heif_library.h"

VQ_LAZY_LIBRARY(vq_heif_load, VQ_HEIF_FUNCTIONS, "libheif.so.1", "libheif", "libheif1", VQ_LAZY_GLOBAL_FIRST)
