#pragma once
// THE table of the (cell, layers, hidden) combinations compiled into the program. Widths are
// template arguments, so each combination is its own instantiation; make_model dispatches to it
// at run time. The instantiations live in models_<cell>_<layers>l.cpp, one file per (cell,
// layers), so that the build runs them in parallel.
#include "grid_config.hpp"
#include "trainable.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace notmnist {

inline constexpr std::array supported_cells{cell_kind::gru, cell_kind::mgu};
inline constexpr std::array supported_layers{1, 2, 3};
inline constexpr std::array supported_hidden{50, 128, 256};
inline constexpr int model_classes = 10;  // the Dense head's width: notMNIST's letters A-J

std::vector<model_config> supported_configs();
bool is_supported(const model_config& config);
std::string supported_list();  // "GRU/MGU x layers 1,2,3 x hidden 50,128,256"

/// A freshly initialised model (rnncell::Model(seed)) with Adam's learning rate set to lr.
/// Throws std::invalid_argument listing the supported combinations for any other config.
std::unique_ptr<trainable> make_model(const model_config& config, std::uint64_t seed, double lr);

/// Builds the models of one (cell, layers) for every supported hidden width; defined in
/// model_adapter.hpp and explicitly instantiated in models_<cell>_<layers>l.cpp.
template <cell_kind Cell, int Layers>
struct model_factory {
  static std::unique_ptr<trainable> make(int hidden, std::uint64_t seed, double lr);
};

}  // namespace notmnist
