// oneDNN's GRU and LSTM training primitives (forward_training + backward) at the seed's shapes, 1
// thread. gru_rb is oneDNN's vanilla GRU (reset applied before the recurrent product, our default);
// gru_ra is lbr_gru ("linear before reset", PyTorch's and cuDNN's variant); lstm is its LSTM without
// peephole or projection, gates [i | f | c~ | o] as ours. oneDNN has no MGU.
//
// What a oneDNN user's training step has to do, and what is timed:
//   forward   reorder the (optimizer-owned, ldigo) weights to the forward primitive's format,
//             run the layers;
//   fwd_bwd   + reorder the weights to the backward format, zero the gradients (oneDNN's
//             backward accumulates), run the layers backward, the loss gradient only at the
//             last step (as a classifier on the last hidden state has);
//   train_step + an Adam update of every parameter (a plain loop; there is no oneDNN optimizer).
// The Dense head (0.1% of the flops) is left out. oneDNN requires one input width per layer
// group, so layer 0 (In = 28) and layers 1..L-1 (In = H) are two primitives.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <oneapi/dnnl/dnnl.hpp>
#include <type_traits>
#include <vector>

#include "peer_common.hpp"

namespace {

using namespace rnncell_bench;
using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct adam_state {
  std::vector<float> m, v;
  long step = 0;
  void update(float* p, const float* g, std::size_t n) {
    if (m.size() != n) m.assign(n, 0.f), v.assign(n, 0.f);
    const float b1 = 0.9f, b2 = 0.999f, eps = 1e-7f;
    ++step;
    const float lr_t = 1e-3f * std::sqrt(1.f - std::pow(b2, float(step))) / (1.f - std::pow(b1, float(step)));
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = b1 * m[i] + (1.f - b1) * g[i];
      v[i] = b2 * v[i] + (1.f - b2) * g[i] * g[i];
      p[i] -= lr_t * m[i] / (std::sqrt(v[i]) + eps);
    }
  }
};

float* data_of(const memory& m) { return static_cast<float*>(m.get_data_handle()); }
std::size_t floats_in(const memory& m) { return m.get_desc().get_size() / sizeof(float); }

// Uses `user` directly when the primitive wants its layout, else a reordered copy.
struct maybe_reordered {
  memory user, wanted;
  dnnl::reorder reorder;
  bool needed = false;
  maybe_reordered(const memory& u, const memory::desc& want, const dnnl::engine& eng) : user(u) {
    needed = want != u.get_desc();
    wanted = needed ? memory(want, eng) : u;
    if (needed) reorder = dnnl::reorder(user, wanted);
  }
  void refresh(dnnl::stream& s) {
    if (needed) reorder.execute(s, user, wanted);
  }
};

// LSTM's primitives take a second state, the cell state c, beside h, and have four gates where the
// GRUs' have three.
template <class Fwd>
constexpr bool is_lstm = std::is_same_v<Fwd, dnnl::lstm_forward>;

// One primitive: `layers` stacked layers of input width `in` (L = layers, D = 1 direction).
template <class Fwd, class Bwd>
struct layer_group {
  memory src, dst, diff_src, diff_dst, workspace;
  memory w_layer, w_iter, bias, dw_layer, dw_iter, dbias;  // user (optimizer) formats
  std::unique_ptr<maybe_reordered> fw_layer, fw_iter, bw_layer, bw_iter;
  Fwd fwd;
  Bwd bwd;
  adam_state adam[3];
  std::string impl;  // which oneDNN implementation was picked (jit, ref, ...)

  layer_group(int layers, int in, int H, int B, int T, int bias_gates, const dnnl::engine& eng) {
    const memory::dim L = layers, G = is_lstm<Fwd> ? 4 : 3;
    const memory::desc src_md({T, B, in}, dt::f32, tag::tnc), dst_md({T, B, H}, dt::f32, tag::tnc);
    const memory::desc wl_md({L, 1, in, G, H}, dt::f32, tag::ldigo);
    const memory::desc wi_md({L, 1, H, G, H}, dt::f32, tag::ldigo);
    const memory::desc b_md({L, 1, bias_gates, H}, dt::f32, tag::ldgo);
    const memory::desc any_wl({L, 1, in, G, H}, dt::f32, tag::any);
    const memory::desc any_wi({L, 1, H, G, H}, dt::f32, tag::any);
    const memory::desc none;  // the states at both ends (h, and c for LSTM): zero in, not returned
    const auto dir = dnnl::rnn_direction::unidirectional_left2right;
    const auto fwd_desc = [&] {
      if constexpr (is_lstm<Fwd>)
        return typename Fwd::desc(dnnl::prop_kind::forward_training, dir, src_md, none, none, any_wl, any_wi,
                                  b_md, dst_md, none, none);
      else
        return typename Fwd::desc(dnnl::prop_kind::forward_training, dir, src_md, none, any_wl, any_wi,
                                  b_md, dst_md, none);
    };
    const auto bwd_desc = [&] {
      if constexpr (is_lstm<Fwd>)
        return typename Bwd::desc(dnnl::prop_kind::backward, dir, src_md, none, none, any_wl, any_wi, b_md,
                                  dst_md, none, none, src_md, none, none, wl_md, wi_md, b_md, dst_md, none,
                                  none);
      else
        return typename Bwd::desc(dnnl::prop_kind::backward, dir, src_md, none, any_wl, any_wi, b_md,
                                  dst_md, none, src_md, none, wl_md, wi_md, b_md, dst_md, none);
    };

    typename Fwd::primitive_desc fpd(fwd_desc(), eng);
    typename Bwd::primitive_desc bpd(bwd_desc(), eng, fpd);
    impl = std::string(fpd.impl_info_str()) + "/" + bpd.impl_info_str();
    fwd = Fwd(fpd);
    bwd = Bwd(bpd);
    src = memory(src_md, eng), dst = memory(dst_md, eng);
    diff_src = memory(src_md, eng), diff_dst = memory(dst_md, eng);
    workspace = memory(fpd.workspace_desc(), eng);
    w_layer = memory(wl_md, eng), w_iter = memory(wi_md, eng), bias = memory(b_md, eng);
    dw_layer = memory(bpd.diff_weights_layer_desc(), eng);
    dw_iter = memory(bpd.diff_weights_iter_desc(), eng);
    dbias = memory(bpd.diff_bias_desc(), eng);
    for (const memory* m : {&src, &dst, &diff_src, &diff_dst, &w_layer, &w_iter, &bias})
      std::fill_n(data_of(*m), floats_in(*m), 0.01f);
    fw_layer = std::make_unique<maybe_reordered>(w_layer, fpd.weights_layer_desc(), eng);
    fw_iter = std::make_unique<maybe_reordered>(w_iter, fpd.weights_iter_desc(), eng);
    bw_layer = std::make_unique<maybe_reordered>(w_layer, bpd.weights_layer_desc(), eng);
    bw_iter = std::make_unique<maybe_reordered>(w_iter, bpd.weights_iter_desc(), eng);
  }

  void forward(dnnl::stream& s) {
    fw_layer->refresh(s);
    fw_iter->refresh(s);
    fwd.execute(s, {{DNNL_ARG_SRC_LAYER, src}, {DNNL_ARG_WEIGHTS_LAYER, fw_layer->wanted},
                    {DNNL_ARG_WEIGHTS_ITER, fw_iter->wanted}, {DNNL_ARG_BIAS, bias},
                    {DNNL_ARG_DST_LAYER, dst}, {DNNL_ARG_WORKSPACE, workspace}});
  }

  void backward(dnnl::stream& s) {
    bw_layer->refresh(s);
    bw_iter->refresh(s);
    for (const memory* m : {&dw_layer, &dw_iter, &dbias}) std::memset(data_of(*m), 0, m->get_desc().get_size());
    bwd.execute(s, {{DNNL_ARG_SRC_LAYER, src}, {DNNL_ARG_WEIGHTS_LAYER, bw_layer->wanted},
                    {DNNL_ARG_WEIGHTS_ITER, bw_iter->wanted}, {DNNL_ARG_BIAS, bias},
                    {DNNL_ARG_DST_LAYER, dst}, {DNNL_ARG_WORKSPACE, workspace},
                    {DNNL_ARG_DIFF_SRC_LAYER, diff_src}, {DNNL_ARG_DIFF_WEIGHTS_LAYER, dw_layer},
                    {DNNL_ARG_DIFF_WEIGHTS_ITER, dw_iter}, {DNNL_ARG_DIFF_BIAS, dbias},
                    {DNNL_ARG_DIFF_DST_LAYER, diff_dst}});
  }

  void adam_step() {
    adam[0].update(data_of(w_layer), data_of(dw_layer), floats_in(w_layer));
    adam[1].update(data_of(w_iter), data_of(dw_iter), floats_in(w_iter));
    adam[2].update(data_of(bias), data_of(dbias), floats_in(bias));
  }
};

template <class Fwd, class Bwd>
struct stack {
  std::vector<std::unique_ptr<layer_group<Fwd, Bwd>>> groups;
  stack(const step_config& c, int bias_gates, const dnnl::engine& eng) {
    groups.push_back(std::make_unique<layer_group<Fwd, Bwd>>(1, c.input, c.hidden, c.batch, c.steps, bias_gates, eng));
    if (c.layers > 1)
      groups.push_back(std::make_unique<layer_group<Fwd, Bwd>>(c.layers - 1, c.hidden, c.hidden, c.batch, c.steps, bias_gates, eng));
    // Upper group's input is the lower group's output; the lower group's output gradient is
    // the upper group's input gradient; the loss reaches the top output at the last step only.
    if (groups.size() > 1) {
      groups[1]->src = groups[0]->dst;
      groups[0]->diff_dst = groups[1]->diff_src;
    }
    memory& top = groups.back()->diff_dst;
    std::memset(data_of(top), 0, top.get_desc().get_size());
    const std::size_t last_step = std::size_t(c.batch) * c.hidden;
    std::fill_n(data_of(top) + (c.steps - 1) * last_step, last_step, 0.01f);
  }
  void run(pass_kind pass, dnnl::stream& s) {
    for (auto& g : groups) g->forward(s);
    if (pass != pass_kind::forward)
      for (auto it = groups.rbegin(); it != groups.rend(); ++it) (*it)->backward(s);
    s.wait();
    if (pass == pass_kind::train_step)
      for (auto& g : groups) g->adam_step();
  }
};

template <class Fwd, class Bwd>
void measure(const step_config& c, int bias_gates, const peer_options& opt, const dnnl::engine& eng, dnnl::stream& s) {
  stack<Fwd, Bwd> net(c, bias_gates, eng);
  for (pass_kind pass : {pass_kind::forward, pass_kind::forward_backward, pass_kind::train_step}) {
    const double ms = median_ms([&] { net.run(pass, s); }, opt.min_time);
    const std::string what = pass == pass_kind::train_step ? "RNN primitives + Adam loop, no head; " : "RNN primitives, no head; ";
    print_record("onednn", c, pass, ms, what + net.groups[0]->impl);
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const peer_options opt = parse_peer_options(argc, argv);
  omp_set_num_threads(1);
  std::fprintf(stderr, "peer_onednn: oneDNN %d.%d.%d, %d OpenMP thread(s)\n", dnnl_version()->major,
               dnnl_version()->minor, dnnl_version()->patch, omp_get_max_threads());
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);
  for (int batch : opt.batches)
    for (cell_kind cell : {cell_kind::gru_reset_before, cell_kind::gru_reset_after, cell_kind::lstm})
      for (int layers : opt.layer_counts)
        for (int hidden : opt.hiddens) {
          const step_config c{cell, layers, hidden, batch};
          if (cell == cell_kind::gru_reset_before)
            measure<dnnl::gru_forward, dnnl::gru_backward>(c, 3, opt, eng, s);
          else if (cell == cell_kind::gru_reset_after)
            measure<dnnl::lbr_gru_forward, dnnl::lbr_gru_backward>(c, 4, opt, eng, s);
          else
            measure<dnnl::lstm_forward, dnnl::lstm_backward>(c, 4, opt, eng, s);
        }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "peer_onednn: %s\n", e.what());
  return 2;
}
