// docker/cli's prune reports, shared by every prune command and `system prune`:
// a section "Deleted Containers:" with one line per object and a blank line
// after it (nothing when nothing went), then "Total reclaimed space: 1.2MB".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace berth {

void print_deleted(const std::string& title, const std::vector<std::string>& lines);
// units.HumanSize, as docker/cli prints it.
void print_reclaimed(int64_t bytes);
// "Untagged: x" / "Deleted: sha256:…" as image prune lists them: lower-case first letters.
std::vector<std::string> image_prune_lines(std::vector<std::string> removal_lines);

}  // namespace berth
