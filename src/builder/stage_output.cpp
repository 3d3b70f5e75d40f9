#include "builder/stage_output.h"

namespace berth {

StageOutput::StageOutput(std::ostream* out, const std::vector<bool>& built)
    : out_(out), held_(built.size()), finished_(built.size()) {
  for (size_t i = 0; i < built.size(); ++i) finished_[i] = !built[i];
  advance();
}

void StageOutput::write(size_t stage, const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stage > leading_) {
    held_[stage] += text;
  } else if (out_) {
    *out_ << text << std::flush;
  }
}

bool StageOutput::writes_through(size_t stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  return stage <= leading_;
}

void StageOutput::finish(size_t stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_[stage] = true;
  advance();
}

void StageOutput::flush_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = leading_; i < held_.size(); ++i) {
    if (out_) *out_ << held_[i];
    held_[i].clear();
  }
  if (out_) *out_ << std::flush;
  leading_ = held_.size();
}

void StageOutput::advance() {
  while (leading_ < finished_.size() && finished_[leading_]) {
    ++leading_;
    if (leading_ < held_.size() && out_) {
      *out_ << held_[leading_] << std::flush;
      held_[leading_].clear();
    }
  }
}

}  // namespace berth
