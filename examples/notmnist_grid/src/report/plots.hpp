#pragma once
// val_accuracy.{png,svg} and val_loss.{png,svg}: per config the mean over seeds per epoch with a
// +-std band (the seed lab's Figures 2 and 3), drawn by gnuplot from data files written first.
#include "report/summary.hpp"

#include <filesystem>
#include <ostream>
#include <vector>

namespace notmnist {

/// Writes OUT/plot_data/<config>.dat and OUT/plot_data/plots.gp, then runs gnuplot in OUT.
/// Returns false, after saying why on `log`, when gnuplot is missing or fails; the data files and
/// the script stay, so the plots can be drawn later with `cd OUT && gnuplot plot_data/plots.gp`.
bool write_plots(const std::filesystem::path& out, const std::vector<config_summary>& rows, std::ostream& log);

}  // namespace notmnist
