#include "themescope/parallel.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

struct InterruptScope::State {
  explicit State(absl::FunctionRef<bool()> poll_) : poll(poll_) {}
  absl::FunctionRef<bool()> poll;
  const std::thread::id owner = std::this_thread::get_id();
  std::chrono::steady_clock::time_point next_poll{};
  std::atomic<bool> stop{false};
};

namespace {

// The scope of the work this thread does: set by InterruptScope on the thread
// that starts it, handed by the parallel loops to the threads they start.
thread_local InterruptScope::State* interrupt_here = nullptr;

// Only the owner polls (poll may need that thread, as Python's signal check does);
// the others see its answer through `stop`.
bool interrupt_requested(InterruptScope::State* state) {
  if (state == nullptr) return false;
  if (state->stop.load(std::memory_order_relaxed)) return true;
  if (std::this_thread::get_id() != state->owner) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now < state->next_poll) return false;
  state->next_poll = now + std::chrono::milliseconds(20);
  if (!state->poll()) return false;
  state->stop.store(true, std::memory_order_relaxed);
  return true;
}

}  // namespace

InterruptScope::InterruptScope(absl::FunctionRef<bool()> poll) noexcept
    : state_(new State(poll)), saved_(interrupt_here) {
  interrupt_here = state_;
}

InterruptScope::~InterruptScope() {
  interrupt_here = saved_;
  delete state_;
}

void check_interrupt() {
  if (interrupt_requested(interrupt_here)) throw Interrupted();
}

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
  InterruptScope::State* const interrupt = interrupt_here;
  if (n_workers == 1 || sequential_here) {
    for (std::size_t i = 0; i < n_tasks; ++i) {
      if (interrupt_requested(interrupt)) throw Interrupted();
      task(i, 0);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  // Once a task has failed no further task starts: the worker state a task leaves
  // half-updated when it throws (a bad_alloc mid-document) must not feed the next
  // one. Tasks are handed out in increasing order, so every task numbered below a
  // failed one has started already: the lowest failing task is still the one rethrown.
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::size_t error_task = n_tasks;
  std::exception_ptr error;
  auto worker = [&](std::size_t w) {
    interrupt_here = interrupt;  // loops nested in the tasks stop too
    for (;;) {
      if (failed.load(std::memory_order_relaxed) || interrupt_requested(interrupt)) return;
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_tasks) return;
      try {
        task(i, w);
      } catch (...) {
        failed.store(true, std::memory_order_relaxed);
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
  if (interrupt != nullptr && interrupt->stop.load(std::memory_order_relaxed)) throw Interrupted();
  if (error) std::rethrow_exception(error);
}

void parallel_for(std::size_t n_tasks, absl::FunctionRef<void(std::size_t)> task) {
  parallel_for_workers(n_tasks, static_cast<std::size_t>(get_num_threads()),
                       [&](std::size_t i, std::size_t) { task(i); });
}

}  // namespace themescope
