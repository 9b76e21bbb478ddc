/* Why this exists: see include/vq_sqlite.h (SQLite is loaded on first use). */
#include <string.h>
#include "vq_sqlite.h"
#include "vq_lazy_library.h"

#define VQ_SQLITE_FUNCTIONS(X) \
    X(vq_sqlite_fn_, sqlite3_open_v2) \
    X(vq_sqlite_fn_, sqlite3_close_v2) \
    X(vq_sqlite_fn_, sqlite3_errmsg) \
    X(vq_sqlite_fn_, sqlite3_busy_timeout) \
    X(vq_sqlite_fn_, sqlite3_extended_result_codes) \
    X(vq_sqlite_fn_, sqlite3_exec) \
    X(vq_sqlite_fn_, sqlite3_free) \
    X(vq_sqlite_fn_, sqlite3_prepare_v2) \
    X(vq_sqlite_fn_, sqlite3_last_insert_rowid) \
    X(vq_sqlite_fn_, sqlite3_blob_open) \
    X(vq_sqlite_fn_, sqlite3_blob_write) \
    X(vq_sqlite_fn_, sqlite3_blob_close) \
    X(vq_sqlite_fn_, sqlite3_finalize) \
    X(vq_sqlite_fn_, sqlite3_reset) \
    X(vq_sqlite_fn_, sqlite3_clear_bindings) \
    X(vq_sqlite_fn_, sqlite3_bind_int64) \
    X(vq_sqlite_fn_, sqlite3_bind_double) \
    X(vq_sqlite_fn_, sqlite3_bind_null) \
    X(vq_sqlite_fn_, sqlite3_step) \
    X(vq_sqlite_fn_, sqlite3_column_type) \
    X(vq_sqlite_fn_, sqlite3_column_int64) \
    X(vq_sqlite_fn_, sqlite3_column_double) \
    X(vq_sqlite_fn_, sqlite3_column_text) \
    X(vq_sqlite_fn_, sqlite3_column_bytes) \
    X(vq_sqlite_fn_, sqlite3_column_blob) \
    X(vq_sqlite_fn_, sqlite3_bind_text) \
    X(vq_sqlite_fn_, sqlite3_bind_blob)

VQ_SQLITE_FUNCTIONS(VQ_LAZY_DECLARE)
VQ_LAZY_LIBRARY(vq_sqlite_load_library, VQ_SQLITE_FUNCTIONS, "libsqlite3.so.0", "SQLite", "libsqlite3-0", VQ_LAZY_OWN_FIRST)

int vq_sqlite_load(char msg[256]) {
    char error[VQ_IMAGE_MSG_SIZE];
    if (vq_sqlite_load_library(error) == VQ_IMAGE_OK) return 0;
    snprintf(msg, 256, "%s", error);
    return -1;
}

int vq_sqlite3_open_v2(const char *filename, sqlite3 **database, int flags, const char *vfs) {
    return vq_sqlite_fn_sqlite3_open_v2(filename, database, flags, vfs);
}

int vq_sqlite3_close_v2(sqlite3 *database) {
    return vq_sqlite_fn_sqlite3_close_v2(database);
}

const char *vq_sqlite3_errmsg(sqlite3 *database) {
    return vq_sqlite_fn_sqlite3_errmsg(database);
}

int vq_sqlite3_busy_timeout(sqlite3 *database, int milliseconds) {
    return vq_sqlite_fn_sqlite3_busy_timeout(database, milliseconds);
}

int vq_sqlite3_extended_result_codes(sqlite3 *database, int on) {
    return vq_sqlite_fn_sqlite3_extended_result_codes(database, on);
}

int vq_sqlite3_exec(sqlite3 *database, const char *sql, int (*callback)(void *, int, char **, char **), void *context, char **error) {
    return vq_sqlite_fn_sqlite3_exec(database, sql, callback, context, error);
}

void vq_sqlite3_free(void *pointer) {
    vq_sqlite_fn_sqlite3_free(pointer);
}

int vq_sqlite3_prepare_v2(sqlite3 *database, const char *sql, int length, sqlite3_stmt **statement, const char **tail) {
    return vq_sqlite_fn_sqlite3_prepare_v2(database, sql, length, statement, tail);
}

sqlite3_int64 vq_sqlite3_last_insert_rowid(sqlite3 *database) {
    return vq_sqlite_fn_sqlite3_last_insert_rowid(database);
}

int vq_sqlite3_blob_open(sqlite3 *database, const char *schema, const char *table, const char *column, sqlite3_int64 row, int writable, sqlite3_blob **blob) {
    return vq_sqlite_fn_sqlite3_blob_open(database, schema, table, column, row, writable, blob);
}

int vq_sqlite3_blob_write(sqlite3_blob *blob, const void *bytes, int count, int offset) {
    return vq_sqlite_fn_sqlite3_blob_write(blob, bytes, count, offset);
}

int vq_sqlite3_blob_close(sqlite3_blob *blob) {
    return vq_sqlite_fn_sqlite3_blob_close(blob);
}

int vq_sqlite3_finalize(sqlite3_stmt *statement) {
    return vq_sqlite_fn_sqlite3_finalize(statement);
}

int vq_sqlite3_reset(sqlite3_stmt *statement) {
    return vq_sqlite_fn_sqlite3_reset(statement);
}

int vq_sqlite3_clear_bindings(sqlite3_stmt *statement) {
    return vq_sqlite_fn_sqlite3_clear_bindings(statement);
}

int vq_sqlite3_bind_int64(sqlite3_stmt *statement, int index, sqlite3_int64 value) {
    return vq_sqlite_fn_sqlite3_bind_int64(statement, index, value);
}

int vq_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value) {
    return vq_sqlite_fn_sqlite3_bind_double(statement, index, value);
}

int vq_sqlite3_bind_null(sqlite3_stmt *statement, int index) {
    return vq_sqlite_fn_sqlite3_bind_null(statement, index);
}

int vq_sqlite3_step(sqlite3_stmt *statement) {
    return vq_sqlite_fn_sqlite3_step(statement);
}

int vq_sqlite3_column_type(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_type(statement, column);
}

sqlite3_int64 vq_sqlite3_column_int64(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_int64(statement, column);
}

double vq_sqlite3_column_double(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_double(statement, column);
}

const unsigned char *vq_sqlite3_column_text(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_text(statement, column);
}

int vq_sqlite3_column_bytes(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_bytes(statement, column);
}

const void *vq_sqlite3_column_blob(sqlite3_stmt *statement, int column) {
    return vq_sqlite_fn_sqlite3_column_blob(statement, column);
}

int vq_sqlite3_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int length) {
    return vq_sqlite_fn_sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}

int vq_sqlite3_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int length) {
    return vq_sqlite_fn_sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}
