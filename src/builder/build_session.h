// What the steps of one build share: the store, the options, the context,
// the plan, the stages built so far, the output, the cache (its key and
// --cache-from), the lock file, and how a step is committed as an image.
// Each stage builds on a thread of its own (stage_scheduler.h) with a
// StageState of its own; what the threads share is behind the mutexes here.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "builder/base_lock.h"
#include "builder/build_context.h"
#include "builder/build_plan.h"
#include "builder/cache_export.h"
#include "builder/cache_import.h"
#include "builder/cache_upload_ahead.h"
#include "builder/context_hash_ahead.h"
#include "store/file_digest_cache.h"
#include "builder/image_builder.h"
#include "builder/stage_output.h"
#include "builder/step_cache.h"
#include "builder/working_layer.h"
#include "store/store.h"

namespace berth {

// One stage's build on its thread: its own store connection (SQLite
// connections are not shared between threads), its step numbers, its
// remembered file digests.
struct StageRun {
  Store& store;
  size_t stage;  // its index: where its output goes
  size_t step;   // the number of its last "Step N/M" line
  std::optional<FileDigestCache> digests;  // made at its first COPY from the context
};

// Where a stage stands: the image its last step made, and what is in scope.
struct StageState {
  StageRun* run = nullptr;      // the build of the stage this state is in
  std::optional<Digest> image;  // none: FROM scratch and no step yet
  std::string key;              // the last step's cache key (base_key before the first): the next chains from it
  Json doc = Json::object();
  std::vector<Digest> diff_ids;
  std::optional<Digest> top;
  // Steps taken from a shared cache whose layers are not here yet (image and
  // top above already name what they will be): fetched when something needs
  // the stage's files (BuildSession::materialize), else never.
  struct PendingStep {
    FoundStep step;
    std::optional<Digest> parent;
  };
  std::vector<PendingStep> pending;
  std::map<std::string, std::string> args;  // declared in this stage, with their values
  std::vector<std::string> arg_order;        // their names as declared, again when declared again (RUN's history)
  bool cmd_set = false;                      // CMD given in this stage (ENTRYPOINT keeps it then)
  Json& config() { return doc["config"]; }
  const Json& config() const { return doc["config"]; }
};

// What a step records (BuildSession::commit).
struct StepCommit {
  std::string created_by;             // its history line ("": no history entry)
  WorkingLayer* layer = nullptr;      // its changes, or none: a config-only step
  std::string cache_key;              // "": not cached
  bool empty_layer = true;            // history's empty_layer
  std::string layer_name;             // names the layer in errors ("RUN step 3")
  const CacheFromStep* restored = nullptr;  // a --cache-from image's step, reused

  // A step that changes only the config (history's empty_layer).
  static StepCommit config_only(std::string created_by, std::string cache_key) {
    StepCommit c;
    c.created_by = std::move(created_by);
    c.cache_key = std::move(cache_key);
    return c;
  }
  // A step whose changes in `layer` become a new layer, named `layer_name` in errors.
  static StepCommit with_layer(std::string created_by, WorkingLayer& layer, std::string cache_key,
                               std::string layer_name) {
    StepCommit c = config_only(std::move(created_by), std::move(cache_key));
    c.layer = &layer;
    c.empty_layer = false;
    c.layer_name = std::move(layer_name);
    return c;
  }
  // A --cache-from image's step, taken as it is.
  static StepCommit reused(std::string created_by, std::string cache_key, const CacheFromStep& step) {
    StepCommit c = config_only(std::move(created_by), std::move(cache_key));
    c.empty_layer = step.entry.value("empty_layer", false);
    c.restored = &step;
    return c;
  }
};

class BuildSession {
 public:
  BuildSession(Store& store, const BuildOptions& options, BuildPlan plan);

  Store& store() { return store_; }
  const BuildOptions& options() const { return o_; }
  const BuildContext& context() const { return context_; }
  ContextHashAhead& hash_ahead() { return *hash_ahead_; }
  const BuildPlan& plan() const { return plan_; }
  StageOutput& output() { return *output_; }
  std::atomic<bool>& stopping() { return stopping_; }

  // A finished stage, for the stages that use it (written once, by its own thread).
  StageState& built(size_t stage) { return built_.at(stage); }
  // A copy of a finished stage, for a stage built on it: taken under the lock
  // another stage's materialize(built(stage)) holds while it clears pending.
  StageState snapshot(size_t stage);

  void say(const StageState& st, const std::string& line);  // a line of its stage's output
  void warn(const std::string& line);                       // to stderr
  void consume_build_arg(const std::string& name);
  std::vector<std::string> unused_build_args() const;

  // The image a FROM names (pinned by the lock file, or resolved and recorded).
  Digest resolve_base(const std::string& name, const Reference& ref);
  // An image a COPY --from or RUN --mount from= names (pulled when missing).
  Digest resolve_image(const std::string& name);
  // The top layer and identity of what `ref` names from `stage`: an earlier
  // stage (as built so far: its last step's key; its files fetched) or an image (its ID).
  std::pair<std::optional<Digest>, std::string> source_of(StageState& st, const std::string& ref, size_t stage);
  // Only the identity (nothing fetched): what a COPY --from's key is made of.
  std::string source_key(const std::string& ref, size_t stage);

  // The stage's pending steps brought into the store (through `store`).
  void materialize(StageState& st, Store& store);
  // Every stage's (before an export).
  void materialize_all(Store& store);

  // $VARs in a stage: its ENV first, then the ARGs it declared.
  EnvLookup lookup(const StageState& st) const;

  std::string cache_key(const StageState& st, const std::string& step) const;
  // The build cache's image for `key`, made current. Prints "Using cache".
  bool use_cache(StageState& st, const std::string& key);
  // After a miss: a --cache-from image's step, recorded as this build's (so
  // the next build finds it in its own cache).
  bool use_cache_from(StageState& st, const std::string& created_by, const std::string& key);

  // Records a step: the stage's config (and the layer's changes, if any) as a
  // new image whose parent is the previous step's.
  void commit(StageState& st, const StepCommit& step);
  // The stage's image again with `doc` as its config (the same layers and
  // history, no step of its own): the inline cache goes in this way. When the
  // image already is that (a build that took its last step from the image
  // carrying that cache), nothing is made.
  void rewrite_config(StageState& st, const Json& doc);

  // The steps this build made or took from a cache, for --cache-to.
  std::vector<MadeStep> made_steps() const;
  // Once the layers committed so far are uploaded ahead (cache_upload_ahead.h).
  void finish_uploads_ahead();

  void write_lock();

 private:
  Store& store_;
  const BuildOptions& o_;
  BuildContext context_;
  BuildPlan plan_;
  std::unique_ptr<ContextHashAhead> hash_ahead_;  // from the start (while FROM pulls)
  void record_step(const std::string& parent, const std::string& key, const Digest& image);

  std::vector<ImageConfig> cache_from_;  // --cache-from images without an inline cache: matched by history
  CacheImport shared_cache_;             // --cache-from caches: inline, registry, local
  std::vector<MadeStep> made_;           // behind shared_
  std::map<size_t, StageState> built_;   // an entry per needed stage, made before the threads start
  std::optional<StageOutput> output_;
  std::unique_ptr<CacheUploadAhead> upload_ahead_;  // --cache-to type=registry,mode=max
  mutable std::mutex shared_;  // consumed_, made_, stderr
  std::mutex resolving_;  // the main store connection, and pulls, one at a time
  std::mutex importing_;  // shared_cache_, one restore at a time
  std::set<std::string> consumed_;
  std::atomic<bool> stopping_{false};
  BaseLock lock_;
};

}  // namespace berth
