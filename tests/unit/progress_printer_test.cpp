// Pull/push progress as the docker CLI draws it: plain status lines when not
// on a terminal, bars redrawn in place when on one.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress_printer.h"

namespace {

using berth::LayerProgress;
using berth::ProgressPrinter;

TEST(ProgressPrinter, PlainOutputPrintsStatusChangesOnly) {
  std::ostringstream out;
  ProgressPrinter p(out, /*tty=*/false, /*quiet=*/false);
  p.layer({"aaaaaaaaaaaa", "Pulling fs layer"});
  p.layer({"bbbbbbbbbbbb", "Already exists"});
  p.layer({"aaaaaaaaaaaa", "Downloading", 10, 100});
  p.layer({"aaaaaaaaaaaa", "Downloading", 90, 100});
  p.layer({"aaaaaaaaaaaa", "Pull complete"});
  p.layer({"aaaaaaaaaaaa", "Pull complete"});
  p.line("Digest: sha256:00");
  EXPECT_EQ(out.str(),
            "aaaaaaaaaaaa: Pulling fs layer\nbbbbbbbbbbbb: Already exists\naaaaaaaaaaaa: Pull complete\n"
            "Digest: sha256:00\n");
}

TEST(ProgressPrinter, QuietPrintsNothing) {
  std::ostringstream out;
  ProgressPrinter p(out, true, true);
  p.layer({"aaaaaaaaaaaa", "Pulling fs layer"});
  p.line("Digest: x");
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressPrinter, BarsLikeDockers) {
  EXPECT_EQ(ProgressPrinter::bar({"x", "Downloading", 0, 1000}),
            "Downloading [>                                                 ]  0B/1kB");
  EXPECT_EQ(ProgressPrinter::bar({"x", "Downloading", 500000, 1000000}),
            "Downloading [=========================>                        ]  500kB/1MB");
  EXPECT_EQ(ProgressPrinter::bar({"x", "Downloading", 1000000, 1000000}),
            "Downloading [==================================================]  1MB/1MB");
  EXPECT_EQ(ProgressPrinter::bar({"x", "Pull complete"}), "Pull complete");
}

TEST(ProgressPrinter, TerminalRedrawsALayersOwnLine) {
  std::ostringstream out;
  ProgressPrinter p(out, /*tty=*/true, false);
  p.layer({"aaaaaaaaaaaa", "Pulling fs layer"});
  p.layer({"bbbbbbbbbbbb", "Pulling fs layer"});
  out.str("");
  p.layer({"aaaaaaaaaaaa", "Pull complete"});  // two lines up, and back
  EXPECT_EQ(out.str(), "\033[2A\r\033[2Kaaaaaaaaaaaa: Pull complete\033[2B\r");
}

}  // namespace
