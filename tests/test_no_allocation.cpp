// Proves the workspace contract: once a workspace has seen a (T, B), a second forward + backward
// of the same shape allocates nothing, and neither does a second Model::train_on_batch with the
// same batch shape (the Adam moments and the model's buffers exist after the first).
//
// A standalone program rather than a doctest case, because it replaces the global operator
// new/delete to count allocations, which must not see a test framework's own allocations.
// Counted: every C++ allocation (operator new in all its forms). Not counted: OpenBLAS's buffers,
// which it takes once from its own pool through malloc/mmap.
#include "support/dropout_rates.hpp"

#include <rnncell/rnncell.hpp>
#include <rnncell/stream.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace {

bool counting = false;
std::size_t allocations = 0, allocated_bytes = 0;

void* counted_alloc(std::size_t size, std::size_t alignment = 0) {
  if (counting) ++allocations, allocated_bytes += size;
  if (size == 0) size = 1;
  void* p = alignment > alignof(std::max_align_t)
                ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                : std::malloc(size);
  return p;
}

void* counted_alloc_or_throw(std::size_t size, std::size_t alignment = 0) {
  if (void* p = counted_alloc(size, alignment)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t n) { return counted_alloc_or_throw(n); }
void* operator new[](std::size_t n) { return counted_alloc_or_throw(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc_or_throw(n, std::size_t(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc_or_throw(n, std::size_t(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, std::size_t(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_alloc(n, std::size_t(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

constexpr std::size_t steps = 7, batch = 5, input = 28, hidden = 64, classes = 10;

int passed = 0, failed = 0;

// Runs `work` once to size everything, then again while counting; fails on any allocation.
template <class F>
void expect_no_allocation_on_repeat(const std::string& what, F&& work) {
  work();
  allocations = allocated_bytes = 0;
  counting = true;
  work();
  counting = false;
  if (allocations == 0) {
    ++passed;
    std::printf("ok: %s allocates nothing\n", what.c_str());
  } else {
    ++failed;
    std::printf("FAIL: %s made %zu allocations (%zu bytes); expected none once the workspace is sized\n",
                what.c_str(), allocations, allocated_bytes);
  }
}

// Guards against a counter that sees nothing (the checks below would then pass vacuously).
void check_counter_sees_allocations() {
  static std::vector<float>* volatile sink = nullptr;
  allocations = 0;
  counting = true;
  sink = new std::vector<float>(100);
  counting = false;
  delete sink;
  if (allocations >= 2) {
    ++passed;
    std::printf("ok: the counter sees a deliberate allocation (%zu counted)\n", allocations);
  } else {
    ++failed;
    std::printf("FAIL: the allocation counter saw %zu allocations of a new vector; expected 2\n", allocations);
  }
}

xt::xtensor<float, 3> random_sequences(rnncell::rng& g) {
  xt::xtensor<float, 3> x({steps, batch, input});
  for (auto& v : x) v = float(g.uniform01());
  return x;
}

// Lengths 1 .. steps across the batch: a variable-length batch.
std::vector<int> ragged_lengths() {
  std::vector<int> lengths(batch);
  for (std::size_t b = 0; b < batch; ++b) lengths[b] = int(1 + b * (steps - 1) / (batch - 1));
  return lengths;
}

// Forward + backward of a cell or stack, with the loss on every step and on the last step only,
// and on a variable-length batch.
template <class Net>
void check_recurrent(const std::string& name) {
  rnncell::rng g(1);
  Net net;
  net.initialize(g);
  typename Net::workspace ws;
  const auto x = random_sequences(g);
  xt::xtensor<float, 3> dh_all({steps, batch, Net::hidden_width});
  xt::xtensor<float, 2> dh_last({batch, Net::hidden_width});
  for (auto& v : dh_all) v = float(g.uniform(-1, 1));
  for (auto& v : dh_last) v = float(g.uniform(-1, 1));
  expect_no_allocation_on_repeat("second forward + backward of " + name, [&] {
    net.forward(x, ws);
    net.backward(x, ws, dh_all);
  });
  expect_no_allocation_on_repeat("second forward + backward_last of " + name, [&] {
    net.forward(x, ws);
    net.backward_last(x, ws, dh_last);
  });
  const std::vector<int> lengths = ragged_lengths();
  expect_no_allocation_on_repeat("second forward + backward of " + name + " with ragged lengths", [&] {
    net.forward(x, ws, lengths);
    net.backward(x, ws, dh_all);
  });
}

// clip: 0 none, 1 global_clipnorm, 2 clipvalue (set small enough that every step clips);
// dropout: every cell's input and recurrent dropout and the stack's between the layers (fresh
// masks every step, drawn into the workspaces).
template <class Model>
void check_train_step(const std::string& name, int clip = 0, bool dropout = false) {
  rnncell::rng g(2);
  Model model(3);
  if (clip == 1) model.optimizer().global_clipnorm = 1e-3;
  if (clip == 2) model.optimizer().clipvalue = 1e-4;
  if (dropout) {
    rnncell::test::set_cell_dropout(model.rnn, 0.2, 0.3);
    model.rnn.dropout = 0.25;
  }
  const auto x = random_sequences(g);
  std::vector<int> labels(batch);
  for (auto& y : labels) y = int(g.below(classes));
  expect_no_allocation_on_repeat("second train_on_batch of " + name,
                                 [&] { model.train_on_batch(x, labels); });
  const std::vector<int> lengths = ragged_lengths();
  expect_no_allocation_on_repeat("second train_on_batch of " + name + " with ragged lengths",
                                 [&] { model.train_on_batch(x, labels, lengths); });
}

// SequenceModel (a loss at every step): token ids and targets (T, B).
template <class Model>
void check_sequence_train_step(const std::string& name) {
  rnncell::rng g(5);
  Model model(6);
  xt::xtensor<int, 2> ids({steps, batch}), targets({steps, batch});
  for (auto& v : ids) v = int(g.below(Model::input_layer_type::vocab_size));
  for (auto& v : targets) v = int(g.below(Model::classes));
  expect_no_allocation_on_repeat("second train_on_batch of " + name, [&] { model.train_on_batch(ids, targets); });
  std::vector<int> lengths(batch);
  for (auto& length : lengths) length = int(1 + g.below(steps));
  expect_no_allocation_on_repeat("second train_on_batch with lengths of " + name,
                                 [&] { model.train_on_batch(ids, targets, lengths); });
}

// A stream's step (stream.hpp) allocates nothing, not even on its first call.
template <class Model>
void check_stream_step(const std::string& name) {
  Model model(4);
  auto s = rnncell::make_stream<3>(model);
  std::array<float, 3 * input> x{};
  x.fill(0.5f);
  allocations = allocated_bytes = 0;
  counting = true;
  for (int i = 0; i < 10; ++i) s.step(x);
  counting = false;
  if (allocations == 0) {
    ++passed;
    std::printf("ok: 10 stream steps of %s allocate nothing\n", name.c_str());
  } else {
    ++failed;
    std::printf("FAIL: 10 stream steps of %s made %zu allocations (%zu bytes); expected none\n", name.c_str(),
                allocations, allocated_bytes);
  }
}

// A cell's or a stack's own step() (real-time: BaseRNNCell::step) allocates nothing once its
// workspace has seen the batch size.
template <class Net>
void check_own_step(const std::string& name) {
  rnncell::rng g(5);
  Net net;
  net.initialize(g);
  typename Net::workspace ws;
  xt::xtensor<float, 2> x({batch, input});
  x.fill(0.5f);
  auto h = [] {
    if constexpr (requires { Net::layer_count; })
      return xt::xtensor<float, 3>(std::array{Net::layer_count, batch, Net::state_width}, 0.0f);
    else
      return xt::xtensor<float, 2>(std::array{batch, Net::state_width}, 0.0f);
  }();
  expect_no_allocation_on_repeat("10 step() calls of " + name, [&] {
    for (int i = 0; i < 10; ++i) net.step(x, h, ws);
  });
}

}  // namespace

int main() {
  using rnncell::Bidirectional;
  using rnncell::Dense;
  using rnncell::GRUCell;
  using rnncell::LSTMCell;
  using rnncell::MGUCell;
  using rnncell::Model;
  using rnncell::Stacked;
  using gru_after = GRUCell<input, hidden, float, rnncell::reset_after>;
  check_counter_sees_allocations();
  check_recurrent<GRUCell<input, hidden>>("GRUCell<28, 64> (reset_before)");
  check_recurrent<gru_after>("GRUCell<28, 64, float, reset_after>");
  check_recurrent<MGUCell<input, hidden>>("MGUCell<28, 64>");
  check_recurrent<Stacked<GRUCell<input, hidden>, 3>>("Stacked<GRUCell<28, 64>, 3>");
  check_recurrent<Stacked<MGUCell<input, hidden>, 3>>("Stacked<MGUCell<28, 64>, 3>");
  check_recurrent<LSTMCell<input, hidden>>("LSTMCell<28, 64>");
  check_recurrent<Stacked<LSTMCell<input, hidden>, 3>>("Stacked<LSTMCell<28, 64>, 3>");
  check_recurrent<Bidirectional<GRUCell<input, hidden>>>("Bidirectional<GRUCell<28, 64>>");
  check_recurrent<Stacked<Bidirectional<LSTMCell<input, hidden>>, 2>>("Stacked<Bidirectional<LSTMCell<28, 64>>, 2>");
  check_train_step<Model<Stacked<GRUCell<input, hidden>, 3>, Dense<hidden, classes>>>(
      "Model<Stacked<GRUCell<28, 64>, 3>, Dense<64, 10>>");
  check_train_step<Model<Stacked<MGUCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<MGUCell<28, 64>, 2>, Dense<64, 10>>");
  check_train_step<Model<Stacked<gru_after, 1>, Dense<hidden, classes>>>(
      "Model<Stacked<GRUCell<28, 64, float, reset_after>, 1>, Dense<64, 10>>");
  check_train_step<Model<Stacked<LSTMCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<LSTMCell<28, 64>, 2>, Dense<64, 10>>");
  check_train_step<Model<Stacked<Bidirectional<MGUCell<input, hidden>>, 2>, Dense<2 * hidden, classes>>>(
      "Model<Stacked<Bidirectional<MGUCell<28, 64>>, 2>, Dense<128, 10>>");
  check_train_step<Model<Stacked<MGUCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<MGUCell<28, 64>, 2>, Dense<64, 10>> clipped by global norm", 1);
  check_train_step<Model<Stacked<MGUCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<MGUCell<28, 64>, 2>, Dense<64, 10>> clipped by value", 2);
  check_train_step<Model<Stacked<GRUCell<input, hidden>, 3>, Dense<hidden, classes>>>(
      "Model<Stacked<GRUCell<28, 64>, 3>, Dense<64, 10>> with dropout, recurrent dropout and between layers", 0, true);
  check_train_step<Model<Stacked<Bidirectional<LSTMCell<input, hidden>>, 2>, Dense<2 * hidden, classes>>>(
      "Model<Stacked<Bidirectional<LSTMCell<28, 64>>, 2>, Dense<128, 10>> with every dropout", 0, true);
  check_sequence_train_step<rnncell::SequenceModel<
      rnncell::Embedding<256, input>, Stacked<gru_after, 2>,
      rnncell::Sequential<Dense<hidden, 32>, rnncell::Activation<rnncell::activation_function::tanh, 32>,
                          Dense<32, classes>>>>(
      "SequenceModel<Embedding<256, 28>, Stacked<GRUCell<28, 64, float, reset_after>, 2>, Dense-tanh-Dense>");
  check_stream_step<Model<Stacked<GRUCell<input, hidden>, 3>, Dense<hidden, classes>>>(
      "Model<Stacked<GRUCell<28, 64>, 3>, Dense<64, 10>>");
  check_stream_step<Model<Stacked<gru_after, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<GRUCell<28, 64, float, reset_after>, 2>, Dense<64, 10>>");
  check_stream_step<Model<Stacked<MGUCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<MGUCell<28, 64>, 2>, Dense<64, 10>>");
  check_stream_step<Model<Stacked<LSTMCell<input, hidden>, 2>, Dense<hidden, classes>>>(
      "Model<Stacked<LSTMCell<28, 64>, 2>, Dense<64, 10>>");
  check_own_step<GRUCell<input, hidden>>("GRUCell<28, 64> (reset_before)");
  check_own_step<gru_after>("GRUCell<28, 64, float, reset_after>");
  check_own_step<MGUCell<input, hidden>>("MGUCell<28, 64>");
  check_own_step<Stacked<gru_after, 3>>("Stacked<GRUCell<28, 64, float, reset_after>, 3>");
  check_own_step<LSTMCell<input, hidden>>("LSTMCell<28, 64> (state [h | c])");
  check_own_step<Stacked<LSTMCell<input, hidden>, 3>>("Stacked<LSTMCell<28, 64>, 3>");
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
