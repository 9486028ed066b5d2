#pragma once
// rnncell::Model<Stacked<Cell, L>, Dense<H, 10>> behind the trainable interface, and the
// model_factory definition that the generated models_*.cpp files instantiate. Include only there: each
// inclusion compiles the whole library for its widths.
#include "data/dataset.hpp"
#include "grid/model_table.hpp"

#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/stacked.hpp>

#include <type_traits>
#include <utility>

namespace notmnist {

template <cell_kind Cell, std::size_t Hidden>
using cell_type = std::conditional_t<Cell == cell_kind::gru, rnncell::GRUCell<image_side, Hidden>,
                                     rnncell::MGUCell<image_side, Hidden>>;

template <cell_kind Cell, int Layers, int Hidden>
using model_type = rnncell::Model<rnncell::Stacked<cell_type<Cell, Hidden>, Layers>, rnncell::Dense<Hidden, model_classes>>;

template <class Model>
class model_adapter final : public trainable {
 public:
  /// Model(seed), Adam's rate protocol.lr, and protocol's dropout and recurrent_dropout on every
  /// layer's cell (Keras semantics: masks drawn from the model's generator in train_on_batch
  /// only; 0 draws nothing, so the seed protocol's runs are unchanged bit for bit). The stack's
  /// own dropout between layers (PyTorch style) stays 0.
  model_adapter(std::uint64_t seed, const training_protocol& protocol) : model_(seed) {
    model_.optimizer().lr = protocol.lr;
    model_.rnn.for_each_part([&](auto, auto& cell) {
      cell.dropout = protocol.dropout;
      cell.recurrent_dropout = protocol.recurrent_dropout;
    });
  }
  rnncell::batch_metrics train_on_batch(const batch& b) override { return model_.train_on_batch(b.x, b.labels); }
  rnncell::batch_metrics evaluate(const batch& b) override { return model_.evaluate(b.x, b.labels); }
  std::size_t parameter_count() override { return model_.parameter_count(); }

 private:
  Model model_;
};

namespace detail {
template <cell_kind Cell, int Layers, std::size_t... I>
std::unique_ptr<trainable> make_for_hidden(int hidden, std::uint64_t seed, const training_protocol& protocol,
                                           std::index_sequence<I...>) {
  std::unique_ptr<trainable> model;
  ((hidden == supported_hidden[I] &&
    (model = std::make_unique<model_adapter<model_type<Cell, Layers, supported_hidden[I]>>>(seed, protocol))) ||
   ...);
  return model;
}
}  // namespace detail

template <cell_kind Cell, int Layers>
std::unique_ptr<trainable> model_factory<Cell, Layers>::make(int hidden, std::uint64_t seed,
                                                              const training_protocol& protocol) {
  return detail::make_for_hidden<Cell, Layers>(hidden, seed, protocol, std::make_index_sequence<supported_hidden.size()>{});
}

}  // namespace notmnist
