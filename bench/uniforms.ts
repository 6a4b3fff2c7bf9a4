// A deterministic uniform generator for the benchmarks' synthetic data (the same numbers on every run and machine).

/**
 * Uniform numbers in [0, 1) from a 32-bit xorshift seeded by `seed` (0 is taken as 1).
 *
 * @param seed - the seed
 * @returns a function giving the next number
 */
export function uniforms(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
