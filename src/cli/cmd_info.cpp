// berth info [-f FORMAT] (and system info): what the engine and the machine
// offer — the Server section `docker info` prints from the Engine API's /info,
// line for line, and Docker's warnings on stderr.
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/go_template.h"
#include "core/units.h"
#include "engine/system_info.h"

namespace berth {
namespace {

std::string str(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

// docker's prettyPrintServerInfo, for the fields berth's info has.
void print_server(const Json& i, std::ostream& out) {
  out << "Server:\n";
  out << " Containers: " << str(i["Containers"]) << "\n";
  out << "  Running: " << str(i["ContainersRunning"]) << "\n";
  out << "  Paused: " << str(i["ContainersPaused"]) << "\n";
  out << "  Stopped: " << str(i["ContainersStopped"]) << "\n";
  out << " Images: " << str(i["Images"]) << "\n";
  out << " Server Version: " << str(i["ServerVersion"]) << "\n";
  out << " Storage Driver: " << str(i["Driver"]) << "\n";
  for (const Json& pair : i["DriverStatus"]) out << "  " << str(pair[0]) << ": " << str(pair[1]) << "\n";
  out << " Logging Driver: " << str(i["LoggingDriver"]) << "\n";
  out << " Cgroup Driver: " << str(i["CgroupDriver"]) << "\n";
  out << " Cgroup Version: " << str(i["CgroupVersion"]) << "\n";
  out << " Plugins:\n";
  auto joined = [](const Json& list) {
    std::string s;
    for (const Json& x : list) s += (s.empty() ? "" : " ") + str(x);
    return s;
  };
  out << "  Volume: " << joined(i["Plugins"]["Volume"]) << "\n";
  out << "  Network: " << joined(i["Plugins"]["Network"]) << "\n";
  if (i["Plugins"]["Authorization"].is_array() && !i["Plugins"]["Authorization"].empty())
    out << "  Authorization: " << joined(i["Plugins"]["Authorization"]) << "\n";
  out << "  Log: " << joined(i["Plugins"]["Log"]) << "\n";
  out << " Swarm: " << str(i["Swarm"]["LocalNodeState"]) << "\n";
  out << " Runtimes:";
  for (const auto& [name, ignored] : i["Runtimes"].items()) out << " " << name;
  out << "\n";
  out << " Default Runtime: " << str(i["DefaultRuntime"]) << "\n";
  out << " Init Binary: " << str(i["InitBinary"]) << "\n";
  // "containerd version: …" and the others, named after the info's *Commit fields.
  for (const char* key : {"ContainerdCommit", "RuncCommit", "InitCommit"}) {
    std::string component = key;
    component = component.substr(0, component.size() - 6);  // without "Commit"
    for (char& ch : component) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out << " " << component << " version: " << str(i[key]["ID"]) << "\n";
  }
  out << " Security Options:\n";
  for (const Json& option : i["SecurityOptions"]) {  // "name=seccomp,profile=default"
    std::istringstream parts(str(option));
    for (std::string kv; std::getline(parts, kv, ',');) {
      size_t eq = kv.find('=');
      std::string key = kv.substr(0, eq), value = eq == std::string::npos ? "" : kv.substr(eq + 1);
      if (key == "name") out << "  " << value << "\n";
      else out << "   " << static_cast<char>(std::toupper(static_cast<unsigned char>(key[0]))) << key.substr(1)
               << ": " << value << "\n";
    }
  }
  out << " Kernel Version: " << str(i["KernelVersion"]) << "\n";
  out << " Operating System: " << str(i["OperatingSystem"]) << "\n";
  out << " OSType: " << str(i["OSType"]) << "\n";
  out << " Architecture: " << str(i["Architecture"]) << "\n";
  out << " CPUs: " << str(i["NCPU"]) << "\n";
  out << " Total Memory: " << bytes_size(i["MemTotal"].get<double>()) << "\n";
  out << " Name: " << str(i["Name"]) << "\n";
  if (!str(i["ID"]).empty()) out << " ID: " << str(i["ID"]) << "\n";
  out << " Docker Root Dir: " << str(i["DockerRootDir"]) << "\n";
  out << " Debug Mode: " << str(i["Debug"]) << "\n";
  out << " Registry: " << str(i["IndexServerAddress"]) << "\n";
  out << " Labels:\n";
  for (const Json& l : i["Labels"]) out << "  " << str(l) << "\n";
  out << " Experimental: " << str(i["ExperimentalBuild"]) << "\n";
  out << " Insecure Registries:\n";
  for (const Json& cidr : i["RegistryConfig"]["InsecureRegistryCIDRs"]) out << "  " << str(cidr) << "\n";
  out << " Live Restore Enabled: " << str(i["LiveRestoreEnabled"]) << "\n";
  out << "\n";
}

// The docker CLI's warnings for what the kernel lacks.
void print_warnings(const Json& i, std::ostream& err) {
  if (!i.value("SwapLimit", true)) err << "WARNING: No swap limit support\n";
  if (!i.value("BridgeNfIptables", true)) err << "WARNING: bridge-nf-call-iptables is disabled\n";
  if (!i.value("BridgeNfIp6tables", true)) err << "WARNING: bridge-nf-call-ip6tables is disabled\n";
}

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "info");
  Json i = engine_info(ctx.store());
  if (std::string format = args.value("format"); !format.empty()) {
    std::cout << GoTemplate(format).render(i) << "\n";
    return 0;
  }
  std::cout << "Client:\n Context:    default\n Debug Mode: false\n\n";
  print_server(i, std::cout);
  print_warnings(i, std::cerr);
  return 0;
}

}  // namespace

const Command kInfoCommand = {"info", "berth info [OPTIONS]", "Display system-wide information",
                              {{'f', "format", true}}, run};

}  // namespace berth
