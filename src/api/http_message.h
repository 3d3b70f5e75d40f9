// HTTP/1.1 as the Engine API speaks it over a socket: a request read from a
// connection (request line, headers, a body by Content-Length or chunked) and a
// response written to it. Headers and bodies held in memory are bounded, so a
// client that sends a 1 GB header or stalls costs its own connection only;
// the bodies that may be large (a build context, an image archive) are read
// as they arrive instead.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/byte_reader.h"
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
  std::string body;                   // the body, when it is read whole (RequestReader::read_body)
  ByteReader* body_stream = nullptr;  // or the body as it arrives (RequestReader::body)
  bool keep_alive = true;

  std::string header(const std::string& lower_name, const std::string& fallback = "") const;
  // The last value of a query parameter, or nullopt.
  std::optional<std::string> param(const std::string& name) const;
};

// Reads requests from a connected socket; it keeps what was read past one
// request for the next (pipelining). next() reads a request's line and
// headers; its body is read next, whole (read_body) or as a stream (body).
class RequestReader {
 public:
  RequestReader(int fd, size_t max_buffered_body) : fd_(fd), max_body_(max_buffered_body), stream_(*this) {}
  // The next request's head, or nullopt when the peer closed between requests.
  // Throws RequestError for a malformed or oversized request.
  std::optional<ReceivedRequest> next();
  // The body into request.body: 413 beyond the bound, 400 when cut short.
  void read_body(ReceivedRequest& request);
  // The body as it arrives, chunked encoding removed, unbounded; a body cut
  // short is a RequestError (400) from its read().
  ByteReader& body() { return stream_; }
  // After the reply: discards what the handler left of the body, up to 256 KiB
  // as Go's server does; false when more is left (the connection must close).
  bool finish_body();

 private:
  class BodyStream : public ByteReader {
   public:
    explicit BodyStream(RequestReader& reader) : reader_(reader) {}
    size_t read(void* buf, size_t size) override { return reader_.read_body_bytes_or_break(buf, size); }

   private:
    RequestReader& reader_;
  };

  bool fill();  // false at end of stream
  std::string read_line(size_t limit);
  size_t read_body_bytes(void* buf, size_t size);
  // read_body_bytes, and a body that failed stays failed: nothing after it
  // on the connection can be framed, so finish_body() says close.
  size_t read_body_bytes_or_break(void* buf, size_t size);
  bool next_chunk();  // false after the last chunk (and its trailers)

  int fd_;
  size_t max_body_;
  std::string buffer_;
  BodyStream stream_;
  // The body being read: bytes left of it (Content-Length) or of its current chunk.
  enum class Framing { none, length, chunked } framing_ = Framing::none;
  uint64_t left_ = 0;
  bool chunk_data_ended_ = false;  // a chunk's data read: its CRLF is next
  // "Expect: 100-continue": the client waits for a "100 Continue" before it
  // sends the body, which goes out when the handler first reads it (as Go's server).
  bool continue_pending_ = false;
  bool broken_ = false;
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
