// berth build [OPTIONS] PATH: an image from a Dockerfile, with the output of
// Docker's builder ("Step N/M : …", " ---> Using cache", "Successfully built
// …", "Successfully tagged …"), -q printing only the ID.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "builder/cache_spec.h"
#include "builder/image_builder.h"
#include "cli/command.h"
#include "cli/registry_access.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/key_value_list.h"
#include "core/number.h"
#include "core/platform.h"
#include "core/reference.h"
#include "engine/images.h"
#include "store/image_leases.h"

namespace berth {
namespace {

std::string read_if_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? read_file(p) : "";
}

// The context, the Dockerfile, its .dockerignore and lock file, as the
// command line names them.
void read_build_files(const Args& args, BuildOptions& o) {
  o.context = args.positional()[0];
  std::error_code ec;
  if (!std::filesystem::is_directory(o.context, ec))
    throw Error("unable to prepare context: path \"" + o.context.string() + "\" not found");
  std::filesystem::path dockerfile = args.value("file");
  if (dockerfile.empty()) dockerfile = o.context / "Dockerfile";
  else if (dockerfile.is_relative() && !std::filesystem::exists(dockerfile, ec)) dockerfile = o.context / dockerfile;
  if (!std::filesystem::is_regular_file(dockerfile, ec))
    throw Error("Cannot locate specified Dockerfile: " + dockerfile.filename().string());
  o.dockerfile = read_file(dockerfile);
  o.lock_file = dockerfile.string() + ".lock";  // Dockerfile.lock, beside it
  // <Dockerfile>.dockerignore beside it wins over the context's .dockerignore (BuildKit's rule).
  std::filesystem::path own_ignore = dockerfile.string() + ".dockerignore";
  o.dockerignore = std::filesystem::exists(own_ignore, ec) ? read_file(own_ignore)
                                                          : read_if_exists(o.context / ".dockerignore");
}

// --build-arg NAME=VALUE, or NAME alone (its value from the environment).
void read_build_args(const Args& args, BuildOptions& o) {
  for (const std::string& a : args.values("build-arg")) {
    size_t eq = a.find('=');
    if (eq != std::string::npos) o.build_args[a.substr(0, eq)] = a.substr(eq + 1);
    else if (const char* v = std::getenv(a.c_str())) o.build_args[a] = v;
  }
}

// --label KEY=VALUE, or KEY alone (an empty value), as docker's CLI reads them.
void read_labels(const Args& args, BuildOptions& o) {
  for (const std::string& l : args.values("label")) {
    size_t eq = l.find('=');
    o.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
}

// --secret id=ID,src=FILE (or source=).
void read_secrets(const Args& args, BuildOptions& o) {
  std::error_code ec;
  for (const std::string& spec : args.values("secret")) {
    std::string id, src;
    for (const auto& [key, value] : parse_key_value_list(spec)) {
      if (key == "id") id = value;
      else if (key == "src" || key == "source") src = value;
    }
    if (id.empty() || src.empty()) throw UsageError("invalid secret \"" + spec + "\": expected id=ID,src=FILE");
    if (!std::filesystem::is_regular_file(src, ec)) throw Error("secret " + id + ": no such file " + src);
    o.secrets[id] = std::filesystem::absolute(src);
  }
}

// --ssh default | ID=SOCKET: an ssh-agent socket ("default" alone: $SSH_AUTH_SOCK).
void read_ssh_agents(const Args& args, BuildOptions& o) {
  for (const std::string& spec : args.values("ssh")) {
    size_t eq = spec.find('=');
    std::string id = spec.substr(0, eq);
    std::string socket = eq == std::string::npos ? "" : spec.substr(eq + 1);
    if (socket.empty()) {
      const char* env = std::getenv("SSH_AUTH_SOCK");
      if (!env || !*env) throw Error("--ssh " + spec + ": SSH_AUTH_SOCK is not set (start ssh-agent, or give ID=SOCKET)");
      socket = env;
    }
    struct stat sb;
    if (id.empty() || ::stat(socket.c_str(), &sb) != 0 || !S_ISSOCK(sb.st_mode))
      throw Error("--ssh " + spec + ": " + socket + " is not an ssh-agent socket (keys: load them with ssh-add)");
    o.ssh_agents[id] = std::filesystem::absolute(socket);
  }
}

// What the build does: target, cache, network, reproducibility. Output is
// always Docker's plain step lines; a build runs on this machine's platform.
void read_build_settings(const Args& args, BuildOptions& o) {
  if (std::string p = args.value("progress", "auto"); p != "auto" && p != "plain" && p != "tty")
    throw UsageError("invalid value for --progress: " + p + " (auto, plain or tty)");
  if (!args.value("platform").empty() && !Platform::parse(args.value("platform")).matches(Platform::host()))
    throw Error("building for " + args.value("platform") + " is not supported: RUN steps run on " + Platform::host().str());
  o.target = args.value("target");
  o.no_cache = args.flag("no-cache");
  o.quiet = args.flag("quiet");
  o.pin = args.flag("pin");
  o.network = args.value("network", "default");
  if (o.network != "default" && o.network != "host" && o.network != "none")
    throw UsageError("network mode \"" + o.network + "\" not supported by buildkit: use default, host or none");
  // --source-date-epoch, else $SOURCE_DATE_EPOCH (the reproducible-builds convention).
  if (!args.value("source-date-epoch").empty()) {
    o.source_date_epoch = args.integer("source-date-epoch", 0);
  } else if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
    o.source_date_epoch = try_parse_int(e);
    if (!o.source_date_epoch) throw UsageError(std::string("invalid SOURCE_DATE_EPOCH: ") + e);
  }
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "build");
  // `berth build . | head` must not kill a build between a mount and its
  // clean-up: a reader that went away only loses the output.
  ::signal(SIGPIPE, SIG_IGN);
  BuildOptions o;
  // Tags are checked before anything is built.
  for (const std::string& t : args.values("tag")) {
    Reference r = parse_docker_ref_or_throw(t);
    if (!r.digest.empty()) throw UsageError("invalid argument \"" + t + "\" for \"-t, --tag\" flag: a tag cannot have a digest");
    o.tags.push_back(r.str());
  }
  read_build_files(args, o);
  read_build_args(args, o);
  read_labels(args, o);
  read_secrets(args, o);
  read_ssh_agents(args, o);
  read_build_settings(args, o);
  std::ostream& out = std::cout;
  o.out = &out;
  o.err = &std::cerr;
  std::string pull = args.flag("pull") ? "always" : "missing";
  PullOptions pull_opts = pull_options(args);
  std::ostream nowhere(nullptr);  // -q: a pull says nothing either
  o.resolve_base = [&](const std::string& name) {
    return image_or_pull(ctx, name, pull, pull_opts, o.quiet ? nowhere : out);
  };
  // --cache-from IMAGE: local images, pulled when missing; one that cannot be had is a
  // warning, as in Docker. type=registry|local: a shared build cache (builder/cache_import.h).
  for (const std::string& value : args.values("cache-from")) {
    CacheSpec spec = parse_cache_spec(value, CacheDirection::kImport);
    if (spec.type == CacheSpec::Type::kImage) {
      try {
        spec.image = image_or_pull(ctx, spec.ref, "missing", pull_opts, o.quiet ? nowhere : out);
      } catch (const Error& e) {
        std::cerr << "WARNING: --cache-from " << spec.ref << " ignored: " << e.what() << "\n";
        continue;
      }
    }
    o.cache_sources.push_back(spec);
  }
  for (const std::string& value : args.values("cache-to")) o.cache_to.push_back(parse_cache_spec(value, CacheDirection::kExport));
  o.registry_client = [&](const Reference& ref) { return registry_client(ctx, ref.domain); };
  ScopedLease lease(ctx.store().db());  // the step images, kept from a concurrent prune until tagged
  o.lease = lease.name();
  Digest id;
  try {
    id = build_image(ctx.store(), o);
  } catch (const BuildStepError& e) {
    std::cerr << e.what() << "\n";
    return e.exit_code;
  }
  tag_image(ctx.store(), id, o.tags);
  if (std::string iidfile = args.value("iidfile"); !iidfile.empty()) write_file_atomic(iidfile, id.str(), 0644);
  if (o.quiet) {
    out << id.str() << "\n";
    return 0;
  }
  out << "Successfully built " << id.short_id() << "\n";
  for (const std::string& t : o.tags) out << "Successfully tagged " << parse_normalized_named_or_throw(t).familiar_str() << "\n";
  return 0;
}

}  // namespace

const Command kBuildCommand = {"build",
                               "berth build [OPTIONS] PATH",
                               "Build an image from a Dockerfile",
                               {{'t', "tag", true},
                                {'f', "file", true},
                                {0, "build-arg", true},
                                {0, "label", true},
                                {0, "target", true},
                                {0, "no-cache", false},
                                {0, "cache-from", true},
                                {0, "cache-to", true},
                                {'q', "quiet", false},
                                {0, "pull", false},
                                {0, "network", true},
                                {0, "iidfile", true},
                                {0, "platform", true},
                                {0, "progress", true},
                                {0, "source-date-epoch", true},
                                {0, "secret", true},
                                {0, "ssh", true},
                                {0, "pin", false}},
                               run};

}  // namespace berth
