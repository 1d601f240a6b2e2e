#include "themescope/parallel.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace themescope {

namespace {

int cores_available() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

int initial_threads() {
  if (const char* env = std::getenv("THEMESCOPE_NUM_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 4096) return static_cast<int>(n);
  }
  return cores_available();
}

std::atomic<int>& thread_setting() {
  static std::atomic<int> n{initial_threads()};
  return n;
}

thread_local bool sequential_here = false;

}  // namespace

SequentialScope::SequentialScope() noexcept : saved_(sequential_here) { sequential_here = true; }
SequentialScope::~SequentialScope() { sequential_here = saved_; }

int get_num_threads() noexcept { return thread_setting().load(std::memory_order_relaxed); }

void set_num_threads(int n) {
  if (n < 1) throw std::invalid_argument("number of threads must be >= 1, got " + std::to_string(n));
  thread_setting().store(n, std::memory_order_relaxed);
}

void parallel_for_workers(std::size_t n_tasks, std::size_t n_workers,
                          absl::FunctionRef<void(std::size_t, std::size_t)> task) {
  n_workers = std::max<std::size_t>(1, std::min(n_workers, n_tasks));
  if (n_workers == 1 || sequential_here) {
    for (std::size_t i = 0; i < n_tasks; ++i) task(i, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::size_t error_task = n_tasks;
  std::exception_ptr error;
  auto worker = [&](std::size_t w) {
    for (;;) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_tasks) return;
      try {
        task(i, w);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (i < error_task) {
          error_task = i;
          error = std::current_exception();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(n_workers - 1);
  for (std::size_t w = 1; w < n_workers; ++w) threads.emplace_back(worker, w);
  worker(0);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

void parallel_for(std::size_t n_tasks, absl::FunctionRef<void(std::size_t)> task) {
  parallel_for_workers(n_tasks, static_cast<std::size_t>(get_num_threads()),
                       [&](std::size_t i, std::size_t) { task(i); });
}

}  // namespace themescope
