#pragma once
// char_lm's pieces, apart from its command line: the text as token ids, the model, training
// windows and sampling. The model is rnncell's SequenceModel built from its public API alone.
#include <rnncell/activation.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/embedding.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/random.hpp>
#include <rnncell/sequence_model.hpp>
#include <rnncell/sequential.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace char_lm {

// Token ids: 0 is '\n', 1 .. 95 are the printable ASCII characters ' ' .. '~'; a tab reads as a space.
inline constexpr std::size_t vocab = 96;
inline constexpr std::size_t embedding_width = 32, hidden = 128, down = 64;

using model = rnncell::SequenceModel<
    rnncell::Embedding<vocab, embedding_width>, rnncell::GRUCell<embedding_width, hidden, float, rnncell::reset_after>,
    rnncell::Sequential<rnncell::Dense<hidden, down>, rnncell::Activation<rnncell::activation_function::tanh, down>,
                        rnncell::Dense<down, vocab>>>;

/// The file's characters as token ids. Throws std::runtime_error naming the file, and for a byte
/// that is not printable ASCII its offset and value, or if the file is shorter than min_length.
std::vector<int> read_text(const std::filesystem::path& path, std::size_t min_length);

/// The character of token id (0 .. vocab - 1).
char character_of(int id);

/// Fills ids and targets (T, B) with B windows of text starting at random offsets in
/// [first, last - T - 1]: targets(t, b) is the character after ids(t, b).
void random_windows(const std::vector<int>& text, std::size_t first, std::size_t last, rnncell::rng& g,
                    xt::xtensor<int, 2>& ids, xt::xtensor<int, 2>& targets);

/// count characters drawn one at a time after prompt (token ids), each from the softmax of the
/// last step's logits divided by temperature, the model reading the last `context` characters.
std::string sample(model& m, std::vector<int> prompt, std::size_t count, std::size_t context, double temperature,
                   rnncell::rng& g);

}  // namespace char_lm
