#include "grid/model_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace notmnist {
namespace {

template <cell_kind Cell, std::size_t... I>
std::unique_ptr<trainable> make_for_layers(int layers, int hidden, std::uint64_t seed, const training_protocol& protocol,
                                           std::index_sequence<I...>) {
  std::unique_ptr<trainable> model;
  ((layers == supported_layers[I] && (model = model_factory<Cell, supported_layers[I]>::make(hidden, seed, protocol))) ||
   ...);
  return model;
}

template <std::size_t... C>
std::unique_ptr<trainable> make_for_cells(const model_config& config, std::uint64_t seed,
                                          const training_protocol& protocol, std::index_sequence<C...>) {
  constexpr auto layer_indices = std::make_index_sequence<supported_layers.size()>{};
  std::unique_ptr<trainable> model;
  ((config.cell == supported_cells[C] &&
    (model = make_for_layers<supported_cells[C]>(config.layers, config.hidden, seed, protocol, layer_indices))) ||
   ...);
  return model;
}

std::string joined(const auto& values) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += ',';
    out += std::to_string(v);
  }
  return out;
}

}  // namespace

std::vector<model_config> supported_configs() {
  std::vector<model_config> all;
  for (cell_kind cell : supported_cells)
    for (int layers : supported_layers)
      for (int hidden : supported_hidden) all.push_back({cell, layers, hidden});
  return all;
}

std::string supported_list() {
  std::string cells;
  for (cell_kind cell : supported_cells) {
    if (!cells.empty()) cells += '/';
    cells += cell_name(cell);
  }
  return cells + " x layers " + joined(supported_layers) + " x hidden " + joined(supported_hidden);
}

void require_supported(const model_config& config) {
  const auto all = supported_configs();
  if (std::find(all.begin(), all.end(), config) == all.end())
    throw std::invalid_argument(config.name() + " is not compiled into this program; supported: " + supported_list());
}

std::unique_ptr<trainable> make_model(const model_config& config, std::uint64_t seed, const training_protocol& protocol) {
  require_supported(config);
  return make_for_cells(config, seed, protocol, std::make_index_sequence<supported_cells.size()>{});
}

}  // namespace notmnist
