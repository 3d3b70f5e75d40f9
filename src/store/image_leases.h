// Leases (containerd's word): an image a running command still needs — a
// build's newest step image, untagged and childless until the next step
// stands on it — kept from `image prune` until that command ends. A lease
// names its holder by pid and start time, so one left by a killed command
// (or a pid reused since) holds nothing.
#pragma once

#include <string>

#include "core/digest.h"
#include "store/database.h"

namespace berth {

class ImageLeases {
 public:
  explicit ImageLeases(Database& db) : db_(db) {}

  // For `holder` (a random name per build) in this process; inside the
  // transaction that makes the image, so no prune sees it unleased.
  void take(const Digest& image, const std::string& holder);
  // The holder's leases, and any whose process is gone.
  void release(const std::string& holder);
  // Whether a live process holds `image`.
  bool held(const Digest& image);

 private:
  Database& db_;
};

// A holder's name for one command (a build), its leases released when it goes
// out of scope — after the command has tagged what it made.
class ScopedLease {
 public:
  explicit ScopedLease(Database& db);
  ~ScopedLease();
  ScopedLease(const ScopedLease&) = delete;
  const std::string& name() const { return name_; }

 private:
  Database& db_;
  std::string name_;
};

}  // namespace berth
