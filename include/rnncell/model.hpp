#pragma once
/// @file
/// Model<Stack, Head>: a recurrent stack whose last hidden state feeds a Dense head of logits,
/// trained with softmax cross-entropy and Adam, as the seed lab's Keras model:
/// @code
///   Model<Stacked<GRUCell<28, 128>, 3>, Dense<128, 10>> m(seed);
///   batch_metrics r = m.train_on_batch(x /* (T, B, In) */, labels /* B ints */);
/// @endcode
/// Construction initialises every weight Glorot-uniform (per gate for the cells) from one seeded
/// generator, layer by layer bottom-up and the head last, and zeroes every bias. That generator
/// then goes on to draw the dropout masks of training (the cells' dropout and recurrent_dropout,
/// Stacked::dropout; all 0 by default): a seed gives one run, masks included. evaluate and predict
/// never drop.
#include <rnncell/adam.hpp>
#include <rnncell/composite.hpp>
#include <rnncell/detail/aligned_buffer.hpp>
#include <rnncell/detail/lengths.hpp>
#include <rnncell/detail/matrix_ref.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/loss.hpp>
#include <rnncell/random.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rnncell {

/// Mean loss and accuracy of one batch.
struct batch_metrics {
  double loss = 0;      ///< mean softmax cross-entropy over the batch
  double accuracy = 0;  ///< fraction of the batch whose largest logit is its label, in [0, 1]
};

/// A classifier: a recurrent stack over the sequence, its last hidden state h_T into a Dense head
/// of logits, softmax cross-entropy and Adam (Keras' defaults). The parameters are named
/// "rnn.<stack's name>" and "head.<name>" (composite). Buffers follow the batch size and are
/// reused from call to call.
/// @tparam Stack the recurrent part: a cell (GRUCell, MGUCell) or a Stacked.
/// @tparam Head the head, a Dense whose input width is the stack's hidden width (checked at
///         compile time) and whose output width is the number of classes.
template <class Stack, class Head>
class Model : public composite<Model<Stack, Head>> {
  static_assert(detail::check_width<Stack::hidden_width, Head::input_width>::value,
                "rnncell: the head's input width must equal the stack's hidden width");
  static_assert(std::is_same_v<typename Stack::value_type, typename Head::value_type>,
                "rnncell: the stack and the head must use the same scalar type");

 public:
  using value_type = typename Stack::value_type;                   ///< the element type
  using stack_type = Stack;                                         ///< the recurrent part's type
  using head_type = Head;                                           ///< the head's type
  static constexpr std::size_t input_width = Stack::input_width;    ///< In, the width of each x_t
  static constexpr std::size_t hidden_width = Stack::hidden_width;  ///< H, the stack's top width
  static constexpr std::size_t classes = Head::output_width;        ///< the number of classes

  Stack rnn;  ///< the recurrent part, part "rnn"
  Head head;  ///< the head, part "head"

  /// Every weight Glorot-uniform from one generator seeded with seed (the stack layer by layer
  /// bottom-up, then the head), every bias zero.
  /// @param seed the seed of that generator (rng): one seed, one model, on every platform.
  explicit Model(std::uint64_t seed) : dropout_rng_(seed) {
    this->initialize(dropout_rng_);  // the stack layer by layer, then the head; dropout draws on
  }

  /// Forward, loss, backward through time and one Adam step on x (T, B, In) with B labels.
  /// @param x the input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @return the batch's loss and accuracy, measured before the step.
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or labels has not B
  ///         entries each in [0, classes).
  batch_metrics train_on_batch(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    const batch_metrics metrics = compute_gradients(x, labels);
    adam_.step(*this);
    return metrics;
  }

  /// The same on a padded batch of sequences of different lengths: sequence b has lengths[b]
  /// steps, the head reads each sequence's state at its own length, the padded steps get no
  /// gradient (Keras masking, PyTorch's pack_padded_sequence); see BaseRNNCell::forward.
  /// @param x the padded input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the batch's loss and accuracy, measured before the step.
  /// @throws std::invalid_argument if x, labels or lengths do not fit.
  template <length_range Lengths>
  batch_metrics train_on_batch(const xt::xtensor<value_type, 3>& x, std::span<const int> labels,
                               const Lengths& lengths) {
    const batch_metrics metrics = compute_gradients(x, labels, lengths);
    adam_.step(*this);
    return metrics;
  }

  /// Forward, loss and backward: leaves the batch's gradients (not accumulated) in every layer's
  /// grads, for a custom optimizer or gradient accumulation. The parameters are unchanged.
  /// @param x the input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @return the batch's loss and accuracy.
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or labels has not B
  ///         entries each in [0, classes).
  batch_metrics compute_gradients(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    return gradients(x, labels, no_lengths{});
  }

  /// compute_gradients on a padded batch of sequences of different lengths.
  /// @param x the padded input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the batch's loss and accuracy.
  /// @throws std::invalid_argument if x, labels or lengths do not fit.
  template <length_range Lengths>
  batch_metrics compute_gradients(const xt::xtensor<value_type, 3>& x, std::span<const int> labels,
                                  const Lengths& lengths) {
    return gradients(x, labels, lengths);
  }

  /// Loss and accuracy on x without changing the model.
  /// @param x the input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @return the batch's loss and accuracy.
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1, or labels has not B
  ///         entries each in [0, classes).
  batch_metrics evaluate(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    return forward_and_loss(x, labels, no_lengths{});
  }

  /// evaluate on a padded batch of sequences of different lengths.
  /// @param x the padded input sequences, time-major (T, B, In), T and B at least 1.
  /// @param labels B class indices, each in [0, classes).
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the batch's loss and accuracy.
  /// @throws std::invalid_argument if x, labels or lengths do not fit.
  template <length_range Lengths>
  batch_metrics evaluate(const xt::xtensor<value_type, 3>& x, std::span<const int> labels, const Lengths& lengths) {
    return forward_and_loss(x, labels, lengths);
  }

  /// Logits (B, classes) for x; valid until the next call on this model.
  /// @param x the input sequences, time-major (T, B, In), T and B at least 1.
  /// @return the logits, a buffer of the model's, overwritten by the next call.
  /// @throws std::invalid_argument if x is not (T, B, In) with T, B >= 1.
  const xt::xtensor<value_type, 2>& predict(const xt::xtensor<value_type, 3>& x) {
    forward_logits(x, no_lengths{});
    return logits_;
  }

  /// Logits (B, classes) for a padded batch of sequences of different lengths, each read at its
  /// own last step; valid until the next call on this model.
  /// @param x the padded input sequences, time-major (T, B, In), T and B at least 1.
  /// @param lengths B integers in [1, T] (any contiguous range of integers).
  /// @return the logits, a buffer of the model's, overwritten by the next call.
  /// @throws std::invalid_argument if x or lengths do not fit.
  template <length_range Lengths>
  const xt::xtensor<value_type, 2>& predict(const xt::xtensor<value_type, 3>& x, const Lengths& lengths) {
    forward_logits(x, lengths);
    return logits_;
  }

  /// The optimizer train_on_batch steps, for its hyperparameters (lr, betas, epsilon, style).
  /// @return the model's Adam, whose moments persist from step to step.
  Adam<value_type>& optimizer() { return adam_; }

  /// The parts "rnn" and "head", for the parameter visitors (composite.hpp): names are
  /// "rnn.<stack name>" and "head.<name>".
  /// @tparam F a callable f(detail::part_name, part&) for the stack's type and the head's.
  /// @param f called for rnn, then head.
  template <class F>
  void for_each_part(F&& f) {
    f(detail::part_name{"rnn"}, rnn);
    f(detail::part_name{"head"}, head);
  }

 private:
  struct no_lengths {};

  template <class Lengths>
  batch_metrics gradients(const xt::xtensor<value_type, 3>& x, std::span<const int> labels, const Lengths& lengths) {
    const batch_metrics metrics = forward_and_loss(x, labels, lengths, &dropout_rng_);
    this->zero_grad();
    head.backward_unchecked(ws_.last_state(), detail::as_matrix(dlogits_), detail::as_matrix(dh_last_),
                            head_packed_.get(Head::packed_size));
    // The forward's only backward: an LSTM writes its gradients over its gates (consume_forward).
    rnn.backward_unchecked(detail::as_sequence(x), ws_, {}, detail::as_matrix(dh_last_), false, true);
    return metrics;
  }

  // Every public call comes here: no_lengths for full-length sequences, else lengths checked;
  // training: the dropout generator (compute_gradients), null for inference.
  template <class Lengths>
  void forward_logits(const xt::xtensor<value_type, 3>& x, const Lengths& lengths, rng* training = nullptr) {
    if (training) rnn.check_dropout_rates();  // before any buffer changes
    detail::check_sequence<input_width>(x);
    const std::size_t batch = x.shape(1);
    if constexpr (std::is_same_v<Lengths, no_lengths>) {
      lengths_.clear();
    } else {
      detail::check_lengths(lengths, x.shape(0), batch);
      lengths_.assign(std::ranges::begin(lengths), std::ranges::end(lengths));
    }
    // Buffers follow the batch size; reallocated only when it changes.
    if (logits_.shape() != std::array{batch, classes}) {
      logits_.resize({batch, classes});
      dlogits_.resize({batch, classes});
      dh_last_.resize({batch, hidden_width});
    }
    rnn.forward_unchecked(detail::as_sequence(x), {}, ws_, lengths_, training);
    head.forward_unchecked(ws_.last_state(), detail::as_matrix(logits_), head_packed_.get(Head::packed_size));
  }

  template <class Lengths>
  batch_metrics forward_and_loss(const xt::xtensor<value_type, 3>& x, std::span<const int> labels,
                                 const Lengths& lengths, rng* training = nullptr) {
    forward_logits(x, lengths, training);
    const std::size_t batch = x.shape(1);
    batch_metrics m;
    std::size_t correct = 0;
    m.loss = softmax_cross_entropy(logits_.data(), labels, batch, classes, dlogits_.data(), correct);
    m.accuracy = double(correct) / double(batch);
    return m;
  }

  rng dropout_rng_;  // initialises the model, then draws every training forward's dropout masks
  Adam<value_type> adam_;
  typename Stack::workspace ws_;
  xt::xtensor<value_type, 2> logits_, dlogits_, dh_last_;
  detail::aligned_buffer<value_type> head_packed_;  // the room the head packs its weights into
  std::vector<std::size_t> lengths_;  // this batch's lengths, empty for full-length sequences
};

}  // namespace rnncell
