// Must not compile: a Bidirectional layer's reverse direction starts from the sequence's last step,
// which a stream (one step per call) has not seen; make_stream refuses it with a static_assert that
// says so. Its forward direction alone streams (layer.fwd is a cell).
#include <rnncell/bidirectional.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/stream.hpp>

#ifdef RNNCELL_EXPECT_OK
using net_type = rnncell::Stacked<rnncell::GRUCell<28, 64>, 2>;
#else
using net_type = rnncell::Stacked<rnncell::Bidirectional<rnncell::GRUCell<28, 64>>, 2>;
#endif

int main() {
  net_type net;
  auto s = rnncell::make_stream(net);
  s.reset();
  return 0;
}
