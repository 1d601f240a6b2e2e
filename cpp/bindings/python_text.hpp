// Python str objects read in place as TextRef (shared by the register_*.cpp files).
#pragma once
#include <cstddef>

#include <pybind11/pybind11.h>

#include "themescope/text.hpp"

namespace themescope::bindings {

// A Python str read in place: CPython stores it as Latin-1, UCS-2 or UCS-4.
// `s` must be a str (PyUnicode_Check) and must outlive the TextRef.
inline TextRef text_of(PyObject* s) {
#if PY_VERSION_HEX < 0x030C0000
  if (PyUnicode_READY(s) != 0) throw pybind11::error_already_set();
#endif
  static constexpr TextEncoding by_kind[] = {TextEncoding::latin1, TextEncoding::latin1, TextEncoding::ucs2,
                                             TextEncoding::latin1, TextEncoding::ucs4};
  return {PyUnicode_DATA(s), static_cast<std::size_t>(PyUnicode_GET_LENGTH(s)), by_kind[PyUnicode_KIND(s)]};
}

}  // namespace themescope::bindings
