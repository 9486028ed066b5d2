// Checkpoints against damaged and hostile files: each is refused with a std::runtime_error that
// names the file (and the entry, where there is one), and leaves the model exactly as it was.
// Hand-made archives: save_npz's own layout (make_stored_zip) with fields patched, and .npy
// entries with hand-written headers. The fuzz harness (tests/fuzz) covers what these miss.
#include "support/checkpoint_files.hpp"

#include <rnncell/checkpoint.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace checkpoint_test;
using rnncell::detail::append_le;

std::string floats(std::initializer_list<float> values) {
  std::string out(values.size() * sizeof(float), '\0');
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

/// A .npy file with the header dict `dict` (padded and ended as NumPy does) and `data`.
std::string npy(std::string_view dict, std::string_view data, int major = 1) {
  const std::size_t prefix = 6 + 2 + (major == 1 ? 2 : 4);
  std::string header(dict);
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += {static_cast<char>(major), '\0'};
  append_le(out, header.size(), major == 1 ? 2 : 4);
  return out + header + std::string(data);
}

const std::string good_b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", floats({1, 2, 3}));
const std::string good_W =
    npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", floats({1, 2, 3, 4, 5, 6, 7, 8}));

std::string archive(std::vector<rnncell::detail::zip_member> members) { return rnncell::detail::make_stored_zip(members); }
std::string toy_archive(const std::string& b = good_b, const std::string& W = good_W) {
  return archive({{"toy.b.npy", b}, {"toy.W.npy", W}});
}

void patch_le(std::string& bytes, std::size_t at, std::uint64_t value, unsigned width) {
  for (unsigned i = 0; i < width; ++i) bytes.at(at + i) = static_cast<char>((value >> (8 * i)) & 0xFFu);
}
/// Where make_stored_zip's central directory starts, and so its first record.
std::size_t central_at(const std::string& zip) {
  return rnncell::detail::read_le(zip, zip.size() - rnncell::detail::zip_end_size + 16, 4, "test");
}

/// Loads `bytes` as a checkpoint into a toy holding known values; checks that the load fails
/// naming the file and changes nothing; returns the error.
std::string refusal(const std::string& bytes) {
  temp_dir dir;
  const fs::path file = dir.path / "hostile.npz";
  std::ofstream(file, std::ios::binary) << bytes;
  toy<float> t(3, 2, 4);
  t.fill(9.0);
  const auto b = t.b;
  const auto W = t.W;
  const std::string error = load_error(file, t);
  CHECK_MESSAGE(error.find(rnncell::detail::quoted(file)) != std::string::npos, error);
  CHECK(t.b == b);
  CHECK(t.W == W);
  return error;
}

#define CHECK_REFUSED(bytes, text)                                       \
  do {                                                                   \
    const std::string error_ = refusal(bytes);                           \
    CHECK_MESSAGE(error_.find(text) != std::string::npos, error_);       \
  } while (false)

}  // namespace

TEST_CASE("hostile checkpoint: the hand-made archive itself loads (the cases below differ by one defect)") {
  temp_dir dir;
  std::ofstream(dir.path / "good.npz", std::ios::binary) << toy_archive();
  toy<float> t(3, 2, 4);
  rnncell::load_npz(dir.path / "good.npz", t);
  CHECK(t.b == xt::xtensor<float, 1>{1, 2, 3});
  CHECK(t.W == xt::xtensor<float, 2>{{1, 2, 3, 4}, {5, 6, 7, 8}});
}

TEST_CASE("hostile checkpoint: every truncation, plain and zip64, is refused and changes nothing") {
  const std::string plain = toy_archive();
  const std::string zip64 = as_zip64(rnncell::detail::read_stored_zip(plain, "test"));
  for (const std::string* whole : {&plain, &zip64})
    for (std::size_t keep = 0; keep < whole->size(); ++keep) {
      CAPTURE(keep);
      refusal(whole->substr(0, keep));
    }
}

TEST_CASE("hostile checkpoint: any one byte changed gives either the same parameters or a refusal") {
  const std::string plain = toy_archive();
  temp_dir dir;
  const fs::path file = dir.path / "flipped.npz";
  for (std::size_t at = 0; at < plain.size(); ++at) {
    CAPTURE(at);
    std::string flipped = plain;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
    std::ofstream(file, std::ios::binary) << flipped;
    toy<float> t(3, 2, 4);
    t.fill(9.0);
    const auto W = t.W;
    const auto b = t.b;
    if (load_error(file, t) == "(no error)") {  // a field the reader ignores, such as the date
      CHECK(t.b == xt::xtensor<float, 1>{1, 2, 3});
      CHECK(t.W == xt::xtensor<float, 2>{{1, 2, 3, 4}, {5, 6, 7, 8}});
    } else {
      CHECK(t.b == b);
      CHECK(t.W == W);
    }
  }
}

TEST_CASE("hostile checkpoint: names that are wrong, unprintable, repeated or inconsistent") {
  CHECK_REFUSED(archive({{"toy.b.npy", good_b}, {"toy.\x01\xff.npy", good_W}}),
                "missing entries 'toy.W.npy'; unexpected entries 'toy.\\x01\\xff.npy';");
  CHECK_REFUSED(archive({{"toy.b.npy", good_b}, {"toy.W.npy", good_W}, {"toy.W.npy ", good_W}}),
                "unexpected entries 'toy.W.npy '");

  // Two entries named alike (make_stored_zip refuses to write that, so rename one afterwards).
  std::string twice = archive({{"toy.b.npy", good_b}, {"toy.W.npy", good_W}, {"toy.X.npy", good_W}});
  for (std::size_t at = twice.find("toy.X.npy"); at != std::string::npos; at = twice.find("toy.X.npy"))
    twice[at + 4] = 'W';
  CHECK_REFUSED(twice, "entry 'toy.W.npy' appears more than once");

  std::string other = toy_archive();
  other[rnncell::detail::zip_local_header_size + 4] = 'c';  // first local header: "toy.c.npy"
  CHECK_REFUSED(other, "entry 'toy.b.npy' is corrupt (its local header names another entry)");
}

TEST_CASE("hostile checkpoint: overlapping entries and offsets out of range") {
  std::string overlap = toy_archive();  // toy.b.npy's data made to run into toy.W.npy's header
  patch_le(overlap, central_at(overlap) + 20, good_b.size() + 10, 4);
  patch_le(overlap, central_at(overlap) + 24, good_b.size() + 10, 4);
  CHECK_REFUSED(overlap, "entries 'toy.b.npy' and 'toy.W.npy' overlap");

  // The CPU-time bomb: 1400 central records all pointing at the same data.
  std::string bomb = toy_archive();
  const std::size_t cd = central_at(bomb);
  const std::string record = bomb.substr(cd, rnncell::detail::zip_central_header_size + 9);
  std::string records;
  for (int i = 0; i < 1400; ++i) records += record;
  bomb = bomb.substr(0, cd) + records + bomb.substr(bomb.size() - rnncell::detail::zip_end_size);
  patch_le(bomb, bomb.size() - 14, 1400, 2);
  patch_le(bomb, bomb.size() - 12, 1400, 2);
  patch_le(bomb, bomb.size() - 10, records.size(), 4);
  CHECK_REFUSED(bomb, "entries 'toy.b.npy' and 'toy.b.npy' overlap");

  std::string far = toy_archive();
  patch_le(far, central_at(far) + 42, 0xFFFFFFF0u - 1, 4);
  CHECK_REFUSED(far, "entry 'toy.b.npy' is truncated or corrupt");
  std::string directory = toy_archive();
  patch_le(directory, directory.size() - 6, directory.size(), 4);
  CHECK_REFUSED(directory, "central directory outside the file");
  std::string count = toy_archive();
  patch_le(count, count.size() - 12, 0xFFFE, 2);
  CHECK_REFUSED(count, "declares 65534 entries");
  std::string local = toy_archive();
  patch_le(local, central_at(local) + 42, 1, 4);
  CHECK_REFUSED(local, "entry 'toy.b.npy' is corrupt (no local header at byte 1)");
}

TEST_CASE("hostile checkpoint: huge declared sizes are refused without allocating them") {
  std::string size = toy_archive();
  patch_le(size, central_at(size) + 20, 0xFFFFFFFEu, 4);
  patch_le(size, central_at(size) + 24, 0xFFFFFFFEu, 4);
  CHECK_REFUSED(size, "entry 'toy.b.npy' is truncated or corrupt (4294967294 bytes");

  // zip64: the sizes saturated, and the extra field declaring 2^62 bytes.
  std::string zip64 = as_zip64(rnncell::detail::read_stored_zip(toy_archive(), "test"));
  const std::size_t extra = zip64.find(std::string("toy.b.npy\x01\x00\x18\x00", 13), 40) + 13;
  patch_le(zip64, extra, std::uint64_t(1) << 62, 8);
  patch_le(zip64, extra + 8, std::uint64_t(1) << 62, 8);
  CHECK_REFUSED(zip64, "entry 'toy.b.npy' is truncated or corrupt (4611686018427387904 bytes");

  std::string header_length = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", floats({1, 2, 3}), 2);
  patch_le(header_length, 8, 0xFFFFFFFFu, 4);
  CHECK_REFUSED(toy_archive(header_length), "entry 'toy.b.npy' is truncated or corrupt (4294967295 bytes");
  CHECK_REFUSED(toy_archive(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (18446744073709551615,), }", "")),
                "entry 'toy.b.npy' has shape (18446744073709551615), expected (3)");
  CHECK_REFUSED(toy_archive(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (18446744073709551616,), }", "")),
                "entry 'toy.b.npy' has a malformed .npy header (size too large");
}

TEST_CASE("hostile checkpoint: compressed (a zip bomb's way in), encrypted and unknown methods are refused") {
  std::string deflated = toy_archive();
  patch_le(deflated, central_at(deflated) + 10, rnncell::detail::zip_method_deflate, 2);
  patch_le(deflated, central_at(deflated) + 24, 0xFFFFFFFEu, 4);  // "inflates" to 4 GiB
  CHECK_REFUSED(deflated, "entry 'toy.b.npy' is compressed");
  std::string bzip2 = toy_archive();
  patch_le(bzip2, central_at(bzip2) + 10, 12, 2);
  CHECK_REFUSED(bzip2, "entry 'toy.b.npy' uses zip compression method 12");
  std::string encrypted = toy_archive();
  patch_le(encrypted, central_at(encrypted) + 8, 1, 2);
  CHECK_REFUSED(encrypted, "entry 'toy.b.npy' is encrypted");
}

TEST_CASE("hostile checkpoint: wrong dtypes, shapes and data lengths name the entry") {
  const auto b_with = [](std::string_view descr, std::string_view shape, std::string_view data) {
    return toy_archive(npy("{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " +
                               std::string(shape) + ", }",
                           data));
  };
  const std::string twelve = floats({1, 2, 3});
  CHECK_REFUSED(b_with(">f4", "(3,)", twelve), "entry 'toy.b.npy' has dtype '>f4', expected float32 ('<f4')");
  CHECK_REFUSED(b_with("<i4", "(3,)", twelve), "entry 'toy.b.npy' has dtype '<i4', expected float32");
  CHECK_REFUSED(b_with("<f4", "(3, 1)", twelve), "entry 'toy.b.npy' has shape (3, 1), expected (3)");
  CHECK_REFUSED(b_with("<f4", "()", twelve), "entry 'toy.b.npy' has shape (), expected (3)");
  CHECK_REFUSED(b_with("<f4", "(3,)", twelve + "x"), "entry 'toy.b.npy' holds 13 data bytes, expected 12");
  CHECK_REFUSED(b_with("<f4", "(3,)", twelve.substr(1)), "entry 'toy.b.npy' holds 11 data bytes, expected 12");
}

TEST_CASE("hostile checkpoint: malformed .npy headers are refused by name") {
  const std::string data = floats({1, 2, 3});
  for (const char* dict : {"", "{}", "{'descr': '<f4', 'fortran_order': False}",
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'extra': 1, }",
                           "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                           "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }",
                           "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (3,), }",
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }",
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (3,,), }",
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), } trailing",
                           "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), ",
                           "{'descr: '<f4', 'fortran_order': False, 'shape': (3,)}"}) {
    CAPTURE(dict);
    CHECK_REFUSED(toy_archive(npy(dict, data)), "entry 'toy.b.npy' has a malformed .npy header");
  }
  std::string no_newline = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data);
  no_newline[no_newline.size() - data.size() - 1] = ' ';
  CHECK_REFUSED(toy_archive(no_newline), "entry 'toy.b.npy' has a malformed .npy header (it does not end");
  std::string version = good_b;
  version[6] = 4;
  CHECK_REFUSED(toy_archive(version), "entry 'toy.b.npy' is .npy format version 4, expected 1, 2 or 3");
  CHECK_REFUSED(toy_archive("not an array"), "entry 'toy.b.npy' is not a .npy array");
  CHECK_REFUSED(toy_archive(good_b.substr(0, 9)), "entry 'toy.b.npy' is truncated or corrupt");
}

TEST_CASE("hostile checkpoint: Fortran order is honoured, in 2-D and 3-D, also with a double-quoted header") {
  temp_dir dir;
  const fs::path file = dir.path / "fortran.npz";
  std::ofstream(file, std::ios::binary) << toy_archive(
      good_b, npy("{\"descr\": \"<f4\", \"fortran_order\": True, \"shape\": (2, 4)}", floats({1, 5, 2, 6, 3, 7, 4, 8}), 3));
  toy<float> t(3, 2, 4);
  rnncell::load_npz(file, t);
  CHECK(t.W == xt::xtensor<float, 2>{{1, 2, 3, 4}, {5, 6, 7, 8}});

  xt::xtensor<double, 3, xt::layout_type::column_major> column_major = xt::zeros<double>({2, 3, 4});
  for (std::size_t i = 0; i < column_major.size(); ++i) column_major.data()[i] = double(i) * 0.5;
  const std::string bytes(reinterpret_cast<const char*>(column_major.data()), column_major.size() * sizeof(double));
  rnncell::detail::npy_array array{"<f8", true, {2, 3, 4}, bytes};
  xt::xtensor<double, 3> target = xt::zeros<double>({2, 3, 4});
  rnncell::detail::check_npy_matches(array, target, "test");
  rnncell::detail::copy_npy(array, target);
  CHECK(target == column_major);
}

TEST_CASE("hostile checkpoint: a folder or other non-regular file is refused by name") {
  temp_dir dir;
  toy<float> t(3, 2, 4);
  CHECK(load_error(dir.path, t) == "rnncell: checkpoint '" + dir.path.string() + "' is not a regular file");
  CHECK(load_error(dir.path / "absent.npz", t).find("cannot open checkpoint") != std::string::npos);
}
