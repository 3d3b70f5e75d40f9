#include "builder/url_download.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "core/error.h"
#include "core/fs.h"
#include "registry/http_client.h"

namespace berth {

bool is_http_url(const std::string& arg) { return arg.starts_with("http://") || arg.starts_with("https://"); }

std::filesystem::path download_url(const std::string& url, const std::filesystem::path& dir) {
  std::string path = url.substr(url.find("://") + 3);
  path = path.substr(0, path.find_first_of("?#"));
  std::string name = path.find('/') == std::string::npos ? "" : path.substr(path.rfind('/') + 1);
  if (name.empty()) name = "download";  // Docker's fallback for a URL ending in '/'
  std::filesystem::path file = dir / name;
  UniqueFd out = open_or_throw(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  HttpClient http;
  HttpRequest request;
  request.url = url;
  request.on_body = [&](long, const char* data, size_t n) { write_all(out.get(), data, n, file.string()); };
  HttpResponse response;
  try {
    response = http.send(request);
  } catch (const Error& e) {
    throw Error("ADD failed: " + url + ": " + e.what());
  }
  if (!response.ok()) throw Error("ADD failed: " + url + ": HTTP " + std::to_string(response.status));
  struct tm tm = {};
  std::string modified = response.header("last-modified");
  if (!modified.empty() && ::strptime(modified.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
    timespec times[2] = {{::timegm(&tm), 0}, {::timegm(&tm), 0}};
    ::futimens(out.get(), times);
  }
  return file;
}

}  // namespace berth
