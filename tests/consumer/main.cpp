// Trains a two-layer GRU for a few steps on a fixed toy batch; exits non-zero unless the loss falls,
// or unless the headers' version is the one the build system found (RNNCELL_EXPECTED_VERSION).
#include <rnncell/gru.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/version.hpp>

#include <cstdio>
#include <string_view>
#include <vector>

int main() {
  if (std::string_view(RNNCELL_EXPECTED_VERSION) != rnncell::version_string) {
    std::printf("consumer: the package says version '%s', <rnncell/version.hpp> says %s\n",
                RNNCELL_EXPECTED_VERSION, rnncell::version_string);
    return 1;
  }
  rnncell::Model<rnncell::Stacked<rnncell::GRUCell<28, 64>, 2>, rnncell::Dense<64, 10>> model(42);
  xt::xtensor<float, 3> x = xt::zeros<float>({28, 8, 28});
  std::vector<int> labels(8);
  for (std::size_t i = 0; i < 8; ++i) {
    labels[i] = int(i % 10);
    for (std::size_t t = 0; t < 28; ++t) x(t, i, (i + t) % 28) = 1.0f;
  }
  const double first = model.train_on_batch(x, labels).loss;
  double last = first;
  for (int step = 0; step < 20; ++step) last = model.train_on_batch(x, labels).loss;
  std::printf("consumer %s: loss %.4f -> %.4f\n", rnncell::version_string, first, last);
  return last < first ? 0 : 1;
}
