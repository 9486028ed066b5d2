#include "char_lm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace char_lm {

std::vector<int> read_text(const std::filesystem::path& path, std::size_t min_length) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("--text " + path.string() + ": cannot open it");
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<int> ids;
  ids.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\n' || c == '\t' || (c >= ' ' && c <= '~')) {
      ids.push_back(c == '\n' ? 0 : c == '\t' ? 1 : int(c) - ' ' + 1);
    } else if (c != '\r') {  // Windows line ends read as '\n'
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", unsigned(c));
      throw std::runtime_error("--text " + path.string() + ": byte " + hex + " at offset " + std::to_string(i) +
                               " is not printable ASCII (char_lm reads ASCII text: letters, digits, "
                               "punctuation, spaces, tabs, newlines)");
    }
  }
  if (ids.size() < min_length)
    throw std::runtime_error("--text " + path.string() + ": " + std::to_string(ids.size()) +
                             " characters, need at least " + std::to_string(min_length) +
                             " for the windows of --seq (training and validation)");
  return ids;
}

char character_of(int id) { return id == 0 ? '\n' : char(' ' + id - 1); }

void random_windows(const std::vector<int>& text, std::size_t first, std::size_t last, rnncell::rng& g,
                    xt::xtensor<int, 2>& ids, xt::xtensor<int, 2>& targets) {
  const std::size_t steps = ids.shape(0), batch = ids.shape(1);
  for (std::size_t b = 0; b < batch; ++b) {
    const std::size_t start = first + std::size_t(g.below(last - first - steps));
    for (std::size_t t = 0; t < steps; ++t) {
      ids(t, b) = text[start + t];
      targets(t, b) = text[start + t + 1];
    }
  }
}

std::string sample(model& m, std::vector<int> prompt, std::size_t count, std::size_t context, double temperature,
                   rnncell::rng& g) {
  std::string out;
  std::vector<double> p(vocab);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t steps = std::min(prompt.size(), context);
    xt::xtensor<int, 2> window(std::array{steps, std::size_t(1)});
    std::copy(prompt.end() - std::ptrdiff_t(steps), prompt.end(), window.begin());
    const auto& logits = m.predict(window);
    // softmax(z / temperature), shifted by the largest logit so that exp cannot overflow
    double top = -INFINITY, sum = 0;
    for (std::size_t c = 0; c < vocab; ++c) top = std::max(top, double(logits(steps - 1, 0, c)));
    for (std::size_t c = 0; c < vocab; ++c) sum += p[c] = std::exp((double(logits(steps - 1, 0, c)) - top) / temperature);
    double u = g.uniform01() * sum;
    int next = int(vocab) - 1;
    for (std::size_t c = 0; c < vocab; ++c)
      if ((u -= p[c]) < 0) {
        next = int(c);
        break;
      }
    prompt.push_back(next);
    out += character_of(next);
  }
  return out;
}

}  // namespace char_lm
