#pragma once
// Running on every kernel path and comparing results between paths: a check run with each path
// forced in turn (on_every_path), the error measure, and for the kernel tests (test_small_gemm.cpp,
// test_weight_gradient.cpp, test_adam_update.cpp) a check run on each instruction-set path named
// explicitly, its results compared with the portable path's.
#include <rnncell/kernels/isa.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace rnncell::test {

/// Largest |a - b| over one row, relative to the row's largest |b| (h lies in (-1, 1), so a
/// per-entry relative error would blow up where h crosses zero).
template <class T>
double row_error(std::span<const T> got, const T* expected) {
  double worst = 0, scale = 1e-30;
  for (std::size_t j = 0; j < got.size(); ++j) {
    worst = std::max(worst, std::abs(double(got[j]) - double(expected[j])));
    scale = std::max(scale, std::abs(double(expected[j])));
  }
  return worst / scale;
}

/// Runs check(path) once per kernel path this CPU supports, with that path forced.
template <class F>
void on_every_path(F&& check) {
  using kernels::isa;
  for (isa path : {isa::portable, isa::avx2, isa::avx512}) {
    if (!kernels::cpu_supports(path)) {
      MESSAGE("this CPU has no " << kernels::isa_name(path) << " path: not tested here");
      continue;
    }
    kernels::force_isa(path);
    CAPTURE(kernels::isa_name(path));
    check(path);
  }
  kernels::clear_forced_isa();
}

/// Runs check(path) on the portable path and on each x86 path this CPU has (a missing one is
/// reported, not failed); each path's results must be within tolerance of the portable path's,
/// relative to the largest portable result.
/// @param check a callable (kernels::isa) -> std::vector<T> that makes its own assertions and
///        returns every value it computed, in a fixed order.
/// @param tolerance the largest relative difference allowed.
template <class Check>
void check_paths_agree(Check check, double tolerance) {
  using kernels::isa;
  const auto reference = check(isa::portable);
  for (isa path : {isa::avx2, isa::avx512}) {
    if (!kernels::cpu_supports(path)) {
      MESSAGE("this CPU has no " << kernels::isa_name(path) << " path: not tested here");
      continue;
    }
    const auto got = check(path);
    REQUIRE(got.size() == reference.size());
    CAPTURE(kernels::isa_name(path));
    CHECK(row_error(std::span(got), reference.data()) <= tolerance);
  }
}

}  // namespace rnncell::test
