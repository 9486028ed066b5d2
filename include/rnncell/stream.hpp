#pragma once
// Streaming inference: a trained cell, Stacked or Model (GRU, MGU or LSTM) run one time step at a
// time, for a compile-time batch of 1 to 8 independent streams (voices, sensors, players).
//
//   auto s = rnncell::make_stream(model);        // or make_stream<Batch>(model), stream<Net, Batch>
//   for (...) { auto logits = s.step(x_t); }     // x_t: Batch x In values, e.g. std::array<float, In>
//   s.reset();                                   // zero every layer's state: a new sequence
//
// A layer's state is the cell's: Batch rows of h (GRU, MGU) or of [h | c] (LSTM, 2H each), what
// s.state(layer) reads and sets; step() returns the top layer's h (a cell or Stacked) or the
// head's logits (a Model).
//
// A stream packs a SNAPSHOT of the weights when it is made: training the model afterwards does not
// change it (it can never see half-updated weights). To pick up new weights, make a new stream or
// call s.reload(net), which keeps the states. (A cell's or Stacked's own step() is the other
// choice: it reads the weights as they are at each call, so it is never stale, on the same kernel
// paths; unpacked, it is slower at most sizes, see bench/RESULTS.md.)
// step() allocates nothing, takes no lock, throws nothing and calls no BLAS: packed matrix-vector
// kernels (kernels/) at compile-time sizes, on the instruction set chosen when the stream was made
// (kernels/isa.hpp: AVX-512, AVX2 or portable; force_isa or RNNCELL_ISA before making it). The
// states live in std::array storage in the stream; the packed weights and scratch rows on the
// heap, allocated once by the constructor.
// The step equals the sequence forward (forward / predict) to float rounding: same equations,
// same activations, a different summation order in the products.
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/kernels/isa.hpp>
#include <rnncell/kernels/recurrent_layers.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace rnncell {

template <class Cell>
class Bidirectional;  // bidirectional.hpp: refused below

namespace detail {

// The streaming layer of each cell kind, and how its parameters load into it.
template <class Cell, std::size_t B>
struct stream_layer_of {
  static_assert(sizeof(Cell) == 0,
                "rnncell: stream supports GRUCell, MGUCell, LSTMCell, Stacked of them, and Model on them");
};
template <class Cell, std::size_t B>
struct stream_layer_of<Bidirectional<Cell>, B> {
  static_assert(sizeof(Cell) == 0,
                "rnncell: a Bidirectional layer cannot stream: its reverse direction starts from the "
                "sequence's last step, which a stream has not seen yet (run it with forward on whole sequences)");
};
template <std::size_t In, std::size_t H, class T, std::size_t B>
struct stream_layer_of<GRUCell<In, H, T, reset_after>, B> {
  using type = kernels::gru_reset_after_layer<T, In, H, B>;
  static void load(type& l, const GRUCell<In, H, T, reset_after>& c) {
    l.load(c.params.Wx.data(), c.params.Wh.data(), c.params.b.data(), c.params.bh.data());
  }
};
template <std::size_t In, std::size_t H, class T, std::size_t B>
struct stream_layer_of<GRUCell<In, H, T, reset_before>, B> {
  using type = kernels::gru_reset_before_layer<T, In, H, B>;
  static void load(type& l, const GRUCell<In, H, T, reset_before>& c) {
    l.load(c.params.Wx.data(), c.params.Wh.data(), c.params.b.data());
  }
};
template <std::size_t In, std::size_t H, class T, std::size_t B>
struct stream_layer_of<MGUCell<In, H, T>, B> {
  using type = kernels::mgu_layer<T, In, H, B>;
  static void load(type& l, const MGUCell<In, H, T>& c) {
    l.load(c.params.Wx.data(), c.params.Wh.data(), c.params.b.data());
  }
};
template <std::size_t In, std::size_t H, class T, std::size_t B>
struct stream_layer_of<LSTMCell<In, H, T>, B> {
  using type = kernels::lstm_layer<T, In, H, B>;
  static void load(type& l, const LSTMCell<In, H, T>& c) {
    l.load(c.params.Wx.data(), c.params.Wh.data(), c.params.b.data());
  }
};

// A cell is a stack of one layer.
template <class Net>
struct stream_layers {
  using first = Net;
  using upper = Net;
  static constexpr std::size_t count = 1;
  template <std::size_t I>
  static const Net& layer(const Net& net) { return net; }
};
template <class Cell, std::size_t N>
struct stream_layers<Stacked<Cell, N>> {
  using first = Cell;
  using upper = typename Stacked<Cell, N>::upper_layer_type;
  static constexpr std::size_t count = N;
  template <std::size_t I>
  static const auto& layer(const Stacked<Cell, N>& net) {
    return net.template layer<I>();
  }
};

/// Every layer of a cell or Stacked, with its state: layer i's is B rows of the cell's state
/// width S (h, or [h | c]) in state(i); a layer above reads the h of the one below in place.
template <class Net, std::size_t B>
class stream_chain {
  static_assert(B >= 1 && B <= 8, "rnncell: a stream runs 1 to 8 streams at once (Batch)");
  using layers = stream_layers<Net>;
  using first_of = stream_layer_of<typename layers::first, B>;
  using upper_of = stream_layer_of<typename layers::upper, B>;
  static constexpr std::size_t N = layers::count;

 public:
  using value_type = typename Net::value_type;
  static constexpr std::size_t input_width = Net::input_width, hidden_width = Net::hidden_width,
                               state_width = Net::state_width;

  void load(const Net& net) {
    first_of::load(first_, layers::template layer<0>(net));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (upper_of::load(upper_[I], layers::template layer<I + 1>(net)), ...);
    }(std::make_index_sequence<N - 1>());
  }
  void reset() {
    for (auto& h : state_) h.fill(value_type(0));
  }
  template <kernels::isa I>
  void step(const value_type* x) {
    first_.template step<I>(x, input_width, state_[0].data());
    for (std::size_t i = 1; i < N; ++i) upper_[i - 1].template step<I>(state_[i - 1].data(), state_width, state_[i].data());
  }
  std::array<value_type, B * state_width>& state(std::size_t layer) {
    if (layer >= N)
      throw std::out_of_range("rnncell: stream state(" + std::to_string(layer) + "): the stream has " +
                              std::to_string(N) + " layer(s), numbered from 0");
    return state_[layer];
  }
  /// The top layer's state rows (B rows of state_width; h first in each).
  const value_type* top() const { return state_[N - 1].data(); }
  /// The top layer's h, B rows of hidden_width one after the other: the state itself where it is
  /// h alone or one row, else its h blocks gathered.
  const value_type* top_h() {
    if constexpr (state_width == hidden_width || B == 1) {
      return top();
    } else {
      for (std::size_t r = 0; r < B; ++r)
        std::copy_n(top() + r * state_width, hidden_width, top_h_.data() + r * hidden_width);
      return top_h_.data();
    }
  }

 private:
  typename first_of::type first_;
  std::array<typename upper_of::type, N - 1> upper_;
  std::array<std::array<value_type, B * state_width>, N> state_{};
  struct none {};
  [[no_unique_address]] std::conditional_t<state_width == hidden_width || B == 1, none,
                                           std::array<value_type, B * hidden_width>> top_h_{};
};

/// What both kinds of stream share: the layers and their states, the kernel path, the shapes of a
/// step's input and output (OutputWidth values per stream: the top h, or the logits).
template <class Net, std::size_t Batch, std::size_t OutputWidth>
class stream_base {
 protected:
  using chain = stream_chain<Net, Batch>;

 public:
  /// The scalar type, float or double.
  using value_type = typename chain::value_type;
  /// Streams per step (Batch).
  static constexpr std::size_t batch = Batch;
  /// Values per stream and step going in (the net's In).
  static constexpr std::size_t input_width = chain::input_width;
  /// Values per stream in a layer's state: H, or 2H for LSTM's [h | c].
  static constexpr std::size_t state_width = chain::state_width;
  /// One step's input: Batch rows of input_width, row after row.
  using input = std::span<const value_type, Batch * input_width>;
  /// Values per stream and step coming out (the top layer's H, or a Model's classes).
  static constexpr std::size_t output_width = OutputWidth;
  /// One step's output, Batch rows of output_width, valid until the next step.
  using output = std::span<const value_type, Batch * output_width>;

  /// Zeroes every layer's state.
  void reset() noexcept { chain_.reset(); }
  /// Layer i's state, Batch rows of state_width (h, or [h | c]), to read or to set (e.g. a saved
  /// state).
  /// @param layer the layer, 0 at the bottom.
  /// @throws std::out_of_range for a layer the stream does not have.
  std::span<value_type, Batch * state_width> state(std::size_t layer) { return chain_.state(layer); }
  /// The kernels this stream runs (AVX-512, AVX2 or portable), fixed when it was made.
  kernels::isa path() const { return path_; }

 protected:
  // The kernels' path is kernels::active_isa() when the stream is made.
  stream_base() : path_(kernels::active_isa()) {}

  kernels::isa path_;
  chain chain_;
};

}  // namespace detail

/// Streams a GRUCell, MGUCell, LSTMCell or Stacked of them: step() returns the top layer's new h
/// (Batch x H).
/// @tparam Net the cell or stack whose weights are streamed.
/// @tparam Batch how many independent streams advance per step, 1 to 8.
template <class Net, std::size_t Batch = 1>
class stream : public detail::stream_base<Net, Batch, Net::hidden_width> {
  using base = detail::stream_base<Net, Batch, Net::hidden_width>;

 public:
  /// Packs a snapshot of net's weights; the kernels' path is kernels::active_isa() now.
  explicit stream(const Net& net) { reload(net); }
  /// A new snapshot of net's weights (the states are kept).
  void reload(const Net& net) { this->chain_.load(net); }
  /// One time step for every stream: x is Batch rows of input_width, row after row.
  typename base::output step(typename base::input x) noexcept {
    kernels::dispatch(this->path_, [&](auto tag) { this->chain_.template step<decltype(tag)::value>(x.data()); });
    return typename base::output(this->chain_.top_h(), Batch * base::output_width);
  }
};

/// Streams a whole Model: step() returns the head's logits on the new top state (Batch x classes).
/// @tparam Stack the model's recurrent stack.
/// @tparam Head the model's Dense head.
/// @tparam Batch how many independent streams advance per step, 1 to 8.
template <class Stack, class Head, std::size_t Batch>
class stream<Model<Stack, Head>, Batch> : public detail::stream_base<Stack, Batch, Head::output_width> {
  using base = detail::stream_base<Stack, Batch, Head::output_width>;

 public:
  /// Packs a snapshot of the model's weights; the kernels' path is kernels::active_isa() now.
  /// @param model the trained model.
  explicit stream(const Model<Stack, Head>& model) { reload(model); }
  /// A new snapshot of the model's weights (the states are kept).
  /// @param model the model to copy the weights from.
  void reload(const Model<Stack, Head>& model) {
    this->chain_.load(model.rnn);
    head_.load(model.head.params.W.data(), model.head.params.b.data());
  }
  /// One time step for every stream; no allocation, lock, exception or BLAS call.
  /// @param x Batch rows of input_width values, row after row.
  /// @return the logits, Batch rows of output_width.
  typename base::output step(typename base::input x) noexcept {
    kernels::dispatch(this->path_, [&](auto tag) {
      constexpr kernels::isa I = decltype(tag)::value;
      this->chain_.template step<I>(x.data());
      // The head reads each stream's h in place, at the start of its state row.
      head_.template step<I>(this->chain_.top(), base::state_width, logits_.data());
    });
    return logits_;
  }

 private:
  kernels::dense_layer<typename base::value_type, Head::input_width, Head::output_width, Batch> head_;
  std::array<typename base::value_type, Batch * Head::output_width> logits_{};
};

/// stream<Net, Batch>(net): see the top of this header.
template <std::size_t Batch = 1, class Net>
stream<Net, Batch> make_stream(const Net& net) {
  return stream<Net, Batch>(net);
}

}  // namespace rnncell
