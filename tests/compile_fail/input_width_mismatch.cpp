// Must not compile: 32 features into a cell of input width 28.
#include <rnncell/mgu.hpp>

#include <array>

#ifdef RNNCELL_EXPECT_OK
constexpr std::size_t features = 28;
#else
constexpr std::size_t features = 32;
#endif

int main() {
  rnncell::MGUCell<28, 64> cell;
  rnncell::MGUCell<28, 64>::workspace ws;
  std::array<float, features> x{};
  std::array<float, 64> h{};
  cell.step(x, h, ws);
  return int(h[0] != 0);
}
