#pragma once
// Grid progress: one line per epoch (config, seed, epoch/total, loss, acc, val loss, val acc,
// s/epoch, ETA of the whole grid) and, when stdout is a terminal, a live bar between lines.
// Thread-safe: every job reports here.
#include "grid/train_run.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace notmnist {

std::string format_duration(double seconds);  // "1h02m", "4m07s", "12s"

class grid_progress final : public run_observer {
 public:
  /// seconds_per_work: first estimate of seconds per unit of epoch_work, before any epoch ends.
  grid_progress(std::ostream& out, bool live_bar, const std::vector<run_id>& todo, int epochs, int jobs,
                double seconds_per_work);

  void batch_done(const run_id& id) override;
  void epoch_done(const run_id& id, int epoch, const history& so_far) override;
  void run_ended(const run_id& id);  // finished, failed or abandoned: nothing left to do for it
  void note(const std::string& line);
  void finish();  // clears the live bar
  std::string eta() const;  // of the runs not yet ended

 private:
  double eta_seconds_locked() const;
  void print_line_locked(const std::string& line);
  void draw_bar_locked();

  mutable std::mutex mutex_;
  std::ostream& out_;
  const bool live_bar_;
  const int epochs_;
  const int jobs_;
  std::map<run_id, int> epochs_left_;
  std::size_t runs_total_;
  double measured_seconds_ = 0, measured_work_ = 0, seconds_per_work_;
  std::chrono::steady_clock::time_point last_bar_{};
};

}  // namespace notmnist
