/* OpenSSL for the tests' TLS server only (vq itself reaches TLS through libcurl). */
#include <openssl/ssl.h>
#include <openssl/err.h>
