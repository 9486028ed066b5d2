// Streaming (stream.hpp) equals the sequence forward, step by step, for every cell kind, a
// 3-layer stack and a trained Model (GRU and LSTM); for 1, 3 and 8 streams at once; on every
// kernel path this CPU has (each forced in turn). Plus the snapshot contract, states read and set
// (h, or LSTM's [h | c]) and the kernel-path errors.
#include "support/streaming_checks.hpp"

#include <rnncell/rnncell.hpp>
#include <rnncell/stream.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using namespace rnncell;
using kernels::isa;

namespace {

using test::on_every_path;
using test::random_net;
using test::random_sequence;
using test::row_error;

// Streams T steps through stream<Net, B> and compares every step's top h with forward's.
template <class Net, std::size_t B>
void check_stream_equals_forward(double tolerance) {
  using T = typename Net::value_type;
  constexpr std::size_t In = Net::input_width, H = Net::hidden_width, steps = 9;
  rng g(11);
  const Net net = random_net<Net>(g);
  const auto x = random_sequence<T>(steps, B, In, g);
  typename Net::workspace ws;
  net.forward(x, ws);
  const xt::xtensor<T, 3> expected = ws.outputs();
  on_every_path([&](isa path) {
    auto s = make_stream<B>(net);
    CHECK(s.path() == path);
    double worst = 0;
    for (std::size_t t = 0; t < steps; ++t) {
      const auto h = s.step(std::span<const T, B * In>(x.data() + t * B * In, B * In));
      for (std::size_t b = 0; b < B; ++b)
        worst = std::max(worst, row_error(std::span<const T>(h.data() + b * H, H), &expected(t, b, 0)));
    }
    CHECK_MESSAGE(worst <= tolerance, "largest relative error over " << steps << " steps: " << worst);
  });
}

template <class Net>
void check_all_batches(double tolerance) {
  check_stream_equals_forward<Net, 1>(tolerance);
  check_stream_equals_forward<Net, 3>(tolerance);
  check_stream_equals_forward<Net, 8>(tolerance);
}

using gru_model = Model<Stacked<GRUCell<28, 128>, 3>, Dense<128, 10>>;
using lstm_model = Model<Stacked<LSTMCell<28, 50>, 2>, Dense<50, 10>>;

// A Model after a few train_on_batch steps (Adam moves every bias off zero).
template <class M = gru_model>
M trained_model() {
  M model(5);
  rng g(6);
  const auto x = random_sequence<float>(28, 16, 28, g);
  std::vector<int> labels(16);
  for (auto& y : labels) y = int(g.below(10));
  for (int i = 0; i < 3; ++i) model.train_on_batch(x, labels);
  return model;
}

template <std::size_t B, class M>
void check_model_stream_equals_predict(M& model) {
  rng g(7 + B);
  const auto x = random_sequence<float>(28, B, 28, g);
  const xt::xtensor<float, 2> expected = model.predict(x);
  on_every_path([&](isa) {
    auto s = make_stream<B>(model);
    std::array<float, B * 10> logits{};
    for (std::size_t t = 0; t < 28; ++t) {
      const auto y = s.step(std::span<const float, B * 28>(x.data() + t * B * 28, B * 28));
      std::copy(y.begin(), y.end(), logits.begin());
    }
    for (std::size_t b = 0; b < B; ++b) {
      const double error = row_error(std::span<const float>(logits.data() + b * 10, 10), &expected(b, 0));
      CHECK_MESSAGE(error <= 1e-5, "row " << b << " of " << B << ": relative error " << error);
    }
  });
}

}  // namespace

TEST_CASE("streaming GRU reset_after equals forward (float 1e-5, double 1e-12)") {
  check_all_batches<GRUCell<28, 50, float, reset_after>>(1e-5);
  check_all_batches<GRUCell<1, 8, float, reset_after>>(1e-5);
  check_all_batches<GRUCell<5, 7, double, reset_after>>(1e-12);
}

TEST_CASE("streaming GRU reset_before equals forward (float 1e-5, double 1e-12)") {
  check_all_batches<GRUCell<28, 50>>(1e-5);
  check_all_batches<GRUCell<3, 33>>(1e-5);
  check_all_batches<GRUCell<5, 7, double>>(1e-12);
}

TEST_CASE("streaming MGU equals forward (float 1e-5, double 1e-12)") {
  check_all_batches<MGUCell<28, 64>>(1e-5);
  check_all_batches<MGUCell<1, 16>>(1e-5);
  check_all_batches<MGUCell<5, 7, double>>(1e-12);
}

TEST_CASE("streaming LSTM equals forward (float 1e-5, double 1e-12)") {
  check_all_batches<LSTMCell<28, 50>>(1e-5);  // H = 50: gate blocks padded to 56, h and c end mid-vector
  check_all_batches<LSTMCell<1, 8>>(1e-5);
  check_all_batches<LSTMCell<3, 64>>(1e-5);  // whole zmm vectors on AVX-512
  check_all_batches<LSTMCell<5, 7, double>>(1e-12);
}

TEST_CASE("streaming Stacked<..., 3> equals forward, the top layer's h at every step") {
  check_all_batches<Stacked<GRUCell<28, 40>, 3>>(1e-5);
  check_all_batches<Stacked<GRUCell<28, 40, float, reset_after>, 3>>(1e-5);
  check_all_batches<Stacked<MGUCell<28, 40>, 3>>(1e-5);
  check_all_batches<Stacked<LSTMCell<28, 40>, 3>>(1e-5);
  check_all_batches<Stacked<GRUCell<4, 6, double, reset_after>, 3>>(1e-12);
  check_all_batches<Stacked<LSTMCell<4, 6, double>, 3>>(1e-12);
}

TEST_CASE("a trained Model<Stacked<GRUCell<28, 128>, 3>, Dense<128, 10>> streamed 28 steps gives predict's logits") {
  gru_model model = trained_model();
  check_model_stream_equals_predict<1>(model);
  check_model_stream_equals_predict<3>(model);
  check_model_stream_equals_predict<8>(model);
}

TEST_CASE("a trained Model<Stacked<LSTMCell<28, 50>, 2>, Dense<50, 10>> streamed 28 steps gives predict's logits") {
  lstm_model model = trained_model<lstm_model>();
  check_model_stream_equals_predict<1>(model);
  check_model_stream_equals_predict<3>(model);
  check_model_stream_equals_predict<8>(model);
}

TEST_CASE("a stream is a snapshot: training does not change it, reload() does; reset() restarts") {
  gru_model model = trained_model();
  rng g(9);
  const auto x = random_sequence<float>(28, 1, 28, g);
  auto run = [&](auto& s) {
    s.reset();
    std::array<float, 10> last{};
    for (std::size_t t = 0; t < 28; ++t) {
      const auto y = s.step(std::span<const float, 28>(x.data() + t * 28, 28));
      std::copy(y.begin(), y.end(), last.begin());
    }
    return last;
  };
  auto s = make_stream(model);
  const auto before = run(s);
  CHECK(run(s) == before);  // reset() gives the same sequence the same logits
  std::vector<int> labels{3};
  for (int i = 0; i < 5; ++i) model.train_on_batch(random_sequence<float>(28, 1, 28, g), labels);
  CHECK(run(s) == before);  // still the old weights
  s.reload(model);
  const auto after = run(s);
  CHECK(after != before);
  const xt::xtensor<float, 2> expected = model.predict(x);
  CHECK(row_error(std::span<const float>(after), &expected(0, 0)) <= 1e-5);
  CHECK_THROWS_WITH_AS(s.state(3), "rnncell: stream state(3): the stream has 3 layer(s), numbered from 0",
                       std::out_of_range);
}

TEST_CASE("a stream's state can be read and set: a saved state resumes the sequence") {
  rng g(12);
  const auto cell = random_net<MGUCell<3, 5>>(g);
  const auto x = random_sequence<float>(6, 1, 3, g);
  auto step = [&](auto& s, std::size_t t) { return s.step(std::span<const float, 3>(x.data() + t * 3, 3)); };
  auto s = make_stream(cell);
  for (std::size_t t = 0; t < 3; ++t) step(s, t);
  const auto saved = s.state(0);
  const std::vector<float> h_saved(saved.begin(), saved.end());
  const auto h4 = step(s, 3);
  const std::vector<float> expected(h4.begin(), h4.end());
  auto resumed = make_stream(cell);
  std::copy(h_saved.begin(), h_saved.end(), resumed.state(0).begin());
  const auto again = step(resumed, 3);
  CHECK(std::vector<float>(again.begin(), again.end()) == expected);
}

TEST_CASE("an LSTM stream's state is [h | c] per row: read, set, and a saved state resumes the sequence") {
  rng g(13);
  const auto cell = random_net<LSTMCell<3, 5>>(g);
  const auto x = random_sequence<float>(6, 2, 3, g);
  auto step = [&](auto& s, std::size_t t) { return s.step(std::span<const float, 6>(x.data() + t * 6, 6)); };
  auto s = make_stream<2>(cell);
  static_assert(decltype(s)::state_width == 10 && decltype(s)::output_width == 5);
  for (std::size_t t = 0; t < 3; ++t) step(s, t);
  const auto saved = s.state(0);
  const std::vector<float> state_saved(saved.begin(), saved.end());
  // The forward from the same start agrees with the state, both blocks of both rows: [h_3 | c_3].
  typename LSTMCell<3, 5>::workspace ws;
  const xt::xtensor<float, 3> first_three = xt::view(x, xt::range(0, 3));
  cell.forward(first_three, ws);
  const xt::xtensor<float, 2> final_state = ws.final_state();
  for (std::size_t b = 0; b < 2; ++b)
    CHECK(row_error(std::span<const float>(state_saved.data() + b * 10, 10), &final_state(b, 0)) <= 1e-5);
  const auto h4 = step(s, 3);
  const std::vector<float> expected(h4.begin(), h4.end());
  auto resumed = make_stream<2>(cell);
  std::copy(state_saved.begin(), state_saved.end(), resumed.state(0).begin());
  const auto again = step(resumed, 3);
  CHECK(std::vector<float>(again.begin(), again.end()) == expected);
  // Without c the resumed sequence differs: the state is not h alone.
  auto h_only = make_stream<2>(cell);
  for (std::size_t b = 0; b < 2; ++b) std::copy_n(state_saved.data() + b * 10, 5, h_only.state(0).begin() + b * 10);
  const auto differs = step(h_only, 3);
  CHECK(std::vector<float>(differs.begin(), differs.end()) != expected);
}

TEST_CASE("kernel paths: RNNCELL_ISA picks one, unknown names and paths the CPU lacks are refused") {
  ::setenv("RNNCELL_ISA", "portable", 1);
  CHECK(kernels::detail::isa_from_environment() == isa::portable);
  ::setenv("RNNCELL_ISA", "sse9", 1);
  try {
    (void)kernels::detail::isa_from_environment();
    FAIL("RNNCELL_ISA=sse9 was accepted");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) ==
          "rnncell: RNNCELL_ISA=sse9 is not a kernel path; expected portable, avx2 or avx512");
  }
  ::unsetenv("RNNCELL_ISA");
  CHECK(kernels::detail::isa_from_environment() == kernels::best_supported_isa());
  bool lacking_tested = false;
  for (isa path : {isa::avx2, isa::avx512}) {
    if (kernels::cpu_supports(path)) continue;
    lacking_tested = true;
    const std::string expected = "rnncell: force_isa asks for the " + std::string(kernels::isa_name(path)) +
                                 " kernels, which this CPU does not support";
    CHECK_THROWS_WITH_AS(kernels::force_isa(path), doctest::Contains(expected.c_str()), std::runtime_error);
    ::setenv("RNNCELL_ISA", std::string(kernels::isa_name(path)).c_str(), 1);
    CHECK_THROWS_AS((void)kernels::detail::isa_from_environment(), std::runtime_error);
    ::unsetenv("RNNCELL_ISA");
  }
  if (!lacking_tested) MESSAGE("this CPU has every kernel path: refusing a missing one is not exercised here");
  kernels::force_isa(isa::portable);
  CHECK(kernels::active_isa() == isa::portable);
  kernels::clear_forced_isa();
}
