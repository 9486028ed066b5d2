#pragma once
#include <cmath>

namespace rnncell::detail {

template <class T>
inline T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

template <class T>
inline T tanh(T x) {
  return std::tanh(x);
}

}  // namespace rnncell::detail
