// HTTP/1.1 as the Engine API speaks it over a socket: a request read from a
// connection (request line, headers, a body by Content-Length or chunked) and a
// response written to it. Every size is bounded, so a client that sends a
// 1 GB header or stalls costs its own connection only.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"

namespace berth {

inline constexpr size_t kMaxHeaderBytes = 1 << 20;  // Go's http.DefaultMaxHeaderBytes, as dockerd

// A request the connection could not carry: answered with `status`, then closed.
class RequestError : public Error {
 public:
  RequestError(int status, const std::string& message) : Error(message, ErrorKind::invalid_argument), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  std::multimap<std::string, std::string> query;  // decoded names and values, in order
  std::map<std::string, std::string> headers;     // names lower-cased; repeated ones joined by ", "
  std::string body;
  bool keep_alive = true;

  std::string header(const std::string& lower_name, const std::string& fallback = "") const;
  // The last value of a query parameter, or nullopt.
  std::optional<std::string> param(const std::string& name) const;
};

// Reads requests from a connected socket; it keeps what was read past one
// request for the next (pipelining).
class RequestReader {
 public:
  RequestReader(int fd, size_t max_body) : fd_(fd), max_body_(max_body) {}
  // The next request, or nullopt when the peer closed between requests. Throws
  // RequestError for a malformed or oversized request and for a body cut short.
  std::optional<ReceivedRequest> next();

 private:
  bool fill();  // false at end of stream
  std::string read_line(size_t limit);
  std::string read_exactly(size_t n);
  std::string read_chunked();

  int fd_;
  size_t max_body_;
  std::string buffer_;
};

std::string percent_decode(std::string_view text);

// A response body written while it is produced (logs -f, events, a pull's
// progress), chunked; or, for a hijacked connection (attach, exec), the raw
// connection after a 101 or 200 header.
class ResponseStream {
 public:
  ResponseStream(int fd, bool chunked, std::string head) : fd_(fd), chunked_(chunked), head_(std::move(head)) {}
  // Sends the status line and headers unless they went out already; the
  // first write does it too. Until then a failure can still be an error reply.
  void start();
  bool started() const { return head_.empty(); }
  // Throws Error when the peer is gone.
  void write(std::string_view data);
  // True once the peer closed the connection (for a chunked stream: its side
  // of it) or it broke: a stream that only waits (wait, logs -f of a quiet
  // container) checks it to stop early.
  bool peer_closed() const;
  // For a raw stream's own writes: call start() first.
  int fd() const { return fd_; }

 private:
  int fd_;
  bool chunked_;
  std::string head_;  // the headers not yet sent
};

struct Reply {
  int status = 200;
  std::map<std::string, std::string> headers;  // as written; Content-Length is added
  std::string body;
  // When set, the body is what `stream` writes after the headers (which go
  // out with its first write, or when it calls start()); `body` is ignored.
  std::function<void(ResponseStream&)> stream;
  // With `stream`: the connection is handed over raw, no chunking, and closed after.
  bool hijack = false;
};

// "HTTP/1.1 404 Not Found" and the rest; with `head_only` the body is not sent.
// A stream that fails before it sent anything is answered with
// `error_reply(the exception)` instead, as moby answers an error before its
// first flush; once started, a failure ends the connection (rethrown).
void write_response(int fd, const Reply& response, bool head_only = false,
                    const std::function<Reply(const std::exception&)>& error_reply = nullptr);
const char* status_text(int status);

}  // namespace berth
