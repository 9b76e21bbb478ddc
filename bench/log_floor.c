/* The floor for logging one exchange: the transaction vq's log writes for a query whose image is already stored (a
   conversation, an exchange with its FTS5 trigger, the image lookup and its link), with SQLite loaded on first use as
   vq loads it, WAL mode and synchronous = NORMAL as vq sets them, closed (so checkpointed) at the end. Usage:
   log_floor DATABASE (a log vq made); with no argument it exits at once (the process's own cost). Built by
   bench/bench.py at run time, never committed as a binary. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#define FUNCTIONS(X) \
    X(sqlite3_open_v2) X(sqlite3_exec) X(sqlite3_prepare_v2) X(sqlite3_bind_text) X(sqlite3_bind_int64) \
    X(sqlite3_bind_double) X(sqlite3_bind_null) X(sqlite3_step) X(sqlite3_finalize) X(sqlite3_close_v2) \
    X(sqlite3_last_insert_rowid) X(sqlite3_busy_timeout) X(sqlite3_errmsg)
#define DECLARE(name) static __typeof__(name) *p_##name;
FUNCTIONS(DECLARE)

static sqlite3 *db;

static void fail(const char *what) {
    fprintf(stderr, "log_floor: %s: %s\n", what, db ? p_sqlite3_errmsg(db) : "cannot open");
    exit(1);
}

static void run(const char *sql) {
    if (p_sqlite3_exec(db, sql, 0, 0, 0) != SQLITE_OK) fail(sql);
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *statement;
    if (p_sqlite3_prepare_v2(db, sql, -1, &statement, 0) != SQLITE_OK) fail(sql);
    return statement;
}

static void step(sqlite3_stmt *statement) {
    int status = p_sqlite3_step(statement);
    if (status != SQLITE_DONE && status != SQLITE_ROW) fail("step");
    p_sqlite3_finalize(statement);
}

static void text(sqlite3_stmt *statement, int index, const char *value) {
    p_sqlite3_bind_text(statement, index, value, -1, SQLITE_TRANSIENT);
}

int main(int argc, char **argv) {
    if (argc < 2) return 0;
    void *library = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!library) fail("dlopen");
#define LOAD(name) if (!(p_##name = dlsym(library, #name))) fail(#name);
    FUNCTIONS(LOAD)
    if (p_sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, 0) != SQLITE_OK) fail(argv[1]);
    p_sqlite3_busy_timeout(db, 10000);
    step(prepare("PRAGMA journal_mode"));
    run("PRAGMA synchronous = NORMAL");
    step(prepare("PRAGMA user_version"));
    run("BEGIN IMMEDIATE");
    sqlite3_stmt *conversation = prepare("INSERT INTO conversations (started) VALUES (?)");
    text(conversation, 1, "2026-12-06T12:00:00.000Z");
    step(conversation);
    sqlite3_stmt *exchange = prepare(
        "INSERT INTO exchanges (conversation_id, time, profile, api, model, system, prompt, options, answer, saved_images,"
        " prompt_tokens, completion_tokens, total_tokens, finish_reason, duration_s, error, cached_tokens, cost_usd,"
        " cost_prices) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    p_sqlite3_bind_int64(exchange, 1, p_sqlite3_last_insert_rowid(db));
    text(exchange, 2, "2026-12-06T12:00:00.000Z");
    text(exchange, 3, "bench");
    text(exchange, 4, "openai");
    text(exchange, 5, "bench");
    p_sqlite3_bind_null(exchange, 6);
    text(exchange, 7, "Describe");
    text(exchange, 8, "{}");
    text(exchange, 9, "A test image.");
    text(exchange, 10, "[]");
    p_sqlite3_bind_int64(exchange, 11, 100);
    p_sqlite3_bind_int64(exchange, 12, 4);
    p_sqlite3_bind_int64(exchange, 13, 104);
    text(exchange, 14, "stop");
    p_sqlite3_bind_double(exchange, 15, 0.01);
    for (int column = 16; column <= 19; column++) p_sqlite3_bind_null(exchange, column);
    step(exchange);
    sqlite3_int64 id = p_sqlite3_last_insert_rowid(db);
    sqlite3_stmt *known = prepare("SELECT 1 FROM images WHERE sha256 = (SELECT sha256 FROM images LIMIT 1)");
    step(known);
    sqlite3_stmt *link = prepare(
        "INSERT INTO exchange_images (exchange_id, position, source, sha256, url)"
        " VALUES (?, 0, 'photo.jpg', (SELECT sha256 FROM images LIMIT 1), NULL)");
    p_sqlite3_bind_int64(link, 1, id);
    step(link);
    run("COMMIT");
    if (p_sqlite3_close_v2(db) != SQLITE_OK) fail("close");
    return 0;
}
