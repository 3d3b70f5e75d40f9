// moby's JSON message stream (pkg/jsonmessage), as pull, push, load and build
// answer: one JSON object per line — {"status", "id", "progressDetail",
// "progress"} for progress, {"stream"} for text, {"aux"} for a result, and
// {"errorDetail", "error"} for a failure after the stream began (the status
// line was already 200 by then).
#pragma once

#include <streambuf>
#include <string>

#include "api/http_message.h"
#include "core/image_config.h"
#include "registry/progress.h"

namespace berth {

class JsonProgress {
 public:
  explicit JsonProgress(ResponseStream& out) : out_(out) {}
  void layer(const LayerProgress& p);
  void status(const std::string& text, const std::string& id = "");
  void stream(const std::string& text);
  void aux(const Json& value);
  // `code`: a failed RUN's exit code, which the CLI exits with (0: none).
  void error(const std::string& message, int code = 0);
  ProgressFn callback() {
    return [this](const LayerProgress& p) { layer(p); };
  }

 private:
  void send(const Json& message);
  ResponseStream& out_;
};

// An ostream's text as {"stream"} messages, a line at a time (or what a
// flush leaves): the builder's step output.
class JsonStreamBuf : public std::streambuf {
 public:
  explicit JsonStreamBuf(JsonProgress& out) : out_(out) {}
  ~JsonStreamBuf() override;

 protected:
  int overflow(int c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  JsonProgress& out_;
  std::string pending_;
};

// A reply whose body is a JSON message stream written by `produce`; an
// exception it throws becomes the stream's error message.
Reply json_progress_reply(std::function<void(JsonProgress&)> produce);

}  // namespace berth
