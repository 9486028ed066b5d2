"""Independent values for rnncell::rng::jump(), pinned in tests/test_random.cpp.

Prints, for seeds 0 and 1000, the first outputs of rng(seed) after one jump. The jumped state is
computed twice, independently, and the script stops if they differ:
  1. Blackman & Vigna's reference jump (xoshiro256starstar.c, with its JUMP polynomial);
  2. the generator's state transition written as a 256 x 256 matrix over GF(2) and raised to the
     power 2^128 by squaring 128 times, which uses no JUMP constant at all and so also proves the
     constants.
Standard library only; run from the repository root:

    /usr/bin/python3 tests/oracle/make_rng_jump_values.py
"""

from xoshiro import MASK, rotl, seeded_state, step

JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]


def reference_jump(s):
    acc = [0, 0, 0, 0]
    for word in JUMP:
        for b in range(64):
            if word >> b & 1:
                acc = [a ^ x for a, x in zip(acc, s)]
            step(s)
    return acc


def to_bits(s):
    return sum(w << (64 * i) for i, w in enumerate(s))


def from_bits(v):
    return [(v >> (64 * i)) & MASK for i in range(4)]


def transition_columns():
    """Column j of the GF(2) matrix M (as a 256-bit integer) is the image of basis state e_j."""
    cols = []
    for j in range(256):
        s = from_bits(1 << j)
        step(s)
        cols.append(to_bits(s))
    return cols


def apply(cols, v):
    out = 0
    j = 0
    while v:
        if v & 1:
            out ^= cols[j]
        v >>= 1
        j += 1
    return out


def matrix_power_jump(s):
    cols = transition_columns()
    for _ in range(128):  # M <- M * M, column by column
        cols = [apply(cols, c) for c in cols]
    return from_bits(apply(cols, to_bits(s)))


assert step(seeded_state(0)) == 0x99EC5F36CB75F2B4  # the value tests/test_random.cpp pins

for seed in (0, 1000):
    by_reference = reference_jump(seeded_state(seed))
    by_matrix = matrix_power_jump(seeded_state(seed))
    assert by_reference == by_matrix, (seed, by_reference, by_matrix)
    s = list(by_reference)
    print(f"seed {seed}: jumped state", ", ".join(f"0x{w:016x}" for w in by_reference))
    print(f"seed {seed}: first outputs", ", ".join(f"0x{step(s):016x}" for _ in range(4)))
