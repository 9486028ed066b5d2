// Must not compile: a head of input width 64 on a stack of hidden width 128.
#include <rnncell/rnncell.hpp>

#ifdef RNNCELL_EXPECT_OK
constexpr std::size_t head_input = 128;
#else
constexpr std::size_t head_input = 64;
#endif

int main() {
  rnncell::Model<rnncell::Stacked<rnncell::GRUCell<28, 128>, 2>, rnncell::Dense<head_input, 10>> model(1);
  return int(model.parameter_count() == 0);
}
