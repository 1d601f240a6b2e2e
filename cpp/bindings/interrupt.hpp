// Ctrl-C during long native work: the GIL is released while the work runs, so
// Python cannot raise KeyboardInterrupt until it returns. The core's parallel
// loops poll Python's signal handlers (themescope::InterruptScope) and stop.
#pragma once
#include <Python.h>

#include <pybind11/pybind11.h>

#include <optional>

#include "themescope/parallel.hpp"

namespace themescope::bindings {

// The exception a signal handler raised during native work, kept from the poll
// (on the calling thread) to the translation of themescope::Interrupted.
struct PendingSignalError {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
};
inline thread_local PendingSignalError pending_signal_error;

// Runs Python's signal handlers (only the main thread has any to run); true
// when one raised, its exception kept for the translator below.
inline bool python_signal_raised() {
  pybind11::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() == 0) return false;
  PendingSignalError& pending = pending_signal_error;
  Py_XDECREF(pending.type);
  Py_XDECREF(pending.value);
  Py_XDECREF(pending.traceback);
  PyErr_Fetch(&pending.type, &pending.value, &pending.traceback);
  return true;
}

// themescope::Interrupted -> the exception the signal handler raised
// (KeyboardInterrupt for Ctrl-C). Registered once, in module.cpp.
inline void register_interrupt_translator() {
  pybind11::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const themescope::Interrupted&) {
      PendingSignalError& pending = pending_signal_error;
      if (pending.type != nullptr) {
        PyErr_Restore(pending.type, pending.value, pending.traceback);
        pending = {};
      } else {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
      }
    }
  });
}

// In place of py::gil_scoped_release around long work: releases the GIL and,
// on the main thread (the only one Python's signal handlers run on), lets
// Ctrl-C stop the work within a few tens of milliseconds plus one task.
class InterruptibleRelease {
 public:
  InterruptibleRelease() {
    static const unsigned long main_thread = pybind11::module_::import("threading")
                                                 .attr("main_thread")()
                                                 .attr("ident")
                                                 .cast<unsigned long>();
    const bool on_main_thread = PyThread_get_thread_ident() == main_thread;
    release_.emplace();
    if (on_main_thread) scope_.emplace(&python_signal_raised);
  }
  InterruptibleRelease(const InterruptibleRelease&) = delete;
  InterruptibleRelease& operator=(const InterruptibleRelease&) = delete;

 private:
  std::optional<pybind11::gil_scoped_release> release_;  // destroyed last: the GIL comes back after the scope ends
  std::optional<themescope::InterruptScope> scope_;
};

}  // namespace themescope::bindings
