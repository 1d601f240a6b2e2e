#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include "registrations.hpp"
#include "themescope/parallel.hpp"
#include "themescope/unicode.hpp"

namespace py = pybind11;

namespace themescope::bindings {

void register_runtime(py::module_& m) {
  // std::invalid_argument / length_error / domain_error -> ValueError,
  // out_of_range -> IndexError, overflow_error -> OverflowError: pybind11's defaults.
  m.def("get_num_threads", &get_num_threads, "Threads used by native kernels.");
  m.def("set_num_threads", &set_num_threads, py::arg("n"), "Set the threads used by native kernels (n >= 1).");
  m.def("unicode_version", &unicode::unicode_version, "Unicode version of the ICU data in use.");
  m.attr("icu_version") = U_ICU_VERSION;
  m.def(
      "icu_is_assigned", [](std::uint32_t code_point) { return u_charType(static_cast<UChar32>(code_point)) != U_UNASSIGNED; },
      py::arg("code_point"), "Whether ICU's Unicode data assigns this code point (for version-difference tests).");
}

}  // namespace themescope::bindings
