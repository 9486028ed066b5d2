#pragma once
// PNG bytes -> 8-bit grayscale, whatever the PNG's colour type and bit depth.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace notmnist {

/// An 8-bit grayscale image, row-major.
struct gray_image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> pixels;
};

/// Largest width or height accepted. A header claiming more is refused before any pixel buffer is
/// allocated: a 2048 x 2048 RGBA16 decode is 32 MiB, the most one image may cost.
inline constexpr std::uint32_t max_png_side = 2048;

/// Either the image or a one-line reason the bytes are not a usable PNG.
struct decoded_png {
  std::optional<gray_image> image;
  std::string error;
};

/// Decodes gray, gray+alpha, RGB(A), palette, 1..16-bit PNGs to 8-bit gray. Colour becomes
/// ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B, PIL's convert("L")); alpha is dropped; 16-bit
/// samples are rounded to 8 bits. Corrupt, truncated or oversized input gives an error, never a crash.
decoded_png decode_png_gray(std::span<const std::uint8_t> bytes);

}  // namespace notmnist
