#include "report/merge.hpp"

#include "grid/dataset_info.hpp"
#include "report/reports.hpp"
#include "grid/run_store.hpp"

#include <stdexcept>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

// Training is deterministic, so two copies of a run agree on every number but the timings.
bool same_result(const run_record& a, const run_record& b) {
  return a.protocol == b.protocol && a.parameter_count == b.parameter_count && a.failed == b.failed &&
         a.failed_epoch == b.failed_epoch && a.hist.loss == b.hist.loss && a.hist.accuracy == b.hist.accuracy &&
         a.hist.val_loss == b.hist.val_loss && a.hist.val_accuracy == b.hist.val_accuracy;
}

}  // namespace

bool merge_outputs(const std::vector<fs::path>& inputs, const fs::path& out, std::ostream& log) {
  std::vector<fs::path> sources = inputs;
  if (fs::exists(dataset_info_file(out))) sources.push_back(out);
  const dataset_info data = load_dataset_info(sources.front());
  std::map<run_id, run_record> merged;
  std::map<run_id, fs::path> origin;
  for (const auto& folder : sources) {
    if (!load_dataset_info(folder).same_data(data))
      throw std::runtime_error(folder.string() + " was trained on other data or another split than " + sources.front().string());
    for (auto& [id, record] : run_store(folder).load(log)) {
      if (!merged.empty() && !(record.protocol == merged.begin()->second.protocol))
        throw std::runtime_error(folder.string() + ": run " + id.name() + " used " + record.protocol.describe() +
                                 ", other runs " + merged.begin()->second.protocol.describe());
      const auto [it, inserted] = merged.emplace(id, record);
      if (!inserted && !same_result(it->second, record))
        throw std::runtime_error("run " + id.name() + " differs between " + origin[id].string() + " and " + folder.string());
      if (inserted) origin[id] = folder;
    }
  }
  log << "merge: " << merged.size() << " runs from " << inputs.size() << " folders into " << out.string() << "\n";
  save_dataset_info(out, data);
  const run_store store(out);
  for (const auto& [id, record] : merged)
    if (origin[id] != out) store.save(record);
  return write_reports(out, merged, data, log);
}

}  // namespace notmnist
