#include "grid/progress.hpp"


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace notmnist {

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(seconds, 0.0));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lds", s);
  return text;
}

grid_progress::grid_progress(std::ostream& out, bool live_bar, const std::vector<run_id>& todo, int epochs, int jobs,
                             double seconds_per_work)
    : out_(out), live_bar_(live_bar), epochs_(epochs), jobs_(jobs), runs_total_(todo.size()),
      seconds_per_work_(seconds_per_work) {
  for (const auto& id : todo) epochs_left_[id] = epochs;
}

double grid_progress::eta_seconds_locked() const {
  const double per_work = measured_work_ > 0 ? measured_seconds_ / measured_work_ : seconds_per_work_;
  double work = 0;
  for (const auto& [id, left] : epochs_left_) work += left * epoch_work(id.config);
  const auto parallel = std::max<std::size_t>(1, std::min<std::size_t>(std::size_t(jobs_), epochs_left_.size()));
  return work * per_work / double(parallel);
}

std::string grid_progress::eta() const {
  std::lock_guard lock(mutex_);
  return format_duration(eta_seconds_locked());
}

void grid_progress::print_line_locked(const std::string& line) {
  if (live_bar_) out_ << "\r\x1b[K";
  out_ << line << '\n';
  if (live_bar_) draw_bar_locked();
  out_.flush();
}

void grid_progress::draw_bar_locked() {
  std::size_t epochs_left = 0;
  for (const auto& entry : epochs_left_) epochs_left += std::size_t(entry.second);
  const double total = double(runs_total_) * epochs_;
  const double done = total > 0 ? 1.0 - double(epochs_left) / total : 1.0;
  constexpr int width = 30;
  const int filled = int(done * width);
  out_ << "\r[" << std::string(std::size_t(filled), '#') << std::string(std::size_t(width - filled), '.') << "] "
       << std::lround(done * 100) << "%  " << runs_total_ - epochs_left_.size() << "/" << runs_total_
       << " runs  ETA " << format_duration(eta_seconds_locked()) << "\x1b[K" << std::flush;
}

void grid_progress::batch_done(const run_id&) {
  if (!live_bar_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_bar_ < std::chrono::milliseconds(200)) return;
  last_bar_ = now;
  draw_bar_locked();
}

void grid_progress::epoch_done(const run_id& id, int epoch, const history& h) {
  std::lock_guard lock(mutex_);
  const double seconds = h.seconds.back();
  measured_seconds_ += seconds;
  measured_work_ += epoch_work(id.config);
  epochs_left_[id] = epochs_ - epoch;
  std::ostringstream line;
  line << std::fixed << std::setprecision(4) << std::left << std::setw(12) << id.config.name() << " seed " << id.seed
       << "  epoch " << std::right << std::setw(2) << epoch << "/" << epochs_ << "  loss " << h.loss.back() << "  acc "
       << h.accuracy.back() << "  val_loss " << h.val_loss.back() << "  val_acc " << h.val_accuracy.back()
       << std::setprecision(2) << "  " << seconds << " s/epoch  ETA " << format_duration(eta_seconds_locked());
  print_line_locked(line.str());
}

void grid_progress::run_ended(const run_id& id) {
  std::lock_guard lock(mutex_);
  epochs_left_.erase(id);
}

void grid_progress::note(const std::string& line) {
  std::lock_guard lock(mutex_);
  print_line_locked(line);
}

void grid_progress::finish() {
  std::lock_guard lock(mutex_);
  if (live_bar_) out_ << "\r\x1b[K" << std::flush;
}

}  // namespace notmnist
