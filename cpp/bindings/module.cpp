// themescope._core: the private native module; users import `themescope`.
#include <pybind11/pybind11.h>

#include "interrupt.hpp"
#include "registrations.hpp"

PYBIND11_MODULE(_core, m, pybind11::mod_gil_not_used()) {
  m.doc() = "Native core of themescope (private: use the `themescope` package).";
  themescope::bindings::register_interrupt_translator();
  themescope::bindings::register_runtime(m);
  themescope::bindings::register_text(m);
  themescope::bindings::register_counter(m);
  themescope::bindings::register_tfidf(m);
  themescope::bindings::register_lexicon(m);
  themescope::bindings::register_language(m);
  themescope::bindings::register_analysis(m);
  themescope::bindings::register_crosslang(m);
  themescope::bindings::register_clustering(m);
  themescope::bindings::register_similarity(m);
  themescope::bindings::register_search(m);
  themescope::bindings::register_decomposition(m);
  themescope::bindings::register_boilerplate(m);
}
