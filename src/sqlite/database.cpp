#include "sqlite/database.h"

#include "sqlite/migrations.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>
#include <stdexcept>

namespace webgames::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error(fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    fail(db, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_real(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

Result<void> Statement::step_done() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
  if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_UNIQUE ||
      sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_PRIMARYKEY)
    return make_error(Errc::conflict, "already exists");
  fail(db_, "step");  // other constraints (foreign keys, checks) guard invariants of ours
}

std::string Statement::text(int column) const {
  auto* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Connection::Connection(const std::filesystem::path& file) : Connection(file, Unchecked{}) {
  checkpoints_ = Checkpointer::of(file);
  sqlite3_wal_hook(db_, &Checkpointer::on_commit, checkpoints_.get());
}

Connection::Connection(const std::filesystem::path& file, Unchecked) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(fmt::format("sqlite: cannot open {}: {}", file.string(), message));
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
}

Connection::~Connection() { sqlite3_close(db_); }

std::shared_ptr<Checkpointer> Checkpointer::of(const std::filesystem::path& file) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::weak_ptr<Checkpointer>> files;
  auto key = std::filesystem::weakly_canonical(file);
  std::lock_guard lock(mutex);
  std::erase_if(files, [](const auto& entry) { return entry.second.expired(); });
  auto& known = files[key];
  auto checkpointer = known.lock();
  if (!checkpointer) known = checkpointer = std::make_shared<Checkpointer>(file);
  return checkpointer;
}

Checkpointer::Checkpointer(const std::filesystem::path& file) : db_(file, Connection::Unchecked{}) {
  sqlite3_wal_autocheckpoint(db_.db_, 0);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  if (pages >= kPages) {
    auto* c = static_cast<Checkpointer*>(self);
    {
      std::lock_guard lock(c->mutex_);
      c->due_ = true;
    }
    c->wanted_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    // SQLITE_BUSY (another process's checkpoint, or a recovery) leaves the
    // pages for the next commit's wake-up.
    sqlite3_wal_checkpoint_v2(db_.db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    ++checkpoints_;
  }
}

int Checkpointer::checkpoints() {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(fmt::format("sqlite: {}", message));
  }
}

int Connection::changes() const { return sqlite3_changes(db_); }

void migrate(Connection& db) {
  auto current = [&] {
    auto st = db.prepare("PRAGMA user_version");
    st.step();
    return static_cast<int>(st.integer(0));
  };
  auto all = migrations();
  int version = current();
  if (!all.empty() && version > all.back().version)
    throw std::runtime_error(
        fmt::format("sqlite: the database is at schema {}, newer than this binary's {}", version, all.back().version));
  if (!all.empty() && version == all.back().version) return;
  // Foreign keys off while migrating (a no-op inside a transaction, so
  // before it): a migration that rebuilds a table (006) must not cascade its
  // DROP to the rows that refer to it. Each checks the keys before it commits.
  db.exec("PRAGMA foreign_keys = OFF");
  try {
    for (const auto& m : all) {
      if (m.version <= version) continue;
      in_transaction(db, [&] {
        if (current() < m.version) {  // another process may have migrated meanwhile
          db.exec(m.sql);
          auto broken = db.prepare("PRAGMA foreign_key_check");
          if (broken.step()) throw std::runtime_error(fmt::format("sqlite: migration {} breaks a foreign key", m.name));
          db.exec(fmt::format("PRAGMA user_version = {}", m.version));
        }
      });
    }
  } catch (...) {
    db.exec("PRAGMA foreign_keys = ON");
    throw;
  }
  db.exec("PRAGMA foreign_keys = ON");
}

ConnectionPool::Lease ConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, std::make_unique<Connection>(file_));
}

void ConnectionPool::put_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
}

}  // namespace webgames::sqlite
