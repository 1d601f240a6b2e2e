#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interrupt.hpp"
#include "numpy_buffers.hpp"
#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/boilerplate.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

py::str str_of_utf32(std::u32string_view s) {
  PyObject* out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s.data(), static_cast<Py_ssize_t>(s.size()));
  if (!out) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(out);
}

// The language codes, one str per document (any code; those without a stop list
// are judged by shape alone).
std::vector<std::string> codes_of(const py::object& languages) {
  if (!PyList_Check(languages.ptr()) && !PyTuple_Check(languages.ptr())) {
    throw py::type_error(std::string("languages must be a list or tuple of str, got ") +
                         Py_TYPE(languages.ptr())->tp_name);
  }
  std::vector<std::string> codes;
  for (const py::handle code : languages) {
    if (!PyUnicode_Check(code.ptr())) {
      throw py::type_error("language " + std::to_string(codes.size()) + " is " + Py_TYPE(code.ptr())->tp_name +
                           ", expected str");
    }
    codes.push_back(code.cast<std::string>());
  }
  return codes;
}

boilerplate::LineSet line_set_of(const py::iterable& lines) {
  boilerplate::LineSet out;
  for (const py::handle line : lines) {
    if (!PyUnicode_Check(line.ptr())) {
      throw py::type_error(std::string("recurring lines must be str, got ") + Py_TYPE(line.ptr())->tp_name);
    }
    out.insert(to_utf32(text_of(line.ptr())));
  }
  return out;
}

}  // namespace

void register_boilerplate(py::module_& m) {
  m.def(
      "boilerplate_recurring_lines",
      [](const py::object& documents, std::size_t min_documents) {
        const HeldTexts held = held_texts(documents, "documents");
        std::vector<std::u32string> lines;
        {
          // Reads only the held str objects: every core splits and normalizes
          // paragraphs while other Python threads run.
          InterruptibleRelease release;  // Ctrl-C stops it
          lines = boilerplate::recurring_lines(held.texts, min_documents);
        }
        py::list out(lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) out[i] = str_of_utf32(lines[i]);
        return out;
      },
      py::arg("documents"), py::arg("min_documents"),
      "Normalized paragraphs found in at least `min_documents` distinct documents, sorted.");

  m.def(
      "boilerplate_clean",
      [](const py::object& documents, const py::object& languages, const py::iterable& recurring, double length_low,
         double length_high, double stopwords_low, double stopwords_high, double max_link_density,
         std::size_t max_short_run, std::size_t max_heading_distance, double max_removed_share) {
        const HeldTexts held = held_texts(documents, "documents");
        const std::vector<std::string> codes = codes_of(languages);
        const std::vector<std::string_view> code_views(codes.begin(), codes.end());
        const boilerplate::LineSet lines = line_set_of(recurring);
        const boilerplate::Params params{length_low,       length_high,   stopwords_low,       stopwords_high,
                                         max_link_density, max_short_run, max_heading_distance, max_removed_share};
        std::vector<boilerplate::CleanedDocument> cleaned;
        {
          // The heavy part (every paragraph's shape and context) reads only the
          // held str objects and C++ data: all cores, other Python threads run.
          InterruptibleRelease release;  // Ctrl-C stops it
          cleaned = boilerplate::clean_documents(held.texts, code_views, lines, params);
        }
        std::array<py::str, boilerplate::kReasonCount> reasons;
        for (std::size_t r = 0; r < reasons.size(); ++r) {
          const std::string_view name = boilerplate::reason_name(static_cast<boilerplate::Reason>(r));
          reasons[r] = py::str(name.data(), name.size());
        }
        const std::size_t n = cleaned.size();
        py::list texts(n);
        std::vector<std::int64_t> document, line, spared(n);
        py::list line_texts, why;
        for (std::size_t i = 0; i < n; ++i) {
          PyObject* original = PyTuple_GET_ITEM(held.held.ptr(), static_cast<Py_ssize_t>(i));
          const auto& c = cleaned[i];
          spared[i] = static_cast<std::int64_t>(c.spared_words);
          texts[i] = c.changed ? str_of_utf32(c.text) : py::reinterpret_borrow<py::str>(original);
          for (const auto& removed : c.removed) {
            document.push_back(static_cast<std::int64_t>(i));
            line.push_back(static_cast<std::int64_t>(removed.line));
            PyObject* s = PyUnicode_Substring(original, static_cast<Py_ssize_t>(removed.begin),
                                              static_cast<Py_ssize_t>(removed.end));
            if (!s) throw py::error_already_set();
            line_texts.append(py::reinterpret_steal<py::str>(s));
            why.append(reasons[static_cast<std::size_t>(removed.reason)]);
          }
        }
        return py::make_tuple(texts, to_numpy(std::move(document)), to_numpy(std::move(line)), line_texts, why,
                              to_numpy(std::move(spared)));
      },
      py::arg("documents"), py::arg("languages"), py::arg("recurring"), py::kw_only(), py::arg("length_low"),
      py::arg("length_high"), py::arg("stopwords_low"), py::arg("stopwords_high"), py::arg("max_link_density"),
      py::arg("max_short_run"), py::arg("max_heading_distance"), py::arg("max_removed_share"),
      "Boilerplate removal on get_num_threads() threads: (texts, report document, report line, report text, "
      "report reason, words spared per document kept whole).");
}

}  // namespace themescope::bindings
