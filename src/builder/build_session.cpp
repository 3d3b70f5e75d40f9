#include "builder/build_session.h"

#include "builder/build_args.h"
#include "builder/buildkit_history.h"
#include "core/fs.h"
#include "core/reference.h"
#include "core/timestamp.h"
#include "dockerfile/config_instructions.h"
#include "image/directory_layer.h"
#include "image/layer_apply.h"
#include "store/image_leases.h"
#include "store/registration.h"

namespace berth {

BuildSession::BuildSession(Store& store, const BuildOptions& o, BuildPlan plan)
    : store_(store), o_(o), context_(o.context, o.dockerignore), plan_(std::move(plan)), lock_(o.lock_file, o.pin) {
  hash_ahead_ = std::make_unique<ContextHashAhead>(store.root(), context_, context_sources_of(plan_));
  WarnFn warn_fn = [this](const std::string& line) { warn(line); };
  for (const CacheSpec& spec : o.cache_sources) {  // asked in this order (moby/buildkit#6418)
    if (spec.type == CacheSpec::Type::kImage) {
      if (!spec.image) continue;
      if (std::unique_ptr<CacheSource> inline_cache = inline_cache_source(store, *spec.image, warn_fn)) {
        shared_cache_.add(std::move(inline_cache));
        continue;
      }
      ImageConfig c = store.config_of(*spec.image);
      if (c.doc.contains("history") && c.doc["history"].is_array()) cache_from_.push_back(std::move(c));
      continue;
    }
    if (spec.type == CacheSpec::Type::kLocal) {
      shared_cache_.add(local_cache_source(spec.directory, warn_fn));
      continue;
    }
    try {
      Reference ref = parse_docker_ref_or_throw(spec.ref);
      if (!o.registry_client) throw Error("no registry access here");
      shared_cache_.add(registry_cache_source(o.registry_client(ref), ref, warn_fn));
    } catch (const Error& e) {
      warn("WARNING: --cache-from " + spec.text + " ignored: " + e.what());
    }
  }
  for (const CacheSpec& spec : o.cache_to) {
    if (spec.type != CacheSpec::Type::kRegistry || !spec.every_stage || !o.registry_client) continue;
    try {  // (the export at the end reports what is wrong with it)
      Reference ref = parse_docker_ref_or_throw(spec.ref);
      upload_ahead_ = std::make_unique<CacheUploadAhead>(store.root(), o.registry_client(ref), ref.path);
    } catch (const Error&) {
    }
    break;
  }
  std::vector<bool> needed;
  for (const PlannedStage& s : plan_.stages) {
    needed.push_back(s.needed);
    if (s.needed) built_[s.index] = StageState();  // each stage's thread then writes only its own entry
  }
  output_.emplace(o.quiet ? nullptr : o.out, needed);
  consumed_ = plan_.consumed_build_args;
}

void BuildSession::say(const StageState& st, const std::string& line) { output_->write(st.run->stage, line + "\n"); }

void BuildSession::warn(const std::string& line) {
  std::lock_guard<std::mutex> lock(shared_);
  if (o_.err) *o_.err << line << "\n" << std::flush;
}

void BuildSession::consume_build_arg(const std::string& name) {
  std::lock_guard<std::mutex> lock(shared_);
  consumed_.insert(name);
}

std::vector<std::string> BuildSession::unused_build_args() const {
  std::vector<std::string> unused;
  for (const auto& [k, v] : o_.build_args)
    if (!consumed_.contains(k) && !is_proxy_arg(k)) unused.push_back(k);
  return unused;
}

Digest BuildSession::resolve_base(const std::string& name, const Reference& ref) {
  std::lock_guard<std::mutex> lock(resolving_);
  return lock_.resolve(store_, name, ref, [this](const std::string& r) {
    return o_.resolve_base ? o_.resolve_base(r) : store_.images().resolve(r);
  }, [this](const std::string& w) { warn(w); });
}

Digest BuildSession::resolve_image(const std::string& name) {
  std::lock_guard<std::mutex> lock(resolving_);
  return o_.resolve_base ? o_.resolve_base(name) : store_.images().resolve(name);
}

std::pair<std::optional<Digest>, std::string> BuildSession::source_of(StageState& st, const std::string& ref,
                                                                       size_t stage) {
  if (std::optional<size_t> s = plan_.stage_named(ref, stage)) {
    StageState& from = built_.at(*s);
    materialize(from, st.run->store);
    return {from.top, from.key};
  }
  Digest id = resolve_image(ref);
  std::optional<Digest> top;
  if (auto rec = st.run->store.images().get(id)) top = rec->top_layer;
  return {top, id.str()};
}

std::string BuildSession::source_key(const std::string& ref, size_t stage) {
  if (std::optional<size_t> s = plan_.stage_named(ref, stage)) return built_.at(*s).key;
  return "image " + resolve_image(ref).str();
}

void BuildSession::materialize(StageState& st, Store& store) {
  std::lock_guard<std::mutex> lock(importing_);
  for (StageState::PendingStep& p : st.pending) shared_cache_.materialize(store, p.step, p.parent);
  st.pending.clear();
}

StageState BuildSession::snapshot(size_t stage) {
  std::lock_guard<std::mutex> lock(importing_);
  return built_.at(stage);
}

void BuildSession::materialize_all(Store& store) {
  for (auto& [index, st] : built_) materialize(st, store);
}

EnvLookup BuildSession::lookup(const StageState& st) const {
  EnvLookup env = env_of(st.config());
  std::map<std::string, std::string> args = st.args;
  return [env, args](const std::string& name) -> std::optional<std::string> {
    if (auto v = env(name)) return v;
    if (auto it = args.find(name); it != args.end()) return it->second;
    return std::nullopt;
  };
}

std::string BuildSession::cache_key(const StageState& st, const std::string& step) const {
  return step_cache_key(st.key, step, st.args, o_.source_date_epoch);
}

bool BuildSession::use_cache(StageState& st, const std::string& key) {
  if (o_.no_cache) return false;
  Store& store = st.run->store;
  std::optional<Digest> id = store.images().cached_step(key);
  std::optional<ImageRecord> rec = id ? store.images().get(*id) : std::nullopt;
  if (!rec && !shared_cache_.empty()) {
    std::optional<FoundStep> found;
    {
      std::lock_guard<std::mutex> lock(importing_);  // the sources read lazily, and are not shared between threads
      found = shared_cache_.find(store, key, [this](const std::string& line) { warn(line); });
    }
    if (found) {
      Digest made = found->config.id();
      st.pending.push_back({*found, st.image});
      record_step(st.key, key, made);
      std::vector<Digest> chains = chain_ids(found->config.diff_ids);
      st.image = made;
      st.key = key;
      st.doc = found->config.doc;
      st.diff_ids = found->config.diff_ids;
      st.top = chains.empty() ? std::nullopt : std::optional(chains.back());
      say(st, " ---> Using cache");
      say(st, " ---> " + made.short_id());
      return true;
    }
  }
  if (!rec) {
    materialize(st, store);  // the step runs: on the stage's files
    return false;
  }
  st.pending.clear();  // the image is here, and the steps under it
  ImageConfig config = store.config_of(*id);
  record_step(st.key, key, *id);
  st.image = *id;
  st.key = key;
  st.doc = config.doc;
  st.diff_ids = config.diff_ids;
  st.top = rec->top_layer;
  say(st, " ---> Using cache");
  say(st, " ---> " + id->short_id());
  return true;
}

bool BuildSession::use_cache_from(StageState& st, const std::string& created_by, const std::string& key) {
  if (o_.no_cache) return false;
  static const Json kNoHistory = Json::array();
  const Json& history = st.doc.contains("history") && st.doc["history"].is_array() ? st.doc["history"] : kNoHistory;
  Store& store = st.run->store;
  std::optional<CacheFromStep> step = match_cache_from(cache_from_, {history, st.diff_ids}, created_by,
                                                       [&](const Digest& chain) { return store.layers().get(chain).has_value(); });
  if (!step) return false;
  say(st, " ---> Using cache");
  commit(st, StepCommit::reused(created_by, key, *step));
  return true;
}

void BuildSession::commit(StageState& st, const StepCommit& step) {
  int64_t created = o_.source_date_epoch ? *o_.source_date_epoch * 1000000000 : now_unix_nanos();
  Json doc = st.doc;
  Json entry = {{"created", rfc3339_nano(created)}, {"created_by", step.created_by}, {"comment", kBuildHistoryComment}};
  if (step.empty_layer) entry["empty_layer"] = true;
  if (step.restored) entry = step.restored->entry;
  // A commit that records no step (an empty image, --label) keeps the time it has.
  if (!step.created_by.empty() || step.restored || !doc.contains("created")) doc["created"] = entry.value("created", "");
  if (st.image) doc["parent"] = st.image->str();
  else doc.erase("parent");
  doc.erase("container");
  if (!doc.contains("history") || !doc["history"].is_array()) doc["history"] = Json::array();
  if (!step.created_by.empty()) doc["history"].push_back(entry);
  Store& store = st.run->store;
  StagingDir staging = store.make_staging_dir("build");
  std::optional<DirectoryLayer> made;
  std::vector<Digest> diff_ids = st.diff_ids;
  std::optional<Digest> top = st.top;
  std::unique_ptr<LayerUploadStream> streamed;  // --cache-to …,mode=max: sent as it is made
  if (step.layer) {
    step.layer->unmount();
    if (upload_ahead_ && !step.cache_key.empty()) streamed = upload_ahead_->stream_layer();
    std::function<void(const char*, size_t)> watch;
    if (streamed) watch = [&](const char* data, size_t n) { streamed->write(data, n); };
    made = adopt_directory_as_layer(staging, step.layer->changes(), st.diff_ids, step.layer_name,
                                    o_.source_date_epoch, watch);
    if (streamed) streamed->finish(made->staged.info.diff_id);
    sync_filesystem(staging.path());
    diff_ids = made->diff_ids;
    top = made->chain_id;
  } else if (step.restored && step.restored->diff_id) {
    diff_ids.push_back(*step.restored->diff_id);
    top = chain_ids(diff_ids).back();
  }
  if (diff_ids != st.diff_ids) {
    doc["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array()}};
    for (const Digest& d : diff_ids) doc["rootfs"]["diff_ids"].push_back(d.str());
  }
  Registration reg(store);
  if (made) reg.add_layer(made->staged);
  Digest id = reg.add_image(doc.dump(), top, std::nullopt, unix_now(), st.image);
  if (!step.cache_key.empty()) store.images().cache_step(step.cache_key, id);
  if (!o_.lease.empty()) ImageLeases(store.db()).take(id, o_.lease);  // untagged and childless: no prune may take it
  reg.commit();
  if (!step.cache_key.empty()) record_step(st.key, step.cache_key, id);
  if (made && upload_ahead_ && !step.cache_key.empty()) upload_ahead_->add(made->chain_id, std::move(streamed));
  st.image = id;
  if (!step.cache_key.empty()) st.key = step.cache_key;
  st.doc = doc;
  st.diff_ids = diff_ids;
  st.top = top;
  say(st, " ---> " + id.short_id());
}

void BuildSession::rewrite_config(StageState& st, const Json& doc) {
  std::string config = doc.dump();
  if (st.image && Digest::of(config) == *st.image) return;  // the image already is it (its last step came from it)
  Store& store = st.run->store;
  Registration reg(store);
  // A child of the image it rewrites, as a --label commit is: that one stays an unlisted step.
  st.image = reg.add_image(config, st.top, std::nullopt, unix_now(), st.image);
  reg.commit();
  st.doc = doc;
}

void BuildSession::record_step(const std::string& parent, const std::string& key, const Digest& image) {
  std::lock_guard<std::mutex> lock(shared_);
  made_.push_back({key, parent, image});
}

std::vector<MadeStep> BuildSession::made_steps() const {
  std::lock_guard<std::mutex> lock(shared_);
  return made_;
}

void BuildSession::finish_uploads_ahead() {
  if (upload_ahead_) upload_ahead_->finish();
}

void BuildSession::write_lock() {
  size_t n = lock_.write();
  if (!o_.quiet && o_.out)
    *o_.out << "Pinned " << n << " base image" << (n == 1 ? "" : "s") << " in " << lock_.file().filename().string()
            << "\n";
}

}  // namespace berth
