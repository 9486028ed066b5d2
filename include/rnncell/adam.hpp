#pragma once
/// @file
/// Adam (Kingma & Ba 2015) with Keras' defaults. Two placements of epsilon exist in the wild:
/// @code{.unparsed}
///   keras   (TF2 / Keras 3, the default here, as the seed lab trained):
///           p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
///   pytorch (torch.optim.Adam): p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
/// @endcode
/// They differ only through eps (Keras' eps acts as eps * sqrt(1 - b2^t) in PyTorch's form).
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rnncell {

/// Where Adam adds epsilon; the two updates are written out in adam.hpp.
enum class adam_style {
  keras,   ///< eps added to sqrt(v) of the uncorrected moments: TF2 / Keras 3, the default
  pytorch  ///< eps added to sqrt of the bias-corrected v: torch.optim.Adam
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
  adam_style style = adam_style::keras;  ///< where epsilon goes: Keras' or PyTorch's placement

  /// How many step()s have been taken.
  /// @return t, the exponent in the bias corrections 1 - beta^t of the last step.
  std::size_t iterations() const { return t_; }

  /// One update of every parameter of obj (anything with for_each_parameter_and_grad) from
  /// its accumulated gradients. The moment buffers are allocated on the first call only.
  /// @tparam Obj a cell, Stacked, Dense or Model: anything with `for_each_parameter_and_grad(f)`.
  /// @param obj whose parameters are updated in place; its gradients are read, not cleared.
  /// @throws std::logic_error if obj's parameters are not those of the previous steps.
  template <class Obj>
  void step(Obj& obj) {
    ++t_;
    const double c1 = 1 - std::pow(beta1, double(t_)), c2 = 1 - std::pow(beta2, double(t_));
    const T b1 = T(beta1), b2 = T(beta2);
    // Both styles as p -= step_size * m / (sqrt(v) + eps); PyTorch's eps scaled into that form.
    const T step_size = T(lr * std::sqrt(c2) / c1);
    const T eps = T(style == adam_style::keras ? epsilon : epsilon * std::sqrt(c2));
    std::size_t index = 0;
    obj.for_each_parameter_and_grad([&](std::string_view name, auto& p, auto& g) {
      auto& [m, v] = moments(index++, name, p.size());
      T* pd = p.data();
      const T* gd = g.data();
      for (std::size_t i = 0, n = p.size(); i < n; ++i) {
        m[i] = b1 * m[i] + (1 - b1) * gd[i];
        v[i] = b2 * v[i] + (1 - b2) * gd[i] * gd[i];
        pd[i] -= step_size * m[i] / (std::sqrt(v[i]) + eps);
      }
    });
  }

 private:
  struct moment_pair {
    std::vector<T> m, v;
  };

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
