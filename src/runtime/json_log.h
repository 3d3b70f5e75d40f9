// Container output in Docker's json-file log format, one JSON object per line:
// {"log":"hello\n","stream":"stdout","time":"2024-01-01T00:00:00.123456789Z"}.
// Lines are split at newlines; a line longer than 16 KiB is cut into pieces
// without the newline, as Docker does.
#pragma once

#include <string>
#include <string_view>

namespace berth {

class JsonLogWriter {
 public:
  explicit JsonLogWriter(int fd) : fd_(fd) {}
  // Buffers `data` from `stream` ("stdout"/"stderr") and writes whole lines.
  void write(const std::string& stream, std::string_view data);
  // Writes what is buffered even without a newline (at the end of output).
  void flush();

 private:
  void emit(const std::string& stream, std::string_view line);
  int fd_;
  std::string pending_[2];  // stdout, stderr
};

struct LogEntry {
  std::string log, stream, time;
};

// Parses one line of a json-file log; false when it is not one.
bool parse_log_line(std::string_view line, LogEntry* out);

}  // namespace berth
