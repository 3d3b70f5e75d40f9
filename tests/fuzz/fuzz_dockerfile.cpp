// The Dockerfile parser, the typed instructions and the shell lexer's word
// expansion (both substitution dialects), on any text.
#include <string>

#include "core/error.h"
#include "dockerfile/dockerfile_parser.h"
#include "dockerfile/instructions.h"
#include "dockerfile/shell_lexer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const berth::TypedInstruction& in : berth::type_instructions(berth::parse_dockerfile(text))) (void)in;
  } catch (const berth::Error&) {
  }
  berth::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "A") return std::string("a b");
    if (name == "EMPTY") return std::string();
    return std::nullopt;
  };
  for (bool colon_forms_only : {false, true}) {
    berth::ShellLexer lexer;
    lexer.colon_forms_only = colon_forms_only;
    try {
      lexer.process_word(text, env);
      lexer.process_words(text, env);
    } catch (const berth::Error&) {
    }
  }
  return 0;
}
