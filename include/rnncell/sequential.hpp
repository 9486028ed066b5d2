#pragma once
/// @file
/// Sequential<Layers...>: layers applied one after the other to a batch of rows, e.g. the head
/// Sequential<Dense<64, 32>, Activation<activation_function::tanh, 32>, Dense<32, 256>> of a
/// SequenceModel (torch.nn.Sequential, keras.Sequential). Each layer's output width must be the
/// next one's input width (checked at compile time). Layers with parameters are parts named
/// "layer<i>" by their place in the chain, as PyTorch numbers nn.Sequential's modules ("0", "2"),
/// so the example above has "layer0.W", "layer0.b", "layer2.W", "layer2.b".
#include <rnncell/composite.hpp>
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace rnncell {

namespace detail {
/// A layer with parameters (Dense, Embedding, a cell); an Activation has none.
template <class Layer>
concept has_parameters = requires(Layer& layer) { layer.zero_grad(); };

template <class First, class... Rest>
constexpr bool chain_widths_match() {
  if constexpr (sizeof...(Rest) > 0) {
    using Second = std::tuple_element_t<0, std::tuple<Rest...>>;
    return check_width<First::output_width, Second::input_width>::value && chain_widths_match<Rest...>();
  }
  return true;
}
}  // namespace detail

/// Layers applied in order to rows: forward keeps every layer's output for backward, in buffers
/// that follow the number of rows and are reused from call to call. Gradients accumulate (+=).
/// @tparam Layers the layers, each with input_width, output_width, value_type,
///         forward_unchecked(x, y) and backward_unchecked(x, dy, dx) on matrix_ref rows; a layer
///         that packs its weights (Dense) declares packed_size and takes that room last.
template <class... Layers>
class Sequential : public composite<Sequential<Layers...>> {
  static_assert(sizeof...(Layers) >= 1, "rnncell: Sequential needs at least one layer");
  static constexpr std::size_t count = sizeof...(Layers);
  using first_layer = std::tuple_element_t<0, std::tuple<Layers...>>;
  using last_layer = std::tuple_element_t<count - 1, std::tuple<Layers...>>;
  static_assert(detail::chain_widths_match<Layers...>(),
                "rnncell: each Sequential layer's input width must be the previous one's output width");
  static_assert((std::is_same_v<typename Layers::value_type, typename first_layer::value_type> && ...),
                "rnncell: every Sequential layer must use the same scalar type");

 public:
  using value_type = typename first_layer::value_type;               ///< the element type
  static constexpr std::size_t input_width = first_layer::input_width;    ///< the first layer's input width
  static constexpr std::size_t output_width = last_layer::output_width;   ///< the last layer's output width
  /// Values of the room the layers pack their weights into, one layer at a time (the largest).
  static constexpr std::size_t packed_size = std::max({std::size_t(0), detail::packed_size_of<Layers>()...});

  /// Layer I of the chain, for its parameters.
  /// @tparam I the layer's place, 0 to sizeof...(Layers) - 1.
  /// @return that layer.
  template <std::size_t I>
  auto& layer() {
    return std::get<I>(layers_);
  }

  /// y = the chain applied to x; shapes trusted. Keeps each layer's output for backward.
  /// @param x the input rows (rows, input_width).
  /// @param y the output rows (rows, output_width), overwritten.
  /// @param packed packed_size values, 64-byte aligned, the layers' room for packed weights.
  void forward_unchecked(detail::matrix_ref<const value_type> x, detail::matrix_ref<value_type> y,
                         value_type* packed) {
    rows_ = x.rows;
    for (std::size_t i = 0; i + 1 < count; ++i) outputs_[i].resize(rows_ * widths[i]);
    forward_from<0>(x, y, packed);
  }

  /// dx = dLoss/dx from dy = dLoss/dy, accumulating every layer's gradients; shapes trusted.
  /// @param x the input rows the last forward ran on.
  /// @param dy dLoss/dy (rows, output_width).
  /// @param dx dLoss/dx (rows, input_width), overwritten.
  /// @param packed packed_size values, 64-byte aligned, the layers' room for packed weights.
  void backward_unchecked(detail::matrix_ref<const value_type> x, detail::matrix_ref<const value_type> dy,
                          detail::matrix_ref<value_type> dx, value_type* packed) {
    for (std::size_t i = 0; i + 1 < count; ++i) gradients_[i].resize(rows_ * widths[i]);
    backward_from<count - 1>(x, dy, dx, packed);  // the last layer's dy is the caller's
  }

  /// The layers with parameters, named "layer<i>" by their place in the chain (composite.hpp).
  /// @tparam F a callable f(detail::part_name, layer&) for every layer type with parameters.
  /// @param f called for each such layer, first to last.
  template <class F>
  void for_each_part(F&& f) {
    each_part(f, std::index_sequence_for<Layers...>{});
  }

 private:
  static constexpr std::array<std::size_t, count> widths{Layers::output_width...};

  detail::matrix_ref<value_type> output(std::size_t i) { return {outputs_[i].data(), rows_, widths[i]}; }
  detail::matrix_ref<value_type> gradient(std::size_t i) { return {gradients_[i].data(), rows_, widths[i]}; }

  // Layer I's forward, with the room for its packed weights if it packs any.
  template <std::size_t I>
  void layer_forward(detail::matrix_ref<const value_type> in, detail::matrix_ref<value_type> out, value_type* packed) {
    if constexpr (detail::packed_size_of<std::tuple_element_t<I, std::tuple<Layers...>>>() > 0)
      std::get<I>(layers_).forward_unchecked(in, out, packed);
    else
      std::get<I>(layers_).forward_unchecked(in, out);
  }
  template <std::size_t I>
  void layer_backward(detail::matrix_ref<const value_type> in, detail::matrix_ref<const value_type> dy,
                      detail::matrix_ref<value_type> dx, value_type* packed) {
    if constexpr (detail::packed_size_of<std::tuple_element_t<I, std::tuple<Layers...>>>() > 0)
      std::get<I>(layers_).backward_unchecked(in, dy, dx, packed);
    else
      std::get<I>(layers_).backward_unchecked(in, dy, dx);
  }

  template <std::size_t I>
  void forward_from(detail::matrix_ref<const value_type> in, detail::matrix_ref<value_type> y, value_type* packed) {
    if constexpr (I + 1 == count) {
      layer_forward<I>(in, y, packed);
    } else {
      layer_forward<I>(in, output(I), packed);
      forward_from<I + 1>(output(I), y, packed);
    }
  }

  // Layer I reads the output of layer I - 1 (x for the first) and writes its dx into the gradient
  // buffer of that output, which is layer I - 1's dy.
  template <std::size_t I>
  void backward_from(detail::matrix_ref<const value_type> x, detail::matrix_ref<const value_type> layer_dy,
                     detail::matrix_ref<value_type> dx, value_type* packed) {
    if constexpr (I == 0) {
      layer_backward<0>(x, layer_dy, dx, packed);
    } else {
      layer_backward<I>(output(I - 1), layer_dy, gradient(I - 1), packed);
      backward_from<I - 1>(x, gradient(I - 1), dx, packed);
    }
  }

  template <class F, std::size_t... I>
  void each_part(F& f, std::index_sequence<I...>) {
    const auto visit = [&](std::size_t index, auto& layer) {
      if constexpr (detail::has_parameters<std::remove_reference_t<decltype(layer)>>)
        f(detail::part_name{"layer", index}, layer);
    };
    (visit(I, std::get<I>(layers_)), ...);
  }

  std::tuple<Layers...> layers_;
  std::size_t rows_ = 0;
  std::array<std::vector<value_type>, count - 1> outputs_;    // layer i's output (rows, widths[i])
  std::array<std::vector<value_type>, count - 1> gradients_;  // dLoss/d(layer i's output)
};

}  // namespace rnncell
