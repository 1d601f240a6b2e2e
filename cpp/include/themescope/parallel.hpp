// The thread pool size and a deterministic parallel loop.
#pragma once
#include <cstddef>
#include <exception>

#include <absl/functional/function_ref.h>

namespace themescope {

// Threads used by every parallel kernel. The default is THEMESCOPE_NUM_THREADS
// when set, else every core the process may run on.
int get_num_threads() noexcept;
// n >= 1; throws std::invalid_argument otherwise.
void set_num_threads(int n);

// Runs task(0) ... task(n_tasks - 1) on up to get_num_threads() threads. Which
// thread runs a task never changes a result: tasks write to their own slots.
// If tasks throw, the exception of the lowest-numbered failing task is rethrown;
// once one has thrown, no further task starts.
void parallel_for(std::size_t n_tasks, absl::FunctionRef<void(std::size_t task)> task);

// The same with n_workers threads (at least 1), telling each task which worker
// runs it (0 .. n_workers - 1), so tasks may reuse per-worker state. A worker
// takes tasks in increasing order.
void parallel_for_workers(std::size_t n_tasks, std::size_t n_workers,
                          absl::FunctionRef<void(std::size_t task, std::size_t worker)> task);

// Thrown by the parallel loops (and check_interrupt) once the InterruptScope of
// the thread that started the work has been told to stop.
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

// Cooperative interruption of long work (Ctrl-C in Python). While one is alive,
// the parallel loops this thread starts, and the loops nested in their tasks on
// any thread, call `poll` on this thread between tasks (at most every 20 ms);
// once it returns true they start no further task and throw Interrupted. Work
// between loops stops at the next loop or at an explicit check_interrupt().
class InterruptScope {
 public:
  explicit InterruptScope(absl::FunctionRef<bool()> poll) noexcept;
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  struct State;

 private:
  State* state_;
  State* saved_;
};

// For long serial loops: throws Interrupted when the work on this thread was
// told to stop (polling first when this thread owns the scope and a poll is due).
void check_interrupt();

// While one is alive, the parallel loops this thread starts run on this thread
// alone. For tasks that are themselves spread over the threads (many small
// independent problems): their inner loops would only add thread start-ups.
// Results never depend on it, as they never depend on the thread count.
class SequentialScope {
 public:
  SequentialScope() noexcept;
  ~SequentialScope();
  SequentialScope(const SequentialScope&) = delete;
  SequentialScope& operator=(const SequentialScope&) = delete;

 private:
  bool saved_;
};

}  // namespace themescope
