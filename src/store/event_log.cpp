#include "store/event_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/timestamp.h"

namespace berth {

namespace {

constexpr off_t kRotateBytes = 16 << 20;

std::filesystem::path log_path(const std::filesystem::path& root) { return root / "events.log"; }

void read_all(int fd, std::string& into) {
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) into.append(buf, static_cast<size_t>(n));
}

void take_lines(std::string& carry, std::vector<Json>& out) {
  size_t start = 0;
  for (size_t nl; (nl = carry.find('\n', start)) != std::string::npos; start = nl + 1) {
    Json e = Json::parse(carry.substr(start, nl - start), nullptr, false);
    if (e.is_object()) out.push_back(std::move(e));
  }
  carry.erase(0, start);
}

}  // namespace

void record_event(const std::filesystem::path& root, const std::string& type, const std::string& action,
                  const std::string& actor_id, const Json& attributes) {
  int64_t now = now_unix_nanos();
  Json e = Json::object();
  // moby keeps the pre-1.22 fields for containers and images.
  if (type == "container" || type == "image") {
    e["status"] = action;
    e["id"] = actor_id;
    if (type == "container" && attributes.contains("image")) e["from"] = attributes["image"];
  }
  e["Type"] = type;
  e["Action"] = action;
  e["Actor"] = {{"ID", actor_id}, {"Attributes", attributes}};
  e["scope"] = "local";
  e["time"] = now / 1000000000;
  e["timeNano"] = now;
  std::string line = e.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::filesystem::path path = log_path(root);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return;
  UniqueFd owned(fd);
  struct stat st{};
  if (::fstat(fd, &st) == 0 && st.st_size > kRotateBytes) {
    std::error_code ec;
    std::filesystem::rename(path, root / "events.log.1", ec);  // this line goes to the old one, the next to a new log
  }
  [[maybe_unused]] ssize_t n = ::write(fd, line.data(), line.size());
}

void record_container_event(const std::filesystem::path& root, const ContainerRecord& c, const std::string& action,
                            Json extra) {
  Json attributes = Json::object();
  const Json labels = c.config.value("Config", Json::object()).value("Labels", Json::object());
  if (labels.is_object())
    for (const auto& [k, v] : labels.items()) attributes[k] = v;
  for (const auto& [k, v] : extra.items()) attributes[k] = v;
  attributes["image"] = c.image;
  attributes["name"] = c.name;
  record_event(root, "container", action, c.id, attributes);
}

void EventLogReader::skip_to_end() {
  started_ = true;
  fd_ = UniqueFd(::open(log_path(root_).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd_.get() < 0) return;  // none yet: read_new opens it when it appears
  struct stat st{};
  ::fstat(fd_.get(), &st);
  inode_ = st.st_ino;
  ::lseek(fd_.get(), 0, SEEK_END);
}

std::vector<Json> EventLogReader::read_new() {
  std::vector<Json> out;
  if (!started_) {
    started_ = true;
    UniqueFd old(::open((root_ / "events.log.1").c_str(), O_RDONLY | O_CLOEXEC));
    if (old.get() >= 0) {
      std::string text;
      read_all(old.get(), text);
      take_lines(text, out);
    }
  }
  struct stat now{};
  bool rotated = ::stat(log_path(root_).c_str(), &now) == 0 && now.st_ino != inode_;
  if (fd_.get() >= 0 && rotated) {  // finish the old file, then follow the new one
    read_all(fd_.get(), carry_);
    take_lines(carry_, out);
    carry_.clear();
    fd_ = UniqueFd();
  }
  if (fd_.get() < 0) {
    fd_ = UniqueFd(::open(log_path(root_).c_str(), O_RDONLY | O_CLOEXEC));
    if (fd_.get() < 0) return out;
    struct stat st{};
    ::fstat(fd_.get(), &st);
    inode_ = st.st_ino;
  }
  read_all(fd_.get(), carry_);
  take_lines(carry_, out);
  return out;
}

}  // namespace berth
