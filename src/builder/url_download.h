// ADD of a URL: the file fetched (libcurl; a 2xx answer, redirects followed)
// into a directory, 0600 as Docker makes it, its time from Last-Modified,
// named after the URL's last path element ("download" when it has none).
#pragma once

#include <filesystem>
#include <string>

namespace berth {

// An http:// or https:// URL: what ADD downloads (or clones, git_source.h).
bool is_http_url(const std::string& arg);

// Returns the file's path in `dir`. Throws Error ("ADD failed: URL: …").
std::filesystem::path download_url(const std::string& url, const std::filesystem::path& dir);

}  // namespace berth
