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
                                           kPauseCommand, kUnpauseCommand, kStatsCommand, kCompletionCommand, kManifestInspectCommand,
                                           kUpdateCommand,
                                           kContainerMonitorCommand, kStoreSyncCommand};
  return all;
}

const std::vector<std::pair<std::string, std::string>>& command_aliases() {
  static const std::vector<std::pair<std::string, std::string>> aliases = {
    {"image ls", "images"},      {"image list", "images"},    {"image load", "load"},
    {"image save", "save"},      {"image import", "import"},  {"image inspect", "inspect"},
    {"image history", "history"}, {"image tag", "tag"},       {"image rm", "rmi"},
    {"image remove", "rmi"},     {"rmi", "rmi"},              {"container ls", "ps"},
    {"container list", "ps"},    {"container run", "run"},    {"container create", "create"},
    {"container start", "start"}, {"container stop", "stop"}, {"container kill", "kill"},
    {"container rm", "rm"},      {"container logs", "logs"},  {"container wait", "wait"},
    {"container commit", "commit"}, {"container export", "export"}, {"container exec", "exec"},
    {"container port", "port"},  {"container restart", "restart"}, {"container top", "top"},
    {"container cp", "cp"},      {"network list", "network ls"}, {"network remove", "network rm"},
    {"image pull", "pull"},      {"image push", "push"},      {"image build", "build"},
    {"container attach", "attach"}, {"container inspect", "inspect"}, {"volume list", "volume ls"},
    {"volume remove", "volume rm"}, {"system info", "info"}, {"system events", "events"},
    {"container diff", "diff"}, {"container rename", "rename"},
    {"container pause", "pause"}, {"container unpause", "unpause"}, {"container stats", "stats"},
    {"container update", "update"}};
  return aliases;
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
