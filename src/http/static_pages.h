#pragma once
// The web pages that `webgames serve` serves itself (the built front ends:
// /play, later /console), read once at start from one folder per page:
// <root>/play/index.html is GET /play, <root>/play/app.js GET /play/app.js.
//
// Safe by construction: only the regular files found directly inside a
// page's folder at load time are served, by exact name, from memory; a name
// outside that set (a "..", an encoded slash, a dotfile, a subfolder) is a
// 404 and never reaches the file system. Bounded: at most kMaxFiles files per
// page and kMaxFileBytes per file (larger ones are skipped with a warning).
// Each answer has the Content-Type of its extension, X-Content-Type-Options
// nosniff, an ETag (a hash of the content) and Cache-Control no-cache, so a
// browser revalidates and gets a 304 while the file is unchanged.
//
// Thread safety: immutable after load(); serve() may be called from any thread.

#include "http/router.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace webgames::http {

class StaticPages {
 public:
  static constexpr std::size_t kMaxFiles = 256;
  static constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

  // Reads <root>/<page>/* for each page name. A page whose folder is missing
  // answers 404 (not_found, naming the folder) until the next start.
  static StaticPages load(const std::filesystem::path& root, const std::vector<std::string>& pages);

  // GET /<page> (its index.html) and GET /<page>/{file}, for every page.
  // REQUIRES: `this` outlives `router`.
  void add_routes(Router& router) const;

  // The answer for `file` of `page` ("" is index.html), honouring If-None-Match.
  Response serve(const Request& request, const std::string& page, std::string_view file) const;

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;  // "\"<hex>\""
  };
  struct Page {
    std::filesystem::path folder;
    bool found = false;
    std::map<std::string, File, std::less<>> files;
  };
  std::map<std::string, Page, std::less<>> pages_;
};

// The folder that holds the built pages when `[http] static_dir` is empty:
// "pages" beside the running webgames binary (the build tree's build/pages).
std::filesystem::path default_static_dir();

}  // namespace webgames::http
