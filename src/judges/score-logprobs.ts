import { isNumericScale, scalePoints, type Scale, type Score } from '../rubric/rubric.js';

/** One generated token with its log-probability and the alternatives the endpoint returned for its place. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

/**
 * The judge's probabilities of each scale point at the place it wrote its score: the G-Eval recipe's input.
 * `mass` is the probability found on scale points (the rest went to tokens that are not a score).
 */
export type ScoreProbabilities = { probabilities: Record<string, number>; mass: number } | { problem: string };

// Where a score's value starts: after `"score":` in JSON (also inside a code fence), or after `score:` / `score =` in prose.
const SCORE_KEYS = [/"score"\s*:\s*"?/g, /\bscore\b["']?\s*[:=]\s*"?/gi];
const NUMBER = /^-?\d+(?:\.\d+)?/;

/** Reads the probabilities of the scale's points at the score token of a reply, or says why they cannot be read. */
export function scoreProbabilities(tokens: readonly TokenLogprob[], scale: Scale): ScoreProbabilities {
  if (!isNumericScale(scale)) return { problem: 'a categorical scale has no mean: the label written is the score' };
  if (tokens.length === 0) return { problem: 'the endpoint returned no logprobs' };
  const text = tokens.map((t) => t.token).join('');
  const offset = scoreOffset(text);
  if (offset === undefined) return { problem: 'no score was found in the reply’s tokens' };
  let start = 0;
  let index = 0;
  while (index < tokens.length && start + tokens[index]!.token.length <= offset) start += tokens[index++]!.token.length;
  const token = tokens[index]!;
  const written = NUMBER.exec(text.slice(offset))![0];
  if (offset + written.length > start + token.token.length) return { problem: `the score ${written} is split over several tokens, so its alternatives cannot be read` };
  if (token.top.length === 0) return { problem: 'the endpoint returned no alternatives (top_logprobs) for the score token' };
  // Alternatives carry the same text before the score as the token written (a space, a quote); compared after it.
  const prefix = text.slice(start, offset);
  const points = new Set(scalePoints(scale).map(String));
  const probabilities: Record<string, number> = {};
  let mass = 0;
  for (const alternative of token.top) {
    if (!alternative.token.startsWith(prefix)) continue;
    const value = /^\d+/.exec(alternative.token.slice(prefix.length))?.[0];
    if (value === undefined || !points.has(String(Number(value)))) continue;
    const p = Math.exp(alternative.logprob);
    probabilities[String(Number(value))] = (probabilities[String(Number(value))] ?? 0) + p;
    mass += p;
  }
  return { probabilities, mass };
}

function scoreOffset(text: string): number | undefined {
  for (const key of SCORE_KEYS) {
    key.lastIndex = 0;
    for (let match = key.exec(text); match; match = key.exec(text)) {
      const at = match.index + match[0].length;
      if (NUMBER.test(text.slice(at, at + 24))) return at;
    }
  }
  return undefined;
}

/** A judge's score mode settings, or undefined when it records the score written (the default). */
export function scoreModeOf(judge: { score_mode?: 'sampled' | 'logprob'; logprob_fallback?: 'sampled' | 'fail'; logprob_min_mass?: number }): ScoreModeSettings | undefined {
  if (judge.score_mode !== 'logprob') return undefined;
  return { mode: 'logprob', fallback: judge.logprob_fallback ?? 'fail', minMass: judge.logprob_min_mass ?? DEFAULT_MIN_MASS };
}

export const DEFAULT_MIN_MASS = 0.5;

export interface ScoreModeSettings {
  mode: 'sampled' | 'logprob';
  fallback: 'sampled' | 'fail';
  /** Below this probability on scale points the weighted score is not trusted. */
  minMass: number;
}

export type WeightedOutcome =
  | { ok: true; score: Score; sampled: Score; mass: number }
  | { ok: true; score: Score; fellBack: string }
  | { ok: false; message: string };

/**
 * The score a verdict records under `score_mode: logprob`: the probability-weighted mean over the scale's points
 * (renormalised over the mass on them), beside the score written. Never a silent fallback: without usable
 * probabilities the sampled score is used only when the config allows it, and the verdict says why.
 */
export function weightedScore(sampled: Score, found: ScoreProbabilities | undefined, settings: ScoreModeSettings): WeightedOutcome {
  const problem = !found
    ? 'the endpoint returned no logprobs'
    : 'problem' in found
      ? found.problem
      : found.mass < settings.minMass
        ? `only ${(found.mass * 100).toFixed(1)}% of the probability at the score token is on scale points (logprob_min_mass is ${settings.minMass})`
        : undefined;
  if (problem !== undefined || !found || 'problem' in found) {
    return settings.fallback === 'sampled' ? { ok: true, score: sampled, fellBack: problem! } : { ok: false, message: `no logprob-weighted score: ${problem}` };
  }
  let sum = 0;
  for (const [point, p] of Object.entries(found.probabilities)) sum += Number(point) * p;
  return { ok: true, score: sum / found.mass, sampled, mass: found.mass };
}
