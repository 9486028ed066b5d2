// OpenBLAS sgemm at exactly the products one batch needs (bench/step_gemms.hpp), timed as their
// sum per configuration: the floor a BLAS-based implementation can reach. Also measures the
// single-thread sgemm peak on a large square product, the 100% of bench/RESULTS.md.
#include <cblas.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

#include "../openblas_control.hpp"
#include "peer_common.hpp"

namespace {

using namespace rnncell_bench;

// Buffers large enough for every product of one configuration, filled with small values so that
// no denormals slow the kernels down.
struct operands {
  std::vector<float> a, b, c;
  explicit operands(const std::vector<gemm_shape>& gemms) {
    std::size_t a_size = 0, b_size = 0, c_size = 0;
    for (const auto& g : gemms) {
      a_size = std::max<std::size_t>(a_size, std::size_t(g.m) * g.k);
      b_size = std::max<std::size_t>(b_size, std::size_t(g.k) * g.n);
      c_size = std::max<std::size_t>(c_size, std::size_t(g.m) * g.n);
    }
    a.assign(a_size, 0.01f);
    b.assign(b_size, 0.02f);
    c.assign(c_size, 0.0f);
  }
};

// beta = 1: the library accumulates gradients and adds projections into preallocated buffers.
void run(const gemm_shape& g, operands& o) {
  const int lda = g.trans_a ? g.m : g.k;
  const int ldb = g.trans_b ? g.k : g.n;
  for (int i = 0; i < g.count; ++i)
    cblas_sgemm(CblasRowMajor, g.trans_a ? CblasTrans : CblasNoTrans,
                g.trans_b ? CblasTrans : CblasNoTrans, g.m, g.n, g.k, 1.0f, o.a.data(), lda,
                o.b.data(), ldb, 1.0f, o.c.data(), g.n);
}

// The peak is the fastest repetition (what the kernels can do when nothing disturbs them),
// measured for at least half a second.
double measure_peak_gflops(double min_time) {
  const gemm_shape square{false, false, 1024, 1024, 1024, 1};
  operands o({square});
  const auto ms = repetition_ms([&] { run(square, o); }, std::max(min_time, 0.5));
  return flops(square) / (*std::min_element(ms.begin(), ms.end()) * 1e6);
}

}  // namespace

int main(int argc, char** argv) try {
  const peer_options opt = parse_peer_options(argc, argv);
  pin_openblas_to_one_thread();
  std::printf("{\"tool\": \"sgemm\", \"peak_gflops\": %.6g, \"corename\": \"%s\", \"threads\": %d}\n",
              measure_peak_gflops(opt.min_time), openblas_core_name().c_str(),
              openblas_get_num_threads());
  for (int batch : opt.batches)
    for (cell_kind cell : all_cells)
      for (int layers : opt.layer_counts)
        for (int hidden : opt.hiddens) {
          const step_config c{cell, layers, hidden, batch};
          for (pass_kind pass : {pass_kind::forward, pass_kind::forward_backward, pass_kind::train_step}) {
            const auto gemms = step_gemms(c, pass);
            operands o(gemms);
            const double ms = median_ms([&] { for (const auto& g : gemms) run(g, o); }, opt.min_time);
            print_record("sgemm", c, pass, ms, "sum of the step's sgemm calls");
          }
        }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "peer_sgemm: %s\n", e.what());
  return 2;
}
