// A corpus of good and bad files written here: good images load with the right pixels, bad ones
// are named with a reason, non-images are ignored, and the program's exit codes say which is which.
#include "data/dataset.hpp"
#include "png_writer.hpp"
#include "program.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace notmnist {
using namespace testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> gray_28(std::uint8_t value) {
  return encode_png(28, 28, png_color::gray, 8, std::vector<std::uint8_t>(784, value));
}

// Folder A holds the good images, folder B the bad ones (and one good), plus files to ignore.
void write_corpus(const fs::path& root) {
  write_bytes(root / "A" / "gray.png", gray_28(51));
  std::vector<std::uint8_t> rgb(28 * 28 * 3);
  for (std::size_t i = 0; i < rgb.size(); i += 3) rgb[i] = 200, rgb[i + 1] = 100, rgb[i + 2] = 50;
  write_bytes(root / "A" / "rgb.png", encode_png(28, 28, png_color::rgb, 8, rgb));
  write_bytes(root / "A" / "gray16.png", encode_png(28, 28, png_color::gray, 16, std::vector<std::uint8_t>(784 * 2, 0xAB)));
  std::vector<std::uint8_t> ramp(64 * 64);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = std::uint8_t(4 * (i % 64));
  write_bytes(root / "A" / "big64.PNG", encode_png(64, 64, png_color::gray, 8, ramp));

  const auto good = gray_28(255);
  write_bytes(root / "B" / "good.png", good);
  write_bytes(root / "B" / "empty.png", {});
  write_bytes(root / "B" / "truncated.png", std::span(good).first(good.size() * 6 / 10));
  write_bytes(root / "B" / "crc.png", with_idat_crc_error(good));
  const std::string text = "this is not a PNG\n";
  write_bytes(root / "B" / "text.png", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  write_bytes(root / "B" / "huge.png", with_claimed_size(good, 100000, 100000));
  write_bytes(root / "B" / "max.png", with_claimed_size(good, 0x7fffffff, 0x7fffffff));

  write_bytes(root / "B" / "notes.txt", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  write_bytes(root / "README", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::map<std::string, std::string> reasons_by_file(const dataset& d) {
  std::map<std::string, std::string> out;
  for (const auto& s : d.skipped) out[fs::path(s.path).filename().string()] = s.reason;
  return out;
}

}  // namespace

TEST_SUITE("bad_input") {
TEST_CASE("good images load, each bad file is named with its reason, non-images are ignored") {
  temp_dir dir("notmnist-corpus");
  write_corpus(dir.path());
  const dataset d = load_dataset(dir.path());

  CHECK(d.classes == std::vector<std::string>{"A", "B"});
  CHECK(d.files == std::vector<std::string>{"A/big64.PNG", "A/gray.png", "A/gray16.png", "A/rgb.png", "B/good.png"});
  CHECK(d.labels == std::vector<int>{0, 0, 0, 0, 1});

  const auto reasons = reasons_by_file(d);
  REQUIRE(reasons.size() == 6);
  CHECK(reasons.at("empty.png") == "empty file (0 bytes)");
  CHECK(reasons.at("huge.png").find("100000x100000") != std::string::npos);
  CHECK(reasons.at("max.png").find("2147483647x2147483647") != std::string::npos);
  CHECK(reasons.at("crc.png").find("invalid chunk checksum") != std::string::npos);
  CHECK(reasons.at("text.png") == "not a PNG file (no PNG signature)");
  CHECK(reasons.at("truncated.png").find("end of stream") != std::string::npos);

  auto all_equal = [&](std::size_t image, float value) {
    const auto px = d.image(image);
    return std::all_of(px.begin(), px.end(), [&](float v) { return v == value; });
  };
  CHECK(all_equal(1, 51 * (1.0f / 255.0f)));
  CHECK(all_equal(2, 171 * (1.0f / 255.0f)));  // 16-bit 0xABAB
  CHECK(all_equal(3, 124 * (1.0f / 255.0f)));  // luma of (200, 100, 50)
  CHECK(all_equal(4, 1.0f));
  // The 64x64 ramp 4x resized to 28 columns: column x samples source (x + 0.5) * 64/28 - 0.5.
  for (std::size_t x = 0; x < 28; ++x)
    CHECK(d.image(0)[5 * 28 + x] == doctest::Approx(4.0 * ((x + 0.5) * 64.0 / 28.0 - 0.5) / 255.0).epsilon(1e-5));
}

TEST_CASE("the program reports the bad files and exits 0 when good images remain") {
  temp_dir dir("notmnist-corpus");
  write_corpus(dir.path());
  const auto r = run_grid_program({"data", "--data", dir.path().string(), "--batch", "4"});
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find("5 images in 2 classes") != std::string::npos);
  CHECK(r.output.find("6 unreadable file(s) skipped") != std::string::npos);
  for (const char* name : {"empty.png", "truncated.png", "crc.png", "text.png", "huge.png", "max.png"})
    CHECK_MESSAGE(r.output.find(std::string("/B/") + name + ": ") != std::string::npos, name);
  CHECK(r.output.find("notes.txt") == std::string::npos);
}

TEST_CASE("without --data, ./data/ is used before ../shared/data/") {
  temp_dir dir("notmnist-lookup");
  write_corpus(dir.path() / "work" / "data" / "notMNIST_small");
  write_bytes(dir.path() / "shared" / "data" / "notMNIST_small" / "A" / "x.png", gray_28(0));
  const auto local = run_grid_program({"data"}, dir.path() / "work");
  CHECK_MESSAGE(local.output.find("data: data/notMNIST_small: 5 images") != std::string::npos, local.output);
  fs::remove_all(dir.path() / "work" / "data");
  const auto shared = run_grid_program({"data"}, dir.path() / "work");
  CHECK_MESSAGE(shared.output.find("data: ../shared/data/notMNIST_small: 1 images") != std::string::npos, shared.output);
}

TEST_CASE("a missing path, no class folders or only unreadable files: an error naming the path, exit 2") {
  temp_dir dir("notmnist-errors");
  SUBCASE("missing path") {
    const std::string missing = (dir.path() / "nowhere").string();
    const auto r = run_grid_program({"data", "--data", missing});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(missing + ": no such file or folder") != std::string::npos);
  }
  SUBCASE("no class folders") {
    write_bytes(dir.path() / "loose.png", gray_28(1));
    const auto r = run_grid_program({"data", "--data", dir.path().string()});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(dir.path().string() + ": no class folders") != std::string::npos);
  }
  SUBCASE("empty dataset") {
    write_bytes(dir.path() / "A" / "empty.png", {});
    const auto r = run_grid_program({"data", "--data", dir.path().string()});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(dir.path().string() + ": empty dataset") != std::string::npos);
  }
  SUBCASE("no --data and nothing in ./data or ../shared/data") {
    fs::create_directories(dir.path() / "work");
    const auto r = run_grid_program({"data"}, dir.path() / "work");
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.output.find("no dataset found; looked for data/notMNIST_small{,.tar.gz} "
                                "../shared/data/notMNIST_small{,.tar.gz}") != std::string::npos, r.output);
  }
  SUBCASE("too few images for a training and a validation set, from data and from the grid") {
    write_bytes(dir.path() / "d" / "A" / "one.png", gray_28(1));
    for (std::vector<std::string> command : {std::vector<std::string>{"data"}, std::vector<std::string>{"--out", "out"}}) {
      command.insert(command.end(), {"--data", (dir.path() / "d").string(), "--batch", "1"});
      const auto r = run_grid_program(command, dir.path());
      CHECK(r.exit_code == 2);
      CHECK_MESSAGE(r.output.find((dir.path() / "d").generic_string() + ": 1 images split into 0 for training and 1 for validation: "
                                  "both must be non-empty, which needs at least 2 readable images") != std::string::npos,
                    r.output);
      CHECK_FALSE(fs::exists(dir.path() / "out" / "dataset.json"));
    }
  }
  SUBCASE("fewer training images than one batch, from data and from the grid") {
    for (int i = 0; i < 5; ++i) write_bytes(dir.path() / "d" / "A" / (std::to_string(i) + ".png"), gray_28(std::uint8_t(i)));
    for (std::vector<std::string> command : {std::vector<std::string>{"data"}, std::vector<std::string>{"--out", "out"}}) {
      command.insert(command.end(), {"--data", (dir.path() / "d").string()});
      const auto r = run_grid_program(command, dir.path());
      CHECK(r.exit_code == 2);
      CHECK_MESSAGE(r.output.find(": 5 images split into 4 for training and 1 for validation: fewer training images than "
                                  "one batch of 32 (--batch)") != std::string::npos, r.output);
    }
    CHECK(run_grid_program({"data", "--data", (dir.path() / "d").string(), "--batch", "4"}).exit_code == 0);
  }
  SUBCASE("a file that is not an archive") {
    write_bytes(dir.path() / "data.tar.gz", std::vector<std::uint8_t>(100, 7));
    const auto r = run_grid_program({"data", "--data", (dir.path() / "data.tar.gz").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("data.tar.gz: cannot open as an archive") != std::string::npos);
  }
}
}

}  // namespace notmnist
