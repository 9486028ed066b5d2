#pragma once
// A tiny custom cell, h' = tanh(x Wx + h Wh + b), written the way a user adds a cell type:
// only its step math and its parameter list; BaseRNNCell supplies the loops, the hoisted
// GEMMs, the parameter traversal and the public interface.
#include <rnncell/base.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/blas.hpp>

#include <cmath>
#include <cstddef>

namespace rnncell::test {

template <std::size_t In, std::size_t Hidden, class T = double>
class ElmanCell : public BaseRNNCell<ElmanCell<In, Hidden, T>, T, In, Hidden, 1, cell_parameters<T>> {
  static constexpr std::size_t H = Hidden;
  using transpose = detail::transpose;

 public:
  template <std::size_t N>
  using with_input = ElmanCell<N, Hidden, T>;
  static constexpr std::size_t aux_blocks = 0;
  static constexpr bool separate_recurrent_grad = false;

  void step_forward(const T* h_prev, T* act, T*, T* h_next, std::size_t batch, T* rec) const {
    detail::gemm(transpose::no, transpose::no, batch, H, H, T(1), h_prev, H, this->params.Wh.data(), H, T(0), rec,
                 H);
    for (std::size_t i = 0; i < batch * H; ++i)
      h_next[i] = act[i] = std::tanh(act[i] + this->params.b(i % H) + rec[i]);
  }

  void step_backward(const T*, const T* act, const T*, const T* dh, T* d_in, T*, T* dh_prev, std::size_t batch,
                     T*) const {
    for (std::size_t i = 0; i < batch * H; ++i) d_in[i] = dh[i] * (1 - act[i] * act[i]);
    detail::gemm(transpose::no, transpose::yes, batch, H, H, T(1), d_in, H, this->params.Wh.data(), H, T(0),
                 dh_prev, H);
  }

  void accumulate_recurrent_grads(const T* h_prevs, const T*, const T* d_in, const T*, std::size_t rows) {
    detail::gemm(transpose::yes, transpose::no, H, H, rows, T(1), h_prevs, H, d_in, H, T(1),
                 this->grads.Wh.data(), H);
  }
};

}  // namespace rnncell::test
