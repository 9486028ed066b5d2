#pragma once
// The 80/20 train/validation split: one permutation from a fixed seed, the same for every run.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace notmnist {

struct data_split {
  std::vector<std::uint32_t> train;       // floor(0.8 n) image indices
  std::vector<std::uint32_t> validation;  // the other n - floor(0.8 n), as Keras' validation_split
};

/// Shuffles 0..n-1 with rnncell's portable generator seeded by `seed`; the first floor(0.8 n)
/// indices train, the rest validate.
data_split split_80_20(std::size_t n, std::uint64_t seed);

}  // namespace notmnist
