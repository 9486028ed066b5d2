#pragma once
/// @file
/// ONNX export and import of classifiers: `save_onnx(model, path)` writes a
/// `Model<Stacked<Cell, N>, Dense<H, C>>` (or `Model<Cell, Dense<H, C>>`) with Cell = GRUCell (both
/// variants), MGUCell or LSTMCell as an ONNX file that ONNX Runtime, TensorRT or OpenVINO run;
/// `load_onnx(model, path)` reads such a file back, and the graphs `torch.onnx.export` (opset 14)
/// writes for `nn.GRU` / `nn.LSTM` followed by `nn.Linear` on the last step.
///
/// Part of the CMake component `onnx` (target `rnncell::onnx`: `find_package(rnncell CONFIG
/// REQUIRED COMPONENTS onnx)`), which links ONNX's protobuf classes and checker (Debian's
/// libonnx-dev); the rest of rnncell needs neither.
///
/// The graph save_onnx writes (opset 14; T and B dynamic; `sequence_lens` only when asked for):
/// @code{.unparsed}
///   inputs  x (T, B, In), float or double as the model;  [sequence_lens (B) int32, each in [1, T]]
///   GRU / LSTM layer k:  node "layer<k>", op GRU or LSTM (initializers layer<k>.W, .R, .B), its Y
///                        squeezed to (T, B, H) for the next layer, its Y_h for the head
///   MGU layer k:         layer<k>.xp = x W + b for all steps at once (MatMul, Add), then node
///                        "layer<k>", op Scan over the steps, whose body is one step of mgu.hpp:
///                          [x_f | x_n] = Split(xp_t);  f = Sigmoid(x_f + h Whf)
///                          n = Tanh(x_n + (f * h) Whn);  h' = h + f * (n - h)    [* m_t: the step mask]
///                        from a zero state of (B, H); with lengths, a mask m (T, B, 1) = (t < length)
///                        holds each sequence's state after its last step, as ONNX's GRU does
///   head:                node "head", Gemm(last state, head.W (H, C), head.b (C))
///   output  logits (B, C)
/// @endcode
/// The operators' conventions against ours (gru.hpp, lstm.hpp): ONNX's GRU has gate blocks
/// [z | r | h] and keeps the state where z = 1, our z negated (as PyTorch's): its z rows and biases
/// are ours negated. `linear_before_reset = 0` is our reset_before (the recurrent bias Rb adds to the
/// input bias Wb: both reach the pre-activation outside r), `= 1` our reset_after (b = Wb, bh = Rb).
/// ONNX's LSTM has gate blocks [i | o | f | c] against our [i | f | g | o], and b = Wb + Rb.
#include <rnncell/dense.hpp>
#include <rnncell/detail/atomic_write.hpp>
#include <rnncell/detail/read_file.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/version.hpp>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace rnncell {

/// What save_onnx writes besides the model.
struct onnx_options {
  /// Adds the graph input `sequence_lens` (B) int32, for a model used with lengths (predict(x,
  /// lengths)): each sequence's logits come from its state at its own last step.
  bool sequence_lens = false;
};

namespace detail {

static_assert(std::endian::native == std::endian::little, "rnncell: ONNX raw tensor data is little-endian");

/// The ONNX opset save_onnx writes, and the range load_onnx reads (no operator it reads changed
/// meaning between them).
inline constexpr std::int64_t onnx_opset = 14;
inline constexpr std::int64_t onnx_newest_opset = 21;

// ---- Layers in a form shared by both directions --------------------------------------------

/// The recurrent cells an ONNX graph can hold.
enum class onnx_cell_kind { gru_reset_before, gru_reset_after, mgu, lstm };

/// The cell type's name for messages.
inline std::string onnx_kind_text(onnx_cell_kind kind) {
  switch (kind) {
    case onnx_cell_kind::gru_reset_before: return "a reset-before GRU (ONNX GRU, linear_before_reset = 0)";
    case onnx_cell_kind::gru_reset_after: return "a reset-after GRU (ONNX GRU, linear_before_reset = 1)";
    case onnx_cell_kind::mgu: return "an MGU (rnncell's Scan)";
    case onnx_cell_kind::lstm: return "an LSTM (ONNX LSTM)";
  }
  return "?";
}

/// Which kind a cell type is; others do not compile (the static_assert in save_onnx / load_onnx).
template <class Cell>
inline constexpr bool onnx_cell_supported = false;
template <class Cell>
inline constexpr onnx_cell_kind onnx_kind_of = onnx_cell_kind::mgu;
template <std::size_t In, std::size_t H, class T, class Variant>
inline constexpr bool onnx_cell_supported<GRUCell<In, H, T, Variant>> = true;
template <std::size_t In, std::size_t H, class T, class Variant>
inline constexpr onnx_cell_kind onnx_kind_of<GRUCell<In, H, T, Variant>> =
    std::is_same_v<Variant, reset_after> ? onnx_cell_kind::gru_reset_after : onnx_cell_kind::gru_reset_before;
template <std::size_t In, std::size_t H, class T>
inline constexpr bool onnx_cell_supported<MGUCell<In, H, T>> = true;
template <std::size_t In, std::size_t H, class T>
inline constexpr bool onnx_cell_supported<LSTMCell<In, H, T>> = true;
template <std::size_t In, std::size_t H, class T>
inline constexpr onnx_cell_kind onnx_kind_of<LSTMCell<In, H, T>> = onnx_cell_kind::lstm;

/// One recurrent layer in rnncell's layout (cell.hpp's Wx, Wh, b, bh), in double: what a cell
/// becomes before it is written out, and what a file's layer becomes before any cell is written.
struct onnx_layer {
  onnx_cell_kind kind = onnx_cell_kind::mgu;
  std::string node;  ///< the file's node, for messages
  std::size_t input = 0, hidden = 0;
  std::vector<double> Wx, Wh, b, bh;  ///< (input x G*H), (H x G*H), (G*H), (G*H) or empty

  std::size_t gates() const {
    return kind == onnx_cell_kind::lstm ? 4 : kind == onnx_cell_kind::mgu ? 2 : 3;
  }
};

/// The head in rnncell's layout: W (input x classes), b (classes).
struct onnx_head {
  std::size_t input = 0, classes = 0;
  std::vector<double> W, b;
};

template <class Tensor>
std::vector<double> onnx_doubles_of(const Tensor& t) {
  return std::vector<double>(t.data(), t.data() + t.size());
}
template <class Tensor>
void onnx_copy_into(const std::vector<double>& from, Tensor& to) noexcept {
  using T = typename Tensor::value_type;
  std::transform(from.begin(), from.end(), to.data(), [](double v) { return T(v); });
}

template <class Cell>
onnx_layer onnx_layer_of(const Cell& cell) {
  onnx_layer l{onnx_kind_of<Cell>, "", Cell::input_width, Cell::hidden_width, onnx_doubles_of(cell.params.Wx),
               onnx_doubles_of(cell.params.Wh), onnx_doubles_of(cell.params.b), {}};
  if constexpr (onnx_kind_of<Cell> == onnx_cell_kind::gru_reset_after) l.bh = onnx_doubles_of(cell.params.bh);
  return l;
}

/// Writes a layer checked against the cell (kind and widths) into it; cannot fail.
template <class Cell>
void onnx_write_layer(const onnx_layer& l, Cell& cell) noexcept {
  onnx_copy_into(l.Wx, cell.params.Wx);
  onnx_copy_into(l.Wh, cell.params.Wh);
  onnx_copy_into(l.b, cell.params.b);
  if constexpr (onnx_kind_of<Cell> == onnx_cell_kind::gru_reset_after) onnx_copy_into(l.bh, cell.params.bh);
}

/// Calls f(layer) for each layer of a stack (a Stacked, or a cell alone), bottom first.
/// A stack's bottom cell type: the cell of a Stacked, or the cell itself.
template <class Stack>
struct onnx_bottom_cell {
  using type = Stack;
  static constexpr bool stacked = false;
};
template <class Cell, std::size_t N>
struct onnx_bottom_cell<Stacked<Cell, N>> {
  using type = Cell;
  static constexpr bool stacked = true;
};

template <class Stack, class F>
void onnx_each_layer(Stack& stack, F&& f) {
  using S = std::remove_cvref_t<Stack>;
  if constexpr (onnx_bottom_cell<S>::stacked)
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(stack.template layer<I>()), ...);
    }(std::make_index_sequence<S::layer_count>());
  else
    f(stack);
}

// The ONNX operators' gate blocks against ours: ONNX block k is our block `ours`, times `sign`.
struct onnx_gate {
  std::size_t ours;
  double sign;
};
inline constexpr std::array<onnx_gate, 3> onnx_gru_gates{{{0, -1}, {1, 1}, {2, 1}}};          // [z | r | h]
inline constexpr std::array<onnx_gate, 4> onnx_lstm_gates{{{0, 1}, {3, 1}, {1, 1}, {2, 1}}};  // [i | o | f | c]

/// The operator's (G*H x rows) matrix from ours (rows x G*H), or back (to_onnx = false).
template <std::size_t G>
std::vector<double> onnx_regate(const std::vector<double>& from, std::size_t rows, std::size_t hidden,
                                const std::array<onnx_gate, G>& gates, bool to_onnx) {
  std::vector<double> to(from.size());
  for (std::size_t k = 0; k < G; ++k)
    for (std::size_t j = 0; j < hidden; ++j)
      for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t theirs = (k * hidden + j) * rows + i, ours = i * G * hidden + gates[k].ours * hidden + j;
        if (to_onnx)
          to[theirs] = gates[k].sign * from[ours];
        else
          to[ours] = gates[k].sign * from[theirs];
      }
  return to;
}

/// A bias vector (G*H) between the operator's gate order and ours.
template <std::size_t G>
std::vector<double> onnx_regate_bias(const double* from, std::size_t hidden, const std::array<onnx_gate, G>& gates,
                                     bool to_onnx) {
  std::vector<double> to(G * hidden);
  for (std::size_t k = 0; k < G; ++k)
    for (std::size_t j = 0; j < hidden; ++j) {
      if (to_onnx)
        to[k * hidden + j] = gates[k].sign * from[gates[k].ours * hidden + j];
      else
        to[gates[k].ours * hidden + j] = gates[k].sign * from[k * hidden + j];
    }
  return to;
}

// ---- Writing ---------------------------------------------------------------------------------

/// Builds graphs node by node; initializers are written in the graph's element type.
class onnx_graph_writer {
 public:
  onnx_graph_writer(onnx::GraphProto& graph, int elem_type) : g_(graph), elem_type_(elem_type) {}

  /// An initializer of the element type (raw little-endian data).
  void tensor(const std::string& name, std::vector<std::int64_t> dims, const std::vector<double>& values) {
    onnx::TensorProto& t = *g_.add_initializer();
    t.set_name(name);
    t.set_data_type(elem_type_);
    for (const std::int64_t d : dims) t.add_dims(d);
    std::string bytes;
    if (elem_type_ == onnx::TensorProto_DataType_FLOAT) {
      std::vector<float> f(values.begin(), values.end());
      bytes.assign(reinterpret_cast<const char*>(f.data()), f.size() * sizeof(float));
    } else {
      bytes.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
    }
    t.set_raw_data(std::move(bytes));
  }

  /// An int64 initializer; dims empty for a scalar.
  void ints(const std::string& name, std::vector<std::int64_t> dims, const std::vector<std::int64_t>& values) {
    onnx::TensorProto& t = *g_.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto_DataType_INT64);
    for (const std::int64_t d : dims) t.add_dims(d);
    t.set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(std::int64_t)));
  }

  onnx::NodeProto& node(const std::string& op, const std::string& name, std::initializer_list<std::string> inputs,
                        std::initializer_list<std::string> outputs) {
    onnx::NodeProto& n = *g_.add_node();
    n.set_op_type(op);
    n.set_name(name);
    for (const std::string& i : inputs) n.add_input(i);
    for (const std::string& o : outputs) n.add_output(o);
    return n;
  }

  static void attribute(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto_AttributeType_INT);
    a.set_i(value);
  }

  /// A graph input or output of the element type (or `elem_type`), dims numbers or names.
  void value(bool input, const std::string& name, std::initializer_list<std::variant<std::int64_t, std::string>> dims,
             int elem_type = 0) {
    onnx::ValueInfoProto& v = input ? *g_.add_input() : *g_.add_output();
    v.set_name(name);
    onnx::TypeProto_Tensor& t = *v.mutable_type()->mutable_tensor_type();
    t.set_elem_type(elem_type ? elem_type : elem_type_);
    for (const auto& d : dims) {
      onnx::TensorShapeProto_Dimension& dim = *t.mutable_shape()->add_dim();
      if (std::holds_alternative<std::int64_t>(d))
        dim.set_dim_value(std::get<std::int64_t>(d));
      else
        dim.set_dim_param(std::get<std::string>(d));
    }
  }

  int elem_type() const { return elem_type_; }

 private:
  onnx::GraphProto& g_;
  int elem_type_;
};

/// The Scan body of one MGU step (the equations at the top of this file).
inline onnx::GraphProto onnx_mgu_body(const onnx_layer& l, const std::string& p, bool masked, bool emits_output,
                                      int elem_type) {
  onnx::GraphProto body;
  body.set_name(p + ".step");
  onnx_graph_writer w(body, elem_type);
  const auto H = std::int64_t(l.hidden);
  w.value(true, p + ".h", {std::string("B"), H});
  w.value(true, p + ".xp_t", {std::string("B"), 2 * H});
  if (masked) w.value(true, p + ".m_t", {std::string("B"), std::int64_t(1)});
  // Wh (H x 2H) = [Whf | Whn]: each half its own initializer, for its own product.
  std::vector<double> whf(l.hidden * l.hidden), whn(l.hidden * l.hidden);
  for (std::size_t i = 0; i < l.hidden; ++i)
    for (std::size_t j = 0; j < l.hidden; ++j) {
      whf[i * l.hidden + j] = l.Wh[i * 2 * l.hidden + j];
      whn[i * l.hidden + j] = l.Wh[i * 2 * l.hidden + l.hidden + j];
    }
  w.tensor(p + ".Whf", {H, H}, whf);
  w.tensor(p + ".Whn", {H, H}, whn);
  onnx_graph_writer::attribute(w.node("Split", p + ".split", {p + ".xp_t"}, {p + ".x_f", p + ".x_n"}), "axis", 1);
  w.node("MatMul", p + ".h_Whf", {p + ".h", p + ".Whf"}, {p + ".hWhf"});
  w.node("Add", p + ".a_f", {p + ".x_f", p + ".hWhf"}, {p + ".a_f"});
  w.node("Sigmoid", p + ".f", {p + ".a_f"}, {p + ".f"});
  w.node("Mul", p + ".fh", {p + ".f", p + ".h"}, {p + ".fh"});
  w.node("MatMul", p + ".fh_Whn", {p + ".fh", p + ".Whn"}, {p + ".fhWhn"});
  w.node("Add", p + ".a_n", {p + ".x_n", p + ".fhWhn"}, {p + ".a_n"});
  w.node("Tanh", p + ".n", {p + ".a_n"}, {p + ".n"});
  w.node("Sub", p + ".n_minus_h", {p + ".n", p + ".h"}, {p + ".n_minus_h"});
  w.node("Mul", p + ".update", {p + ".f", p + ".n_minus_h"}, {p + ".update"});
  if (masked) w.node("Mul", p + ".masked_update", {p + ".m_t", p + ".update"}, {p + ".masked_update"});
  w.node("Add", p + ".h_next", {p + ".h", masked ? p + ".masked_update" : p + ".update"}, {p + ".h_next"});
  w.value(false, p + ".h_next", {std::string("B"), H});
  if (emits_output) {
    w.node("Identity", p + ".y_t", {p + ".h_next"}, {p + ".y_t"});
    w.value(false, p + ".y_t", {std::string("B"), H});
  }
  return body;
}

/// The whole model (layers bottom first, the head) as ONNX, the graph at the top of this file.
inline onnx::ModelProto onnx_model_of(const std::vector<onnx_layer>& layers, const onnx_head& head, bool lengths,
                                      int elem_type) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("rnncell");
  m.set_producer_version(RNNCELL_VERSION_STRING);
  onnx::OperatorSetIdProto& opset = *m.add_opset_import();
  opset.set_domain("");
  opset.set_version(onnx_opset);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name("rnncell");
  onnx_graph_writer w(g, elem_type);
  w.value(true, "x", {std::string("T"), std::string("B"), std::int64_t(layers.front().input)});
  if (lengths) w.value(true, "sequence_lens", {std::string("B")}, onnx::TensorProto_DataType_INT32);

  const bool has_mgu = std::any_of(layers.begin(), layers.end(), [](const onnx_layer& l) { return l.kind == onnx_cell_kind::mgu; });
  const bool has_op = std::any_of(layers.begin(), layers.end(), [](const onnx_layer& l) { return l.kind != onnx_cell_kind::mgu; });
  if (has_op) {
    w.ints("axes_0", {1}, {0});
    w.ints("axes_1", {1}, {1});
  }
  if (has_mgu) {
    // The zero state's shape (B, H) from x's, and with lengths the step mask (t < length).
    w.ints("one", {1}, {1});
    w.ints("two", {1}, {2});
    w.node("Shape", "x_shape", {"x"}, {"x_shape"});
    w.node("Slice", "batch", {"x_shape", "one", "two"}, {"batch"});
    if (lengths) {
      w.ints("index_0", {}, {0});
      w.ints("zero_scalar", {}, {0});
      w.ints("one_scalar", {}, {1});
      w.ints("axes_1_mask", {1}, {1});
      w.ints("axes_2", {1}, {2});
      onnx_graph_writer::attribute(w.node("Gather", "steps", {"x_shape", "index_0"}, {"steps"}), "axis", 0);
      w.node("Range", "step_index", {"zero_scalar", "steps", "one_scalar"}, {"step_index"});
      w.node("Unsqueeze", "step_column", {"step_index", "axes_1_mask"}, {"step_column"});
      onnx_graph_writer::attribute(w.node("Cast", "lengths", {"sequence_lens"}, {"lengths"}), "to",
                                   onnx::TensorProto_DataType_INT64);
      w.node("Less", "step_valid", {"step_column", "lengths"}, {"step_valid"});
      w.node("Unsqueeze", "step_valid_3d", {"step_valid", "axes_2"}, {"step_valid_3d"});
      onnx_graph_writer::attribute(w.node("Cast", "step_mask", {"step_valid_3d"}, {"step_mask"}), "to", elem_type);
    }
  }

  std::string input = "x", last_state;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const onnx_layer& l = layers[k];
    const std::string p = "layer" + std::to_string(k);
    const bool top = k + 1 == layers.size();
    const auto H = std::int64_t(l.hidden), In = std::int64_t(l.input);
    if (l.kind == onnx_cell_kind::mgu) {
      w.tensor(p + ".Wx", {In, 2 * H}, l.Wx);
      w.tensor(p + ".b", {2 * H}, l.b);
      w.ints(p + ".width", {1}, {H});
      w.node("MatMul", p + ".input_product", {input, p + ".Wx"}, {p + ".xWx"});
      w.node("Add", p + ".input_projection", {p + ".xWx", p + ".b"}, {p + ".xp"});
      onnx_graph_writer::attribute(w.node("Concat", p + ".state_shape", {"batch", p + ".width"}, {p + ".state_shape"}),
                                   "axis", 0);
      onnx::NodeProto& zeros = w.node("ConstantOfShape", p + ".h0", {p + ".state_shape"}, {p + ".h0"});
      onnx::AttributeProto& value = *zeros.add_attribute();
      value.set_name("value");
      value.set_type(onnx::AttributeProto_AttributeType_TENSOR);
      value.mutable_t()->set_data_type(elem_type);
      value.mutable_t()->add_dims(1);
      value.mutable_t()->set_raw_data(std::string(elem_type == onnx::TensorProto_DataType_FLOAT ? 4 : 8, '\0'));
      onnx::NodeProto& scan = lengths ? w.node("Scan", p, {p + ".h0", p + ".xp", "step_mask"}, {p + ".h_T"})
                                      : w.node("Scan", p, {p + ".h0", p + ".xp"}, {p + ".h_T"});
      if (!top) scan.add_output(p + ".output");
      onnx_graph_writer::attribute(scan, "num_scan_inputs", lengths ? 2 : 1);
      onnx::AttributeProto& body = *scan.add_attribute();
      body.set_name("body");
      body.set_type(onnx::AttributeProto_AttributeType_GRAPH);
      *body.mutable_g() = onnx_mgu_body(l, p, lengths, !top, elem_type);
      input = p + ".output";
      last_state = p + ".h_T";
    } else {
      const bool lstm = l.kind == onnx_cell_kind::lstm;
      const std::size_t G = l.gates();
      std::vector<double> W, R, B(2 * G * l.hidden, 0.0), bias;
      if (lstm) {
        W = onnx_regate(l.Wx, l.input, l.hidden, onnx_lstm_gates, true);
        R = onnx_regate(l.Wh, l.hidden, l.hidden, onnx_lstm_gates, true);
        bias = onnx_regate_bias(l.b.data(), l.hidden, onnx_lstm_gates, true);
      } else {
        W = onnx_regate(l.Wx, l.input, l.hidden, onnx_gru_gates, true);
        R = onnx_regate(l.Wh, l.hidden, l.hidden, onnx_gru_gates, true);
        bias = onnx_regate_bias(l.b.data(), l.hidden, onnx_gru_gates, true);
        if (l.kind == onnx_cell_kind::gru_reset_after) {
          const std::vector<double> rb = onnx_regate_bias(l.bh.data(), l.hidden, onnx_gru_gates, true);
          std::copy(rb.begin(), rb.end(), B.begin() + std::ptrdiff_t(G * l.hidden));
        }
      }
      std::copy(bias.begin(), bias.end(), B.begin());
      w.tensor(p + ".W", {1, std::int64_t(G) * H, In}, W);
      w.tensor(p + ".R", {1, std::int64_t(G) * H, H}, R);
      w.tensor(p + ".B", {1, 2 * std::int64_t(G) * H}, B);
      onnx::NodeProto& n = lengths ? w.node(lstm ? "LSTM" : "GRU", p, {input, p + ".W", p + ".R", p + ".B", "sequence_lens"}, {})
                                   : w.node(lstm ? "LSTM" : "GRU", p, {input, p + ".W", p + ".R", p + ".B"}, {});
      n.add_output(top ? "" : p + ".Y");
      if (top) n.add_output(p + ".Y_h");
      onnx_graph_writer::attribute(n, "hidden_size", H);
      if (!lstm) onnx_graph_writer::attribute(n, "linear_before_reset", l.kind == onnx_cell_kind::gru_reset_after ? 1 : 0);
      if (top) {
        w.node("Squeeze", "last_state", {p + ".Y_h", "axes_0"}, {"last_state"});
        last_state = "last_state";
      } else {
        w.node("Squeeze", p + ".output", {p + ".Y", "axes_1"}, {p + ".output"});
        input = p + ".output";
      }
    }
  }
  w.tensor("head.W", {std::int64_t(head.input), std::int64_t(head.classes)}, head.W);
  w.tensor("head.b", {std::int64_t(head.classes)}, head.b);
  w.node("Gemm", "head", {last_state, "head.W", "head.b"}, {"logits"});
  w.value(false, "logits", {std::string("B"), std::int64_t(head.classes)});
  return m;
}

template <class T>
inline constexpr int onnx_elem_type = std::is_same_v<T, float> ? onnx::TensorProto_DataType_FLOAT
                                                               : onnx::TensorProto_DataType_DOUBLE;

template <class Stack, class Head>
void onnx_check_model_type() {
  static_assert(onnx_cell_supported<typename onnx_bottom_cell<Stack>::type>,
                "rnncell: ONNX export and import take a Model of GRUCell, MGUCell or LSTMCell (or a Stacked of them)");
  static_assert(std::is_same_v<Head, Dense<Head::input_width, Head::output_width, typename Head::value_type>>,
                "rnncell: ONNX export and import take a Model whose head is a Dense");
}

// ---- Reading ---------------------------------------------------------------------------------

/// What a file holds, in rnncell's layout, before anything is written into a model.
struct onnx_file {
  std::vector<onnx_layer> layers;  ///< bottom first
  onnx_head head;
  std::string head_node;
};

/// Recognises the graphs load_onnx reads: walks from the output back through the head, the
/// recurrent layers and the plumbing that feeds them zero states; every node must be accounted for.
class onnx_graph_reader {
 public:
  /// Every value must have one source: an initializer, a node's output or a graph input, each
  /// name once (ONNX Runtime would let a later one shadow an earlier one, the loader read the first).
  onnx_graph_reader(const onnx::GraphProto& g, std::string where, std::int64_t ir_version, std::int64_t opset)
      : g_(g), where_(std::move(where)), ir_version_(ir_version), opset_(opset) {
    if (g.sparse_initializer_size() > 0) fail("the graph has sparse initializers, which rnncell does not read");
    for (const auto& t : g.initializer())
      if (!initializers_.emplace(t.name(), &t).second) fail("initializer '" + t.name() + "' is given twice");
    for (int i = 0; i < g.node_size(); ++i) {
      const onnx::NodeProto& n = g.node(i);
      if (!n.domain().empty() && n.domain() != "ai.onnx")
        fail(describe(i) + " is in operator domain '" + n.domain() + "', which rnncell does not read");
      for (int o = 0; o < n.output_size(); ++o) {
        if (n.output(o).empty()) continue;
        if (initializers_.count(n.output(o)))
          fail(describe(i) + " writes '" + n.output(o) + "', which is also an initializer");
        if (!producers_.emplace(n.output(o), std::pair{i, o}).second)
          fail("value '" + n.output(o) + "' is produced twice (the graph is not in single-assignment form)");
      }
    }
    accounted_.assign(std::size_t(g.node_size()), false);
  }

  onnx_file read() {
    read_inputs();
    if (g_.output_size() != 1)
      fail("the graph has " + std::to_string(g_.output_size()) + " outputs, expected one: the logits (B, C)");
    onnx_file file;
    // The layers, top down, each through the value its input comes from.
    int node = last_step_source(read_head(g_.output(0).name(), file));
    std::vector<bool> visited(accounted_.size(), false);
    while (true) {
      if (visited[std::size_t(node)]) fail(describe(node) + " is reached twice: the graph has a cycle");
      visited[std::size_t(node)] = true;
      std::string input;
      file.layers.push_back(read_layer(node, input));
      if (input == x_) break;
      node = layer_output_source(input);
    }
    std::reverse(file.layers.begin(), file.layers.end());
    const bool scan = std::any_of(file.layers.begin(), file.layers.end(), [](const onnx_layer& l) { return l.kind == onnx_cell_kind::mgu; });
    if (scan) {
      // MGU layers are rnncell's own Scan graphs: the whole graph must be the one save_onnx writes
      // for these layers (the Scan bodies included), weights aside.
      require_graph_of(file);
    } else {
      for (std::size_t i = 0; i < accounted_.size(); ++i)
        if (!accounted_[i])
          fail(describe(int(i)) + " is not part of a recurrent stack and head that rnncell loads (GRU or LSTM "
               "layers, Squeeze / Gather of the last step, a Gemm, and zero initial states)");
    }
    return file;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw std::runtime_error(where_ + ": " + what); }

  std::string describe(int i) const {
    const onnx::NodeProto& n = g_.node(i);
    if (!n.name().empty()) return "node '" + n.name() + "' (" + n.op_type() + ")";
    return "node #" + std::to_string(i) + " (" + n.op_type() + ")";
  }

  // The graph's inputs: x (T, B, In) float or double, and optionally sequence_lens (B) int32.
  void read_inputs() {
    for (const auto& v : g_.input()) {
      if (producers_.count(v.name())) fail("graph input '" + v.name() + "' is also a node's output");
      if (initializers_.count(v.name())) {
        // IR < 4 lists every initializer as an input; from IR 4 on, one that is also an input is a
        // default the caller may replace at run time, not a weight.
        if (ir_version_ >= 4)
          fail("graph input '" + v.name() + "' is also an initializer: a caller could replace it at run time");
        continue;
      }
      const bool tensor = v.type().has_tensor_type();
      const int type = tensor ? v.type().tensor_type().elem_type() : 0;
      const int rank = tensor && v.type().tensor_type().has_shape() ? v.type().tensor_type().shape().dim_size() : -1;
      if ((type == onnx::TensorProto_DataType_FLOAT || type == onnx::TensorProto_DataType_DOUBLE) && rank == 3 &&
          x_.empty()) {
        x_ = v.name();
        x_info_ = &v;
      } else if (type == onnx::TensorProto_DataType_INT32 && rank == 1 && lengths_.empty()) {
        lengths_ = v.name();
      } else {
        fail("graph input '" + v.name() + "' is neither the sequences x (T, B, In) of float or double nor "
             "sequence_lens (B) of int32: rnncell's models start from zero states and take nothing else");
      }
    }
    if (x_.empty()) fail("the graph has no input x (T, B, In) of float or double");
  }

  std::pair<int, int> producer(const std::string& value) const {
    const auto it = producers_.find(value);
    return it == producers_.end() ? std::pair{-1, -1} : it->second;
  }

  bool is_op(int node, std::string_view op) const { return node >= 0 && g_.node(node).op_type() == op; }

  // ---- attributes
  const onnx::AttributeProto* attribute(int node, std::string_view name) const {
    for (const auto& a : g_.node(node).attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  /// Refuses attributes outside `names`, and any given twice (ONNX Runtime reads the last of
  /// them: the file would mean one thing to it and another to the loader).
  void allow_attributes(int node, std::initializer_list<std::string_view> names) const {
    const auto& attributes = g_.node(node).attribute();
    for (int i = 0; i < attributes.size(); ++i) {
      const auto& a = attributes.Get(i);
      if (std::find(names.begin(), names.end(), a.name()) == names.end())
        fail(describe(node) + " has attribute '" + a.name() + "', which rnncell's " + g_.node(node).op_type() +
             " does not support");
      for (int j = 0; j < i; ++j)
        if (attributes.Get(j).name() == a.name()) fail(describe(node) + " has attribute '" + a.name() + "' twice");
    }
  }
  std::int64_t int_attribute(int node, std::string_view name, std::int64_t fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_INT)
      fail(describe(node) + ": attribute '" + std::string(name) + "' is not an integer");
    return a->i();
  }
  float float_attribute(int node, std::string_view name, float fallback) const {
    const onnx::AttributeProto* a = attribute(node, name);
    if (!a) return fallback;
    if (a->type() != onnx::AttributeProto_AttributeType_FLOAT)
      fail(describe(node) + ": attribute '" + std::string(name) + "' is not a float");
    return a->f();
  }
  void require_int(int node, std::string_view name, std::int64_t fallback, std::int64_t expected, const std::string& why) const {
    const std::int64_t v = int_attribute(node, name, fallback);
    if (v != expected)
      fail(describe(node) + ": attribute " + std::string(name) + " = " + std::to_string(v) + ", expected " +
           std::to_string(expected) + " (" + why + ")");
  }

  // The RNN operators' common attributes: a forward direction, the default activations, no clip.
  void check_rnn_attributes(int node, std::initializer_list<std::string_view> activations) const {
    if (const onnx::AttributeProto* a = attribute(node, "direction")) {
      if (a->type() != onnx::AttributeProto_AttributeType_STRING || a->s() != "forward")
        fail(describe(node) + ": attribute direction = '" + a->s() + "', expected 'forward' (rnncell has no "
             "reverse or bidirectional layer to load it into)");
    }
    if (const onnx::AttributeProto* a = attribute(node, "activations")) {
      const bool same = a->type() == onnx::AttributeProto_AttributeType_STRINGS &&
                        std::equal(a->strings().begin(), a->strings().end(), activations.begin(), activations.end());
      if (!same) {
        std::string given;
        for (const auto& s : a->strings()) given += (given.empty() ? "" : ", ") + s;
        std::string expected;
        for (const auto s : activations) expected += (expected.empty() ? "" : ", ") + std::string(s);
        fail(describe(node) + ": activations [" + given + "], expected [" + expected + "] (the cell's own)");
      }
    }
    require_int(node, "layout", 0, 0, "time-major x (T, B, In)");
    if (attribute(node, "clip")) fail(describe(node) + " has attribute 'clip': rnncell's cells do not clip their gates");
  }

  // ---- constants
  const onnx::TensorProto& constant(const std::string& value, int user) {
    if (const auto it = initializers_.find(value); it != initializers_.end()) return *it->second;
    const auto [node, output] = producer(value);
    if (is_op(node, "Constant")) {
      allow_attributes(node, {"value"});
      const onnx::AttributeProto* a = attribute(node, "value");
      if (!a || a->type() != onnx::AttributeProto_AttributeType_TENSOR)
        fail(describe(node) + " has no tensor 'value'");
      accounted_[std::size_t(node)] = true;
      return a->t();
    }
    fail("input '" + value + "' of " + describe(user) + " is not a constant (an initializer or a Constant node)");
  }

  std::size_t element_count(const onnx::TensorProto& t, const std::string& what) const {
    std::size_t count = 1;
    for (const std::int64_t d : t.dims()) {
      if (d < 0 || d > (std::int64_t(1) << 30) || (d != 0 && count > (std::size_t(1) << 30) / std::size_t(d)))
        fail(what + " has dims out of range");
      count *= std::size_t(d);
    }
    if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL || t.external_data_size() > 0)
      fail(what + " keeps its data in an external file, which rnncell does not read");
    if (t.has_segment()) fail(what + " is a segment of a tensor, which rnncell does not read");
    return count;
  }

  template <class Raw, class Field>
  std::vector<Raw> raw_or_field(const onnx::TensorProto& t, const Field& field, const std::string& what) const {
    const std::size_t count = element_count(t, what);
    // The sizes are compared before anything is allocated: dims alone may claim gigabytes.
    if (!t.raw_data().empty() || field.empty()) {
      if (t.raw_data().size() != count * sizeof(Raw))
        fail(what + " holds " + std::to_string(t.raw_data().size()) + " bytes of data, its dims need " +
             std::to_string(count * sizeof(Raw)));
      std::vector<Raw> values(count);
      // memcpy's pointers must be valid even for 0 bytes (a dim of 0: values.data() may be null).
      if (count > 0) std::memcpy(values.data(), t.raw_data().data(), t.raw_data().size());
      return values;
    }
    if (std::size_t(field.size()) != count)
      fail(what + " holds " + std::to_string(field.size()) + " values, its dims need " + std::to_string(count));
    return std::vector<Raw>(field.begin(), field.end());
  }

  std::string dims_text(const onnx::TensorProto& t) const {
    std::string s = "(";
    for (int i = 0; i < t.dims_size(); ++i) s += (i ? ", " : "") + std::to_string(t.dims(i));
    return s + ")";
  }

  /// A float or double constant of exactly `dims`, as double.
  std::vector<double> real_values(const std::string& value, int user, std::vector<std::int64_t> dims,
                                  const std::string& role) {
    const onnx::TensorProto& t = constant(value, user);
    const std::string what = "tensor '" + value + "' (" + role + " of " + describe(user) + ")";
    if (!std::equal(t.dims().begin(), t.dims().end(), dims.begin(), dims.end())) {
      onnx::TensorProto expected;
      for (const std::int64_t d : dims) expected.add_dims(d);
      fail(what + " has dims " + dims_text(t) + ", expected " + dims_text(expected));
    }
    if (t.data_type() == onnx::TensorProto_DataType_FLOAT) {
      const std::vector<float> f = raw_or_field<float>(t, t.float_data(), what);
      return std::vector<double>(f.begin(), f.end());
    }
    if (t.data_type() == onnx::TensorProto_DataType_DOUBLE) return raw_or_field<double>(t, t.double_data(), what);
    fail(what + " is of ONNX data type " + std::to_string(t.data_type()) + ", expected float (1) or double (11)");
  }

  /// The dims of a constant (for reading widths before values).
  const onnx::TensorProto& constant_with_rank(const std::string& value, int user, int rank, const std::string& role) {
    const onnx::TensorProto& t = constant(value, user);
    if (t.dims_size() != rank)
      fail("tensor '" + value + "' (" + role + " of " + describe(user) + ") has dims " + dims_text(t) + ", expected rank " +
           std::to_string(rank));
    for (const std::int64_t d : t.dims())
      if (d <= 0 || d > (std::int64_t(1) << 24))
        fail("tensor '" + value + "' (" + role + " of " + describe(user) + ") has dims " + dims_text(t));
    return t;
  }

  /// An int64 (or int32) constant's values.
  std::vector<std::int64_t> int_values(const std::string& value, int user, const std::string& role) {
    const onnx::TensorProto& t = constant(value, user);
    const std::string what = "tensor '" + value + "' (" + role + " of " + describe(user) + ")";
    if (t.data_type() == onnx::TensorProto_DataType_INT64) return raw_or_field<std::int64_t>(t, t.int64_data(), what);
    if (t.data_type() == onnx::TensorProto_DataType_INT32) {
      const std::vector<std::int32_t> v = raw_or_field<std::int32_t>(t, t.int32_data(), what);
      return std::vector<std::int64_t>(v.begin(), v.end());
    }
    fail(what + " is not an integer tensor");
  }

  // ---- the head: Gemm(state, W, b) -> the output
  std::string read_head(const std::string& output, onnx_file& file) {
    const auto [node, index] = producer(output);
    if (!is_op(node, "Gemm") || index != 0 || g_.node(node).output_size() != 1)
      fail("the output '" + output + "' is produced by " + (node < 0 ? std::string("no node") : describe(node)) +
           ", expected a Gemm (the Dense head)");
    accounted_[std::size_t(node)] = true;
    const onnx::NodeProto& n = g_.node(node);
    allow_attributes(node, {"alpha", "beta", "transA", "transB"});
    if (float_attribute(node, "alpha", 1.f) != 1.f || float_attribute(node, "beta", 1.f) != 1.f)
      fail(describe(node) + ": alpha and beta must be 1 (a Dense is h W + b)");
    require_int(node, "transA", 0, 0, "the state is not transposed");
    const std::int64_t trans_b = int_attribute(node, "transB", 0);
    if (trans_b != 0 && trans_b != 1) fail(describe(node) + ": attribute transB must be 0 or 1");
    if (n.input_size() < 2 || n.input_size() > 3) fail(describe(node) + " needs inputs A, B and optionally C");
    const onnx::TensorProto& w = constant_with_rank(n.input(1), node, 2, "B, the head's weight");
    const std::size_t hidden = std::size_t(w.dims(trans_b ? 1 : 0)), classes = std::size_t(w.dims(trans_b ? 0 : 1));
    std::vector<double> W = real_values(n.input(1), node, {w.dims(0), w.dims(1)}, "B, the head's weight");
    if (trans_b) {
      std::vector<double> t(W.size());
      for (std::size_t c = 0; c < classes; ++c)
        for (std::size_t h = 0; h < hidden; ++h) t[h * classes + c] = W[c * hidden + h];
      W = std::move(t);
    }
    std::vector<double> b(classes, 0.0);
    if (n.input_size() == 3 && !n.input(2).empty()) {
      const onnx::TensorProto& c = constant(n.input(2), node);
      b = c.dims_size() == 2 ? real_values(n.input(2), node, {1, std::int64_t(classes)}, "C, the head's bias")
                             : real_values(n.input(2), node, {std::int64_t(classes)}, "C, the head's bias");
    }
    file.head = {hidden, classes, std::move(W), std::move(b)};
    file.head_node = describe(node);
    return n.input(0);
  }

  /// The recurrent node whose last step `state` is: Squeeze(Y_h, [0]) of a GRU /
  /// LSTM, Gather(Squeeze(Y, [1]), -1) on axis 0, or a Scan's final state.
  int last_step_source(const std::string& state) {
    const auto [node, output] = producer(state);
    if (is_op(node, "Squeeze") && output == 0 && squeeze_of(node, 0)) {
      const auto [rnn, rnn_output] = producer(g_.node(node).input(0));
      if ((is_op(rnn, "GRU") || is_op(rnn, "LSTM")) && rnn_output == 1) {
        accounted_[std::size_t(node)] = true;
        return rnn;
      }
    }
    if (is_op(node, "Gather") && output == 0) {
      allow_attributes(node, {"axis"});
      const onnx::NodeProto& gather = g_.node(node);
      if (gather.input_size() == 2 && int_attribute(node, "axis", 0) == 0) {
        const onnx::TensorProto& index = constant(gather.input(1), node);
        const std::vector<std::int64_t> i = int_values(gather.input(1), node, "the step index");
        if (index.dims_size() != 0 || i.size() != 1 || i[0] != -1)
          fail(describe(node) + " gathers step " + (i.size() == 1 ? std::to_string(i[0]) : std::string("?")) +
               " of the sequence (a scalar index -1, the last step, is what the head reads)");
        const auto [squeeze, squeeze_output] = producer(gather.input(0));
        if (is_op(squeeze, "Squeeze") && squeeze_output == 0 && squeeze_of(squeeze, 1)) {
          const auto [rnn, rnn_output] = producer(g_.node(squeeze).input(0));
          if ((is_op(rnn, "GRU") || is_op(rnn, "LSTM")) && rnn_output == 0) {
            if (g_.node(rnn).input_size() > 4 && !g_.node(rnn).input(4).empty())
              fail(describe(node) + " reads the last padded step of " + describe(rnn) +
                   ", which has sequence_lens: with lengths the head reads Y_h");
            accounted_[std::size_t(node)] = accounted_[std::size_t(squeeze)] = true;
            return rnn;
          }
        }
      }
    }
    if (is_op(node, "Scan") && output == 0) return node;
    fail("the head's input '" + state + "' is produced by " + (node < 0 ? std::string("no node") : describe(node)) +
         ", expected the last state of a recurrent layer (Squeeze of a GRU's or LSTM's Y_h, Gather of its "
         "last step, or the final state of an rnncell MGU Scan)");
  }

  /// The recurrent node whose outputs a layer's input `value` is: Squeeze(Y, [1]) of a GRU / LSTM
  /// or a Scan's scan output.
  int layer_output_source(const std::string& value) {
    const auto [node, output] = producer(value);
    if (is_op(node, "Squeeze") && output == 0 && squeeze_of(node, 1)) {
      const auto [rnn, rnn_output] = producer(g_.node(node).input(0));
      if ((is_op(rnn, "GRU") || is_op(rnn, "LSTM")) && rnn_output == 0) {
        accounted_[std::size_t(node)] = true;
        return rnn;
      }
    }
    if (is_op(node, "Scan") && output == 1) return node;
    fail("a recurrent layer's input '" + value + "' is produced by " +
         (node < 0 ? std::string("no node") : describe(node)) +
         ", expected x or the outputs of the layer below (Squeeze of a GRU's or LSTM's Y, or an MGU Scan's)");
  }

  /// Whether a Squeeze node removes exactly axis `axis` (opset 13+: axes as an input).
  bool squeeze_of(int node, std::int64_t axis) {
    const onnx::NodeProto& n = g_.node(node);
    allow_attributes(node, {});
    if (n.input_size() != 2) return false;
    if (constant(n.input(1), node).data_type() != onnx::TensorProto_DataType_INT64) return false;
    const std::vector<std::int64_t> axes = int_values(n.input(1), node, "the axes");
    return axes.size() == 1 && axes[0] == axis;
  }

  // ---- zero initial states
  /// Whether `value` is all zeros: ConstantOfShape of 0 (or a zero constant), through shape-only
  /// ops (torch slices one zero tensor per layer); the shape computations feeding them are accounted.
  bool zero_state(const std::string& value, int depth = 0) {
    if (depth > 64) fail("the initial state '" + value + "' is computed through too many nodes");
    if (const auto it = initializers_.find(value); it != initializers_.end()) return all_zero(value, -1);
    const auto [node, output] = producer(value);
    if (node < 0) return false;
    const onnx::NodeProto& n = g_.node(node);
    const std::string& op = n.op_type();
    bool zero = false;
    if (op == "ConstantOfShape") {
      allow_attributes(node, {"value"});
      const onnx::AttributeProto* a = attribute(node, "value");
      zero = !a || (a->type() == onnx::AttributeProto_AttributeType_TENSOR &&
                    element_count(a->t(), describe(node)) == 1 && tensor_all_zero(a->t(), describe(node)));
      if (zero && n.input_size() == 1) plumbing(n.input(0), depth + 1);
    } else if (op == "Constant") {
      zero = all_zero(value, node);
    } else if ((op == "Slice" || op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" || op == "Expand" ||
                op == "Identity") && n.input_size() >= 1) {
      zero = zero_state(n.input(0), depth + 1);
      if (zero)
        for (int i = 1; i < n.input_size(); ++i) plumbing(n.input(i), depth + 1);
    }
    if (zero) accounted_[std::size_t(node)] = true;
    return zero;
  }

  bool tensor_all_zero(const onnx::TensorProto& t, const std::string& what) const {
    if (t.data_type() == onnx::TensorProto_DataType_FLOAT) {
      const auto v = raw_or_field<float>(t, t.float_data(), what);
      return std::all_of(v.begin(), v.end(), [](float f) { return f == 0.f; });
    }
    if (t.data_type() == onnx::TensorProto_DataType_DOUBLE) {
      const auto v = raw_or_field<double>(t, t.double_data(), what);
      return std::all_of(v.begin(), v.end(), [](double f) { return f == 0.0; });
    }
    return false;
  }

  bool all_zero(const std::string& value, int user) {
    const auto it = initializers_.find(value);
    if (it != initializers_.end()) return tensor_all_zero(*it->second, "tensor '" + value + "'");
    return tensor_all_zero(constant(value, user), "tensor '" + value + "'");
  }

  /// Accounts for the nodes computing a zero state's shape (what they compute does not matter to the
  /// loader: the state is zero whatever its shape, and ONNX Runtime checks the shapes).
  void plumbing(const std::string& value, int depth) {
    if (depth > 64) fail("the shape of an initial state is computed through too many nodes");
    const auto [node, output] = producer(value);
    if (node < 0 || accounted_[std::size_t(node)]) return;
    static constexpr std::array<std::string_view, 9> shape_ops{"Shape", "Constant", "Gather", "Unsqueeze", "Squeeze",
                                                               "Concat", "Slice", "Cast", "Reshape"};
    if (std::find(shape_ops.begin(), shape_ops.end(), g_.node(node).op_type()) == shape_ops.end())
      fail(describe(node) + " computes the shape of an initial state with an operator rnncell's loader does not follow");
    accounted_[std::size_t(node)] = true;
    for (const auto& i : g_.node(node).input()) plumbing(i, depth + 1);
  }

  // ---- the layers
  /// Reads the recurrent layer at `node`; `input` receives the value its sequence comes from.
  onnx_layer read_layer(int node, std::string& input) {
    const onnx::NodeProto& n = g_.node(node);
    if (n.op_type() == "Scan") return read_scan(node, input);
    accounted_[std::size_t(node)] = true;
    const bool lstm = n.op_type() == "LSTM";
    const std::size_t G = lstm ? 4 : 3;
    if (lstm)
      allow_attributes(node, {"hidden_size", "direction", "activations", "layout", "input_forget"});
    else
      allow_attributes(node, {"hidden_size", "direction", "activations", "layout", "linear_before_reset"});
    if (lstm) {
      check_rnn_attributes(node, {"Sigmoid", "Tanh", "Tanh"});
      require_int(node, "input_forget", 0, 0, "rnncell's LSTM has separate input and forget gates");
    } else {
      check_rnn_attributes(node, {"Sigmoid", "Tanh"});
    }
    const std::int64_t reset = lstm ? 0 : int_attribute(node, "linear_before_reset", 0);
    if (reset != 0 && reset != 1) fail(describe(node) + ": attribute linear_before_reset must be 0 or 1");
    if (n.input_size() < 3 || n.input_size() > (lstm ? 8 : 6))
      fail(describe(node) + " has " + std::to_string(n.input_size()) + " inputs");
    input = n.input(0);
    const onnx::TensorProto& w = constant_with_rank(n.input(1), node, 3, "W");
    if (w.dims(0) != 1 || w.dims(1) % std::int64_t(G) != 0)
      fail("tensor '" + n.input(1) + "' (W of " + describe(node) + ") has dims " + dims_text(w) + ", expected (1, " +
           std::to_string(G) + "H, In)");
    const std::int64_t H = w.dims(1) / std::int64_t(G), In = w.dims(2);
    require_int(node, "hidden_size", H, H, "W's rows are " + std::to_string(G) + " x " + std::to_string(H));
    onnx_layer l;
    l.kind = lstm ? onnx_cell_kind::lstm : reset ? onnx_cell_kind::gru_reset_after : onnx_cell_kind::gru_reset_before;
    l.node = describe(node);
    l.input = std::size_t(In);
    l.hidden = std::size_t(H);
    const std::int64_t GH = std::int64_t(G) * H;
    const std::vector<double> W = real_values(n.input(1), node, {1, GH, In}, "W");
    const std::vector<double> R = real_values(n.input(2), node, {1, GH, H}, "R");
    std::vector<double> B(std::size_t(2 * GH), 0.0);
    if (n.input_size() > 3 && !n.input(3).empty()) B = real_values(n.input(3), node, {1, 2 * GH}, "B");
    const bool with_lengths = n.input_size() > 4 && !n.input(4).empty();
    if (with_lengths && n.input(4) != lengths_)
      fail(describe(node) + ": its sequence_lens '" + n.input(4) + "' is not the graph input sequence_lens");
    // Every layer with lengths or none: a layer without them would run on past a sequence's end
    // over the zeros the layer below writes there.
    if (layers_with_lengths_ && *layers_with_lengths_ != with_lengths)
      fail(describe(node) + (with_lengths ? " takes sequence_lens, the layers above it do not"
                                          : " does not take sequence_lens, the layers above it do"));
    layers_with_lengths_ = with_lengths;
    for (int i = 5; i < n.input_size(); ++i) {
      if (n.input(i).empty()) continue;
      if (lstm && i == 7) {
        const std::vector<double> P = real_values(n.input(7), node, {1, 3 * H}, "P, the peepholes");
        if (std::any_of(P.begin(), P.end(), [](double p) { return p != 0.0; }))
          fail(describe(node) + " has peepholes (P), which rnncell's LSTM does not have");
      } else if (!zero_state(n.input(i))) {
        fail(describe(node) + ": its initial " + (i == 5 ? "h" : "c") + " '" + n.input(i) +
             "' is not zero (rnncell's models start from zero states)");
      }
    }
    const double* wb = B.data();
    const double* rb = B.data() + GH;
    std::vector<double> bias_sum(static_cast<std::size_t>(GH));  // Wb + Rb
    for (std::size_t i = 0; i < bias_sum.size(); ++i) bias_sum[i] = wb[i] + rb[i];
    if (lstm) {
      l.Wx = onnx_regate(W, l.input, l.hidden, onnx_lstm_gates, false);
      l.Wh = onnx_regate(R, l.hidden, l.hidden, onnx_lstm_gates, false);
      l.b = onnx_regate_bias(bias_sum.data(), l.hidden, onnx_lstm_gates, false);
    } else {
      l.Wx = onnx_regate(W, l.input, l.hidden, onnx_gru_gates, false);
      l.Wh = onnx_regate(R, l.hidden, l.hidden, onnx_gru_gates, false);
      if (reset) {
        l.b = onnx_regate_bias(wb, l.hidden, onnx_gru_gates, false);
        l.bh = onnx_regate_bias(rb, l.hidden, onnx_gru_gates, false);
      } else {
        // linear_before_reset = 0: Rb reaches every pre-activation outside r, as Wb does.
        l.b = onnx_regate_bias(bias_sum.data(), l.hidden, onnx_gru_gates, false);
      }
    }
    return l;
  }

  /// An MGU layer: Scan(h0, Add(MatMul(input, Wx), b)[, mask]) whose body holds Whf and Whn. The
  /// structure is checked against save_onnx's graph afterwards (require_graph_of).
  onnx_layer read_scan(int node, std::string& input) {
    const onnx::NodeProto& n = g_.node(node);
    if (n.input_size() < 2) fail(describe(node) + " has no scan input");
    const auto [add, add_output] = producer(n.input(1));
    if (!is_op(add, "Add") || g_.node(add).input_size() != 2)
      fail(describe(node) + ": its scan input is not the input projection x Wx + b that rnncell's MGU Scan reads");
    const auto [matmul, matmul_output] = producer(g_.node(add).input(0));
    if (!is_op(matmul, "MatMul") || g_.node(matmul).input_size() != 2)
      fail(describe(node) + ": its scan input is not the input projection x Wx + b that rnncell's MGU Scan reads");
    input = g_.node(matmul).input(0);
    const onnx::TensorProto& wx = constant_with_rank(g_.node(matmul).input(1), matmul, 2, "Wx");
    if (wx.dims(1) % 2 != 0) fail("tensor '" + g_.node(matmul).input(1) + "' (Wx of an MGU) has an odd width");
    onnx_layer l;
    l.kind = onnx_cell_kind::mgu;
    l.node = describe(node);
    l.input = std::size_t(wx.dims(0));
    l.hidden = std::size_t(wx.dims(1) / 2);
    const auto In = std::int64_t(l.input), H = std::int64_t(l.hidden);
    l.Wx = real_values(g_.node(matmul).input(1), matmul, {In, 2 * H}, "Wx");
    l.b = real_values(g_.node(add).input(1), add, {2 * H}, "b");
    const onnx::AttributeProto* body = attribute(node, "body");
    if (!body || body->type() != onnx::AttributeProto_AttributeType_GRAPH) fail(describe(node) + " has no body graph");
    const std::string p = n.name();
    std::vector<double> whf, whn;
    for (int i = 0; i < body->g().initializer_size(); ++i)
      for (int j = 0; j < i; ++j)
        if (body->g().initializer(i).name() == body->g().initializer(j).name())
          fail(describe(node) + "'s body has initializer '" + body->g().initializer(i).name() + "' twice");
    for (const auto& t : body->g().initializer()) {
      const std::string what = "tensor '" + t.name() + "' of " + describe(node) + "'s body";
      const bool f = t.name() == p + ".Whf", nn = t.name() == p + ".Whn";
      if (!f && !nn) continue;
      if (t.dims_size() != 2 || t.dims(0) != H || t.dims(1) != H) fail(what + " has dims " + dims_text(t) + ", expected (H, H)");
      std::vector<double> v = t.data_type() == onnx::TensorProto_DataType_FLOAT
                                  ? [&] { auto x = raw_or_field<float>(t, t.float_data(), what); return std::vector<double>(x.begin(), x.end()); }()
                                  : raw_or_field<double>(t, t.double_data(), what);
      (f ? whf : whn) = std::move(v);
    }
    if (whf.empty() || whn.empty()) fail(describe(node) + "'s body lacks the initializers '" + p + ".Whf' and '" + p + ".Whn'");
    l.Wh.resize(l.hidden * 2 * l.hidden);
    for (std::size_t i = 0; i < l.hidden; ++i)
      for (std::size_t j = 0; j < l.hidden; ++j) {
        l.Wh[i * 2 * l.hidden + j] = whf[i * l.hidden + j];
        l.Wh[i * 2 * l.hidden + l.hidden + j] = whn[i * l.hidden + j];
      }
    return l;
  }

  /// Requires the graph to be what save_onnx writes for these layers: the same nodes (op, name,
  /// inputs, outputs, attributes; Scan bodies node by node) and initializers of the same names,
  /// dims and types. Only the weights' values may differ (they were read from the file).
  void require_graph_of(const onnx_file& file) {
    if (opset_ != onnx_opset)
      fail("a graph with MGU layers is rnncell's own, of opset " + std::to_string(onnx_opset) + "; this one has opset " +
           std::to_string(opset_));
    const int elem = x_info_->type().tensor_type().elem_type();
    const onnx::ModelProto expected = onnx_model_of(file.layers, file.head, !lengths_.empty(), elem);
    const std::string mismatch = graph_difference(g_, expected.graph(), "");
    if (!mismatch.empty())
      fail("a graph with MGU layers must be the one rnncell's save_onnx writes, but " + mismatch);
    if (x_ != "x" || (!lengths_.empty() && lengths_ != "sequence_lens"))
      fail("a graph with MGU layers must name its inputs x and sequence_lens");
  }

  static std::string graph_difference(const onnx::GraphProto& a, const onnx::GraphProto& b, const std::string& scope) {
    if (a.sparse_initializer_size() != b.sparse_initializer_size()) return scope + "it has sparse initializers";
    if (a.node_size() != b.node_size())
      return scope + "it has " + std::to_string(a.node_size()) + " nodes, expected " + std::to_string(b.node_size());
    for (int i = 0; i < a.node_size(); ++i) {
      const onnx::NodeProto &x = a.node(i), &y = b.node(i);
      const std::string where = scope + "node #" + std::to_string(i) + " '" + x.name() + "' (" + x.op_type() + ")";
      if (x.op_type() != y.op_type() || x.name() != y.name() || x.domain() != y.domain())
        return where + " is not node '" + y.name() + "' (" + y.op_type() + ")";
      if (!std::equal(x.input().begin(), x.input().end(), y.input().begin(), y.input().end()) ||
          !std::equal(x.output().begin(), x.output().end(), y.output().begin(), y.output().end()))
        return where + " has other inputs or outputs than expected";
      if (x.attribute_size() != y.attribute_size()) return where + " has other attributes than expected";
      for (int k = 0; k < x.attribute_size(); ++k) {
        const onnx::AttributeProto &p = x.attribute(k), &q = y.attribute(k);
        if (p.name() != q.name() || p.type() != q.type()) return where + " has other attributes than expected";
        if (p.type() == onnx::AttributeProto_AttributeType_GRAPH) {
          const std::string inner = graph_difference(p.g(), q.g(), where + "'s body: ");
          if (!inner.empty()) return inner;
        } else if (p.SerializeAsString() != q.SerializeAsString()) {
          return where + ": attribute '" + p.name() + "' is not the expected one";
        }
      }
    }
    const auto same_values = [](const auto& u, const auto& v) {
      return std::equal(u.begin(), u.end(), v.begin(), v.end(),
                        [](const auto& s, const auto& t) { return s.SerializeAsString() == t.SerializeAsString(); });
    };
    if (!same_values(a.input(), b.input()) || !same_values(a.output(), b.output()))
      return scope + "its inputs or outputs are not the expected ones";
    if (a.initializer_size() != b.initializer_size())
      return scope + "it has " + std::to_string(a.initializer_size()) + " initializers, expected " +
             std::to_string(b.initializer_size());
    for (int i = 0; i < a.initializer_size(); ++i) {
      const onnx::TensorProto &s = a.initializer(i), &t = b.initializer(i);
      const bool same = s.name() == t.name() && s.data_type() == t.data_type() &&
                        std::equal(s.dims().begin(), s.dims().end(), t.dims().begin(), t.dims().end());
      if (!same) return scope + "initializer '" + s.name() + "' is not the expected '" + t.name() + "'";
      // Values of the constants that are not weights (axes, shapes) must be the expected ones too.
      const bool weight = s.data_type() == onnx::TensorProto_DataType_FLOAT || s.data_type() == onnx::TensorProto_DataType_DOUBLE;
      if (!weight && s.SerializeAsString() != t.SerializeAsString())
        return scope + "initializer '" + s.name() + "' does not hold the expected values";
    }
    return "";
  }

  const onnx::GraphProto& g_;
  std::string where_;
  std::int64_t ir_version_, opset_;
  std::map<std::string, const onnx::TensorProto*, std::less<>> initializers_;
  std::map<std::string, std::pair<int, int>, std::less<>> producers_;  // value -> (node, output index)
  std::vector<bool> accounted_;
  std::string x_, lengths_;
  const onnx::ValueInfoProto* x_info_ = nullptr;
  std::optional<bool> layers_with_lengths_;  // whether the recurrent nodes read so far take sequence_lens
};

/// load_onnx on bytes in memory; `where` names their origin in messages. The fuzzing harness calls
/// this directly.
template <class Stack, class Head>
void load_onnx_from_bytes(Model<Stack, Head>& model, std::string_view bytes, const std::string& where) {
  onnx_check_model_type<Stack, Head>();
  if (bytes.size() > std::size_t(INT_MAX)) throw std::runtime_error(where + ": larger than 2 GiB, which protobuf cannot read");
  onnx::ModelProto m;
  if (!m.ParseFromArray(bytes.data(), int(bytes.size())))
    throw std::runtime_error(where + ": not an ONNX model (the protobuf does not parse: truncated or another format)");
  if (!m.has_graph()) throw std::runtime_error(where + ": the ONNX model has no graph");
  std::int64_t opset = -1;
  for (const auto& o : m.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  if (opset < onnx_opset || opset > onnx_newest_opset)
    throw std::runtime_error(where + ": ONNX opset " + std::to_string(opset) + ", rnncell reads opsets " +
                             std::to_string(onnx_opset) + " to " + std::to_string(onnx_newest_opset));
  if (m.functions_size() > 0 || m.training_info_size() > 0)
    throw std::runtime_error(where + ": the ONNX model has local functions or training information, which rnncell "
                             "does not read");
  const onnx_file file = onnx_graph_reader(m.graph(), where, m.ir_version(), opset).read();

  // Against the model's type: layer count, each layer's kind and widths, the head.
  std::vector<std::pair<onnx_cell_kind, std::array<std::size_t, 2>>> expected;
  onnx_each_layer(model.rnn, [&](auto& cell) {
    using Cell = std::remove_cvref_t<decltype(cell)>;
    expected.push_back({onnx_kind_of<Cell>, {Cell::input_width, Cell::hidden_width}});
  });
  if (file.layers.size() != expected.size())
    throw std::runtime_error(where + ": the file has " + std::to_string(file.layers.size()) +
                             " recurrent layers, the model " + std::to_string(expected.size()));
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const onnx_layer& l = file.layers[k];
    if (l.kind != expected[k].first)
      throw std::runtime_error(where + ": " + l.node + " (layer " + std::to_string(k) + ") is " + onnx_kind_text(l.kind) +
                               ", the model's layer is " + onnx_kind_text(expected[k].first));
    if (l.input != expected[k].second[0] || l.hidden != expected[k].second[1])
      throw std::runtime_error(where + ": " + l.node + " (layer " + std::to_string(k) + ") maps " +
                               std::to_string(l.input) + " inputs to " + std::to_string(l.hidden) +
                               " hidden units, the model's layer " + std::to_string(expected[k].second[0]) + " to " +
                               std::to_string(expected[k].second[1]));
  }
  if (file.head.input != Head::input_width || file.head.classes != Head::output_width)
    throw std::runtime_error(where + ": the head " + file.head_node + " maps " + std::to_string(file.head.input) +
                             " to " + std::to_string(file.head.classes) + ", the model's Dense " +
                             std::to_string(Head::input_width) + " to " + std::to_string(Head::output_width));

  // Every check passed: write (nothing below throws).
  std::size_t k = 0;
  onnx_each_layer(model.rnn, [&](auto& cell) { onnx_write_layer(file.layers[k++], cell); });
  onnx_copy_into(file.head.W, model.head.params.W);
  onnx_copy_into(file.head.b, model.head.params.b);
}

}  // namespace detail

/// Writes a classifier as an ONNX file (replacing `path` atomically): one input `x` (T, B, In) with
/// T and B dynamic, one output `logits` (B, C), opset 14; the file passes onnx::checker first.
/// The graph and the operator conventions are written out at the top of onnx.hpp.
/// @tparam Stack a GRUCell (either variant), MGUCell or LSTMCell, or a Stacked of one of them.
/// @tparam Head a Dense.
/// @param model the model; its parameters are read, nothing else.
/// @param path where to write.
/// @param options sequence_lens: add the input `sequence_lens` (B) int32 (a model used with lengths).
/// @throws std::runtime_error if the checker refuses the graph or the file cannot be written.
template <class Stack, class Head>
void save_onnx(const Model<Stack, Head>& model, const std::filesystem::path& path, onnx_options options = {}) {
  detail::onnx_check_model_type<Stack, Head>();
  using T = typename Head::value_type;
  std::vector<detail::onnx_layer> layers;
  detail::onnx_each_layer(model.rnn, [&](const auto& cell) { layers.push_back(detail::onnx_layer_of(cell)); });
  const detail::onnx_head head{Head::input_width, Head::output_width, detail::onnx_doubles_of(model.head.params.W),
                               detail::onnx_doubles_of(model.head.params.b)};
  const onnx::ModelProto m = detail::onnx_model_of(layers, head, options.sequence_lens, detail::onnx_elem_type<T>);
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    throw std::runtime_error("rnncell: save_onnx " + detail::quoted(path) + ": onnx::checker refuses the graph: " + e.what());
  }
  std::string bytes;
  if (m.ByteSizeLong() > std::size_t(INT_MAX) || !m.SerializeToString(&bytes))
    throw std::runtime_error("rnncell: save_onnx " + detail::quoted(path) + ": the model is larger than protobuf's 2 GiB");
  detail::write_file_atomically(path, bytes);
}

/// Reads a classifier from an ONNX file written by save_onnx, or by torch.onnx.export (opset 14)
/// for nn.GRU / nn.LSTM (batch_first = False, num_layers >= 1) followed by nn.Linear on the last
/// step. Every layer's operator, attributes (hidden size, direction, activations, clip, the GRU's
/// linear_before_reset against the cell's variant) and widths, the layer count and the head are
/// checked against the model's type, and every node of the graph must be accounted for, before
/// anything is written: on any error the model is unchanged.
/// @tparam Stack a GRUCell (either variant), MGUCell or LSTMCell, or a Stacked of one of them.
/// @tparam Head a Dense.
/// @param model receives the weights (cells and head; not the optimizer's state).
/// @param path the file.
/// @throws std::runtime_error naming the file, and the node and what differs, if the file cannot be
///         read, is not ONNX, or does not hold a model of this type.
template <class Stack, class Head>
void load_onnx(Model<Stack, Head>& model, const std::filesystem::path& path) {
  detail::load_onnx_from_bytes(model, detail::read_whole_file(path, "ONNX file"), "rnncell: ONNX file " + detail::quoted(path));
}

}  // namespace rnncell
