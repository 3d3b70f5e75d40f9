#include "runtime/json_log.h"

#include "core/fs.h"
#include "core/image_config.h"
#include "core/timestamp.h"

namespace berth {

namespace {
constexpr size_t kMaxLine = 16 * 1024;
}

void JsonLogWriter::write(const std::string& stream, std::string_view data) {
  std::string& pending = pending_[stream == "stderr" ? 1 : 0];
  pending.append(data);
  size_t start = 0;
  for (;;) {
    size_t nl = pending.find('\n', start);
    if (nl == std::string::npos) break;
    emit(stream, std::string_view(pending).substr(start, nl - start + 1));
    start = nl + 1;
  }
  pending.erase(0, start);
  while (pending.size() >= kMaxLine) {
    emit(stream, std::string_view(pending).substr(0, kMaxLine));
    pending.erase(0, kMaxLine);
  }
}

void JsonLogWriter::flush() {
  for (int i = 0; i < 2; ++i) {
    if (!pending_[i].empty()) emit(i ? "stderr" : "stdout", pending_[i]);
    pending_[i].clear();
  }
}

void JsonLogWriter::emit(const std::string& stream, std::string_view line) {
  Json j = Json::object();
  j["log"] = std::string(line);
  j["stream"] = stream;
  j["time"] = rfc3339_nano(now_unix_nanos());
  std::string out = j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  write_all(fd_, out.data(), out.size(), "container log");
}

bool parse_log_line(std::string_view line, LogEntry* out) {
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  out->log = j.value("log", "");
  out->stream = j.value("stream", "stdout");
  out->time = j.value("time", "");
  return true;
}

}  // namespace berth
