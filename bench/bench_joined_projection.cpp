// Whether a Bidirectional's two input projections would run faster as one product (issue 30: "the
// two directions' input projections in one product where the math allows"). Both directions read
// the same T*B input rows, so X [Wx_fwd | Wx_bwd] is one (T*B, In) x (In, 2G) product, and the
// weight gradients one X^T [dA_fwd | dA_bwd]. This times the kernels alone, as the cells call them
// (kernels::pack + gemm_packed_set, add_weight_gradient on the active path), separately (two
// products of N = G) and joined (one of N = 2G), T = 28, B = 32, at the bench's sizes: GRU (G = 3H)
// In 28 at H 50 and 128, LSTM (G = 4H) In 28 at H 128, and the upper layer of a 2 x 256
// bidirectional GRU (In = 2H = 512). Names are "<separate|joined>/<product>/In<In>/G<G>";
// bench/README.md ("Bidirectional: one input product?") has what it measured.
#include <benchmark/benchmark.h>

#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/kernels/weight_gradient.hpp>
#include <rnncell/random.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using rnncell::detail::matrix_ref;
namespace kernels = rnncell::kernels;

constexpr std::size_t rows = 28 * 32;  // T * B

template <std::size_t In, std::size_t G>
struct problem {
  std::vector<float> x = values(rows * In), w = values(In * 2 * G), d_gates = values(rows * 2 * G);
  std::vector<float> gates = std::vector<float>(rows * 2 * G), dw = std::vector<float>(In * 2 * G);
  // Room for both directions' packed weights (one joined pack of 2G columns is no larger).
  std::vector<float> packed = std::vector<float>(2 * kernels::packed_block<float, In, G>::size + 16);

  static std::vector<float> values(std::size_t n) {
    rnncell::rng g(7);
    std::vector<float> v(n);
    for (float& e : v) e = float(g.uniform(-1, 1));
    return v;
  }
  float* packed_at(std::size_t offset) {  // 64-byte aligned, as the workspaces give the kernels
    auto* p = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(packed.data()) + 63) & ~std::uintptr_t(63));
    return p + offset;
  }
  matrix_ref<const float> input() const { return {x.data(), rows, In}; }
};

// The cells' X Wx: per direction its weights packed, then one product into its (T*B, G) gates.
template <std::size_t In, std::size_t G>
void projection_separate(benchmark::State& state) {
  problem<In, G> p;
  for (auto _ : state)
    for (std::size_t direction = 0; direction < 2; ++direction) {
      const auto packed = kernels::pack<In, G>(p.w.data() + direction * G, 2 * G,
                                               p.packed_at(direction * kernels::packed_block<float, In, G>::size));
      kernels::gemm_packed_set(matrix_ref<float>{p.gates.data() + direction * rows * G, rows, G}, p.input(), packed);
      benchmark::DoNotOptimize(p.gates.data());
    }
}

template <std::size_t In, std::size_t G>
void projection_joined(benchmark::State& state) {
  problem<In, G> p;
  for (auto _ : state) {
    const auto packed = kernels::pack<In, 2 * G>(p.w.data(), 2 * G, p.packed_at(0));
    kernels::gemm_packed_set(matrix_ref<float>{p.gates.data(), rows, 2 * G}, p.input(), packed);
    benchmark::DoNotOptimize(p.gates.data());
  }
}

// dWx += X^T dA per direction, or once over both directions' gate gradients side by side.
template <std::size_t In, std::size_t G>
void weight_gradient_separate(benchmark::State& state) {
  problem<In, G> p;
  for (auto _ : state)
    for (std::size_t direction = 0; direction < 2; ++direction) {
      kernels::add_weight_gradient<In, G>(matrix_ref<float>{p.dw.data() + direction * In * G, In, G}, p.input(),
                                          matrix_ref<const float>{p.d_gates.data() + direction * rows * G, rows, G});
      benchmark::DoNotOptimize(p.dw.data());
    }
}

template <std::size_t In, std::size_t G>
void weight_gradient_joined(benchmark::State& state) {
  problem<In, G> p;
  for (auto _ : state) {
    kernels::add_weight_gradient<In, 2 * G>(matrix_ref<float>{p.dw.data(), In, 2 * G}, p.input(),
                                            matrix_ref<const float>{p.d_gates.data(), rows, 2 * G});
    benchmark::DoNotOptimize(p.dw.data());
  }
}

template <std::size_t In, std::size_t G>
void register_size() {
  const std::string size = "/In" + std::to_string(In) + "/G" + std::to_string(G);
  benchmark::RegisterBenchmark(("separate/projection" + size).c_str(), projection_separate<In, G>);
  benchmark::RegisterBenchmark(("joined/projection" + size).c_str(), projection_joined<In, G>);
  benchmark::RegisterBenchmark(("separate/weight_gradient" + size).c_str(), weight_gradient_separate<In, G>);
  benchmark::RegisterBenchmark(("joined/weight_gradient" + size).c_str(), weight_gradient_joined<In, G>);
}

const bool registered = [] {
  register_size<28, 150>();   // GRU 1 x 50
  register_size<28, 384>();   // GRU 1 x 128
  register_size<28, 512>();   // LSTM 1 x 128
  register_size<512, 768>();  // GRU 2 x 256's upper layer
  return true;
}();

}  // namespace
