#include "postgres/postgres_test.h"

#include "core/encoding.h"
#include "postgres/connection.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace webgames::testing {
namespace {

std::string postgres_dir() {
  const char* dir = std::getenv("WEBGAMES_POSTGRES_DIR");
  return dir ? dir : "/tmp/wg-postgres";
}

std::string random_suffix() {
  auto id = new_id("");
  for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id.substr(0, 12);
}

}  // namespace

bool running_under_ci() {
  const char* ci = std::getenv("CI");
  std::string v = ci ? ci : "";
  return !(v.empty() || v == "0" || v == "false");
}

std::optional<std::string> fixture_postgres_url() {
  std::ifstream in(postgres_dir() + "/port");
  int port = 0;
  if (!(in >> port) || port <= 0) return std::nullopt;
  auto url = fmt::format("postgres://postgres@127.0.0.1:{}/postgres", port);
  try {
    postgres::Connection probe(url);
  } catch (const postgres::Unavailable&) {
    return std::nullopt;
  }
  return url;
}

TestSchema::TestSchema(std::string admin_url) : admin_url_(std::move(admin_url)), name_("t_" + random_suffix()) {
  postgres::Connection db(admin_url_);
  db.exec(fmt::format("CREATE SCHEMA {}", name_));
}

TestSchema::~TestSchema() {
  try {
    postgres::Connection db(admin_url_);
    db.exec(fmt::format("DROP SCHEMA {} CASCADE", name_));
  } catch (const std::exception&) {
  }
}

std::string TestSchema::url() const {
  auto sep = admin_url_.find('?') == std::string::npos ? '?' : '&';
  return fmt::format("{}{}options=-csearch_path%3D{}", admin_url_, sep, name_);
}

void TestSchema::exec(const std::string& sql) const {
  postgres::Connection db(url());
  db.exec_script(sql);
}

PrivatePostgres::PrivatePostgres() : dir_("/tmp/wg-pgp-" + random_suffix()) { start(); }

PrivatePostgres::~PrivatePostgres() {
  try {
    script("stop");
  } catch (const std::exception&) {
  }
}

std::string PrivatePostgres::script(const std::string& command) const {
  auto line = fmt::format("WEBGAMES_POSTGRES_DIR={} WEBGAMES_POSTGRES_FSYNC=off {}/scripts/postgres {}", dir_,
                          WEBGAMES_SOURCE_DIR, command);
  std::FILE* out = ::popen(line.c_str(), "r");
  if (out == nullptr) throw std::runtime_error("cannot run scripts/postgres");
  std::string text;
  char buf[256];
  while (std::fgets(buf, sizeof buf, out)) text += buf;
  if (::pclose(out) != 0) throw std::runtime_error(fmt::format("scripts/postgres {} failed", command));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void PrivatePostgres::halt() { script("halt"); }

void PrivatePostgres::start() { url_ = script("start"); }

}  // namespace webgames::testing
