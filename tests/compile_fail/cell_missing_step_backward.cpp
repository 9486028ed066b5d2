// Must not compile: a cell without step_backward. BaseRNNCell's contract check names the piece.
#include <rnncell/base.hpp>
#include <rnncell/cell_contract.hpp>
#include <rnncell/cell_parameters.hpp>

#include <cstddef>

template <std::size_t In, std::size_t H>
struct IncompleteCell : rnncell::BaseRNNCell<IncompleteCell<In, H>, float, In, H, 1, rnncell::cell_parameters<float>> {
  static constexpr std::size_t saved_blocks = 0;
  static constexpr std::size_t recurrent_grad_blocks = 0;
  void step_forward(const rnncell::step_buffers<float>&) const {}
#ifdef RNNCELL_EXPECT_OK
  void step_backward(const rnncell::step_gradients<float>&) const {}
#endif
  void accumulate_recurrent_grads(const rnncell::sequence_gradients<float>&) {}
};

int main() {
  IncompleteCell<4, 8> cell;
  return int(cell.parameter_count() == 0);
}
