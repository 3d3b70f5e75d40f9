#include "network/firewall.h"

#include <fcntl.h>
#include <sys/file.h>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"

namespace berth {
namespace {

constexpr const char* kForwardChain = "BERTH-FORWARD";
constexpr const char* kIsolationChain = "BERTH-ISOLATION";
constexpr const char* kNatChain = "BERTH-POSTROUTING";

struct Jump {
  const char* table;
  const char* from;
  const char* to;
};
constexpr Jump kJumps[] = {{"filter", "FORWARD", kForwardChain}, {"nat", "POSTROUTING", kNatChain}};
struct Chain {
  const char* table;
  const char* name;
};
constexpr Chain kChains[] = {{"filter", kForwardChain}, {"filter", kIsolationChain}, {"nat", kNatChain}};

ProcessResult iptables(const std::vector<std::string>& args, const std::string& input = "") {
  std::vector<std::string> argv = args;
  argv.insert(argv.begin() + 1, "-w");  // wait for the xtables lock another tool holds
  return run_process(argv, input, /*merge_stderr=*/true);
}

void check(const ProcessResult& r, const std::string& what) {
  if (r.exit_code != 0) {
    std::string out = r.output;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    throw Error(what + ": " + out.substr(0, out.find('\n')));
  }
}

class FirewallLock {
 public:
  explicit FirewallLock(const std::filesystem::path& path)
      : fd_(open_or_throw(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    while (::flock(fd_.get(), LOCK_EX) != 0)
      if (errno != EINTR) throw_errno("lock " + path.string());
  }

 private:
  UniqueFd fd_;
};

}  // namespace

std::string iptables_rules(const std::vector<FirewallNetwork>& networks) {
  std::string filter = std::string("*filter\n:") + kForwardChain + " - [0:0]\n:" + kIsolationChain + " - [0:0]\n";
  std::string nat = std::string("*nat\n:") + kNatChain + " - [0:0]\n";
  for (const FirewallNetwork& n : networks) {
    const std::string in = " -i " + n.bridge, out = " -o " + n.bridge;
    std::string f = std::string("-A ") + kForwardChain;
    filter += f + in + out + " -j ACCEPT\n";
    filter += f + in + " -j " + kIsolationChain + "\n";
    if (n.internal) {
      filter += f + in + " -j DROP\n" + f + out + " -j DROP\n";
    } else {
      filter += f + in + " -j ACCEPT\n";
      filter += f + out + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n";
      nat += std::string("-A ") + kNatChain + " -s " + n.subnet.str() + " !" + out + " -j MASQUERADE\n";
    }
  }
  for (const FirewallNetwork& n : networks) filter += std::string("-A ") + kIsolationChain + " -o " + n.bridge + " -j DROP\n";
  return filter + "COMMIT\n" + nat + "COMMIT\n";
}

void sync_firewall(const std::vector<FirewallNetwork>& networks, const std::filesystem::path& lock) {
  if (find_in_path("iptables-restore").empty())
    throw Error("cannot set up a bridge network: iptables is not installed (apt-get install iptables)",
                ErrorKind::unavailable);
  FirewallLock held(lock);
  // The chains first (restore creates them), then the jumps to them.
  check(iptables({"iptables-restore", "--noflush"}, iptables_rules(networks)), "cannot write berth's iptables rules");
  for (const Jump& j : kJumps) {
    if (iptables({"iptables", "-t", j.table, "-C", j.from, "-j", j.to}).exit_code == 0) continue;
    check(iptables({"iptables", "-t", j.table, "-I", j.from, "-j", j.to}),
          std::string("cannot add the jump from ") + j.from + " to " + j.to);
  }
}

void remove_firewall(const std::filesystem::path& lock) {
  FirewallLock held(lock);
  for (const Jump& j : kJumps) {
    while (iptables({"iptables", "-t", j.table, "-D", j.from, "-j", j.to}).exit_code == 0) {
    }
  }
  for (const Chain& c : kChains) {
    iptables({"iptables", "-t", c.table, "-F", c.name});
    iptables({"iptables", "-t", c.table, "-X", c.name});
  }
}

}  // namespace berth
