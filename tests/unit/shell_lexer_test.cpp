// Variable expansion and word splitting against BuildKit's own vectors
// (tests/conformance/buildkit-dockerfile-shell-lex): envVarTest through
// process_word, wordsTest through process_words.
#include <gtest/gtest.h>

#include "dockerfile/shell_lexer.h"
#include "conformance.h"
#include "core/error.h"

namespace {

using berth::Json;
using berth::ShellLexer;

berth::EnvLookup lookup_in(const std::map<std::string, std::string>& env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ShellLexer, EnvVarTestVectors) {
  Json doc = berth::testing::conformance_json("buildkit-dockerfile-shell-lex/envVarTest.json");
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : doc["env"].items()) env[k] = v.get<std::string>();
  ShellLexer lexer;
  int checked = 0;
  for (const Json& c : doc["cases"]) {
    if (c["platform"] == "W") continue;  // Windows: names case-insensitive
    std::string input = c["input"];
    ++checked;
    if (c["expect_error"].get<bool>()) {
      EXPECT_THROW(lexer.process_word(input, lookup_in(env)), berth::Error) << "line " << c["line"] << ": " << input;
      continue;
    }
    try {
      EXPECT_EQ(lexer.process_word(input, lookup_in(env)), c["expected"].get<std::string>())
          << "line " << c["line"] << ": " << input;
    } catch (const berth::Error& e) {
      ADD_FAILURE() << "line " << c["line"] << ": " << input << ": " << e.what();
    }
  }
  EXPECT_EQ(checked, 228);
}

TEST(ShellLexer, WordsTestVectors) {
  Json doc = berth::testing::conformance_json("buildkit-dockerfile-shell-lex/wordsTest.json");
  ShellLexer lexer;
  for (const Json& c : doc["cases"]) {
    std::map<std::string, std::string> env;
    for (const Json& e : c["env"]) {
      std::string s = e;
      env[s.substr(0, s.find('='))] = s.substr(s.find('=') + 1);
    }
    std::string input = c["input"];
    if (c["expect_error"].get<bool>()) {
      EXPECT_THROW(lexer.process_words(input, lookup_in(env)), berth::Error) << input;
      continue;
    }
    EXPECT_EQ(lexer.process_words(input, lookup_in(env)), c["expected"].get<std::vector<std::string>>())
        << "line " << c["line"] << ": " << input;
  }
}

TEST(ShellLexer, RawModesKeepQuotesAndEscapes) {
  ShellLexer raw;
  raw.raw_quotes = true;
  raw.raw_escapes = true;
  EXPECT_EQ(raw.process_words(R"(a "b c" 'd' e\ f)", nullptr),
            (std::vector<std::string>{"a", "\"b c\"", "'d'", "e\\ f"}));
  ShellLexer skip;
  skip.skip_unset_env = true;
  EXPECT_EQ(skip.process_word("$A ${B} ${C:-x}", nullptr), "$A ${B} ${C:-x}");
}

}  // namespace

// Docker 20.10's builders (a Dockerfile without "# syntax="): the forms later
// BuildKit added are refused with Docker's message, naming the whole word.
TEST(ShellLexer, Docker2010FormsOnly) {
  berth::ShellLexer lexer;
  lexer.colon_forms_only = true;
  berth::EnvLookup env = [](const std::string& n) -> std::optional<std::string> {
    if (n == "X") return "abc";
    return std::nullopt;
  };
  EXPECT_EQ(lexer.process_word("${X:-d}${Z:-d}${X:+p}${X?}${X}", env), "abcdpabcabc");
  for (const char* word : {"${X-def}", "${X+alt}", "${X%s}", "${X/a/b}", "${#X}", "${X#p}", "a${X-d}b"}) {
    try {
      lexer.process_word(word, env);
      ADD_FAILURE() << word << " was accepted";
    } catch (const berth::Error& e) {
      EXPECT_EQ(std::string(e.what()), std::string("failed to process \"") + word + "\": missing ':' in substitution");
    }
  }
  try {
    lexer.process_word("${X:1}", env);
    ADD_FAILURE() << "${X:1} was accepted";
  } catch (const berth::Error& e) {
    EXPECT_EQ(std::string(e.what()), "failed to process \"${X:1}\": unsupported modifier (1) in substitution");
  }
  berth::ShellLexer current;  // later BuildKit, and the conformance vectors: the newer forms work
  EXPECT_EQ(current.process_word("${X-def}${X#a}", env), "abcbc");
}
