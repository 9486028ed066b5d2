#include "model_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace notmnist {
namespace {

template <cell_kind Cell, std::size_t... I>
std::unique_ptr<trainable> make_for_layers(int layers, int hidden, std::uint64_t seed, double lr,
                                           std::index_sequence<I...>) {
  std::unique_ptr<trainable> model;
  ((layers == supported_layers[I] && (model = model_factory<Cell, supported_layers[I]>::make(hidden, seed, lr))) || ...);
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

bool is_supported(const model_config& config) {
  const auto all = supported_configs();
  return std::find(all.begin(), all.end(), config) != all.end();
}

std::string supported_list() {
  return "GRU/MGU x layers " + joined(supported_layers) + " x hidden " + joined(supported_hidden);
}

std::unique_ptr<trainable> make_model(const model_config& config, std::uint64_t seed, double lr) {
  if (!is_supported(config))
    throw std::invalid_argument(config.name() + " is not compiled in; supported: " + supported_list());
  constexpr auto layer_indices = std::make_index_sequence<supported_layers.size()>{};
  return config.cell == cell_kind::gru
             ? make_for_layers<cell_kind::gru>(config.layers, config.hidden, seed, lr, layer_indices)
             : make_for_layers<cell_kind::mgu>(config.layers, config.hidden, seed, lr, layer_indices);
}

}  // namespace notmnist
