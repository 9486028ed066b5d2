#pragma once
// Images -> the time-major batches the models take: (T = 28 rows, B, 28 features).
#include "data/dataset.hpp"

#include <xtensor/xtensor.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace notmnist {

using sequence_batch = xt::xtensor<float, 3>;

/// One batch, reused across calls: the tensor is reallocated only when the batch size changes.
struct batch {
  sequence_batch x;
  std::vector<int> labels;
};

/// Row t of image indices[b] becomes x(t, b, :).
void fill_batch(const dataset& data, std::span<const std::uint32_t> indices, batch& out);

}  // namespace notmnist
