#include "grid/train_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>

namespace notmnist {
namespace {

// Sample-weighted sums over one pass.
struct pass_totals {
  double loss = 0, correct = 0;
  std::size_t samples = 0;
  void add(const rnncell::batch_metrics& r, std::size_t n) {
    loss += r.loss * double(n);
    correct += r.accuracy * double(n);
    samples += n;
  }
  double mean_loss() const { return loss / double(samples); }
  double accuracy() const { return correct / double(samples); }
};

// Calls step(result_of_batch) for each batch of `order`; stops early when `step` returns false.
template <class Step>
void for_each_batch(const dataset& data, std::span<const std::uint32_t> order, std::size_t size, batch& b, Step&& step) {
  for (std::size_t start = 0; start < order.size(); start += size) {
    const auto indices = order.subspan(start, std::min(size, order.size() - start));
    fill_batch(data, indices, b);
    if (!step(indices.size())) return;
  }
}

}  // namespace

rnncell::rng training_order_stream(std::uint64_t seed) {
  rnncell::rng g(seed);
  g.jump();
  return g;
}

run_outcome train_run(trainable& model, const run_id& id, const dataset& data, const data_split& split,
                      const training_protocol& protocol, run_observer& observer, const std::atomic<bool>& stop) {
  run_outcome out;
  run_record& rec = out.record;
  rec.id = id;
  rec.protocol = protocol;
  rec.parameter_count = model.parameter_count();

  rnncell::rng order_rng = training_order_stream(id.seed);
  std::vector<std::uint32_t> order = split.train;
  const std::size_t batch_size = std::size_t(protocol.batch);
  batch b;
  for (int epoch = 1; epoch <= protocol.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    rnncell::shuffle(order_rng, std::span<std::uint32_t>(order));
    pass_totals train, val;
    for_each_batch(data, order, batch_size, b, [&](std::size_t n) {
      const rnncell::batch_metrics r = model.train_on_batch(b);
      train.add(r, n);
      observer.batch_done(id);
      return std::isfinite(r.loss) && !stop.load();
    });
    if (stop.load()) {
      out.interrupted = true;
      return out;
    }
    if (std::isfinite(train.loss))
      for_each_batch(data, split.validation, batch_size, b, [&](std::size_t n) {
        val.add(model.evaluate(b), n);
        return true;
      });
    if (!std::isfinite(train.loss) || !std::isfinite(val.loss)) {
      rec.failed = true;
      rec.failed_epoch = epoch;
      rec.failure = std::string(std::isfinite(train.loss) ? "validation" : "training") + " loss became " +
                    (std::isnan(train.loss) || std::isnan(val.loss) ? "NaN" : "Inf") + " in epoch " + std::to_string(epoch);
      return out;
    }
    rec.hist.loss.push_back(train.mean_loss());
    rec.hist.accuracy.push_back(train.accuracy());
    rec.hist.val_loss.push_back(val.mean_loss());
    rec.hist.val_accuracy.push_back(val.accuracy());
    rec.hist.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    observer.epoch_done(id, epoch, rec.hist);
  }
  return out;
}

}  // namespace notmnist
