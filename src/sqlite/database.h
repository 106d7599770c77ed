#pragma once
// A thin RAII layer over the SQLite C API: connections and prepared
// statements. Not thread-safe: one Connection per thread at a time
// (ConnectionPool hands them out).

#include "core/error.h"

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace webgames::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_real(int index, double value);

  // true while a row is available; throws on errors.
  bool step();
  // Runs to completion: conflict for a UNIQUE/PRIMARY KEY violation; throws
  // on other errors.
  Result<void> step_done();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;

  // Makes the statement ready to run again with new bindings.
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Checkpointer;

class Connection {
 public:
  // Opens (creating) the file, in WAL mode with foreign keys on and a busy
  // timeout, so that writers from several threads wait instead of failing.
  // Its commits never run a WAL checkpoint: the file's Checkpointer does,
  // on a thread of its own.
  explicit Connection(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // Rows changed by the last statement.
  int changes() const;

 private:
  friend class Checkpointer;
  struct Unchecked {};
  // The Checkpointer's own connection, which checkpoints.
  Connection(const std::filesystem::path& file, Unchecked);

  sqlite3* db_ = nullptr;
  std::shared_ptr<Checkpointer> checkpoints_;
};

// The WAL checkpoints of one database file, on a thread of its own while
// any Connection to the file is open in this process. SQLite's automatic
// checkpoint runs inside the commit that takes the WAL past 1000 pages,
// which then copies those pages into the file and syncs both: milliseconds
// that a commit on a player's path (a match's tickets, its session, its
// events) would wait. Every Connection hands that work here instead: a
// commit that leaves the WAL at kPages or more only wakes this thread, which
// runs a PASSIVE checkpoint (one that never waits for, nor blocks, a reader
// or a writer).
class Checkpointer {
 public:
  static constexpr int kPages = 1000;  // SQLite's own threshold

  // The file's, started with the first connection to it.
  static std::shared_ptr<Checkpointer> of(const std::filesystem::path& file);

  explicit Checkpointer(const std::filesystem::path& file);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run so far. Any thread.
  int checkpoints();

 private:
  friend class Connection;
  // Called by SQLite after each commit of a connection of the file.
  static int on_commit(void* self, sqlite3*, const char*, int pages);
  void run();

  Connection db_;
  std::mutex mutex_;
  std::condition_variable wanted_;
  bool due_ = false;
  bool stopping_ = false;
  int checkpoints_ = 0;
  std::thread thread_;
};

// Runs f() inside BEGIN IMMEDIATE … COMMIT; rolls back and rethrows when
// it throws. IMMEDIATE takes the write lock first, so that a concurrent
// writer waits rather than interleaving between our reads and writes.
template <class F>
void in_transaction(Connection& db, F&& f) {
  db.exec("BEGIN IMMEDIATE");
  try {
    f();
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

// Brings the file's schema up to the newest embedded migration, each in a
// transaction. Throws when the file is newer than this binary knows.
void migrate(Connection& db);

// Hands out connections, one per concurrent caller; they are created on
// demand and kept. Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(std::filesystem::path file) : file_(std::move(file)) {}

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> c) : pool_(pool), conn_(std::move(c)) {}
    ~Lease() { pool_.put_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  Lease acquire();

 private:
  void put_back(std::unique_ptr<Connection> c);

  std::filesystem::path file_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace webgames::sqlite
