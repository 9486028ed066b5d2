#pragma once
// Model<Stack, Head>: a recurrent stack whose last hidden state feeds a Dense head of logits,
// trained with softmax cross-entropy and Adam, as the seed lab's Keras model:
//   Model<Stacked<GRUCell<28, 128>, 3>, Dense<128, 10>> m(seed);
//   batch_metrics r = m.train_on_batch(x /* (T, B, In) */, labels /* B ints */);
// Construction initialises every weight Glorot-uniform (per gate for the cells) from one seeded
// generator, layer by layer bottom-up and the head last, and zeroes every bias.
#include <rnncell/adam.hpp>
#include <rnncell/composite.hpp>
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

namespace rnncell {

/// Mean loss and accuracy of one batch.
struct batch_metrics {
  double loss = 0;
  double accuracy = 0;
};

template <class Stack, class Head>
class Model : public composite<Model<Stack, Head>> {
  static_assert(detail::check_width<Stack::hidden_width, Head::input_width>::value,
                "rnncell: the head's input width must equal the stack's hidden width");
  static_assert(std::is_same_v<typename Stack::value_type, typename Head::value_type>,
                "rnncell: the stack and the head must use the same scalar type");

 public:
  using value_type = typename Stack::value_type;
  using stack_type = Stack;
  using head_type = Head;
  static constexpr std::size_t input_width = Stack::input_width;
  static constexpr std::size_t hidden_width = Stack::hidden_width;
  static constexpr std::size_t classes = Head::output_width;

  Stack rnn;
  Head head;

  explicit Model(std::uint64_t seed) {
    rng g(seed);
    this->initialize(g);  // the stack layer by layer, then the head
  }

  /// Forward, loss, backward through time and one Adam step on x (T, B, In) with B labels.
  batch_metrics train_on_batch(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    const batch_metrics metrics = compute_gradients(x, labels);
    adam_.step(*this);
    return metrics;
  }

  /// Forward, loss and backward: leaves the batch's gradients (not accumulated) in every layer's
  /// grads, for a custom optimizer or gradient accumulation. The parameters are unchanged.
  batch_metrics compute_gradients(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    const batch_metrics metrics = forward_and_loss(x, labels);
    this->zero_grad();
    head.backward_unchecked(ws_.last_state(), detail::as_matrix(dlogits_), detail::as_matrix(dh_last_));
    rnn.backward_unchecked(detail::as_sequence(x), ws_, {}, detail::as_matrix(dh_last_), false);
    return metrics;
  }

  /// Loss and accuracy on x without changing the model.
  batch_metrics evaluate(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    return forward_and_loss(x, labels);
  }

  /// Logits (B, classes) for x; valid until the next call on this model.
  const xt::xtensor<value_type, 2>& predict(const xt::xtensor<value_type, 3>& x) {
    forward_logits(x);
    return logits_;
  }

  Adam<value_type>& optimizer() { return adam_; }

  /// The parts "rnn" and "head", for the parameter visitors (composite.hpp): names are
  /// "rnn.<stack name>" and "head.<name>".
  template <class F>
  void for_each_part(F&& f) {
    f(detail::part_name{"rnn"}, rnn);
    f(detail::part_name{"head"}, head);
  }

 private:
  void forward_logits(const xt::xtensor<value_type, 3>& x) {
    detail::check_sequence<input_width>(x);
    const std::size_t batch = x.shape(1);
    // Buffers follow the batch size; reallocated only when it changes.
    if (logits_.shape() != std::array{batch, classes}) {
      logits_.resize({batch, classes});
      dlogits_.resize({batch, classes});
      dh_last_.resize({batch, hidden_width});
    }
    rnn.forward_unchecked(detail::as_sequence(x), {}, ws_);
    head.forward_unchecked(ws_.last_state(), detail::as_matrix(logits_));
  }

  batch_metrics forward_and_loss(const xt::xtensor<value_type, 3>& x, std::span<const int> labels) {
    forward_logits(x);
    const std::size_t batch = x.shape(1);
    batch_metrics m;
    m.loss = softmax_cross_entropy(logits_.data(), labels, batch, classes, dlogits_.data());
    m.accuracy = double(count_correct(logits_.data(), labels, batch, classes)) / double(batch);
    return m;
  }

  Adam<value_type> adam_;
  typename Stack::workspace ws_;
  xt::xtensor<value_type, 2> logits_, dlogits_, dh_last_;
};

}  // namespace rnncell
