#include "cli/command.h"

#include "cli/usage_error.h"

namespace berth {

Store& Context::store(Store::Lock lock) {
  if (!store_) store_ = std::make_unique<Store>(root_, lock);
  return *store_;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {kImagesCommand, kLoadCommand,       kSaveCommand,        kImportCommand,
                                           kInspectCommand, kHistoryCommand,   kTagCommand,         kRmiCommand,
                                           kImagePruneCommand, kSystemDfCommand, kSystemPruneCommand, kSystemCheckCommand, kSystemServiceCommand,
                                           kPullCommand,    kPushCommand,      kLoginCommand,       kLogoutCommand,
                                           kRunCommand,     kCreateCommand,    kPsCommand,          kLogsCommand,
                                           kStartCommand,   kStopCommand,      kKillCommand,        kRmCommand,
                                           kWaitCommand,    kExecCommand,      kCommitCommand,      kExportCommand,
                                           kPortCommand,    kRestartCommand,   kContainerPruneCommand, kTopCommand,     kCpCommand,
                                           kAttachCommand, kDockerfileDumpCommand, kBuildCommand, kBuilderPruneCommand,
                                           kNetworkCreateCommand, kNetworkLsCommand, kNetworkInspectCommand,
                                           kNetworkRmCommand, kNetworkPruneCommand, kNetworkConnectCommand,
                                           kNetworkDisconnectCommand, kVolumeCreateCommand, kVolumeLsCommand, kVolumeInspectCommand,
                                           kVolumeRmCommand, kVolumePruneCommand, kVersionCommand, kInfoCommand, kEventsCommand, kDiffCommand, kRenameCommand,
                                           kPauseCommand, kUnpauseCommand, kStatsCommand,
                                           kContainerMonitorCommand};
  return all;
}

void require_args(const Args& args, int min, int max, const std::string& command) {
  int n = static_cast<int>(args.positional().size());
  if (n < min || (max >= 0 && n > max)) {
    std::string want = min == max ? "exactly " + std::to_string(min)
                       : max < 0  ? "at least " + std::to_string(min)
                                  : "at most " + std::to_string(max);
    throw UsageError("\"berth " + command + "\" requires " + want + " argument" + (min == 1 && max == 1 ? "" : "s") + ".");
  }
}

}  // namespace berth
