// The output of stages built at the same time, in the order a sequential
// build prints it: the first stage not yet finished writes straight through
// (its RUN output live); the others' output is held until every stage before
// them has finished, then printed whole. A finished stage's later lines (the
// build's last step) go straight out.
#pragma once

#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace berth {

class StageOutput {
 public:
  // `built[i]`: whether stage i is built at all (the others count as finished).
  StageOutput(std::ostream* out, const std::vector<bool>& built);

  void write(size_t stage, const std::string& text);
  // Whether `stage`'s output goes straight out now (and will until it finishes).
  bool writes_through(size_t stage);
  // `stage` has written everything.
  void finish(size_t stage);
  // A failed build: everything held is printed, in stage order.
  void flush_all();

 private:
  void advance();  // past finished stages, printing what the next one held

  std::mutex mutex_;
  std::ostream* out_;
  std::vector<std::string> held_;
  std::vector<bool> finished_;
  size_t leading_ = 0;
};

}  // namespace berth
