// Hand C++ buffers to numpy without copying: the vector moves into a capsule
// that the array keeps alive (pybind11's Eigen sparse caster would copy).
#pragma once
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

namespace themescope::bindings {

template <class T>
pybind11::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  pybind11::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>({static_cast<pybind11::ssize_t>(owned->size())}, {sizeof(T)}, owned->data(),
                              owner);
}

}  // namespace themescope::bindings
