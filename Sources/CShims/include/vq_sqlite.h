/* vq_sqlite.h: SQLite (the conversation log), loaded on first use (dlopen, see vq_lazy_library.h) instead of linked,
 * so a run that logs nothing (--version, --help, config, --no-log) does not map it. Each vq_sqlite3_NAME calls
 * sqlite3_NAME; vq_sqlite_load must have succeeded first. */
#ifndef VQ_SQLITE_H
#define VQ_SQLITE_H
#include <sqlite3.h>

/** Loads libsqlite3 once (thread-safe): 0, or -1 with `msg` (256 bytes) saying what is missing. */
int vq_sqlite_load(char msg[256]);

int vq_sqlite3_open_v2(const char *filename, sqlite3 **database, int flags, const char *vfs);
int vq_sqlite3_close_v2(sqlite3 *database);
const char *vq_sqlite3_errmsg(sqlite3 *database);
int vq_sqlite3_busy_timeout(sqlite3 *database, int milliseconds);
int vq_sqlite3_extended_result_codes(sqlite3 *database, int on);
int vq_sqlite3_exec(sqlite3 *database, const char *sql, int (*callback)(void *, int, char **, char **), void *context, char **error);
void vq_sqlite3_free(void *pointer);
int vq_sqlite3_prepare_v2(sqlite3 *database, const char *sql, int length, sqlite3_stmt **statement, const char **tail);
sqlite3_int64 vq_sqlite3_last_insert_rowid(sqlite3 *database);
int vq_sqlite3_blob_open(sqlite3 *database, const char *schema, const char *table, const char *column, sqlite3_int64 row, int writable, sqlite3_blob **blob);
int vq_sqlite3_blob_write(sqlite3_blob *blob, const void *bytes, int count, int offset);
int vq_sqlite3_blob_close(sqlite3_blob *blob);
int vq_sqlite3_finalize(sqlite3_stmt *statement);
int vq_sqlite3_reset(sqlite3_stmt *statement);
int vq_sqlite3_clear_bindings(sqlite3_stmt *statement);
int vq_sqlite3_bind_int64(sqlite3_stmt *statement, int index, sqlite3_int64 value);
int vq_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int vq_sqlite3_bind_null(sqlite3_stmt *statement, int index);
int vq_sqlite3_step(sqlite3_stmt *statement);
int vq_sqlite3_column_type(sqlite3_stmt *statement, int column);
sqlite3_int64 vq_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double vq_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *vq_sqlite3_column_text(sqlite3_stmt *statement, int column);
int vq_sqlite3_column_bytes(sqlite3_stmt *statement, int column);
const void *vq_sqlite3_column_blob(sqlite3_stmt *statement, int column);

/* Text and blobs that SQLite copies at once (SQLITE_TRANSIENT), so Swift's temporary buffers may go away after the
 * call (SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import). */
int vq_sqlite3_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int length);
int vq_sqlite3_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int length);

#endif
