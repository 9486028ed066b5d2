// Embedding alone: the lookup, the scatter-add gradient (an id used twice gets both rows), and
// hostile ids and shapes refused with a message naming the id, its position and Vocab.
#include <rnncell/embedding.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

using rnncell::Embedding;

namespace {

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

}  // namespace

TEST_CASE("Embedding: row id of E for every position, time-major") {
  Embedding<4, 3, double> e;
  for (std::size_t i = 0; i < e.params.E.size(); ++i) e.params.E.data()[i] = double(i);
  const xt::xtensor<int, 2> ids = {{3, 0}, {1, 3}};  // (T = 2, B = 2)
  xt::xtensor<double, 3> y;
  e.forward(ids, y);
  REQUIRE(y.shape(0) == 2);
  REQUIRE(y.shape(1) == 2);
  REQUIRE(y.shape(2) == 3);
  for (std::size_t t = 0; t < 2; ++t)
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t c = 0; c < 3; ++c) CHECK(y(t, b, c) == e.params.E(std::size_t(ids(t, b)), c));
}

TEST_CASE("Embedding: the gradient is a scatter-add, accumulated across calls") {
  Embedding<4, 2, double> e;
  const xt::xtensor<int, 2> ids = {{3, 0}, {1, 3}};
  const xt::xtensor<double, 3> dy = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
  e.zero_grad();
  e.backward(ids, dy);
  const xt::xtensor<double, 2> once = {{3, 4}, {5, 6}, {0, 0}, {1 + 7, 2 + 8}};  // id 2 unused, id 3 twice
  CHECK(e.grads.E == once);
  e.backward(ids, dy);
  CHECK(e.grads.E == 2.0 * once);
  CHECK(e.params.E == xt::zeros<double>({4, 2}));  // backward leaves the table alone
}

TEST_CASE("Embedding: one parameter named E, (Vocab, Width), Keras' uniform initialisation") {
  Embedding<5, 3> e;
  int seen = 0;
  e.for_each_parameter([&](std::string_view name, auto& p) {
    CHECK(name == "E");
    CHECK(p.shape(0) == 5);
    CHECK(p.shape(1) == 3);
    ++seen;
  });
  CHECK(seen == 1);
  CHECK(e.parameter_count() == 15);
  rnncell::rng g(7);
  e.initialize(g);
  float largest = 0;
  for (const float v : e.params.E) largest = std::max(largest, std::abs(v));
  CHECK(largest <= 0.05f);
  CHECK(largest > 0.0f);
}

TEST_CASE("Embedding: hostile ids and shapes are refused with a message naming them") {
  Embedding<10, 2> e;
  xt::xtensor<float, 3> y;
  const auto bad_id = [&](int id) {
    xt::xtensor<int, 2> ids = xt::zeros<int>({3, 4});
    ids(2, 1) = id;
    return message_of([&] { e.forward(ids, y); });
  };
  CHECK(bad_id(10) == "rnncell: token id 10 at (t = 2, b = 1) is outside 0..9 (Vocab 10)");
  CHECK(bad_id(-1) == "rnncell: token id -1 at (t = 2, b = 1) is outside 0..9 (Vocab 10)");
  CHECK(bad_id(2147483647).find("token id 2147483647 at (t = 2, b = 1)") != std::string::npos);
  CHECK(bad_id(9) == "(nothing thrown)");
  const xt::xtensor<int, 2> no_steps = xt::zeros<int>({0, 4});
  CHECK(message_of([&] { e.forward(no_steps, y); }).find("token ids have shape (0, 4)") != std::string::npos);
  const xt::xtensor<int, 2> ids = xt::zeros<int>({3, 4});
  const xt::xtensor<float, 3> dy_wrong = xt::zeros<float>({3, 4, 5});
  CHECK(message_of([&] { e.backward(ids, dy_wrong); }) ==
        "rnncell: Embedding dy has shape (3, 4, 5), expected (3, 4, 2) (T, B, Width)");
}
