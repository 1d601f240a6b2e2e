// Native work on a thread of its own while the caller goes on with Python work.
#pragma once
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

#include <pybind11/pybind11.h>

namespace themescope::bindings {

// Runs `work` (pure C++, no Python object) on a new thread from construction
// on; take() waits for it without the GIL and hands over its value or rethrows
// its exception. Started from a Python thread pool instead, the native call
// first needs the GIL, which the caller's own long C call (vocabulary_'s dict
// of 180K terms) may hold for its whole length: measured, the two then ran
// one after the other. It must be taken and destroyed with the GIL held (both
// release it to wait); its destructor waits for the thread.
template <class T>
class BackgroundJob {
 public:
  template <class Work>
  explicit BackgroundJob(Work work)
      : thread_([this, work = std::move(work)]() mutable {
          try {
            value_.emplace(work());
          } catch (...) {
            error_ = std::current_exception();
          }
        }) {}
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;
  ~BackgroundJob() { wait(); }

  T take() {
    wait();
    std::lock_guard lock(mutex_);  // two Python threads (or no GIL) may ask at once
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    if (!value_) throw std::logic_error("this result was taken already");
    T value = std::move(*value_);
    value_.reset();
    return value;
  }

 private:
  void wait() {
    pybind11::gil_scoped_release release;  // the job may be long; other Python threads run meanwhile
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) thread_.join();
  }

  std::mutex mutex_;
  std::optional<T> value_;
  std::exception_ptr error_;
  std::thread thread_;  // last: the thread starts once the members it writes exist
};

}  // namespace themescope::bindings
