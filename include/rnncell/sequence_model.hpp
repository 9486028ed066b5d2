#pragma once
/// @file
/// SequenceModel<Input, Stack, Head>: a loss at every step, as a language model or a tagger:
/// @code
///   SequenceModel<Embedding<256, 32>, GRUCell<32, 64>,
///                 Sequential<Dense<64, 32>, Dense<32, 256>>> m(seed);
///   batch_metrics r = m.train_on_batch(ids /* (T, B) ints */, targets /* (T, B) ints */);
/// @endcode
/// Input turns x into a sequence (an Embedding for token ids, Identity for float features), the
/// recurrent stack runs over it, and the head maps every step's hidden state to logits in ONE
/// product over all T*B rows. The loss is the mean softmax cross-entropy over every step of every
/// sequence (PyTorch's cross_entropy on the (T*B, classes) logits, Keras' per-timestep loss):
///   loss = 1 / (T B) sum_{t, b} (log sum_c exp(z_tbc) - z_tb,target_tb)
/// With per-sequence lengths, the sum and the count run over the valid steps t < lengths[b].
#include <rnncell/adam.hpp>
#include <rnncell/composite.hpp>
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/identity.hpp>
#include <rnncell/loss.hpp>
#include <rnncell/model.hpp>
#include <rnncell/random.hpp>
#include <rnncell/sequential.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace rnncell {

/// A recurrent stack with a head at every step, trained on per-step targets with the mean softmax
/// cross-entropy over all steps and Adam. Parameters are named "input.<name>" (an Embedding's
/// table), "rnn.<stack's name>" and "head.<name>" (composite). Buffers follow (T, B) and are
/// reused: after the first batch of a shape, a train step allocates nothing.
/// @tparam Input Embedding<Vocab, In, T> for token ids (T, B), or Identity<In, T> for floats.
/// @tparam Stack a cell (GRUCell, MGUCell) or a Stacked, whose input width is Input's width.
/// @tparam Head a row-wise layer from the stack's hidden width to the classes: a Dense or a
///         Sequential of Dense and Activation layers.
template <class Input, class Stack, class Head>
class SequenceModel : public composite<SequenceModel<Input, Stack, Head>> {
  static_assert(detail::check_width<Stack::input_width, Input::output_width>::value,
                "rnncell: the stack's input width must equal the input layer's width");
  static_assert(detail::check_width<Stack::hidden_width, Head::input_width>::value,
                "rnncell: the head's input width must equal the stack's hidden width");
  static_assert(std::is_same_v<typename Stack::value_type, typename Head::value_type> &&
                    std::is_same_v<typename Stack::value_type, typename Input::value_type>,
                "rnncell: the input, the stack and the head must use the same scalar type");

 public:
  using value_type = typename Stack::value_type;                   ///< the element type
  using input_layer_type = Input;                                   ///< the input layer's type
  using stack_type = Stack;                                         ///< the recurrent part's type
  using head_type = Head;                                           ///< the head's type
  using input_type = typename Input::input_type;                   ///< token ids (T, B) or floats (T, B, In)
  using targets_type = xt::xtensor<int, 2>;                        ///< class ids per step, (T, B)
  static constexpr std::size_t hidden_width = Stack::hidden_width;  ///< H, the stack's top width
  static constexpr std::size_t classes = Head::output_width;        ///< the number of classes

  Input input;  ///< the input layer, part "input" if it has parameters
  Stack rnn;    ///< the recurrent part, part "rnn"
  Head head;    ///< the per-step head, part "head"

  /// Every weight drawn from one generator seeded with seed (the input layer, the stack bottom-up,
  /// then the head), every bias zero. That generator then draws the dropout masks of training
  /// (the cells' dropout and recurrent_dropout, Stacked::dropout; 0 by default), as Model's.
  /// @param seed the seed of that generator (rng).
  explicit SequenceModel(std::uint64_t seed) : dropout_rng_(seed) { this->initialize(dropout_rng_); }

  /// Forward, loss, backward through time and one Adam step.
  /// @param x token ids (T, B) for an Embedding, sequences (T, B, In) for Identity; T, B >= 1.
  /// @param targets the class of every step, (T, B), each in [0, classes).
  /// @return the mean loss and the accuracy over every step, measured before the step.
  /// @throws std::invalid_argument on a bad shape, token id or target (the message names it).
  batch_metrics train_on_batch(const input_type& x, const targets_type& targets) {
    const batch_metrics metrics = compute_gradients(x, targets);
    adam_.step(*this);
    return metrics;
  }

  /// The same on a padded batch: sequence b has lengths[b] steps. Its state is held past them,
  /// and the loss is the mean over the valid steps only: the padded steps' targets are not read
  /// (any value, e.g. -100 as PyTorch's ignore_index) and give no gradient (Keras masking). Their
  /// token ids are still looked up, so they must be valid ids (0, as Keras' mask_zero, is fine).
  /// @param x padded token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param targets (T, B): the class of every valid step, in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the mean loss and the accuracy over the valid steps, measured before the step.
  /// @throws std::invalid_argument on a bad shape, token id, target or length (the message names it).
  template <length_range Lengths>
  batch_metrics train_on_batch(const input_type& x, const targets_type& targets, const Lengths& lengths) {
    const batch_metrics metrics = compute_gradients(x, targets, lengths);
    adam_.step(*this);
    return metrics;
  }

  /// Forward, loss and backward: leaves the batch's gradients (not accumulated) in every layer's
  /// grads, for a custom optimizer or gradient accumulation. The parameters are unchanged.
  /// @param x token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param targets the class of every step, (T, B), each in [0, classes).
  /// @return the mean loss and the accuracy over every step.
  /// @throws std::invalid_argument on a bad shape, token id or target (the message names it).
  batch_metrics compute_gradients(const input_type& x, const targets_type& targets) {
    return gradients(x, targets, no_lengths{});
  }

  /// compute_gradients on a padded batch (see train_on_batch with lengths).
  /// @param x padded token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param targets (T, B): the class of every valid step, in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the mean loss and the accuracy over the valid steps.
  /// @throws std::invalid_argument on a bad shape, token id, target or length (the message names it).
  template <length_range Lengths>
  batch_metrics compute_gradients(const input_type& x, const targets_type& targets, const Lengths& lengths) {
    return gradients(x, targets, lengths);
  }

  /// Loss and accuracy over every step without changing the model.
  /// @param x token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param targets the class of every step, (T, B), each in [0, classes).
  /// @return the mean loss and the accuracy over every step.
  /// @throws std::invalid_argument on a bad shape, token id or target (the message names it).
  batch_metrics evaluate(const input_type& x, const targets_type& targets) {
    return forward_and_loss(x, targets, no_lengths{});
  }

  /// evaluate on a padded batch (see train_on_batch with lengths).
  /// @param x padded token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param targets (T, B): the class of every valid step, in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the mean loss and the accuracy over the valid steps.
  /// @throws std::invalid_argument on a bad shape, token id, target or length (the message names it).
  template <length_range Lengths>
  batch_metrics evaluate(const input_type& x, const targets_type& targets, const Lengths& lengths) {
    return forward_and_loss(x, targets, lengths);
  }

  /// Logits of every step, (T, B, classes); valid until the next call on this model.
  /// @param x token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @return the logits, a buffer of the model's, overwritten by the next call.
  /// @throws std::invalid_argument on a bad shape or token id (the message names it).
  const xt::xtensor<value_type, 3>& predict(const input_type& x) {
    forward_logits(x, no_lengths{});
    return logits_;
  }

  /// Logits of a padded batch, (T, B, classes), zero at the padded steps (t >= lengths[b]).
  /// @param x padded token ids (T, B) or sequences (T, B, In); T, B >= 1.
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the logits, a buffer of the model's, overwritten by the next call.
  /// @throws std::invalid_argument on a bad shape, token id or length (the message names it).
  template <length_range Lengths>
  const xt::xtensor<value_type, 3>& predict(const input_type& x, const Lengths& lengths) {
    forward_logits(x, lengths);
    return logits_;
  }

  /// The optimizer train_on_batch steps, for its hyperparameters (lr, clipping, style).
  /// @return the model's Adam, whose moments persist from step to step.
  Adam<value_type>& optimizer() { return adam_; }

  /// The parts "input" (if it has parameters), "rnn" and "head", for the parameter visitors.
  /// @tparam F a callable f(detail::part_name, part&) for each part's type.
  /// @param f called for input, rnn, then head.
  template <class F>
  void for_each_part(F&& f) {
    if constexpr (detail::has_parameters<Input>) f(detail::part_name{"input"}, input);
    f(detail::part_name{"rnn"}, rnn);
    f(detail::part_name{"head"}, head);
  }

 private:
  struct no_lengths {};

  template <class Lengths>
  batch_metrics gradients(const input_type& x, const targets_type& targets, const Lengths& lengths) {
    const batch_metrics metrics = forward_and_loss(x, targets, lengths, &dropout_rng_);
    this->zero_grad();
    const std::size_t rows = active_rows();
    head.backward_unchecked(ws_.output_sequence().first_steps(active_steps_).all_rows(),
                            {dlogits_.data(), rows, classes}, {dh_.data(), rows, hidden_width},
                            head_packed_.get(Head::packed_size));
    const detail::sequence_ref<const value_type> dh{dh_.data(), x.shape(0), x.shape(1), hidden_width};
    // The forward's only backward: an LSTM writes its gradients over its gates (consume_forward).
    rnn.backward_unchecked(sequence_, ws_, dh, {}, detail::has_parameters<Input>, true);
    if constexpr (detail::has_parameters<Input>)
      input.backward_unchecked(x.data(), {ws_.dx().data(), x.shape(0) * x.shape(1), Input::output_width});
    return metrics;
  }

  // Every public call comes here: no_lengths for full-length sequences, else lengths checked.
  // The head runs on the steps the stack computed, up to the longest sequence. training: the
  // dropout generator (compute_gradients), null for inference.
  template <class Lengths>
  void forward_logits(const input_type& x, const Lengths& lengths, rng* training = nullptr) {
    if (training) rnn.check_dropout_rates();  // before any buffer changes
    Input::check(x);
    const std::size_t steps = x.shape(0), batch = x.shape(1), rows = steps * batch;
    if constexpr (std::is_same_v<Lengths, no_lengths>) {
      lengths_.clear();
    } else {
      detail::check_lengths(lengths, steps, batch);
      lengths_.assign(std::ranges::begin(lengths), std::ranges::end(lengths));
    }
    active_steps_ = lengths_.empty() ? steps : *std::max_element(lengths_.begin(), lengths_.end());
    // Buffers follow (T, B); std::vector keeps its capacity, so a smaller shape reuses it.
    if (logits_.shape() != std::array{steps, batch, classes}) logits_.resize({steps, batch, classes});
    dlogits_.resize(rows * classes);
    dh_.resize(rows * hidden_width);
    if constexpr (detail::has_parameters<Input>) {
      embedded_.resize(rows * Input::output_width);
      input.forward_unchecked(x.data(), {embedded_.data(), rows, Input::output_width});
      sequence_ = {embedded_.data(), steps, batch, Input::output_width};
    } else {
      sequence_ = detail::as_sequence(x);
    }
    rnn.forward_unchecked(sequence_, {}, ws_, lengths_, training);
    head.forward_unchecked(ws_.output_sequence().first_steps(active_steps_).all_rows(),
                           {logits_.data(), active_rows(), classes}, head_packed_.get(Head::packed_size));
    for (std::size_t i = 0; i < rows; ++i)
      if (padded(i, batch)) std::fill_n(logits_.data() + i * classes, classes, value_type(0));
    // The stack reads dh at every step, the head writes the active ones: no gradient past them.
    std::fill(dh_.begin() + std::ptrdiff_t(active_rows() * hidden_width), dh_.end(), value_type(0));
  }

  // loss = mean over the valid steps of (log sum_c exp(z_c) - z_target); a padded row's gradient is 0.
  template <class Lengths>
  batch_metrics forward_and_loss(const input_type& x, const targets_type& targets, const Lengths& lengths,
                                 rng* training = nullptr) {
    forward_logits(x, lengths, training);
    const std::size_t batch = x.shape(1), rows = x.shape(0) * batch;
    check_targets(targets, x.shape(0), batch);
    batch_metrics m;
    if (lengths_.empty()) {  // every row valid: one call over all of them
      const std::span<const int> labels(targets.data(), rows);
      std::size_t correct = 0;
      m.loss = softmax_cross_entropy(logits_.data(), labels, rows, classes, dlogits_.data(), correct);
      m.accuracy = double(correct) / double(rows);
      return m;
    }
    std::size_t valid = 0, correct = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      value_type* d = dlogits_.data() + i * classes;
      if (padded(i, batch)) {
        std::fill_n(d, classes, value_type(0));
        continue;
      }
      const std::span<const int> label(targets.data() + i, 1);
      std::size_t row_correct = 0;
      m.loss += softmax_cross_entropy(logits_.data() + i * classes, label, 1, classes, d, row_correct);
      correct += row_correct;
      ++valid;
    }
    const value_type scale = value_type(1.0 / double(valid));  // each row's gradient was for a mean over 1
    for (std::size_t i = 0; i < rows * classes; ++i) dlogits_[i] *= scale;
    m.loss /= double(valid);
    m.accuracy = double(correct) / double(valid);
    return m;
  }

  // Row i = t * B + b is a padded step if t >= lengths[b].
  bool padded(std::size_t i, std::size_t batch) const { return !lengths_.empty() && i / batch >= lengths_[i % batch]; }
  std::size_t active_rows() const { return active_steps_ * ws_.batch(); }

  void check_targets(const targets_type& targets, std::size_t steps, std::size_t batch) const {
    detail::require_shape("targets", targets.shape(), std::array{steps, batch}, "(T, B), as the input's");
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (!padded(i, batch) && (targets.data()[i] < 0 || std::size_t(targets.data()[i]) >= classes))
        throw std::invalid_argument("rnncell: target " + std::to_string(targets.data()[i]) + " at (t = " +
                                    std::to_string(i / batch) + ", b = " + std::to_string(i % batch) +
                                    ") is outside 0.." + std::to_string(classes - 1));
  }

  rng dropout_rng_;  // initialises the model, then draws every training forward's dropout masks
  Adam<value_type> adam_;
  typename Stack::workspace ws_;
  detail::sequence_ref<const value_type> sequence_;  // what the stack ran on: x, or embedded_
  std::vector<value_type> embedded_;                 // (T, B, In): the Embedding's vectors
  xt::xtensor<value_type, 3> logits_;                // (T, B, classes)
  std::vector<value_type> dlogits_;                  // (T*B, classes)
  std::vector<value_type> dh_;                       // (T*B, H): the head's dLoss/dh_t, every step
  detail::aligned_buffer<value_type> head_packed_;   // the room the head packs its weights into
  std::vector<std::size_t> lengths_;                 // this batch's lengths, empty for full length
  std::size_t active_steps_ = 0;                     // the steps the stack computed: max(lengths)
};

}  // namespace rnncell
