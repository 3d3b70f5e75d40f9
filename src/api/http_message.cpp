#include "api/http_message.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/ascii_case.h"
#include "core/fs.h"
#include "core/number.h"

namespace berth {

std::string ReceivedRequest::header(const std::string& lower_name, const std::string& fallback) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? fallback : it->second;
}

std::optional<std::string> ReceivedRequest::param(const std::string& name) const {
  auto [first, last] = query.equal_range(name);
  if (first == last) return std::nullopt;
  return std::prev(last)->second;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      if (auto v = try_parse_uint(text.substr(i + 1, 2), 16)) {
        out += static_cast<char>(*v);
        i += 2;
        continue;
      }
    }
    out += text[i] == '+' ? ' ' : text[i];
  }
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The path keeps '+' (only a query turns it into a space).
std::string decode_path(std::string_view path) {
  std::string out;
  size_t start = 0;
  for (size_t plus; (plus = path.find('+', start)) != std::string_view::npos; start = plus + 1)
    out += percent_decode(path.substr(start, plus - start)) + "+";
  return out + percent_decode(path.substr(start));
}

void parse_target(ReceivedRequest& r) {
  size_t q = r.target.find('?');
  r.path = decode_path(std::string_view(r.target).substr(0, q));
  if (q == std::string::npos) return;
  std::string_view rest = std::string_view(r.target).substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t eq = pair.find('=');
    if (!pair.empty())
      r.query.emplace(percent_decode(pair.substr(0, eq)),
                      eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

}  // namespace

bool RequestReader::fill() {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno != EINTR) return false;  // a reset connection ends like a closed one
  }
}

std::string RequestReader::read_line(size_t limit) {
  for (size_t scanned = 0;;) {
    size_t nl = buffer_.find('\n', scanned);
    if (nl != std::string::npos) {
      if (nl + 1 > limit) throw RequestError(431, "request header too large");
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    scanned = buffer_.size();
    if (scanned > limit) throw RequestError(431, "request header too large");
    if (!fill()) throw RequestError(400, "connection closed in the middle of a request");
  }
}

bool RequestReader::next_chunk() {
  if (chunk_data_ended_ && !read_line(2).empty()) throw RequestError(400, "malformed chunk");
  chunk_data_ended_ = false;
  std::string line = read_line(1024);
  std::string_view size_text = trim(std::string_view(line).substr(0, line.find(';')));
  auto size = try_parse_uint(size_text, 16);
  if (!size || size_text.empty()) throw RequestError(400, "malformed chunk size");
  if (*size > 0) {
    left_ = *size;
    return true;
  }
  while (!read_line(kMaxHeaderBytes).empty()) {  // trailers, ignored
  }
  return false;
}

size_t RequestReader::read_body_bytes(void* buf, size_t size) {
  if (framing_ == Framing::none || size == 0) return 0;
  if (continue_pending_) {
    continue_pending_ = false;
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    write_all(fd_, kContinue, sizeof kContinue - 1, "the API connection");
  }
  if (left_ == 0) {
    if (framing_ == Framing::length || !next_chunk()) {
      framing_ = Framing::none;
      return 0;
    }
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(size, left_));
  size_t got = 0;
  if (!buffer_.empty()) {
    got = std::min(want, buffer_.size());
    std::memcpy(buf, buffer_.data(), got);
    buffer_.erase(0, got);
  } else {
    // Straight from the socket: a large body is not copied through the buffer.
    for (;;) {
      ssize_t n = ::read(fd_, buf, want);
      if (n > 0) {
        got = static_cast<size_t>(n);
        break;
      }
      if (n < 0 && errno == EINTR) continue;
      throw RequestError(400, "request body cut short");
    }
  }
  left_ -= got;
  if (left_ == 0 && framing_ == Framing::chunked) chunk_data_ended_ = true;
  return got;
}

size_t RequestReader::read_body_bytes_or_break(void* buf, size_t size) {
  if (broken_) throw RequestError(400, "request body unreadable");
  try {
    return read_body_bytes(buf, size);
  } catch (const RequestError&) {
    broken_ = true;
    throw;
  }
}

void RequestReader::read_body(ReceivedRequest& request) {
  if (framing_ == Framing::length && left_ > max_body_) throw RequestError(413, "request body too large");
  char chunk[65536];
  while (size_t n = read_body_bytes_or_break(chunk, sizeof chunk)) {
    if (n > max_body_ - request.body.size()) throw RequestError(413, "request body too large");
    request.body.append(chunk, n);
  }
}

bool RequestReader::finish_body() {
  // A body the client has not sent yet (it waits for a 100) may never come.
  if (continue_pending_ || broken_) return false;
  char chunk[65536];
  try {
    for (size_t discarded = 0; framing_ != Framing::none; discarded += sizeof chunk) {
      if (discarded >= (256u << 10)) return false;
      if (read_body_bytes(chunk, sizeof chunk) == 0) break;
    }
  } catch (const RequestError&) {
    return false;  // malformed or cut short after the reply went out: only the connection ends
  }
  return true;
}

std::optional<ReceivedRequest> RequestReader::next() {
  // Blank lines before a request are allowed (RFC 9112 §2.2).
  while (buffer_.empty() || buffer_.front() == '\r' || buffer_.front() == '\n') {
    if (!buffer_.empty()) {
      buffer_.erase(0, 1);
      continue;
    }
    if (!fill()) return std::nullopt;
  }
  size_t header_budget = kMaxHeaderBytes;
  auto line = [&] {
    std::string l = read_line(header_budget);
    header_budget -= std::min(header_budget, l.size() + 2);
    return l;
  };
  ReceivedRequest r;
  std::string request_line = line();
  size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) throw RequestError(400, "malformed request line");
  r.method = request_line.substr(0, sp1);
  r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string version = request_line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") throw RequestError(505, "unsupported protocol " + version);
  if (r.target.empty() || r.target.front() != '/') throw RequestError(400, "malformed request target");
  parse_target(r);
  for (std::string h; !(h = line()).empty();) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) throw RequestError(400, "malformed header line");
    std::string name = ascii_lower(h.substr(0, colon));
    std::string value(trim(std::string_view(h).substr(colon + 1)));
    auto [it, added] = r.headers.emplace(name, value);
    if (!added) it->second += ", " + value;
  }
  std::string connection = ascii_lower(r.header("connection"));
  r.keep_alive = version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive";
  chunk_data_ended_ = false;
  left_ = 0;
  continue_pending_ = false;
  if (ascii_lower(r.header("transfer-encoding")).find("chunked") != std::string::npos) {
    framing_ = Framing::chunked;
  } else if (auto length = r.headers.find("content-length"); length != r.headers.end()) {
    auto n = try_parse_uint(length->second);
    if (!n) throw RequestError(400, "malformed Content-Length");
    framing_ = Framing::length;
    left_ = *n;
  }
  if (framing_ != Framing::none && ascii_lower(r.header("expect")) == "100-continue" && version == "HTTP/1.1")
    continue_pending_ = !(framing_ == Framing::length && left_ == 0);
  return r;
}

const char* status_text(int status) {
  switch (status) {
    case 101: return "UPGRADED";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Request Entity Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

void ResponseStream::start() {
  if (head_.empty()) return;
  std::string head = std::move(head_);
  head_.clear();
  write_all(fd_, head.data(), head.size(), "the API connection");
}

void ResponseStream::write(std::string_view data) {
  start();
  if (data.empty()) return;  // an empty chunk would end a chunked body
  if (!chunked_) {
    write_all(fd_, data.data(), data.size(), "the API connection");
    return;
  }
  char size[24];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string chunk(size, static_cast<size_t>(n));
  chunk.append(data);
  chunk += "\r\n";
  write_all(fd_, chunk.data(), chunk.size(), "the API connection");
}

bool ResponseStream::peer_closed() const {
  pollfd p{fd_, POLLRDHUP, 0};
  // A hijacked client half-closes when it has no stdin to send: only a full
  // close ends it. An HTTP client never half-closes.
  short gone = chunked_ ? POLLRDHUP | POLLHUP | POLLERR : POLLHUP | POLLERR;
  return ::poll(&p, 1, 0) > 0 && (p.revents & gone) != 0;
}

void write_response(int fd, const Reply& response, bool head_only,
                    const std::function<Reply(const std::exception&)>& error_reply) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + status_text(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (response.stream && !head_only) {
    if (!response.hijack) out += "Transfer-Encoding: chunked\r\n";
    out += "\r\n";
    ResponseStream stream(fd, !response.hijack, std::move(out));
    try {
      response.stream(stream);
    } catch (const std::exception& e) {
      if (stream.started() || !error_reply) throw;
      write_response(fd, error_reply(e));
      return;
    }
    stream.start();
    if (!response.hijack) write_all(fd, "0\r\n\r\n", 5, "the API connection");
    return;
  }
  bool bodiless = response.status == 204 || response.status == 304;
  if (!bodiless) out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  out += "\r\n";
  if (!head_only && !bodiless) out += response.body;
  write_all(fd, out.data(), out.size(), "the API connection");
}

}  // namespace berth
