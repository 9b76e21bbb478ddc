/* Why this exists: see vq_gif_library.h. */
#include "vq_gif_library.h"

VQ_LAZY_LIBRARY(vq_gif_load, VQ_GIF_FUNCTIONS, "libgif.so.7", "giflib", "libgif7", VQ_LAZY_OWN_FIRST)
