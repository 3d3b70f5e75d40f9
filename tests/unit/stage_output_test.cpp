// Stages built at the same time print as a sequential build would: the first
// unfinished stage straight through, the others when the ones before are done.
#include "builder/stage_output.h"

#include <gtest/gtest.h>

#include <sstream>

TEST(StageOutput, PrintsInStageOrder) {
  std::ostringstream out;
  berth::StageOutput output(&out, {true, false, true, true});  // stage 1 is not built
  output.write(2, "two ");
  output.write(0, "zero ");
  EXPECT_EQ(out.str(), "zero ");
  EXPECT_TRUE(output.writes_through(0));
  EXPECT_FALSE(output.writes_through(2));
  output.write(3, "three ");
  output.finish(3);  // finished early: still printed after stage 2
  output.write(0, "zero-again ");
  EXPECT_EQ(out.str(), "zero zero-again ");
  output.finish(0);  // stage 2 leads now (1 is skipped): its held lines, then live
  EXPECT_EQ(out.str(), "zero zero-again two ");
  output.write(2, "two-live ");
  EXPECT_EQ(out.str(), "zero zero-again two two-live ");
  output.finish(2);
  EXPECT_EQ(out.str(), "zero zero-again two two-live three ");
  output.write(3, "after ");  // the build's last lines, once every stage is done
  EXPECT_EQ(out.str(), "zero zero-again two two-live three after ");
}

TEST(StageOutput, AFailedBuildPrintsWhatWasHeld) {
  std::ostringstream out;
  berth::StageOutput output(&out, {true, true, true});
  output.write(0, "a ");
  output.write(2, "c ");
  output.write(1, "b ");
  output.flush_all();
  EXPECT_EQ(out.str(), "a b c ");
}
