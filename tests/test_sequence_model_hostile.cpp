// SequenceModel against hostile input: every bad token id, target or shape is refused with a
// message naming it, before anything changes (parameters, gradients and Adam's moments intact).
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/sequence_model.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace rnncell;

namespace {

using token_model = SequenceModel<Embedding<8, 4>, GRUCell<4, 6>, Dense<6, 3>>;
using float_model = SequenceModel<Identity<4>, GRUCell<4, 6>, Dense<6, 3>>;

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

template <class Model>
std::vector<float> parameters_of(Model& m) {
  std::vector<float> all;
  m.for_each_parameter([&](auto, auto& p) { all.insert(all.end(), p.begin(), p.end()); });
  return all;
}

}  // namespace

TEST_CASE("SequenceModel: bad token ids and targets are named with their (t, b); nothing changes") {
  token_model m(1);
  const auto before = parameters_of(m);
  xt::xtensor<int, 2> ids = xt::zeros<int>({5, 2}), targets = xt::zeros<int>({5, 2});
  ids(4, 1) = 8;
  CHECK(message_of([&] { m.train_on_batch(ids, targets); }) ==
        "rnncell: token id 8 at (t = 4, b = 1) is outside 0..7 (Vocab 8)");
  ids(4, 1) = -3;
  CHECK(message_of([&] { m.evaluate(ids, targets); }).find("token id -3 at (t = 4, b = 1)") != std::string::npos);
  CHECK(message_of([&] { m.predict(ids); }).find("token id -3") != std::string::npos);
  ids(4, 1) = 0;
  targets(3, 0) = 3;
  CHECK(message_of([&] { m.train_on_batch(ids, targets); }) ==
        "rnncell: target 3 at (t = 3, b = 0) is outside 0..2");
  targets(3, 0) = -1;
  CHECK(message_of([&] { m.compute_gradients(ids, targets); }).find("target -1 at (t = 3, b = 0)") !=
        std::string::npos);
  CHECK(parameters_of(m) == before);
  targets(3, 0) = 2;
  CHECK(message_of([&] { m.train_on_batch(ids, targets); }) == "(nothing thrown)");
  CHECK(parameters_of(m) != before);
}

TEST_CASE("SequenceModel: shapes that do not fit are refused with both shapes named") {
  token_model m(2);
  const xt::xtensor<int, 2> ids = xt::zeros<int>({5, 2});
  const xt::xtensor<int, 2> transposed_targets = xt::zeros<int>({2, 5});
  CHECK(message_of([&] { m.train_on_batch(ids, transposed_targets); }) ==
        "rnncell: targets has shape (2, 5), expected (5, 2) (T, B), as the input's");
  const xt::xtensor<int, 2> empty = xt::zeros<int>({0, 2});
  CHECK(message_of([&] { m.predict(empty); }).find("token ids have shape (0, 2)") != std::string::npos);
  const xt::xtensor<int, 2> no_batch = xt::zeros<int>({5, 0});
  CHECK(message_of([&] { m.evaluate(no_batch, no_batch); }).find("token ids have shape (5, 0)") !=
        std::string::npos);

  float_model f(3);
  const xt::xtensor<float, 3> wrong_width = xt::zeros<float>({5, 2, 3});
  CHECK(message_of([&] { f.predict(wrong_width); }) ==
        "rnncell: input x has shape (5, 2, 3), expected (5, 2, 4) (T, B, In)");
  const xt::xtensor<float, 3> x = xt::zeros<float>({5, 2, 4});
  const xt::xtensor<int, 2> short_targets = xt::zeros<int>({4, 2});
  CHECK(message_of([&] { f.train_on_batch(x, short_targets); }).find("targets has shape (4, 2)") !=
        std::string::npos);
}

TEST_CASE("SequenceModel: a new (T, B) after another works, smaller and larger") {
  token_model m(4);
  for (const auto& [T, B] : {std::pair<std::size_t, std::size_t>{6, 3}, {2, 1}, {9, 5}}) {
    const xt::xtensor<int, 2> ids = xt::ones<int>({T, B}), targets = xt::ones<int>({T, B});
    CHECK(message_of([&] { m.train_on_batch(ids, targets); }) == "(nothing thrown)");
    CHECK(m.predict(ids).shape() == std::array<std::size_t, 3>{T, B, 3});
  }
}
