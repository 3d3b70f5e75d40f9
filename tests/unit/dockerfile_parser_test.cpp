// The Dockerfile parser against BuildKit's own corpus
// (tests/conformance/buildkit-dockerfile-parser): every testfiles/ dump
// byte for byte, the negative cases, line numbers, heredocs, warnings and the
// helper vectors; and the 50 real-world Dockerfiles (dump, lines, flags,
// exec form, heredoc bodies).
#include <gtest/gtest.h>

#include <filesystem>

#include "dockerfile/dockerfile_parser.h"
#include "conformance.h"

namespace {

using berth::Dockerfile;
using berth::DockerfileError;
using berth::Json;
using berth::parse_dockerfile;
using berth::testing::conformance_json;
using berth::testing::conformance_path;
using berth::testing::read_conformance;
namespace detail = berth::dockerfile_detail;

const std::string kParser = "buildkit-dockerfile-parser/";

std::vector<std::string> dirs_in(const std::string& rel) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(conformance_path(rel))) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DockerfileParser, BuildKitTestfilesDumpExactly) {
  std::vector<std::string> dirs = dirs_in(kParser + "testfiles");
  ASSERT_EQ(dirs.size(), 33u);
  for (const std::string& d : dirs) {
    std::string dir = kParser + "testfiles/" + d;
    try {
      EXPECT_EQ(parse_dockerfile(read_conformance(dir + "/Dockerfile")).dump(), read_conformance(dir + "/result")) << d;
    } catch (const std::exception& e) {
      ADD_FAILURE() << d << ": " << e.what();
    }
  }
}

TEST(DockerfileParser, BuildKitNegativeCasesFail) {
  std::vector<std::string> dirs = dirs_in(kParser + "testfiles-negative");
  ASSERT_EQ(dirs.size(), 4u);
  for (const std::string& d : dirs)
    EXPECT_THROW(parse_dockerfile(read_conformance(kParser + "testfiles-negative/" + d + "/Dockerfile")), DockerfileError)
        << d;
}

TEST(DockerfileParser, ErrorsSayWhy) {
  auto message = [](const std::string& text) {
    try {
      parse_dockerfile(text);
    } catch (const DockerfileError& e) {
      return std::string(e.what());
    }
    return std::string("(parsed)");
  };
  EXPECT_EQ(message("# just a comment\n\n"), "file with no instructions");
  EXPECT_EQ(message("FROM a\nENV PATH\n"), "ENV must have two arguments");
  EXPECT_EQ(message("FROM a\nLABEL a=b c\n"), "Syntax error - can't find = in \"c\". Must be of the form: name=value");
  EXPECT_EQ(message("FROM a\nCMD [\"a\", 1]\n"), "when using JSON array syntax, arrays must be comprised of strings only");
  EXPECT_EQ(message("# escape=x\nFROM a\n"), "invalid escape token 'x' does not match ` or \\");
  EXPECT_EQ(message("# syntax=a\n# syntax=b\nFROM a\n"), "only one syntax parser directive can be used");
  EXPECT_EQ(message("FROM a\nRUN <<EOF\necho\n"), "unterminated heredoc");
  // A physical line holds at most 65535 bytes besides its newline ("LABEL x=" is 8).
  EXPECT_EQ(message("FROM a\nLABEL x=" + std::string(65528, 'a') + "\n"), "dockerfile line greater than max allowed size of 65535");
  EXPECT_EQ(message("FROM a\nLABEL x=" + std::string(65527, 'a') + "\n"), "(parsed)");
}

TEST(DockerfileParser, LineNumbers) {
  Json want = conformance_json(kParser + "extra/testfile-line.expected.json");
  Dockerfile f = parse_dockerfile(read_conformance(kParser + "testfile-line/Dockerfile"));
  ASSERT_EQ(f.instructions.size(), want["children_count"].get<size_t>());
  for (size_t i = 0; i < f.instructions.size(); ++i) {
    EXPECT_EQ(f.instructions[i].start_line, want["children_lines"][i][0].get<int>()) << i;
    EXPECT_EQ(f.instructions[i].end_line, want["children_lines"][i][1].get<int>()) << i;
  }
}

void expect_heredocs(const berth::Instruction& in, const Json& want, const std::string& where) {
  if (want.is_null()) {
    EXPECT_TRUE(in.heredocs.empty()) << where;
    return;
  }
  ASSERT_EQ(in.heredocs.size(), want.size()) << where;
  for (size_t k = 0; k < want.size(); ++k) {
    const berth::Heredoc& h = in.heredocs[k];
    EXPECT_EQ(h.name, want[k]["name"].get<std::string>()) << where;
    EXPECT_EQ(h.fd, want[k]["file_descriptor"].get<unsigned>()) << where;
    EXPECT_EQ(h.expand, want[k]["expand"].get<bool>()) << where;
    EXPECT_EQ(h.chomp, want[k]["chomp"].get<bool>()) << where;
    EXPECT_EQ(h.content, want[k]["content"].get<std::string>()) << where;
  }
}

TEST(DockerfileParser, Heredocs) {
  Json want = conformance_json(kParser + "extra/heredoc/extracts-heredoc.expected.json");
  Dockerfile f = parse_dockerfile(read_conformance(kParser + "extra/heredoc/extracts-heredoc.Dockerfile"));
  const Json& by_child = want["expected_heredocs_by_child"];
  ASSERT_EQ(f.instructions.size(), by_child.size() + 1);
  for (size_t i = 0; i < by_child.size(); ++i)
    expect_heredocs(f.instructions[i + 1], by_child[i], "child " + std::to_string(i + 1));

  Dockerfile json_form = parse_dockerfile(read_conformance(kParser + "extra/heredoc/json-form-no-heredoc.Dockerfile"));
  for (size_t i : {1, 2, 3}) EXPECT_TRUE(json_form.instructions.at(i).heredocs.empty()) << i;
}

TEST(DockerfileParser, HeredocHelpers) {
  Json h = conformance_json(kParser + "extra/heredoc/heredoc-helpers.json");
  for (const Json& w : h["valid"]) {
    std::optional<berth::Heredoc> doc = detail::parse_heredoc(w.get<std::string>());
    ASSERT_TRUE(doc) << w;
    EXPECT_EQ(doc->name, "EOF") << w;
  }
  for (const Json& w : h["invalid"]) EXPECT_THROW(detail::parse_heredoc(w.get<std::string>()), berth::Error) << w;
  for (const Json& w : h["not_heredoc"]) EXPECT_FALSE(detail::parse_heredoc(w.get<std::string>())) << w;
  EXPECT_EQ(detail::parse_heredoc("3<<EOF")->fd, 3u);
  // A descriptor too big for any number is an error, not a crash (std::stoul threw out_of_range here).
  EXPECT_THROW(detail::parse_heredoc("99999999999999999999999<<EOF"), berth::DockerfileError);
  for (const Json& c : h["heredocs_from_line"]["cases"]) {
    std::vector<std::string> names;
    for (const berth::Heredoc& d : detail::heredocs_from_line(c["line"])) names.push_back(d.name);
    const Json& want = c.contains("actual_upstream_result") ? c["actual_upstream_result"] : c["heredoc_names"];
    EXPECT_EQ(names, want.is_null() ? std::vector<std::string>{} : want.get<std::vector<std::string>>()) << c["line"];
  }
}

TEST(DockerfileParser, WarnsOnEmptyContinuationLines) {
  Json want = conformance_json(kParser + "extra/warnings/empty-continuation.expected.json");
  Dockerfile f = parse_dockerfile(read_conformance(kParser + "extra/warnings/empty-continuation.Dockerfile"));
  ASSERT_EQ(f.warnings.size(), want["warning_count"].get<size_t>());
  for (size_t i = 0; i < f.warnings.size(); ++i)
    for (const Json& s : want["warnings"][i]["short_contains"])
      EXPECT_NE(f.warnings[i].find(s.get<std::string>()), std::string::npos) << f.warnings[i];
}

TEST(DockerfileParser, HelperVectors) {
  // Named: a range-for over a member of a temporary would dangle (before C++23).
  const Json words = conformance_json(kParser + "extra/parse-words.json");
  for (const Json& c : words["cases"])
    EXPECT_EQ(detail::parse_words(c["input"].get<std::string>(), '\\'), c["expect"].get<std::vector<std::string>>())
        << c["input"];
  Json arrays = conformance_json(kParser + "extra/json-arrays.json");
  for (const Json& c : arrays["valid"]) {
    std::optional<std::vector<std::string>> got = detail::parse_json_array(c["input"].get<std::string>());
    ASSERT_TRUE(got) << c["input"];
    EXPECT_EQ(*got, c["expect"].get<std::vector<std::string>>()) << c["input"];
  }
  for (const Json& c : arrays["invalid"])
    EXPECT_THROW(detail::parse_json_array(c["input"].get<std::string>()), DockerfileError) << c["input"];
  const Json name_values = conformance_json(kParser + "extra/name-val.json");
  for (const Json& c : name_values["cases"]) {
    std::string text = "FROM x\n" + c["key"].get<std::string>() + " " + c["input"].get<std::string>() + "\n";
    if (c.contains("expect_error")) {
      EXPECT_THROW(parse_dockerfile(text), DockerfileError) << c["input"];
      continue;
    }
    EXPECT_EQ(parse_dockerfile(text).instructions[1].args, c["expect_values"].get<std::vector<std::string>>());
  }
}

TEST(DockerfileParser, RealWorldDockerfiles) {
  Json index = conformance_json("dockerfiles-real-world/index.json");
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(conformance_path("dockerfiles-real-world/dockerfiles")))
    names.push_back(e.path().filename());
  ASSERT_EQ(names.size(), 50u);
  for (const std::string& name : names) {
    Dockerfile f;
    try {
      f = parse_dockerfile(read_conformance("dockerfiles-real-world/dockerfiles/" + name));
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << ": " << e.what();
      continue;
    }
    EXPECT_EQ(f.dump(), read_conformance("dockerfiles-real-world/expected/" + name + ".result")) << name;
    Json ast = conformance_json("dockerfiles-real-world/expected/" + name + ".ast.json");
    EXPECT_EQ(std::string(1, f.escape), ast["escape_token"].get<std::string>()) << name;
    ASSERT_EQ(f.instructions.size(), ast["children"].size()) << name;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const berth::Instruction& in = f.instructions[i];
      const Json& want = ast["children"][i];
      std::string where = name + " #" + std::to_string(i);
      EXPECT_EQ(in.start_line, want["start_line"].get<int>()) << where;
      EXPECT_EQ(in.end_line, want["end_line"].get<int>()) << where;
      EXPECT_EQ(in.dump(), want["dump"].get<std::string>()) << where;
      EXPECT_EQ(in.original, want["original"].get<std::string>()) << where;
      EXPECT_EQ(in.flags, want["flags"].get<std::vector<std::string>>()) << where;
      EXPECT_EQ(in.json_form, want["json_form"].get<bool>()) << where;
      expect_heredocs(in, want["heredocs"].empty() ? Json() : want["heredocs"], where);
    }
  }
}

TEST(DockerfileParser, GoQuote) {
  EXPECT_EQ(berth::go_quote("a\tb\"c\\"), R"("a\tb\"c\\")");
  EXPECT_EQ(berth::go_quote(std::string("\x00\x7f", 2)), R"("\x00\x7f")");
  EXPECT_EQ(berth::go_quote("\xe2\x99\xa5 \xc2\xa0"), "\"\xe2\x99\xa5 \\u00a0\"");
  EXPECT_EQ(berth::go_quote("\xff"), R"("\xff")");
  EXPECT_EQ(berth::go_quote("it's"), R"("it's")");
}

}  // namespace
