#pragma once
// The models the .npz harness loads into; write_npz_seeds.cpp saves them for the seed corpus.
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

namespace rnncell_fuzz {

using mgu_model = rnncell::Model<rnncell::MGUCell<2, 3>, rnncell::Dense<3, 2>>;
using stacked_gru_model = rnncell::Model<rnncell::Stacked<rnncell::GRUCell<2, 3>, 2>, rnncell::Dense<3, 2>>;

}  // namespace rnncell_fuzz
