// OpenSSL's libcrypto for SHA-256 (its assembly uses the CPU's SHA instructions). SHA256_Init/Update/Final are
// marked deprecated in OpenSSL 3 in favour of EVP, but EVP (and the one-shot SHA256(), built on it) first initialise
// every provider and algorithm table, about 0.8 ms, more than the whole log write; these run the block code alone.
// HMAC() (one-shot HMAC-SHA256) signs AWS requests (Signature Version 4); it is not deprecated.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
