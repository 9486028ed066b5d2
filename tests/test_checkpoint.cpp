// Checkpoints: round trips, interchange with NumPy in both directions, and the error for each
// kind of bad file. The NumPy cases run the system python3; in CI (CI=true) it must be there.
#include "support/checkpoint_files.hpp"

#include <rnncell/checkpoint.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef RNNCELL_TEST_PYTHON
#define RNNCELL_TEST_PYTHON "/usr/bin/python3"  // Debian's, the one with python3-numpy
#endif

namespace fs = std::filesystem;

namespace {

using namespace checkpoint_test;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool python_with_numpy() {
  return std::system((RNNCELL_TEST_PYTHON " -c 'import numpy' >/dev/null 2>&1")) == 0;
}

/// True if python3 with numpy can run; otherwise says so, and fails when CI=true (CI installs it).
bool require_python() {
  if (python_with_numpy()) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string_view(ci) == "true")
    FAIL_CHECK(RNNCELL_TEST_PYTHON " with numpy is missing, and CI=true requires it");
  else
    MESSAGE(RNNCELL_TEST_PYTHON " with numpy not found: skipping the NumPy interchange checks");
  return false;
}

/// Runs a python3 script with `args`; returns its output, failing the test if it fails.
std::string run_python(const temp_dir& dir, const std::string& script, const std::vector<fs::path>& args) {
  const fs::path out = dir.path / "python-output.txt";
  std::string command = RNNCELL_TEST_PYTHON " -c " + shell_quote(script);
  for (const auto& a : args) command.append(" ").append(shell_quote(a.string()));
  command += " > " + shell_quote(out.string()) + " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(out);
  std::string output{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  INFO("python output: " << output);
  REQUIRE(status == 0);
  return output;
}

/// "name dtype shape checksum" per parameter, as the NumPy side of the numpy-reads-ours test
/// prints it: the checksum weighs each value by its row-major position, so transposes show.
template <class T>
std::string checksums(toy<T>& t) {
  std::ostringstream s;
  t.for_each_parameter([&](std::string_view name, auto& p) {
    double sum = 0;
    std::size_t i = 0;
    for (auto v : p) sum += static_cast<double>(v) * static_cast<double>(++i);
    std::string shape;
    for (auto n : p.shape()) shape += (shape.empty() ? "" : "x") + std::to_string(n);
    char number[64];
    std::snprintf(number, sizeof number, "%.17g", sum);
    s << name << ' ' << (sizeof(T) == 4 ? "float32" : "float64") << ' ' << shape << ' ' << number << '\n';
  });
  return s.str();
}

template <class T>
void check_round_trip() {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<T> saved(3, 2, 4);
  saved.fill(0.5);
  rnncell::save_npz(file, saved);

  toy<T> loaded(3, 2, 4);
  rnncell::load_npz(file, loaded);
  CHECK(loaded.b == saved.b);
  CHECK(loaded.W == saved.W);
}

}  // namespace

TEST_CASE("checkpoint: float and double parameters survive a save/load round trip") {
  check_round_trip<float>();
  check_round_trip<double>();
}

TEST_CASE("checkpoint: a real model round-trips: same parameters, same outputs") {
  using model = rnncell::Model<rnncell::Stacked<rnncell::GRUCell<5, 7>, 2>, rnncell::Dense<7, 3>>;
  temp_dir dir;
  model saved(1), loaded(2);
  xt::xtensor<float, 3> x = xt::zeros<float>({4, 2, 5});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i % 7) * 0.125f - 0.375f;
  const xt::xtensor<float, 2> expected = saved.predict(x);
  REQUIRE(loaded.predict(x) != expected);  // differently seeded: the load has something to do

  rnncell::save_npz(dir.path / "model.npz", saved);
  rnncell::load_npz(dir.path / "model.npz", loaded);
  std::vector<xt::xarray<float>> saved_parameters;
  saved.for_each_parameter([&](std::string_view, auto& p) { saved_parameters.emplace_back(p); });
  std::size_t i = 0;
  loaded.for_each_parameter([&](std::string_view name, auto& p) {
    CAPTURE(name);
    CHECK(xt::xarray<float>(p) == saved_parameters.at(i++));
  });
  CHECK(i == saved_parameters.size());
  CHECK(loaded.predict(x) == expected);
}

TEST_CASE("checkpoint: zip64 records (central directory extras, zip64 end record) are read") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<double> saved(3, 2, 4);
  saved.fill(3.0);
  rnncell::save_npz(file, saved);
  const std::string plain = file_bytes(file);
  std::ofstream(file, std::ios::binary) << as_zip64(rnncell::detail::read_stored_zip(plain, "test"));
  REQUIRE(file_bytes(file).size() > plain.size());

  toy<double> loaded(3, 2, 4);
  rnncell::load_npz(file, loaded);
  CHECK(loaded.b == saved.b);
  CHECK(loaded.W == saved.W);
}

TEST_CASE("checkpoint: saving replaces the file atomically and leaves no temporary files") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<float> first(3, 2, 4), second(3, 2, 4), loaded(3, 2, 4);
  first.fill(1.0);
  second.fill(-7.0);
  rnncell::save_npz(file, first);
  rnncell::save_npz(file, second);
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  rnncell::load_npz(file, loaded);
  CHECK(loaded.W == second.W);
}

TEST_CASE("checkpoint: NumPy reads what save_npz writes") {
  if (!require_python()) return;
  temp_dir dir;
  const std::string script =
      "import sys, numpy as np\n"
      "with np.load(sys.argv[1]) as z:\n"
      "    for k in sorted(z.files, key=lambda k: k != 'toy.b'):\n"
      "        a = z[k]\n"
      "        w = np.arange(1, a.size + 1, dtype=np.float64).reshape(a.shape)\n"
      "        s = float((a.astype(np.float64) * w).sum())\n"
      "        print(k, a.dtype, 'x'.join(map(str, a.shape)), '%.17g' % s)\n";
  toy<float> f(3, 2, 4);
  f.fill(0.5);
  rnncell::save_npz(dir.path / "float.npz", f);
  CHECK(run_python(dir, script, {dir.path / "float.npz"}) == checksums(f));

  toy<double> d(5, 3, 2);
  d.fill(-2.0);
  rnncell::save_npz(dir.path / "double.npz", d);
  CHECK(run_python(dir, script, {dir.path / "double.npz"}) == checksums(d));
}

TEST_CASE("checkpoint: load_npz reads numpy.savez files, Fortran-ordered arrays included") {
  if (!require_python()) return;
  temp_dir dir;
  run_python(dir,
             "import sys, numpy as np\n"
             "W = np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3) * 0.25)\n"
             "assert not W.flags.c_contiguous\n"
             "np.savez(sys.argv[1], **{'toy.b': np.array([0.5, -1.25, 2.0], dtype=np.float32), 'toy.W': W})\n",
             {dir.path / "from_numpy.npz"});
  toy<float> t(3, 2, 3);
  rnncell::load_npz(dir.path / "from_numpy.npz", t);
  CHECK(t.b == xt::xtensor<float, 1>{0.5f, -1.25f, 2.0f});
  CHECK(t.W == xt::xtensor<float, 2>{{0.0f, 0.25f, 0.5f}, {0.75f, 1.0f, 1.25f}});
}

TEST_CASE("checkpoint: compressed entries (numpy.savez_compressed) are refused by name") {
  if (!require_python()) return;
  temp_dir dir;
  const fs::path file = dir.path / "compressed.npz";
  run_python(dir,
             "import sys, numpy as np\n"
             "np.savez_compressed(sys.argv[1], **{'toy.b': np.zeros(3, np.float32), 'toy.W': np.zeros((2, 3), np.float32)})\n",
             {file});
  toy<float> t(3, 2, 3);
  const std::string error = load_error(file, t);
  CHECK(error.find(file.string()) != std::string::npos);
  CHECK(error.find("entry 'toy.b.npy' is compressed") != std::string::npos);
  CHECK(error.find("numpy.savez") != std::string::npos);
}

TEST_CASE("checkpoint: a truncated or non-zip file is an error naming the path") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<float> t(3, 2, 4);
  t.fill(0.0);
  rnncell::save_npz(file, t);
  const auto full = fs::file_size(file);
  toy<float> loaded(3, 2, 4);
  for (auto keep : {full - 1, full / 2, std::uintmax_t{0}}) {
    CAPTURE(keep);
    fs::resize_file(file, keep);
    const std::string error = load_error(file, loaded);
    CHECK(error.find(file.string()) != std::string::npos);
    CHECK(error.find("not a zip archive or is truncated") != std::string::npos);
  }
  std::ofstream(file) << "this is not a zip file, it is a sentence long enough to search for a record\n";
  CHECK(load_error(file, loaded).find("not a zip archive or is truncated") != std::string::npos);
  CHECK(load_error(dir.path / "absent.npz", loaded).find("cannot open checkpoint") != std::string::npos);
  CHECK(loaded.W == xt::zeros<float>({2, 4}));
}

TEST_CASE("checkpoint: a corrupted byte fails the CRC check") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<float> t(3, 2, 4);
  rnncell::save_npz(file, t);
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(100);  // inside the first entry's array data
  f.put('\x7f');
  f.close();
  CHECK(load_error(file, t).find("entry 'toy.b.npy' is corrupt (CRC-32 mismatch)") != std::string::npos);
}

TEST_CASE("checkpoint: shape or dtype mismatches name the entry, expected and found, and change nothing") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<float> saved(3, 2, 4);
  saved.fill(0.5);
  rnncell::save_npz(file, saved);

  toy<float> transposed(3, 4, 2);
  CHECK(load_error(file, transposed) ==
        "rnncell: checkpoint '" + file.string() + "': entry 'toy.W.npy' has shape (2, 4), expected (4, 2)");
  CHECK(transposed.b == xt::zeros<float>({3}));  // toy.b matched, but nothing is written on error

  toy<double> wider(3, 2, 4);
  CHECK(load_error(file, wider) == "rnncell: checkpoint '" + file.string() +
                                       "': entry 'toy.b.npy' has dtype float32 ('<f4'), expected float64 ('<f8')");
}

TEST_CASE("checkpoint: missing and unexpected entries are errors") {
  temp_dir dir;
  const fs::path file = dir.path / "toy.npz";
  toy<float> plain(3, 2, 4), extended(3, 2, 4);
  extended.with_extra = true;

  rnncell::save_npz(file, plain);
  CHECK(load_error(file, extended) ==
        "rnncell: checkpoint '" + file.string() + "' does not match the model: missing entries 'toy.extra.npy';");

  rnncell::save_npz(file, extended);
  CHECK(load_error(file, plain) ==
        "rnncell: checkpoint '" + file.string() + "' does not match the model: unexpected entries 'toy.extra.npy';");
}
