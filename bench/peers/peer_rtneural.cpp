// Streaming inference, one sample per call: ns per step of a GRU layer and of an LSTM layer in
// RTNeural (its Eigen, STL and, if built, xsimd backends) and in rnncell's stream (stream.hpp), for
// the sizes of rtneural_sizes.hpp; also rnncell's MGU, which RTNeural does not have, and the GRU
// cell's own step() (tool rnncell-cell-step: unpacked weights read in place) against the packed
// stream. Same weights in both (Keras' layout, which RTNeural's setters take and import_keras_gru
// and import_keras_lstm map to ours: reset-after GRU, like with like); the outputs are compared over
// 64 steps before anything is timed, and a tool that disagrees with ours of its cell beyond 1e-5
// (relative to the largest |h|) is reported, not timed.
// Tools are timed interleaved, round after round; each reports its best round's median.
// One JSON line per (tool, size), "pass": "stream"; bench/report.py makes the streaming table.
// Built twice by bench/CMakeLists.txt: -march=native and the compiler's default flags.
#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/random.hpp>
#include <rnncell/stream.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "peer_common.hpp"
#include "rtneural_backend.hpp"
#include "rtneural_sizes.hpp"

#ifndef RNNCELL_BENCH_FLAVOUR
#error "RNNCELL_BENCH_FLAVOUR (native or default) is set by bench/CMakeLists.txt"
#endif

namespace {

using namespace rnncell_bench;
constexpr int check_steps = 64, ring = 256;  // ring: the inputs cycled through while timing

// Keras' layout of a layer with `gates` gate blocks and `bias_rows` bias rows (rtneural_backend.hpp).
keras_weights random_weights(int in, int hidden, int gates, int bias_rows, rnncell::rng& g) {
  keras_weights w{in, hidden, {}, {}, {}};
  const double scale = 1.0 / std::sqrt(double(hidden));
  auto matrix = [&](int rows, int cols, double s) {
    std::vector<std::vector<float>> m(rows, std::vector<float>(cols));
    for (auto& row : m)
      for (auto& v : row) v = float(g.uniform(-s, s));
    return m;
  };
  w.kernel = matrix(in, gates * hidden, scale);
  w.recurrent = matrix(hidden, gates * hidden, scale);
  w.bias = matrix(bias_rows, gates * hidden, 0.1);
  return w;
}

template <class T>
xt::xtensor<T, 2> to_tensor(const std::vector<std::vector<float>>& m) {
  xt::xtensor<T, 2> t({m.size(), m[0].size()});
  for (std::size_t i = 0; i < m.size(); ++i) std::copy(m[i].begin(), m[i].end(), &t(i, 0));
  return t;
}

// Batch streams at once: step() reads Batch rows of In values.
template <class Cell, std::size_t Batch = 1>
class rnncell_stream final : public streaming_layer {
  static constexpr std::size_t in = Batch * Cell::input_width;

 public:
  explicit rnncell_stream(Cell cell) : cell_(std::move(cell)), stream_(cell_) {}
  void reset() override { stream_.reset(); }
  const float* step(const float* x) override { return stream_.step(std::span<const float, in>(x, in)).data(); }

 private:
  Cell cell_;
  rnncell::stream<Cell, Batch> stream_;
};

// The cell's own step (BaseRNNCell::step: row-major weights read in place, never stale), one row.
template <class Cell>
class rnncell_cell_step final : public streaming_layer {
 public:
  explicit rnncell_cell_step(Cell cell) : cell_(std::move(cell)) {}
  void reset() override { h_.fill(0.0f); }
  const float* step(const float* x) override {
    cell_.step_unchecked(rnncell::matrix_ref<const float>(x, 1, Cell::input_width),
                         rnncell::matrix_ref<float>(h_.data(), 1, Cell::hidden_width), ws_);
    return h_.data();
  }

 private:
  Cell cell_;
  std::array<float, Cell::hidden_width> h_{};
  typename Cell::workspace ws_;
};

template <int In, int H>
rnncell::GRUCell<In, H, float, rnncell::reset_after> imported_gru(const keras_weights& w) {
  rnncell::GRUCell<In, H, float, rnncell::reset_after> cell;
  xt::xarray<float> bias = to_tensor<float>(w.bias);
  rnncell::import_keras_gru(cell, to_tensor<float>(w.kernel), to_tensor<float>(w.recurrent), bias);
  return cell;
}

template <int In, int H>
rnncell::LSTMCell<In, H, float> imported_lstm(const keras_weights& w) {
  rnncell::LSTMCell<In, H, float> cell;
  rnncell::import_keras_lstm(cell, to_tensor<float>(w.kernel), to_tensor<float>(w.recurrent),
                             xt::xtensor<float, 1>(xt::row(to_tensor<float>(w.bias), 0)));
  return cell;
}

template <int In, int H, std::size_t Batch = 1>
std::unique_ptr<streaming_layer> make_ours_gru(const keras_weights& w) {
  auto cell = imported_gru<In, H>(w);
  return std::make_unique<rnncell_stream<decltype(cell), Batch>>(std::move(cell));
}

template <int In, int H, std::size_t Batch = 1>
std::unique_ptr<streaming_layer> make_ours_lstm(const keras_weights& w) {
  auto cell = imported_lstm<In, H>(w);
  return std::make_unique<rnncell_stream<decltype(cell), Batch>>(std::move(cell));
}

template <int In, int H>
std::unique_ptr<streaming_layer> make_ours_mgu(rnncell::rng& g) {
  rnncell::MGUCell<In, H> cell;
  cell.initialize(g);
  for (auto& v : cell.params.b) v = float(g.uniform(-0.1, 0.1));
  return std::make_unique<rnncell_stream<decltype(cell)>>(std::move(cell));
}

struct tool {
  std::string name, cell;
  std::unique_ptr<streaming_layer> net;
  int batch = 1;
  double max_rel_diff = 0;  // against ours of the same cell, batch 1 only
  double best_ns = std::numeric_limits<double>::infinity();
};

double relative_difference(const float* a, const float* b, int n) {
  double worst = 0, scale = 1e-30;
  for (int j = 0; j < n; ++j) {
    worst = std::max(worst, std::abs(double(a[j]) - double(b[j])));
    scale = std::max(scale, std::abs(double(b[j])));
  }
  return worst / scale;
}

template <int In, int H>
void measure_size(const peer_options& opt, int rounds) {
  rnncell::rng g(1000 + 7 * In + H);
  const keras_weights gru = random_weights(In, H, 3, 2, g);
  const keras_weights lstm = random_weights(In, H, 4, 1, g);
  // Ours of each cell first: the others are compared against it.
  std::vector<tool> tools;
  tools.push_back({"rnncell", "gru_reset_after", make_ours_gru<In, H>(gru)});
  tools.push_back({"rnncell", "mgu", make_ours_mgu<In, H>(g)});
  tools.push_back({"rnncell", "lstm", make_ours_lstm<In, H>(lstm)});
  tools.push_back({"rtneural-eigen", "gru_reset_after", eigen::make_rtneural_gru(gru)});
  tools.push_back({"rtneural-eigen", "lstm", eigen::make_rtneural_lstm(lstm)});
  tools.push_back({"rtneural-stl", "gru_reset_after", stl::make_rtneural_gru(gru)});
  tools.push_back({"rtneural-stl", "lstm", stl::make_rtneural_lstm(lstm)});
#ifdef RNNCELL_BENCH_RTNEURAL_XSIMD
  tools.push_back({"rtneural-xsimd", "gru_reset_after", xsimd_backend::make_rtneural_gru(gru)});
  tools.push_back({"rtneural-xsimd", "lstm", xsimd_backend::make_rtneural_lstm(lstm)});
#endif
  tools.push_back({"rnncell-cell-step", "gru_reset_after",
                   std::make_unique<rnncell_cell_step<decltype(imported_gru<In, H>(gru))>>(imported_gru<In, H>(gru))});
  // Eight streams per call (its agreement with forward is the test suite's; here only its time).
  tools.push_back({"rnncell", "gru_reset_after", make_ours_gru<In, H, 8>(gru), 8});
  tools.push_back({"rnncell", "lstm", make_ours_lstm<In, H, 8>(lstm), 8});
  // RTNeural's Eigen backend maps each input as an aligned vector: rows start on cache lines.
  constexpr std::size_t stride = rnncell::kernels::padded_width<float, In>;
  rnncell::kernels::aligned_array<float> inputs((ring + 8) * stride);
  for (std::size_t i = 0; i < inputs.size(); ++i) inputs.data()[i] = i % stride < In ? float(g.uniform(-1, 1)) : 0.0f;

  // Agreement first: every batch-1 tool against ours of its cell, step by step from a zero state.
  for (auto& t : tools) {
    if (!t.net) throw std::logic_error("no " + t.name + " for this size: rtneural_sizes.hpp lists it");
    t.net->reset();
  }
  std::map<std::string, std::vector<float>> ours;  // this step's h of ours, per cell
  for (int s = 0; s < check_steps; ++s) {
    const float* x = inputs.data() + std::size_t(s % ring) * stride;
    for (auto& t : tools) {
      if (t.batch != 1) continue;
      const float* h = t.net->step(x);
      if (t.name == "rnncell")
        ours[t.cell].assign(h, h + H);
      else
        t.max_rel_diff = std::max(t.max_rel_diff, relative_difference(h, ours.at(t.cell).data(), H));
    }
  }

  for (int round = 0; round < rounds; ++round)
    for (auto& t : tools) {
      if (t.max_rel_diff > 1e-5) continue;
      t.net->reset();
      // A batch of 8 reads 8 * In values from row s on (the ring has 8 rows to spare at its end).
      const std::size_t row_step = t.batch == 1 ? stride : In;
      const double ms = median_ms(
          [&] {
            for (int s = 0; s < ring; ++s) t.net->step(inputs.data() + std::size_t(s) * row_step);
          },
          opt.min_time);
      t.best_ns = std::min(t.best_ns, ms * 1e6 / ring);
    }
  const std::string_view isa = rnncell::kernels::isa_name(rnncell::kernels::active_isa());
  for (const auto& t : tools) {
    const bool agrees = t.max_rel_diff <= 1e-5;
    std::printf(
        "{\"tool\": \"%s\", \"cell\": \"%s\", \"in\": %d, \"hidden\": %d, \"batch\": %d, \"pass\": \"stream\", "
        "\"build\": \"%s\", \"ns_per_step\": %.6g, \"max_rel_diff\": %.3g, \"isa\": \"%.*s\", \"note\": \"%s\"}\n",
        t.name.c_str(), t.cell.c_str(), In, H, t.batch, RNNCELL_BENCH_FLAVOUR, agrees ? t.best_ns : -1.0, t.max_rel_diff,
        int(isa.size()), isa.data(), agrees ? "" : "disagrees with rnncell beyond 1e-5: not timed");
    std::fflush(stdout);
  }
}

}  // namespace

// Accepts --min-time=SECONDS (per measurement) and --rounds=N.
int main(int argc, char** argv) try {
  int rounds = 3;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--rounds="))
      rounds = parse_int_list(a.substr(9), "--rounds").at(0);
    else
      rest.push_back(argv[i]);
  }
  const peer_options opt = parse_peer_options(int(rest.size()), rest.data());
  for_each_stream_size([&](auto in, auto hidden) { measure_size<decltype(in)::value, decltype(hidden)::value>(opt, rounds); });
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "peer_rtneural: %s\n", e.what());
  return 1;
}
