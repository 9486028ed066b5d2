#pragma once
// Bilinear resize as Keras does it: tf.image.resize(method="bilinear", antialias=False), which
// samples at half-pixel centres. Same-size input comes out unchanged.
#include "data/png_decode.hpp"

#include <cstddef>
#include <span>

namespace notmnist {

/// Writes `out_width x out_height` samples (pixel units, 0..255, row-major) into `out`.
void resize_bilinear(const gray_image& in, std::size_t out_width, std::size_t out_height, std::span<float> out);

}  // namespace notmnist
