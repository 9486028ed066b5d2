#pragma once
/// @file
/// A seeded generator that gives the same numbers on every platform and compiler.
/// std::mt19937 is portable but std::uniform_real_distribution and std::shuffle are not
/// (their algorithms are implementation-defined), so the conversions are written here.
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace rnncell {

/// xoshiro256** (Blackman & Vigna 2018), state seeded from one 64-bit seed by splitmix64.
class rng {
 public:
  /// The generator for seed: the four state words are splitmix64's first four outputs from it.
  /// @param seed any value, 0 included; equal seeds give equal sequences everywhere.
  explicit rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  /// The next 64 random bits.
  /// @return a uniform 64-bit word.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Moves this generator 2^128 calls of next_u64() ahead: the published xoshiro256** jump
  /// (Blackman & Vigna, xoshiro256starstar.c). It is for independent streams from one seed:
  /// rng(seed) and a copy of it jumped once give sequences that do not overlap for 2^128 draws,
  /// so two uses of one seed (a model's initialisation and its training order) no longer
  /// draw the same numbers.
  void jump() {
    // The jump polynomial: the state after 2^128 steps is the XOR of the states after the
    // steps whose bits are set in it (the transition is linear over GF(2)).
    static constexpr std::uint64_t polynomial[4] = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
                                                    0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL};
    std::uint64_t jumped[4] = {0, 0, 0, 0};
    for (const std::uint64_t word : polynomial)
      for (int bit = 0; bit < 64; ++bit) {
        if ((word >> bit) & 1)
          for (int i = 0; i < 4; ++i) jumped[i] ^= state_[i];
        next_u64();
      }
    for (int i = 0; i < 4; ++i) state_[i] = jumped[i];
  }

  /// Uniform double in [0, 1) from the top 53 bits.
  /// @return a multiple of 2^-53 in [0, 1).
  double uniform01() { return double(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform double in [lo, hi).
  /// @param lo the lower bound, included.
  /// @param hi the upper bound, excluded.
  /// @return lo + (hi - lo) * uniform01().
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

  /// Unbiased integer in [0, n), n > 0 (rejection of the short last interval).
  /// @param n how many values to choose among; must be positive.
  /// @return an integer in [0, n), each with probability 1 / n.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t x = next_u64();
      if (x >= threshold) return x % n;
    }
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
};

/// Fisher-Yates shuffle with rng::below: the same permutation everywhere for the same seed.
/// @tparam I the element type.
/// @param g the generator; items.size() - 1 draws are taken from it.
/// @param items shuffled in place.
template <class I>
void shuffle(rng& g, std::span<I> items) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[g.below(i)]);
}

}  // namespace rnncell
