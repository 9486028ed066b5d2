#pragma once
// The interface between peer_rtneural.cpp and RTNeural, which is compiled once per backend
// (rtneural_backend.cpp with RTNEURAL_USE_EIGEN / RTNEURAL_USE_XSIMD / RTNEURAL_USE_STL, each in
// its own RTNEURAL_NAMESPACE and namespace below, so that the three coexist in one program).
#include <memory>
#include <vector>

namespace rnncell_bench {

/// One recurrent layer's weights in Keras' layout, which RTNeural's setters take as they are:
/// kernel (In x GH), recurrent (H x GH), bias (rows of GH).
/// GRU (G = 3): gate blocks [z | r | n], reset-after, h' = z * h + (1 - z) * n; bias 2 rows (input,
/// recurrent).
/// LSTM (G = 4): gate blocks [i | f | c | o], c' = f * c + i * tanh(a_c), h' = o * tanh(c'); bias
/// 1 row.
struct keras_weights {
  int in = 0, hidden = 0;
  std::vector<std::vector<float>> kernel, recurrent, bias;
};

/// A streaming recurrent layer: step() takes In values and returns H. Ours and RTNeural's sit
/// behind the same virtual call, so the call costs the same on both sides.
class streaming_layer {
 public:
  virtual ~streaming_layer() = default;
  virtual void reset() = 0;
  virtual const float* step(const float* x) = 0;
};

// RTNeural's ModelT<float, In, H, GRULayerT<float, In, H>> (make_rtneural_gru) or LSTMLayerT
// (make_rtneural_lstm) for one of the sizes of rtneural_sizes.hpp (null for another size), per
// backend.
namespace eigen {
std::unique_ptr<streaming_layer> make_rtneural_gru(const keras_weights& w);
std::unique_ptr<streaming_layer> make_rtneural_lstm(const keras_weights& w);
}
namespace stl {
std::unique_ptr<streaming_layer> make_rtneural_gru(const keras_weights& w);
std::unique_ptr<streaming_layer> make_rtneural_lstm(const keras_weights& w);
}
namespace xsimd_backend {  // built when RTNeural's xsimd backend compiles against the xsimd found
std::unique_ptr<streaming_layer> make_rtneural_gru(const keras_weights& w);
std::unique_ptr<streaming_layer> make_rtneural_lstm(const keras_weights& w);
}

}  // namespace rnncell_bench
