#include "core/digest.h"

#include <openssl/crypto.h>

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

namespace {

// Fetched once: OpenSSL 3 otherwise looks the algorithm up by name on every
// init, and loading openssl.cnf is start-up time no berth command needs.
const EVP_MD* sha256_md() {
  static const EVP_MD* md = [] {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
    return EVP_MD_fetch(nullptr, "SHA256", nullptr);
  }();
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = sha256_md();
  if (!ctx_ || !md || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1)
    throw Error("sha256: cannot initialise OpenSSL digest");
}

void Sha256::update(const void* data, size_t size) {
  if (size && EVP_DigestUpdate(ctx_.get(), data, size) != 1) throw Error("sha256: update failed");
}

Digest Sha256::finish() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), md, &len) != 1) throw Error("sha256: finish failed");
  static const char* hexdigits = "0123456789abcdef";
  std::string hex(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    hex[2 * i] = hexdigits[md[i] >> 4];
    hex[2 * i + 1] = hexdigits[md[i] & 15];
  }
  return Digest::from_hex(hex);
}

}  // namespace berth
