#pragma once
/// @file
/// Embedding<Vocab, Width>: token ids (T, B) -> vectors (T, B, Width), row id of a trained table E
/// (Vocab x Width), as torch.nn.Embedding and keras.layers.Embedding. The gradient of E is a
/// scatter-add: dE[id] += dLoss/dy for every position that holds id (an id used twice gets both).
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/parameterized.hpp>
#include <rnncell/random.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace rnncell {

/// The parameters (or gradients) of an Embedding: one table.
/// @tparam T the element type.
template <class T>
struct embedding_parameters {
  xt::xtensor<T, 2> E;  ///< (Vocab x Width): row id is the vector of token id

  /// All zero, shaped for a layer.
  /// @param vocab the number of token ids, Vocab.
  /// @param width the vector width, Width.
  embedding_parameters(std::size_t vocab, std::size_t width) : E(xt::zeros<T>({vocab, width})) {}

  /// Calls f("E", s.E...): the one field.
  /// @tparam F a callable f(const char* name, tensor&...).
  /// @tparam S embedding_parameters, one per walked struct.
  /// @param f called once with the field's name and that field of every s.
  /// @param s the structs walked in step (e.g. the parameters and the gradients).
  template <class F, class... S>
  static void each(F&& f, S&... s) {
    f("E", s.E...);
  }
};

/// A trained lookup table from token ids in [0, Vocab) to Width-wide vectors, the input layer of
/// a language model (SequenceModel). Gradients accumulate (+=) until zero_grad().
/// @tparam Vocab the number of token ids.
/// @tparam Width the width of each vector (the recurrent stack's input width).
/// @tparam T the element type, float or double.
template <std::size_t Vocab, std::size_t Width, class T = float>
class Embedding : public parameterized<embedding_parameters<T>> {
  static_assert(Vocab > 0 && Width > 0, "rnncell: Embedding's Vocab and Width must be positive");
  static_assert(std::is_floating_point_v<T>, "rnncell: Embedding's T is float or double");

 public:
  using value_type = T;                              ///< the element type
  using input_type = xt::xtensor<int, 2>;            ///< token ids, time-major (T, B)
  static constexpr std::size_t vocab_size = Vocab;   ///< Vocab, the number of token ids
  static constexpr std::size_t output_width = Width; ///< Width, the width of each vector

  /// Zero table and gradient; see initialize().
  Embedding() : parameterized<embedding_parameters<T>>(Vocab, Width) {}

  /// Throws unless ids is (T, B) with T, B >= 1 and every id is in [0, Vocab).
  /// @param ids token ids, time-major (T, B).
  /// @throws std::invalid_argument naming the shape, or the first bad id, its (t, b) and Vocab.
  static void check(const input_type& ids) {
    if (ids.shape(0) == 0 || ids.shape(1) == 0)
      throw std::invalid_argument("rnncell: token ids have shape " + detail::shape_string(ids.shape()) +
                                  ", expected (T, B) with at least one step and one sequence");
    const std::size_t batch = ids.shape(1);
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids.data()[i] < 0 || std::size_t(ids.data()[i]) >= Vocab)
        throw std::invalid_argument("rnncell: token id " + std::to_string(ids.data()[i]) + " at (t = " +
                                    std::to_string(i / batch) + ", b = " + std::to_string(i % batch) +
                                    ") is outside 0.." + std::to_string(Vocab - 1) + " (Vocab " +
                                    std::to_string(Vocab) + ")");
  }

  /// y = E[ids]: the vectors of ids (T, B) as (T, B, Width); y is resized if needed.
  /// @param ids token ids, time-major (T, B), each in [0, Vocab).
  /// @param y the vectors, (T, B, Width), overwritten.
  /// @throws std::invalid_argument as check().
  void forward(const input_type& ids, xt::xtensor<T, 3>& y) const {
    check(ids);
    const std::array<std::size_t, 3> shape{ids.shape(0), ids.shape(1), Width};
    if (y.shape() != shape) y.resize(shape);
    forward_unchecked(ids.data(), detail::matrix_ref<T>(y.data(), ids.size(), Width));
  }

  /// dE[ids] += dy: accumulates the gradient of the vectors forward returned for ids.
  /// @param ids the token ids forward ran on, (T, B).
  /// @param dy dLoss/dy, (T, B, Width).
  /// @throws std::invalid_argument as check(), or if dy is not (T, B, Width).
  void backward(const input_type& ids, const xt::xtensor<T, 3>& dy) {
    check(ids);
    detail::require_shape("Embedding dy", dy.shape(), std::array{ids.shape(0), ids.shape(1), Width},
                          "(T, B, Width)");
    backward_unchecked(ids.data(), detail::matrix_ref<const T>(dy.data(), ids.size(), Width));
  }

  /// Row i of y = E[ids[i]] for the y.rows ids; ids trusted.
  /// @param ids y.rows token ids, each in [0, Vocab).
  /// @param y the vectors (rows, Width), overwritten.
  void forward_unchecked(const int* ids, detail::matrix_ref<T> y) const {
    for (std::size_t i = 0; i < y.rows; ++i) {
      const T* row = this->params.E.data() + std::size_t(ids[i]) * Width;
      std::copy(row, row + Width, y.row(i));
    }
  }

  /// dE[ids[i]] += dy row i for the dy.rows ids (the scatter-add); ids trusted.
  /// @param ids dy.rows token ids, each in [0, Vocab).
  /// @param dy dLoss/dy (rows, Width).
  void backward_unchecked(const int* ids, detail::matrix_ref<const T> dy) {
    for (std::size_t i = 0; i < dy.rows; ++i) {
      T* row = this->grads.E.data() + std::size_t(ids[i]) * Width;
      const T* d = dy.row(i);
      for (std::size_t c = 0; c < Width; ++c) row[c] += d[c];
    }
  }

  /// E uniform in [-0.05, 0.05] (Keras' default for Embedding).
  /// @param g the generator E is drawn from, in row-major order.
  void initialize(rng& g) {
    for (auto& v : this->params.E) v = T(g.uniform(-0.05, 0.05));
  }
};

}  // namespace rnncell
