// The history lines of a build as Docker 20.10's BuildKit writes them: Go's
// %v and %q of the values each instruction sets (the expected strings were
// read from images BuildKit built; tests/integration/test_build_docker.sh
// compares whole histories).
#include "builder/buildkit_history.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"
#include "dockerfile/config_instructions.h"

namespace {

std::string line_of(const std::string& dockerfile_line, berth::Json config = berth::Json::object()) {
  berth::Dockerfile d = berth::parse_dockerfile(dockerfile_line + "\n");
  const berth::Instruction& in = d.instructions.at(0);
  berth::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PORT") return "8080";
    return std::nullopt;
  };
  berth::apply_config_instruction(config, in, env);
  return berth::config_history_line(in, env, config, '\\');
}

}  // namespace

TEST(GoDuration, FormatsAsGoPrintsIt) {
  EXPECT_EQ(berth::format_go_duration(0), "0s");
  EXPECT_EQ(berth::format_go_duration(500000000), "500ms");
  EXPECT_EQ(berth::format_go_duration(1500000000), "1.5s");
  EXPECT_EQ(berth::format_go_duration(90000000000), "1m30s");
  EXPECT_EQ(berth::format_go_duration(3600000000000), "1h0m0s");
  EXPECT_EQ(berth::format_go_duration(1500), "1.5\xc2\xb5s");
  EXPECT_EQ(berth::format_go_duration(-2000000000), "-2s");
  for (const char* text : {"2h3m4.5s", "250ms", "7s"})
    EXPECT_EQ(berth::format_go_duration(berth::parse_go_duration(text)), text);
}

TEST(BuildKitHistory, ConfigInstructions) {
  EXPECT_EQ(line_of("ENV A=1 B=\"x y\""), "ENV A=1 B=x y");
  EXPECT_EQ(line_of("LABEL \"c d\"=\"e f\" g=h"), "LABEL c d=e f g=h");
  EXPECT_EQ(line_of("EXPOSE 8000-8001 $PORT/udp 80"), "EXPOSE map[80/tcp:{} 8000/tcp:{} 8001/tcp:{} 8080/udp:{}]");
  EXPECT_EQ(line_of("VOLUME [\"/a\", \"/b c\"]"), "VOLUME [/a /b c]");
  EXPECT_EQ(line_of("CMD echo \"hi\""), "CMD [\"/bin/sh\" \"-c\" \"echo \\\"hi\\\"\"]");
  EXPECT_EQ(line_of("ENTRYPOINT [\"sh\"]"), "ENTRYPOINT [\"sh\"]");
  EXPECT_EQ(line_of("SHELL [\"/bin/sh\", \"-ec\"]"), "SHELL [/bin/sh -ec]");
  EXPECT_EQ(line_of("USER 1000:1000"), "USER 1000:1000");
  EXPECT_EQ(line_of("STOPSIGNAL SIGTERM"), "STOPSIGNAL SIGTERM");
  EXPECT_EQ(line_of("ONBUILD RUN echo"), "");  // no history entry
}

TEST(BuildKitHistory, HealthcheckIsGoPrintingItsStruct) {
  EXPECT_EQ(line_of("HEALTHCHECK CMD true"), "HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"0s\" \"0s\" \"0s\" '\\x00'}");
  EXPECT_EQ(line_of("HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --retries=3 CMD [\"true\", \"x\"]"),
            "HEALTHCHECK &{[\"CMD\" \"true\" \"x\"] \"1m30s\" \"500ms\" \"2s\" '\\x03'}");
  EXPECT_EQ(line_of("HEALTHCHECK --retries=65 CMD x"), "HEALTHCHECK &{[\"CMD-SHELL\" \"x\"] \"0s\" \"0s\" \"0s\" 'A'}");
  EXPECT_EQ(line_of("HEALTHCHECK NONE"), "HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}");
}

TEST(BuildKitHistory, StepsWithLayers) {
  EXPECT_EQ(berth::run_history_line({}, {"/bin/sh", "-c", "echo hi"}), "RUN /bin/sh -c echo hi # buildkit");
  EXPECT_EQ(berth::run_history_line({{"Z", "3"}, {"A", "over"}, {"Z", "3"}}, {"sh", "-c", "true"}),
            "RUN |3 Z=3 A=over Z=3 sh -c true # buildkit");
  EXPECT_EQ(berth::copy_history_line("COPY", {"f", "d"}, "/cp/"), "COPY f d /cp/ # buildkit");
  EXPECT_EQ(berth::arg_history_line({{"X", "2-y"}, {"W", std::nullopt}}), "ARG X=2-y W");
  EXPECT_EQ(berth::workdir_history_line("/a/./b/../c//"), "WORKDIR /a/./b/../c//");
}
