#pragma once
// The matrix products one batch of recurrent training needs, and the flop count derived from
// them. This is the one place the flop formula lives: the Google Benchmark counters, the sgemm
// peer (which times exactly these shapes) and bench/RESULTS.md (through the sgemm peer's output)
// all use it. A product of (M x K) and (K x N) counts 2*M*N*K flops; elementwise gate math,
// bias sums and Adam are not counted.
//
// Per layer l of a stack (input width I = In for l = 0, else H; G = 3 gates for GRU, 2 for MGU,
// 4 for LSTM; rows R = T*B):
//   forward   input projection  X (R x I) . Wx (I x GH)                          once
//             recurrent product h (B x H) . Wh (H x GH), split as the cell needs  T times
//   backward  dh_prev           dA (B x GH) . Wh^T, split likewise                T times
//             dWh               Hprev^T (H x R) . dA (R x GH), one product        once
//             dWx               X^T (I x R) . dA (R x GH)                         once
//             dx                dA (R x GH) . Wx^T (GH x I)                       once, except layer
//                               0 of a train step (nothing consumes dLoss/dx there)
//   head      (train step only) logits h_T . W, dW = h_T^T . dlogits, dh_T = dlogits . W^T
// Reset-before GRU and MGU split the recurrent product in two because the candidate's product
// takes (r*h) or (f*h), which depends on the first product; reset-after GRU and LSTM do one product.
#include <string>
#include <string_view>
#include <vector>

namespace rnncell_bench {

enum class cell_kind { gru_reset_before, gru_reset_after, mgu, lstm };
enum class pass_kind { forward, forward_backward, train_step };

inline constexpr cell_kind all_cells[] = {cell_kind::gru_reset_before, cell_kind::gru_reset_after,
                                          cell_kind::mgu, cell_kind::lstm};

inline std::string_view name_of(cell_kind c) {
  switch (c) {
    case cell_kind::gru_reset_before: return "gru_rb";
    case cell_kind::gru_reset_after: return "gru_ra";
    case cell_kind::mgu: return "mgu";
    case cell_kind::lstm: return "lstm";
  }
  return "?";
}

inline std::string_view name_of(pass_kind p) {
  switch (p) {
    case pass_kind::forward: return "forward";
    case pass_kind::forward_backward: return "fwd_bwd";
    case pass_kind::train_step: return "train_step";
  }
  return "?";
}

struct step_config {
  cell_kind cell;
  int layers;
  int hidden;
  int batch;
  int steps = 28;
  int input = 28;
  int classes = 10;
};

// C (m x n) = op(A) (m x k) . op(B) (k x n), done `count` times. Row-major, as the library stores.
struct gemm_shape {
  bool trans_a;
  bool trans_b;
  int m, n, k;
  int count;
};

inline double flops(const gemm_shape& g) {
  return 2.0 * g.m * g.n * g.k * g.count;
}

inline double flops(const std::vector<gemm_shape>& gemms) {
  double sum = 0;
  for (const auto& g : gemms) sum += flops(g);
  return sum;
}

inline std::vector<gemm_shape> step_gemms(const step_config& c, pass_kind pass) {
  const int H = c.hidden, B = c.batch, T = c.steps, R = T * B;
  const int G = c.cell == cell_kind::mgu ? 2 : c.cell == cell_kind::lstm ? 4 : 3;
  // Column widths of the recurrent products: one [z|r|n] product for reset-after ([i|f|g|o] for
  // LSTM), else the gate part first and the candidate's product second.
  std::vector<int> recurrent_widths;
  if (c.cell == cell_kind::gru_reset_after || c.cell == cell_kind::lstm) recurrent_widths = {G * H};
  else if (c.cell == cell_kind::gru_reset_before) recurrent_widths = {2 * H, H};
  else recurrent_widths = {H, H};

  std::vector<gemm_shape> out;
  for (int l = 0; l < c.layers; ++l) {
    const int I = l == 0 ? c.input : H;
    out.push_back({false, false, R, G * H, I, 1});
    for (int w : recurrent_widths) out.push_back({false, false, B, w, H, T});
    if (pass == pass_kind::forward) continue;
    for (int w : recurrent_widths) out.push_back({false, true, B, H, w, T});
    for (int w : recurrent_widths) out.push_back({true, false, H, w, R, 1});
    out.push_back({true, false, I, G * H, R, 1});
    if (!(pass == pass_kind::train_step && l == 0)) out.push_back({false, true, R, I, G * H, 1});
  }
  if (pass == pass_kind::train_step) {
    out.push_back({false, false, B, c.classes, H, 1});
    out.push_back({true, false, H, c.classes, B, 1});
    out.push_back({false, true, B, H, c.classes, 1});
  }
  return out;
}

inline double step_flops(const step_config& c, pass_kind pass) {
  return flops(step_gemms(c, pass));
}

}  // namespace rnncell_bench
