// The checked number parsers: whole text or nothing, ranges, bases, and an
// error that names the input (never "stoi").
#include "core/number.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace berth {
namespace {

TEST(Number, TakesTheWholeTextOnly) {
  EXPECT_EQ(try_parse_int("42"), 42);
  EXPECT_EQ(try_parse_int("-7"), -7);
  EXPECT_EQ(try_parse_int("12abc"), std::nullopt);
  EXPECT_EQ(try_parse_int(" 1"), std::nullopt);
  EXPECT_EQ(try_parse_int("+1"), std::nullopt);
  EXPECT_EQ(try_parse_int(""), std::nullopt);
  EXPECT_EQ(try_parse_uint("-1"), std::nullopt);
  EXPECT_EQ(try_parse_uint("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(try_parse_uint("18446744073709551616"), std::nullopt);
}

TEST(Number, Bases) {
  EXPECT_EQ(try_parse_uint("755", 8), 0755u);
  EXPECT_EQ(try_parse_uint("8", 8), std::nullopt);
  EXPECT_EQ(try_parse_uint("a80425fb", 16), 0xa80425fbu);
}

TEST(Number, ErrorsNameTheInputAndAreInvalidArgument) {
  try {
    parse_int("70000", "port", 0, 65535);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "invalid port: 70000");
    EXPECT_EQ(e.kind(), ErrorKind::invalid_argument);
  }
  EXPECT_THROW(parse_uint("x", "mode", 8), Error);
  EXPECT_EQ(parse_uint("0644", "mode", 8, 07777), 0644u);
  EXPECT_THROW(parse_uint("17777", "mode", 8, 07777), Error);
}

TEST(Number, Doubles) {
  EXPECT_EQ(try_parse_double("1.5"), 1.5);
  EXPECT_EQ(try_parse_double("2"), 2.0);
  EXPECT_EQ(try_parse_double("-0.25"), -0.25);
  EXPECT_EQ(try_parse_double("1.5s"), std::nullopt);
  EXPECT_EQ(try_parse_double("1e3"), std::nullopt);
}

TEST(Number, ErrnoKinds) {
  errno = ENOENT;
  try {
    throw_errno("open x");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

}  // namespace
}  // namespace berth
