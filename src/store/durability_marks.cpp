#include "store/durability_marks.h"

#include "core/durability.h"

namespace berth {

void DurabilityMarks::mark(const char* kind, const std::string& key) {
  if (waits_for_disk()) return;
  db_.prepare("INSERT INTO unsynced(kind, key, boot_id) VALUES (?, ?, ?)").bind(1, kind).bind(2, key).bind(3, boot_id()).run();
  note_unsynced_writes(1);
}

int64_t DurabilityMarks::newest() {
  Statement s = db_.prepare("SELECT COALESCE(MAX(id), 0) FROM unsynced");
  return s.next() ? s.integer(0) : 0;
}

void DurabilityMarks::clear_through(int64_t newest) {
  db_.prepare("DELETE FROM unsynced WHERE id <= ?").bind(1, newest).run();
}

std::vector<DurabilityMark> DurabilityMarks::unverified(bool any_boot) {
  Statement s = db_.prepare("SELECT id, kind, key, boot_id FROM unsynced WHERE ?1 OR boot_id != ?2 ORDER BY id");
  s.bind(1, int64_t{any_boot}).bind(2, boot_id());
  std::vector<DurabilityMark> out;
  while (s.next()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

bool DurabilityMarks::any_from_earlier_boot() {
  if (newest() == 0) return false;  // the usual case reads no boot ID
  return db_.prepare("SELECT 1 FROM unsynced WHERE boot_id != ? LIMIT 1").bind(1, boot_id()).next();
}

void DurabilityMarks::clear(int64_t id) { db_.prepare("DELETE FROM unsynced WHERE id = ?").bind(1, id).run(); }

}  // namespace berth
