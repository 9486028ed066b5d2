#include "synthetic_data.hpp"

#include "png_writer.hpp"

#include <rnncell/random.hpp>

#include <string>
#include <vector>

namespace notmnist::testing {

void write_synthetic_dataset(const std::filesystem::path& root, int per_class) {
  rnncell::rng noise(7);
  for (int c = 0; c < 10; ++c)
    for (int i = 0; i < per_class; ++i) {
      std::vector<std::uint8_t> px(28 * 28);
      for (auto& p : px) p = std::uint8_t(noise.below(64));
      for (std::size_t x = 0; x < 28; ++x) px[std::size_t(2 * c + 4) * 28 + x] = 255;
      write_bytes(root / std::string(1, char('A' + c)) / ("img" + std::to_string(i) + ".png"),
                  encode_png(28, 28, png_color::gray, 8, px));
    }
}

}  // namespace notmnist::testing
