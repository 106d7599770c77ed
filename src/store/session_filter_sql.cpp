#include "store/session_filter_sql.h"

#include <fmt/format.h>

namespace webgames {
namespace {

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

class Builder {
 public:
  explicit Builder(SqlDialect dialect) : dialect_(dialect) {}

  // A marker for a new parameter of value `v`.
  template <class T>
  std::string param(T v) {
    out_.params.emplace_back(std::move(v));
    return dialect_ == SqlDialect::sqlite ? "?" : fmt::format("${}", out_.params.size());
  }
  void where(std::string condition) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += condition;
  }
  // Ids compare bytewise in both databases (Postgres' collation may not).
  std::string id_column() const { return dialect_ == SqlDialect::sqlite ? "id" : "id COLLATE \"C\""; }
  SqlDialect dialect() const { return dialect_; }

  SqlFilter finish(std::size_t limit) {
    out_.sql = "SELECT record, game_id, created_at, id FROM sessions" + where_ +
               fmt::format(" ORDER BY created_at DESC, {} LIMIT ", id_column());
    out_.sql += param(static_cast<std::int64_t>(limit) + 1);
    return std::move(out_);
  }

 private:
  SqlDialect dialect_;
  std::string where_;
  SqlFilter out_;
};

}  // namespace

SqlFilter session_page_sql(const SessionQuery& q, SqlDialect dialect) {
  Builder b(dialect);
  if (!q.owner_id.empty()) b.where("owner_id = " + b.param(q.owner_id));
  if (!q.game.empty()) b.where("game = " + b.param(q.game));
  if (q.state) b.where("state = " + b.param(std::string(to_string(*q.state))));
  if (q.since) b.where("created_at >= " + b.param(ms(*q.since)));
  if (q.until) b.where("created_at < " + b.param(ms(*q.until)));
  if (!q.player.empty()) {
    // The players are in the record only; the other filters narrow the scan.
    auto id = b.param(q.player);
    auto name = b.param(q.player);
    b.where(b.dialect() == SqlDialect::sqlite
                ? fmt::format("EXISTS (SELECT 1 FROM json_each(record, '$.players') p WHERE json_extract(p.value, "
                              "'$.id') = {} OR json_extract(p.value, '$.name') = {})",
                              id, name)
                : fmt::format("EXISTS (SELECT 1 FROM jsonb_array_elements(record::jsonb -> 'players') p WHERE p ->> "
                              "'id' = {} OR p ->> 'name' = {})",
                              id, name));
  }
  if (q.after) {
    auto at = ms(q.after->created_at);
    auto before = b.param(at);
    auto same = b.param(at);
    auto id = b.param(q.after->id);
    b.where(fmt::format("(created_at < {} OR (created_at = {} AND {} > {}))", before, same, b.id_column(), id));
  }
  return b.finish(q.limit);
}

}  // namespace webgames
