// A run's training order draws from a stream of its own: not the numbers the model's
// initialisation takes from rng(seed), and the same for the same seed.
#include "grid/train_run.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <span>

namespace notmnist {
namespace {

// Image i has i in its first pixel, so a batch's first input row says which images it holds.
dataset numbered_images(std::size_t n) {
  dataset d;
  d.classes = {"A", "B"};
  for (std::size_t i = 0; i < n; ++i) {
    d.files.push_back("A/" + std::to_string(i) + ".png");
    d.labels.push_back(int(i % 2));
  }
  d.pixels.assign(n * image_pixels, 0.0f);
  for (std::size_t i = 0; i < n; ++i) d.pixels[i * image_pixels] = float(i);
  return d;
}

// Records the images of every training batch, in the order it is given them.
class order_recorder : public trainable {
 public:
  std::vector<std::uint32_t> seen;
  rnncell::batch_metrics train_on_batch(const batch& b) override {
    for (std::size_t k = 0; k < b.x.shape(1); ++k) seen.push_back(std::uint32_t(b.x(0, k, 0)));
    return {0.5, 0.5};
  }
  rnncell::batch_metrics evaluate(const batch&) override { return {0.5, 0.5}; }
  std::size_t parameter_count() override { return 0; }
};

struct quiet_observer : run_observer {
  void batch_done(const run_id&) override {}
  void epoch_done(const run_id&, int, const history&) override {}
};

// The images of epoch 1 of a one-epoch run with `seed`, in training order.
std::vector<std::uint32_t> first_epoch_order(const dataset& data, const data_split& split, std::uint64_t seed) {
  order_recorder model;
  quiet_observer observer;
  const std::atomic<bool> stop{false};
  training_protocol protocol;
  protocol.epochs = 1;
  protocol.batch = 8;
  const run_id id{{cell_kind::gru, 1, 50}, seed};
  const run_outcome out = train_run(model, id, data, split, protocol, observer, stop);
  REQUIRE_FALSE(out.record.failed);
  return model.seen;
}

std::vector<std::uint32_t> shuffled(std::vector<std::uint32_t> items, rnncell::rng g) {
  rnncell::shuffle(g, std::span<std::uint32_t>(items));
  return items;
}

}  // namespace

TEST_SUITE("grid") {
TEST_CASE("epoch 1's order comes from rng(seed) jumped, not from the initialisation's rng(seed)") {
  const dataset data = numbered_images(50);
  data_split split;
  split.train.resize(40);
  std::iota(split.train.begin(), split.train.end(), 0u);
  for (std::uint32_t i = 40; i < 50; ++i) split.validation.push_back(i);

  for (const std::uint64_t seed : {std::uint64_t(1000), std::uint64_t(1001)}) {
    CAPTURE(seed);
    const std::vector<std::uint32_t> order = first_epoch_order(data, split, seed);
    std::vector<std::uint32_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == split.train);  // every training image once
    CHECK(order == first_epoch_order(data, split, seed));
    CHECK(order != shuffled(split.train, rnncell::rng(seed)));  // the stream Model(seed) initialises from
    rnncell::rng jumped(seed);
    jumped.jump();
    CHECK(order == shuffled(split.train, jumped));
  }
}
}

}  // namespace notmnist
