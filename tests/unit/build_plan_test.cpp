// The build plan, made from Dockerfiles alone: stages, what each uses, which
// the target needs, FROM lines expanded with meta ARGs, "Step N/M" numbers —
// for small Dockerfiles written here and for real-world multi-stage ones
// from tests/conformance (BuildKit's own Dockerfiles, docker-nginx, golang).
#include <gtest/gtest.h>

#include "builder/build_plan.h"
#include "conformance.h"
#include "core/platform.h"

namespace {

using berth::BuildPlan;
using berth::plan_build;

const std::map<std::string, std::string> kNoArgs;

size_t stage(const BuildPlan& p, const std::string& name) {
  for (const auto& s : p.stages)
    if (s.name == name) return s.index;
  ADD_FAILURE() << "no stage " << name;
  return 0;
}

std::vector<std::string> needed_names(const BuildPlan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.stages)
    if (s.needed) out.push_back(s.name.empty() ? std::to_string(s.index) : s.name);
  return out;
}

std::string real_world(const std::string& name) {
  return berth::testing::read_conformance("dockerfiles-real-world/dockerfiles/" + name + ".Dockerfile");
}

std::string error_of(const std::string& dockerfile, const std::string& target = "") {
  try {
    plan_build(dockerfile, target, kNoArgs);
  } catch (const berth::DockerfileError& e) {
    return "line " + std::to_string(e.line) + ": " + e.what();
  } catch (const berth::Error& e) {
    return e.what();
  }
  return "";
}

TEST(BuildPlan, OneStage) {
  BuildPlan p = plan_build("FROM bb:1\nRUN true\nCOPY a /a\n", "", kNoArgs);
  ASSERT_EQ(p.stages.size(), 1u);
  EXPECT_EQ(p.target, 0u);
  EXPECT_EQ(p.stages[0].base, "bb:1");
  EXPECT_FALSE(p.stages[0].base_stage);
  EXPECT_EQ(p.stages[0].body.size(), 2u);
  EXPECT_EQ(p.total_steps, 3u);
  EXPECT_EQ(p.stages[0].first_step, 0u);
}

TEST(BuildPlan, MultiStageNeedsOnlyWhatTheTargetUses) {
  BuildPlan p = plan_build(
      "FROM bb:1 AS build\nRUN make\n"
      "FROM bb:1 AS unused\nRUN a\nRUN b\n"
      "FROM build AS test\nRUN check\n"
      "FROM bb:1\nCOPY --from=build /out /out\n",
      "", kNoArgs);
  EXPECT_EQ(needed_names(p), (std::vector<std::string>{"build", "3"}));
  EXPECT_EQ(p.stages[3].uses, (std::vector<size_t>{0}));
  EXPECT_EQ(p.total_steps, 4u);           // build: 2 steps, the last stage: 2
  EXPECT_EQ(p.stages[3].first_step, 2u);  // numbered as if the unneeded stages were not there
  BuildPlan t = plan_build(
      "FROM bb:1 AS build\nRUN make\nFROM bb:1 AS unused\nRUN a\nFROM build AS test\nRUN check\n", "TEST", kNoArgs);
  EXPECT_EQ(t.target, 2u);  // targets are matched without case
  EXPECT_EQ(needed_names(t), (std::vector<std::string>{"build", "test"}));
  EXPECT_EQ(t.stages[2].base_stage, std::optional<size_t>(0));
  EXPECT_EQ(t.stages[2].first_step, 2u);
}

TEST(BuildPlan, StagesNamedByIndexAndByMountFrom) {
  BuildPlan p = plan_build(
      "FROM bb:1\nRUN a\n"
      "FROM bb:1 AS tools\n"
      "FROM bb:1\nCOPY --from=0 /a /a\nRUN --mount=type=bind,from=tools,target=/t true\n",
      "", kNoArgs);
  EXPECT_EQ(p.stages[2].uses, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(p.total_steps, 2u + 1u + 3u);
  EXPECT_NE(error_of("FROM bb:1\nCOPY --from=0 /a /a\n").find("refers to current or future build stage"),
            std::string::npos);
  EXPECT_EQ(error_of("FROM bb:1\nCOPY --from=1 /a /a\nFROM bb:1\n"), "") << "an index is checked only in a stage that is built";
}

TEST(BuildPlan, MetaArgsExpandFromLinesAndBuildArgsWin) {
  const char* file = "ARG BASE=bb\nARG TAG\nFROM ${BASE}:${TAG:-1} AS a\nARG TAG\nRUN x\n";
  BuildPlan p = plan_build(file, "", kNoArgs);
  EXPECT_EQ(p.stages[0].base, "bb:1");
  EXPECT_TRUE(p.meta_declared.contains("TAG"));
  EXPECT_FALSE(p.meta_values.contains("TAG"));
  EXPECT_TRUE(p.consumed_build_args.empty());
  BuildPlan q = plan_build(file, "", {{"TAG", "2"}, {"OTHER", "x"}});
  EXPECT_EQ(q.stages[0].base, "bb:2");
  EXPECT_EQ(q.consumed_build_args, (std::set<std::string>{"TAG"}));
  BuildPlan r = plan_build("FROM scratch AS s\nFROM s\n", "", kNoArgs);
  EXPECT_EQ(r.stages[1].base_stage, std::optional<size_t>(0));
}

TEST(BuildPlan, PlatformOfFrom) {
  BuildPlan p = plan_build("FROM --platform=$BUILDPLATFORM bb:1 AS b\nFROM bb:1\nCOPY --from=b /x /x\n", "", kNoArgs);
  EXPECT_EQ(p.stages[0].from.from().platform, std::optional<std::string>("$BUILDPLATFORM"));
  std::string other = berth::Platform::host().architecture == "s390x" ? "linux/arm64" : "linux/s390x";
  EXPECT_NE(error_of("FROM --platform=" + other + " bb:1\n").find("building for another platform is not supported"),
            std::string::npos);
  EXPECT_EQ(error_of("FROM --platform=" + other + " bb:1 AS x\nFROM bb:1\n"), "")
      << "a stage the target does not need is not checked";
}

TEST(BuildPlan, Errors) {
  EXPECT_EQ(error_of("RUN true\n"), "no build stage in current context: RUN before FROM");
  EXPECT_EQ(error_of("ARG A=1\n"), "no build stage in current context");
  EXPECT_EQ(error_of("FROM a b\n"), "FROM requires either one or three arguments");
  EXPECT_EQ(error_of("FROM bb:1\n", "nosuch"), "failed to reach build target nosuch in Dockerfile");
  EXPECT_EQ(error_of("FROM bb:1\nCOPY --nosuch=1 a /\n"), "line 2: unknown flag: nosuch");
  EXPECT_EQ(error_of("FROM bb:1 AS a\nRUN x\nFROM bb:1\nWORKDIR --from=a /x\n"), "line 4: unknown flag: from");
  EXPECT_EQ(error_of("FROM bb:1 AS a\nFROM bb:1\nADD --from=a /x /x\n"), "line 3: unknown flag: from");
  EXPECT_EQ(error_of("FROM --platform=a --platform=b bb:1\n"), "line 1: duplicate flag specified: platform");
  EXPECT_EQ(error_of("FROM bb:1\nCOPY --from a /\n"), "line 2: missing a value on flag: from");
  EXPECT_EQ(error_of("FROM bb:1\nCOPY --link=maybe a /\n"), "line 2: expecting boolean value for flag link, not: maybe");
  EXPECT_EQ(error_of("FROM bb:1\nRUN --network=bridge true\n"), "line 2: RUN --network=bridge: use default, host or none");
  BuildPlan insecure = plan_build("FROM bb:1\nRUN --security=insecure true\n", "", kNoArgs);
  EXPECT_THROW(berth::check_supported(insecure.stages[0].body[0]), berth::Error) << "refused when the step runs";
  // Flags are checked in every stage, as BuildKit does, not only in those built.
  EXPECT_EQ(error_of("FROM bb:1 AS x\n\nCOPY --bogus a /\nFROM bb:1\n"), "line 3: unknown flag: bogus");
  // What berth cannot mount is refused when the step runs, not in the plan.
  EXPECT_EQ(error_of("FROM bb:1 AS x\nRUN --mount=type=tmpfs,target=/t true\nFROM bb:1\n"), "");
}

TEST(BuildPlan, RunMountsAreParsedOnce) {
  BuildPlan p = plan_build(
      "FROM bb:1\nRUN --mount=type=cache,target=/c --mount=type=secret,id=tok,required --mount=target=/src,src=sub "
      "--network=none true\n",
      "", kNoArgs);
  const berth::RunFlags& run = p.stages[0].body[0].run();
  ASSERT_EQ(run.mounts.size(), 3u);
  EXPECT_EQ(run.network, std::optional<std::string>("none"));
  EXPECT_EQ(run.mounts[0].type, "cache");
  EXPECT_EQ(run.mounts[0].id, "/c");  // a cache's id defaults to its target
  EXPECT_EQ(run.mounts[1].type, "secret");
  EXPECT_EQ(run.mounts[1].target, "/run/secrets/tok");
  EXPECT_TRUE(run.mounts[1].required);
  EXPECT_EQ(run.mounts[2].type, "bind");
  EXPECT_EQ(run.mounts[2].source, "sub");
  EXPECT_EQ(run.mounts[2].spec, "target=/src,src=sub");
  EXPECT_THROW(berth::check_run_mount(berth::parse_run_mount("type=tmpfs,target=/t")), berth::Error);
  berth::RunMount ssh = berth::parse_run_mount("type=ssh");
  EXPECT_NO_THROW(berth::check_run_mount(ssh));
  EXPECT_EQ(ssh.id, "default");
  EXPECT_EQ(ssh.target, "/run/buildkit/ssh_agent.0");  // BuildKit's
  EXPECT_THROW(berth::check_run_mount(berth::parse_run_mount("type=bind,target=/x,rw")), berth::Error);
  EXPECT_NO_THROW(berth::check_run_mount(run.mounts[2]));
}

TEST(BuildPlan, RealWorldCreateCerts) {
  BuildPlan p = plan_build(real_world("buildkit__examples_create-certs"), "", kNoArgs);
  ASSERT_EQ(p.stages.size(), 2u);
  EXPECT_EQ(p.stages[0].name, "gen");
  EXPECT_EQ(p.stages[0].base, "alpine:edge");
  EXPECT_EQ(p.stages[1].base, "scratch");
  EXPECT_EQ(p.stages[1].uses, (std::vector<size_t>{0}));
  EXPECT_EQ(p.total_steps, 1 + p.stages[0].body.size() + 2);
  EXPECT_EQ(p.stages[1].first_step, 1 + p.stages[0].body.size());
}

TEST(BuildPlan, RealWorldNginxModules) {
  BuildPlan p = plan_build(real_world("docker-nginx__modules"), "", {{"ENABLED_MODULES", "njs"}});
  ASSERT_EQ(p.stages.size(), 2u);
  EXPECT_EQ(p.stages[0].base, "nginx:mainline");
  EXPECT_EQ(p.stages[1].base, "nginx:mainline");
  EXPECT_EQ(p.stages[1].uses, (std::vector<size_t>{0})) << "RUN --mount from=builder";
  EXPECT_TRUE(p.consumed_build_args.empty()) << "ENABLED_MODULES is a stage ARG, not a meta ARG";
  BuildPlan custom = plan_build(real_world("docker-nginx__modules"), "builder", {{"NGINX_FROM_IMAGE", "nginx:1.27"}});
  EXPECT_EQ(custom.stages[0].base, "nginx:1.27");
  EXPECT_EQ(custom.consumed_build_args, (std::set<std::string>{"NGINX_FROM_IMAGE"}));
  EXPECT_EQ(needed_names(custom), (std::vector<std::string>{"builder"}));
}

TEST(BuildPlan, RealWorldGolang) {
  BuildPlan p = plan_build(real_world("golang__1.27_alpine3.24"), "", kNoArgs);
  ASSERT_EQ(p.stages.size(), 2u);
  EXPECT_EQ(p.stages[1].uses, (std::vector<size_t>{0}));
  const berth::TypedInstruction* copy = nullptr;
  for (const auto& in : p.stages[1].body)
    if (in.keyword() == "copy") copy = &in;
  ASSERT_TRUE(copy);
  EXPECT_TRUE(copy->copy().link);
  EXPECT_EQ(copy->copy().from, std::optional<std::string>("build"));
}

TEST(BuildPlan, RealWorldDockerfileFrontend) {
  BuildPlan p = plan_build(real_world("buildkit__frontend_dockerfile_cmd_dockerfile-frontend"), "", kNoArgs);
  // xx, base, version, build, release, and the unnamed last stage FROM release.
  EXPECT_EQ(needed_names(p), (std::vector<std::string>{"xx", "base", "version", "build", "release", "5"}));
  EXPECT_EQ(p.stages[stage(p, "base")].base, "golang:1.26-alpine3.23");
  EXPECT_EQ(p.stages[stage(p, "build")].uses, (std::vector<size_t>{stage(p, "base"), stage(p, "version"), stage(p, "version")}));
  size_t steps = 0;
  for (const auto& s : p.stages) steps += 1 + s.body.size();
  EXPECT_EQ(p.total_steps, steps);  // every stage is needed
}

TEST(BuildPlan, RealWorldBuildKit) {
  std::string file = real_world("buildkit__root");
  BuildPlan p = plan_build(file, "", kNoArgs);
  EXPECT_EQ(p.target, p.stages.size() - 1);
  EXPECT_EQ(p.stages[p.target].base, "buildkit-" + berth::Platform::host().os) << "$TARGETOS, ${BUILDKIT_DEBUG:+-debug} empty";
  std::vector<std::string> needed = needed_names(p);
  auto has = [&](const std::string& n) { return std::find(needed.begin(), needed.end(), n) != needed.end(); };
  EXPECT_TRUE(has("buildkitd"));
  EXPECT_TRUE(has("buildkit-export-alpine"));   // via buildkit-export-${EXPORT_BASE}
  EXPECT_FALSE(has("buildkit-export-ubuntu"));
  EXPECT_FALSE(has("dev-env"));
  EXPECT_FALSE(has("buildkit-darwin"));
  for (const auto& s : p.stages)
    for (size_t u : s.uses) EXPECT_LT(u, s.index) << s.name << " uses a later stage";
  BuildPlan debug = plan_build(file, "", {{"BUILDKIT_DEBUG", "1"}, {"EXPORT_BASE", "ubuntu"}});
  EXPECT_EQ(debug.stages[debug.target].base, "buildkit-linux-debug");
  EXPECT_EQ(debug.consumed_build_args, (std::set<std::string>{"BUILDKIT_DEBUG", "EXPORT_BASE"}));
  std::vector<std::string> dn = needed_names(debug);
  EXPECT_NE(std::find(dn.begin(), dn.end(), "buildkit-export-ubuntu"), dn.end());
  EXPECT_NE(std::find(dn.begin(), dn.end(), "dlv"), dn.end()) << "the debug image carries delve";
  BuildPlan release = plan_build(file, "release", kNoArgs);
  size_t r = stage(release, "release");
  EXPECT_EQ(release.target, r);
  EXPECT_EQ(release.stages[r].uses, (std::vector<size_t>{stage(release, "releaser")}));
  EXPECT_LT(release.total_steps, p.total_steps + 50);
  EXPECT_EQ(release.stages[r].first_step + 1 + release.stages[r].body.size(), release.total_steps)
      << "the target is the last stage built";
}

}  // namespace
