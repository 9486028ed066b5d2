#pragma once
// What the figures draw, as the text tables gnuplot reads from OUT/plot_data/: which (layers,
// hidden) positions a folder's runs fill, one curve file per config, one row per position with
// both cells' final numbers, and every successful seed's final accuracy.
#include "report/summary.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace notmnist {

/// The seed lab trained 20 epochs: its final values are drawn only beside curves of that length.
inline constexpr std::size_t seed_lab_epochs = 20;

/// The cells of every position, in this order (and this colour order in the figures).
inline constexpr std::array<cell_kind, 2> plot_cells{cell_kind::gru, cell_kind::mgu};

/// One (layers, hidden) position of the grid: a panel of the curves, a pair on the x-axis of the
/// final-accuracy and speed figures. cells[i] is the summary of plot_cells[i]; null when absent.
struct plot_position {
  int layers = 0;
  int hidden = 0;
  std::array<const config_summary*, 2> cells{};
};

struct plot_layout {
  std::vector<int> layers;               // rows of the small multiples, ascending
  std::vector<int> hidden;               // their columns, ascending
  std::vector<plot_position> positions;  // every position with a run, by (layers, hidden)
  std::size_t epochs = 0;                // of the longest curve
  bool seed_lab_shown = false;           // 20-epoch curves and at least one legible seed-lab value

  /// Index into `positions` of (layers, hidden), or -1 when no run has it.
  int position_index(int layers, int hidden) const;
};

/// The positions filled by `rows` (summaries of one folder's runs, failed runs included).
plot_layout layout_of(const std::vector<config_summary>& rows);

/// Index of a cell kind in plot_cells, and the data files' cell column.
std::size_t cell_index(cell_kind cell);

/// plot_data/<config>.dat: epoch, val_accuracy mean, std, val_loss mean, std.
std::string curve_file(const config_summary& s);
std::string curve_table(const config_summary& s);

/// plot_data/configs.dat, one row per position (columns named in its first line; NaN when absent).
inline constexpr const char* configs_file = "plot_data/configs.dat";
std::string configs_table(const plot_layout& layout);

/// plot_data/seeds.dat: position, cell column, final accuracy of one successful run.
inline constexpr const char* seeds_file = "plot_data/seeds.dat";
std::string seeds_table(const plot_layout& layout);

}  // namespace notmnist
