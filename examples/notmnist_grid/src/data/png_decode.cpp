#include "data/png_decode.hpp"

#include <spng.h>

#include <cstring>
#include <memory>

namespace notmnist {
namespace {

using spng_ptr = std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)>;

// Ancillary chunks (text, ICC profiles) are not needed; cap them so a hostile file cannot make
// libspng buffer megabytes of metadata.
constexpr std::size_t max_chunk_bytes = 1u << 20;
constexpr std::size_t max_chunk_cache_bytes = 4u << 20;

std::string spng_failure(const char* stage, int code) {
  return std::string(stage) + ": " + spng_strerror(code);
}

// The width and height an IHDR claims, read straight from the bytes, so that a refusal can say
// what was claimed even when libspng stops before reporting it.
std::string claimed_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 24) return {};
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t(bytes[at]) << 24) | (std::uint32_t(bytes[at + 1]) << 16) |
           (std::uint32_t(bytes[at + 2]) << 8) | std::uint32_t(bytes[at + 3]);
  };
  return " (header claims " + std::to_string(be32(16)) + "x" + std::to_string(be32(20)) +
         " pixels; the limit is " + std::to_string(max_png_side) + "x" + std::to_string(max_png_side) + ")";
}

std::uint8_t luma(std::uint32_t r, std::uint32_t g, std::uint32_t b) {
  // PIL's fixed-point ITU-R 601 weights; they sum to 65536, so gray input maps to itself.
  return std::uint8_t((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}

gray_image rgba_to_gray(const spng_ihdr& ihdr, const std::vector<std::uint8_t>& rgba, bool sixteen_bit) {
  gray_image out{ihdr.width, ihdr.height, std::vector<std::uint8_t>(std::size_t(ihdr.width) * ihdr.height)};
  const std::size_t bytes_per_sample = sixteen_bit ? 2 : 1;
  auto sample = [&](std::size_t pixel, std::size_t channel) -> std::uint32_t {
    const std::uint8_t* p = rgba.data() + (pixel * 4 + channel) * bytes_per_sample;
    if (!sixteen_bit) return p[0];
    std::uint16_t v;  // SPNG_FMT_RGBA16 is host-endian
    std::memcpy(&v, p, 2);
    return (std::uint32_t(v) * 255 + 32767) / 65535;
  };
  for (std::size_t i = 0; i < out.pixels.size(); ++i) out.pixels[i] = luma(sample(i, 0), sample(i, 1), sample(i, 2));
  return out;
}

}  // namespace

decoded_png decode_png_gray(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return {std::nullopt, "empty file (0 bytes)"};
  static constexpr std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < sizeof signature || std::memcmp(bytes.data(), signature, sizeof signature) != 0)
    return {std::nullopt, "not a PNG file (no PNG signature)"};
  spng_ptr ctx(spng_ctx_new(0), &spng_ctx_free);
  if (!ctx) return {std::nullopt, "out of memory creating the PNG decoder"};
  spng_set_image_limits(ctx.get(), max_png_side, max_png_side);
  spng_set_chunk_limits(ctx.get(), max_chunk_bytes, max_chunk_cache_bytes);
  spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size());

  spng_ihdr ihdr{};
  if (int rc = spng_get_ihdr(ctx.get(), &ihdr)) {
    const bool size_refused = rc == SPNG_EWIDTH || rc == SPNG_EHEIGHT || rc == SPNG_EUSER_WIDTH || rc == SPNG_EUSER_HEIGHT;
    return {std::nullopt, spng_failure("PNG header", rc) + (size_refused ? claimed_size(bytes) : "")};
  }

  // Gray up to 8 bits decodes straight to G8 (exact); everything else goes through RGBA.
  const bool gray8 = ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE && ihdr.bit_depth <= 8;
  const bool sixteen_bit = ihdr.bit_depth == 16;
  const int format = gray8 ? SPNG_FMT_G8 : sixteen_bit ? SPNG_FMT_RGBA16 : SPNG_FMT_RGBA8;
  std::size_t size = 0;
  if (int rc = spng_decoded_image_size(ctx.get(), format, &size)) return {std::nullopt, spng_failure("PNG size", rc)};
  std::vector<std::uint8_t> decoded(size);
  if (int rc = spng_decode_image(ctx.get(), decoded.data(), size, format, 0))
    return {std::nullopt, spng_failure("PNG data", rc)};
  // libspng stops at the end of the pixel data; reading on to IEND (any after-image getter does)
  // is what checks the last IDAT's CRC and notices a file cut short after its pixels.
  std::uint32_t text_chunks = 0;
  if (int rc = spng_get_text(ctx.get(), nullptr, &text_chunks); rc && rc != SPNG_ECHUNKAVAIL)
    return {std::nullopt, spng_failure("PNG after the image data", rc)};
  if (gray8) return {gray_image{ihdr.width, ihdr.height, std::move(decoded)}, {}};
  return {rgba_to_gray(ihdr, decoded, sixteen_bit), {}};
}

}  // namespace notmnist
