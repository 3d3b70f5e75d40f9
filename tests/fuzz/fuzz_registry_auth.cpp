// What a registry's auth sends back: WWW-Authenticate challenges and token
// server answers.
#include <string>

#include "registry/auth_challenge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto c = berth::parse_auth_challenge(text)) (void)c->param("realm");
  (void)berth::token_of_response(text);
  return 0;
}
