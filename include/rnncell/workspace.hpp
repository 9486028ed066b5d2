#pragma once
// What a cell's forward pass keeps for its backward pass, owned by the caller and reused across
// batches. Buffers are std::vector so that a smaller (T, B) reuses the memory of a larger one:
// after the first call at the largest shape, forward and backward allocate nothing.
#include <rnncell/detail/xtensor.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace rnncell {

template <class Derived, class T, std::size_t In, std::size_t Hidden, std::size_t Gates, class Params>
class BaseRNNCell;

template <class T>
class sequence_workspace {
 public:
  std::size_t steps() const { return steps_; }
  std::size_t batch() const { return batch_; }

  /// Hidden states h_1 .. h_T, shape (T, B, H).
  auto outputs() { return view(hs_.data() + batch_ * hidden_, {steps_, batch_, hidden_}); }
  /// The last hidden state h_T, shape (B, H).
  auto last_output() { return view(hs_.data() + steps_ * batch_ * hidden_, {batch_, hidden_}); }
  /// dLoss/dx after backward, shape (T, B, In) (left untouched by a backward that skips dx).
  auto dx() { return view(dx_.data(), {steps_, batch_, input_}); }
  /// dLoss/dh0 after backward, shape (B, H).
  auto dh0() { return view(dh0_.data(), {batch_, hidden_}); }

  const T* output_data() const { return hs_.data() + batch_ * hidden_; }
  const T* dx_data() const { return dx_.data(); }

 private:
  template <class, class, std::size_t, std::size_t, std::size_t, class>
  friend class BaseRNNCell;

  template <std::size_t N>
  static auto view(T* data, const std::size_t (&shape)[N]) {
    std::array<std::size_t, N> s;
    std::size_t size = 1;
    for (std::size_t i = 0; i < N; ++i) size *= (s[i] = shape[i]);
    return xt::adapt(data, size, xt::no_ownership(), s);
  }

  void resize(std::size_t steps, std::size_t batch, std::size_t in, std::size_t hidden, std::size_t gates,
              std::size_t aux_blocks, bool separate_recurrent_grad) {
    steps_ = steps, batch_ = batch, input_ = in, hidden_ = hidden;
    const std::size_t rows = steps * batch, gh = gates * hidden;
    act_.resize(rows * gh);
    hs_.resize((steps + 1) * batch * hidden);
    aux_.resize(rows * aux_blocks * hidden);
    rec_.resize(batch * gh);
    d_in_.resize(rows * gh);
    d_rec_.resize(separate_recurrent_grad ? rows * gh : 0);
    dh_.resize(batch * hidden);
    dh_prev_.resize(batch * hidden);
    dh0_.resize(batch * hidden);
    dx_.resize(rows * in);
  }

  std::size_t steps_ = 0, batch_ = 0, input_ = 0, hidden_ = 0;
  std::vector<T> act_;      // (T, B, G*H): x Wx per step, then the gate activations
  std::vector<T> hs_;       // (T+1, B, H): h_0 .. h_T
  std::vector<T> aux_;      // (T, B, A*H): what a cell keeps besides gates (e.g. r*h)
  std::vector<T> rec_;      // (B, G*H): the step's recurrent product, scratch in backward
  std::vector<T> d_in_;     // (T, B, G*H): dLoss/d(pre-activation) on the input side
  std::vector<T> d_rec_;    // (T, B, G*H): same on the recurrent side, where the cell's differ
  std::vector<T> dh_, dh_prev_, dh0_;  // (B, H)
  std::vector<T> dx_;       // (T, B, In)
};

}  // namespace rnncell
