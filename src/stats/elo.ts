import type { Battles } from './battles.js';

export interface EloOptions {
  /** Every system's rating before its first battle. */
  initial: number;
  /** The largest change one battle makes. */
  k: number;
  /** A rating difference of `scale` points means odds of `base` to 1. */
  scale: number;
  base: number;
}

/** Chatbot Arena's and CRS Arena's settings but K, which CRS Arena sets to 16 and FastChat to 4 or 32. */
export const DEFAULT_ELO: EloOptions = { initial: 1000, k: 16, scale: 400, base: 10 };

/**
 * Online Elo over the battles in the order given (`order`, default file order): after each battle both systems
 * move by K × (outcome − expected), from the ratings they had before it. The expected scores are computed each
 * from its own exponent, as FastChat's elo_analysis.py (and the CRS Arena notebook taken from it) does, so the
 * ratings match theirs to the last bit. Unlike Bradley–Terry, the result depends on the order of the battles.
 */
export function onlineElo(battles: Battles, options: EloOptions = DEFAULT_ELO, order?: ArrayLike<number>): Float64Array {
  const ratings = new Float64Array(battles.systems.length).fill(options.initial);
  const count = order ? order.length : battles.a.length;
  for (let n = 0; n < count; n++) {
    const m = order ? order[n]! : n;
    const a = battles.a[m]!;
    const b = battles.b[m]!;
    const ra = ratings[a]!;
    const rb = ratings[b]!;
    const ea = 1 / (1 + options.base ** ((rb - ra) / options.scale));
    const eb = 1 / (1 + options.base ** ((ra - rb) / options.scale));
    const sa = battles.outcome[m]! / 2;
    ratings[a] = ra + options.k * (sa - ea);
    ratings[b] = rb + options.k * (1 - sa - eb);
  }
  return ratings;
}
