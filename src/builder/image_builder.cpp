#include "builder/image_builder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "image/directory_layer.h"
#include "archive/directory_tar.h"
#include "image/layer_apply.h"
#include "archive/layer_extractor.h"
#include "archive/tar_pipe.h"
#include "builder/build_context.h"
#include "builder/file_digest_cache.h"
#include "builder/run_step.h"
#include "builder/stage_output.h"
#include "builder/url_download.h"
#include "builder/working_layer.h"
#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/key_value_list.h"
#include "core/platform.h"
#include "core/reference.h"
#include "core/timestamp.h"
#include "dockerfile/config_instructions.h"
#include "dockerfile/dockerfile_parser.h"
#include "dockerfile/shell_lexer.h"
#include "runtime/container_user.h"
#include "store/registration.h"

namespace berth {
namespace {

constexpr const char* kDefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// Build args Docker accepts without an ARG line, and keeps out of the image's history.
const std::set<std::string> kProxyArgs = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
                                          "ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// BuildKit's automatic platform args, for an ARG that names one without a value.
std::map<std::string, std::string> platform_args() {
  Platform p = Platform::host();
  std::map<std::string, std::string> out;
  for (const char* side : {"TARGET", "BUILD"}) {
    std::string s = side;
    out[s + "PLATFORM"] = p.str();
    out[s + "OS"] = p.os;
    out[s + "ARCH"] = p.architecture;
    out[s + "VARIANT"] = p.variant;
  }
  return out;
}

// One COPY/ADD source.
struct CopySource {
  std::string rel;                   // below the source root; for a heredoc or a download, the file's name
  const Heredoc* heredoc = nullptr;
  std::filesystem::path downloaded;  // ADD URL: the file fetched
};

// A step an image given with --cache-from made: its history entry, and its
// layer's diff ID unless the step made none.
struct CacheFromStep {
  Json entry;
  std::optional<Digest> diff_id;
};

struct Stage {
  std::string name;  // lower case; "" when it has no AS
  size_t index = 0;
  const Instruction* from = nullptr;
  std::vector<const Instruction*> body;
};

// What one stage's build works with on its own thread: its own store
// connection (SQLite connections are not shared between threads), its step
// numbers, its lookups of remembered digests.
struct StageRun {
  Store& store;
  size_t stage;          // its index: where its output goes
  size_t step;           // the number of its last "Step N/M" line
  std::optional<FileDigestCache> digests;  // made at its first COPY from the context
};

// Where a stage stands: the image its last step made, and what is in scope.
struct StageState {
  StageRun* run = nullptr;      // the build of the stage this state is in
  std::optional<Digest> image;  // none: FROM scratch and no step yet
  Json doc = Json::object();
  std::vector<Digest> diff_ids;
  std::optional<Digest> top;
  std::map<std::string, std::string> args;  // declared in this stage, with their values
  bool cmd_set = false;                      // CMD given in this stage (ENTRYPOINT keeps it then)
  Json& config() { return doc["config"]; }
};

class Builder {
 public:
  Builder(Store& store, const BuildOptions& o) : store_(store), o_(o), context_(o.context, o.dockerignore) {
    std::error_code ec;
    if (!o.lock_file.empty() && std::filesystem::exists(o.lock_file, ec)) {
      lock_ = Json::parse(read_file(o.lock_file), nullptr, false);
      if (!lock_.is_object()) throw Error(o.lock_file.string() + " is not a lock file (JSON)");
    }
    for (const Digest& id : o.cache_from) {
      ImageConfig c = store.config_of(id);
      if (c.doc.contains("history") && c.doc["history"].is_array()) cache_from_.push_back(std::move(c));
    }
  }

  Digest run() {
    Dockerfile file;
    try {
      file = parse_dockerfile(o_.dockerfile);
    } catch (const DockerfileError& e) {
      throw Error(std::string("dockerfile parse error") + (e.line ? " line " + std::to_string(e.line) : "") + ": " + e.what());
    }
    escape_ = file.escape;
    for (const std::string& w : file.warnings) warn(w);
    split_stages(file);
    size_t target = target_stage();
    std::vector<bool> needed(stages_.size(), false);
    mark_needed(target, needed);
    // Step numbers as a sequential build gives them.
    std::vector<size_t> first_step(stages_.size(), 0);
    for (size_t i = 0; i < stages_.size(); ++i) {
      first_step[i] = total_steps_;
      if (needed[i]) total_steps_ += 1 + stages_[i].body.size();
    }
    for (size_t i = 0; i < stages_.size(); ++i)
      if (needed[i]) built_[i] = StageState();  // each stage's thread then writes only its own entry
    output_.emplace(o_.quiet ? nullptr : o_.out, needed);
    build_stages(needed, first_step);
    StageState& last = built_[target];
    StageRun main_run{store_, target, 0, std::nullopt};
    last.run = &main_run;
    if (!last.image) commit(last, "", nullptr, "", true, "scratch");  // FROM scratch alone: an empty image
    std::vector<std::string> unused;
    for (const auto& [k, v] : o_.build_args)
      if (!consumed_.contains(k) && !kProxyArgs.contains(k)) unused.push_back(k);
    if (!unused.empty()) {
      std::string list;
      for (const std::string& u : unused) list += (list.empty() ? "" : " ") + u;
      warn("[Warning] One or more build-args [" + list + "] were not consumed");
    }
    if (o_.pin) write_lock();
    return *last.image;
  }

 private:
  // Each needed stage on a thread of its own once the stages it uses are
  // built: independent stages build at the same time (up to one per core, and
  // two at least). After a failure no new stage starts; the first error is
  // rethrown once the running ones have stopped.
  void build_stages(const std::vector<bool>& needed, const std::vector<size_t>& first_step) {
    enum State { kWaiting, kRunning, kDone };
    std::vector<State> state(stages_.size(), kWaiting);
    for (size_t i = 0; i < stages_.size(); ++i)
      if (!needed[i]) state[i] = kDone;
    size_t limit = std::max(2u, std::thread::hardware_concurrency()), running = 0;
    std::mutex m;
    std::condition_variable changed;
    std::exception_ptr failure;
    std::vector<std::thread> threads;
    std::unique_lock<std::mutex> lock(m);
    while (true) {
      for (size_t i = 0; i < stages_.size() && !failure && running < limit; ++i) {
        bool ready = state[i] == kWaiting &&
                     std::all_of(deps_[i].begin(), deps_[i].end(), [&](size_t d) { return state[d] == kDone; });
        if (!ready) continue;
        state[i] = kRunning;
        ++running;
        threads.emplace_back([&, i] {
          std::exception_ptr error;
          try {
            Store own(store_.root());
            StageRun run{own, i, first_step[i], std::nullopt};
            built_[i] = build_stage(stages_[i], run);
            built_[i].run = nullptr;
          } catch (...) {
            error = std::current_exception();
            stopping_ = true;
          }
          output_->finish(i);
          std::lock_guard<std::mutex> done(m);
          state[i] = kDone;
          --running;
          if (error && !failure) failure = error;
          changed.notify_all();
        });
      }
      if (running == 0) break;
      changed.wait(lock);
    }
    lock.unlock();
    for (std::thread& t : threads) t.join();
    if (failure) {
      output_->flush_all();
      std::rethrow_exception(failure);
    }
  }

  // Dockerfile.lock: {"bases": {"NAME": {"image": "sha256:…", "digest": "repo@sha256:…"}}}.
  void write_lock() {
    Json lock = {{"bases", Json::object()}};
    for (const auto& [name, entry] : resolved_) lock["bases"][name] = entry;
    write_file_atomic(o_.lock_file, lock.dump(2) + "\n", 0644);
    if (!o_.quiet && o_.out)
      *o_.out << "Pinned " << resolved_.size() << " base image" << (resolved_.size() == 1 ? "" : "s") << " in "
              << o_.lock_file.filename().string() << "\n";
  }

  // A line of `st`'s stage's output.
  void say(const StageState& st, const std::string& line) { output_->write(st.run->stage, line + "\n"); }
  void warn(const std::string& line) {
    std::lock_guard<std::mutex> lock(shared_);
    if (o_.err) *o_.err << line << "\n" << std::flush;
  }

  void split_stages(const Dockerfile& file) {
    for (const Instruction& in : file.instructions) {
      if (in.keyword == "from") {
        Stage s;
        s.index = stages_.size();
        s.from = &in;
        if (in.args.size() == 3 && lower(in.args[1]) == "as") s.name = lower(in.args[2]);
        else if (in.args.size() != 1) throw Error("FROM requires either one or three arguments");
        stages_.push_back(s);
      } else if (stages_.empty()) {
        if (in.keyword != "arg") throw Error("no build stage in current context: " + upper(in.keyword) + " before FROM");
        meta_args_.push_back(&in);
      } else {
        stages_.back().body.push_back(&in);
      }
    }
    if (stages_.empty()) throw Error("no build stage in current context");
    // Meta ARGs: their values (build args win) are in scope for every FROM.
    for (const Instruction* in : meta_args_)
      for (const std::string& a : in->args) {
        auto [name, value] = declare_arg(a, meta_lookup());
        if (value) meta_values_[name] = *value;
        meta_declared_.insert(name);
      }
  }

  size_t target_stage() {
    if (o_.target.empty()) return stages_.size() - 1;
    for (const Stage& s : stages_)
      if (s.name == lower(o_.target)) return s.index;
    throw Error("failed to reach build target " + o_.target + " in Dockerfile");
  }

  // The stage that `ref` (a FROM or COPY --from value) names, if it names one before `before`.
  std::optional<size_t> stage_named(const std::string& ref, size_t before) {
    std::string r = lower(ref);
    for (size_t i = 0; i < before; ++i)
      if (!stages_[i].name.empty() && stages_[i].name == r) return i;
    if (!r.empty() && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      size_t i = std::stoul(r);
      if (i < before) return i;
      throw Error("invalid from flag value " + ref + ": refers to current or future build stage");
    }
    return std::nullopt;
  }

  void mark_needed(size_t i, std::vector<bool>& needed) {
    if (needed[i]) return;
    needed[i] = true;
    ShellLexer lexer;
    lexer.escape = escape_;
    std::string base = lexer.process_word(stages_[i].from->args[0], meta_lookup());
    if (deps_.size() < stages_.size()) deps_.resize(stages_.size());
    if (auto s = stage_named(base, i)) {
      deps_[i].push_back(*s);
      mark_needed(*s, needed);
    }
    for (const Instruction* in : stages_[i].body)
      for (const std::string& f : in->flags) {
        std::string from;
        if ((in->keyword == "copy" || in->keyword == "add") && f.starts_with("--from=")) from = f.substr(7);
        if (in->keyword == "run" && f.starts_with("--mount=")) {
          std::map<std::string, std::string> kv = mount_fields(f.substr(8));
          if (kv.count("from")) from = kv["from"];
        }
        if (!from.empty())
          if (auto s = stage_named(from, i)) {
            deps_[i].push_back(*s);
            mark_needed(*s, needed);
          }
      }
  }

  EnvLookup meta_lookup() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      if (auto it = meta_values_.find(name); it != meta_values_.end()) return it->second;
      static const std::map<std::string, std::string> platform = platform_args();
      if (auto it = platform.find(name); it != platform.end()) return it->second;
      return std::nullopt;
    };
  }

  // "NAME" or "NAME=default": the value a build arg, or else the default, gives it.
  std::pair<std::string, std::optional<std::string>> declare_arg(const std::string& word, const EnvLookup& env) {
    ShellLexer lexer;
    lexer.escape = escape_;
    size_t eq = word.find('=');
    std::string name = word.substr(0, eq);
    if (name.empty()) throw Error("ARG names can not be blank");
    std::optional<std::string> value;
    if (eq != std::string::npos) value = lexer.process_word(word.substr(eq + 1), env);
    if (auto it = o_.build_args.find(name); it != o_.build_args.end()) {
      value = it->second;
      std::lock_guard<std::mutex> lock(shared_);
      consumed_.insert(name);
    }
    return {name, value};
  }

  // $VARs in a stage: its ENV first, then the ARGs it declared.
  EnvLookup lookup(StageState& st) {
    EnvLookup env = env_of(st.config());
    std::map<std::string, std::string> args = st.args;
    return [env, args](const std::string& name) -> std::optional<std::string> {
      if (auto v = env(name)) return v;
      if (auto it = args.find(name); it != args.end()) return it->second;
      return std::nullopt;
    };
  }

  StageState base_state(const std::string& name, size_t stage_index, StageRun& run) {
    if (auto s = stage_named(name, stage_index)) {
      StageState st = built_.at(*s);
      st.run = &run;
      st.args.clear();
      st.cmd_set = false;
      if (!st.image) commit(st, "", nullptr, "", true, "scratch");
      return st;
    }
    StageState st;
    st.run = &run;
    if (lower(name) == "scratch") {
      Platform host = Platform::host();
      st.doc = {{"architecture", host.architecture}, {"os", host.os}, {"config", Json::object()},
                {"rootfs", {{"type", "layers"}, {"diff_ids", Json::array()}}}, {"history", Json::array()}};
      return st;
    }
    Reference ref = parse_normalized_named_or_throw(name);
    Digest id = resolve_pinned(name, ref);
    ImageConfig config = run.store.config_of(id);
    st.image = id;
    st.doc = config.doc;
    st.diff_ids = config.diff_ids;
    if (std::optional<ImageRecord> rec = run.store.images().get(id)) st.top = rec->top_layer;
    if (!st.doc.contains("config") || !st.doc["config"].is_object()) st.doc["config"] = Json::object();
    return st;
  }

  StageState build_stage(const Stage& stage, StageRun& run) {
    ShellLexer lexer;
    lexer.escape = escape_;
    std::string base = lexer.process_word(stage.from->args[0], meta_lookup());
    // FROM --platform=$BUILDPLATFORM (the cross-compiling pattern) is this machine's platform.
    for (const std::string& f : stage.from->flags) {
      if (!f.starts_with("--platform=")) throw Error("FROM " + f.substr(0, f.find('=')) + " is not supported");
      std::string platform = lexer.process_word(f.substr(11), meta_lookup());
      if (!Platform::parse(platform).matches(Platform::host()))
        throw Error("FROM --platform=" + platform + ": building for another platform is not supported (RUN steps run on " +
                    Platform::host().str() + ")");
    }
    output_->write(stage.index, "Step " + std::to_string(++run.step) + "/" + std::to_string(total_steps_) + " : " +
                                    stage.from->original + "\n");
    StageState st = base_state(base, stage.index, run);
    if (st.image) say(st, " ---> " + st.image->short_id());
    // As Docker's builder: a stage whose image sets no PATH gets the default one.
    if (!env_of(st.config())("PATH")) set_env(st.config(), "PATH", std::string(kDefaultPath).substr(5));
    // The base image's ONBUILD triggers run first, and are not passed on.
    Json triggers = st.config().value("OnBuild", Json());
    if (triggers.is_array() && !triggers.empty()) {
      say(st, "# Executing " + std::to_string(triggers.size()) + " build trigger" + (triggers.size() > 1 ? "s" : ""));
      st.config()["OnBuild"] = Json();
      for (const Json& t : triggers) {
        Dockerfile trigger = parse_dockerfile(t.get<std::string>() + "\n");
        for (const Instruction& in : trigger.instructions) execute(st, in, stage.index);
      }
    }
    for (const Instruction* in : stage.body) {
      if (stopping()) break;  // another stage failed
      say(st, "Step " + std::to_string(++run.step) + "/" + std::to_string(total_steps_) + " : " + in->original);
      execute(st, *in, stage.index);
    }
    return st;
  }

  // A FROM's image: as the lock file pins it (unless --pin refreshes it), else
  // as the name resolves now (pulled when missing) — and then recorded.
  Digest resolve_pinned(const std::string& name, const Reference& ref) {
    std::lock_guard<std::mutex> lock(resolving_);  // the main store connection, and pulls, one at a time
    const Json& pinned = lock_.contains("bases") ? lock_["bases"] : Json::object();
    if (!o_.pin && pinned.contains(name)) {
      const Json& entry = pinned[name];
      std::string digest = entry.value("digest", "");
      Digest image = Digest::parse(entry.value("image", ""));
      if (store_.images().get(image)) return image;
      if (!digest.empty()) {  // name@sha256:<manifest>: what a registry serves for it
        Digest id = o_.resolve_base ? o_.resolve_base(digest) : store_.images().resolve(digest);
        if (id != image) throw Error("FROM " + name + ": " + digest + " is not the image the lock file pins");
        return id;
      }
      throw Error("FROM " + name + " is pinned to " + image.str() + " (" + o_.lock_file.filename().string() +
                  "), which is not in the store");
    }
    if (ref.digest.empty() && (ref.tag.empty() || ref.tag == "latest"))
      warn("WARNING: FROM " + name + " uses the 'latest' tag, which moves: pin a version or a digest (build --pin) for a reproducible build");
    Digest id = o_.resolve_base ? o_.resolve_base(name) : store_.images().resolve(name);
    Json entry = {{"image", id.str()}};
    for (const std::string& rd : store_.images().repo_digests_of(id)) {
      Reference r = parse_normalized_named_or_throw(rd);
      if (r.name() == ref.name()) entry["digest"] = r.familiar_str();
    }
    resolved_[name] = entry;
    return id;
  }

  // An image a COPY --from or RUN --mount from= names (pulled when missing).
  Digest resolve_image(const std::string& name) {
    std::lock_guard<std::mutex> lock(resolving_);
    return o_.resolve_base ? o_.resolve_base(name) : store_.images().resolve(name);
  }

  bool stopping() const { return stopping_; }

  // The cache key of a step: where it starts, what it does, what it sees.
  std::string cache_key(const StageState& st, const std::string& what) {
    Sha256 h;
    std::string parent = st.image ? st.image->str() : "scratch";
    h.update(parent + "\n" + what + "\n");
    for (const auto& [k, v] : st.args) h.update(k + "=" + v + "\n");
    if (o_.source_date_epoch) h.update("epoch=" + std::to_string(*o_.source_date_epoch) + "\n");
    return h.finish().str();
  }

  bool use_cache(StageState& st, const std::string& key) {
    if (o_.no_cache) return false;
    Store& store = st.run->store;
    std::optional<Digest> id = store.images().cached_step(key);
    if (!id) return false;
    std::optional<ImageRecord> rec = store.images().get(*id);
    if (!rec) return false;
    ImageConfig config = store.config_of(*id);
    st.image = *id;
    st.doc = config.doc;
    st.diff_ids = config.diff_ids;
    st.top = rec->top_layer;
    say(st, " ---> Using cache");
    say(st, " ---> " + id->short_id());
    return true;
  }

  int64_t created_nanos() const {
    return o_.source_date_epoch ? *o_.source_date_epoch * 1000000000 : now_unix_nanos();
  }

  // Records a step: the stage's config (and `layer`'s changes, if any) as a
  // new image whose parent is the previous step's. A step restored from a
  // --cache-from image brings its history entry and its layer (in the store).
  void commit(StageState& st, const std::string& created_by, WorkingLayer* layer, const std::string& key,
              bool empty_layer, const std::string& what, const CacheFromStep* restored = nullptr) {
    Json doc = st.doc;
    Json entry = {{"created", rfc3339_nano(created_nanos())}, {"created_by", created_by}};
    if (empty_layer) entry["empty_layer"] = true;
    if (restored) entry = restored->entry;
    doc["created"] = entry.value("created", "");
    if (st.image) doc["parent"] = st.image->str();
    else doc.erase("parent");
    doc.erase("container");
    if (!doc.contains("history") || !doc["history"].is_array()) doc["history"] = Json::array();
    if (!created_by.empty()) doc["history"].push_back(entry);
    Store& store = st.run->store;
    StagingDir staging = store.make_staging_dir("build");
    std::optional<DirectoryLayer> made;
    std::vector<Digest> diff_ids = st.diff_ids;
    std::optional<Digest> top = st.top;
    if (layer) {
      layer->unmount();
      made = adopt_directory_as_layer(staging, layer->changes(), st.diff_ids, what, o_.source_date_epoch);
      sync_filesystem(staging.path());
      diff_ids = made->diff_ids;
      top = made->chain_id;
    } else if (restored && restored->diff_id) {
      diff_ids.push_back(*restored->diff_id);
      top = chain_ids(diff_ids).back();
    }
    if (diff_ids != st.diff_ids) {
      doc["rootfs"] = {{"type", "layers"}, {"diff_ids", Json::array()}};
      for (const Digest& d : diff_ids) doc["rootfs"]["diff_ids"].push_back(d.str());
    }
    Registration reg(store);
    if (made) reg.add_layer(made->staged);
    Digest id = reg.add_image(doc.dump(), top, std::nullopt, unix_now(), st.image);
    if (!key.empty()) store.images().cache_step(key, id);
    reg.commit();
    st.image = id;
    st.doc = doc;
    st.diff_ids = diff_ids;
    st.top = top;
    say(st, " ---> " + id.short_id());
  }

  // --cache-from: the step one of those images made with the same steps
  // before it and this history line (Docker's classic builder trusts them the
  // same way). Its layer must be in the store: those images are.
  std::optional<CacheFromStep> cache_from_step(const StageState& st, const std::string& created_by) {
    if (o_.no_cache) return std::nullopt;
    Json none = Json::array();
    const Json& have = st.doc.contains("history") && st.doc["history"].is_array() ? st.doc["history"] : none;
    auto same_step = [](const Json& a, const Json& b) {
      return a.value("created_by", "") == b.value("created_by", "") &&
             a.value("empty_layer", false) == b.value("empty_layer", false);
    };
    for (const ImageConfig& c : cache_from_) {
      const Json& history = c.doc["history"];
      if (history.size() <= have.size() || c.diff_ids.size() < st.diff_ids.size()) continue;
      if (!std::equal(st.diff_ids.begin(), st.diff_ids.end(), c.diff_ids.begin())) continue;
      bool same = true;
      for (size_t i = 0; i < have.size() && same; ++i) same = same_step(have[i], history[i]);
      const Json& next = history[have.size()];
      if (!same || next.value("created_by", "") != created_by) continue;
      CacheFromStep step{next, std::nullopt};
      if (!next.value("empty_layer", false)) {
        if (c.diff_ids.size() <= st.diff_ids.size()) continue;
        std::vector<Digest> ids = st.diff_ids;
        ids.push_back(c.diff_ids[st.diff_ids.size()]);
        if (!st.run->store.layers().get(chain_ids(ids).back())) continue;
        step.diff_id = ids.back();
      }
      return step;
    }
    return std::nullopt;
  }

  // After a miss in the build cache: a --cache-from image's step, recorded as
  // this build's (so the next build finds it in its own cache).
  bool use_cache_from(StageState& st, const std::string& created_by, const std::string& key) {
    std::optional<CacheFromStep> step = cache_from_step(st, created_by);
    if (!step) return false;
    say(st, " ---> Using cache");
    commit(st, created_by, nullptr, key, step->entry.value("empty_layer", false), "", &*step);
    return true;
  }

  // A config-only step: Docker records "/bin/sh -c #(nop)  INSTRUCTION".
  void config_step(StageState& st, const Instruction& in, const std::function<void()>& edit) {
    std::string created_by = "/bin/sh -c #(nop)  " + in.original.substr(in.original.find_first_not_of(" \t"));
    std::string key = cache_key(st, "nop " + in.original);
    if (use_cache(st, key)) return;
    edit();
    if (use_cache_from(st, created_by, key)) return;
    commit(st, created_by, nullptr, key, true, "");
  }

  void execute(StageState& st, const Instruction& in, size_t stage_index) {
    const std::string& k = in.keyword;
    if (k == "arg") {
      for (const std::string& a : in.args) {
        auto [name, value] = declare_arg(a, lookup(st));
        if (!value && meta_declared_.contains(name) && meta_values_.contains(name)) value = meta_values_[name];
        if (!value) {
          static const std::map<std::string, std::string> platform = platform_args();
          if (auto it = platform.find(name); it != platform.end()) value = it->second;
        }
        st.args[name] = value.value_or("");
      }
      config_step(st, in, [] {});
    } else if (k == "maintainer") {
      config_step(st, in, [&] { st.doc["author"] = in.args.empty() ? "" : in.args[0]; });
    } else if (k == "workdir") {
      workdir(st, in);
    } else if (is_config_instruction(k)) {
      config_step(st, in, [&] {
        apply_config_instruction(st.config(), in, lookup(st), escape_);
        if (k == "cmd") st.cmd_set = true;
        if (k == "entrypoint" && !st.cmd_set) st.config()["Cmd"] = Json();
      });
    } else if (k == "run") {
      run(st, in, stage_index);
    } else if (k == "copy" || k == "add") {
      copy(st, in, stage_index);
    } else if (k == "from") {
      throw Error("FROM is not allowed here");
    } else {
      throw Error("unknown instruction: " + upper(k));
    }
  }

  // WORKDIR also makes its directory when the image lacks it: then the step has a layer.
  void workdir(StageState& st, const Instruction& in) {
    std::string key = cache_key(st, "nop " + in.original);
    if (use_cache(st, key)) return;
    apply_config_instruction(st.config(), in, lookup(st), escape_);
    std::string created_by = "/bin/sh -c #(nop) WORKDIR " + st.config().value("WorkingDir", "");
    if (use_cache_from(st, created_by, key)) return;
    WorkingLayer layer(st.run->store, st.top);
    std::string dir = st.config().value("WorkingDir", "/");
    UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::string rel = resolve_beneath(root.get(), dir.substr(1));
    if (open_beneath(root.get(), rel, O_RDONLY | O_DIRECTORY).get() >= 0) {
      commit(st, created_by, nullptr, key, true, "");
      return;
    }
    make_directories_beneath(root.get(), rel);
    commit(st, created_by, &layer, key, false, "WORKDIR " + dir);
  }

  std::vector<std::string> run_env(StageState& st) {
    std::vector<std::string> env;
    for (const Json& e : st.config().value("Env", Json::array())) env.push_back(e.get<std::string>());
    EnvLookup own = env_of(st.config());
    for (const auto& [k, v] : st.args)
      if (!own(k)) env.push_back(k + "=" + v);
    for (const auto& [k, v] : o_.build_args)
      if (kProxyArgs.contains(k) && !own(k) && !st.args.contains(k)) env.push_back(k + "=" + v);
    return env;
  }

  void run(StageState& st, const Instruction& in, size_t stage_index) {
    std::vector<std::string> args;
    if (in.json_form) {
      args = in.args;
    } else {
      Json shell = st.config().value("Shell", Json::array({"/bin/sh", "-c"}));
      for (const Json& s : shell) args.push_back(s.get<std::string>());
      std::string command = in.args.empty() ? "" : in.args[0];
      // Heredocs (BuildKit's): `RUN <<EOF` runs the body as the script; with a
      // command around them, the shell reads them as the heredocs they are.
      if (in.heredocs.size() == 1 && (command == "<<" + in.heredocs[0].name || command == "<<-" + in.heredocs[0].name)) {
        command = in.heredocs[0].content;
      } else if (!in.heredocs.empty()) {
        command += "\n";
        for (const Heredoc& h : in.heredocs) command += h.content + h.name + "\n";
      }
      args.push_back(command);
    }
    std::string network = o_.network;
    std::vector<std::string> mount_specs;
    for (const std::string& f : in.flags)
      if (f.starts_with("--network=")) network = f.substr(10);
      else if (f.starts_with("--mount=")) mount_specs.push_back(f.substr(8));
      else throw Error("RUN " + f.substr(0, f.find('=')) + " is not supported");
    if (network != "default" && network != "host" && network != "none")
      throw Error("RUN --network=" + network + ": use default, host or none");
    // Docker's history: the build args in scope go in front, "|N A=1 B=2 cmd".
    std::string created_by;
    for (const std::string& a : args) created_by += (created_by.empty() ? "" : " ") + a;
    if (!st.args.empty()) {
      std::string prefix = "|" + std::to_string(st.args.size());
      for (const auto& [k, v] : st.args) prefix += " " + k + "=" + v;
      created_by = prefix + " " + created_by;
    }
    // A bind mount's content is part of what the step sees: its digest goes in the key.
    std::string mounts_text;
    std::vector<std::unique_ptr<WorkingLayer>> views;  // stages and images bound from
    std::vector<Json> binds(mount_specs.size());
    for (size_t i = 0; i < mount_specs.size(); ++i) {
      mounts_text += " --mount=" + mount_specs[i];
      std::map<std::string, std::string> kv = mount_fields(mount_specs[i]);
      if (kv.count("type") && kv["type"] != "bind") continue;
      auto [m, identity] = bind_mount(st, kv, stage_index, views);
      binds[i] = m;
      mounts_text += " " + identity;
    }
    std::string key = cache_key(st, "run " + network + mounts_text + " " + created_by);
    if (use_cache(st, key) || use_cache_from(st, created_by, key)) return;
    WorkingLayer layer(st.run->store, st.top);
    RunStep step;
    step.rootfs = layer.merged();
    step.args = args;
    step.env = run_env(st);
    step.user = st.config().value("User", "");
    step.workdir = st.config().value("WorkingDir", "");
    step.network = network;
    step.quiet = o_.quiet;
    std::vector<std::string> made_for_mounts;  // mount points that were not in the image
    for (size_t i = 0; i < mount_specs.size(); ++i) {
      Json m = binds[i].is_null() ? run_mount(mount_specs[i]) : binds[i];
      if (m.is_null()) continue;  // an optional secret that was not given
      std::string target = clean_path("/" + m["destination"].get<std::string>());
      for (std::string p = target; p != "/"; p = std::filesystem::path(p).parent_path().string()) {
        struct stat sb;
        if (::lstat((layer.merged() / p.substr(1)).c_str(), &sb) == 0) break;
        made_for_mounts.push_back(p);  // deepest first
      }
      step.mounts.push_back(m);
    }
    if (step.workdir.size() > 1) {
      UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      make_directories_beneath(root.get(), resolve_beneath(root.get(), step.workdir.substr(1)));
    }
    step.id = random_hex(12);
    say(st, " ---> Running in " + step.id);
    // Held in a file while an earlier stage is still printing.
    std::optional<StagingDir> held;
    UniqueFd held_fd;
    if (!o_.quiet && !output_->writes_through(st.run->stage)) {
      held.emplace(st.run->store.make_staging_dir("run-output"));
      held_fd = open_or_throw(held->path() / "output", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      step.output_fd = held_fd.get();
    }
    int code = run_build_step(st.run->store, step);
    if (held) output_->write(st.run->stage, read_file(held->path() / "output"));
    // The runtime made the mount points; they are not the step's changes.
    for (const std::string& p : made_for_mounts) {
      std::filesystem::path where = layer.merged() / p.substr(1);
      if (::rmdir(where.c_str()) != 0 && errno == ENOTDIR) ::unlink(where.c_str());
    }
    if (code != 0) {
      std::string shown;
      for (const std::string& a : args) shown += (shown.empty() ? "" : " ") + a;
      throw BuildStepError("The command '" + shown + "' returned a non-zero code: " + std::to_string(code), code);
    }
    commit(st, created_by, &layer, key, false, "RUN step " + std::to_string(st.run->step));
  }

  void copy(StageState& st, const Instruction& in, size_t stage_index);

  // RUN --mount=type=cache|secret,…: the runtime-spec mount (null for an
  // absent secret that is not required). Caches persist under <root>/build-cache,
  // keyed by id (default: the target); secrets are bound read-only from the file
  // --secret named and never copied anywhere.
  static std::map<std::string, std::string> mount_fields(const std::string& spec) {
    std::map<std::string, std::string> kv;
    for (const auto& [k, v] : parse_key_value_list(spec)) kv[k] = v;
    return kv;
  }

  // RUN --mount=type=bind,target=DIR[,source=PATH][,from=STAGE|IMAGE]: read-only,
  // from the context (never outside it) or another stage's or image's files.
  // Returns the mount and what identifies its content (for the cache key).
  std::pair<Json, std::string> bind_mount(StageState& st, std::map<std::string, std::string>& kv, size_t stage_index,
                                          std::vector<std::unique_ptr<WorkingLayer>>& views) {
    std::string target = kv.count("target") ? kv["target"] : kv.count("dst") ? kv["dst"] : kv["destination"];
    if (target.empty()) throw Error("RUN --mount=type=bind needs a target");
    if (kv.count("rw") || kv.count("readwrite")) throw Error("RUN --mount=type=bind,rw is not supported: binds are read-only");
    std::string source = kv.count("source") ? kv["source"] : kv.count("src") ? kv["src"] : "";
    std::string rel;
    if (!clean_member_name(source, &rel)) throw Error("RUN --mount: source " + source + " is outside its root");
    std::filesystem::path root = context_.root();
    std::string identity;
    if (kv.count("from")) {
      std::optional<Digest> top;
      if (std::optional<size_t> s = stage_named(kv["from"], stage_index)) {
        top = built_.at(*s).top;
        identity = built_.at(*s).image ? built_.at(*s).image->str() : "scratch";
      } else {
        Digest id = resolve_image(kv["from"]);
        if (auto rec = st.run->store.images().get(id)) top = rec->top_layer;
        identity = id.str();
      }
      views.push_back(std::make_unique<WorkingLayer>(st.run->store, top));
      root = views.back()->merged();
    }
    UniqueFd root_fd = open_or_throw(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    UniqueFd src = open_beneath(root_fd.get(), rel, O_RDONLY);  // no symlink on the way: nothing outside
    if (src.get() < 0) throw Error("RUN --mount: source " + source + " not found (or reached through a symlink)");
    if (identity.empty()) {
      std::string parent = std::filesystem::path(rel).parent_path().string();
      std::string base = std::filesystem::path(rel).filename().string();
      TarOptions times_left_out;
      times_left_out.clamp_mtime = 0;
      identity = hash_written([&](int out) {
                   if (rel.empty()) {
                     write_directory_tar(root_fd.get(), out, times_left_out);
                     return;
                   }
                   UniqueFd p = open_beneath(root_fd.get(), parent, O_RDONLY | O_DIRECTORY);
                   write_entry_tar(p.get(), base, out, times_left_out);
                 }).str();
    }
    Json m = {{"destination", target}, {"type", "bind"}, {"source", std::filesystem::absolute(root / rel).string()},
              {"options", {"rbind", "ro", "rprivate"}}};
    return {m, identity};
  }

  Json run_mount(const std::string& spec) {
    std::map<std::string, std::string> kv = mount_fields(spec);
    std::string type = kv.count("type") ? kv["type"] : "bind";
    std::string target = kv.count("target") ? kv["target"] : kv.count("dst") ? kv["dst"] : kv["destination"];
    if (type == "cache") {
      if (target.empty()) throw Error("RUN --mount=type=cache needs a target");
      std::string id = kv.count("id") ? kv["id"] : target;
      std::filesystem::path dir = store_.root() / "build-cache" / Digest::of(id).hex().substr(0, 24);
      std::filesystem::create_directories(dir);
      return {{"destination", target}, {"type", "bind"}, {"source", dir.string()}, {"options", {"rbind", "rw", "rprivate"}}};
    }
    if (type == "secret") {
      std::string id = kv["id"];
      if (id.empty()) throw Error("RUN --mount=type=secret needs an id");
      if (target.empty()) target = "/run/secrets/" + id;
      auto it = o_.secrets.find(id);
      if (it == o_.secrets.end()) {
        if (kv.count("required") && key_value_true(kv["required"])) throw Error("secret " + id + " is required: give it with --secret id=" + id + ",src=FILE");
        return Json();
      }
      return {{"destination", target}, {"type", "bind"}, {"source", it->second.string()}, {"options", {"rbind", "ro", "rprivate"}}};
    }
    throw Error("RUN --mount=type=" + type + " is not supported (bind, cache and secret are)");
  }

  // ADD of a local tar archive (plain, gzip or zstd): unpacked into the
  // destination directory. False when the file is no archive.
  bool unpack_if_archive(const std::filesystem::path& root, const std::string& rel, int dest_root,
                         const std::string& dest_rel, const std::string& name) {
    std::filesystem::path file = root / rel;
    struct stat sb;
    if (::lstat(file.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
    UniqueFd fd = open_or_throw(file, O_RDONLY | O_CLOEXEC);
    char head[512] = {};
    ssize_t n = ::pread(fd.get(), head, sizeof head, 0);
    bool gzip = n >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
    bool zstd = n >= 4 && std::string(head, 4) == "\x28\xb5\x2f\xfd";
    bool tar = n >= 262 && std::string(head + 257, 5) == "ustar";
    if (!gzip && !zstd && !tar) return false;
    make_directories_beneath(dest_root, dest_rel);
    UniqueFd dir = open_beneath(dest_root, dest_rel, O_RDONLY | O_DIRECTORY);
    if (dir.get() < 0) throw Error(name + " failed: cannot open the destination " + dest_rel);
    FdReader raw(fd.get(), file.string());
    DecompressingReader plain(raw, name + " " + rel);
    extract_layer(plain, dir.get(), name + " " + rel);
    return true;
  }

  Store& store_;
  const BuildOptions& o_;
  BuildContext context_;
  std::vector<ImageConfig> cache_from_;  // --cache-from images' configs
  char escape_ = '\\';
  std::vector<Stage> stages_;
  std::vector<const Instruction*> meta_args_;
  std::map<std::string, std::string> meta_values_;
  std::set<std::string> meta_declared_, consumed_;
  std::map<size_t, StageState> built_;       // entries made before the stages' threads start
  std::vector<std::vector<size_t>> deps_;    // the stages each stage uses
  size_t total_steps_ = 0;
  std::optional<StageOutput> output_;
  std::mutex shared_;     // consumed_, stderr
  std::mutex resolving_;  // resolve_pinned and resolve_image
  std::atomic<bool> stopping_{false};
  Json lock_ = Json::object();
  std::map<std::string, Json> resolved_;  // FROM name -> what it resolved to (for --pin)
};

}  // namespace

// COPY and ADD: sources from the context (less .dockerignore), another
// stage, an image, or heredocs; written into the step's overlay through our
// tar writer and the layer extractor, so a source can never land outside the
// image's root. ADD also unpacks local tar archives.
void Builder::copy(StageState& st, const Instruction& in, size_t stage_index) {
  std::string name = upper(in.keyword);
  std::optional<std::string> from, chown, chmod;
  for (const std::string& f : in.flags) {
    std::string key = f.substr(0, f.find('=')), value = f.find('=') == std::string::npos ? "" : f.substr(f.find('=') + 1);
    if (key == "--from") from = value;
    else if (key == "--chown") chown = value;
    else if (key == "--chmod") chmod = value;
    else if (key == "--link") continue;  // layers are independent here anyway
    else throw Error(name + " " + key + " is not supported");
  }
  ShellLexer lexer;
  lexer.escape = escape_;
  EnvLookup env = lookup(st);
  std::vector<std::string> args;
  for (const std::string& a : in.args) args.push_back(lexer.process_word(a, env));
  if (args.size() < 2) throw Error(name + " requires at least two arguments, but only one was provided. Destination could not be determined.");
  std::string dest = args.back();
  args.pop_back();
  std::string workdir = st.config().value("WorkingDir", "");
  bool dest_is_dir_syntax = dest.ends_with("/") || dest == "." || dest.ends_with("/.");
  std::string dest_path = dest.starts_with("/") ? dest : (workdir.empty() ? "/" : workdir) + "/" + dest;
  std::string dest_rel;
  if (!clean_member_name(dest_path, &dest_rel)) dest_rel.clear();

  // Where the sources come from.
  std::optional<WorkingLayer> source_view;
  std::filesystem::path source_root = context_.root();
  const DockerIgnore* ignore = &context_.ignore();
  if (from) {
    std::optional<size_t> s = stage_named(*from, stage_index);
    std::optional<Digest> top;
    if (s) {
      top = built_.at(*s).top;
    } else {
      Digest id = resolve_image(*from);
      if (auto rec = st.run->store.images().get(id)) top = rec->top_layer;
    }
    source_view.emplace(st.run->store, top);
    source_root = source_view->merged();
    ignore = nullptr;
  }

  using Source = CopySource;
  std::vector<Source> sources;
  bool wildcard = false;
  StagingDir downloads = st.run->store.make_staging_dir("add-url");
  for (const std::string& a : args) {
    bool url = a.starts_with("http://") || a.starts_with("https://");
    if (in.keyword == "add" && (a.starts_with("git@") || a.starts_with("git://") ||
                                (url && (a.ends_with(".git") || a.find(".git#") != std::string::npos))))
      throw Error("ADD of a git repository is not supported: " + a + " (clone it into the context, or RUN git clone)");
    if (in.keyword == "add" && url) {
      std::filesystem::path file = download_url(a, downloads.path());
      sources.push_back({file.filename().string(), nullptr, file});
      continue;
    }
    const Heredoc* doc = nullptr;
    for (const Heredoc& h : in.heredocs)
      if (a == "<<" + h.name || a == "<<-" + h.name) doc = &h;
    if (doc) {
      sources.push_back({doc->name, doc, {}});
      continue;
    }
    wildcard |= a.find_first_of("*?[") != std::string::npos;
    std::vector<std::string> found = expand_sources(source_root, a, ignore);
    if (found.empty()) {
      if (a.find_first_of("*?[") != std::string::npos) continue;
      throw Error(name + " failed: file not found in build context or excluded by .dockerignore: stat " + a +
                  ": file does not exist");
    }
    for (const std::string& f : found) sources.push_back({f, nullptr, {}});
  }
  if (sources.empty()) throw Error(name + " failed: no source files were specified");
  if ((sources.size() > 1 || wildcard) && !dest_is_dir_syntax)
    throw Error("When using " + name + " with more than one source file, the destination must be a directory and end with a /");

  TarOptions options;
  options.clamp_mtime = o_.source_date_epoch;
  if (chmod) {
    try {
      size_t used = 0;
      options.mode_bits = static_cast<uint32_t>(std::stoul(*chmod, &used, 8));
      if (used != chmod->size() || *options.mode_bits > 07777) throw Error("");
    } catch (...) {
      throw Error("invalid chmod parameter: " + *chmod);
    }
  }

  // The writes, as a tar stream: once with digests for contents, as the cache
  // key, and once for real.
  UniqueFd source_root_fd = open_or_throw(source_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string prefix = dest_rel.empty() ? "" : dest_rel + "/";
  auto write_source = [&](const Source& s, int out, const TarOptions& opts, bool into_dir) {
    if (!s.downloaded.empty()) {
      // A download: 0600 as Docker makes it (or --chmod), under the URL's last name.
      std::string target = into_dir ? prefix + s.rel : dest_rel;
      UniqueFd dir = open_or_throw(s.downloaded.parent_path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      TarOptions o = opts;
      o.prefix = "";
      if (!o.mode_bits) o.mode_bits = 0600;
      write_entry_tar(dir.get(), s.downloaded.filename().string(), out, o, target);
      return;
    }
    if (s.heredoc) {
      // A heredoc becomes a file: its content, root-owned, 0644 (or --chmod).
      std::string target = into_dir ? prefix + s.heredoc->name : dest_rel;
      std::string body = s.heredoc->content;
      std::string tmp_name = ".heredoc-" + random_hex(8);
      StagingDir tmp = st.run->store.make_staging_dir("heredoc");
      write_file_atomic(tmp.path() / tmp_name, body, 0644);
      UniqueFd tmp_fd = open_or_throw(tmp.path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      TarOptions o = opts;
      o.prefix = "";
      write_entry_tar(tmp_fd.get(), tmp_name, out, o, target);
      return;
    }
    std::string parent = std::filesystem::path(s.rel).parent_path().string();
    std::string base = std::filesystem::path(s.rel).filename().string();
    UniqueFd parent_fd = open_beneath(source_root_fd.get(), parent, O_RDONLY | O_DIRECTORY);
    if (parent_fd.get() < 0) throw Error(name + " failed: " + s.rel + ": a symlink on the way is not followed");
    struct stat sb;
    if (s.rel.empty() ? ::fstat(source_root_fd.get(), &sb) != 0 : ::fstatat(parent_fd.get(), base.c_str(), &sb, AT_SYMLINK_NOFOLLOW) != 0)
      throw_errno("stat " + s.rel);
    TarOptions o = opts;
    if (S_ISDIR(sb.st_mode)) {
      // A directory's contents go into the destination (itself is not copied).
      UniqueFd dir = s.rel.empty() ? UniqueFd(::fcntl(source_root_fd.get(), F_DUPFD_CLOEXEC, 0))
                                   : open_beneath(parent_fd.get(), base, O_RDONLY | O_DIRECTORY);
      o.prefix = prefix;
      if (ignore) {
        std::string below = s.rel.empty() ? "" : s.rel + "/";
        o.skip = [ignore, below](const std::string& p) { return ignore->excluded(below + p); };
      }
      write_directory_tar(dir.get(), out, o);
      return;
    }
    std::string target = into_dir ? prefix + base : dest_rel;
    o.prefix = "";
    write_entry_tar(parent_fd.get(), base, out, o, target);
  };
  bool sole_dir = sources.size() == 1 && !sources[0].heredoc && sources[0].downloaded.empty() &&
                  std::filesystem::is_directory(source_root / sources[0].rel);
  // The key: the parent image and the instruction (which decide owners and
  // where things land), and each source's names, modes and content digests
  // (context files' remembered between builds), times left out.
  Sha256 key_hash;
  key_hash.update(name + " " + dest + "\n");
  for (const std::string& f : in.flags) key_hash.update(f + "\n");
  TarOptions hash_options = options;
  hash_options.clamp_mtime = 0;  // touching a file does not change what COPY makes
  hash_options.uid = hash_options.gid = 0;
  std::optional<FileDigestCache>& digests = st.run->digests;
  if (!from && !digests) digests.emplace(st.run->store.db());
  hash_options.content_digest = [&](int fd, const struct stat& sb) {
    return from ? FileDigestCache::read_digest(fd) : digests->digest(fd, sb);
  };
  for (const Source& s : sources)
    key_hash.update(hash_written([&](int out) { write_source(s, out, hash_options, true); }).str());
  if (!from) digests->save();
  std::string content = key_hash.finish().hex();
  std::string key = cache_key(st, "copy " + content);
  std::string kind = sole_dir ? "dir" : (sources.size() > 1 ? "multi" : "file");
  std::string created_by = "/bin/sh -c #(nop) " + name + " " + kind + ":" + content + " in " + dest + " ";
  if (use_cache(st, key) || use_cache_from(st, created_by, key)) return;

  WorkingLayer layer(st.run->store, st.top);
  UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (chown) {
    // Names from the image's /etc/passwd and /etc/group; a user alone means gid = uid (Docker's rule).
    ContainerUser u = resolve_container_user(layer.merged(), *chown);
    options.uid = u.uid;
    options.gid = chown->find(':') == std::string::npos ? u.uid : u.gid;
  } else {
    options.uid = 0;
    options.gid = 0;
  }
  // The destination with the image's symlinks followed inside its root (Debian's /bin -> usr/bin).
  dest_rel = resolve_beneath(root.get(), dest_rel);
  prefix = dest_rel.empty() ? "" : dest_rel + "/";
  struct stat dest_st;
  UniqueFd dest_fd = open_beneath(root.get(), dest_rel, O_RDONLY);
  bool dest_is_dir = dest_fd.get() >= 0 && ::fstat(dest_fd.get(), &dest_st) == 0 && S_ISDIR(dest_st.st_mode);
  bool into_dir = dest_is_dir_syntax || dest_is_dir || sources.size() > 1;

  // Missing directories on the way are made with the copy's owner, as Docker does.
  std::string dest_dir = into_dir ? dest_rel : std::filesystem::path(dest_rel).parent_path().string();
  if (sole_dir && !into_dir) dest_dir = dest_rel;
  make_directories_beneath(root.get(), dest_dir, *options.uid, *options.gid);
  bool add = in.keyword == "add";
  for (const Source& s : sources) {
    if (add && !s.heredoc && s.downloaded.empty() && unpack_if_archive(source_root, s.rel, root.get(), dest_rel, name)) continue;
    copy_through_tar([&](int out) { write_source(s, out, options, into_dir); }, root.get(), name + " " + s.rel);
  }
  commit(st, created_by, &layer, key, false, name + " step " + std::to_string(st.run->step));
}

Digest build_image(Store& store, const BuildOptions& options) {
  Builder builder(store, options);
  return builder.run();
}

}  // namespace berth
