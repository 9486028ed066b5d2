// The portable generator pinned with numbers: its outputs and shuffle from a seed, and jump().
#include <rnncell/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <vector>

using namespace rnncell;

namespace {

std::vector<std::uint64_t> first_outputs(rng g, std::size_t n) {
  std::vector<std::uint64_t> out(n);
  for (auto& x : out) x = g.next_u64();
  return out;
}

rng jumped(std::uint64_t seed) {
  rng g(seed);
  g.jump();
  return g;
}

}  // namespace

TEST_CASE("the seeded generator gives the same numbers everywhere (pinned values)") {
  rng g(0);
  CHECK(g.next_u64() == 0x99ec5f36cb75f2b4ULL);
  CHECK(g.next_u64() == 0xbf6e1f784956452aULL);
  std::vector<int> perm{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  rng s(0);
  shuffle(s, std::span<int>(perm));
  CHECK(perm == std::vector<int>{4, 2, 1, 7, 5, 6, 3, 9, 8, 0});
}

// Made by tests/oracle/make_rng_jump_values.py, which computes the jumped state both with the
// reference jump polynomial and as the GF(2) transition matrix raised to 2^128 (no constants).
TEST_CASE("jump() lands where the reference xoshiro256** jump and the 2^128-th matrix power land") {
  CHECK(first_outputs(jumped(0), 4) ==
        std::vector<std::uint64_t>{0x376215edc846d62cULL, 0x57c0611de8350ca7ULL, 0xbc46a3515afee385ULL,
                                   0x06c27b341aca7b26ULL});
  CHECK(first_outputs(jumped(1000), 4) ==
        std::vector<std::uint64_t>{0x9724e2a8df77770bULL, 0x660d27d5fc923289ULL, 0xc41b5546d4fc4a59ULL,
                                   0x6ea496b126881a45ULL});
}

// A jump that did nothing, or moved the state fewer than 1000 steps, would share outputs here.
TEST_CASE("a jumped copy's first 1000 outputs share none with the unjumped stream's first 1000") {
  for (const std::uint64_t seed : {0ULL, 1000ULL, 1001ULL}) {
    CAPTURE(seed);
    std::vector<std::uint64_t> plain = first_outputs(rng(seed), 1000), ahead = first_outputs(jumped(seed), 1000);
    std::sort(plain.begin(), plain.end());
    std::sort(ahead.begin(), ahead.end());
    std::vector<std::uint64_t> shared;
    std::set_intersection(plain.begin(), plain.end(), ahead.begin(), ahead.end(), std::back_inserter(shared));
    CHECK(shared.empty());
  }
}
