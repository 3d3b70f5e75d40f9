// Checked conversions of text to numbers. std::stoi and friends accept
// "12abc", throw std::invalid_argument whose what() is just "stoi", and
// range-check only against their own type; a user must never see "Error:
// stoi". These take the whole text or nothing and name the input on failure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// The whole of `text` as an integer in base 8, 10 or 16 (no sign for unsigned,
// no prefix, no spaces), or nullopt when it is not one or is out of range.
std::optional<int64_t> try_parse_int(std::string_view text, int base = 10);
std::optional<uint64_t> try_parse_uint(std::string_view text, int base = 10);

// As above, throwing invalid_argument "invalid <what>: <text>" instead, and
// checking the value lies in [min, max].
int64_t parse_int(std::string_view text, const std::string& what, int64_t min = INT64_MIN, int64_t max = INT64_MAX);
uint64_t parse_uint(std::string_view text, const std::string& what, int base = 10, uint64_t max = UINT64_MAX);

// A decimal number with an optional fraction ("1.5", "2", "-0.25"), whole text.
std::optional<double> try_parse_double(std::string_view text);

}  // namespace berth
