#include "registry/http_client.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "core/ascii_case.h"
#include "core/ascii_space.h"
#include "registry/curl_library.h"

namespace berth {
namespace {

struct Transfer {
  const HttpRequest& req;
  HttpResponse& resp;
  CURL* curl;
  std::exception_ptr error;
  bool too_large = false;
};

size_t on_header(char* data, size_t, size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->resp.headers.clear();  // a new response: a redirect or 100 Continue came before
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->resp.headers.emplace_back(ascii_lower(std::string(line.substr(0, colon))), trim_ascii_space(line.substr(colon + 1)));
  }
  return n;
}

size_t on_write(char* data, size_t, size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  long status = 0;
  CurlLibrary::get().easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->req.on_body && status >= 200 && status < 300) {
    try {
      t->req.on_body(status, data, n);
    } catch (...) {
      t->error = std::current_exception();
      return 0;  // aborts the transfer
    }
    return n;
  }
  if (t->resp.body.size() + n > HttpClient::kMaxBodyInMemory) {
    t->too_large = true;
    return 0;
  }
  t->resp.body.append(data, n);
  return n;
}

size_t on_read(char* buf, size_t size, size_t n, void* p) {
  auto* t = static_cast<Transfer*>(p);
  try {
    return t->req.upload->read(buf, size * n);
  } catch (...) {
    t->error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

}  // namespace

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string HttpResponse::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->first == name) return it->second;
  return "";
}

HttpClient::HttpClient() : curl_(CurlLibrary::get().easy_init()) {
  if (!curl_) throw Error("libcurl: cannot create a handle");
}

HttpClient::~HttpClient() { CurlLibrary::get().easy_cleanup(curl_); }

HttpResponse HttpClient::send(const HttpRequest& req) {
  const CurlLibrary& c = CurlLibrary::get();
  HttpResponse resp;
  Transfer t{req, resp, curl_, nullptr};
  c.easy_reset(curl_);  // keeps the connection cache, forgets the last request's options
  c.easy_setopt(curl_, CURLOPT_URL, req.url.c_str());
  c.easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
  c.easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
  c.easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  c.easy_setopt(curl_, CURLOPT_MAXREDIRS, 10L);
  c.easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  c.easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 30L);
  // A connection that moves less than 1 byte/s for 60 s is dead: retry it.
  c.easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
  c.easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 60L);
  c.easy_setopt(curl_, CURLOPT_USERAGENT, "berth/0.1");
  c.easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &on_header);
  c.easy_setopt(curl_, CURLOPT_HEADERDATA, &t);
  c.easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &on_write);
  c.easy_setopt(curl_, CURLOPT_WRITEDATA, &t);
  if (!req.verify_tls) {
    c.easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
    c.easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  curl_slist* headers = c.slist_append(nullptr, "Expect:");  // no 100-continue round trip
  for (const std::string& h : req.headers) headers = c.slist_append(headers, h.c_str());
  c.easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);

  if (req.method == "HEAD") {
    c.easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  } else if (req.upload) {
    c.easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    c.easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.upload_size));
    c.easy_setopt(curl_, CURLOPT_READFUNCTION, &on_read);
    c.easy_setopt(curl_, CURLOPT_READDATA, &t);
    c.easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    c.easy_setopt(curl_, CURLOPT_POSTFIELDS, req.body.data());
    c.easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    c.easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  CURLcode rc = c.easy_perform(curl_);
  c.slist_free_all(headers);
  if (t.error) std::rethrow_exception(t.error);
  if (t.too_large) throw Error(req.url + ": response larger than " + std::to_string(kMaxBodyInMemory) + " bytes");
  if (rc != CURLE_OK) throw TransportError(req.method + " " + req.url + ": " + c.easy_strerror(rc));
  c.easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &resp.status);
  char* url = nullptr;
  c.easy_getinfo(curl_, CURLINFO_EFFECTIVE_URL, &url);
  if (url) resp.url = url;
  return resp;
}

}  // namespace berth
