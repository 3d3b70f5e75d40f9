// Docker's config.json as berth reads and writes it: "auths" entries in
// their several spellings, 0600 on write, other keys kept, and credential
// helpers (a docker-credential-* script put on PATH for the test).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "registry/credentials.h"

namespace {

namespace fs = std::filesystem;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-creds-" + berth::random_hex(8));
    fs::create_directories(dir_ / "bin");
    old_path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", ((dir_ / "bin").string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", old_path_.c_str(), 1);
    fs::remove_all(dir_);
  }
  void write(const std::string& name, const std::string& text, fs::perms perms = fs::perms::owner_read | fs::perms::owner_write) {
    std::ofstream(dir_ / name) << text;
    fs::permissions(dir_ / name, perms);
  }
  berth::DockerConfig config() { return berth::DockerConfig(dir_ / "config.json"); }

  fs::path dir_;
  std::string old_path_;
};

TEST_F(CredentialsTest, NoFileMeansNoCredentials) { EXPECT_FALSE(config().get("localhost:5000")); }

TEST_F(CredentialsTest, ReadsAuthInItsSpellings) {
  write("config.json", R"({"auths":{
    "https://reg.example:5000/v2/": {"auth": "dXNlcjpwYTpzcw=="},
    "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="},
    "plain.example": {"username": "u2", "password": "p2"}}})");
  auto c = config().get("reg.example:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "user");
  EXPECT_EQ(c->secret, "pa:ss");  // only the first colon separates
  EXPECT_EQ(config().get("https://index.docker.io/v1/")->username, "hub");
  EXPECT_EQ(config().get("plain.example")->secret, "p2");
  EXPECT_FALSE(config().get("other.example"));
}

TEST_F(CredentialsTest, BadAuthIsAnErrorNotAnonymous) {
  write("config.json", R"({"auths":{"reg.example":{"auth":"bm9jb2xvbg=="}}})");  // "nocolon"
  EXPECT_THROW(config().get("reg.example"), berth::Error);
  write("config.json", "not json");
  EXPECT_THROW(config().get("reg.example"), berth::Error);
}

TEST_F(CredentialsTest, StoreWrites0600AndKeepsOtherKeys) {
  write("config.json", R"({"psFormat":"table {{.ID}}","auths":{"a.example":{"auth":"YTpi"}}})", fs::perms::all);
  EXPECT_TRUE(config().store("reg.example:5000", {"tester", "secret"}));
  struct stat st;
  ASSERT_EQ(::stat((dir_ / "config.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  berth::Json j = berth::Json::parse(berth::read_file(dir_ / "config.json"));
  EXPECT_EQ(j["psFormat"], "table {{.ID}}");
  EXPECT_EQ(j["auths"]["a.example"]["auth"], "YTpi");
  EXPECT_EQ(j["auths"]["reg.example:5000"]["auth"], "dGVzdGVyOnNlY3JldA==");
  EXPECT_EQ(config().get("reg.example:5000")->secret, "secret");

  EXPECT_TRUE(config().erase("reg.example:5000"));
  EXPECT_FALSE(config().get("reg.example:5000"));
  EXPECT_FALSE(config().erase("reg.example:5000"));
  EXPECT_TRUE(config().get("a.example"));
}

TEST_F(CredentialsTest, CredentialHelpersGetStoreAndErase) {
  // A helper that keeps one secret in a file, speaking the docker-credential protocol.
  std::string store = (dir_ / "helper-store").string();
  write("bin/docker-credential-fake",
        "#!/bin/sh\ncase $1 in\n"
        "get) read host; [ -f " + store + " ] && [ \"$host\" = reg.example ] && cat " + store +
            " || { echo 'credentials not found in native keychain'; exit 1; } ;;\n"
        "store) cat > " + store + " ;;\n"
        "erase) rm " + store + " ;;\nesac\n",
        fs::perms::owner_all);
  write("config.json", R"({"credHelpers":{"reg.example":"fake"}})");
  EXPECT_FALSE(config().get("reg.example"));
  EXPECT_FALSE(config().store("reg.example", {"helper-user", "helper-secret"}));  // not in the file
  EXPECT_EQ(berth::read_file(dir_ / "config.json").find("helper-secret"), std::string::npos);
  auto c = config().get("reg.example");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "helper-user");
  EXPECT_EQ(c->secret, "helper-secret");
  EXPECT_TRUE(config().erase("reg.example"));
  EXPECT_FALSE(config().get("reg.example"));
}

}  // namespace
