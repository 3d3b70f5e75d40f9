// RUN: the command runs in a working layer over the stage's image, with its
// mounts (RUN --mount): binds of the context or of another stage's or
// image's files, read-only; caches that persist under <root>/build-cache;
// secrets bound read-only from the file --secret named, never copied.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "archive/directory_tar.h"
#include "archive/layer_extractor.h"
#include "archive/tar_pipe.h"
#include "builder/build_args.h"
#include "builder/buildkit_history.h"
#include "builder/dispatchers.h"
#include "builder/run_step.h"
#include "builder/runtime_mount_points.h"
#include "core/fs.h"
#include "dockerfile/config_instructions.h"

namespace berth {
namespace {

// The command: the exec form as written, else the stage's SHELL with the line.
std::vector<std::string> command_of(const StageState& st, const Instruction& in) {
  if (in.json_form) return in.args;
  std::vector<std::string> args;
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
  return args;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The history line: the stage's ARGs as declared, an ENV of the same name winning.
std::string history_line(const StageState& st, const std::vector<std::string>& args) {
  EnvLookup env = env_of(st.config());
  std::vector<std::pair<std::string, std::string>> in_order;
  for (const std::string& name : st.arg_order) {
    std::optional<std::string> value = env(name);
    in_order.emplace_back(name, value ? *value : st.args.at(name));
  }
  return run_history_line(in_order, args);
}

std::vector<std::string> run_env(const BuildSession& session, const StageState& st) {
  std::vector<std::string> env;
  for (const Json& e : st.config().value("Env", Json::array())) env.push_back(e.get<std::string>());
  EnvLookup own = env_of(st.config());
  for (const auto& [k, v] : st.args)
    if (!own(k)) env.push_back(k + "=" + v);
  for (const auto& [k, v] : session.options().build_args)
    if (is_proxy_arg(k) && !own(k) && !st.args.contains(k)) env.push_back(k + "=" + v);
  return env;
}

Json bind_spec(const std::string& target, const std::string& source, const char* mode) {
  return {{"destination", target}, {"type", "bind"}, {"source", source}, {"options", {"rbind", mode, "rprivate"}}};
}

// What identifies a bound path's content, for the cache key: the digest of
// its tar with times left out.
std::string content_identity(int root_fd, const std::string& rel) {
  TarOptions times_left_out;
  times_left_out.clamp_mtime = 0;
  return hash_written([&](int out) {
           if (rel.empty()) {
             write_directory_tar(root_fd, out, times_left_out);
             return;
           }
           std::filesystem::path p(rel);
           UniqueFd parent = open_beneath(root_fd, p.parent_path().string(), O_RDONLY | O_DIRECTORY);
           write_entry_tar(parent.get(), p.filename().string(), out, times_left_out);
         })
      .str();
}

// A RUN's bind mount, and what identifies its content.
struct BoundMount {
  Json spec;
  std::string identity;
};

// RUN --mount=type=bind,target=DIR[,source=PATH][,from=STAGE|IMAGE]: from the
// context (never outside it) or another stage's or image's files.
BoundMount bind_mount(BuildSession& session, StageState& st, const RunMount& m, size_t stage,
                      std::vector<std::unique_ptr<WorkingLayer>>& views) {
  std::string rel;
  if (!clean_member_name(m.source, &rel)) throw Error("RUN --mount: source " + m.source + " is outside its root");
  std::filesystem::path root = session.context().root();
  std::string identity;
  if (m.from) {
    auto [top, image] = session.source_of(st, *m.from, stage);
    identity = image;
    views.push_back(std::make_unique<WorkingLayer>(st.run->store, top));
    root = views.back()->merged();
  }
  UniqueFd root_fd = open_or_throw(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  UniqueFd src = open_beneath(root_fd.get(), rel, O_RDONLY);  // no symlink on the way: nothing outside
  if (src.get() < 0) throw Error("RUN --mount: source " + m.source + " not found (or reached through a symlink)");
  if (identity.empty()) identity = content_identity(root_fd.get(), rel);
  return {bind_spec(m.target, std::filesystem::absolute(root / rel).string(), "ro"), identity};
}

// A cache or secret mount (null for an absent secret that is not required).
Json other_mount(BuildSession& session, const RunMount& m) {
  if (m.type == "cache") {
    std::filesystem::path dir = session.store().root() / "build-cache" / Digest::of(m.id).hex().substr(0, 24);
    std::filesystem::create_directories(dir);
    return bind_spec(m.target, dir.string(), "rw");
  }
  if (m.type == "ssh") {
    // The agent's socket, for this step only: never copied, never in a layer or the key.
    auto agent = session.options().ssh_agents.find(m.id);
    if (agent == session.options().ssh_agents.end()) {
      if (m.required) throw Error("no SSH agent " + m.id + " was forwarded: give it with --ssh " + m.id + "[=SOCKET]");
      return Json();
    }
    return bind_spec(m.target, agent->second.string(), "ro");
  }
  auto it = session.options().secrets.find(m.id);
  if (it == session.options().secrets.end()) {
    if (m.required) throw Error("secret " + m.id + " is required: give it with --secret id=" + m.id + ",src=FILE");
    return Json();
  }
  return bind_spec(m.target, it->second.string(), "ro");
}

// Mount points the runtime will make that the image lacks (deepest first):
// they are not the step's changes, and go once it has run.
void add_missing_mount_points(const std::filesystem::path& root, const Json& mount, std::vector<std::string>& made) {
  std::string target = clean_path("/" + mount["destination"].get<std::string>());
  for (std::string p = target; p != "/"; p = std::filesystem::path(p).parent_path().string()) {
    struct stat sb;
    if (::lstat((root / p.substr(1)).c_str(), &sb) == 0) break;
    made.push_back(p);
  }
}

void remove_mount_points(const std::filesystem::path& root, const std::vector<std::string>& made) {
  for (const std::string& p : made) {
    std::filesystem::path where = root / p.substr(1);
    if (::rmdir(where.c_str()) != 0 && errno == ENOTDIR) ::unlink(where.c_str());
  }
}

// Runs the step's command, its output held in a file while an earlier stage is still printing.
int run_in_order(BuildSession& session, StageState& st, RunStep& step) {
  std::optional<StagingDir> held;
  UniqueFd held_fd;
  if (!session.options().quiet && !session.output().writes_through(st.run->stage)) {
    held.emplace(st.run->store.make_staging_dir("run-output"));
    held_fd = open_or_throw(held->path() / "output", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    step.output_fd = held_fd.get();
  }
  int code = run_build_step(st.run->store, step);
  if (held) session.output().write(st.run->stage, read_file(held->path() / "output"));
  return code;
}

}  // namespace

void dispatch_run(BuildSession& session, StageState& st, const TypedInstruction& c, size_t stage) {
  const Instruction& in = c.instruction;
  const RunFlags& flags = c.run();
  std::vector<std::string> args = command_of(st, in);
  std::string network = flags.network.value_or(session.options().network);
  std::string created_by = history_line(st, args);
  // A bind mount's content is part of what the step sees: its identity goes in the key.
  std::string mounts_text;
  std::vector<std::unique_ptr<WorkingLayer>> views;  // stages and images bound from
  std::vector<Json> mounts;
  for (const RunMount& m : flags.mounts) {
    check_run_mount(m);
    mounts_text += " --mount=" + m.spec;
    if (m.type != "bind") {
      mounts.push_back(Json());
      continue;
    }
    BoundMount bound = bind_mount(session, st, m, stage, views);
    mounts.push_back(bound.spec);
    mounts_text += " " + bound.identity;
  }
  std::string key = session.cache_key(st, "run " + network + mounts_text + " " + created_by);
  if (session.use_cache(st, key) || session.use_cache_from(st, created_by, key)) return;

  WorkingLayer layer(st.run->store, st.top);
  RunStep step;
  step.rootfs = layer.merged();
  step.args = args;
  step.env = run_env(session, st);
  step.user = st.config().value("User", "");
  step.workdir = st.config().value("WorkingDir", "");
  step.network = network;
  step.quiet = session.options().quiet;
  std::vector<std::string> made_for_mounts;
  for (size_t i = 0; i < flags.mounts.size(); ++i) {
    Json m = mounts[i].is_null() ? other_mount(session, flags.mounts[i]) : mounts[i];
    if (m.is_null()) continue;  // an optional secret or agent that was not given
    add_missing_mount_points(layer.merged(), m, made_for_mounts);
    if (flags.mounts[i].type == "ssh") step.env.push_back("SSH_AUTH_SOCK=" + flags.mounts[i].target);
    step.mounts.push_back(m);
  }
  if (step.workdir.size() > 1) {
    UniqueFd root = open_or_throw(layer.merged(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    make_directories_beneath(root.get(), resolve_beneath(root.get(), clean_path(step.workdir).substr(1)));
  }
  step.id = random_hex(12);
  session.say(st, " ---> Running in " + step.id);
  int code = run_in_order(session, st, step);
  remove_mount_points(layer.merged(), made_for_mounts);
  if (code != 0)
    throw BuildStepError("The command '" + joined(args) + "' returned a non-zero code: " + std::to_string(code), code);
  layer.unmount();  // the changes are written beside the mount, not under it
  keep_runtime_mount_points(st.run->store, st.top, layer);
  session.commit(st, StepCommit::with_layer(created_by, layer, key, "RUN step " + std::to_string(st.run->step)));
}

}  // namespace berth
