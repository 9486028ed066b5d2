#include "report/histories_json.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace notmnist {

nlohmann::json histories_json(cell_kind cell, const std::vector<run_record>& records, const dataset_info& data) {
  nlohmann::json configs = nlohmann::json::object();
  for (const auto& r : records) {
    if (r.id.config.cell != cell) continue;
    auto& config = configs[r.id.config.name()];
    if (config.is_null())
      config = {{"layers", r.id.config.layers}, {"hidden", r.id.config.hidden},
                {"parameter_count", r.parameter_count}, {"runs", nlohmann::json::array()}};
    nlohmann::json run = history_json(r.hist);
    run["seed"] = r.id.seed;
    run["status"] = r.failed ? "failed" : "ok";
    if (r.failed) run["failure"] = {{"epoch", r.failed_epoch}, {"message", r.failure}};
    config["runs"].push_back(std::move(run));
  }
  const training_protocol& p = records.front().protocol;
  nlohmann::json protocol = {{"epochs", p.epochs}, {"batch", p.batch}, {"lr", p.lr}, {"split_seed", p.split_seed}};
  add_dropout_rates(protocol, p);  // only when not 0: the seed protocol's file is unchanged
  return {{"cell", cell_name(cell)},
          {"protocol", std::move(protocol)},
          {"dataset", to_json(data)},
          {"configs", std::move(configs)}};
}

std::vector<std::filesystem::path> write_histories(const std::filesystem::path& out, const std::vector<run_record>& records,
                                                   const dataset_info& data) {
  std::vector<std::filesystem::path> written;
  for (cell_kind cell : {cell_kind::gru, cell_kind::mgu}) {
    const bool any = std::any_of(records.begin(), records.end(), [&](const run_record& r) { return r.id.config.cell == cell; });
    if (!any) continue;
    written.push_back(out / ("histories_" + cell_name(cell) + ".json"));
    rnncell::detail::write_file_atomically(written.back(), histories_json(cell, records, data).dump(1) + "\n");
  }
  return written;
}

}  // namespace notmnist
