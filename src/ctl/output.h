#pragma once
// How `webgames ctl` prints what the API answers: the JSON body exactly as
// the server sent it (--output json, the default when stdout is not a
// terminal), or aligned tables for a person (--output table, the default in a
// terminal). Pure: JSON in, text out.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <string_view>

namespace webgames::ctl {

enum class Format { json, table };

// One column of a table: its title, and where its cell comes from in a row.
struct Column {
  std::string_view title;
  std::string_view path;  // a key, or dotted keys into nested objects ("timings.matched_at")
  enum Kind {
    text,       // strings as they are, numbers and booleans as JSON writes them, null as "-"
    unix_time,  // a Unix time in seconds as "YYYY-MM-DD HH:MM:SSZ"
    names,      // an array: its strings, or each object's "name" (else "id"), joined by ","
  } kind = text;
};

// `rows` as a table: a header of the titles, every column as wide as its
// widest cell (cells longer than 60 characters are cut with "…"), two spaces
// between columns. A table without rows is its header and "(none)".
std::string render_table(const boost::json::array& rows, std::span<const Column> columns);

// An object as "key: value" lines, keys aligned; nested objects are
// flattened with dots ("timings.ready_at"), arrays of scalars joined by ",",
// arrays of objects one line per element ("players[0]: {…}").
std::string render_fields(const boost::json::object& object);

// The value at a dotted `path` of `row`, or nullptr.
const boost::json::value* value_at(const boost::json::object& row, std::string_view path);

}  // namespace webgames::ctl
