#include "runtime/container_spec.h"

#include "core/error.h"
#include "runtime/container_create.h"
#include "runtime/container_mounts.h"
#include "runtime/container_rootfs.h"
#include "runtime/container_user.h"
#include "runtime/network_mode.h"

namespace berth {

RuntimeSpecInputs container_spec_inputs(Store& store, const ContainerRecord& c, const ContainerPaths& paths) {
  const Json& cfg = c.config["Config"];
  const Json& host = c.config["HostConfig"];
  RuntimeSpecInputs in;
  in.id = c.id;
  in.hostname = cfg.value("Hostname", c.id.substr(0, 12));
  in.args.push_back(c.config.value("Path", ""));
  for (const Json& a : c.config.value("Args", Json::array())) in.args.push_back(a.get<std::string>());
  in.rootfs = container_merged_dir(store, c.layer_id);
  ContainerUser user = resolve_container_user(in.rootfs, cfg.value("User", ""));
  in.uid = user.uid;
  in.gid = user.gid;
  in.additional_gids = container_supplementary_groups(user);
  bool has_home = false;
  for (const Json& e : cfg.value("Env", Json::array())) {
    in.env.push_back(e.get<std::string>());
    has_home |= in.env.back().starts_with("HOME=");
  }
  if (!has_home) in.env.push_back("HOME=" + user.home);
  in.terminal = cfg.value("Tty", false);
  if (in.terminal) in.env.push_back("TERM=xterm");  // as Docker adds for -t
  in.cwd = cfg.value("WorkingDir", "");
  if (in.cwd.empty()) in.cwd = "/";
  in.netns = network_namespace_of(store, c);
  in.hosts = paths.hosts();
  in.hostname_file = paths.hostname();
  in.resolv_conf = paths.resolv_conf();
  in.privileged = host.value("Privileged", false);
  in.read_only = host.value("ReadonlyRootfs", false);
  for (const Json& x : host.value("CapAdd", Json::array())) in.cap_add.push_back(x.get<std::string>());
  for (const Json& x : host.value("CapDrop", Json::array())) in.cap_drop.push_back(x.get<std::string>());
  std::vector<std::string> security;
  for (const Json& x : host.value("SecurityOpt", Json::array())) security.push_back(x.get<std::string>());
  apply_security_options(security, &in);
  for (const Json& m : host.value("Mounts", Json::array())) in.extra_mounts.push_back(runtime_mount(m));
  if (host.value("Init", false)) {  // tini as PID 1, as Docker's --init
    std::string tini = init_binary();
    if (tini.empty()) throw Error("--init needs tini-static (Debian's tini package)");
    in.extra_mounts.push_back({{"destination", kInitProcessPath}, {"type", "bind"}, {"source", tini},
                               {"options", {"rbind", "ro", "rprivate"}}});
    in.args.insert(in.args.begin(), {kInitProcessPath, "--"});
  }
  in.memory = host.value("Memory", int64_t{0});
  in.cpu_quota = host.value("NanoCpus", int64_t{0}) / 10000;  // per 100 ms period
  in.pids_limit = host.value("PidsLimit", int64_t{0});
  return in;
}

}  // namespace berth
