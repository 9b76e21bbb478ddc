/* Typed wrappers over libcurl's variadic and macro-based API; see vq_curl.h. */
#include "vq_curl.h"

CURLcode vq_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }
size_t vq_curl_error_size(void) { return CURL_ERROR_SIZE; }
unsigned int vq_curl_version_num(void) { return curl_version_info(CURLVERSION_NOW)->version_num; }

CURLcode vq_curl_setopt_long(CURL *h, CURLoption opt, long value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_str(CURL *h, CURLoption opt, const char *value) { return curl_easy_setopt(h, opt, value); }
CURLcode vq_curl_setopt_ptr(CURL *h, CURLoption opt, void *value) { return curl_easy_setopt(h, opt, value); }

CURLcode vq_curl_setopt_write_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_WRITEDATA, userdata);
}
CURLcode vq_curl_setopt_header_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_HEADERDATA, userdata);
}
CURLcode vq_curl_setopt_read_cb(CURL *h, vq_curl_data_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_READFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_READDATA, userdata);
}
CURLcode vq_curl_setopt_seek_cb(CURL *h, vq_curl_seek_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, cb);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_SEEKDATA, userdata);
}
CURLcode vq_curl_setopt_xferinfo_cb(CURL *h, vq_curl_xferinfo_cb cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_XFERINFODATA, userdata);
    return rc != CURLE_OK ? rc : curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

CURLcode vq_curl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode vq_curl_getinfo_str(CURL *h, CURLINFO info, const char **out) { return curl_easy_getinfo(h, info, out); }

size_t vq_curl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
int vq_curl_seekfunc_ok(void) { return CURL_SEEKFUNC_OK; }
int vq_curl_seekfunc_cantseek(void) { return CURL_SEEKFUNC_CANTSEEK; }

CURLM *vq_curl_multi_new(void) {
    CURLM *m = curl_multi_init();
    if (m) curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    return m;
}
CURLMcode vq_curl_multi_set_maxconnects(CURLM *m, long value) { return curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, value); }
int vq_curl_multi_next_done(CURLM *m, CURL **easy, CURLcode *result) {
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &left)) != NULL) {
        if (msg->msg == CURLMSG_DONE) {
            *easy = msg->easy_handle;
            *result = msg->data.result;
            return 1;
        }
    }
    return 0;
}
