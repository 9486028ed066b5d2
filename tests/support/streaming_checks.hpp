#pragma once
// What the streaming tests (test_streaming.cpp: the packed stream; test_realtime_step.cpp: a
// cell's own step) share: every kernel path in turn, random nets and inputs, and how close a
// streamed row is to the sequence forward's.
#include "gradcheck.hpp"
#include "kernel_paths.hpp"

#include <rnncell/kernels/isa.hpp>
#include <rnncell/random.hpp>

#include <doctest/doctest.h>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <cmath>
#include <span>
#include <string_view>

namespace rnncell::test {

/// A (steps, batch, width) sequence of U(-1, 1) values.
template <class T>
xt::xtensor<T, 3> random_sequence(std::size_t steps, std::size_t batch, std::size_t width, rng& g) {
  xt::xtensor<T, 3> x({steps, batch, width});
  for (auto& v : x) v = T(g.uniform(-1, 1));
  return x;
}

/// A cell or Stacked with every parameter, biases included, random (initialize() zeroes biases).
template <class Net>
Net random_net(rng& g) {
  Net net;
  net.for_each_parameter([&](std::string_view, auto& t) { fill_uniform(t, g, 0.5); });
  return net;
}

}  // namespace rnncell::test
