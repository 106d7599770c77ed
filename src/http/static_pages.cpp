#include "http/static_pages.h"

#include "core/encoding.h"
#include "http/error_response.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace webgames::http {
namespace {

namespace fs = std::filesystem;

// Names we serve: letters, digits, '.', '-', '_', not starting with a dot.
bool servable_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
}

std::string content_type_of(const fs::path& file) {
  static const std::map<std::string, std::string, std::less<>> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// "no-cache" and ETag: pages change on every build and their files keep their
// names, so browsers revalidate (a 304 while unchanged) instead of guessing.
Response file_response(const Request& request, std::string_view etag, const std::string& content_type,
                       const std::string& body) {
  Response res;
  res.version(request.version());
  res.keep_alive(request.keep_alive());
  res.set(beast_http::field::etag, etag);
  res.set(beast_http::field::cache_control, "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  if (request[beast_http::field::if_none_match] == etag) {
    res.result(Status::not_modified);
    return res;
  }
  res.result(Status::ok);
  res.set(beast_http::field::content_type, content_type);
  res.body() = body;
  res.prepare_payload();
  return res;
}

}  // namespace

StaticPages StaticPages::load(const fs::path& root, const std::vector<std::string>& pages) {
  StaticPages out;
  for (const auto& name : pages) {
    Page page;
    page.folder = root / name;
    std::error_code ec;
    page.found = fs::is_directory(page.folder, ec);
    if (!page.found) {
      spdlog::info("pages: /{} not served: no folder {}", name, page.folder.string());
    } else {
      for (const auto& entry : fs::directory_iterator(page.folder, ec)) {
        auto file = entry.path().filename().string();
        if (!entry.is_regular_file(ec) || !servable_name(file)) continue;
        if (page.files.size() == kMaxFiles) {
          spdlog::warn("pages: /{} has more than {} files; the rest are not served", name, kMaxFiles);
          break;
        }
        if (entry.file_size(ec) > kMaxFileBytes) {
          spdlog::warn("pages: {} is over {} bytes, not served", entry.path().string(), kMaxFileBytes);
          continue;
        }
        File f{read_file(entry.path()), content_type_of(entry.path()), {}};
        f.etag = fmt::format("\"{}\"", hex_encode(sha256(f.body)).substr(0, 32));
        page.files.emplace(std::move(file), std::move(f));
      }
      spdlog::info("pages: /{} from {} ({} files)", name, page.folder.string(), page.files.size());
    }
    out.pages_.emplace(name, std::move(page));
  }
  return out;
}

void StaticPages::add_routes(Router& router) const {
  for (const auto& entry : pages_) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one (make fuzz)
    router.add(Verb::get, "/" + name, [this, name](RequestContext& ctx) -> boost::asio::awaitable<Response> {
      co_return serve(ctx.request, name, "");
    });
    router.add(Verb::get, "/" + name + "/{file}",
               [this, name](RequestContext& ctx) -> boost::asio::awaitable<Response> {
                 co_return serve(ctx.request, name, ctx.params["file"]);
               });
  }
}

Response StaticPages::serve(const Request& request, const std::string& name, std::string_view file) const {
  auto page = pages_.find(name);
  if (page == pages_.end() || !page->second.found) {
    return error_response(
        make_error(Errc::not_found,
                   fmt::format("the /{} page is not built here (no folder {}): run make build, or set http.static_dir",
                               name, page == pages_.end() ? name : page->second.folder.string()),
                   "path"));
  }
  auto found = page->second.files.find(file.empty() ? std::string_view("index.html") : file);
  if (found == page->second.files.end())
    return error_response(make_error(Errc::not_found, fmt::format("no file {} in /{}", file, name), "path"));
  return file_response(request, found->second.etag, found->second.content_type, found->second.body);
}

fs::path default_static_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "pages";
  return exe.parent_path() / "pages";
}

}  // namespace webgames::http
