#include "grid/grid_runner.hpp"

#include "grid/model_table.hpp"
#include "grid/progress.hpp"
#include "grid/train_run.hpp"

#include <algorithm>
#include <chrono>
#include <span>
#include <thread>

namespace notmnist {
namespace {

// Seconds per unit of epoch_work, timed on a few batches of a throwaway model, so the ETA
// printed before the first epoch ends is already about right.
double calibrate_seconds_per_work(const model_config& config, const dataset& data, const data_split& split,
                                  const training_protocol& protocol) {
  constexpr int timed_batches = 3;
  const std::size_t size = std::min<std::size_t>(std::size_t(protocol.batch), split.train.size());
  auto model = make_model(config, first_run_seed, protocol);
  batch b;
  fill_batch(data, std::span(split.train).first(size), b);
  model->train_on_batch(b);  // first call allocates workspaces
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < timed_batches; ++i) model->train_on_batch(b);
  const double per_batch = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / timed_batches;
  const double batches_per_epoch = double(split.train.size()) / double(size);
  constexpr double validation_overhead = 1.1;  // forward-only over a quarter as many images
  return per_batch * batches_per_epoch * validation_overhead / epoch_work(config);
}

std::vector<run_id> runs_to_do(const std::vector<run_id>& runs, const std::map<run_id, run_record>& done) {
  std::vector<run_id> todo;
  for (const auto& id : runs)
    if (!done.count(id)) todo.push_back(id);
  std::stable_sort(todo.begin(), todo.end(),
                   [](const run_id& a, const run_id& b) { return epoch_work(a.config) > epoch_work(b.config); });
  return todo;
}

std::string ended_line(const run_record& r) {
  if (r.failed) return "FAILED " + r.id.name() + ": " + r.failure + " (recorded; the grid goes on)";
  return "done   " + r.id.name() + ": val_accuracy " + std::to_string(r.hist.val_accuracy.back());
}

}  // namespace

grid_outcome run_grid(const grid_request& request, const dataset& data, const data_split& split, const run_store& store,
                      std::ostream& out, const std::atomic<bool>& stop) {
  grid_outcome outcome;
  const auto done = store.load(out);
  require_same_protocol(done, request.protocol, store.folder());
  const std::vector<run_id> todo = runs_to_do(request.runs, done);
  outcome.already_done = request.runs.size() - todo.size();
  out << "grid: " << request.runs.size() << " runs (" << request.protocol.describe() << "), " << outcome.already_done
      << " already in " << store.folder().string() << ", " << todo.size() << " to run, " << request.jobs
      << " at a time" << std::endl;
  if (todo.empty()) return outcome;

  grid_progress progress(out, request.live_bar, todo, request.protocol.epochs, request.jobs,
                         calibrate_seconds_per_work(todo.front().config, data, split, request.protocol));
  progress.note("estimated time: " + progress.eta() + " (refined after every epoch)");

  std::atomic<std::size_t> next{0}, finished{0}, failed{0}, errors{0};
  std::atomic<bool> interrupted{false};
  auto worker = [&] {
    for (std::size_t i; !stop.load() && (i = next++) < todo.size();) {
      const run_id& id = todo[i];
      try {
        auto model = make_model(id.config, id.seed, request.protocol);
        run_outcome result = train_run(*model, id, data, split, request.protocol, progress, stop);
        if (result.interrupted) {
          interrupted = true;
        } else {
          store.save(result.record);
          ++(result.record.failed ? failed : finished);
          progress.note(ended_line(result.record));
        }
      } catch (const std::exception& e) {
        ++errors;
        progress.note("ERROR  " + id.name() + ": " + e.what() + " (not recorded; a rerun retries it)");
      }
      progress.run_ended(id);
    }
  };
  std::vector<std::jthread> jobs;
  for (int j = 0; j < std::min<int>(request.jobs, int(todo.size())); ++j) jobs.emplace_back(worker);
  jobs.clear();  // joins
  progress.finish();
  outcome.finished = finished;
  outcome.failed = failed;
  outcome.errors = errors;
  outcome.interrupted = interrupted || (stop.load() && next.load() < todo.size());
  return outcome;
}

}  // namespace notmnist
