// Python str objects read in place as TextRef (shared by the register_*.cpp files).
#pragma once
#include <cstddef>
#include <string_view>

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

// A str from UTF-8 the core produced; lone surrogates come back as they went in.
inline pybind11::str str_of(std::string_view utf8) {
  PyObject* s = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "surrogatepass");
  if (!s) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(s);
}

}  // namespace themescope::bindings
