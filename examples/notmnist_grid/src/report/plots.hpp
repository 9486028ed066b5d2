#pragma once
// The grid's figures (plot_script.hpp says what each shows), drawn by gnuplot from data files
// written first into OUT/plot_data/, so that they can be redrawn without the program.
#include "report/summary.hpp"

#include <filesystem>
#include <ostream>
#include <vector>

namespace notmnist {

/// Writes OUT/plot_data/ (<config>.dat, configs.dat, seeds.dat, plots.gp), then runs gnuplot in OUT
/// and moves the finished figures into place. Returns false, after saying why on `log`, when there
/// is nothing to draw or gnuplot is missing or fails; the data files and the script stay, so the
/// figures can be drawn later with `cd OUT && gnuplot plot_data/plots.gp`.
bool write_plots(const std::filesystem::path& out, const std::vector<config_summary>& rows, std::ostream& log);

}  // namespace notmnist
