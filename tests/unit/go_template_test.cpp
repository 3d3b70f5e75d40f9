// docker --format templates: the forms users type, and Docker's table layout.
#include "cli/go_template.h"

#include <gtest/gtest.h>

#include "core/error.h"

using berth::GoTemplate;
using Json = nlohmann::ordered_json;

namespace {
Json image_row() {
  return {{"ID", "70cf8a547fd0"}, {"Repository", "busybox"}, {"Tag", "latest"}, {"Size", "1.99MB"},
          {"Config", {{"Cmd", Json::array({"/bin/sh", "-c", "x"})}, {"Env", nullptr}, {"Labels", {{"b", "2"}, {"a", "1"}}}}},
          {"RepoTags", Json::array({"a:1", "b:2"})}};
}
}  // namespace

TEST(GoTemplate, FieldsAndChains) {
  EXPECT_EQ(GoTemplate("{{.ID}}").render(image_row()), "70cf8a547fd0");
  EXPECT_EQ(GoTemplate("{{.Repository}}:{{.Tag}}").render(image_row()), "busybox:latest");
  EXPECT_EQ(GoTemplate("{{.Config.Cmd}}").render(image_row()), "[/bin/sh -c x]");
  EXPECT_EQ(GoTemplate("{{.Config.Labels}}").render(image_row()), "map[a:1 b:2]");
  EXPECT_EQ(GoTemplate("{{.Missing}}").render(image_row()), "<no value>");
}

TEST(GoTemplate, JsonIsGoCompactAndEscaped) {
  EXPECT_EQ(GoTemplate("{{json .Config.Cmd}}").render(image_row()), R"(["/bin/sh","-c","x"])");
  EXPECT_EQ(GoTemplate("{{json .}}").render(Json{{"Digest", "<none>"}}), R"({"Digest":"\u003cnone\u003e"})");
}

TEST(GoTemplate, FunctionsRangeAndIf) {
  EXPECT_EQ(GoTemplate("{{range .RepoTags}}[{{.}}]{{end}}").render(image_row()), "[a:1][b:2]");
  EXPECT_EQ(GoTemplate("{{join .RepoTags \", \"}}").render(image_row()), "a:1, b:2");
  EXPECT_EQ(GoTemplate("{{upper .Repository}}").render(image_row()), "BUSYBOX");
  EXPECT_EQ(GoTemplate("{{index .Config.Labels \"a\"}}").render(image_row()), "1");
  EXPECT_EQ(GoTemplate("{{if .Config.Env}}env{{else}}none{{end}}").render(image_row()), "none");
  EXPECT_EQ(GoTemplate("{{.Repository | upper}}").render(image_row()), "BUSYBOX");
}

// pad's widths are ints, as Docker's padWithSpace declares them (found by fuzz_go_template).
TEST(GoTemplate, PadTakesIntegerWidths) {
  EXPECT_EQ(GoTemplate("{{pad .Tag 1 2}}|").render(image_row()), " latest  |");
  EXPECT_THROW(GoTemplate("{{pad .Tag .Config 0}}").render(image_row()), berth::Error);
  EXPECT_THROW(GoTemplate("{{pad .Tag 0 \"x\"}}").render(image_row()), berth::Error);
  EXPECT_THROW(GoTemplate("{{pad .Tag 99999999999 0}}").render(image_row()), berth::Error);
}

TEST(GoTemplate, SyntaxErrorsAreErrors) {
  EXPECT_THROW(GoTemplate("{{.ID"), berth::Error);
  EXPECT_THROW(GoTemplate("{{range .X}}"), berth::Error);
  EXPECT_THROW(GoTemplate("{{nosuchfunc .X}}"), berth::Error);
}

TEST(FormatRows, TableAlignsLikeDockersTabwriter) {
  std::vector<Json> rows = {image_row()};
  Json headers = {{"Repository", "REPOSITORY"}, {"Tag", "TAG"}, {"ID", "IMAGE ID"}, {"Size", "SIZE"}};
  std::string out = berth::format_rows("table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.Size}}", rows, headers);
  EXPECT_EQ(out,
            "REPOSITORY   TAG       IMAGE ID       SIZE\n"
            "busybox      latest    70cf8a547fd0   1.99MB\n");
  EXPECT_EQ(berth::format_rows("{{.ID}}", rows, headers), "70cf8a547fd0\n");
}
