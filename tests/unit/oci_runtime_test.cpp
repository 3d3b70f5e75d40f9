// The OCI runtime driver: every command line it spells (global flags first,
// then the subcommand, the container id last, as runc parses them), the
// classification of start failures into Docker's exit codes, and reading the
// runtime's JSON log.
#include "runtime/oci_runtime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/fs.h"

namespace berth {
namespace {

using Argv = std::vector<std::string>;

const OciRuntime kRunc("runc", "/store/runtime");

TEST(OciRuntime, CreateArgv) {
  RuntimeCreate c{"abc", "/store/containers/abc", "/store/containers/abc/init.pid", "/l.json", std::nullopt};
  EXPECT_EQ(kRunc.create_argv(c), (Argv{"runc", "--root", "/store/runtime", "--log", "/l.json", "--log-format", "json",
                                        "create", "--bundle", "/store/containers/abc", "--pid-file",
                                        "/store/containers/abc/init.pid", "abc"}));
  c.console_socket = "/tmp/console.sock";
  Argv with_tty = kRunc.create_argv(c);
  ASSERT_GE(with_tty.size(), 3u);
  EXPECT_EQ(Argv(with_tty.end() - 3, with_tty.end()), (Argv{"--console-socket", "/tmp/console.sock", "abc"}));
}

TEST(OciRuntime, ShortCommandsHaveNoLog) {
  EXPECT_EQ(kRunc.start_argv("abc"), (Argv{"runc", "--root", "/store/runtime", "start", "abc"}));
  EXPECT_EQ(kRunc.ps_argv("abc"), (Argv{"runc", "--root", "/store/runtime", "ps", "--format", "json", "abc"}));
  EXPECT_EQ(kRunc.delete_argv("abc", true), (Argv{"runc", "--root", "/store/runtime", "delete", "--force", "abc"}));
  EXPECT_EQ(kRunc.delete_argv("abc", false), (Argv{"runc", "--root", "/store/runtime", "delete", "abc"}));
  EXPECT_EQ(kRunc.kill_argv("abc", 15, true), (Argv{"runc", "--root", "/store/runtime", "kill", "--all", "abc", "15"}));
  EXPECT_EQ(kRunc.kill_argv("abc", 9, false), (Argv{"runc", "--root", "/store/runtime", "kill", "abc", "9"}));
  EXPECT_EQ(kRunc.state_argv("abc"), (Argv{"runc", "--root", "/store/runtime", "state", "abc"}));
}

TEST(OciRuntime, RunAndExecArgv) {
  EXPECT_EQ(kRunc.run_argv("step", "/b", "/b/runtime.log"),
            (Argv{"runc", "--root", "/store/runtime", "--log", "/b/runtime.log", "--log-format", "json", "run",
                  "--bundle", "/b", "step"}));
  RuntimeExec e{"abc", "/p.json", "/p.log", false, false};
  EXPECT_EQ(kRunc.exec_argv(e), (Argv{"runc", "--root", "/store/runtime", "--log", "/p.log", "--log-format", "json",
                                      "exec", "--process", "/p.json", "abc"}));
  e.detach = e.tty = true;
  Argv both = kRunc.exec_argv(e);
  EXPECT_EQ(Argv(both.end() - 3, both.end()), (Argv{"--detach", "--tty", "abc"}));
}

TEST(OciRuntime, AnotherBinaryIsUsedAsGiven) {
  OciRuntime crun("/usr/bin/crun", "/r");
  EXPECT_EQ(crun.binary(), "/usr/bin/crun");
  EXPECT_EQ(crun.start_argv("x")[0], "/usr/bin/crun");
  EXPECT_FALSE(OciRuntime("", "/r").binary().empty());  // the default: $BERTH_RUNTIME, runc or crun
}

TEST(OciRuntime, StartFailuresMapToDockersExitCodes) {
  const std::string not_found =
      "runc create failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH";
  EXPECT_EQ(classify_start_failure(not_found), StartFailure::not_found);
  EXPECT_EQ(classify_start_failure("exec: \"/x\": stat /x: no such file or directory"), StartFailure::not_found);
  EXPECT_EQ(classify_start_failure("exec: \"/etc/passwd\": permission denied"), StartFailure::not_executable);
  EXPECT_EQ(classify_start_failure("cgroup: cannot set memory limit"), StartFailure::other);
  EXPECT_EQ(start_failure_exit_code(StartFailure::not_found), 127);
  EXPECT_EQ(start_failure_exit_code(StartFailure::not_executable), 126);
  EXPECT_EQ(start_failure_exit_code(StartFailure::other), 125);
  EXPECT_EQ(RuntimeError("x", StartFailure::not_found).kind(), ErrorKind::not_found);
  EXPECT_EQ(RuntimeError("x", StartFailure::not_executable).kind(), ErrorKind::permission);
}

TEST(OciRuntime, ReadsTheLastErrorOfItsJsonLog) {
  std::filesystem::path log = std::filesystem::temp_directory_path() / ("oci-log-" + random_hex(8));
  EXPECT_EQ(runtime_log_error(log), "");  // no log: nothing to say
  write_file_atomic(log,
                    "{\"level\":\"warning\",\"msg\":\"ignored\"}\n"
                    "not json\n"
                    "{\"level\":\"error\",\"msg\":\"first\"}\n"
                    "{\"level\":\"error\",\"msg\":\"exec: \\\"x\\\": executable file not found in $PATH\"}\n");
  EXPECT_EQ(runtime_log_error(log), "exec: \"x\": executable file not found in $PATH");
  try {
    OciRuntime::check_log(log, "exec");
    ADD_FAILURE() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "OCI runtime exec failed: exec: \"x\": executable file not found in $PATH");
    EXPECT_EQ(e.failure, StartFailure::not_found);
  }
  std::filesystem::remove(log);
  EXPECT_NO_THROW(OciRuntime::check_log(log, "exec"));
}

TEST(OciRuntime, ARuntimeThatCannotBeStartedIsNamed) {
  OciRuntime missing("/nonexistent/runc", "/r");
  try {
    missing.spawn(missing.start_argv("x"), SpawnOptions{});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot run the OCI runtime /nonexistent/runc: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace berth
