#include "vq_curl.h"
