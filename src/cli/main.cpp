// berth: one process per command, no daemon. Global flags, then the command.
#include <algorithm>
#include <clocale>
#include <cstring>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/usage_error.h"
#include "core/durability.h"
#include "core/error.h"
#include "core/version.h"
#include "engine/background_sync.h"
#include "engine/berth_config.h"
#include "engine/crash_recovery.h"

namespace {

void print_help() {
  std::cout << "Usage:  berth [OPTIONS] COMMAND\n\nA daemonless, Docker-compatible container image engine\n\n"
               "Options:\n      --root string   Store root (default $BERTH_ROOT or /var/lib/berth)\n"
               "      --insecure-registry host[:port]\n"
               "                      Allow plain HTTP to this registry (loopback always may)\n"
               "      --sync string   full: wait for the disk at each commit; normal (default): the\n"
               "                      disk catches up after the command, verified after a crash\n"
               "  -v, --version       Print version information and quit\n\nCommands:\n";
  size_t width = 0;
  for (const berth::Command& c : berth::commands()) width = std::max(width, c.hidden ? 0 : c.name.size() + 2);
  for (const berth::Command& c : berth::commands()) {
    if (c.hidden) continue;
    std::string pad(width - c.name.size(), ' ');
    std::cout << "  " << c.name << pad << c.summary << "\n";
  }
}

// The command at args[i]: a two-word one ("image prune", "system df", an
// alias such as "image ls") when args[i] starts a group, else the word.
// Advances `i` past what it took.
std::string command_name(const std::vector<std::string>& args, size_t& i) {
  std::string name = args[i++];
  bool group = false;  // a word that starts two-word commands: image, system, network, volume…
  for (const auto& c : berth::commands()) group |= c.name.starts_with(name + " ");
  for (const auto& [alias, target] : berth::command_aliases()) group |= alias.starts_with(name + " ");
  if (!group || i >= args.size()) return name;
  std::string two = name + " " + args[i];
  bool known = false;
  for (const auto& c : berth::commands()) known |= c.name == two;
  for (const auto& [alias, target] : berth::command_aliases()) {
    if (alias == two) {
      two = target;
      known = true;
    }
  }
  if (!known) return name;
  ++i;
  return two;
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_CTYPE, "C.UTF-8");
  std::vector<std::string> args(argv + 1, argv + argc);
  std::filesystem::path root = berth::Store::default_root();
  std::vector<std::string> insecure;
  std::optional<std::string> sync;
  size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
    const std::string& a = args[i];
    if (a == "--root" && i + 1 < args.size()) {
      root = args[++i];
    } else if (a.rfind("--root=", 0) == 0) {
      root = a.substr(7);
    } else if (a == "--insecure-registry" && i + 1 < args.size()) {
      insecure.push_back(args[++i]);
    } else if (a.rfind("--insecure-registry=", 0) == 0) {
      insecure.push_back(a.substr(20));
    } else if (a == "--sync" && i + 1 < args.size()) {
      sync = args[++i];
    } else if (a.rfind("--sync=", 0) == 0) {
      sync = a.substr(7);
    } else if (a == "-v" || a == "--version") {
      std::cout << "berth version " << berth::kBerthVersion << "\n";
      return 0;
    } else if (a == "-h" || a == "--help") {
      print_help();
      return 0;
    } else {
      std::cerr << "unknown flag: " << a << " (see 'berth --help')\n";
      return 125;
    }
  }
  if (i >= args.size()) {
    print_help();
    return 0;
  }
  std::string name = command_name(args, i);
  const berth::Command* cmd = nullptr;
  for (const auto& c : berth::commands())
    if (c.name == name) cmd = &c;
  if (!cmd) {
    std::cerr << "berth: '" << name << "' is not a berth command (see 'berth --help')\n";
    return 127;
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(i), args.end());
  for (const std::string& a : rest) {
    if (a == "--help") {
      std::cout << "\nUsage:  " << cmd->usage << "\n\n" << cmd->summary << "\n";
      return 0;
    }
    if (a == "--") break;
  }
  try {
    berth::set_sync_mode(sync ? berth::parse_sync_mode(*sync) : berth::configured_sync_mode());
    berth::Store::set_crash_recovery(berth::recover_after_crash);
    berth::Args parsed(rest, cmd->flags, cmd->flags_end_at_positional);
    berth::Context ctx(root);
    ctx.insecure_registries = insecure;
    int rc = cmd->run(ctx, parsed);
    std::cout.flush();
    berth::start_background_sync(root);  // the output is complete: nobody waits for this
    return rc;
  } catch (const berth::UsageError& e) {
    std::cerr << e.what() << " (see 'berth " << cmd->name << " --help')\n";
    return 125;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "Error: " << e.what() << "\n";
    berth::start_background_sync(root);  // what it committed before failing (a build's steps)
    return 1;
  }
}
