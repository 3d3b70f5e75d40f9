// Draws pull/push progress the way the docker CLI does: on a terminal one
// line per layer, redrawn in place, with a bar while bytes move; otherwise
// one plain line per status change ("a3ed95caeb02: Pull complete"), no bars.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "registry/progress.h"

namespace berth {

class ProgressPrinter {
 public:
  // quiet: print nothing. tty: redraw lines in place.
  ProgressPrinter(std::ostream& out, bool tty, bool quiet) : out_(out), tty_(tty), quiet_(quiet) {}

  void layer(const LayerProgress& p);
  void line(const std::string& text);  // a line of its own (Digest:, Status:)
  ProgressFn callback() {
    return [this](const LayerProgress& p) { layer(p); };
  }

  // "Downloading [=====>      ]  1.2MB/3.4MB", Docker's 50-column bar.
  static std::string bar(const LayerProgress& p);

 private:
  std::ostream& out_;
  bool tty_, quiet_;
  std::vector<std::string> ids_;  // in order of first appearance: line positions
  std::map<std::string, std::string> status_;
};

}  // namespace berth
