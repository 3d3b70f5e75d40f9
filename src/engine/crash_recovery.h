// After a machine stopped before the disk caught up (--sync=normal,
// core/durability.h): every layer and blob still marked not known durable
// (store/durability_marks.h) is verified before anything uses it. A layer whose
// compressed archive is kept and intact is extracted again — its files may be
// torn though its archive is not — so it is repaired, not lost. Anything that
// fails is removed with every image that uses it (their names, build-cache
// entries and stopped containers too), and reported: never served.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct RecoveryReport {
  int64_t repaired = 0;  // layers extracted again from their kept archive
  std::vector<std::string> lost;      // "image web:1 (sha256:…) was lost in a crash: pull it again"
  std::vector<std::string> problems;  // what could not be removed (a running container uses it)
};

// Verifies the marks of earlier boots, removes what failed, and clears the
// marks. Needs the store locked exclusively. (This boot's marks need no
// verification: their files are whole in the page cache; a sync clears them.)
// No container runs on what it repairs: a boot ID changes only with a reboot.
RecoveryReport recover_unverified(Store& store);

// Store::set_crash_recovery's hook for a program: recovers, and prints each
// loss on stderr in one line.
void recover_after_crash(Store& store);

}  // namespace berth
