#include "png_writer.hpp"

#include <spng.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace notmnist::testing {

std::vector<std::uint8_t> encode_png(std::uint32_t width, std::uint32_t height, png_color color, std::uint8_t bit_depth,
                                     std::span<const std::uint8_t> samples, std::span<const std::uint8_t> palette) {
  std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)> ctx(spng_ctx_new(SPNG_CTX_ENCODER), &spng_ctx_free);
  spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1);
  spng_ihdr ihdr{width, height, bit_depth, std::uint8_t(color), 0, 0, 0};
  spng_set_ihdr(ctx.get(), &ihdr);
  if (color == png_color::palette) {
    spng_plte plte{};
    plte.n_entries = std::uint32_t(palette.size() / 3);
    for (std::uint32_t i = 0; i < plte.n_entries; ++i)
      plte.entries[i] = {palette[3 * i], palette[3 * i + 1], palette[3 * i + 2], 255};
    spng_set_plte(ctx.get(), &plte);
  }
  if (int rc = spng_encode_image(ctx.get(), samples.data(), samples.size(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE))
    throw std::runtime_error(std::string("test PNG encoding failed: ") + spng_strerror(rc));
  std::size_t size = 0;
  int rc = 0;
  std::unique_ptr<void, decltype(&std::free)> buffer(spng_get_png_buffer(ctx.get(), &size, &rc), &std::free);
  if (!buffer) throw std::runtime_error(std::string("test PNG encoding failed: ") + spng_strerror(rc));
  const auto* bytes = static_cast<const std::uint8_t*>(buffer.get());
  return {bytes, bytes + size};
}

namespace {

void put_be32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = std::uint8_t(v >> (24 - 8 * i));
}

std::size_t chunk_start(const std::vector<std::uint8_t>& png, std::string_view type) {
  const auto it = std::search(png.begin(), png.end(), type.begin(), type.end());
  if (it == png.end()) throw std::runtime_error("test PNG has no " + std::string(type) + " chunk");
  return std::size_t(it - png.begin()) - 4;  // the length field precedes the type
}

}  // namespace

std::vector<std::uint8_t> with_claimed_size(std::vector<std::uint8_t> png, std::uint32_t width, std::uint32_t height) {
  const std::size_t ihdr = chunk_start(png, "IHDR");
  put_be32(&png[ihdr + 8], width);
  put_be32(&png[ihdr + 12], height);
  put_be32(&png[ihdr + 8 + 13], std::uint32_t(crc32(0, &png[ihdr + 4], 4 + 13)));
  return png;
}

std::vector<std::uint8_t> with_idat_crc_error(std::vector<std::uint8_t> png) {
  const std::size_t idat = chunk_start(png, "IDAT");
  const std::size_t length = (std::size_t(png[idat]) << 24) | (std::size_t(png[idat + 1]) << 16) |
                             (std::size_t(png[idat + 2]) << 8) | png[idat + 3];
  png[idat + 8 + length] ^= 0x01;  // the first byte of the CRC that follows the data
  return png;
}

void write_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

}  // namespace notmnist::testing
