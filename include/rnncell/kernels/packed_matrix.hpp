#pragma once
// Weights packed once for the streaming matrix-vector kernels (matvec.hpp).
//
// A K x N row-major matrix is cut into column panels of panel_width<T> columns (128 bytes: 32
// floats or 16 doubles); a panel stores its K rows of panel_width values one after the other, so
// a kernel streams each panel front to back, touching every weight once per step. The last panel
// is padded with zero columns. Storage is heap, 64-byte aligned (a 256 x 768 float matrix is
// 768 KiB: never a fixed-size array on the stack).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

namespace rnncell::kernels {

inline constexpr std::size_t cache_line = 64;

template <class T>
inline constexpr std::size_t panel_width = 128 / sizeof(T);

/// A gate block of H columns rounded up to whole 32-byte vectors: gate blocks placed at this
/// stride let the gate loops run over whole vectors (no scalar remainder) at every H.
template <class T, std::size_t H>
inline constexpr std::size_t block_stride = (H * sizeof(T) + 31) / 32 * 32 / sizeof(T);

/// N rounded up to whole panels: the row stride of every buffer a kernel writes.
template <class T, std::size_t N>
inline constexpr std::size_t padded_width = (N + panel_width<T> - 1) / panel_width<T> * panel_width<T>;

/// A zero-filled, cache-line-aligned heap array of n values (move-only).
template <class T>
class aligned_array {
  struct release {
    void operator()(T* p) const { ::operator delete(p, std::align_val_t(cache_line)); }
  };

 public:
  explicit aligned_array(std::size_t n)
      : data_(static_cast<T*>(::operator new(std::max<std::size_t>(n, 1) * sizeof(T), std::align_val_t(cache_line)))),
        size_(n) {
    std::fill_n(data_.get(), n, T(0));
  }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  std::unique_ptr<T, release> data_;
  std::size_t size_;
};

/// The K x N weights of one product, in panels (see above).
template <class T, std::size_t K, std::size_t N>
class packed_matrix {
 public:
  using value_type = T;
  static constexpr std::size_t rows = K, columns = N, padded_columns = padded_width<T, N>;

  packed_matrix() : data_(K * padded_columns) {}

  /// Copies the K x N block at w (row-major, leading dimension ldw >= N) into panels.
  void pack(const T* w, std::size_t ldw) { pack_blocks(w, ldw, 1, N, N); }

  /// Copies `blocks` side-by-side blocks of `width` columns from w (K rows, leading dimension
  /// ldw) so that block b starts at column b * stride; the columns in between are zero. With
  /// first_row and row_count, w has row_count rows and becomes rows first_row .. of the packed
  /// matrix (an LSTM layer's [Wx ; Wh], packed from the cell's two matrices).
  void pack_blocks(const T* w, std::size_t ldw, std::size_t blocks, std::size_t width, std::size_t stride,
                   std::size_t first_row = 0, std::size_t row_count = K) {
    constexpr std::size_t P = panel_width<T>;
    for (std::size_t p = 0; p < padded_columns / P; ++p)
      for (std::size_t k = 0; k < row_count; ++k) {
        T* const out = data_.data() + (p * K + first_row + k) * P;
        for (std::size_t j = 0; j < P; ++j) {
          const std::size_t column = p * P + j, block = column / stride, offset = column % stride;
          out[j] = block < blocks && offset < width ? w[k * ldw + block * width + offset] : T(0);
        }
      }
  }
  const T* data() const { return data_.data(); }

 private:
  aligned_array<T> data_;
};

/// A row of N values (a bias) padded with zeros to whole panels, as the kernels read it.
template <class T, std::size_t N>
class padded_row {
 public:
  padded_row() : data_(padded_width<T, N>) {}
  void assign(const T* v) { assign_blocks(v, 1, N, N); }
  /// Block b of `width` values of v goes to b * stride, as packed_matrix::pack_blocks.
  void assign_blocks(const T* v, std::size_t blocks, std::size_t width, std::size_t stride) {
    for (std::size_t b = 0; b < blocks; ++b) std::copy(v + b * width, v + (b + 1) * width, data_.data() + b * stride);
  }
  const T* data() const { return data_.data(); }

 private:
  aligned_array<T> data_;
};

}  // namespace rnncell::kernels
