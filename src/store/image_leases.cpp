#include "store/image_leases.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/fs.h"

namespace berth {
namespace {

// A process's start time in clock ticks since boot (/proc/PID/stat, field
// 22); 0 when it is gone.
int64_t start_time_of(int64_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), {});
  size_t paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return 0;
  std::istringstream rest(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 22 && rest >> field; ++i)
    if (i == 22) return std::stoll(field);
  return 0;
}

bool alive(int64_t pid, int64_t started) { return started != 0 && start_time_of(pid) == started; }

}  // namespace

void ImageLeases::take(const Digest& image, const std::string& holder) {
  int64_t pid = ::getpid();
  db_.prepare("INSERT INTO leases(image_id, holder, pid, started) VALUES(?1, ?2, ?3, ?4)")
      .bind(1, image.str())
      .bind(2, holder)
      .bind(3, pid)
      .bind(4, start_time_of(pid))
      .run();
}

void ImageLeases::release(const std::string& holder) {
  db_.prepare("DELETE FROM leases WHERE holder = ?").bind(1, holder).run();
  std::vector<std::pair<int64_t, int64_t>> processes;
  Statement s = db_.prepare("SELECT DISTINCT pid, started FROM leases");
  while (s.next()) processes.emplace_back(s.integer(0), s.integer(1));
  for (const auto& [pid, started] : processes)
    if (!alive(pid, started))
      db_.prepare("DELETE FROM leases WHERE pid = ?1 AND started = ?2").bind(1, pid).bind(2, started).run();
}

bool ImageLeases::held(const Digest& image) {
  Statement s = db_.prepare("SELECT pid, started FROM leases WHERE image_id = ?");
  s.bind(1, image.str());
  while (s.next())
    if (alive(s.integer(0), s.integer(1))) return true;
  return false;
}

ScopedLease::ScopedLease(Database& db) : db_(db), name_("lease-" + random_hex(16)) {}

ScopedLease::~ScopedLease() {
  try {
    ImageLeases(db_).release(name_);
  } catch (...) {
    // what is left holds nothing once this process is gone
  }
}

}  // namespace berth
