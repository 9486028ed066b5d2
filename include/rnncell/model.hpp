#pragma once
// Model<Stack, Head>: a recurrent stack whose last hidden state feeds a Dense head of logits,
// trained with softmax cross-entropy and Adam, as the seed lab's Keras model:
//   Model<Stacked<GRUCell<28, 128>, 3>, Dense<128, 10>> m(seed);
//   batch_metrics r = m.train_on_batch(x /* (T, B, In) */, labels /* B ints */);
// Construction initialises every weight Glorot-uniform (per gate for the cells) from one seeded
// generator, layer by layer bottom-up and the head last, and zeroes every bias.
#include <rnncell/adam.hpp>
#include <rnncell/base.hpp>
#include <rnncell/detail/names.hpp>
#include <rnncell/detail/shapes.hpp>
#include <rnncell/detail/xtensor.hpp>
#include <rnncell/init.hpp>
#include <rnncell/loss.hpp>

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
class Model {
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
    rnn.initialize(g);
    head.initialize(g);
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
    const std::size_t batch = x.shape(1);
    zero_grad();
    head.backward_raw(ws_.output_data() + (x.shape(0) - 1) * batch * hidden_width, dlogits_.data(), batch,
                      dh_last_.data());
    rnn.backward_raw(x.data(), ws_, nullptr, dh_last_.data(), false);
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

  /// Calls f(name, tensor) with names "rnn.<stack name>" and "head.<name>".
  template <class F>
  void for_each_parameter(F&& f) {
    visit([&](auto& part, std::string_view prefix) {
      part.for_each_parameter(
          [&](std::string_view name, auto&... t) { f(detail::joined_name(prefix, name).view(), t...); });
    });
  }
  template <class F>
  void for_each_parameter_and_grad(F&& f) {
    visit([&](auto& part, std::string_view prefix) {
      part.for_each_parameter_and_grad(
          [&](std::string_view name, auto&... t) { f(detail::joined_name(prefix, name).view(), t...); });
    });
  }
  void zero_grad() {
    rnn.zero_grad();
    head.zero_grad();
  }
  std::size_t parameter_count() { return rnn.parameter_count() + head.parameter_count(); }

 private:
  template <class F>
  void visit(F&& f) {
    f(rnn, "rnn");
    f(head, "head");
  }

  void forward_logits(const xt::xtensor<value_type, 3>& x) {
    detail::check_sequence<input_width>(x);
    const std::size_t steps = x.shape(0), batch = x.shape(1);
    // Buffers follow the batch size; reallocated only when it changes.
    if (logits_.shape() != std::array{batch, classes}) {
      logits_.resize({batch, classes});
      dlogits_.resize({batch, classes});
      dh_last_.resize({batch, hidden_width});
    }
    rnn.forward_raw(x.data(), steps, batch, nullptr, ws_);
    head.forward_raw(ws_.output_data() + (steps - 1) * batch * hidden_width, batch, logits_.data());
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
