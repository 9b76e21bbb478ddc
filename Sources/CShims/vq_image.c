#include "vq_image.h"
