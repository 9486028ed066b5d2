#pragma once
/// @file
/// Adam (Kingma & Ba 2015) with Keras' defaults. Two placements of epsilon exist in the wild:
/// @code{.unparsed}
///   keras   (TF2 / Keras 3, the default here, as the seed lab trained):
///           p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
///   pytorch (torch.optim.Adam): p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
/// @endcode
/// They differ only through eps (Keras' eps acts as eps * sqrt(1 - b2^t) in PyTorch's form).
///
/// Gradient clipping, off by default, at most one kind at a time (as Keras 3), applied to the
/// gradients before the moments; the gradients themselves are read, never modified (Keras clips
/// a copy; here each clipped value is formed in the update loop, so nothing is allocated):
/// @code{.unparsed}
///   global_clipnorm = c: g *= s for every gradient of every parameter, norm = sqrt(sum of all g^2)
///     keras   s = min(c / norm, 1)                (Keras' global_clipnorm, clip_by_global_norm)
///     pytorch s = min(c / (norm + 1e-6), 1)       (torch.nn.utils.clip_grad_norm_)
///   clipvalue = v:       g = clamp(g, -v, v)      (Keras' clipvalue, torch.nn.utils.clip_grad_value_)
/// @endcode
/// The style picks whose global-norm formula, as it picks whose epsilon: the two differ by a
/// relative 1e-6 / norm, enough to tell a port from PyTorch apart at 1e-12.
#include <rnncell/kernels/adam_update.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell {

/// Whose Adam is reproduced: where epsilon goes and how global_clipnorm scales (adam.hpp).
enum class adam_style {
  keras,   ///< eps added to sqrt(v) of the uncorrected moments; scale c / norm: TF2 / Keras 3, the default
  pytorch  ///< eps added to sqrt of the bias-corrected v; scale c / (norm + 1e-6): torch.optim.Adam
};

/// The Adam optimizer: first and second moment estimates per parameter entry, bias-corrected.
/// The hyperparameters are plain fields, read at every step(); the moments persist between steps.
/// @tparam T the parameters' element type (float or double), that of the object stepped.
template <class T = float>
class Adam {
 public:
  double lr = 1e-3;                      ///< learning rate
  double beta1 = 0.9;                    ///< decay of the first moment (mean of the gradients)
  double beta2 = 0.999;                  ///< decay of the second moment (mean of their squares)
  double epsilon = 1e-7;                 ///< added to sqrt(v), where #style says
  adam_style style = adam_style::keras;  ///< whose epsilon placement and global-norm formula
  /// If set, every gradient is scaled so that the L2 norm over all of them is at most this (> 0).
  std::optional<double> global_clipnorm;
  /// If set, every gradient entry is clamped to [-clipvalue, clipvalue] (> 0).
  std::optional<double> clipvalue;

  /// How many step()s have been taken.
  /// @return t, the exponent in the bias corrections 1 - beta^t of the last step.
  std::size_t iterations() const { return t_; }

  /// One update of every parameter of obj (anything with for_each_parameter_and_grad) from
  /// its accumulated gradients, clipped if global_clipnorm or clipvalue is set. The moment
  /// buffers are allocated on the first call only.
  /// @tparam Obj a cell, Stacked, Dense or Model: anything with `for_each_parameter_and_grad(f)`.
  /// @param obj whose parameters are updated in place; its gradients are read, not cleared.
  /// @throws std::invalid_argument if both clippings are set, or one is not a finite number > 0
  ///         (nothing is changed then).
  /// @throws std::logic_error if obj's parameters are not those of the previous steps.
  template <class Obj>
  void step(Obj& obj) {
    check_clipping();
    // Either clipping as the update kernel's gradient scale and bound (1 and infinity: none).
    const T scale = global_clipnorm ? T(global_norm_scale(obj)) : T(1);
    const T limit = clipvalue ? T(*clipvalue) : std::numeric_limits<T>::infinity();
    update(obj, scale, limit);
  }

 private:
  struct moment_pair {
    std::vector<T> m, v;
  };

  void check_clipping() const {
    if (global_clipnorm && clipvalue)
      throw std::invalid_argument("rnncell: Adam: set global_clipnorm or clipvalue, not both (as Keras)");
    check_positive("global_clipnorm", global_clipnorm);
    check_positive("clipvalue", clipvalue);
  }

  static void check_positive(const char* name, const std::optional<double>& value) {
    if (!value || (std::isfinite(*value) && *value > 0)) return;
    char shown[32];
    std::snprintf(shown, sizeof shown, "%g", *value);
    throw std::invalid_argument(std::string("rnncell: Adam: ") + name + " is " + shown +
                                ", expected a finite number > 0 (or unset: no clipping)");
  }

  // min(c / norm, 1), with Keras' or PyTorch's denominator. The norm is summed in double: for
  // float gradients too, it is one pass and its rounding must not decide whether a step clips.
  template <class Obj>
  double global_norm_scale(Obj& obj) const {
    double squares = 0;
    obj.for_each_parameter_and_grad([&](std::string_view, auto&, auto& g) {
      const T* gd = g.data();
      for (std::size_t i = 0, n = g.size(); i < n; ++i) squares += double(gd[i]) * double(gd[i]);
    });
    const double norm = std::sqrt(squares);
    const double coefficient = *global_clipnorm / (style == adam_style::pytorch ? norm + 1e-6 : norm);
    return std::min(coefficient, 1.0);  // a NaN norm gives NaN, so a diverged step stays visible
  }

  // The Adam update with g replaced by clamp(g * grad_scale, -grad_limit, grad_limit), every
  // parameter through kernels::adam_update on the active path (vectorised, see there).
  template <class Obj>
  void update(Obj& obj, T grad_scale, T grad_limit) {
    ++t_;
    const double c1 = 1 - std::pow(beta1, double(t_)), c2 = 1 - std::pow(beta2, double(t_));
    // Both styles as p -= step_size * m / (sqrt(v) + eps); PyTorch's eps scaled into that form.
    const kernels::adam_constants<T> constants{
        .beta1 = T(beta1),
        .beta2 = T(beta2),
        .step_size = T(lr * std::sqrt(c2) / c1),
        .epsilon = T(style == adam_style::keras ? epsilon : epsilon * std::sqrt(c2)),
        .grad_scale = grad_scale,
        .grad_limit = grad_limit};
    const kernels::isa path = kernels::active_isa();
    std::size_t index = 0;
    obj.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& g) {
      auto& [m, v] = moments(index++, name, p.size());
      kernels::adam_update(path, p.data(), m.data(), v.data(), g.data(), p.size(), constants);
    });
  }

  moment_pair& moments(std::size_t index, std::string_view name, std::size_t size) {
    if (index == state_.size()) state_.push_back({std::vector<T>(size), std::vector<T>(size)});
    if (state_[index].m.size() != size)
      throw std::logic_error("rnncell: Adam was stepped on a different set of parameters (at '" +
                             std::string(name) + "')");
    return state_[index];
  }

  std::size_t t_ = 0;
  std::vector<moment_pair> state_;
};

}  // namespace rnncell
