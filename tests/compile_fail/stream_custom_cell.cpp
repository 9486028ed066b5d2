// Must not compile: a stream packs the weights of the cells it has a streaming layer for
// (kernels/recurrent_layers.hpp); a cell of the user's own (here one derived from MGUCell, whose
// step math a stream cannot know) is refused by a static_assert that names the cells it supports.
// Such a cell runs one step at a time through cell.step (BaseRNNCell).
#include <rnncell/mgu.hpp>
#include <rnncell/stream.hpp>

struct custom_cell : rnncell::MGUCell<28, 64> {};

#ifdef RNNCELL_EXPECT_OK
using cell_type = rnncell::MGUCell<28, 64>;
#else
using cell_type = custom_cell;
#endif

int main() {
  cell_type cell;
  auto s = rnncell::make_stream(cell);
  s.reset();
  return 0;
}
