#pragma once
// Sets dropout and recurrent_dropout on every cell of a net (a cell, a Bidirectional, a Stacked
// of either, a Model's rnn), as a Keras user sets them on each recurrent layer.
#include <string_view>

namespace rnncell::test {

template <class Net>
void set_cell_dropout(Net& net, double dropout, double recurrent_dropout) {
  if constexpr (requires { net.recurrent_dropout; }) {
    net.dropout = dropout;
    net.recurrent_dropout = recurrent_dropout;
  } else {
    net.for_each_part([&](auto, auto& part) { set_cell_dropout(part, dropout, recurrent_dropout); });
  }
}

}  // namespace rnncell::test
