// Must not compile: the streaming kernels (kernels/recurrent_layers.hpp) have no LSTM layer yet,
// so stream<LSTMCell> is refused by a static_assert that names the cells it supports. An LSTM runs
// one step at a time through cell.step (BaseRNNCell) meanwhile.
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/stream.hpp>

#ifdef RNNCELL_EXPECT_OK
using cell_type = rnncell::MGUCell<28, 64>;
#else
using cell_type = rnncell::LSTMCell<28, 64>;
#endif

int main() {
  cell_type cell;
  auto s = rnncell::make_stream(cell);
  s.reset();
  return 0;
}
