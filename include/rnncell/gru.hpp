#pragma once
/// @file
/// GRUCell: gated recurrent unit (Cho et al. 2014), in two variants chosen at compile time.
/// Notation: x = x_t (In), h = h_{t-1} (H), h' = h_t; s = sigmoid; a_k is gate k's
/// pre-activation; * is elementwise; Wx, Wh, b, bh are split into gate blocks [z | r | n] (Keras'
/// row-vector layout: Wx (In x 3H), Wh (H x 3H), b (3H) [, bh (3H)]).
///
/// @code{.unparsed}
/// Forward, reset_before (the default; the seed lab's equations):
///   z  = s(a_z),     a_z = x Wxz + h Whz + bz               update gate
///   r  = s(a_r),     a_r = x Wxr + h Whr + br               reset gate
///   n  = tanh(a_n),  a_n = x Wxn + (r * h) Whn + bn         candidate, r before the product
///   h' = (1 - z) * h + z * n
/// With recurrent dropout (base.hpp) every "h" inside a product above, r * h included, is
/// h_r = h * m_h; the blend keeps h; dL/dh gets m_h times what reached h_r.
/// Forward, reset_after (cuDNN, PyTorch nn.GRU, Keras' default), with a recurrent bias bh:
///   a_z = x Wxz + bz + h Whz + bhz,  a_r likewise
///   q_n = h Whn + bhn,               a_n = x Wxn + bn + r * q_n
///
/// Backward, from g = dL/dh' (d_k = dL/da_k; "+=" because h reaches several terms):
///   d_n = g * z * (1 - n^2)
///   d_z = g * (n - h) * z * (1 - z)
///   dL/dh  = g * (1 - z)
///   reset_before:  e = d_n Whn^T  (= dL/d(r*h)),  d_r = e * h * r * (1 - r),  dL/dh += e * r
///                  dL/dh += [d_z | d_r] [Whz | Whr]^T
///   reset_after:   d_r = d_n * q_n * r * (1 - r),  dq_n = d_n * r
///                  dL/dh += [d_z | d_r | dq_n] Wh^T
/// Weight gradients over all T*B rows at once (Hp = h_0 .. h_{T-1} stacked, D = [d_z | d_r | d_n]):
///   dWx += X^T D,  db += sum_rows D,  dX = D Wx^T                          (BaseRNNCell)
///   reset_before:  d[Whz | Whr] += Hp^T [d_z | d_r],  dWhn += (R * Hp)^T d_n
///   reset_after:   dWh += Hp^T [d_z | d_r | dq_n],  dbh += sum_rows [d_z | d_r | dq_n]
/// @endcode
///
/// Update convention: z = 1 takes the candidate, z = 0 keeps h. PyTorch and Keras write
/// h' = z * h + (1 - z) * n; their z is our 1 - z, and since s(-a) = 1 - s(a) an importer negates
/// the z block of their weights and biases (import.hpp).
#include <rnncell/base.hpp>
#include <rnncell/cell_contract.hpp>
#include <rnncell/cell_parameters.hpp>
#include <rnncell/detail/activations.hpp>
#include <rnncell/detail/dropout.hpp>
#include <rnncell/detail/gated_update.hpp>
#include <rnncell/detail/gemm.hpp>
#include <rnncell/kernels/small_gemm.hpp>
#include <rnncell/kernels/recurrent_steps.hpp>
#include <rnncell/kernels/weight_gradient.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace rnncell {

/// GRU variant tags: the reset gate applied before or after the recurrent matrix product.
/// This one: a_n = x Wxn + (r * h) Whn + bn, the seed lab's equations (GRUCell's default).
struct reset_before {};
/// GRU variant tag: a_n = x Wxn + bn + r * (h Whn + bhn), with a recurrent bias bh (cuDNN,
/// PyTorch nn.GRU, Keras' default); the variant import.hpp maps PyTorch's weights onto.
struct reset_after {};

namespace detail {
template <class T, class Variant>
using gru_parameters =
    std::conditional_t<std::is_same_v<Variant, reset_after>, cell_parameters_with_recurrent_bias<T>,
                       cell_parameters<T>>;
}

/// Gated recurrent unit, gate blocks [z | r | n], h' = (1 - z) * h + z * n: the equations, the
/// layout and the conventions are written out in gru.hpp. The sequence calls (forward, backward,
/// backward_last, step), the parameters and their traversal come from BaseRNNCell; this class
/// supplies the step math of the cell contract (cell_contract.hpp).
/// @tparam In the input width.
/// @tparam Hidden the hidden width H.
/// @tparam T the element type, float or double.
/// @tparam Variant reset_before (the default) or reset_after, which adds the recurrent bias bh.
template <std::size_t In, std::size_t Hidden, class T = float, class Variant = reset_before>
class GRUCell : public BaseRNNCell<GRUCell<In, Hidden, T, Variant>, T, In, Hidden, 3,
                                   detail::gru_parameters<T, Variant>> {
  static_assert(std::is_same_v<Variant, reset_before> || std::is_same_v<Variant, reset_after>,
                "rnncell: GRUCell's Variant is rnncell::reset_before or rnncell::reset_after");
  static_assert(std::is_floating_point_v<T>, "rnncell: GRUCell's T is float or double");
  static constexpr std::size_t H = Hidden;
  static constexpr bool after = std::is_same_v<Variant, reset_after>;
  // Gate blocks of every (rows x 3H) matrix: columns [z | r | n]; z and r side by side as "zr".
  template <class M>
  static M z_r(M m) { return m.block(0, 2 * H); }
  template <class M>
  static M n_block(M m) { return m.block(2 * H, H); }
  // The per-step products' weights as pack_forward_weights / pack_backward_weights lay them out
  // in the workspace (both variants): forward [Whz | Whr], then Whn; backward, from
  // backward_offset on, Whn^T, then [Whz | Whr]^T.
  using packed_zr = kernels::packed_block<T, H, 2 * H>;
  using packed_n = kernels::packed_block<T, H, H>;
  using packed_zr_t = kernels::packed_block<T, 2 * H, H>;
  static constexpr std::size_t backward_offset = packed_zr::size + packed_n::size;

 public:
  /// Values pack_forward_weights and pack_backward_weights write into the workspace.
  static constexpr std::size_t packed_size = backward_offset + packed_n::size + packed_zr_t::size;

  /// Packs step_forward's recurrent weights (BaseRNNCell, at the start of every forward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_forward_weights(T* out) const {
    const T* const wh = this->params.Wh.data();
    kernels::pack<H, 2 * H>(wh, 3 * H, out);
    kernels::pack<H, H>(wh + 2 * H, 3 * H, out + packed_zr::size);
  }

  /// Packs step_backward's transposed recurrent weights (BaseRNNCell, at the start of every
  /// backward).
  /// @param out packed_size values, 64-byte aligned.
  void pack_backward_weights(T* out) const {
    const T* const wh = this->params.Wh.data();
    out += backward_offset;
    kernels::pack_transposed<H, H>(wh + 2 * H, 3 * H, out);
    kernels::pack_transposed<2 * H, H>(wh, 3 * H, out + packed_n::size);
  }

  using variant = Variant;  ///< reset_before or reset_after
  /// The same kind of cell with another input width (the upper layers of a Stacked).
  /// @tparam NewIn the other input width.
  template <std::size_t NewIn>
  using with_input = GRUCell<NewIn, Hidden, T, Variant>;

  /// Kept per step besides the gates: r * h (reset_before) or q_n = h Whn + bhn (reset_after).
  static constexpr std::size_t saved_blocks = 1;
  /// reset_after: the recurrent side of n's gradient is dq_n = d_n * r, not d_n (z's and r's are
  /// the input side's).
  static constexpr std::size_t recurrent_grad_blocks = after ? 1 : 0;
  /// The products read s.h_recurrent and dh_prev takes the recurrent mask (cell_contract.hpp).
  static constexpr bool supports_recurrent_dropout = true;

  /// One step forward on B rows (cell contract): gates from x_t Wx to z, r, n; h_t written;
  /// r * h (reset_before) or q_n (reset_after) saved for backward.
  /// @param s the step's views, filled by the workspace.
  void step_forward(const step_buffers<T>& s) const {
    const T* const packed = s.packed_weights;
    const T* b = this->params.b.data();
    // [a_z | a_r] += h_r [Whz | Whr], straight into the gate buffer (no scratch, no C = 0 pass;
    // the product brings the step's gate rows into cache for the loops below). h_r is h, or h
    // times the recurrent dropout mask.
    kernels::gemm_packed_add(z_r(s.gates), s.h_recurrent, packed_zr{packed});
    if constexpr (after) {
      // h_r Whn into the saved block, which becomes q_n.
      kernels::gemm_packed_set(s.saved, s.h_recurrent, packed_n{packed + packed_zr::size});
      const T* bh = this->params.bh.data();
      for (std::size_t i = 0; i < s.gates.rows; ++i) {
        T* const z = s.gates.row(i);  // z, r, n side by side, each in place of its a
        T* const r = z + H;
        T* const n = z + 2 * H;
        T* const q_n = s.saved.row(i);
        // a_z, a_r = x Wx + h Wh + b + bh
        for (std::size_t j = 0; j < 2 * H; ++j) z[j] = z[j] + b[j] + bh[j];
        detail::sigmoid_inplace(z, 2 * H);  // z, r
        // q_n = h Whn + bhn;  a_n = x Wxn + bn + r * q_n
        for (std::size_t j = 0; j < H; ++j) {
          q_n[j] += bh[2 * H + j];
          n[j] = n[j] + b[2 * H + j] + r[j] * q_n[j];
        }
        detail::tanh_inplace(n, H);
        detail::blend_states(s.h_prev.row(i), z, n, s.h.row(i), H);
      }
    } else {
      for (std::size_t i = 0; i < s.gates.rows; ++i) {
        T* const z = s.gates.row(i);
        T* const r = z + H;
        const T* const h = s.h_recurrent.row(i);
        T* const r_h = s.saved.row(i);
        for (std::size_t j = 0; j < 2 * H; ++j) z[j] += b[j];  // + [bz | br]
        detail::sigmoid_inplace(z, 2 * H);                     // z, r
        for (std::size_t j = 0; j < H; ++j) r_h[j] = r[j] * h[j];
      }
      // a_n += (r * h) Whn: the candidate's product waits for r.
      kernels::gemm_packed_add(n_block(s.gates), s.saved, packed_n{packed + packed_zr::size});
      for (std::size_t i = 0; i < s.gates.rows; ++i) {
        T* const z = s.gates.row(i);
        T* const n = z + 2 * H;
        for (std::size_t j = 0; j < H; ++j) n[j] += b[2 * H + j];  // + bn
        detail::tanh_inplace(n, H);
        detail::blend_states(s.h_prev.row(i), z, n, s.h.row(i), H);
      }
    }
  }

  /// One step backward on B rows (cell contract): d_input = [d_z | d_r | d_n], d_recurrent = dq_n
  /// for reset_after, and dh_prev = dL/dh_{t-1}.
  /// @param s the step's views, filled by the workspace.
  void step_backward(const step_gradients<T>& s) const {
    const T* const packed = s.packed_weights + backward_offset;
    // d_z, d_n and the direct dL/dh for every row; reset_after's d_r and dq_n with them, while
    // the row's gates are in cache.
    for (std::size_t i = 0; i < s.gates.rows; ++i) {
      const T* const z = s.gates.row(i);
      T* const d_z = s.d_input.row(i);
      detail::blend_states_backward<detail::u_gradient::complete>(s.dh.row(i), s.h_prev.row(i), z, z + 2 * H, d_z,
                                                                  d_z + 2 * H, s.dh_prev.row(i), H);
      if constexpr (after) {
        const T* const r = z + H;
        const T* const q_n = s.saved.row(i);
        T* const d_r = d_z + H;
        const T* const d_n = d_z + 2 * H;
        T* const dq_n = s.d_recurrent.row(i);
        // r enters through r * q_n; the recurrent side differs only in n.
        for (std::size_t j = 0; j < H; ++j) {
          d_r[j] = d_n[j] * q_n[j] * r[j] * (1 - r[j]);
          dq_n[j] = d_n[j] * r[j];
        }
      }
    }
    // dL/dh_r, the recurrent products' side: into dh_prev, or apart when a recurrent dropout mask
    // must multiply it first.
    const matrix_ref<T> dh_r = detail::recurrent_gradient_sink(s.dh_prev, s.recurrent_mask, s.scratch.block(H, H));
    if constexpr (after) {
      // dL/dh_r = dq_n Whn^T + [d_z | d_r] [Whz | Whr]^T
      kernels::gemm_packed_add(dh_r, s.d_recurrent, packed_n{packed});
      kernels::gemm_packed_add(dh_r, z_r(s.d_input), packed_zr_t{packed + packed_n::size});
    } else {
      // e = dL/d(r*h_r) = d_n Whn^T, then through r and h_r.
      const matrix_ref<T> e = s.scratch.block(0, H);
      kernels::gemm_packed_set(e, n_block(s.d_input), packed_n{packed});
      for (std::size_t i = 0; i < s.gates.rows; ++i) {
        const T* const r = s.gates.row(i) + H;
        const T* const h = s.h_recurrent.row(i);
        const T* const e_i = e.row(i);
        T* const d_r = s.d_input.row(i) + H;
        T* const dh = dh_r.row(i);
        for (std::size_t j = 0; j < H; ++j) {
          d_r[j] = e_i[j] * h[j] * r[j] * (1 - r[j]);
          dh[j] += e_i[j] * r[j];
        }
      }
      // dL/dh_r += [d_z | d_r] [Whz | Whr]^T
      kernels::gemm_packed_add(dh_r, z_r(s.d_input), packed_zr_t{packed + packed_n::size});
    }
    detail::finish_recurrent_gradient(s.dh_prev, s.recurrent_mask, dh_r);  // dL/dh += m_h * dL/dh_r
  }

  /// Scratch values per row that realtime_step needs (BaseRNNCell::step gives them).
  static constexpr std::size_t realtime_scratch =
      after ? kernels::gru_reset_after_step<T, In, H>::scratch_per_row
            : kernels::gated_candidate_step<T, In, H, 2>::scratch_per_row;

  /// One real-time step (BaseRNNCell::step) on kernel path I: the forward equations above on B
  /// rows, on this cell's weights as they are now (kernels/recurrent_steps.hpp).
  /// @tparam I the kernel path, the one dispatch() compiles the call for.
  /// @param x the step's input x_t, (B, In).
  /// @param h h_{t-1} on entry, h_t on return, (B, H).
  /// @param scratch B * realtime_scratch values, overwritten.
  template <kernels::isa I>
  void realtime_step(matrix_ref<const T> x, matrix_ref<T> h, T* scratch) const {
    const auto& p = this->params;
    if constexpr (after)
      kernels::gru_reset_after_step<T, In, H>::template run<I>(x.data, x.stride, h.data, h.stride, x.rows,
                                                               p.Wx.data(), p.Wh.data(), p.b.data(), p.bh.data(),
                                                               scratch);
    else
      kernels::gated_candidate_step<T, In, H, 2>::template run<I>(x.data, x.stride, h.data, h.stride, x.rows,
                                                                  p.Wx.data(), p.Wh.data(), p.b.data(), scratch);
  }

  /// Adds the recurrent weight gradients of every step (cell contract): dWh, and dbh for
  /// reset_after, one product per gate block over all T*B rows.
  /// @param all every step's views at once.
  void accumulate_recurrent_grads(const sequence_gradients<T>& all) {
    const matrix_ref<T> dWh = detail::as_matrix(this->grads.Wh);
    if constexpr (after) {
      // [dWhz | dWhr] += h^T [d_z | d_r],  dWhn += h^T dq_n;  dbh likewise.
      T* const dbh = this->grads.bh.data();
      kernels::add_weight_gradient<H, 2 * H>(z_r(dWh), all.h_recurrent, z_r(all.d_input));
      kernels::add_weight_gradient<H, H>(n_block(dWh), all.h_recurrent, all.d_recurrent);
      detail::add_column_sums<2 * H>(z_r(all.d_input), dbh);
      detail::add_column_sums<H>(all.d_recurrent, dbh + 2 * H);
    } else {
      kernels::add_weight_gradient<H, 2 * H>(z_r(dWh), all.h_recurrent, z_r(all.d_input));
      kernels::add_weight_gradient<H, H>(n_block(dWh), all.saved, n_block(all.d_input));  // (R * Hr)^T d_n
    }
  }
};

}  // namespace rnncell
