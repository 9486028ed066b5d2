// read_tensors (tensors.hpp): .safetensors built here byte by byte after the format's specification
// (and .npz from save_npz's writer), read back exactly, float32 and float64, ranks 0 to 3; every
// kind of bad file refused with a message naming the file and the tensor. (PyTorch's own state
// dicts through the importers by name: test_state_dict.cpp. No input crashes it: the fuzz harness.)
#include "support/checkpoint_files.hpp"

#include <rnncell/detail/npz.hpp>
#include <rnncell/detail/zip.hpp>
#include <rnncell/tensors.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

using rnncell::tensor_map;

// One tensor of a hand-made file: header fields as written (they may lie) and the data bytes.
struct record {
  std::string name, dtype, shape, offsets;  // JSON text: "F32", "[2, 3]", "[0, 24]"
};

// 8-byte little-endian header length, the JSON header padded with spaces to 8 bytes, the data.
std::string safetensors(const std::vector<record>& records, const std::string& data,
                        const std::string& metadata = R"("__metadata__": {"format": "pt"})") {
  std::string header = "{";
  for (const record& r : records)
    header += "\"" + r.name + "\": {\"dtype\": \"" + r.dtype + "\", \"shape\": " + r.shape +
              ", \"data_offsets\": " + r.offsets + "}, ";
  header += metadata + "}";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string out;
  rnncell::detail::append_le(out, header.size(), 8);
  return out + header + data;
}

template <class S>
std::string bytes_of(const std::vector<S>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(S));
}

std::string zip(const std::vector<rnncell::detail::zip_member>& members) {
  return rnncell::detail::make_stored_zip(members);
}

tensor_map read(const std::string& bytes) { return rnncell::detail::tensors_from_bytes(bytes, "rnncell: tensor file 'f'"); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string error_of(const std::string& bytes) {
  try {
    read(bytes);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("read_tensors reads .safetensors exactly: F32 and F64, ranks 0 to 3, names with escapes") {
  const std::vector<float> a{1.5f, -2.25f, 3.0f, 0.1f, -0.0f, 7.0f};
  const std::vector<double> b{0.1, -1e300, 3.25};
  const std::string data = bytes_of(a) + bytes_of(b) + bytes_of(std::vector<float>{42.0f});
  const auto t = read(safetensors({{"rnn.weight_ih_l0", "F32", "[2, 1, 3]", "[0, 24]"},
                                   {"x\\u00e9\\ud83d\\ude00", "F64", "[3]", "[24, 48]"},
                                   {"scalar", "F32", "[]", "[48, 52]"},
                                   {"empty", "F64", "[0, 4]", "[52, 52]"}},
                                  data));
  REQUIRE(t.size() == 4);
  const auto& w = t.at("rnn.weight_ih_l0");
  CHECK(w.shape() == std::vector<std::size_t>{2, 1, 3});
  CHECK(w(1, 0, 0) == double(0.1f));  // float32 values are exact as double
  CHECK(w(0, 0, 1) == -2.25);
  const auto& e = t.at("x\xc3\xa9\xf0\x9f\x98\x80");  // \u00e9 and a surrogate pair, as UTF-8
  CHECK(e(0) == 0.1);
  CHECK(e(1) == -1e300);
  CHECK(t.at("scalar").size() == 1);
  CHECK(t.at("scalar")() == 42.0);
  CHECK(t.at("empty").size() == 0);
  CHECK(read(safetensors({}, "", "\"__metadata__\": {}")).empty());
}

TEST_CASE("read_tensors reads .npz (numpy.savez's archives), Fortran order included") {
  xt::xtensor<double, 2> m = {{1, 2, 3}, {4, 5, 6}};
  xt::xtensor<float, 1> v = {0.5f, -1.5f};
  const std::string archive = zip(
      {{"fc.weight.npy", rnncell::detail::npy_bytes(m)}, {"fc.bias.npy", rnncell::detail::npy_bytes(v)}});
  const auto t = read(archive);
  REQUIRE(t.size() == 2);
  CHECK(t.at("fc.weight")(1, 2) == 6.0);
  CHECK(t.at("fc.bias")(1) == -1.5);
  // The same matrix column-major, as NumPy writes a Fortran-ordered array.
  const std::vector<double> column_major{1, 4, 2, 5, 3, 6};
  const std::string npy = rnncell::detail::npy_bytes(m);
  std::string header = npy.substr(0, npy.find('\n') + 1);
  const std::size_t order = header.find("False");
  REQUIRE(order != std::string::npos);
  header.replace(order, 5, "True ");
  const auto f = read(zip({{"m.npy", header + bytes_of(column_major)}}));
  CHECK(f.at("m") == xt::xarray<double>(m));
}

TEST_CASE("read_tensors refuses bad files, naming the file and the tensor") {
  const std::string data = bytes_of(std::vector<float>(6, 1.0f));
  const auto bad = [&](const std::vector<record>& r, const std::string& d = "") { return error_of(safetensors(r, d)); };
  // A header length past the end of the file, and a file too short for the length itself.
  std::string lying = safetensors({{"a", "F32", "[6]", "[0, 24]"}}, data);
  lying[1] = char(0x10);  // 4 KiB more header than the file holds
  CHECK(contains(error_of(lying), "rnncell: tensor file 'f' is truncated or corrupt ("));
  CHECK(contains(error_of(lying), " bytes at byte 8 run past the end of the data)"));
  CHECK(contains(error_of("abc"), "'f' is truncated or corrupt"));
  CHECK(bad({{"a", "F32", "[6]", "[0, 28]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' has data_offsets [0, 28] past the end of the data (24 bytes)");
  CHECK(bad({{"a", "F32", "[7]", "[0, 24]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' holds 24 bytes, but its shape (7) of F32 needs 28");
  CHECK(bad({{"a", "F32", "[3]", "[0, 12]"}, {"b", "F32", "[3]", "[8, 20]"}}, data) ==
        "rnncell: tensor file 'f': tensors 'a' and 'b' overlap");
  CHECK(bad({{"a", "F32", "[1]", "[8, 4]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' has data_offsets [8, 4] that end before they begin");
  CHECK(bad({{"a", "BF16", "[12]", "[0, 24]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' has dtype 'BF16'; rnncell reads F32 and F64");
  CHECK(bad({{"a", "F32", "[3]", "[0, 12]"}, {"a", "F32", "[3]", "[12, 24]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' appears more than once");
  CHECK(bad({{"a", "F32", "[18446744073709551615, 2]", "[0, 24]"}}, data) ==
        "rnncell: tensor file 'f': tensor 'a' has a shape too large: (18446744073709551615, 2)");
  // Malformed JSON: each names the byte.
  CHECK(contains(bad({{"a", "F32", "[6, -1]", "[0, 24]"}}, data), "malformed header (expected a non-negative integer"));
  CHECK(contains(bad({{"a", "F32", "[6.0]", "[0, 24]"}}, data), "malformed header (a number that is not an integer"));
  CHECK(contains(bad({{"a", "F32", "[6]", "[0, 24, 1]"}}, data), "data_offsets of 3 numbers, not 2"));
  CHECK(contains(bad({{"a\\q", "F32", "[6]", "[0, 24]"}}, data), "malformed header (an unknown escape"));
  CHECK(contains(bad({{"a\\ud800", "F32", "[6]", "[0, 24]"}}, data), "a high surrogate without its low one"));
  CHECK(contains(error_of(safetensors({}, "", "\"__metadata__\": {}, \"__metadata__\": {}")),
                 "a second \"__metadata__\""));
  std::string extra_key = safetensors({{"a", "F32", "[6]", "[0, 24]"}}, data);
  extra_key.replace(extra_key.find("\"dtype\""), 7, "\"dtypo\"");
  CHECK(contains(error_of(extra_key), "an unexpected or repeated key 'dtypo' in tensor 'a'"));
  // .npz: a dtype other than float32 / float64, and a non-.npy entry.
  const xt::xtensor<int, 1> ints = {1, 2};
  CHECK(contains(error_of(zip({{"i.npy", rnncell::detail::npy_bytes(ints)}})),
                 "entry 'i.npy' has dtype '<i4'; rnncell reads float32 ('<f4') and float64 ('<f8')"));
  CHECK(contains(error_of(zip({{"notes.txt", "hello"}})), "entry 'notes.txt' is not an .npy array"));
}

TEST_CASE("read_tensors names the file it cannot read") {
  checkpoint_test::temp_dir dir;
  CHECK_THROWS_WITH_AS(rnncell::read_tensors(dir.path / "absent.safetensors"),
                       ("rnncell: cannot open tensor file '" + (dir.path / "absent.safetensors").string() + "': no such file").c_str(),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(rnncell::read_tensors(dir.path),
                       ("rnncell: tensor file '" + dir.path.string() + "' is not a regular file").c_str(),
                       std::runtime_error);
}
