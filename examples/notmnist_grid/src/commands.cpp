// The program's three commands: grid (train and report), merge (shard folders into one), data.
#include "commands.hpp"

#include "grid/grid_runner.hpp"
#include "grid/model_table.hpp"
#include "grid/output_folder.hpp"
#include "grid/prepared_data.hpp"
#include "grid/progress.hpp"
#include "grid/stop_signal.hpp"
#include "report/merge.hpp"
#include "report/reports.hpp"

#include <cblas.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

namespace notmnist {
namespace {

// Resuming into a folder of runs trained on other data would mix them in one table.
void record_dataset(const std::filesystem::path& out, const dataset_info& info) {
  if (std::filesystem::exists(dataset_info_file(out)) && !load_dataset_info(out).same_data(info))
    throw std::runtime_error(out.string() + " holds runs trained on other data or another split (" +
                             load_dataset_info(out).describe() + "); use another --out");
  save_dataset_info(out, info);
}

}  // namespace

int grid_command(const grid_options& o) {
  const auto start = std::chrono::steady_clock::now();
  // Before loading the data: a typo in --hidden should not cost the load time.
  for (const run_id& id : enumerate_runs(o.spec)) require_supported(id.config);
  const std::filesystem::path data_path = find_dataset(o.data);
  require_writable_folder(o.out, "--out");
  const prepared_data prepared = prepare_data(data_path, o.protocol.split_seed, o.protocol.batch, std::cout);
  record_dataset(o.out, prepared.info);

  // Small matrices run faster on one BLAS thread; parallelism comes from --jobs instead, and one
  // thread per run keeps each run's arithmetic independent of how many run at once.
  openblas_set_num_threads(1);
  install_stop_handlers();
  grid_request request{runs_of_shard(enumerate_runs(o.spec), o.share), o.protocol, o.jobs, o.live_bar};
  if (o.share.count > 1) std::cout << "shard " << o.share.index << "/" << o.share.count << "\n";
  const run_store store(o.out);
  const grid_outcome outcome = run_grid(request, prepared.data, prepared.split, store, std::cout, stop_requested());

  write_reports(o.out, store.load(std::cout), prepared.info, std::cout);
  if (std::ifstream table{o.out / "results.md"}) std::cout << "\n" << table.rdbuf() << "\n";
  std::cout << "grid: " << outcome.finished << " finished, " << outcome.failed << " failed, " << outcome.errors
            << " errors, " << outcome.already_done << " done before; wall time "
            << format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()) << "\n";
  if (outcome.interrupted) {
    std::cout << "stopped: finished runs are saved; rerun the same command to resume\n";
    return exit_interrupted;
  }
  return outcome.failed || outcome.errors ? exit_runs_failed : exit_ok;
}

int merge_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out) {
  for (const auto& folder : inputs)  // before --out is created: a typo should leave nothing behind
    if (!std::filesystem::is_directory(folder)) throw std::runtime_error("merge: '" + folder.string() + "' is not a folder");
  require_writable_folder(out, "merge --out");
  merge_outputs(inputs, out, std::cout);
  return exit_ok;
}

int data_command(const std::optional<std::filesystem::path>& data, std::uint64_t split_seed, int batch) {
  const prepared_data p = prepare_data(data, split_seed, batch, std::cout);
  std::map<int, std::size_t> per_class;
  for (int label : p.data.labels) ++per_class[label];
  for (std::size_t c = 0; c < p.data.classes.size(); ++c)
    std::cout << "  class " << p.data.classes[c] << ": " << per_class[int(c)] << " images\n";
  return exit_ok;
}

}  // namespace notmnist
