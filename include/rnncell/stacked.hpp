#pragma once
// Stacked<Cell, N>: N recurrent layers, layer 0 is Cell (In -> H), layers 1..N-1 the same kind of
// cell with input width H. Layer i+1 reads layer i's hidden states in place (time-major buffers
// chain without copies); backward runs the layers top-down, each layer's dx being the dh of the one
// below. Same interface as a single cell; parameters are named "layer<i>.<name>".
#include <rnncell/base.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/workspace.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace rnncell {

template <class T, std::size_t N>
class stacked_workspace {
 public:
  std::array<sequence_workspace<T>, N> layers;  ///< one per layer, bottom first

  std::size_t steps() const { return layers[0].steps(); }
  std::size_t batch() const { return layers[0].batch(); }
  auto outputs() { return layers[N - 1].outputs(); }          ///< top layer's h_1..h_T (T, B, H)
  auto last_output() { return layers[N - 1].last_output(); }  ///< top layer's h_T (B, H)
  auto dx() { return layers[0].dx(); }                        ///< (T, B, In)
  auto dh0(std::size_t layer) { return layers[layer].dh0(); } ///< (B, H) of one layer
  const T* output_data() const { return layers[N - 1].output_data(); }
};

template <class Cell, std::size_t N>
class Stacked {
  static_assert(N >= 1, "rnncell: Stacked<Cell, N> needs N >= 1 layers");

 public:
  using value_type = typename Cell::value_type;
  using first_layer_type = Cell;
  using upper_layer_type = typename Cell::template with_input<Cell::hidden_width>;
  using workspace = stacked_workspace<value_type, N>;
  static constexpr std::size_t input_width = Cell::input_width;
  static constexpr std::size_t hidden_width = Cell::hidden_width;
  static constexpr std::size_t layer_count = N;

  template <std::size_t I>
  auto& layer() {
    static_assert(I < N, "rnncell: Stacked::layer<I>() with I >= N");
    if constexpr (I == 0)
      return first_;
    else
      return upper_[I - 1];
  }

  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws) const {
    detail::check_sequence<input_width>(x);
    forward_raw(x.data(), x.shape(0), x.shape(1), nullptr, ws);
  }

  /// h0 (N, B, H): one initial state per layer.
  void forward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& h0) const {
    detail::check_sequence<input_width>(x);
    detail::require_shape("h0", h0.shape(), std::array{N, x.shape(1), hidden_width}, "(layers, B, H)");
    forward_raw(x.data(), x.shape(0), x.shape(1), h0.data(), ws);
  }

  void backward(const xt::xtensor<value_type, 3>& x, workspace& ws, const xt::xtensor<value_type, 3>& dh) {
    detail::check_backward_input<input_width>(x, ws);
    detail::require_shape("dh", dh.shape(), std::array{ws.steps(), ws.batch(), hidden_width}, "(T, B, H)");
    backward_raw(x.data(), ws, dh.data(), nullptr, true);
  }

  void backward_last(const xt::xtensor<value_type, 3>& x, workspace& ws,
                     const xt::xtensor<value_type, 2>& dh_last) {
    detail::check_backward_input<input_width>(x, ws);
    detail::require_shape("dh_last", dh_last.shape(), std::array{ws.batch(), hidden_width}, "(B, H)");
    backward_raw(x.data(), ws, nullptr, dh_last.data(), true);
  }

  void forward_raw(const value_type* x, std::size_t steps, std::size_t batch, const value_type* h0,
                   workspace& ws) const {
    const std::size_t bh = batch * hidden_width;
    first_.forward_raw(x, steps, batch, h0, ws.layers[0]);
    for (std::size_t i = 1; i < N; ++i)
      upper_[i - 1].forward_raw(ws.layers[i - 1].output_data(), steps, batch, h0 ? h0 + i * bh : nullptr,
                                ws.layers[i]);
  }

  void backward_raw(const value_type* x, workspace& ws, const value_type* dh_all, const value_type* dh_last,
                    bool want_dx) {
    for (std::size_t i = N - 1; i > 0; --i) {
      upper_[i - 1].backward_raw(ws.layers[i - 1].output_data(), ws.layers[i], dh_all, dh_last, true);
      dh_all = ws.layers[i].dx_data(), dh_last = nullptr;
    }
    first_.backward_raw(x, ws.layers[0], dh_all, dh_last, want_dx);
  }

  void initialize(rng& g) {
    first_.initialize(g);
    for (auto& l : upper_) l.initialize(g);
  }

  /// Calls f(name, tensor) with names "layer<i>.<name>".
  template <class F>
  void for_each_parameter(F&& f) {
    for_each_layer([&](std::size_t i, auto& l) {
      l.for_each_parameter([&](std::string_view name, auto&... t) {
        f(detail::joined_name("layer", i, name).view(), t...);
      });
    });
  }
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    for_each_layer([&](std::size_t i, auto& l) {
      l.for_each_parameter_and_grad([&](std::string_view name, auto&... t) {
        f(detail::joined_name("layer", i, name).view(), t...);
      });
    });
  }
  void zero_grad() {
    for_each_layer([](std::size_t, auto& l) { l.zero_grad(); });
  }
  std::size_t parameter_count() {
    std::size_t n = 0;
    for_each_layer([&](std::size_t, auto& l) { n += l.parameter_count(); });
    return n;
  }

 private:
  template <class F>
  void for_each_layer(F&& f) {
    f(std::size_t(0), first_);
    for (std::size_t i = 1; i < N; ++i) f(i, upper_[i - 1]);
  }

  Cell first_;
  std::array<upper_layer_type, N - 1> upper_;
};

}  // namespace rnncell
