#pragma once
// Room for packed weights (kernels/small_gemm.hpp): how much a cell or layer asks for
// (packed_size_of), and n values starting on a 64-byte boundary (the kernels load whole aligned
// vectors from them) kept in a std::vector: copyable with its owner (a workspace, a model), and a
// request no larger than an earlier one reuses its memory.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rnncell::detail {

/// X::packed_size, the room a cell (cell_contract.hpp) or a layer (Dense) packs its weights into,
/// or 0 for one that packs nothing of its own.
template <class X>
constexpr std::size_t packed_size_of() {
  if constexpr (requires { X::packed_size; })
    return X::packed_size;
  else
    return 0;
}

template <class T>
class aligned_buffer {
 public:
  /// The first of n values, 64-byte aligned; allocates only when n is larger than ever before.
  /// Valid until the next call with a larger n.
  T* get(std::size_t n) {
    constexpr std::size_t alignment = 64, slack = alignment / sizeof(T);
    if (values_.size() < n + slack) values_.resize(n + slack);
    const auto address = reinterpret_cast<std::uintptr_t>(values_.data());
    return values_.data() + (alignment - address % alignment) % alignment / sizeof(T);
  }

 private:
  std::vector<T> values_;
};

}  // namespace rnncell::detail
