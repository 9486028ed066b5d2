#include "report/results_table.hpp"

#include <cstdio>
#include <sstream>

namespace notmnist {
namespace {

std::string fixed(double v, int digits = 4) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string signed_fixed(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.4f", v);
  return text;
}

std::string runs_cell(const config_summary& s) {
  std::string text = std::to_string(s.final_accuracies.size()) + "/" + std::to_string(s.runs);
  if (!s.failures.empty()) text += " (" + std::to_string(s.failures.size()) + " failed)";
  return text;
}

// Said only when a rate is not 0: the seed protocol's table is unchanged.
std::string dropout_line(const training_protocol& p) {
  if (p.dropout == 0 && p.recurrent_dropout == 0) return "";
  std::ostringstream line;
  line << "- Dropout: " << p.dropout << " on the inputs and " << p.recurrent_dropout
       << " recurrent, on every layer (Keras' dropout and recurrent_dropout: one mask per sequence and layer, the "
          "same at every step; training only, the validation pass drops nothing); the seed lab trained without\n";
  return line.str();
}

}  // namespace

std::string results_markdown(const std::vector<config_summary>& rows, const training_protocol& protocol,
                             const dataset_info& data) {
  std::ostringstream md;
  md << "# notMNIST_small: GRU vs MGU, final validation accuracy\n\n"
     << "- Data: " << data.describe() << "\n"
     << "- Protocol: " << protocol.describe() << "; Adam (Keras defaults), softmax cross-entropy\n"
     << dropout_line(protocol)
     << "- Accuracy: mean over the successful seeds of the last epoch's validation accuracy; Std: population std "
        "(ddof 0); Error: 1 - Accuracy; Seed lab: the Keras original where its report is legible\n\n"
     << "| Model | Runs ok | Accuracy | ± Std | Error | s/epoch | Params | Seed lab | Difference |\n"
     << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& s : rows) {
    const bool any_ok = !s.final_accuracies.empty();
    const auto& lab = s.seed_lab;
    md << "| " << s.config.name() << " | " << runs_cell(s) << " | "
       << (any_ok ? fixed(s.val_accuracy.mean) + " | " + fixed(s.val_accuracy.std) + " | " + fixed(1 - s.val_accuracy.mean)
                  : std::string("- | - | -"))
       << " | " << (any_ok ? fixed(s.seconds_per_epoch, 1) : "-") << " | " << s.parameter_count << " | "
       << (lab ? fixed(lab->accuracy) + " ± " + fixed(lab->std) : "") << " | "
       << (lab && any_ok ? signed_fixed(s.val_accuracy.mean - lab->accuracy) : "") << " |\n";
  }
  bool any_failed = false;
  for (const auto& s : rows)
    for (const auto& f : s.failures) {
      if (!any_failed) md << "\n## Failed runs (not averaged)\n\n";
      any_failed = true;
      md << "- " << s.config.name() << ", " << f << "\n";
    }
  return md.str();
}

std::string results_csv(const std::vector<config_summary>& rows) {
  std::ostringstream csv;
  csv << "config,cell,layers,hidden,runs,ok_runs,failed_runs,mean_val_accuracy,std_val_accuracy,error,"
         "mean_seconds_per_epoch,parameter_count,seed_lab_accuracy,seed_lab_std,difference\n";
  for (const auto& s : rows) {
    const bool any_ok = !s.final_accuracies.empty();
    const auto& lab = s.seed_lab;
    auto number = [&](bool present, double v) { return present ? fixed(v, 6) : std::string(); };
    csv << s.config.name() << "," << cell_name(s.config.cell) << "," << s.config.layers << "," << s.config.hidden << ","
        << s.runs << "," << s.final_accuracies.size() << "," << s.failures.size() << ","
        << number(any_ok, s.val_accuracy.mean) << "," << number(any_ok, s.val_accuracy.std) << ","
        << number(any_ok, 1 - s.val_accuracy.mean) << "," << number(any_ok, s.seconds_per_epoch) << ","
        << s.parameter_count << "," << number(bool(lab), lab ? lab->accuracy : 0) << ","
        << number(bool(lab), lab ? lab->std : 0) << ","
        << number(lab && any_ok, lab && any_ok ? s.val_accuracy.mean - lab->accuracy : 0) << "\n";
  }
  return csv.str();
}

}  // namespace notmnist
