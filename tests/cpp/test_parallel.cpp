// The thread-count setting and the deterministic parallel loops.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_helpers.hpp"

#include "themescope/parallel.hpp"

namespace themescope {
namespace {

using testing::ThreadCountGuard;

struct TaskError : std::runtime_error {
  explicit TaskError(std::size_t task) : std::runtime_error("task " + std::to_string(task)), task(task) {}
  std::size_t task;
};

TEST(NumThreads, DefaultIsPositive) { EXPECT_GE(get_num_threads(), 1); }

TEST(NumThreads, SetAndGet) {
  ThreadCountGuard guard;
  set_num_threads(3);
  EXPECT_EQ(get_num_threads(), 3);
  set_num_threads(1);
  EXPECT_EQ(get_num_threads(), 1);
  set_num_threads(64);  // more threads than cores is allowed
  EXPECT_EQ(get_num_threads(), 64);
}

TEST(NumThreads, RejectsZeroAndNegative) {
  ThreadCountGuard guard;
  set_num_threads(2);
  EXPECT_THROW(set_num_threads(0), std::invalid_argument);
  EXPECT_THROW(set_num_threads(-1), std::invalid_argument);
  EXPECT_EQ(get_num_threads(), 2);  // unchanged by the failed calls
}

TEST(ParallelFor, EveryTaskRunsExactlyOnce) {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 3, 8}) {
    set_num_threads(threads);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{10000}}) {
      std::vector<std::atomic<int>> hits(n);
      parallel_for(n, [&](std::size_t i) { hits[i].fetch_add(1, std::memory_order_relaxed); });
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "task " << i << ", " << threads << " threads";
    }
  }
}

TEST(ParallelFor, ZeroTasksCallsNothing) {
  ThreadCountGuard guard;
  set_num_threads(4);
  std::atomic<int> calls{0};
  parallel_for(0, [&](std::size_t) { calls++; });
  EXPECT_EQ(calls.load(), 0);
}

TEST(ParallelFor, UsesAtMostTheConfiguredThreads) {
  ThreadCountGuard guard;
  set_num_threads(2);
  std::mutex mu;
  std::vector<std::thread::id> ids;
  parallel_for(64, [&](std::size_t) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::lock_guard<std::mutex> lock(mu);
    if (std::find(ids.begin(), ids.end(), std::this_thread::get_id()) == ids.end()) ids.push_back(std::this_thread::get_id());
  });
  EXPECT_GE(ids.size(), 1u);
  EXPECT_LE(ids.size(), 2u);
}

TEST(ParallelFor, LowestFailingTaskIsRethrown) {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 4}) {
    set_num_threads(threads);
    try {
      parallel_for(100, [](std::size_t i) {
        // The higher task fails first in time; the lower one must still win.
        if (i == 17) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          throw TaskError(i);
        }
        if (i == 80 || i == 95) throw TaskError(i);
      });
      ADD_FAILURE() << "no exception with " << threads << " threads";
    } catch (const TaskError& e) {
      EXPECT_EQ(e.task, 17u) << threads << " threads";
      EXPECT_STREQ(e.what(), "task 17");
    }
  }
}

TEST(ParallelFor, ExceptionTypeIsPreserved) {
  ThreadCountGuard guard;
  set_num_threads(2);
  EXPECT_THROW(parallel_for(10, [](std::size_t i) { if (i == 9) throw std::out_of_range("x"); }), std::out_of_range);
  EXPECT_THROW(parallel_for(10, [](std::size_t i) { if (i == 0) throw 42; }), int);
  // The pool is still usable afterwards.
  std::atomic<int> calls{0};
  parallel_for(50, [&](std::size_t) { calls++; });
  EXPECT_EQ(calls.load(), 50);
}

TEST(ParallelForWorkers, EveryTaskOnceWithAValidWorkerInIncreasingOrder) {
  for (std::size_t workers : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{16}}) {
    const std::size_t n = 5000;
    std::vector<std::atomic<int>> hits(n);
    std::vector<std::vector<std::size_t>> seen(workers);  // each worker writes only its own slot
    std::atomic<bool> bad_worker{false};
    parallel_for_workers(n, workers, [&](std::size_t task, std::size_t worker) {
      if (worker >= workers) {
        bad_worker = true;
        return;
      }
      hits[task].fetch_add(1, std::memory_order_relaxed);
      seen[worker].push_back(task);
    });
    ASSERT_FALSE(bad_worker.load()) << workers << " workers";
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "task " << i << ", " << workers << " workers";
    for (std::size_t w = 0; w < workers; ++w) {
      EXPECT_TRUE(std::is_sorted(seen[w].begin(), seen[w].end())) << "worker " << w << " of " << workers;
      EXPECT_EQ(std::adjacent_find(seen[w].begin(), seen[w].end()), seen[w].end());
    }
  }
}

TEST(ParallelForWorkers, OneWorkerRunsTasksInOrder) {
  std::vector<std::size_t> order;
  parallel_for_workers(100, 1, [&](std::size_t task, std::size_t worker) {
    EXPECT_EQ(worker, 0u);
    order.push_back(task);
  });
  std::vector<std::size_t> expected(100);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = i;
  EXPECT_EQ(order, expected);
}

TEST(ParallelForWorkers, LowestFailingTaskIsRethrown) {
  try {
    parallel_for_workers(60, 3, [](std::size_t task, std::size_t) {
      if (task == 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        throw TaskError(task);
      }
      if (task == 40) throw TaskError(task);
    });
    FAIL() << "no exception";
  } catch (const TaskError& e) {
    EXPECT_EQ(e.task, 10u);
  }
}

// A task that throws may leave its worker's state half-updated: no task starts after
// a failure (those already running finish), on any thread count.
TEST(ParallelForWorkers, NoTaskStartsAfterAFailure) {
  for (const std::size_t n_workers : {1, 2, 3}) {
    std::atomic<std::size_t> started{0};
    EXPECT_THROW(parallel_for_workers(10'000, n_workers,
                                      [&](std::size_t task, std::size_t) {
                                        started.fetch_add(1);
                                        if (task == 0) throw TaskError(task);
                                        std::this_thread::sleep_for(std::chrono::microseconds(100));
                                      }),
                 TaskError);
    EXPECT_LE(started.load(), 1 + 2 * (n_workers - 1)) << n_workers << " workers";
  }
}

// Interruption: once the owner's poll says stop, no further task starts, on any
// thread or in nested loops, and the loop throws Interrupted.
class Interruption : public ::testing::TestWithParam<int> {};

TEST_P(Interruption, StopsLoopsAndNestedLoopsOnEveryThread) {
  ThreadCountGuard guard;
  set_num_threads(GetParam());
  std::atomic<std::size_t> started{0};
  std::atomic<bool> stop{false};
  auto poll = [&] { return stop.load(); };
  InterruptScope scope(poll);
  EXPECT_THROW(parallel_for(100'000, [&](std::size_t task) {
                 started.fetch_add(1);
                 if (task == 3) stop.store(true);
                 // A nested loop on the worker thread sees the same request.
                 parallel_for(4, [&](std::size_t) { std::this_thread::sleep_for(std::chrono::microseconds(200)); });
               }),
               Interrupted);
  // Polls come at most every 20 ms: a few tasks start after the request, never all.
  EXPECT_GE(started.load(), 4u);
  EXPECT_LT(started.load(), 100'000u);
}

TEST_P(Interruption, CheckInterruptThrowsInSerialCode) {
  ThreadCountGuard guard;
  set_num_threads(GetParam());
  auto poll = [] { return true; };
  InterruptScope scope(poll);
  EXPECT_THROW(check_interrupt(), Interrupted);
  EXPECT_THROW(check_interrupt(), Interrupted);  // stays stopped
}

TEST_P(Interruption, NoScopeOrNoRequestRunsEverything) {
  ThreadCountGuard guard;
  set_num_threads(GetParam());
  std::atomic<std::size_t> ran{0};
  parallel_for(1000, [&](std::size_t) { ran.fetch_add(1); });
  EXPECT_NO_THROW(check_interrupt());
  std::size_t polls = 0;
  auto poll = [&] { ++polls; return false; };
  {
    InterruptScope scope(poll);
    parallel_for(1000, [&](std::size_t) { ran.fetch_add(1); });
    EXPECT_NO_THROW(check_interrupt());
  }
  EXPECT_EQ(ran.load(), 2000u);
  EXPECT_GE(polls, 1u);
  // The scope ended: a poll that would say stop is no longer asked.
  EXPECT_NO_THROW(check_interrupt());
}

INSTANTIATE_TEST_SUITE_P(Threads, Interruption, ::testing::Values(1, 3));

}  // namespace
}  // namespace themescope
