#pragma once
/// @file
/// Weight import from PyTorch nn.GRU and Keras GRU into GRUCell, and from PyTorch nn.LSTM and
/// Keras LSTM into LSTMCell (below the GRU's): array by array, or by name from a PyTorch state dict
/// read with read_tensors (tensors.hpp): one layer (import_pytorch_gru / _lstm(cell, tensors,
/// "prefix", k)), a nn.Linear into a Dense (import_pytorch_linear), or a whole Stacked from its
/// modules in order (import_pytorch_stack). By name, every tensor's name and shape is checked before
/// anything is written: on error the cell, Dense or Stacked is unchanged.
/// Both frameworks write h' = z * h + (1 - z) * n; ours is h' = (1 - z) * h + z * n, so the z block of
/// every weight and bias is negated (sigmoid(-a) = 1 - sigmoid(a)), which maps one onto the other exactly.
/// @code{.unparsed}
///   PyTorch: weight_ih (3H x In), weight_hh (3H x H), bias_ih (3H), bias_hh (3H), gate rows r, z, n;
///            reset applied after the recurrent product: only GRUCell<..., reset_after> matches it.
///   Keras:   kernel (In x 3H), recurrent_kernel (H x 3H), gate columns z, r, h (ours z, r, n);
///            bias (3H) for reset_after=False (reset_before), (2, 3H) input and recurrent rows for
///            reset_after=True.
/// @endcode
#include <rnncell/bidirectional.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/tensors.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

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

// ---- By name, from a PyTorch state dict (tensors.hpp) ----------------------------------------

namespace detail {

/// "prefix.member", or "member" for an empty prefix (a bare module's state dict).
inline std::string member_name(std::string_view prefix, std::string_view member) {
  std::string name(prefix);
  if (!name.empty()) name += '.';
  return name += member;
}

/// The tensor `name`, which must have shape `expected` ("(3H, In)"-style text for the message).
inline const xt::xarray<double>& tensor_named(const tensor_map& tensors, const std::string& name,
                                              const std::vector<std::size_t>& expected, const std::string& expected_text) {
  const auto found = tensors.find(name);
  if (found == tensors.end()) throw std::invalid_argument("rnncell: no tensor '" + name + "' among the tensors given");
  const auto& shape = found->second.shape();
  if (!std::equal(shape.begin(), shape.end(), expected.begin(), expected.end()))
    throw std::invalid_argument("rnncell: tensor '" + name + "' has shape " + shape_string(shape) + ", expected " +
                                shape_string(expected) + " " + expected_text);
  return found->second;
}

/// Layer k of a PyTorch RNN module (G gate blocks of width H over inputs of width In), its four
/// tensors checked.
struct pytorch_rnn_layer {
  const xt::xarray<double>*weight_ih, *weight_hh, *bias_ih, *bias_hh;
};
inline pytorch_rnn_layer pytorch_rnn_tensors(const tensor_map& tensors, std::string_view prefix, std::size_t k,
                                             std::size_t gates, std::size_t in, std::size_t hidden,
                                             std::string_view direction = "") {
  const std::string l = "_l" + std::to_string(k) + std::string(direction), gh = "(" + std::to_string(gates) + "H";
  return {&tensor_named(tensors, member_name(prefix, "weight_ih" + l), {gates * hidden, in}, gh + ", In)"),
          &tensor_named(tensors, member_name(prefix, "weight_hh" + l), {gates * hidden, hidden}, gh + ", H)"),
          &tensor_named(tensors, member_name(prefix, "bias_ih" + l), {gates * hidden}, gh + ")"),
          &tensor_named(tensors, member_name(prefix, "bias_hh" + l), {gates * hidden}, gh + ")")};
}

/// The layers of a PyTorch RNN module in a state dict: 1 + the largest k of its `weight_ih_l<k>`
/// (so that a missing layer between two present ones is named by the checks that follow, not
/// skipped). A bidirectional module's (`weight_ih_l<k>_reverse`) loads only into Bidirectional
/// layers (bidirectional = true), a one-directional module's only into cells.
inline std::size_t pytorch_layer_count(const tensor_map& tensors, std::string_view module, bool bidirectional = false) {
  const std::string stem = member_name(module, "weight_ih_l");
  std::size_t count = 0;
  bool reverse = false;
  for (auto it = tensors.lower_bound(stem); it != tensors.end() && it->first.starts_with(stem); ++it) {
    std::string_view rest = std::string_view(it->first).substr(stem.size());
    if (rest.ends_with("_reverse")) {
      if (!bidirectional)
        throw std::invalid_argument("rnncell: tensor '" + it->first + "' is of a bidirectional module (module '" +
                                    std::string(module) + "'): load it into a Stacked of Bidirectional layers");
      reverse = true;
      rest.remove_suffix(std::string_view("_reverse").size());
    }
    if (rest.empty() || rest.size() > 9 || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    count = std::max(count, std::size_t(std::stoul(std::string(rest))) + 1);
  }
  if (bidirectional && count > 0 && !reverse)
    throw std::invalid_argument("rnncell: module '" + std::string(module) + "' has no '" + stem +
                                "<k>_reverse' tensors: it is one-directional, the layers are Bidirectional");
  return count;
}

/// Refuses to load layer k of a bidirectional module into one cell (it would take the forward
/// direction alone): a Bidirectional layer takes it.
inline void refuse_reverse(const tensor_map& tensors, std::string_view prefix, std::size_t k) {
  const std::string reverse = member_name(prefix, "weight_ih_l" + std::to_string(k) + "_reverse");
  if (tensors.count(reverse))
    throw std::invalid_argument("rnncell: tensor '" + reverse + "' is of a bidirectional module: load layer " +
                                std::to_string(k) + " into a Bidirectional layer");
}

// The cells a PyTorch module's layer loads into, and their gate counts.
template <class Cell>
inline constexpr std::size_t pytorch_gate_count = 0;
template <std::size_t In, std::size_t H, class T>
inline constexpr std::size_t pytorch_gate_count<GRUCell<In, H, T, reset_after>> = 3;
template <std::size_t In, std::size_t H, class T>
inline constexpr std::size_t pytorch_gate_count<LSTMCell<In, H, T>> = 4;

/// Writes a checked layer into the cell (the array importers, which check the shapes again).
template <class Cell>
void import_pytorch_layer(Cell& cell, const pytorch_rnn_layer& layer) {
  using T = typename Cell::value_type;
  const xt::xtensor<T, 2> weight_ih = xt::cast<T>(*layer.weight_ih), weight_hh = xt::cast<T>(*layer.weight_hh);
  const xt::xtensor<T, 1> bias_ih = xt::cast<T>(*layer.bias_ih), bias_hh = xt::cast<T>(*layer.bias_hh);
  if constexpr (pytorch_gate_count<Cell> == 3)
    import_pytorch_gru(cell, weight_ih, weight_hh, bias_ih, bias_hh);
  else
    import_pytorch_lstm(cell, weight_ih, weight_hh, bias_ih, bias_hh);
}

}  // namespace detail

/// Loads layer k of a torch.nn.GRU from a state dict by name: `prefix.weight_ih_l<k>`,
/// `prefix.weight_hh_l<k>`, `prefix.bias_ih_l<k>`, `prefix.bias_hh_l<k>` (an empty prefix: a bare
/// nn.GRU's dict). As the array overload; names and shapes are checked before anything is written.
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @param cell receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param prefix the module's name in the dict, e.g. "rnn" or "encoder.gru".
/// @param k the layer within the module.
/// @throws std::invalid_argument naming a missing or misshapen tensor (e.g. `gru2.weight_ih_l3`).
template <std::size_t In, std::size_t H, class T>
void import_pytorch_gru(GRUCell<In, H, T, reset_after>& cell, const tensor_map& tensors, std::string_view prefix,
                        std::size_t k) {
  detail::refuse_reverse(tensors, prefix, k);
  detail::import_pytorch_layer(cell, detail::pytorch_rnn_tensors(tensors, prefix, k, 3, In, H));
}

/// Loads layer k of a torch.nn.LSTM from a state dict by name (the names as for
/// import_pytorch_gru; the two biases summed into b).
/// @tparam In the input width.
/// @tparam H the hidden width.
/// @tparam T the element type.
/// @param cell receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param prefix the module's name in the dict.
/// @param k the layer within the module.
/// @throws std::invalid_argument naming a missing or misshapen tensor.
template <std::size_t In, std::size_t H, class T>
void import_pytorch_lstm(LSTMCell<In, H, T>& cell, const tensor_map& tensors, std::string_view prefix,
                         std::size_t k) {
  detail::refuse_reverse(tensors, prefix, k);
  detail::import_pytorch_layer(cell, detail::pytorch_rnn_tensors(tensors, prefix, k, 4, In, H));
}

/// Loads a torch.nn.Linear from a state dict by name into a Dense: W = `prefix.weight`^T (the
/// weight is (Out, In)), b = `prefix.bias`.
/// @tparam In the input width.
/// @tparam Out the output width.
/// @tparam T the element type.
/// @param dense receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param prefix the module's name in the dict, e.g. "fc".
/// @throws std::invalid_argument naming a missing or misshapen tensor.
template <std::size_t In, std::size_t Out, class T>
void import_pytorch_linear(Dense<In, Out, T>& dense, const tensor_map& tensors, std::string_view prefix) {
  const auto& weight = detail::tensor_named(tensors, detail::member_name(prefix, "weight"), {Out, In}, "(Out, In)");
  const auto& bias = detail::tensor_named(tensors, detail::member_name(prefix, "bias"), {Out}, "(Out)");
  dense.params.W = xt::cast<T>(xt::transpose(weight));
  dense.params.b = xt::cast<T>(bias);
}

namespace detail {

// A layer of a Stacked as PyTorch sees it: a cell (one direction) or a Bidirectional (the module's
// `_l<k>` and `_l<k>_reverse` tensors).
template <class Layer>
struct pytorch_directions {
  using cell = Layer;
  static constexpr bool bidirectional = false;
};
template <class Cell>
struct pytorch_directions<Bidirectional<Cell>> {
  using cell = Cell;
  static constexpr bool bidirectional = true;
};

/// Every layer's tensors of modules stacked bottom first, checked (names, shapes, the layer count
/// N); one entry per direction, forward first.
template <class Layer, std::size_t N>
std::vector<pytorch_rnn_layer> pytorch_stack_tensors(const tensor_map& tensors,
                                                     std::initializer_list<std::string_view> modules) {
  using cell = typename pytorch_directions<Layer>::cell;
  constexpr bool bidirectional = pytorch_directions<Layer>::bidirectional;
  static_assert(pytorch_gate_count<cell> > 0,
                "rnncell: import_pytorch_stack fills a Stacked of GRUCell<..., reset_after> (nn.GRU) or LSTMCell "
                "(nn.LSTM), or of Bidirectional ones (bidirectional=True)");
  constexpr std::size_t G = pytorch_gate_count<cell>, H = cell::hidden_width;
  std::vector<std::pair<std::string_view, std::size_t>> found;  // each module and its layer count
  std::size_t total = 0;
  for (const std::string_view module : modules) {
    const std::size_t k = pytorch_layer_count(tensors, module, bidirectional);
    if (k == 0)
      throw std::invalid_argument("rnncell: no tensor '" + member_name(module, "weight_ih_l0") +
                                  "' among the tensors given (module '" + std::string(module) + "')");
    found.emplace_back(module, k);
    total += k;
  }
  if (total != N) {
    std::string counts;
    for (const auto& [module, k] : found)
      counts += (counts.empty() ? "'" : ", '") + std::string(module) + "' " + std::to_string(k);
    throw std::invalid_argument("rnncell: the modules hold " + std::to_string(total) + " layers (" + counts +
                                "), the Stacked has " + std::to_string(N));
  }
  std::vector<pytorch_rnn_layer> layers;
  const std::size_t upper_input = bidirectional ? 2 * H : H;
  for (const auto& [module, k] : found)
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t in = layers.empty() ? cell::input_width : upper_input;
      layers.push_back(pytorch_rnn_tensors(tensors, module, i, G, in, H));
      if constexpr (bidirectional) layers.push_back(pytorch_rnn_tensors(tensors, module, i, G, in, H, "_reverse"));
    }
  return layers;
}

/// Writes checked tensors into a layer: a cell from one entry, a Bidirectional from two.
template <class Layer>
void import_pytorch_directions(Layer& layer, const pytorch_rnn_layer* entries) {
  if constexpr (pytorch_directions<Layer>::bidirectional) {
    import_pytorch_layer(layer.fwd, entries[0]);
    import_pytorch_layer(layer.bwd, entries[1]);
  } else {
    import_pytorch_layer(layer, entries[0]);
  }
}

}  // namespace detail

/// Loads layer k of a bidirectional torch.nn.GRU (`bidirectional=True`) from a state dict by name:
/// `prefix.weight_ih_l<k>` etc. into layer.fwd, `prefix.weight_ih_l<k>_reverse` etc. into
/// layer.bwd. Every name and shape is checked before anything is written.
/// @tparam In the layer's input width (the module's input size at k = 0, 2H above).
/// @tparam H the hidden width of each direction.
/// @tparam T the element type.
/// @param layer receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param prefix the module's name in the dict.
/// @param k the layer within the module.
/// @throws std::invalid_argument naming a missing or misshapen tensor.
template <std::size_t In, std::size_t H, class T>
void import_pytorch_gru(Bidirectional<GRUCell<In, H, T, reset_after>>& layer, const tensor_map& tensors,
                        std::string_view prefix, std::size_t k) {
  const std::array entries{detail::pytorch_rnn_tensors(tensors, prefix, k, 3, In, H),
                           detail::pytorch_rnn_tensors(tensors, prefix, k, 3, In, H, "_reverse")};
  detail::import_pytorch_directions(layer, entries.data());
}

/// Loads layer k of a bidirectional torch.nn.LSTM from a state dict by name (the names as for the
/// bidirectional import_pytorch_gru; each direction's two biases summed into its b).
/// @tparam In the layer's input width.
/// @tparam H the hidden width of each direction.
/// @tparam T the element type.
/// @param layer receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param prefix the module's name in the dict.
/// @param k the layer within the module.
/// @throws std::invalid_argument naming a missing or misshapen tensor.
template <std::size_t In, std::size_t H, class T>
void import_pytorch_lstm(Bidirectional<LSTMCell<In, H, T>>& layer, const tensor_map& tensors, std::string_view prefix,
                         std::size_t k) {
  const std::array entries{detail::pytorch_rnn_tensors(tensors, prefix, k, 4, In, H),
                           detail::pytorch_rnn_tensors(tensors, prefix, k, 4, In, H, "_reverse")};
  detail::import_pytorch_directions(layer, entries.data());
}

/// Fills a whole Stacked from PyTorch modules in order, each giving as many layers as its state
/// dict holds (`weight_ih_l0`, `_l1`, ...): {"rnn", "rnn2"} with rnn a 1-layer and rnn2 a 3-layer
/// nn.GRU fill a Stacked<GRUCell<..., reset_after>, 4> (layers 0, then 1-3). A Stacked of
/// Bidirectional layers takes bidirectional modules (`bidirectional=True`: each layer's `_reverse`
/// tensors into its bwd). Every layer's tensors are checked before any is written.
/// @tparam Layer GRUCell<In, H, T, reset_after> (nn.GRU), LSTMCell<In, H, T> (nn.LSTM), or a
///         Bidirectional of one.
/// @tparam N the stack's layer count.
/// @param stack receives the weights; unchanged if anything throws.
/// @param tensors the state dict (read_tensors).
/// @param modules the modules' names in the dict, bottom first.
/// @throws std::invalid_argument if the modules' layers do not add up to N (naming each module's
///         count), naming a missing or misshapen tensor, or if a module's directions are not the layers'.
template <class Layer, std::size_t N>
void import_pytorch_stack(Stacked<Layer, N>& stack, const tensor_map& tensors,
                          std::initializer_list<std::string_view> modules) {
  const std::vector<detail::pytorch_rnn_layer> entries = detail::pytorch_stack_tensors<Layer, N>(tensors, modules);
  constexpr std::size_t per_layer = detail::pytorch_directions<Layer>::bidirectional ? 2 : 1;
  // Every layer's tensors passed their checks: write them.
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (detail::import_pytorch_directions(stack.template layer<I>(), entries.data() + I * per_layer), ...);
  }(std::make_index_sequence<N>());
}

}  // namespace rnncell
