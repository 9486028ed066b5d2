#include "report/summary.hpp"

#include <cmath>
#include <map>

namespace notmnist {

mean_std mean_and_std(const std::vector<double>& values) {
  mean_std r;
  if (values.empty()) return r;
  for (double v : values) r.mean += v;
  r.mean /= double(values.size());
  double squares = 0;
  for (double v : values) squares += (v - r.mean) * (v - r.mean);
  r.std = std::sqrt(squares / double(values.size()));
  return r;
}

namespace {

std::optional<reference_result> seed_lab_result(const model_config& config) {
  // The rows of the report's Figure 1 that can be read; the others are garbled in the copy we have.
  static const std::map<model_config, reference_result> known{
      {{cell_kind::gru, 3, 256}, {0.9399, 0.0020}}, {{cell_kind::mgu, 2, 128}, {0.9282, 0.0008}},
      {{cell_kind::mgu, 2, 256}, {0.9315, 0.0007}}, {{cell_kind::mgu, 3, 50}, {0.9249, 0.0030}},
      {{cell_kind::mgu, 3, 128}, {0.9355, 0.0035}}, {{cell_kind::mgu, 3, 256}, {0.9396, 0.0041}},
  };
  const auto it = known.find(config);
  if (it == known.end()) return std::nullopt;
  return it->second;
}

// Per epoch, mean and std of one history key over the runs.
std::vector<mean_std> curve(const std::vector<const run_record*>& runs, std::vector<double> history::*key) {
  std::vector<mean_std> out;
  for (std::size_t epoch = 0; !runs.empty() && epoch < (runs.front()->hist.*key).size(); ++epoch) {
    std::vector<double> values;
    for (const run_record* r : runs) values.push_back((r->hist.*key)[epoch]);
    out.push_back(mean_and_std(values));
  }
  return out;
}

config_summary summarize_config(const model_config& config, const std::vector<const run_record*>& runs) {
  config_summary s;
  s.config = config;
  s.runs = runs.size();
  s.seed_lab = seed_lab_result(config);
  s.parameter_count = runs.front()->parameter_count;
  std::vector<const run_record*> ok;
  double seconds = 0;
  std::size_t epochs = 0;
  for (const run_record* r : runs) {
    if (r->failed) {
      s.failures.push_back("seed " + std::to_string(r->id.seed) + ": " + r->failure);
      continue;
    }
    ok.push_back(r);
    s.final_accuracies.push_back(r->hist.val_accuracy.back());
    for (double t : r->hist.seconds) seconds += t;
    epochs += r->hist.epochs();
  }
  s.val_accuracy = mean_and_std(s.final_accuracies);
  s.seconds_per_epoch = epochs ? seconds / double(epochs) : 0;
  s.val_accuracy_curve = curve(ok, &history::val_accuracy);
  s.val_loss_curve = curve(ok, &history::val_loss);
  return s;
}

}  // namespace

std::vector<config_summary> summarize(const std::vector<run_record>& records) {
  std::map<model_config, std::vector<const run_record*>> by_config;
  for (const auto& r : records) by_config[r.id.config].push_back(&r);
  std::vector<config_summary> out;
  for (const auto& [config, runs] : by_config) out.push_back(summarize_config(config, runs));
  return out;
}

}  // namespace notmnist
