"""rnncell::rng (include/rnncell/random.hpp) in Python, for the scripts that must draw what it
draws: xoshiro256** (Blackman & Vigna 2018) whose four state words are splitmix64's first four
outputs from the seed. Standard library only; used by make_rng_jump_values.py and
make_dropout_fixtures.py (run from anywhere: Python puts the script's folder on its path)."""

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def seeded_state(seed):
    """The four state words: splitmix64's first four outputs from seed."""
    state = []
    for _ in range(4):
        seed = (seed + 0x9E3779B97F4A7C15) & MASK
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        state.append(z ^ (z >> 31))
    return state


def step(s):
    """xoshiro256** state transition in place; returns the output of this call."""
    result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
    t = (s[1] << 17) & MASK
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    return result
