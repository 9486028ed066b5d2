#include "data/bilinear_resize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace notmnist {
namespace {

// One output coordinate's two source indices and the weight of the upper one, computed as
// TensorFlow's compute_interpolation_weights does with half_pixel_centers = true.
struct interpolation {
  std::size_t lower, upper;
  float lerp;
};

std::vector<interpolation> weights(std::size_t in_size, std::size_t out_size) {
  const float scale = float(in_size) / float(out_size);
  std::vector<interpolation> w(out_size);
  for (std::size_t i = 0; i < out_size; ++i) {
    const float in = (float(i) + 0.5f) * scale - 0.5f;
    const float in_floor = std::floor(in);
    w[i].lower = std::size_t(std::max(in_floor, 0.0f));
    w[i].upper = std::min(std::size_t(std::max(std::ceil(in), 0.0f)), in_size - 1);
    w[i].lerp = in - in_floor;
  }
  return w;
}

}  // namespace

void resize_bilinear(const gray_image& in, std::size_t out_width, std::size_t out_height, std::span<float> out) {
  const auto xs = weights(in.width, out_width);
  const auto ys = weights(in.height, out_height);
  auto at = [&](std::size_t y, std::size_t x) { return float(in.pixels[y * in.width + x]); };
  for (std::size_t oy = 0; oy < out_height; ++oy) {
    const auto& y = ys[oy];
    for (std::size_t ox = 0; ox < out_width; ++ox) {
      const auto& x = xs[ox];
      const float top_left = at(y.lower, x.lower), top_right = at(y.lower, x.upper);
      const float bottom_left = at(y.upper, x.lower), bottom_right = at(y.upper, x.upper);
      const float top = top_left + (top_right - top_left) * x.lerp;
      const float bottom = bottom_left + (bottom_right - bottom_left) * x.lerp;
      out[oy * out_width + ox] = top + (bottom - top) * y.lerp;
    }
  }
}

}  // namespace notmnist
