// The Adam update kernel (kernels/adam_update.hpp) on every path this CPU has, against the update
// written out in long double from the same state: entry counts below, at and around the vector
// widths (the masked tail), each clipping (none, a global-norm scale, a value bound), float and
// double, three steps in a row; entries past n untouched; a NaN gradient makes its own parameter
// NaN and no other; every path within 1e-6 of the portable one.
#include "support/kernel_paths.hpp"

#include <rnncell/kernels/adam_update.hpp>
#include <rnncell/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <string>
#include <vector>

using namespace rnncell;
using kernels::isa;

namespace {

constexpr std::size_t entry_counts[] = {1, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000};
constexpr std::size_t margin = 5;  // sentinel entries past n in every buffer
constexpr double sentinel = 777;

struct clipping {
  std::string name;
  double scale, limit;
};

const clipping clippings[] = {{"none", 1, std::numeric_limits<double>::infinity()},
                              {"global-norm scale 0.37", 0.37, std::numeric_limits<double>::infinity()},
                              {"value bound 0.2", 1, 0.2}};

// Three updates of n entries on path; each step's p, m, v compared with the long double update
// of the state the kernel started from. Returns every value it computed.
template <class T>
std::vector<T> check_updates(isa path, const clipping& clip, double tolerance) {
  CAPTURE(kernels::isa_name(path));
  CAPTURE(clip.name);
  std::vector<T> results;
  for (std::size_t n : entry_counts) {
    CAPTURE(n);
    rng g(n);
    std::vector<T> p(n + margin, T(sentinel)), m(n + margin, T(sentinel)), v(n + margin, T(sentinel)),
        gradient(n + margin, T(sentinel));
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = T(g.uniform(-1, 1));
      m[i] = T(g.uniform(-0.1, 0.1));
      v[i] = T(g.uniform(0, 0.01));
    }
    const kernels::adam_constants<T> c{.beta1 = T(0.9), .beta2 = T(0.999), .step_size = T(1e-3 * 1.7),
                                       .epsilon = T(1e-7), .grad_scale = T(clip.scale), .grad_limit = T(clip.limit)};
    for (int step = 0; step < 3; ++step) {
      CAPTURE(step);
      for (std::size_t i = 0; i < n; ++i) gradient[i] = T(g.uniform(-1, 1));
      // Each value's error relative to the sum of its terms' magnitudes: m's two terms may cancel.
      double worst = 0;
      std::vector<long double> expected[3], scale[3];  // p, m, v
      for (auto* e : {expected, scale})
        for (std::size_t k = 0; k < 3; ++k) e[k].resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const long double b1 = c.beta1, b2 = c.beta2;
        const long double gi = std::clamp((long double)gradient[i] * c.grad_scale, -(long double)c.grad_limit,
                                          (long double)c.grad_limit);
        expected[1][i] = b1 * m[i] + ((long double)1 - b1) * gi;
        scale[1][i] = std::abs(b1 * m[i]) + std::abs(((long double)1 - b1) * gi);
        expected[2][i] = scale[2][i] = b2 * v[i] + ((long double)1 - b2) * gi * gi;
        const long double delta = c.step_size * expected[1][i] / (std::sqrt(expected[2][i]) + c.epsilon);
        expected[0][i] = p[i] - delta;
        scale[0][i] = std::abs((long double)p[i]) + std::abs(delta);
      }
      kernels::adam_update(path, p.data(), m.data(), v.data(), gradient.data(), n, c);
      for (std::size_t i = 0; i < n; ++i)
        for (const auto& [got, k] : {std::pair{p[i], 0}, {m[i], 1}, {v[i], 2}})
          worst = std::max(worst, double(std::abs(got - expected[k][i]) / std::max(scale[k][i], 1e-30L)));
      CHECK(worst <= tolerance);
      for (std::size_t i = n; i < n + margin; ++i) {
        CHECK(p[i] == T(sentinel));
        CHECK(m[i] == T(sentinel));
        CHECK(v[i] == T(sentinel));
      }
    }
    results.insert(results.end(), p.begin(), p.begin() + std::ptrdiff_t(n));
    results.insert(results.end(), m.begin(), m.begin() + std::ptrdiff_t(n));
    results.insert(results.end(), v.begin(), v.begin() + std::ptrdiff_t(n));
  }
  return results;
}

}  // namespace

TEST_CASE("adam_update: every path, every clipping, float and double, against long double") {
  for (const clipping& clip : clippings) {
    test::check_paths_agree([&](isa path) { return check_updates<float>(path, clip, 3e-7); }, 1e-6);
    test::check_paths_agree([&](isa path) { return check_updates<double>(path, clip, 1e-14); }, 1e-15);
  }
}

TEST_CASE("adam_update: a NaN gradient makes its own parameter NaN and no other, on every path") {
  for (isa path : {isa::portable, isa::avx2, isa::avx512}) {
    if (!kernels::cpu_supports(path)) continue;
    CAPTURE(kernels::isa_name(path));
    for (const clipping& clip : clippings) {
      CAPTURE(clip.name);
      constexpr std::size_t n = 19, bad = 17;  // in the masked tail of both vector widths
      std::vector<float> p(n, 0.5f), m(n, 0.0f), v(n, 0.0f), gradient(n, 0.25f);
      gradient[bad] = std::numeric_limits<float>::quiet_NaN();
      kernels::adam_update(path, p.data(), m.data(), v.data(), gradient.data(), n,
                           {.beta1 = 0.9f, .beta2 = 0.999f, .step_size = 1e-3f, .epsilon = 1e-7f,
                            .grad_scale = float(clip.scale), .grad_limit = float(clip.limit)});
      for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        CHECK(std::isnan(p[i]) == (i == bad));
      }
    }
  }
}
