// Image references, digests and platforms: what a command line, an archive's
// RepoTags or a registry's answer names.
#include <string>

#include "core/digest.h"
#include "core/error.h"
#include "core/platform.h"
#include "core/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    berth::Reference r = berth::parse_docker_ref_or_throw(text);
    (void)r.str();
    (void)r.familiar_str();
  } catch (const berth::Error&) {
  }
  try {
    berth::Reference r = berth::parse_normalized_named_or_throw(text);
    // What is printed parses again to the same reference.
    if (berth::parse_normalized_named_or_throw(r.str()).str() != r.str()) __builtin_trap();
  } catch (const berth::Error&) {
  }
  berth::Digest d;
  if (berth::Digest::try_parse(text, &d) && d.str() != text) __builtin_trap();
  try {
    (void)berth::Platform::parse(text).str();
  } catch (const berth::Error&) {
  }
  return 0;
}
