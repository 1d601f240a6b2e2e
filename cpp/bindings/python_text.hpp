// Python str objects read in place as TextRef (shared by the register_*.cpp files).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// A list or tuple of str, held as a tuple (a reference to every str while the
// GIL is released, even if another thread changes the caller's list meanwhile),
// and the TextRef of each. `what` names the argument in errors; documents are
// numbered from `first_index` ("document 3 is NoneType, expected str").
struct HeldTexts {
  pybind11::tuple held;
  std::vector<TextRef> texts;
};
inline HeldTexts held_texts(const pybind11::object& documents, const char* what, std::size_t first_index = 0) {
  if (!PyList_Check(documents.ptr()) && !PyTuple_Check(documents.ptr())) {
    throw pybind11::type_error(std::string(what) + " must be a list or tuple of str, got " +
                               Py_TYPE(documents.ptr())->tp_name);
  }
  HeldTexts out{pybind11::reinterpret_steal<pybind11::tuple>(PySequence_Tuple(documents.ptr())), {}};
  if (!out.held) throw pybind11::error_already_set();
  const std::size_t n = out.held.size();
  out.texts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* item = PyTuple_GET_ITEM(out.held.ptr(), static_cast<Py_ssize_t>(i));
    if (!PyUnicode_Check(item)) {
      throw pybind11::type_error("document " + std::to_string(first_index + i) + " is " + Py_TYPE(item)->tp_name +
                                 ", expected str");
    }
    out.texts.push_back(text_of(item));
  }
  return out;
}

// A str from UTF-8 the core produced; lone surrogates come back as they went in.
inline pybind11::str str_of(std::string_view utf8) {
  PyObject* s = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "surrogatepass");
  if (!s) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(s);
}

}  // namespace themescope::bindings
