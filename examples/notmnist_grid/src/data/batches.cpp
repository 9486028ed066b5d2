#include "data/batches.hpp"

#include <algorithm>

namespace notmnist {

void fill_batch(const dataset& data, std::span<const std::uint32_t> indices, batch& out) {
  const std::size_t b_size = indices.size();
  if (out.x.shape(0) != image_side || out.x.shape(1) != b_size || out.x.shape(2) != image_side)
    out.x.resize({image_side, b_size, image_side});
  out.labels.resize(b_size);
  for (std::size_t b = 0; b < b_size; ++b) {
    const auto image = data.image(indices[b]);
    out.labels[b] = data.labels[indices[b]];
    for (std::size_t t = 0; t < image_side; ++t)
      std::copy_n(image.begin() + std::ptrdiff_t(t * image_side), image_side, &out.x(t, b, 0));
  }
}

}  // namespace notmnist
