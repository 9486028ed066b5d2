// SequenceModel against PyTorch: tests/oracle/make_sequence_model_fixtures.py wrote the parameters,
// logits, mean per-step loss and every gradient of two models in float64 (rnncell's layout, file
// names = parameter names with '.' as '_'); these tests load the parameters into the same model
// built from rnncell's public API and compare every number.
#include <rnncell/activation.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/sequence_model.hpp>
#include <rnncell/sequential.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>
#include <xtensor/xnpy.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#ifndef RNNCELL_ORACLE_DIR
#error "compile with -DRNNCELL_ORACLE_DIR=\"<repo>/tests/oracle/fixtures\""
#endif

using namespace rnncell;

namespace {

constexpr std::size_t vocab = 6, embed = 5, hidden = 7, down = 4, classes = 5;
constexpr double tolerance = 1e-12;  // float64 on both sides

template <class Stored>
xt::xarray<Stored> load(const std::string& case_name, std::string name) {
  std::replace(name.begin(), name.end(), '.', '_');
  const auto path = std::filesystem::path(RNNCELL_ORACLE_DIR) / case_name / (name + ".npy");
  REQUIRE_MESSAGE(std::filesystem::exists(path), "missing oracle fixture " << path
                  << " (regenerate: /usr/bin/python3 tests/oracle/make_sequence_model_fixtures.py)");
  return xt::load_npy<Stored>(path.string());
}

double largest_difference(const auto& a, const xt::xarray<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < b.size(); ++i) worst = std::max(worst, std::abs(double(a.data()[i]) - b.data()[i]));
  return worst;
}

// A case with lengths.npy is a padded batch: the same calls with its lengths.
template <class Model>
void compare_with_pytorch(const std::string& case_name, bool padded = false) {
  Model m(1);
  int loaded = 0;
  m.for_each_parameter([&](std::string_view name, auto& p) {
    const auto stored = load<double>(case_name, std::string(name));
    REQUIRE_MESSAGE(stored.size() == p.size(), name << ": fixture has " << stored.size() << " values");
    std::copy(stored.begin(), stored.end(), p.begin());
    ++loaded;
  });
  const xt::xtensor<int, 2> ids = xt::cast<int>(load<std::int64_t>(case_name, "ids"));
  const xt::xtensor<int, 2> targets = xt::cast<int>(load<std::int64_t>(case_name, "targets"));
  std::vector<std::int64_t> lengths;
  if (padded) {
    const auto stored = load<std::int64_t>(case_name, "lengths");
    lengths.assign(stored.begin(), stored.end());
  }
  const batch_metrics r = padded ? m.compute_gradients(ids, targets, lengths) : m.compute_gradients(ids, targets);

  const double loss_error = std::abs(r.loss - load<double>(case_name, "loss")(0));
  CHECK_MESSAGE(loss_error <= tolerance, case_name << " loss off by " << loss_error);
  const double logits_error =
      largest_difference(padded ? m.predict(ids, lengths) : m.predict(ids), load<double>(case_name, "logits"));
  CHECK_MESSAGE(logits_error <= tolerance, case_name << " logits off by " << logits_error);
  int compared = 0;
  m.for_each_parameter_and_grad([&](std::string_view name, auto&, auto& grad) {
    const double error = largest_difference(grad, load<double>(case_name, "grad_" + std::string(name)));
    CHECK_MESSAGE(error <= tolerance, case_name << " gradient of " << name << " off by " << error);
    ++compared;
  });
  CHECK(compared == loaded);
  MESSAGE(case_name << ": " << compared << " gradients, loss and logits within " << tolerance);
}

}  // namespace

TEST_CASE("oracle: SequenceModel = Embedding -> torch.nn.GRU -> Linear, tanh, Linear, per-step CE") {
  using head = Sequential<Dense<hidden, down, double>, Activation<activation_function::tanh, down, double>,
                          Dense<down, classes, double>>;
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, GRUCell<embed, hidden, double, reset_after>,
                                     head>>("seqmodel_torch");
}

TEST_CASE("oracle: SequenceModel = Embedding -> 2 reset-before GRU layers -> Linear, relu, Linear") {
  using head = Sequential<Dense<hidden, down, double>, Activation<activation_function::relu, down, double>,
                          Dense<down, classes, double>>;
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, Stacked<GRUCell<embed, hidden, double>, 2>,
                                     head>>("seqmodel_reset_before");
}

TEST_CASE("oracle: SequenceModel on a padded batch = torch.nn.GRU over pack_padded_sequence, ignore_index") {
  using head = Sequential<Dense<hidden, down, double>, Activation<activation_function::tanh, down, double>,
                          Dense<down, classes, double>>;
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, GRUCell<embed, hidden, double, reset_after>,
                                     head>>("seqmodel_lengths", true);
}
