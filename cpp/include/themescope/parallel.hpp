// The thread pool size and a deterministic parallel loop.
#pragma once
#include <cstddef>

#include <absl/functional/function_ref.h>

namespace themescope {

// Threads used by every parallel kernel. The default is THEMESCOPE_NUM_THREADS
// when set, else every core the process may run on.
int get_num_threads() noexcept;
// n >= 1; throws std::invalid_argument otherwise.
void set_num_threads(int n);

// Runs task(0) ... task(n_tasks - 1) on up to get_num_threads() threads. Which
// thread runs a task never changes a result: tasks write to their own slots.
// If tasks throw, the exception of the lowest-numbered failing task is rethrown.
void parallel_for(std::size_t n_tasks, absl::FunctionRef<void(std::size_t task)> task);

// The same with n_workers threads (at least 1), telling each task which worker
// runs it (0 .. n_workers - 1), so tasks may reuse per-worker state. A worker
// takes tasks in increasing order.
void parallel_for_workers(std::size_t n_tasks, std::size_t n_workers,
                          absl::FunctionRef<void(std::size_t task, std::size_t worker)> task);

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
