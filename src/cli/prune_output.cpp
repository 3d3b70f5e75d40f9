#include "cli/prune_output.h"

#include <cctype>
#include <iostream>

#include "core/units.h"

namespace berth {

void print_deleted(const std::string& title, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::cout << title << "\n";
  for (const std::string& line : lines) std::cout << line << "\n";
  std::cout << "\n";
}

void print_reclaimed(int64_t bytes) {
  std::cout << "Total reclaimed space: " << human_size(static_cast<double>(bytes), 4) << "\n";
}

std::vector<std::string> image_prune_lines(std::vector<std::string> lines) {
  for (std::string& line : lines)
    if (!line.empty()) line[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[0])));
  return lines;
}

}  // namespace berth
