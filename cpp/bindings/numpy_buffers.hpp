// Hand C++ buffers to numpy without copying: the vector moves into a capsule
// that the array keeps alive (pybind11's Eigen sparse caster would copy).
#pragma once
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

namespace themescope::bindings {

// An allocator whose vectors leave new elements uninitialised (resize and the size
// constructor skip the zero fill): for buffers that are written in full right
// after, in parallel, so that neither the fill nor the first touch of every page
// happens on one thread first.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() noexcept = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T, class Allocator = std::allocator<T>>
pybind11::array_t<T> to_numpy(std::vector<T, Allocator>&& values) {
  using Vector = std::vector<T, Allocator>;
  auto* owned = new Vector(std::move(values));
  pybind11::capsule owner(owned, [](void* p) noexcept { delete static_cast<Vector*>(p); });
  return pybind11::array_t<T>({static_cast<pybind11::ssize_t>(owned->size())}, {sizeof(T)}, owned->data(),
                              owner);
}

}  // namespace themescope::bindings
