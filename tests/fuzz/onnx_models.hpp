#pragma once
// The models the load_onnx harness loads every input into, and write_onnx_seeds saves as its seeds:
// one of each kind of layer the loader recognises (GRU of both variants, MGU's Scan, LSTM), small.
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

namespace rnncell_fuzz {
using gru_reset_after_model = rnncell::Model<rnncell::Stacked<rnncell::GRUCell<3, 4, float, rnncell::reset_after>, 2>,
                                             rnncell::Dense<4, 2>>;
using gru_reset_before_model = rnncell::Model<rnncell::GRUCell<3, 4>, rnncell::Dense<4, 2>>;
using mgu_model = rnncell::Model<rnncell::Stacked<rnncell::MGUCell<3, 4>, 2>, rnncell::Dense<4, 2>>;
using lstm_model = rnncell::Model<rnncell::Stacked<rnncell::LSTMCell<3, 4>, 2>, rnncell::Dense<4, 2>>;
}  // namespace rnncell_fuzz
