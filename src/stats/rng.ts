/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine, so
 * bootstrap intervals are reproducible. Not for cryptography.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Fills `target` with what as many int(n) calls would give, in a tight loop (a bootstrap draws millions). */
  fillInts(target: Int32Array, n: number): void;
}

export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fillInts = (target: Int32Array, n: number) => {
    // next(), inlined: the same arithmetic on the same state.
    let s = state;
    for (let i = 0; i < target.length; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      target[i] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    }
    state = s;
  };
  return { next, int: (n) => Math.floor(next() * n), fillInts };
}
