// Docker's size and time strings (go-units), checked against values docker prints.
#include "core/units.h"

#include <gtest/gtest.h>

TEST(Units, HumanSizeAsDockerImagesPrintsIt) {
  EXPECT_EQ(berth::human_size(0), "0B");
  EXPECT_EQ(berth::human_size(999), "999B");
  EXPECT_EQ(berth::human_size(1984512), "1.98MB");
  EXPECT_EQ(berth::human_size(371000000), "371MB");
  EXPECT_EQ(berth::human_size(3220), "3.22kB");
  EXPECT_EQ(berth::human_size(999999999), "1e+03MB");  // go-units' quirk, kept
  EXPECT_EQ(berth::human_size(1234567, 4), "1.235MB");
}

TEST(Units, HumanDuration) {
  EXPECT_EQ(berth::human_duration(0), "Less than a second");
  EXPECT_EQ(berth::human_duration(1), "1 second");
  EXPECT_EQ(berth::human_duration(59), "59 seconds");
  EXPECT_EQ(berth::human_duration(60), "About a minute");
  EXPECT_EQ(berth::human_duration(45 * 60), "45 minutes");
  EXPECT_EQ(berth::human_duration(3600), "About an hour");
  EXPECT_EQ(berth::human_duration(5 * 3600), "5 hours");
  EXPECT_EQ(berth::human_duration(3 * 86400), "3 days");
  EXPECT_EQ(berth::human_duration(20 * 86400), "2 weeks");
  EXPECT_EQ(berth::human_duration(90 * 86400), "3 months");
  EXPECT_EQ(berth::human_duration(3 * 365 * 86400), "3 years");
}

TEST(Units, Rfc3339) {
  EXPECT_EQ(berth::parse_rfc3339("1970-01-01T00:00:10Z"), 10);
  EXPECT_EQ(berth::parse_rfc3339("2024-01-01T00:00:00.123456789Z"), 1704067200);
  EXPECT_EQ(berth::parse_rfc3339("2024-01-01T02:00:00+02:00"), 1704067200);
  EXPECT_FALSE(berth::parse_rfc3339("yesterday"));
  EXPECT_EQ(berth::format_rfc3339(1704067200), "2024-01-01T00:00:00Z");
}

TEST(Units, Ellipsis) {
  EXPECT_EQ(berth::ellipsis("short", 45), "short");
  EXPECT_EQ(berth::ellipsis("abcdef", 4), "abc…");
}
