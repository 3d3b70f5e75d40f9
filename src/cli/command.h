// A berth command: its name, the flags it takes, and what it runs. Each
// command lives in its own cmd_<name>.cpp and registers itself in commands().
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "store/store.h"

namespace berth {

// What every command gets: the store root (opened on first use) and streams.
class Context {
 public:
  explicit Context(std::filesystem::path root) : root_(std::move(root)) {}
  Store& store(Store::Lock lock = Store::Lock::kShared);
  const std::filesystem::path& root() const { return root_; }
  // Registries allowed over plain HTTP (--insecure-registry), besides loopback.
  std::vector<std::string> insecure_registries;

 private:
  std::filesystem::path root_;
  std::unique_ptr<Store> store_;
};

struct Command {
  std::string name;   // "load", "image prune", "system df"
  std::string usage;  // "berth load [OPTIONS]"
  std::string summary;
  std::vector<FlagSpec> flags;
  int (*run)(Context& ctx, const Args& args);
  bool flags_end_at_positional = false;  // run IMAGE CMD --flag: --flag is the command's
  bool hidden = false;                    // internal: not in --help
};

const std::vector<Command>& commands();
// Docker's management-command spellings that name the same thing ("image ls"
// is `images`): alias → command name.
const std::vector<std::pair<std::string, std::string>>& command_aliases();

// The commands, one per file.
extern const Command kLoadCommand, kSaveCommand, kImportCommand, kImagesCommand, kInspectCommand,
    kHistoryCommand, kTagCommand, kRmiCommand, kImagePruneCommand, kSystemDfCommand, kSystemCheckCommand,
    kSystemServiceCommand, kPullCommand, kPushCommand, kLoginCommand, kLogoutCommand, kRunCommand, kCreateCommand, kPsCommand,
    kLogsCommand, kStopCommand, kKillCommand, kRmCommand, kWaitCommand, kStartCommand, kContainerMonitorCommand, kCommitCommand, kExportCommand, kExecCommand, kPortCommand,
    kContainerPruneCommand, kRestartCommand, kTopCommand, kCpCommand, kAttachCommand, kDockerfileDumpCommand, kBuildCommand, kBuilderPruneCommand,
    kNetworkCreateCommand, kNetworkLsCommand, kNetworkInspectCommand, kNetworkRmCommand, kNetworkPruneCommand,
    kNetworkConnectCommand, kNetworkDisconnectCommand, kVolumeCreateCommand, kVolumeLsCommand, kVolumeInspectCommand,
    kVolumeRmCommand, kVolumePruneCommand, kVersionCommand, kInfoCommand, kEventsCommand, kDiffCommand, kRenameCommand,
    kPauseCommand, kUnpauseCommand, kStatsCommand, kSystemPruneCommand, kCompletionCommand,
    kManifestInspectCommand, kUpdateCommand, kStoreSyncCommand;

// Throws UsageError unless min <= positional count <= max (max < 0: no limit).
void require_args(const Args& args, int min, int max, const std::string& command);

}  // namespace berth
