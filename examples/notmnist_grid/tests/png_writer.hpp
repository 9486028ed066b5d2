#pragma once
// Writes PNGs for the tests (libspng's encoder), and damages them in the ways real files are damaged.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace notmnist::testing {

enum class png_color : std::uint8_t { gray = 0, rgb = 2, palette = 3, gray_alpha = 4, rgba = 6 };

/// `samples` in the PNG's own layout (16-bit samples host-endian); `palette` RGB triples for png_color::palette.
std::vector<std::uint8_t> encode_png(std::uint32_t width, std::uint32_t height, png_color color, std::uint8_t bit_depth,
                                     std::span<const std::uint8_t> samples,
                                     std::span<const std::uint8_t> palette = {});

/// A copy whose IHDR claims width x height, with a valid CRC, so only the size is wrong.
std::vector<std::uint8_t> with_claimed_size(std::vector<std::uint8_t> png, std::uint32_t width, std::uint32_t height);

/// A copy with one bit of the first IDAT chunk's CRC flipped: data and CRC no longer match.
std::vector<std::uint8_t> with_idat_crc_error(std::vector<std::uint8_t> png);

void write_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace notmnist::testing
