#include "registry/progress.h"

#include <algorithm>

#include "core/units.h"

namespace berth {

std::string progress_bar(const LayerProgress& p) {
  if (p.current < 0) return "";
  if (p.total <= 0) return human_size(static_cast<double>(p.current), 4);
  constexpr int kWidth = 50;
  int filled = static_cast<int>(std::min<int64_t>(kWidth, p.current * kWidth / p.total));
  std::string b(static_cast<size_t>(filled), '=');
  if (filled < kWidth) b += '>';
  b.resize(kWidth, ' ');
  return "[" + b + "]  " + human_size(static_cast<double>(p.current), 4) + "/" + human_size(static_cast<double>(p.total), 4);
}

}  // namespace berth
