#include "data/split.hpp"

#include <rnncell/random.hpp>

#include <numeric>
#include <span>

namespace notmnist {

data_split split_80_20(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  rnncell::rng g(seed);
  rnncell::shuffle(g, std::span<std::uint32_t>(order));
  const std::size_t train = n * 4 / 5;
  return {std::vector<std::uint32_t>(order.begin(), order.begin() + std::ptrdiff_t(train)),
          std::vector<std::uint32_t>(order.begin() + std::ptrdiff_t(train), order.end())};
}

}  // namespace notmnist
