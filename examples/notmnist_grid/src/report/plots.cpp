#include "report/plots.hpp"

#include "grid/model_table.hpp"
#include "grid/subprocess.hpp"

#include <rnncell/detail/atomic_write.hpp>

#include <algorithm>
#include <array>
#include <sstream>

namespace notmnist {
namespace fs = std::filesystem;

namespace {

struct figure {
  std::string name, title, ylabel;
  int mean_column;  // the std is the next column
};
const std::array<figure, 2> figures{{
    {"val_accuracy", "Validation accuracy per epoch (mean ± std over seeds)", "validation accuracy", 2},
    {"val_loss", "Validation loss per epoch (mean ± std over seeds)", "validation loss", 4},
}};
const std::array<std::string, 2> terminals{"pngcairo size 1280,720 noenhanced font ',10'",
                                           "svg size 1280,720 dynamic noenhanced font 'sans,10'"};
const std::array<std::string, 2> extensions{"png", "svg"};

std::string data_file(const config_summary& s) { return "plot_data/" + s.config.name() + ".dat"; }

std::string curves_table(const config_summary& s) {
  std::ostringstream dat;
  dat << "# " << s.config.name() << ": epoch, val_accuracy mean, std, val_loss mean, std (over successful seeds)\n";
  for (std::size_t e = 0; e < s.val_accuracy_curve.size(); ++e)
    dat << e + 1 << ' ' << s.val_accuracy_curve[e].mean << ' ' << s.val_accuracy_curve[e].std << ' '
        << s.val_loss_curve[e].mean << ' ' << s.val_loss_curve[e].std << '\n';
  return dat.str();
}

// One colour per (layers, hidden); GRU solid, MGU dashed.
std::string style(const config_summary& s) {
  static const std::array<const char*, 9> colours{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                   "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};
  auto position = [](const auto& table, int value) {
    return std::size_t(std::find(table.begin(), table.end(), value) - table.begin());
  };
  const std::size_t index =
      (position(supported_layers, s.config.layers) * supported_hidden.size() + position(supported_hidden, s.config.hidden)) %
      colours.size();
  return std::string("lc rgb '") + colours[index] + "' dt " + (s.config.cell == cell_kind::gru ? "1" : "2");
}

std::string script(const std::vector<const config_summary*>& rows) {
  std::size_t epochs = 0;
  for (const config_summary* s : rows) epochs = std::max(epochs, s->val_accuracy_curve.size());
  std::ostringstream gp;
  gp << "# Drawn by notmnist_grid; redraw with: cd <out> && gnuplot plot_data/plots.gp\n"
     << "set encoding utf8\nset key outside right top\nset grid\nset xlabel 'epoch'\n"
     << "set xtics " << std::max<std::size_t>(1, epochs / 10) << "\nset offsets 0.5, 0.5, 0, 0\n"
     << "set style fill transparent solid 0.15 noborder\n";
  for (std::size_t t = 0; t < terminals.size(); ++t)
    for (const auto& f : figures) {
      gp << "set terminal " << terminals[t] << "\nset output '" << f.name << "." << extensions[t] << std::string(rnncell::detail::atomic_write_temp_suffix)
         << "'\nset title '" << f.title << "'\nset ylabel '" << f.ylabel << "'\nplot ";
      const std::string mean = std::to_string(f.mean_column), std = std::to_string(f.mean_column + 1);
      for (const config_summary* s : rows) {
        gp << "'" << data_file(*s) << "' using 1:($" << mean << "-$" << std << "):($" << mean << "+$" << std
           << ") with filledcurves " << style(*s) << " notitle, \\\n     '" << data_file(*s) << "' using 1:" << mean
           << " with linespoints " << style(*s) << " pt 7 ps 0.4 title '" << s->config.name() << "'"
           << (s == rows.back() ? "\n" : ", \\\n     ");
      }
      gp << "unset output\n";
    }
  return gp.str();
}

}  // namespace

bool write_plots(const fs::path& out, const std::vector<config_summary>& rows, std::ostream& log) {
  std::vector<const config_summary*> plotted;
  for (const auto& s : rows)
    if (!s.val_accuracy_curve.empty()) plotted.push_back(&s);
  if (plotted.empty()) {
    log << "plots: no successful runs to draw\n";
    return false;
  }
  for (const config_summary* s : plotted) rnncell::detail::write_file_atomically(out / data_file(*s), curves_table(*s));
  rnncell::detail::write_file_atomically(out / "plot_data" / "plots.gp", script(plotted));

  const process_result gnuplot = run_process({"gnuplot", "plot_data/plots.gp"}, out);
  if (gnuplot.exit_code == 127) {
    log << "plots: gnuplot not found (Debian: apt install gnuplot-nox); everything else is written, and "
        << (out / "plot_data" / "plots.gp").string() << " draws them later\n";
    return false;
  }
  if (gnuplot.exit_code != 0) {
    log << "plots: gnuplot failed (exit " << gnuplot.exit_code << "):\n" << gnuplot.output;
    return false;
  }
  for (const auto& f : figures)
    for (const auto& ext : extensions) {
      const fs::path final_file = out / (f.name + "." + ext);
      fs::rename(final_file.string() + std::string(rnncell::detail::atomic_write_temp_suffix), final_file);
    }
  return true;
}

}  // namespace notmnist
