#pragma once
// What the grid runs: configurations (cell, layers, hidden), seeds, the training protocol, and
// which share of the runs this process takes.
#include <cstdint>
#include <string>
#include <vector>

namespace notmnist {

enum class cell_kind { gru, mgu };

std::string cell_name(cell_kind cell);             // "GRU" / "MGU"
cell_kind parse_cell(const std::string& name);     // "gru", "GRU", "mgu", "MGU"; throws otherwise

struct model_config {
  cell_kind cell;
  int layers;
  int hidden;
  std::string name() const;  // "GRU_1l_50h", the seed lab's naming
  auto operator<=>(const model_config&) const = default;
};

/// Relative cost of one epoch of `config`, for the grid's ETA and for starting the longest runs
/// first (so that parallel jobs finish together): multiply-adds per sequence step of the stack's
/// matrix products, gates x H x (In + H) for layer 0 and gates x H x 2H for each layer above. The
/// head and the elementwise work are small next to it.
double epoch_work(const model_config& config);

/// Epochs, batch size, learning rate and dropout rates of every run, and the split seed of the
/// data. Every run of one output folder must share it; the run files record it so resume and
/// merge can check.
struct training_protocol {
  int epochs = 20;
  int batch = 32;
  double lr = 1e-3;
  std::uint64_t split_seed = 0;
  /// Every layer's dropout and recurrent_dropout (Keras' GRU(dropout=, recurrent_dropout=): one
  /// mask per sequence, drawn from the model's generator, training only), in [0, 1). 0, the
  /// default, is the seed lab's protocol: nothing dropped, and nothing about dropout written
  /// anywhere (run files, histories, tables and messages are those of a program without it).
  double dropout = 0;
  double recurrent_dropout = 0;
  bool operator==(const training_protocol&) const = default;
  /// "20 epochs, batch 32, lr 0.001, split seed 0", then ", dropout 0.2" and ", recurrent
  /// dropout 0.2" for the rates that are not 0.
  std::string describe() const;
};

/// Seeds 1000, 1001, ... as in the seed lab.
inline constexpr std::uint64_t first_run_seed = 1000;

struct run_id {
  model_config config;
  std::uint64_t seed;
  std::string name() const;  // "GRU_1l_50h_seed1000"
  auto operator<=>(const run_id&) const = default;
};

struct grid_spec {
  std::vector<cell_kind> cells{cell_kind::gru, cell_kind::mgu};
  std::vector<int> layers{1, 2, 3};
  std::vector<int> hidden{50, 128, 256};
  int seeds = 3;
};

/// Every run of the grid in canonical order: cell, layers, hidden, seed.
std::vector<run_id> enumerate_runs(const grid_spec& spec);

/// "i/n" with 1 <= i <= n: this process runs the grid's runs number i, i+n, i+2n, ... (1-based,
/// in canonical order), so n shards together run each run exactly once.
struct shard {
  int index = 1;
  int count = 1;
};
shard parse_shard(const std::string& text);
std::vector<run_id> runs_of_shard(const std::vector<run_id>& runs, shard s);

}  // namespace notmnist
