// The runtime spec's security settings: the default seccomp filter (and what
// added capabilities, --privileged and --security-opt change in it).
#include "runtime/runtime_spec.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"

namespace {

berth::Json spec_with(const std::vector<std::string>& security_opt, const std::vector<std::string>& cap_add = {},
                      bool privileged = false) {
  berth::RuntimeSpecInputs in;
  in.id = "test";
  in.args = {"/bin/sh"};
  in.rootfs = "/nonexistent";
  in.cap_add = cap_add;
  in.privileged = privileged;
  berth::apply_security_options(security_opt, &in);
  return berth::make_runtime_spec(in);
}

// The calls the filter denies with EPERM, whatever their arguments.
std::vector<std::string> denied(const berth::Json& spec) {
  std::vector<std::string> out;
  for (const berth::Json& rule : spec["linux"]["seccomp"]["syscalls"])
    if (!rule.contains("args") && rule.value("errnoRet", 0) == 1)
      for (const berth::Json& n : rule["names"]) out.push_back(n.get<std::string>());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

int clone_rules(const berth::Json& spec) {
  int n = 0;
  for (const berth::Json& rule : spec["linux"]["seccomp"]["syscalls"])
    if (rule["names"][0] == "clone") ++n;
  return n;
}

TEST(RuntimeSpec, DefaultSeccompDeniesNamespacesKeyringsAndModules) {
  berth::Json spec = spec_with({});
  ASSERT_TRUE(spec["linux"].contains("seccomp"));
  EXPECT_EQ(spec["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ALLOW");
  std::vector<std::string> calls = denied(spec);
  for (const char* c : {"unshare", "setns", "mount", "keyctl", "bpf", "init_module", "kexec_load", "reboot"})
    EXPECT_TRUE(has(calls, c)) << c;
  EXPECT_FALSE(has(calls, "clone"));  // only with namespace flags:
  EXPECT_EQ(clone_rules(spec), 7);
  EXPECT_FALSE(spec["process"]["noNewPrivileges"].get<bool>());
}

TEST(RuntimeSpec, AddedCapabilitiesAllowWhatTheyGovern) {
  std::vector<std::string> calls = denied(spec_with({}, {"SYS_ADMIN", "SYS_TIME"}));
  EXPECT_FALSE(has(calls, "mount"));
  EXPECT_FALSE(has(calls, "unshare"));
  EXPECT_FALSE(has(calls, "clock_settime"));
  EXPECT_TRUE(has(calls, "keyctl"));  // no capability makes it needed
  EXPECT_EQ(clone_rules(spec_with({}, {"SYS_ADMIN"})), 0);
}

TEST(RuntimeSpec, PrivilegedAndUnconfinedHaveNoFilter) {
  EXPECT_FALSE(spec_with({}, {}, true)["linux"].contains("seccomp"));
  EXPECT_FALSE(spec_with({"seccomp=unconfined"})["linux"].contains("seccomp"));
  EXPECT_TRUE(spec_with({"no-new-privileges"})["process"]["noNewPrivileges"].get<bool>());
  EXPECT_THROW(spec_with({"seccomp=/etc/profile.json"}), berth::Error);
  EXPECT_THROW(spec_with({"label=disable"}), berth::Error);
}

}  // namespace
