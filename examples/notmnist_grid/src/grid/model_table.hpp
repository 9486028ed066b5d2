#pragma once
// The (cell, layers, hidden) combinations compiled into the program and the run-time dispatch to
// them. Widths are template arguments, so each combination is its own instantiation. The list is
// written once, in CMakeLists.txt (NOTMNIST_GRID_CELLS / _LAYERS / _HIDDEN), which generates
// grid/supported_grid.hpp (the arrays below come from it) and one instantiation unit per
// (cell, layers), models_<cell>_<layers>l.cpp, so that the build compiles them in parallel.
#include "grid/grid_config.hpp"
#include "grid/supported_grid.hpp"
#include "grid/trainable.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace notmnist {

inline constexpr int model_classes = 10;  // the Dense head's width: notMNIST's letters A-J

std::vector<model_config> supported_configs();
std::string supported_list();  // "GRU/MGU x layers 1,2,3 x hidden 50,128,256"

/// Throws std::invalid_argument naming `config` and listing the supported combinations when
/// `config` is not compiled in.
void require_supported(const model_config& config);

/// A freshly initialised model (rnncell::Model(seed)) with Adam's learning rate set to
/// protocol.lr and every layer's dropout and recurrent_dropout to protocol's (the rest of the
/// protocol is the training loop's). Throws as require_supported for any config not compiled in.
std::unique_ptr<trainable> make_model(const model_config& config, std::uint64_t seed, const training_protocol& protocol);

/// Builds the models of one (cell, layers) for every supported hidden width; defined in
/// model_adapter.hpp and explicitly instantiated in the generated models_<cell>_<layers>l.cpp.
template <cell_kind Cell, int Layers>
struct model_factory {
  static std::unique_ptr<trainable> make(int hidden, std::uint64_t seed, const training_protocol& protocol);
};

}  // namespace notmnist
