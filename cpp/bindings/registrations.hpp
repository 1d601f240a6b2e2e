#pragma once
#include <pybind11/pybind11.h>

namespace themescope::bindings {
void register_runtime(pybind11::module_& m);
void register_text(pybind11::module_& m);
void register_counter(pybind11::module_& m);
void register_tfidf(pybind11::module_& m);
void register_lexicon(pybind11::module_& m);
void register_language(pybind11::module_& m);
void register_analysis(pybind11::module_& m);
void register_crosslang(pybind11::module_& m);
void register_clustering(pybind11::module_& m);
void register_similarity(pybind11::module_& m);
void register_search(pybind11::module_& m);
void register_decomposition(pybind11::module_& m);
void register_boilerplate(pybind11::module_& m);
}  // namespace themescope::bindings
