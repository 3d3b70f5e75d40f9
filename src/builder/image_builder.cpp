// build_image: plan (build_plan.h), then each needed stage on the scheduler
// (stage_scheduler.h), each stage's instructions through the dispatchers
// (dispatchers.h), sharing one BuildSession.
#include "builder/image_builder.h"

#include "builder/build_session.h"
#include "builder/dispatchers.h"
#include "builder/stage_scheduler.h"
#include "core/ascii_case.h"
#include "core/platform.h"
#include "core/reference.h"
#include "dockerfile/config_instructions.h"

namespace berth {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Where FROM leaves a stage: an earlier stage as it was built, scratch, or an image.
StageState base_state(BuildSession& session, const PlannedStage& stage, StageRun& run) {
  StageState st;
  if (stage.base_stage) {
    st = session.snapshot(*stage.base_stage);
    st.run = &run;
    st.args.clear();
    st.arg_order.clear();
    st.cmd_set = false;
    if (!st.image) session.commit(st, {});  // FROM scratch alone: an empty image to build on
    return st;
  }
  st.run = &run;
  if (ascii_lower(stage.base) == "scratch") {
    Platform host = Platform::host();
    st.key = base_key(std::nullopt, host.str());
    // BuildKit's empty image has WorkingDir "/" (the classic builder's none):
    // berth follows BuildKit (docs/build.md, "Where Docker's builders disagree").
    st.doc = {{"architecture", host.architecture}, {"os", host.os}, {"config", {{"WorkingDir", "/"}}},
              {"rootfs", {{"type", "layers"}, {"diff_ids", Json::array()}}}, {"history", Json::array()}};
    return st;
  }
  Reference ref = parse_normalized_named_or_throw(stage.base);
  Digest id = session.resolve_base(stage.base, ref);
  ImageConfig config = run.store.config_of(id);
  st.image = id;
  st.key = base_key(id, Platform::host().str());
  st.doc = config.doc;
  st.diff_ids = config.diff_ids;
  if (std::optional<ImageRecord> rec = run.store.images().get(id)) st.top = rec->top_layer;
  if (!st.doc.contains("config") || !st.doc["config"].is_object()) st.doc["config"] = Json::object();
  return st;
}

// The base image's ONBUILD triggers run first, and are not passed on.
void run_triggers(BuildSession& session, StageState& st, size_t stage) {
  Json triggers = st.config().value("OnBuild", Json());
  if (!triggers.is_array() || triggers.empty()) return;
  session.say(st, "# Executing " + std::to_string(triggers.size()) + " build trigger" + (triggers.size() > 1 ? "s" : ""));
  st.config()["OnBuild"] = Json();
  for (const Json& t : triggers)
    for (const TypedInstruction& c : type_instructions(parse_dockerfile(t.get<std::string>() + "\n"))) dispatch(session, st, c, stage);
}

std::string step_line(const BuildSession& session, StageRun& run, const Instruction& in) {
  return "Step " + std::to_string(++run.step) + "/" + std::to_string(session.plan().total_steps) + " : " + in.original;
}

StageState build_stage(BuildSession& session, const PlannedStage& stage, StageRun& run) {
  session.output().write(stage.index, step_line(session, run, stage.from.instruction) + "\n");
  StageState st = base_state(session, stage, run);
  if (st.image) session.say(st, " ---> " + st.image->short_id());
  // As Docker's builder: a stage whose image sets no PATH gets the default one.
  if (!env_of(st.config())("PATH")) set_env(st.config(), "PATH", kDefaultPath);
  run_triggers(session, st, stage.index);
  for (const TypedInstruction& c : stage.body) {
    if (session.stopping()) break;  // another stage failed
    session.say(st, step_line(session, run, c.instruction));
    dispatch(session, st, c, stage.index);
  }
  return st;
}

BuildPlan plan_or_throw(const BuildOptions& options) {
  try {
    return plan_build(options.dockerfile, options.target, options.build_args);
  } catch (const DockerfileError& e) {
    throw Error(std::string("dockerfile parse error") + (e.line ? " line " + std::to_string(e.line) : "") + ": " + e.what());
  }
}

void build_needed_stages(BuildSession& session) {
  const BuildPlan& plan = session.plan();
  StageGraph graph;
  for (const PlannedStage& s : plan.stages) {
    graph.needed.push_back(s.needed);
    graph.uses.push_back(s.uses);
  }
  auto build = [&](size_t i) {
    try {
      Store own(session.store().root());
      StageRun run{own, i, plan.stages[i].first_step, std::nullopt};
      StageState& built = session.built(i);
      built = build_stage(session, plan.stages[i], run);
      built.run = nullptr;
    } catch (...) {
      session.output().finish(i);
      throw;
    }
    session.output().finish(i);
  };
  try {
    run_stages(graph, default_stage_limit(), build, session.stopping());
  } catch (...) {
    session.output().flush_all();
    throw;
  }
}

// --cache-to, each destination in turn (inline first: it remakes the final
// image). A failure is a warning, unless the destination says ignore-error=false.
void export_caches(BuildSession& session, StageState& last) {
  const BuildOptions& o = session.options();
  if (o.cache_to.empty()) return;
  session.finish_uploads_ahead();
  Store& store = last.run->store;
  bool every_stage_here = false;
  // The steps made or taken from a cache whose images are in the store (a
  // step taken from a cache and then passed over is not). The final stage's
  // are; mode=max first brings every stage's pending steps in.
  auto made_here = [&](bool every_stage) {
    if (every_stage && !every_stage_here) {
      session.materialize_all(store);
      every_stage_here = true;
    }
    std::vector<MadeStep> made;
    for (const MadeStep& s : session.made_steps())
      if (store.images().get(s.image)) made.push_back(s);
    return steps_to_export(made, last.key, every_stage);
  };
  std::vector<const CacheSpec*> order;
  for (const CacheSpec& spec : o.cache_to)
    if (spec.type == CacheSpec::Type::kInline) order.push_back(&spec);
  for (const CacheSpec& spec : o.cache_to)
    if (spec.type != CacheSpec::Type::kInline) order.push_back(&spec);
  for (const CacheSpec* spec : order) {
    if (!o.quiet && o.out) *o.out << "Exporting build cache: " << spec->text << "\n" << std::flush;
    try {
      if (spec->type == CacheSpec::Type::kInline) {
        Json doc = last.doc;
        doc[kInlineCacheField] = inline_cache_field(store, made_here(false), *last.image);
        session.rewrite_config(last, doc);
        continue;
      }
      std::vector<MadeStep> steps = made_here(spec->every_stage);
      if (spec->type == CacheSpec::Type::kLocal) {
        export_to_directory(store, spec->directory, steps);
      } else {
        Reference ref = parse_docker_ref_or_throw(spec->ref);
        if (!o.registry_client) throw Error("no registry access here");
        export_to_registry(store, *o.registry_client(ref), ref, steps);
      }
    } catch (const Error& e) {
      if (!spec->ignore_error) throw Error("--cache-to " + spec->text + ": " + e.what());
      session.warn("WARNING: --cache-to " + spec->text + " failed: " + e.what());
    }
  }
}

}  // namespace

Digest build_image(Store& store, const BuildOptions& options) {
  BuildSession session(store, options, plan_or_throw(options));
  for (const std::string& w : session.plan().warnings) session.warn(w);
  build_needed_stages(session);
  size_t target = session.plan().target;
  StageState& last = session.built(target);
  StageRun main_run{store, target, 0, std::nullopt};
  last.run = &main_run;
  session.materialize(last, store);  // the image is made here; steps of other stages stay where they are
  if (!last.image) session.commit(last, {});  // FROM scratch alone: an empty image
  if (!options.labels.empty()) {
    Json& labels = last.config()["Labels"];
    if (!labels.is_object()) labels = Json::object();
    for (const auto& [key, value] : options.labels) labels[key] = value;
    session.commit(last, {});  // no history entry, the image's time kept: a cached build gives the same ID
  }
  export_caches(session, last);
  std::vector<std::string> unused = session.unused_build_args();
  if (!unused.empty()) {
    std::string list;
    for (const std::string& u : unused) list += (list.empty() ? "" : " ") + u;
    session.warn("[Warning] One or more build-args [" + list + "] were not consumed");
  }
  if (options.pin) session.write_lock();
  return *last.image;
}

}  // namespace berth
