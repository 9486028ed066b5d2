// libFuzzer harness for PNG decoding and resizing: input bytes -> decode_png_gray -> 28x28
// bilinear resize, the loader's path for every file. Beyond "no crash, no sanitizer report" it
// checks the decoder's contract: either an image within the size limit whose pixel count matches
// its size, or a non-empty reason; and resized samples stay within 0..255. Built as a libFuzzer
// target and as a replay program run by the normal test suite (tests/fuzz/rnncell_fuzz.cmake).
#include "data/bilinear_resize.hpp"
#include "data/dataset.hpp"
#include "data/png_decode.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace notmnist;
  const decoded_png png = decode_png_gray({data, size});
  if (!png.image) {
    if (png.error.empty()) std::abort();  // a refusal must say why
    return 0;
  }
  const gray_image& image = *png.image;
  if (image.width == 0 || image.height == 0 || image.width > max_png_side || image.height > max_png_side ||
      image.pixels.size() != std::size_t(image.width) * image.height)
    std::abort();
  std::vector<float> resized(image_pixels);
  resize_bilinear(image, image_side, image_side, resized);
  for (float v : resized)
    if (!(v >= 0.0f && v <= 255.0f)) std::abort();
  return 0;
}
