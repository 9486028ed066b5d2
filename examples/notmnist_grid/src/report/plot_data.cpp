#include "report/plot_data.hpp"

#include <algorithm>
#include <sstream>

namespace notmnist {
namespace {

// gnuplot skips a point with a NaN coordinate: a missing cell, or a config whose runs all failed.
std::string number(bool present, double v) {
  if (!present) return "NaN";
  std::ostringstream text;
  text << v;
  return text.str();
}

void add_sorted_unique(std::vector<int>& values, int v) {
  if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  std::sort(values.begin(), values.end());
}

}  // namespace

std::size_t cell_index(cell_kind cell) {
  return std::size_t(std::find(plot_cells.begin(), plot_cells.end(), cell) - plot_cells.begin());
}

int plot_layout::position_index(int l, int h) const {
  for (std::size_t i = 0; i < positions.size(); ++i)
    if (positions[i].layers == l && positions[i].hidden == h) return int(i);
  return -1;
}

plot_layout layout_of(const std::vector<config_summary>& rows) {
  plot_layout layout;
  bool any_lab = false;
  for (const auto& s : rows) {
    add_sorted_unique(layout.layers, s.config.layers);
    add_sorted_unique(layout.hidden, s.config.hidden);
    layout.epochs = std::max(layout.epochs, s.val_accuracy_curve.size());
    any_lab = any_lab || s.seed_lab.has_value();
  }
  for (int l : layout.layers)
    for (int h : layout.hidden) {
      plot_position p{l, h, {}};
      for (const auto& s : rows)
        if (s.config.layers == l && s.config.hidden == h) p.cells[cell_index(s.config.cell)] = &s;
      if (p.cells[0] || p.cells[1]) layout.positions.push_back(p);
    }
  layout.seed_lab_shown = any_lab && layout.epochs == seed_lab_epochs;
  return layout;
}

std::string curve_file(const config_summary& s) { return "plot_data/" + s.config.name() + ".dat"; }

std::string curve_table(const config_summary& s) {
  std::ostringstream dat;
  dat << "# " << s.config.name() << ": epoch, val_accuracy mean, std, val_loss mean, std (over successful seeds)\n";
  for (std::size_t e = 0; e < s.val_accuracy_curve.size(); ++e)
    dat << e + 1 << ' ' << s.val_accuracy_curve[e].mean << ' ' << s.val_accuracy_curve[e].std << ' '
        << s.val_loss_curve[e].mean << ' ' << s.val_loss_curve[e].std << '\n';
  return dat.str();
}

std::string configs_table(const plot_layout& layout) {
  std::ostringstream dat;
  dat << "# position layers hidden, then for GRU and for MGU: final val_accuracy mean, std, successful runs, "
         "runs, seconds per epoch, seed lab mean, seed lab std (NaN: none)\n";
  for (std::size_t i = 0; i < layout.positions.size(); ++i) {
    const plot_position& p = layout.positions[i];
    dat << i << ' ' << p.layers << ' ' << p.hidden;
    for (const config_summary* s : p.cells) {
      const bool ok = s && !s->final_accuracies.empty();
      const bool lab = s && s->seed_lab && layout.seed_lab_shown;
      dat << ' ' << number(ok, ok ? s->val_accuracy.mean : 0) << ' ' << number(ok, ok ? s->val_accuracy.std : 0) << ' '
          << (s ? s->final_accuracies.size() : 0) << ' ' << (s ? s->runs : 0) << ' '
          << number(ok, ok ? s->seconds_per_epoch : 0) << ' ' << number(lab, lab ? s->seed_lab->accuracy : 0) << ' '
          << number(lab, lab ? s->seed_lab->std : 0);
    }
    dat << '\n';
  }
  return dat.str();
}

std::string seeds_table(const plot_layout& layout) {
  std::ostringstream dat;
  dat << "# position, cell (0 GRU, 1 MGU), final val_accuracy of one successful run\n";
  for (std::size_t i = 0; i < layout.positions.size(); ++i)
    for (const config_summary* s : layout.positions[i].cells)
      if (s)
        for (double a : s->final_accuracies) dat << i << ' ' << cell_index(s->config.cell) << ' ' << a << '\n';
  return dat.str();
}

}  // namespace notmnist
