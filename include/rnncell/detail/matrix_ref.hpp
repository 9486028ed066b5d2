#pragma once
// Views of row-major matrices and of time-major sequences inside caller-owned buffers: what the
// cell contract hands a cell per step, and what the matrix products read their shapes from.
// A matrix_ref<const T> is the read-only form; a matrix_ref<T> converts to it.
#include <cassert>
#include <cstddef>
#include <type_traits>

namespace rnncell::detail {

/// rows x cols, row-major, rows `stride` elements apart (a column block of a wider matrix keeps
/// the wider matrix's stride). An empty view (rows == 0) stands for "not given".
template <class T>
struct matrix_ref {
  T* data = nullptr;
  std::size_t rows = 0, cols = 0, stride = 0;

  matrix_ref() = default;
  matrix_ref(T* data, std::size_t rows, std::size_t cols) : matrix_ref(data, rows, cols, cols) {}
  matrix_ref(T* data, std::size_t rows, std::size_t cols, std::size_t stride)
      : data(data), rows(rows), cols(cols), stride(stride) {}
  /// matrix_ref<T> -> matrix_ref<const T>.
  template <class U>
    requires(std::is_same_v<const U, T> && !std::is_same_v<U, T>)
  matrix_ref(const matrix_ref<U>& m) : data(m.data), rows(m.rows), cols(m.cols), stride(m.stride) {}

  bool empty() const { return rows == 0; }
  T* row(std::size_t i) const { return data + i * stride; }
  /// Columns [first, first + count): e.g. one gate block of a (B, G*H) matrix.
  matrix_ref block(std::size_t first, std::size_t count) const {
    assert(first + count <= cols);
    return {data + first, rows, count, stride};
  }
  /// Rows [first, first + count).
  matrix_ref rows_from(std::size_t first, std::size_t count) const {
    assert(first + count <= rows);
    return {data + first * stride, count, cols, stride};
  }
};

/// A time-major sequence (T, B, width): step t is a (B, width) matrix, rows `stride` elements apart
/// and steps B * stride apart (stride > width: the h columns of a wider state, e.g. LSTM's
/// [h | c]). An empty view (steps == 0) stands for "not given".
template <class T>
struct sequence_ref {
  T* data = nullptr;
  std::size_t steps = 0, batch = 0, width = 0, stride = 0;

  sequence_ref() = default;
  sequence_ref(T* data, std::size_t steps, std::size_t batch, std::size_t width)
      : sequence_ref(data, steps, batch, width, width) {}
  sequence_ref(T* data, std::size_t steps, std::size_t batch, std::size_t width, std::size_t stride)
      : data(data), steps(steps), batch(batch), width(width), stride(stride) {}
  template <class U>
    requires(std::is_same_v<const U, T> && !std::is_same_v<U, T>)
  sequence_ref(const sequence_ref<U>& s) : data(s.data), steps(s.steps), batch(s.batch), width(s.width), stride(s.stride) {}

  bool empty() const { return steps == 0; }
  matrix_ref<T> at(std::size_t t) const {
    assert(t < steps);
    return {data + t * batch * stride, batch, width, stride};
  }
  /// All steps as one (T*B, width) matrix: the products that span the whole sequence.
  matrix_ref<T> all_rows() const { return {data, steps * batch, width, stride}; }
  /// The first `count` steps (a batch whose sequences all end by then).
  sequence_ref first_steps(std::size_t count) const {
    assert(count <= steps);
    return {data, count, batch, width, stride};
  }
};

/// dst += src, element by element (same rows and cols; strides may differ).
template <class T>
void add_into(matrix_ref<T> dst, matrix_ref<const T> src) {
  assert(dst.rows == src.rows && dst.cols == src.cols);
  for (std::size_t i = 0; i < dst.rows; ++i) {
    T* const d = dst.row(i);
    const T* const v = src.row(i);
    for (std::size_t j = 0; j < dst.cols; ++j) d[j] += v[j];
  }
}

/// The (rows, cols) view of a 2-D xtensor container, and the sequence view of a 3-D one.
template <class Tensor>
auto as_matrix(Tensor& t) {
  using value = std::remove_reference_t<decltype(*t.data())>;
  return matrix_ref<value>(t.data(), t.shape(0), t.shape(1));
}
template <class Tensor>
auto as_sequence(Tensor& t) {
  using value = std::remove_reference_t<decltype(*t.data())>;
  return sequence_ref<value>(t.data(), t.shape(0), t.shape(1), t.shape(2));
}

}  // namespace rnncell::detail
