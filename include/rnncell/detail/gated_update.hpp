#pragma once
// The convex state update that GRU (u = z) and MGU (u = f) share, over one row of width H:
//   forward:   h' = (1 - u) * h + u * n                computed as h + u * (n - h)
//   backward, from g = dL/dh' (the parts that do not depend on how u and n were made):
//              dL/du     = g * (n - h)                 (u_gradient::through_update_only), or
//              dL/da_u   = g * (n - h) * u * (1 - u)   (u_gradient::complete, u = s(a_u) and u
//                                                       reaches nothing else, as GRU's z)
//              dL/da_n   = g * u * (1 - n^2)           (n = tanh(a_n))
//              dL/dh     = g * (1 - u)                 (the direct path; the caller adds the rest)
#include <cstddef>

namespace rnncell::detail {

template <class T>
void blend_states(const T* h, const T* u, const T* n, T* h_next, std::size_t width) {
  for (std::size_t j = 0; j < width; ++j) h_next[j] = h[j] + u[j] * (n[j] - h[j]);
}

enum class u_gradient { complete, through_update_only };

template <u_gradient UGradient, class T>
void blend_states_backward(const T* g, const T* h, const T* u, const T* n, T* d_u, T* d_a_n, T* dh,
                           std::size_t width) {
  for (std::size_t j = 0; j < width; ++j) {
    if constexpr (UGradient == u_gradient::complete)
      d_u[j] = g[j] * (n[j] - h[j]) * u[j] * (1 - u[j]);
    else
      d_u[j] = g[j] * (n[j] - h[j]);
    d_a_n[j] = g[j] * u[j] * (1 - n[j] * n[j]);
    dh[j] = g[j] * (1 - u[j]);
  }
}

}  // namespace rnncell::detail
