#include "cli/progress_printer.h"

#include <algorithm>

namespace berth {

std::string ProgressPrinter::bar(const LayerProgress& p) {
  std::string b = progress_bar(p);
  return b.empty() ? p.status : p.status + " " + b;
}

void ProgressPrinter::layer(const LayerProgress& p) {
  if (quiet_) return;
  if (!tty_) {
    // Plain output: status changes only, never byte counts.
    if (p.current >= 0) return;
    auto it = status_.find(p.id);
    if (it != status_.end() && it->second == p.status) return;
    status_[p.id] = p.status;
    out_ << p.id << ": " << p.status << "\n" << std::flush;
    return;
  }
  auto pos = std::find(ids_.begin(), ids_.end(), p.id);
  std::string text = p.id + ": " + bar(p);
  if (pos == ids_.end()) {
    ids_.push_back(p.id);
    out_ << text << "\n" << std::flush;
    return;
  }
  size_t up = static_cast<size_t>(ids_.end() - pos);
  // Up to the layer's line, clear it, write, and back down.
  out_ << "\033[" << up << "A\r\033[2K" << text << "\033[" << up << "B\r" << std::flush;
}

void ProgressPrinter::line(const std::string& text) {
  if (quiet_) return;
  out_ << text << "\n" << std::flush;
}

}  // namespace berth
