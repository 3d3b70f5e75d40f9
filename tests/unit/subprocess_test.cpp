// The spawn helper and the exit-status decoder: exit codes, deaths by signal
// as 128+N, descriptors handed to the child, /dev/null for the rest.
#include "core/subprocess.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

TEST(Subprocess, ExitCodesAndSignals) {
  EXPECT_EQ(wait_for_exit(spawn_process({"sh", "-c", "exit 3"}, {})), 3);
  EXPECT_EQ(wait_for_exit(spawn_process({"sh", "-c", "kill -9 $$"}, {})), 128 + 9);
  EXPECT_EQ(run_process({"sh", "-c", "exit 7"}, "").exit_code, 7);
  EXPECT_EQ(wait_for_exit(1), 255);  // not our child
}

TEST(Subprocess, HandsTheChildItsDescriptors) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  UniqueFd r(fds[0]), w(fds[1]);
  SpawnOptions o;
  o.stdout_fd = w.get();
  pid_t pid = spawn_process({"sh", "-c", "echo out; echo err >&2; cat"}, o);  // stdin and stderr: /dev/null
  w = UniqueFd();
  std::string got;
  char buf[64];
  for (ssize_t n; (n = ::read(r.get(), buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(wait_for_exit(pid), 0);
  EXPECT_EQ(got, "out\n");
}

TEST(Subprocess, MergedStderrAndUnknownPrograms) {
  EXPECT_EQ(run_process({"sh", "-c", "echo a; echo b >&2"}, "", true).output, "a\nb\n");
  EXPECT_EQ(run_process({"cat"}, "fed").output, "fed");
  SpawnOptions named;
  named.what = "the helper";
  try {
    spawn_process({"/nonexistent/helper"}, named);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot run the helper: ", 0), 0u) << e.what();
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
}

}  // namespace
}  // namespace berth
