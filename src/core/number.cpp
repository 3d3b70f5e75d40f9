#include "core/number.h"

#include <charconv>
#include <cstdlib>

#include "core/error.h"

namespace berth {

namespace {
template <typename T>
std::optional<T> parse_whole(std::string_view text, int base) {
  if (text.empty() || text[0] == '+') return std::nullopt;
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<int64_t> try_parse_int(std::string_view text, int base) { return parse_whole<int64_t>(text, base); }

std::optional<uint64_t> try_parse_uint(std::string_view text, int base) {
  if (!text.empty() && text[0] == '-') return std::nullopt;
  return parse_whole<uint64_t>(text, base);
}

int64_t parse_int(std::string_view text, const std::string& what, int64_t min, int64_t max) {
  std::optional<int64_t> v = try_parse_int(text);
  if (!v || *v < min || *v > max) throw invalid_argument("invalid " + what + ": " + std::string(text));
  return *v;
}

uint64_t parse_uint(std::string_view text, const std::string& what, int base, uint64_t max) {
  std::optional<uint64_t> v = try_parse_uint(text, base);
  if (!v || *v > max) throw invalid_argument("invalid " + what + ": " + std::string(text));
  return *v;
}

std::optional<double> try_parse_double(std::string_view text) {
  // from_chars for double is in GCC 11+; it takes no leading '+', as we want.
  if (text.empty() || text[0] == '+') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace berth
