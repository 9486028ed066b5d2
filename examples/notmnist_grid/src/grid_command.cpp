#include "commands.hpp"

#include "grid_runner.hpp"
#include "model_table.hpp"
#include "prepared_data.hpp"
#include "progress.hpp"
#include "reports.hpp"
#include "stop_signal.hpp"

#include <cblas.h>

#include <chrono>
#include <fstream>
#include <iostream>

namespace notmnist {
namespace {

void require_supported(const grid_spec& spec) {
  for (cell_kind cell : spec.cells)
    for (int layers : spec.layers)
      for (int hidden : spec.hidden)
        if (!is_supported({cell, layers, hidden}))
          throw std::invalid_argument(model_config{cell, layers, hidden}.name() +
                                      " is not compiled into this program; supported: " + supported_list());
}

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
  require_supported(o.spec);
  const prepared_data prepared = prepare_data(o.data, o.protocol.split_seed, std::cout);
  record_dataset(o.out, prepared.info);

  // Small matrices run faster on one BLAS thread; parallelism comes from --jobs instead, and one
  // thread per run keeps each run's arithmetic independent of how many run at once.
  openblas_set_num_threads(1);
  install_stop_handlers();
  grid_request request{runs_of_shard(enumerate_runs(o.spec), o.share), o.protocol, o.jobs, o.live_bar};
  if (o.share.count > 1) std::cout << "shard " << o.share.index << "/" << o.share.count << "\n";
  const run_store store(o.out);
  const grid_outcome outcome = run_grid(request, prepared.data, prepared.split, store, std::cout, stop_requested());

  write_reports(o.out, store.load(), prepared.info, std::cout);
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

}  // namespace notmnist
