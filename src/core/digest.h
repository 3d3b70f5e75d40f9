// Content digests ("sha256:<64 hex>"), as OCI and Docker use them to name
// blobs, layers and images. Only sha256 is supported: it is all that Docker
// writes, and a digest we cannot verify must not be trusted.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace berth {

class Digest {
 public:
  Digest() = default;

  // Parses "sha256:<64 lowercase hex>"; throws Error naming the text otherwise.
  static Digest parse(std::string_view text);
  // Like parse(), but returns false instead of throwing.
  static bool try_parse(std::string_view text, Digest* out);
  static Digest from_hex(std::string_view hex);  // 64 hex chars, no algorithm
  static bool is_hex64(std::string_view text);
  static Digest of(std::string_view bytes);

  const std::string& hex() const { return hex_; }
  std::string str() const { return "sha256:" + hex_; }
  std::string short_id() const { return hex_.substr(0, 12); }  // Docker's 12-char ID
  bool empty() const { return hex_.empty(); }

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  explicit Digest(std::string hex) : hex_(std::move(hex)) {}
  std::string hex_;
};

// A streaming sha256, fed as bytes go by so no stream is read twice.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  void update(const void* data, size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  Digest finish();  // may be called once

 private:
  struct State;  // OpenSSL's SHA256_CTX, kept out of this header
  std::unique_ptr<State> state_;
};

}  // namespace berth
