#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python_text.hpp"
#include "registrations.hpp"
#include "themescope/language.hpp"
#include "themescope/multilingual.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

py::str str_of_code(std::string_view code) { return {code.data(), code.size()}; }

// Every result of one call shares one str object per language: a corpus of
// millions of documents has a few dozen languages.
class CodeStrings {
 public:
  const py::str& of(std::string_view code) {
    for (const auto& [known, s] : strings_) {
      if (known == code) return s;
    }
    strings_.emplace_back(code, str_of_code(code));
    return strings_.back().second;
  }

 private:
  std::vector<std::pair<std::string_view, py::str>> strings_;
};

}  // namespace

void register_language(py::module_& m) {
  m.def(
      "detect_language",
      [](const py::object& text) {
        if (!PyUnicode_Check(text.ptr())) {
          throw py::type_error(std::string("text is ") + Py_TYPE(text.ptr())->tp_name + ", expected str");
        }
        const TextRef ref = text_of(text.ptr());
        std::string_view code;
        {
          // The caller holds `text` for the whole call and a str never changes:
          // detection reads it without the GIL, so other threads run meanwhile.
          py::gil_scoped_release release;
          code = detect_language(ref);
        }
        return str_of_code(code);
      },
      py::arg("text"), "ISO 639-1 code of the language of one str, or 'und'.");

  m.def(
      "detect_languages",
      [](const py::object& documents, std::size_t first_index, bool short_sample) {
        const HeldTexts documents_held = held_texts(documents, "documents", first_index);
        const std::vector<TextRef>& texts = documents_held.texts;
        const std::size_t n = texts.size();
        std::vector<std::string_view> codes;
        {
          // Detection touches no Python object and takes long on a corpus: release
          // the GIL so that other threads run while every core works.
          py::gil_scoped_release release;
          codes = detect_languages(texts, short_sample ? kAnalyzerLanguageSample : kDocumentSample);
        }
        CodeStrings strings;
        py::list out(n);
        for (std::size_t i = 0; i < n; ++i) out[i] = strings.of(codes[i]);
        return out;
      },
      py::arg("documents"), py::arg("first_index") = 0, py::arg("short_sample") = false,
      "Language codes of a list of str on get_num_threads() threads; `first_index` numbers the documents "
      "in error messages; `short_sample` reads what Analyzer(language='auto') reads of each.");
}

}  // namespace themescope::bindings
