// Run by ctest with THEMESCOPE_NUM_THREADS=3 in the environment (see CMakeLists.txt).
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "themescope/parallel.hpp"

namespace themescope {
namespace {

TEST(NumThreadsFromEnvironment, DefaultComesFromThemescopeNumThreads) {
  const char* env = std::getenv("THEMESCOPE_NUM_THREADS");
  if (env == nullptr) GTEST_SKIP() << "THEMESCOPE_NUM_THREADS is not set (run through ctest)";
  EXPECT_EQ(get_num_threads(), std::stoi(env));
  set_num_threads(1);  // an explicit setting still wins
  EXPECT_EQ(get_num_threads(), 1);
}

}  // namespace
}  // namespace themescope
