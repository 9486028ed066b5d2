// PNG decoding of every colour type to 8-bit gray, and Keras' half-pixel bilinear resize.
#include "data/bilinear_resize.hpp"
#include "data/png_decode.hpp"
#include "png_writer.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace notmnist {
using testing::encode_png;
using testing::png_color;

namespace {
gray_image decode_ok(const std::vector<std::uint8_t>& png) {
  decoded_png d = decode_png_gray(png);
  REQUIRE_MESSAGE(d.image.has_value(), d.error);
  return *d.image;
}
}  // namespace

TEST_SUITE("decode") {
TEST_CASE("every colour type and bit depth becomes the expected 8-bit gray") {
  SUBCASE("8-bit gray is exact") {
    std::vector<std::uint8_t> px(6);
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = std::uint8_t(i * 50);
    const gray_image g = decode_ok(encode_png(3, 2, png_color::gray, 8, px));
    CHECK(g.width == 3);
    CHECK(g.height == 2);
    CHECK(g.pixels == px);
  }
  SUBCASE("1-bit gray scales to 0 and 255") {
    const std::vector<std::uint8_t> row{0b10100000};  // 3 pixels: on, off, on
    CHECK(decode_ok(encode_png(3, 1, png_color::gray, 1, row)).pixels == std::vector<std::uint8_t>{255, 0, 255});
  }
  SUBCASE("RGB uses ITU-R 601 luma, as PIL's convert('L')") {
    const std::vector<std::uint8_t> rgb{200, 100, 50, 255, 255, 255};
    CHECK(decode_ok(encode_png(2, 1, png_color::rgb, 8, rgb)).pixels == std::vector<std::uint8_t>{124, 255});
  }
  SUBCASE("RGBA and gray+alpha drop alpha") {
    const std::vector<std::uint8_t> rgba{200, 100, 50, 0};
    CHECK(decode_ok(encode_png(1, 1, png_color::rgba, 8, rgba)).pixels == std::vector<std::uint8_t>{124});
    const std::vector<std::uint8_t> ga{77, 0};
    CHECK(decode_ok(encode_png(1, 1, png_color::gray_alpha, 8, ga)).pixels == std::vector<std::uint8_t>{77});
  }
  SUBCASE("palette entries are looked up, then converted") {
    const std::vector<std::uint8_t> palette{0, 0, 0, 90, 90, 90, 200, 100, 50};
    const std::vector<std::uint8_t> indices{2, 1, 0};
    CHECK(decode_ok(encode_png(3, 1, png_color::palette, 8, indices, palette)).pixels ==
          std::vector<std::uint8_t>{124, 90, 0});
  }
  SUBCASE("16-bit samples round to 8 bits") {
    // Byte-symmetric values, so the test does not depend on the encoder's byte order.
    const std::vector<std::uint8_t> px{0xAB, 0xAB, 0xFF, 0xFF, 0x00, 0x00};
    CHECK(decode_ok(encode_png(3, 1, png_color::gray, 16, px)).pixels == std::vector<std::uint8_t>{171, 255, 0});
  }
}

TEST_CASE("bilinear resize matches tf.image.resize(bilinear, antialias=False)") {
  SUBCASE("2x2 -> 4x4: half-pixel centres clamp at the border") {
    const gray_image in{2, 2, {0, 10, 20, 30}};
    std::vector<float> out(16);
    resize_bilinear(in, 4, 4, out);
    // What TensorFlow returns for [[0, 10], [20, 30]] resized to 4x4.
    const std::vector<float> tf{0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30};
    CHECK(out == tf);
  }
  SUBCASE("same size is the identity") {
    gray_image in{28, 28, std::vector<std::uint8_t>(784)};
    for (std::size_t i = 0; i < 784; ++i) in.pixels[i] = std::uint8_t(i * 7 % 256);
    std::vector<float> out(784);
    resize_bilinear(in, 28, 28, out);
    for (std::size_t i = 0; i < 784; ++i) CHECK(out[i] == float(in.pixels[i]));
  }
  SUBCASE("64 -> 28 samples a linear ramp at (x + 0.5) * 64/28 - 0.5") {
    gray_image in{64, 1, std::vector<std::uint8_t>(64)};
    for (std::size_t x = 0; x < 64; ++x) in.pixels[x] = std::uint8_t(4 * x);
    std::vector<float> out(28);
    resize_bilinear(in, 28, 1, out);
    for (std::size_t x = 0; x < 28; ++x) CHECK(out[x] == doctest::Approx(4.0 * ((x + 0.5) * 64.0 / 28.0 - 0.5)).epsilon(1e-5));
  }
}
}

}  // namespace notmnist
