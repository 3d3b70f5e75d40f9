// Runs a build's stages as a DAG: each needed stage on a thread of its own
// once the stages it uses have finished, so independent stages build at the
// same time, at most `limit` at once. After a failure no new stage starts;
// the running ones see `stopping` and stop at their next step, and the first
// error is rethrown once all have returned.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

namespace berth {

struct StageGraph {
  std::vector<bool> needed;              // stages not needed count as finished
  std::vector<std::vector<size_t>> uses;  // uses[i]: the stages i waits for
};

// `build(i)` runs stage i (on its own thread); its exceptions stop the run.
void run_stages(const StageGraph& graph, size_t limit, const std::function<void(size_t)>& build,
                std::atomic<bool>& stopping);

// Stages at once by default: one per core, and two at least.
size_t default_stage_limit();

}  // namespace berth
