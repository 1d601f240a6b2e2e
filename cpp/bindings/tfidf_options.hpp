// The weighting options as Python spells them, shared by the bindings that weigh.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

#include "themescope/tfidf.hpp"

namespace themescope::bindings {

inline Norm parse_norm(const std::optional<std::string>& norm) {
  if (!norm) return Norm::none;
  if (*norm == "l2") return Norm::l2;
  if (*norm == "l1") return Norm::l1;
  throw std::invalid_argument("norm must be 'l1', 'l2' or None, got '" + *norm + "'");
}

}  // namespace themescope::bindings
