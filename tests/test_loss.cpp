// Softmax cross-entropy against a long double reference on the same logits: float (a polynomial
// exp) within 1e-6 relative, double (std::exp) within 1e-12, on random logits and on extreme rows
// where a naive exp overflows or underflows; the gradient-only call writes the same gradient;
// float on every kernel path.
#include "support/kernel_paths.hpp"

#include <rnncell/loss.hpp>
#include <rnncell/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace {

// Loss and gradient as the definition writes them, in long double from a row's shifted logits.
struct reference {
  long double loss = 0;
  std::vector<long double> dlogits;
};

reference reference_cross_entropy(const std::vector<float>& logits, const std::vector<int>& labels,
                                  std::size_t classes) {
  const std::size_t batch = labels.size();
  reference r;
  r.dlogits.resize(logits.size());
  for (std::size_t i = 0; i < batch; ++i) {
    const float* z = logits.data() + i * classes;
    const long double top = *std::max_element(z, z + classes);
    long double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += std::exp((long double)z[c] - top);
    r.loss += (std::log(sum) - ((long double)z[labels[i]] - top)) / (long double)batch;
    for (std::size_t c = 0; c < classes; ++c) {
      const long double p = std::exp((long double)z[c] - top) / sum;
      r.dlogits[i * classes + c] = (p - (int(c) == labels[i] ? 1 : 0)) / (long double)batch;
    }
  }
  return r;
}

// Largest |actual - expected| / |expected| over the entries at or above floor; an entry below it
// (beyond what T resolves: float's exp stops at exp(-87) ~ 1.6e-38) must be within floor of it,
// else the error is infinite.
template <class T>
double max_relative_error(const std::vector<T>& actual, const std::vector<long double>& expected, double floor) {
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double e = double(expected[i]), difference = std::abs(double(actual[i]) - e);
    const double error = std::abs(e) >= floor ? difference / std::abs(e)
                         : difference <= floor ? 0
                                               : std::numeric_limits<double>::infinity();
    worst = std::max(worst, error);
  }
  return worst;
}

// Runs T's loss and gradient on logits (given as float, exact in both types) and compares.
template <class T>
void check_against_reference(const std::string& what, const std::vector<float>& logits,
                             const std::vector<int>& labels, std::size_t classes, double tolerance) {
  const std::size_t batch = labels.size();
  const std::vector<T> z(logits.begin(), logits.end());
  std::vector<T> dlogits(z.size()), gradient_only(z.size());
  const double loss = rnncell::softmax_cross_entropy(z.data(), labels, batch, classes, dlogits.data());
  rnncell::softmax_cross_entropy_gradient(z.data(), labels, batch, classes, gradient_only.data());
  const reference r = reference_cross_entropy(logits, labels, classes);

  const double loss_error = std::abs(loss - double(r.loss)) / std::max(std::abs(double(r.loss)), 1e-30);
  const double gradient_error = max_relative_error(dlogits, r.dlogits, sizeof(T) == 4 ? 1.6e-38 : 1e-300);
  MESSAGE(what << ": loss relative error " << loss_error << ", gradient " << gradient_error << " (tolerance "
               << tolerance << ")");
  CHECK(std::isfinite(loss));
  CHECK(loss_error <= tolerance);
  CHECK(gradient_error <= tolerance);
  CHECK(dlogits == gradient_only);
}

template <class T>
void check_random_and_extreme(double tolerance) {
  const std::string type = sizeof(T) == 4 ? "float" : "double";
  constexpr std::size_t batch = 256, classes = 256;
  rnncell::rng g(11);
  std::vector<float> logits(batch * classes);
  std::vector<int> labels(batch);
  for (auto& z : logits) z = float(g.uniform(-30, 30));
  for (auto& y : labels) y = int(g.below(classes));
  check_against_reference<T>(type + ", random logits in [-30, 30]", logits, labels, classes, tolerance);

  // Rows far outside exp's range (1e4, -1e4), all equal (at 0 and at 1e4), label at the largest
  // logit, at the smallest and in between: the loss ranges from 0 to 2e4.
  constexpr std::size_t wide = 10;
  const std::vector<float> extreme{
      1e4f,  -1e4f, 0,    0,    0,    0,    0,    0,    0,    0,     // label 0: loss ~0, p_label ~1
      1e4f,  -1e4f, 0,    0,    0,    0,    0,    0,    0,    0,     // label 1: loss 2e4
      1e4f,  1e4f,  1e4f, 1e4f, 1e4f, 1e4f, 1e4f, 1e4f, 1e4f, 1e4f,  // all equal and huge: log 10
      0,     0,     0,    0,    0,    0,    0,    0,    0,    0,     // all equal: log 10
      -1e4f, -1e4f, 1e4f, -1e4f, -1e4f, 3,  -3,   1e4f, 20,   -1e4f,  // two maxima, label below them
      30,    29.9f, -30,  -87,  -88,  -100, 10,   -29,  0.5f, 1,     // near exp's clamp at -87
  };
  check_against_reference<T>(type + ", extreme rows", extreme, {0, 1, 5, 9, 8, 3}, wide, tolerance);
}

}  // namespace

TEST_CASE("loss: float softmax cross-entropy is within 1e-6 of the exact one, double within 1e-12") {
  check_random_and_extreme<float>(1e-6);
  check_random_and_extreme<double>(1e-12);
}

TEST_CASE("loss: float softmax cross-entropy on every kernel path within 1e-6 of the exact one") {
  // The rows run compiled for the active path (loss.hpp): each path's exp, not only the build's.
  rnncell::test::on_every_path([](rnncell::kernels::isa) { check_random_and_extreme<float>(1e-6); });
}

TEST_CASE("loss: the extreme rows' values are the exact ones") {
  const std::vector<float> z{1e4f, -1e4f, 0, 0};
  std::vector<float> d(4);
  CHECK(rnncell::softmax_cross_entropy(z.data(), std::vector<int>{1}, 1, 4, d.data()) == doctest::Approx(2e4));
  CHECK(d[0] == doctest::Approx(1.0));  // p(0) = 1, not the label
  CHECK(d[1] == doctest::Approx(-1.0));
  const std::vector<float> equal(4, 1e4f);
  CHECK(rnncell::softmax_cross_entropy(equal.data(), std::vector<int>{2}, 1, 4, d.data()) ==
        doctest::Approx(std::log(4.0)).epsilon(1e-12));
  CHECK(d == std::vector<float>{0.25f, 0.25f, -0.75f, 0.25f});
}

TEST_CASE("loss: a label outside 0..classes-1 is refused by both calls, naming it") {
  const std::vector<float> z(6, 0.f);
  std::vector<float> d(6);
  CHECK_THROWS_WITH_AS(rnncell::softmax_cross_entropy(z.data(), std::vector<int>{0, 3}, 2, 3, d.data()),
                       doctest::Contains("label 3 at batch index 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(rnncell::softmax_cross_entropy_gradient(z.data(), std::vector<int>{-1, 0}, 2, 3, d.data()),
                       doctest::Contains("label -1 at batch index 0"), std::invalid_argument);
}

TEST_CASE("loss: count_correct and the fused count agree with std::max_element (ties, NaNs) on every kernel path") {
  // Logits from a few integer values, so most rows have ties for the largest; some rows hold NaNs
  // (at 0, where std::max_element stays, and elsewhere, which it skips); labels at the arg-max,
  // at a tied later position, and random.
  constexpr std::size_t batch = 400, classes = 37;
  rnncell::rng g(3);
  std::vector<float> logits(batch * classes);
  std::vector<int> labels(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    float* z = logits.data() + i * classes;
    for (std::size_t c = 0; c < classes; ++c) z[c] = float(g.below(6));
    if (i % 7 == 0) z[0] = std::numeric_limits<float>::quiet_NaN();
    if (i % 5 == 0) z[g.below(classes)] = std::numeric_limits<float>::quiet_NaN();
    const std::size_t first = std::size_t(std::max_element(z, z + classes) - z);
    const std::size_t last = classes - 1 - std::size_t(std::max_element(std::make_reverse_iterator(z + classes),
                                                                         std::make_reverse_iterator(z)) -
                                                        std::make_reverse_iterator(z + classes));
    labels[i] = int(i % 3 == 0 ? first : i % 3 == 1 ? last : g.below(classes));
  }
  std::size_t expected = 0;
  for (std::size_t i = 0; i < batch; ++i) {
    const float* z = logits.data() + i * classes;
    expected += std::size_t(std::max_element(z, z + classes) - z) == std::size_t(labels[i]);
  }
  CHECK(expected > batch / 3);  // the arg-max labels, at least
  CHECK(expected < batch);      // the tied later ones are wrong
  rnncell::test::on_every_path([&](rnncell::kernels::isa) {
    CHECK(rnncell::count_correct(logits.data(), labels, batch, classes) == expected);
    // the training step's one pass: the same count, and the same loss and gradient as the plain call
    std::vector<float> d(logits.size()), d_fused(logits.size());
    std::size_t fused_count = 0;
    const double loss = rnncell::softmax_cross_entropy(logits.data(), labels, batch, classes, d.data());
    const double fused =
        rnncell::softmax_cross_entropy(logits.data(), labels, batch, classes, d_fused.data(), fused_count);
    CHECK(fused_count == expected);
    CHECK((fused == loss || (std::isnan(fused) && std::isnan(loss))));
    const auto same = [](float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    CHECK(std::equal(d.begin(), d.end(), d_fused.begin(), same));
  });
  // and one row at a time (SequenceModel's ragged batches call it so)
  std::size_t one_by_one = 0;
  for (std::size_t i = 0; i < batch; ++i)
    one_by_one += rnncell::count_correct(logits.data() + i * classes, std::span(labels).subspan(i, 1), 1, classes);
  CHECK(one_by_one == expected);
}
