// USER and -u resolved through an image's /etc/passwd and /etc/group, and the
// supplementary groups each side gives: Docker's containers (runc's rule) and
// BuildKit's RUN steps, as `id` printed them under Docker 20.10 here.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "core/fs.h"
#include "runtime/container_user.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

class ContainerUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("berth-user-" + random_hex(8));
    fs::create_directories(root_ / "etc");
    std::ofstream(root_ / "etc/passwd") << "root:x:0:0:root:/root:/bin/sh\n"
                                           "user:x:1000:1000::/home/user:/bin/sh\n"
                                           "other:x:1001:1001::/home/other:/bin/sh\n";
    std::ofstream(root_ / "etc/group") << "root:x:0:\nuser:x:1000:\nstaff:x:50:user\nother:x:1001:\n"
                                          "extra:x:60:user,other\n";
  }
  void TearDown() override { fs::remove_all(root_); }
  ContainerUser resolve(const std::string& spec) { return resolve_container_user(root_, spec); }

  fs::path root_;
};

using Groups = std::vector<uint32_t>;

TEST_F(ContainerUserTest, ContainersGetTheListedGroupsThenThePrimaryOne) {
  EXPECT_EQ(container_supplementary_groups(resolve("user")), (Groups{50, 60, 1000}));
  EXPECT_EQ(container_supplementary_groups(resolve("1000")), (Groups{50, 60, 1000}));
  EXPECT_EQ(container_supplementary_groups(resolve("other")), (Groups{60, 1001}));
  EXPECT_EQ(container_supplementary_groups(resolve("2000")), (Groups{0}));  // no passwd entry
}

TEST_F(ContainerUserTest, AGivenGroupIsTheContainersOnlyOne) {
  ContainerUser u = resolve("1000:50");
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_EQ(u.gid, 50u);
  EXPECT_EQ(container_supplementary_groups(u), (Groups{50}));
  EXPECT_EQ(container_supplementary_groups(resolve("user:extra")), (Groups{60}));
  EXPECT_EQ(container_supplementary_groups(resolve("2000:77")), (Groups{77}));
}

TEST_F(ContainerUserTest, BuildStepsGetOnlyTheListedGroupsAndNoneWhenAGroupIsGiven) {
  EXPECT_EQ(build_step_supplementary_groups(resolve("user")), (Groups{50, 60}));
  EXPECT_EQ(build_step_supplementary_groups(resolve("other")), (Groups{60}));
  EXPECT_EQ(build_step_supplementary_groups(resolve("2000")), Groups{});
  EXPECT_EQ(build_step_supplementary_groups(resolve("1000:50")), Groups{});
}

TEST_F(ContainerUserTest, UnknownNamesAreDockersErrors) {
  EXPECT_THROW(resolve("nobody"), Error);
  EXPECT_THROW(resolve("user:nogroup"), Error);
}

}  // namespace
}  // namespace berth
