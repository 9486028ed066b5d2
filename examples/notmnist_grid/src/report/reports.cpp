#include "report/reports.hpp"

#include "report/histories_json.hpp"
#include "report/plots.hpp"
#include "report/results_table.hpp"
#include "report/summary.hpp"

#include <rnncell/detail/atomic_write.hpp>

namespace notmnist {

bool write_reports(const std::filesystem::path& out, const std::map<run_id, run_record>& runs, const dataset_info& data,
                   std::ostream& log) {
  if (runs.empty()) {
    log << "reports: no finished runs in " << out.string() << " yet\n";
    return false;
  }
  std::vector<run_record> records;
  for (const auto& entry : runs) records.push_back(entry.second);
  const auto rows = summarize(records);
  write_histories(out, records, data);
  rnncell::detail::write_file_atomically(out / "results.md", results_markdown(rows, records.front().protocol, data));
  rnncell::detail::write_file_atomically(out / "results.csv", results_csv(rows));
  const bool plotted = write_plots(out, rows, log);
  log << "reports: " << (out / "results.md").string() << ", results.csv, histories_*.json"
      << (plotted ? ", val_accuracy, val_loss, final_accuracy, speed .png/.svg" : "") << "\n";
  return plotted;
}

}  // namespace notmnist
