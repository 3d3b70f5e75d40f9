#include "core/digest.h"

// Deprecated in OpenSSL 3, used on purpose: see Sha256::State below.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "core/error.h"

namespace berth {

bool Digest::is_hex64(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool Digest::try_parse(std::string_view text, Digest* out) {
  constexpr std::string_view prefix = "sha256:";
  if (text.substr(0, prefix.size()) != prefix) return false;
  std::string_view hex = text.substr(prefix.size());
  if (!is_hex64(hex)) return false;
  *out = Digest(std::string(hex));
  return true;
}

Digest Digest::parse(std::string_view text) {
  Digest d;
  if (!try_parse(text, &d)) throw Error("invalid digest \"" + std::string(text) + "\"");
  return d;
}

Digest Digest::from_hex(std::string_view hex) {
  if (!is_hex64(hex)) throw Error("invalid digest \"" + std::string(hex) + "\"");
  return Digest(std::string(hex));
}

Digest Digest::of(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.finish();
}

// OpenSSL's SHA256_* functions, not EVP: the first EVP digest of a process
// initialises OpenSSL's provider tables, 2.5 ms measured here, longer than all
// of `berth images` takes otherwise. The low-level functions run the same
// assembly (SHA-NI where the CPU has it) with no set-up. They are deprecated in
// OpenSSL 3 but kept; EVP is the fallback if they are ever removed.
struct Sha256::State {
  SHA256_CTX ctx;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (SHA256_Init(&state_->ctx) != 1) throw Error("sha256: cannot initialise");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;

void Sha256::update(const void* data, size_t size) {
  if (size && SHA256_Update(&state_->ctx, data, size) != 1) throw Error("sha256: update failed");
}

Digest Sha256::finish() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  if (SHA256_Final(md, &state_->ctx) != 1) throw Error("sha256: finish failed");
  static const char* hexdigits = "0123456789abcdef";
  std::string hex(2 * SHA256_DIGEST_LENGTH, '0');
  for (unsigned i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    hex[2 * i] = hexdigits[md[i] >> 4];
    hex[2 * i + 1] = hexdigits[md[i] & 15];
  }
  return Digest::from_hex(hex);
}

}  // namespace berth
