#pragma once
// What the checkpoint tests share: a toy object with parameters, a self-removing temp folder,
// load_npz's error text, a file's bytes, and a zip64 rewrite of an archive.
#include <rnncell/checkpoint.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace checkpoint_test {

namespace fs = std::filesystem;

/// The smallest object with parameters: a 1-D and a 2-D tensor, plus an optional third.
template <class T>
struct toy {
  xt::xtensor<T, 1> b;
  xt::xtensor<T, 2> W;
  bool with_extra = false;
  xt::xtensor<T, 1> extra = xt::zeros<T>({2});

  toy(std::size_t n, std::size_t rows, std::size_t cols) : b(xt::zeros<T>({n})), W(xt::zeros<T>({rows, cols})) {}

  template <class F>
  void for_each_parameter(F&& f) {
    f("toy.b", b);
    f("toy.W", W);
    if (with_extra) f("toy.extra", extra);
  }

  /// Distinct values that are exact in float, so sums agree bit for bit across languages.
  void fill(double start) {
    double v = start;
    for (auto& x : b) x = static_cast<T>(v += 0.25);
    for (auto& x : W) x = static_cast<T>(v -= 0.5);
    for (auto& x : extra) x = static_cast<T>(v += 1.0);
  }
};

/// A fresh folder under the system temp folder, removed with everything in it at scope exit.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device entropy;
    path = fs::temp_directory_path() /
           ("rnncell-test-checkpoint-" + std::to_string(entropy()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

/// load_npz's std::runtime_error text, or "(no error)".
inline std::string load_error(const fs::path& path, auto& obj) {
  try {
    rnncell::load_npz(path, obj);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

/// The whole content of a file.
inline std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The archive read_stored_zip found, rewritten the way zip64 writers lay it out when sizes or
/// offsets pass 4 GiB: saturated sizes in the local headers with zip64 extras, saturated sizes and
/// offsets in the central headers with zip64 extras, and a zip64 end record behind a locator.
inline std::string as_zip64(const std::vector<rnncell::detail::zip_entry>& entries) {
  const std::uint64_t saturated = 0xFFFFFFFF, zip64_version = 45;
  // Appends little-endian fields given as {value, width in bytes}.
  const auto put = [](std::string& out, std::initializer_list<std::pair<std::uint64_t, unsigned>> fields) {
    for (auto [value, width] : fields) rnncell::detail::append_le(out, value, width);
  };
  std::string out, central;
  for (const auto& e : entries) {
    const std::uint64_t offset = out.size(), size = e.data.size(), name_length = e.name.size();
    const std::uint64_t crc = rnncell::detail::crc32(e.data);
    // signature, version needed, flags, method (stored), time and date, CRC-32, sizes, lengths
    put(out, {{0x04034b50, 4}, {zip64_version, 2}, {0, 2}, {0, 2}, {0, 4}, {crc, 4}, {saturated, 4},
              {saturated, 4}, {name_length, 2}, {20, 2}});
    out += e.name;
    put(out, {{1, 2}, {16, 2}, {size, 8}, {size, 8}});  // zip64 extra: sizes
    out += e.data;
    // + version made by; comment length, disk, attributes, saturated local header offset
    put(central, {{0x02014b50, 4}, {zip64_version, 2}, {zip64_version, 2}, {0, 2}, {0, 2}, {0, 4}, {crc, 4},
                  {saturated, 4}, {saturated, 4}, {name_length, 2}, {28, 2}, {0, 2}, {0, 2}, {0, 2},
                  {0, 4}, {saturated, 4}});
    central += e.name;
    put(central, {{1, 2}, {24, 2}, {size, 8}, {size, 8}, {offset, 8}});  // zip64 extra: sizes, offset
  }
  const std::uint64_t central_at = out.size(), record_at = central_at + central.size(), count = entries.size();
  out += central;
  put(out, {{0x06064b50, 4}, {44, 8}, {zip64_version, 2}, {zip64_version, 2}, {0, 4}, {0, 4}, {count, 8},
            {count, 8}, {central.size(), 8}, {central_at, 8}});                      // zip64 end record
  put(out, {{0x07064b50, 4}, {0, 4}, {record_at, 8}, {1, 4}});                        // its locator
  put(out, {{0x06054b50, 4}, {0, 4}, {0xFFFF, 2}, {0xFFFF, 2}, {saturated, 4}, {saturated, 4}, {0, 2}});
  return out;
}

}  // namespace checkpoint_test
