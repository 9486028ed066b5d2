#include "grid/grid_config.hpp"

#include "data/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace notmnist {

std::string cell_name(cell_kind cell) { return cell == cell_kind::gru ? "GRU" : "MGU"; }

cell_kind parse_cell(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (lower == "gru") return cell_kind::gru;
  if (lower == "mgu") return cell_kind::mgu;
  throw std::invalid_argument("unknown cell '" + name + "': expected gru or mgu");
}

std::string model_config::name() const {
  return cell_name(cell) + "_" + std::to_string(layers) + "l_" + std::to_string(hidden) + "h";
}

double epoch_work(const model_config& c) {
  const double gates = c.cell == cell_kind::gru ? 3 : 2;
  const double h = c.hidden;
  return gates * h * (double(image_side) + h) + double(c.layers - 1) * gates * h * 2 * h;
}

std::string training_protocol::describe() const {
  std::ostringstream out;
  out << epochs << " epochs, batch " << batch << ", lr " << lr << ", split seed " << split_seed;
  if (dropout != 0) out << ", dropout " << dropout;
  if (recurrent_dropout != 0) out << ", recurrent dropout " << recurrent_dropout;
  return out.str();
}

std::string run_id::name() const { return config.name() + "_seed" + std::to_string(seed); }

std::vector<run_id> enumerate_runs(const grid_spec& spec) {
  std::vector<run_id> runs;
  for (cell_kind cell : spec.cells)
    for (int layers : spec.layers)
      for (int hidden : spec.hidden)
        for (int s = 0; s < spec.seeds; ++s) runs.push_back({{cell, layers, hidden}, first_run_seed + std::uint64_t(s)});
  return runs;
}

shard parse_shard(const std::string& text) {
  shard s;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> s.index >> slash >> s.count) || slash != '/' || !in.eof() || s.count < 1 || s.index < 1 || s.index > s.count)
    throw std::invalid_argument("--shard must be i/n with integers 1 <= i <= n, e.g. 2/4, got '" + text + "'");
  return s;
}

std::vector<run_id> runs_of_shard(const std::vector<run_id>& runs, shard s) {
  std::vector<run_id> mine;
  for (std::size_t i = std::size_t(s.index - 1); i < runs.size(); i += std::size_t(s.count)) mine.push_back(runs[i]);
  return mine;
}

}  // namespace notmnist
