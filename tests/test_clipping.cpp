// Adam's gradient clipping against PyTorch: tests/oracle/make_clipping_fixtures.py ran
// torch.nn.utils.clip_grad_norm_ / clip_grad_value_ and torch.optim.Adam(eps=1e-7) on three
// parameters with set gradients, and Keras' global-norm formula in numpy; these tests step
// rnncell's Adam<double> on the same gradients and compare every parameter after every step.
#include <doctest/doctest.h>
#include <xtensor/xnpy.hpp>
#include <xtensor/xview.hpp>

#include <rnncell/adam.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/model.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#ifndef RNNCELL_ORACLE_DIR
#error "compile with -DRNNCELL_ORACLE_DIR=\"<repo>/tests/oracle/fixtures\""
#endif

namespace {

constexpr double tolerance = 1e-12;

xt::xarray<double> load(const std::string& name) {
  const auto path = std::filesystem::path(RNNCELL_ORACLE_DIR) / "clipping" / (name + ".npy");
  REQUIRE_MESSAGE(std::filesystem::exists(path),
                  "missing fixture " << path << " (regenerate: tests/oracle/make_clipping_fixtures.py)");
  return xt::load_npy<double>(path.string());
}

// Three parameters with their gradients, visited as a model's are.
struct three_parameters {
  std::array<xt::xtensor<double, 1>, 3> p, g;
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    constexpr std::array<std::string_view, 3> names{"p0", "p1", "p2"};
    for (std::size_t k = 0; k < 3; ++k) f(names[k], p[k], g[k]);
  }
};

three_parameters initial() {
  three_parameters params;
  for (std::size_t k = 0; k < 3; ++k) {
    params.p[k] = load("p0_" + std::to_string(k));
    params.g[k] = xt::zeros<double>({params.p[k].size()});
  }
  return params;
}

rnncell::Adam<double> fixture_adam(rnncell::adam_style style) {
  rnncell::Adam<double> adam;
  adam.lr = load("lr")(0);
  adam.beta1 = load("beta1")(0);
  adam.beta2 = load("beta2")(0);
  adam.epsilon = load("epsilon")(0);
  adam.style = style;
  return adam;
}

// Largest |actual - expected| / max(1, |expected|) over the three parameters after one step.
double max_error(const three_parameters& params, const std::string& trajectory, std::size_t step) {
  double err = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    const xt::xarray<double> expected = xt::row(load(trajectory + "_" + std::to_string(k)), step);
    REQUIRE(expected.size() == params.p[k].size());
    for (std::size_t i = 0; i < expected.size(); ++i)
      err = std::max(err, std::abs(params.p[k](i) - expected(i)) / std::max(1.0, std::abs(expected(i))));
  }
  return err;
}

// Steps adam through the fixture's gradients; returns the worst error against trajectory.
double run(rnncell::Adam<double> adam, const std::string& trajectory) {
  three_parameters params = initial();
  const std::size_t steps = load("grads_0").shape(0);
  double worst = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    for (std::size_t k = 0; k < 3; ++k) params.g[k] = xt::row(load("grads_" + std::to_string(k)), step);
    const auto gradients = params.g;
    adam.step(params);
    CHECK_MESSAGE(params.g == gradients, "step " << step << ": the gradients must be left as computed");
    worst = std::max(worst, max_error(params, trajectory, step));
  }
  return worst;
}

}  // namespace

TEST_CASE("clipping: global_clipnorm matches clip_grad_norm_ + torch.optim.Adam, and Keras' formula") {
  for (const auto style : {rnncell::adam_style::pytorch, rnncell::adam_style::keras}) {
    const bool pytorch = style == rnncell::adam_style::pytorch;
    rnncell::Adam<double> adam = fixture_adam(style);
    adam.global_clipnorm = load("max_norm")(0);
    const double err = run(adam, pytorch ? "p_norm_pytorch" : "p_norm_keras");
    MESSAGE(std::string(pytorch ? "pytorch" : "keras") << " global_clipnorm: max error " << err << " (tolerance "
                                                        << tolerance << ")");
    CHECK(err < tolerance);
  }
}

TEST_CASE("clipping: clipvalue matches clip_grad_value_ + torch.optim.Adam") {
  rnncell::Adam<double> adam = fixture_adam(rnncell::adam_style::pytorch);
  adam.clipvalue = load("clip_value")(0);
  const double err = run(adam, "p_value_pytorch");
  MESSAGE("clipvalue: max error " << err << " (tolerance " << tolerance << ")");
  CHECK(err < tolerance);
}

TEST_CASE("clipping: a clipped run differs from an unclipped one, off by default") {
  const rnncell::Adam<double> unclipped = fixture_adam(rnncell::adam_style::pytorch);
  CHECK_FALSE(unclipped.global_clipnorm.has_value());
  CHECK_FALSE(unclipped.clipvalue.has_value());
  // Far above the tolerance: the pins above could not pass with the clipping ignored.
  CHECK(run(unclipped, "p_norm_pytorch") > 1e6 * tolerance);
  CHECK(run(unclipped, "p_value_pytorch") > 1e6 * tolerance);

  // Through a Model: the same seed and batches, clipped by value or not, part ways.
  using model_type = rnncell::Model<rnncell::GRUCell<3, 4, double>, rnncell::Dense<4, 2, double>>;
  auto train = [](std::optional<double> clipvalue) {
    model_type model(5);
    model.optimizer().clipvalue = clipvalue;
    xt::xtensor<double, 3> x({4, 2, 3});
    const std::vector<int> labels{0, 1};
    for (int step = 0; step < 3; ++step) {
      for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = std::sin(0.7 * double(i) + double(step));
      model.train_on_batch(x, labels);
    }
    return model.rnn.params.Wh;
  };
  const xt::xtensor<double, 2> clipped = train(1e-4), free = train(std::nullopt);
  CHECK(xt::amax(xt::abs(clipped - free))() > 1e-6);
}

TEST_CASE("clipping: bad settings are refused before anything changes, naming the field") {
  three_parameters params = initial();
  params.g[0](0) = 1;
  const auto before = params.p;
  auto refused = [&](rnncell::Adam<double> adam, const char* message) {
    CHECK_THROWS_WITH_AS(adam.step(params), doctest::Contains(message), std::invalid_argument);
    CHECK(adam.iterations() == 0);
    CHECK(params.p == before);
  };
  rnncell::Adam<double> both;
  both.global_clipnorm = 1.0;
  both.clipvalue = 1.0;
  refused(both, "set global_clipnorm or clipvalue, not both");
  constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  for (const double bad : {0.0, -2.0, nan, inf}) {
    rnncell::Adam<double> norm, value;
    norm.global_clipnorm = bad;
    value.clipvalue = bad;
    refused(norm, "global_clipnorm is ");
    refused(value, "clipvalue is ");
  }
  rnncell::Adam<double> negative;
  negative.clipvalue = -2.0;
  refused(negative, "clipvalue is -2, expected a finite number > 0");
}

TEST_CASE("clipping: a NaN gradient under global_clipnorm makes every parameter NaN, not a silent step") {
  three_parameters params = initial();
  params.g[1](2) = std::numeric_limits<double>::quiet_NaN();
  rnncell::Adam<double> adam;
  adam.global_clipnorm = 1.0;
  adam.step(params);
  for (const auto& p : params.p) CHECK(std::all_of(p.begin(), p.end(), [](double v) { return std::isnan(v); }));
}
