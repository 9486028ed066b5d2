#pragma once
/// @file
/// Weight import from PyTorch nn.GRU and Keras GRU into GRUCell, and from PyTorch nn.LSTM and
/// Keras LSTM into LSTMCell (below the GRU's).
/// Both frameworks write h' = z * h + (1 - z) * n; ours is h' = (1 - z) * h + z * n, so the z block of
/// every weight and bias is negated (sigmoid(-a) = 1 - sigmoid(a)), which maps one onto the other exactly.
/// @code{.unparsed}
///   PyTorch: weight_ih (3H x In), weight_hh (3H x H), bias_ih (3H), bias_hh (3H), gate rows r, z, n;
///            reset applied after the recurrent product: only GRUCell<..., reset_after> matches it.
///   Keras:   kernel (In x 3H), recurrent_kernel (H x 3H), gate columns z, r, h (ours z, r, n);
///            bias (3H) for reset_after=False (reset_before), (2, 3H) input and recurrent rows for
///            reset_after=True.
/// @endcode
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <type_traits>

namespace rnncell {

namespace detail {
// Our gate block k (z, r, n) <- their block index and sign.
struct gate_source {
  std::size_t block;
  int sign;
};
inline constexpr std::array<gate_source, 3> pytorch_gates{{{1, -1}, {0, 1}, {2, 1}}};  // torch rows r, z, n
inline constexpr std::array<gate_source, 3> keras_gates{{{0, -1}, {1, 1}, {2, 1}}};    // keras cols z, r, h

// dst (rows x 3H) from src in column blocks (transposed = false) or row blocks (transposed = true).
template <class T>
void map_gate_blocks(xt::xtensor<T, 2>& dst, const auto& src, std::size_t hidden,
                     const std::array<gate_source, 3>& gates, bool transposed) {
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < dst.shape(0); ++i)
      for (std::size_t j = 0; j < hidden; ++j) {
        const std::size_t s = gates[k].block * hidden + j;
        dst(i, k * hidden + j) = T(gates[k].sign) * (transposed ? src(s, i) : src(i, s));
      }
}

template <class T>
void map_gate_bias(xt::xtensor<T, 1>& dst, const auto& src, std::size_t hidden,
                   const std::array<gate_source, 3>& gates) {
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t j = 0; j < hidden; ++j) dst(k * hidden + j) = T(gates[k].sign) * src(gates[k].block * hidden + j);
}
}  // namespace detail

/// Loads one layer of torch.nn.GRU (state_dict tensors `*_l<k>`) into a reset-after GRUCell.
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @param cell receives the weights (params.Wx, Wh, b, bh); its gradients are left alone.
/// @param weight_ih `weight_ih_l<k>`, (3H, In), gate rows r, z, n.
/// @param weight_hh `weight_hh_l<k>`, (3H, H).
/// @param bias_ih `bias_ih_l<k>`, (3H).
/// @param bias_hh `bias_hh_l<k>`, (3H).
/// @throws std::invalid_argument if a tensor's shape is not the one above (the message names it).
template <std::size_t In, std::size_t H, class T>
void import_pytorch_gru(GRUCell<In, H, T, reset_after>& cell, const xt::xtensor<T, 2>& weight_ih,
                        const xt::xtensor<T, 2>& weight_hh, const xt::xtensor<T, 1>& bias_ih,
                        const xt::xtensor<T, 1>& bias_hh) {
  detail::require_shape("weight_ih", weight_ih.shape(), std::array{3 * H, In}, "(3H, In)");
  detail::require_shape("weight_hh", weight_hh.shape(), std::array{3 * H, H}, "(3H, H)");
  detail::require_shape("bias_ih", bias_ih.shape(), std::array{3 * H}, "(3H)");
  detail::require_shape("bias_hh", bias_hh.shape(), std::array{3 * H}, "(3H)");
  detail::map_gate_blocks(cell.params.Wx, weight_ih, H, detail::pytorch_gates, true);
  detail::map_gate_blocks(cell.params.Wh, weight_hh, H, detail::pytorch_gates, true);
  detail::map_gate_bias(cell.params.b, bias_ih, H, detail::pytorch_gates);
  detail::map_gate_bias(cell.params.bh, bias_hh, H, detail::pytorch_gates);
}

/// Loads a Keras GRU layer's get_weights() (kernel, recurrent_kernel, bias). The cell's variant must
/// match the layer's reset_after: bias (3H) for reset_before, (2, 3H) for reset_after.
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @tparam Variant reset_before for `reset_after=False`, reset_after for `reset_after=True`.
/// @param cell receives the weights; its gradients are left alone.
/// @param kernel (In, 3H), gate columns z, r, h.
/// @param recurrent_kernel (H, 3H).
/// @param bias (3H) for reset_before; (2, 3H), input then recurrent row, for reset_after.
/// @throws std::invalid_argument if a tensor's shape is not the one above (the message names it).
template <std::size_t In, std::size_t H, class T, class Variant>
void import_keras_gru(GRUCell<In, H, T, Variant>& cell, const xt::xtensor<T, 2>& kernel,
                      const xt::xtensor<T, 2>& recurrent_kernel, const xt::xarray<T>& bias) {
  detail::require_shape("kernel", kernel.shape(), std::array{In, 3 * H}, "(In, 3H)");
  detail::require_shape("recurrent_kernel", recurrent_kernel.shape(), std::array{H, 3 * H}, "(H, 3H)");
  detail::map_gate_blocks(cell.params.Wx, kernel, H, detail::keras_gates, false);
  detail::map_gate_blocks(cell.params.Wh, recurrent_kernel, H, detail::keras_gates, false);
  if constexpr (std::is_same_v<Variant, reset_after>) {
    detail::require_shape("bias", bias.shape(), std::array{std::size_t(2), 3 * H}, "(2, 3H) for reset_after");
    detail::map_gate_bias(cell.params.b, xt::xtensor<T, 1>(xt::row(bias, 0)), H, detail::keras_gates);
    detail::map_gate_bias(cell.params.bh, xt::xtensor<T, 1>(xt::row(bias, 1)), H, detail::keras_gates);
  } else {
    detail::require_shape("bias", bias.shape(), std::array{3 * H}, "(3H) for reset_before");
    detail::map_gate_bias(cell.params.b, bias, H, detail::keras_gates);
  }
}

// LSTM: PyTorch's gate rows [i|f|g|o] and Keras' gate columns [i|f|c|o] are LSTMCell's blocks
// [i|f|g|o] in the same order and with the same equations, so no block moves and no sign changes:
//   PyTorch: Wx = weight_ih^T, Wh = weight_hh^T, b = bias_ih + bias_hh (they only ever appear summed).
//   Keras:   Wx = kernel, Wh = recurrent_kernel, b = bias.

/// Loads one layer of torch.nn.LSTM (state_dict tensors `*_l<k>`) into an LSTMCell; its two biases
/// are summed into b.
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @param cell receives the weights (params.Wx, Wh, b); its gradients are left alone.
/// @param weight_ih `weight_ih_l<k>`, (4H, In), gate rows i, f, g, o.
/// @param weight_hh `weight_hh_l<k>`, (4H, H).
/// @param bias_ih `bias_ih_l<k>`, (4H).
/// @param bias_hh `bias_hh_l<k>`, (4H).
/// @throws std::invalid_argument if a tensor's shape is not the one above (the message names it).
template <std::size_t In, std::size_t H, class T>
void import_pytorch_lstm(LSTMCell<In, H, T>& cell, const xt::xtensor<T, 2>& weight_ih,
                         const xt::xtensor<T, 2>& weight_hh, const xt::xtensor<T, 1>& bias_ih,
                         const xt::xtensor<T, 1>& bias_hh) {
  detail::require_shape("weight_ih", weight_ih.shape(), std::array{4 * H, In}, "(4H, In)");
  detail::require_shape("weight_hh", weight_hh.shape(), std::array{4 * H, H}, "(4H, H)");
  detail::require_shape("bias_ih", bias_ih.shape(), std::array{4 * H}, "(4H)");
  detail::require_shape("bias_hh", bias_hh.shape(), std::array{4 * H}, "(4H)");
  for (std::size_t row = 0; row < 4 * H; ++row) {
    for (std::size_t i = 0; i < In; ++i) cell.params.Wx(i, row) = weight_ih(row, i);
    for (std::size_t i = 0; i < H; ++i) cell.params.Wh(i, row) = weight_hh(row, i);
    cell.params.b(row) = bias_ih(row) + bias_hh(row);
  }
}

/// Loads a Keras LSTM layer's get_weights() (kernel, recurrent_kernel, bias) into an LSTMCell.
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @param cell receives the weights; its gradients are left alone.
/// @param kernel (In, 4H), gate columns i, f, c, o.
/// @param recurrent_kernel (H, 4H).
/// @param bias (4H) (a layer built with use_bias=False: pass zeros).
/// @throws std::invalid_argument if a tensor's shape is not the one above (the message names it).
template <std::size_t In, std::size_t H, class T>
void import_keras_lstm(LSTMCell<In, H, T>& cell, const xt::xtensor<T, 2>& kernel,
                       const xt::xtensor<T, 2>& recurrent_kernel, const xt::xtensor<T, 1>& bias) {
  detail::require_shape("kernel", kernel.shape(), std::array{In, 4 * H}, "(In, 4H)");
  detail::require_shape("recurrent_kernel", recurrent_kernel.shape(), std::array{H, 4 * H}, "(H, 4H)");
  detail::require_shape("bias", bias.shape(), std::array{4 * H}, "(4H)");
  cell.params.Wx = kernel;
  cell.params.Wh = recurrent_kernel;
  cell.params.b = bias;
}

}  // namespace rnncell
