#include "postgres/connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <poll.h>

#include <cstdlib>

namespace webgames::postgres {
namespace {

// SQLSTATEs that mean the server went away rather than that the statement
// was wrong: connection exceptions (class 08) and operator intervention.
bool server_gone(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::runtime_error("postgres: a bytea value is not hex");
}

std::string first_line(const char* message) {
  std::string m = message ? message : "unknown error";
  if (auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
  return m;
}

}  // namespace

Param Param::real(double v) { return Param(fmt::format("{}", v)); }

Rows::~Rows() { PQclear(result_); }

int Rows::size() const { return PQntuples(result_); }

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t Rows::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

double Rows::real(int row, int column) const { return std::strtod(PQgetvalue(result_, row, column), nullptr); }

std::string Rows::bytes(int row, int column) const {
  auto hex = text(row, column);
  if (hex.size() % 2 != 0) throw std::runtime_error("postgres: a bytea value is not hex");
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(unhex(hex[2 * i]) * 16 + unhex(hex[2 * i + 1]));
  return out;
}

int Rows::affected() const { return std::atoi(PQcmdTuples(result_)); }

Connection::Connection(const std::string& url, metrics::Histogram* queries) : queries_(queries) {
  // Our deadlines first: the URL's own settings, expanded from dbname after
  // them, take precedence.
  const char* keys[] = {"connect_timeout", "tcp_user_timeout", "options", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "10000", "-c statement_timeout=30000", "webgames", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (conn_ == nullptr) throw Unavailable("postgres: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    auto message = first_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Unavailable(fmt::format("postgres: cannot connect: {}", message));
  }
  // Notices (such as "relation already exists, skipping") are not ours to log.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::run(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const auto& p : params) {
    values.push_back(p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  std::string text(sql);
  auto started = std::chrono::steady_clock::now();
  Rows rows(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                         formats.data(), 0));
  if (queries_) queries_->observe(std::chrono::steady_clock::now() - started);
  auto* result = rows.raw();
  auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = state ? state : "";
  auto message = first_line(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK || server_gone(sqlstate))
    throw Unavailable(fmt::format("postgres: connection lost: {}", message));
  if (sqlstate == "23505") return make_error(Errc::conflict, "already exists");
  throw std::runtime_error(fmt::format("postgres: {} [{}]", message, sqlstate));
}

Rows Connection::exec(std::string_view sql, std::initializer_list<Param> params) {
  return exec(sql, std::vector<Param>(params));
}

Rows Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  auto r = run(sql, params);
  if (!r) throw std::runtime_error("postgres: unique violation");  // where our own invariant says none can happen
  return std::move(*r);
}

Result<Rows> Connection::exec_unique(std::string_view sql, std::initializer_list<Param> params) {
  return run(sql, std::vector<Param>(params));
}

void Connection::exec_script(std::string_view sql) {
  std::string text(sql);
  Rows rows(PQexec(conn_, text.c_str()));
  auto* result = rows.raw();
  auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  auto message = first_line(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK) throw Unavailable(fmt::format("postgres: connection lost: {}", message));
  throw std::runtime_error(fmt::format("postgres: {}", message));
}

bool Connection::healthy() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  // libpq's socket is non-blocking: read only what already arrived, such as
  // the goodbye of a server that shut down (an error message, then the end
  // of the stream: the end is seen by the read after the message's).
  for (int reads = 0; reads < 4; ++reads) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

ConnectionPool::ConnectionPool(std::string url, std::size_t size, std::chrono::milliseconds wait,
                               metrics::Histogram* queries)
    : url_(std::move(url)), size_(size), wait_(wait), queries_(queries) {}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + wait_;
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy()) return Lease(*this, std::move(c));
      --open_;  // dropped by the server: replaced below
    }
    if (open_ < size_) break;
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= size_)
      throw Unavailable(fmt::format("postgres: all {} connections busy for {} ms", size_, wait_.count()));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(url_, queries_));
  } catch (...) {
    lock.lock();
    --open_;
    freed_.notify_one();
    throw;
  }
}

void ConnectionPool::put_back(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mutex_);
    if (c && c->healthy())
      idle_.push_back(std::move(c));
    else
      --open_;
  }
  freed_.notify_one();
}

}  // namespace webgames::postgres
