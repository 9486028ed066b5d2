#pragma once
// A tiny custom cell, h' = tanh(x Wx + h Wh + b), written the way a user adds a cell type:
// only its step math and its parameter list (the contract is rnncell/cell_contract.hpp);
// BaseRNNCell supplies the loops, the hoisted products, the parameter traversal and the public
// interface.
//   forward:   a = x Wx + h Wh + b,  h' = tanh(a)
//   backward:  d_a = g * (1 - h'^2),  dL/dh = d_a Wh^T,  dWh += Hp^T D_a (over all steps)
#include <rnncell/base.hpp>
#include <rnncell/cell_contract.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/gemm.hpp>

#include <cmath>
#include <cstddef>

namespace rnncell::test {

template <std::size_t In, std::size_t Hidden, class T = double>
class ElmanCell : public BaseRNNCell<ElmanCell<In, Hidden, T>, T, In, Hidden, 1, cell_parameters<T>> {
 public:
  template <std::size_t N>
  using with_input = ElmanCell<N, Hidden, T>;
  static constexpr std::size_t saved_blocks = 0;
  static constexpr std::size_t recurrent_grad_blocks = 0;

  void step_forward(const step_buffers<T>& s) const {
    const matrix_ref<T> h_Wh = s.scratch;
    detail::gemm_set(h_Wh, s.h_prev, detail::as_matrix(this->params.Wh));
    for (std::size_t i = 0; i < s.gates.rows; ++i)
      for (std::size_t j = 0; j < Hidden; ++j)
        s.h.row(i)[j] = s.gates.row(i)[j] = std::tanh(s.gates.row(i)[j] + this->params.b(j) + h_Wh.row(i)[j]);
  }

  void step_backward(const step_gradients<T>& s) const {
    for (std::size_t i = 0; i < s.gates.rows; ++i)
      for (std::size_t j = 0; j < Hidden; ++j) {
        const T h_next = s.gates.row(i)[j];
        s.d_input.row(i)[j] = s.dh.row(i)[j] * (1 - h_next * h_next);
      }
    detail::gemm_set(s.dh_prev, matrix_ref<const T>(s.d_input), detail::transposed(detail::as_matrix(this->params.Wh)));
  }

  void accumulate_recurrent_grads(const sequence_gradients<T>& all) {
    detail::gemm_add(detail::as_matrix(this->grads.Wh), detail::transposed(all.h_prev), all.d_input);
  }
};

}  // namespace rnncell::test
