// SequenceModel against PyTorch: tests/oracle/make_sequence_model_fixtures.py wrote the parameters,
// logits, mean per-step loss and every gradient of three models in float64 (rnncell's layout,
// named as tests/support/oracle.hpp reads them); these tests load the parameters into the same
// model built from rnncell's public API and compare every number.
#include "support/oracle.hpp"

#include <rnncell/activation.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/sequence_model.hpp>
#include <rnncell/sequential.hpp>
#include <rnncell/stacked.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace rnncell;
using namespace rnncell::test;

namespace {

constexpr std::size_t vocab = 6, embed = 5, hidden = 7, down = 4, classes = 5;
constexpr double tolerance = 1e-12;  // float64 on both sides

template <activation_function F>
using head = Sequential<Dense<hidden, down, double>, Activation<F, down, double>, Dense<down, classes, double>>;

// A case with lengths.npy is a padded batch: the same calls with its lengths.
template <class Model>
void compare_with_pytorch(const std::string& case_name, bool padded = false) {
  Model m(1);
  const std::size_t loaded = load_parameters(m, case_name);
  const xt::xtensor<int, 2> ids = xt::cast<int>(load_raw<std::int64_t>(case_name, "ids"));
  const xt::xtensor<int, 2> targets = xt::cast<int>(load_raw<std::int64_t>(case_name, "targets"));
  std::vector<std::int64_t> lengths;
  if (padded) {
    const auto stored = load_raw<std::int64_t>(case_name, "lengths");
    lengths.assign(stored.begin(), stored.end());
  }
  const batch_metrics r = padded ? m.compute_gradients(ids, targets, lengths) : m.compute_gradients(ids, targets);

  comparison compare(case_name, tolerance);
  compare("loss", r.loss, load_raw(case_name, "loss"));
  compare("logits", padded ? m.predict(ids, lengths) : m.predict(ids), load_raw(case_name, "logits"));
  compare_gradients(m, case_name, compare);
  CHECK(loaded == (padded || case_name == "seqmodel_torch" ? 9u : 11u));  // every parameter, none left out
}

}  // namespace

TEST_CASE("oracle: SequenceModel = Embedding -> torch.nn.GRU -> Linear, tanh, Linear, per-step CE") {
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, GRUCell<embed, hidden, double, reset_after>,
                                     head<activation_function::tanh>>>("seqmodel_torch");
}

TEST_CASE("oracle: SequenceModel = Embedding -> 2 reset-before GRU layers -> Linear, relu, Linear") {
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, Stacked<GRUCell<embed, hidden, double>, 2>,
                                     head<activation_function::relu>>>("seqmodel_reset_before");
}

TEST_CASE("oracle: SequenceModel on a padded batch = torch.nn.GRU over pack_padded_sequence, ignore_index") {
  compare_with_pytorch<SequenceModel<Embedding<vocab, embed, double>, GRUCell<embed, hidden, double, reset_after>,
                                     head<activation_function::tanh>>>("seqmodel_lengths", true);
}
