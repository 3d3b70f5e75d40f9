#include "api/json_progress.h"

#include "core/go_json.h"

namespace berth {

void JsonProgress::send(const Json& message) {
  out_.write(go_escape_html(message.dump(-1, ' ', false, Json::error_handler_t::replace)) + "\r\n");
}

void JsonProgress::layer(const LayerProgress& p) {
  Json detail = Json::object();
  if (p.current >= 0) detail["current"] = p.current;
  if (p.total > 0) detail["total"] = p.total;
  Json m = {{"status", p.status}, {"progressDetail", detail}};
  if (std::string bar = progress_bar(p); !bar.empty()) m["progress"] = bar;
  m["id"] = p.id;
  send(m);
}

void JsonProgress::status(const std::string& text, const std::string& id) {
  Json m = {{"status", text}};
  if (!id.empty()) m["id"] = id;
  send(m);
}

void JsonProgress::stream(const std::string& text) { send(Json{{"stream", text}}); }

void JsonProgress::aux(const Json& value) { send(Json{{"progressDetail", Json::object()}, {"aux", value}}); }

void JsonProgress::error(const std::string& message, int code) {
  Json detail = {{"message", message}};
  if (code != 0) detail = {{"code", code}, {"message", message}};
  send(Json{{"errorDetail", detail}, {"error", message}});
}

JsonStreamBuf::~JsonStreamBuf() {
  try {
    sync();
  } catch (const std::exception&) {
    // the client is gone; so is the rest of the output
  }
}

int JsonStreamBuf::overflow(int c) {
  if (c == traits_type::eof()) return 0;
  char ch = static_cast<char>(c);
  xsputn(&ch, 1);
  return c;
}

std::streamsize JsonStreamBuf::xsputn(const char* s, std::streamsize n) {
  pending_.append(s, static_cast<size_t>(n));
  size_t end = pending_.rfind('\n');
  if (end != std::string::npos) {
    out_.stream(pending_.substr(0, end + 1));
    pending_.erase(0, end + 1);
  }
  return n;
}

int JsonStreamBuf::sync() {
  if (!pending_.empty()) out_.stream(pending_);
  pending_.clear();
  return 0;
}

Reply json_progress_reply(std::function<void(JsonProgress&)> produce) {
  Reply r;
  r.headers["Content-Type"] = "application/json";
  r.stream = [produce = std::move(produce)](ResponseStream& out) {
    JsonProgress progress(out);
    try {
      produce(progress);
    } catch (const std::exception& e) {
      if (!out.started()) throw;  // nothing sent yet: an error reply, as moby's
      progress.error(e.what());
    }
  };
  return r;
}

}  // namespace berth
