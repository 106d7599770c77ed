#pragma once
// A thin RAII layer over libpq: connections, results, and a small pool that
// reconnects. Every call BLOCKS on the network: call it from the blocking
// pool (loop/blocking_pool.h), never from an event loop.
//
// Errors: a lost or refused connection throws postgres::Unavailable; any other
// server error throws std::runtime_error, except a unique violation, which
// exec_unique() returns as Errc::conflict. The Catalog turns what is thrown
// into Errc::unavailable values.
//
// Deadlines: connecting gives up after 5 s (connect_timeout), a statement
// after 30 s (statement_timeout), a silent peer after 10 s (tcp_user_timeout);
// the URL may set others.

#include "core/error.h"
#include "metrics/histogram.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace webgames::postgres {

// The server is down, refused us, or dropped the connection.
struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A statement parameter: text (integers and reals in their decimal form), or
// bytes sent in binary (for bytea columns).
struct Param {
  Param(std::string_view text) : value(text) {}
  Param(const std::string& text) : value(text) {}
  Param(const char* text) : value(text) {}
  Param(std::int64_t v) : value(std::to_string(v)) {}
  static Param bytes(std::string_view b) {
    Param p(b);
    p.binary = true;
    return p;
  }
  static Param real(double v);

  std::string value;
  bool binary = false;
};

// The rows of a statement, in text form.
class Rows {
 public:
  explicit Rows(pg_result* r) : result_(r) {}
  ~Rows();
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  // A bytea column selected as encode(column, 'hex'), decoded.
  std::string bytes(int row, int column) const;
  // Rows an INSERT, UPDATE or DELETE changed.
  int affected() const;
  pg_result* raw() const { return result_; }

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects; throws Unavailable when the server cannot be reached.
  // `queries`, when given, times every statement (it must outlive the
  // connection).
  explicit Connection(const std::string& url, metrics::Histogram* queries = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with parameters $1, $2, … Throws as the header says.
  Rows exec(std::string_view sql, std::initializer_list<Param> params = {});
  Rows exec(std::string_view sql, const std::vector<Param>& params);
  // The same, but a unique violation comes back as Errc::conflict.
  Result<Rows> exec_unique(std::string_view sql, std::initializer_list<Param> params);
  // Runs a script of several statements without parameters (migrations).
  void exec_script(std::string_view sql);

  // Whether the connection is usable: open, and not inside a transaction.
  // Reads what the server sent meanwhile (without blocking), so that a
  // connection the server closed while idle is noticed before use.
  bool healthy();

 private:
  Result<Rows> run(std::string_view sql, const std::vector<Param>& params);

  pg_conn* conn_ = nullptr;
  metrics::Histogram* queries_ = nullptr;
};

// Runs f() inside BEGIN … COMMIT; rolls back and rethrows when it throws.
template <class F>
auto in_transaction(Connection& db, F&& f) -> decltype(f()) {
  db.exec("BEGIN");
  try {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      db.exec("COMMIT");
    } else {
      auto result = f();
      db.exec("COMMIT");
      return result;
    }
  } catch (const Unavailable&) {
    throw;  // the connection is gone, and its transaction with it
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

// At most `size` connections, each used by one thread at a time, opened on
// demand and kept; one the server dropped is replaced by a fresh one on the
// next acquire, so that the pool recovers by itself when the server returns.
// Thread-safe.
class ConnectionPool {
 public:
  // REQUIRES: size >= 1. Opens nothing yet. `queries` as for Connection.
  ConnectionPool(std::string url, std::size_t size, std::chrono::milliseconds wait = std::chrono::seconds(5),
                 metrics::Histogram* queries = nullptr);

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

  // A healthy connection. Waits up to `wait` for one to be free; throws
  // Unavailable when none frees up or the server cannot be reached.
  Lease acquire();

 private:
  void put_back(std::unique_ptr<Connection> c);

  std::string url_;
  std::size_t size_;
  std::chrono::milliseconds wait_;
  metrics::Histogram* queries_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle and leased
};

}  // namespace webgames::postgres
