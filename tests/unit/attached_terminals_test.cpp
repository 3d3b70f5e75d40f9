// The terminals the Engine API's service sizes for its clients: a size that
// comes before its terminal, the newest terminal of a restarted container,
// and nothing kept once the last relay ends.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <gtest/gtest.h>

#include "api/attached_terminals.h"

namespace berth {
namespace {

// A pty: the master for AttachedTerminals, the slave to read the size back.
struct TestPty {
  UniqueFd master, slave;
  TestPty() {
    master = UniqueFd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    EXPECT_TRUE(master) << "posix_openpt";
    EXPECT_EQ(::grantpt(master.get()), 0);
    EXPECT_EQ(::unlockpt(master.get()), 0);
    slave = UniqueFd(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
    EXPECT_TRUE(slave);
  }
  UniqueFd master_copy() const { return UniqueFd(::fcntl(master.get(), F_DUPFD_CLOEXEC, 0)); }
  std::pair<int, int> size() const {
    winsize ws{};
    EXPECT_EQ(::ioctl(slave.get(), TIOCGWINSZ, &ws), 0);
    return {ws.ws_row, ws.ws_col};
  }
};

TEST(AttachedTerminals, AppliesASizeThatCameFirstWhenTheTerminalComes) {
  AttachedTerminals terminals;
  TestPty pty;
  EXPECT_FALSE(terminals.resize("c1", 21, 93));
  terminals.add("c1", pty.master_copy());
  EXPECT_EQ(pty.size(), std::make_pair(21, 93));
  EXPECT_TRUE(terminals.resize("c1", 30, 100));
  EXPECT_EQ(pty.size(), std::make_pair(30, 100));
}

TEST(AttachedTerminals, SizesTheNewestTerminalOfARestartedContainer) {
  AttachedTerminals terminals;
  TestPty before, after;
  terminals.add("c1", before.master_copy());
  terminals.add("c1", after.master_copy());  // a second client, after a restart
  EXPECT_TRUE(terminals.resize("c1", 40, 120));
  EXPECT_EQ(after.size(), std::make_pair(40, 120));
}

TEST(AttachedTerminals, ATerminalGoesWhenItsLastRelayEndsHoweverItEnds) {
  AttachedTerminals terminals;
  TestPty pty;
  terminals.add("c1", pty.master_copy());
  terminals.add("c1", pty.master_copy());
  {
    AttachedTerminals::Detach first(terminals, "c1");
  }
  EXPECT_TRUE(terminals.resize("c1", 25, 81));  // one client left
  try {
    AttachedTerminals::Detach second(terminals, "c1");
    throw std::runtime_error("the relay failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(terminals.resize("c1", 25, 81));  // gone: the size waits again
}

}  // namespace
}  // namespace berth
