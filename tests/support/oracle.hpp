#pragma once
// Reading the PyTorch oracle fixtures (tests/oracle/*.py wrote them as float64 .npy files) and
// comparing rnncell's numbers with them: shared by every oracle test. The fixture folder comes
// from the compile definition RNNCELL_ORACLE_DIR.
#include <doctest/doctest.h>
#include <xtensor/xarray.hpp>
#include <xtensor/xnpy.hpp>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#ifndef RNNCELL_ORACLE_DIR
#error "compile with -DRNNCELL_ORACLE_DIR=\"<repo>/tests/oracle/fixtures\""
#endif

namespace rnncell::test {

inline std::filesystem::path fixture_path(std::string_view case_name, std::string_view name) {
  return std::filesystem::path(RNNCELL_ORACLE_DIR) / case_name / (std::string(name) + ".npy");
}

template <class Stored = double>
xt::xarray<Stored> load_raw(std::string_view case_name, std::string_view name) {
  const auto path = fixture_path(case_name, name);
  REQUIRE_MESSAGE(std::filesystem::exists(path),
                  "missing oracle fixture " << path << " (regenerate: /usr/bin/python3 tests/oracle/make_fixtures.py)");
  return xt::load_npy<Stored>(path.string());
}

template <class T, std::size_t N>
xt::xtensor<T, N> load(std::string_view case_name, std::string_view name) {
  auto a = load_raw(case_name, name);
  REQUIRE_MESSAGE(a.dimension() == N, case_name << "/" << name << ".npy has " << a.dimension()
                                                << " dimensions, expected " << N);
  return xt::cast<T>(a);
}

template <class A, class B>
bool shapes_match(const A& a, const B& b) {
  return a.dimension() == b.dimension() && std::equal(a.shape().begin(), a.shape().end(), b.shape().begin());
}

// Writes a fixture into a parameter the library sized itself: a shape mismatch means the
// fixture and the cell disagree on the layout, which must fail loudly, not resize silently.
template <class Tensor>
void assign_from(Tensor& dst, const xt::xarray<double>& src, std::string_view what) {
  REQUIRE_MESSAGE(shapes_match(dst, src), what << ": fixture shape differs from the parameter's");
  dst = xt::cast<typename Tensor::value_type>(src);
}

// Largest |actual - expected| / max(1, |expected|): absolute near zero, relative for big values.
template <class A>
double max_error(const A& actual, const xt::xarray<double>& expected) {
  const xt::xarray<double> a = xt::cast<double>(actual);
  REQUIRE_MESSAGE(shapes_match(a, expected), "result shape differs from the fixture's");
  double err = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double e = expected.flat(i);
    err = std::max(err, std::abs(a.flat(i) - e) / std::max(1.0, std::abs(e)));
  }
  return err;
}

// Collects one line of max errors per case (printed once) and checks each against the tolerance.
class comparison {
 public:
  comparison(std::string label, double tolerance) : label_(std::move(label)), tolerance_(tolerance) {}
  ~comparison() { MESSAGE(label_ << ": max error " << worst_ << " (tolerance " << tolerance_ << ")" << report_.str()); }

  template <class A>
  void operator()(std::string_view what, const A& actual, const xt::xarray<double>& expected) {
    const double err = max_error(actual, expected);
    INFO(label_ << " " << what << ": max error " << err);
    CHECK(err < tolerance_);
    report_ << " " << what << "=" << err;
    worst_ = std::max(worst_, err);
  }
  void operator()(std::string_view what, double actual, const xt::xarray<double>& expected) {
    (*this)(what, xt::xarray<double>{actual}, expected);
  }

 private:
  std::string label_;
  double tolerance_;
  double worst_ = 0;
  std::ostringstream report_;
};

// Parameter "layer1.Wx" lives in layer1_Wx.npy and its gradient in layer1_dWx.npy.
inline std::string fixture_name(std::string_view parameter, bool gradient) {
  const auto dot = parameter.rfind('.');
  const std::string prefix = dot == std::string_view::npos ? "" : std::string(parameter.substr(0, dot)) + "_";
  const auto leaf = parameter.substr(dot == std::string_view::npos ? 0 : dot + 1);
  return prefix + (gradient ? "d" : "") + std::string(leaf);
}

template <class Net>
std::size_t load_parameters(Net& net, std::string_view case_name) {
  std::size_t count = 0;
  net.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto&) {
    assign_from(p, load_raw(case_name, fixture_name(name, false)), name);
    ++count;
  });
  return count;
}

template <class Net>
void compare_gradients(Net& net, std::string_view case_name, comparison& compare) {
  net.for_each_parameter_and_grad([&](std::string_view name, auto&, auto& g) {
    compare(fixture_name(name, true), g, load_raw(case_name, fixture_name(name, true)));
  });
}

template <class A, class W>
double weighted_loss(const A& hs, const W& w) {
  double loss = 0;
  for (std::size_t i = 0; i < w.size(); ++i) loss += double(hs.flat(i)) * double(w.flat(i));
  return loss;
}

// The inverse of the importer's mapping, written independently here (H the hidden width): ours has gate columns
// [z|r|n] with z negated (h' = (1-z)h + zn); PyTorch has gate rows [r|z|n].
template <std::size_t H, class T>
xt::xarray<double> ours_to_pytorch(const xt::xtensor<T, 2>& ours) {
  const std::size_t rows = ours.shape(0);
  xt::xarray<double> out = xt::zeros<double>({3 * H, rows});
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < H; ++j) {
      out(j, i) = ours(i, H + j);              // r
      out(H + j, i) = -ours(i, j);             // z, negated
      out(2 * H + j, i) = ours(i, 2 * H + j);  // n
    }
  return out;
}

template <std::size_t H, class T>
xt::xarray<double> ours_to_pytorch(const xt::xtensor<T, 1>& ours) {
  xt::xarray<double> out = xt::zeros<double>({3 * H});
  for (std::size_t j = 0; j < H; ++j) {
    out(j) = ours(H + j);
    out(H + j) = -ours(j);
    out(2 * H + j) = ours(2 * H + j);
  }
  return out;
}

}  // namespace rnncell::test
