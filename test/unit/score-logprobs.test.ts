import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_MASS, scoreModeOf, scoreProbabilities, weightedScore, type TokenLogprob } from '../../src/judges/score-logprobs.js';
import type { Scale } from '../../src/rubric/rubric.js';

const likert: Scale = { type: 'likert', min: 1, max: 5 };
const ln = Math.log;

/** Tokens of a reply, each certain except the one at `at`, whose alternatives are given. */
function reply(parts: string[], at: number, top: [string, number][]): TokenLogprob[] {
  return parts.map((token, i) => ({ token, logprob: i === at ? ln(top.find(([t]) => t === token)?.[1] ?? 0.01) : 0, top: i === at ? top.map(([t, p]) => ({ token: t, logprob: ln(p) })) : [{ token, logprob: 0 }] }));
}

describe('the probabilities of the scale points at the score token', () => {
  it('reads them after "score": in JSON, summing only points of the scale', () => {
    const tokens = reply(['{"', 'reasoning', '":"', 'ok', '","', 'score', '":', '4', ',"', 'cited_turns', '":[]}'], 7, [['4', 0.6], ['3', 0.25], ['5', 0.1], ['x', 0.03], ['7', 0.02]]);
    const found = scoreProbabilities(tokens, likert) as { probabilities: Record<string, number>; mass: number };
    expect(found.mass).toBeCloseTo(0.95, 12);
    expect(found.probabilities).toEqual({ '4': expect.closeTo(0.6, 12), '3': expect.closeTo(0.25, 12), '5': expect.closeTo(0.1, 12) });
  });

  it('compares alternatives after the same leading text as the token written (" 4" against " 3", not "3")', () => {
    // '12' and ' x5' would read as 2 and 5 if the leading text or the start of the value were not compared.
    const tokens = reply(['{"score":', ' 4', '}'], 1, [[' 4', 0.5], [' 3', 0.3], ['3', 0.15], ['12', 0.02], [' x5', 0.02]]);
    const found = scoreProbabilities(tokens, likert) as { probabilities: Record<string, number>; mass: number };
    expect(found.probabilities).toEqual({ '4': expect.closeTo(0.5, 12), '3': expect.closeTo(0.3, 12) });
    expect(found.mass).toBeCloseTo(0.8, 12);
  });

  it('finds the score in prose (Score: 4), and adds up alternatives that read as the same point', () => {
    const tokens = reply(['Reasoning', ' here', '.', ' Score', ':', ' 2', '.'], 5, [[' 2', 0.4], [' 02', 0.1], [' 1', 0.5]]);
    const found = scoreProbabilities(tokens, likert) as { probabilities: Record<string, number>; mass: number };
    expect(found.probabilities['2']).toBeCloseTo(0.5, 12);
    expect(found.mass).toBeCloseTo(1, 12);
  });

  it('refuses a score split over tokens, a reply without a score, a categorical scale, and missing alternatives', () => {
    const ten: Scale = { type: 'likert', min: 0, max: 10 };
    expect(scoreProbabilities(reply(['{"score":', '1', '0', '}'], 1, [['1', 0.9]]), ten)).toEqual({ problem: 'the score 10 is split over several tokens, so its alternatives cannot be read' });
    expect(scoreProbabilities(reply(['{"score":', '10', '}'], 1, [['10', 0.7], ['9', 0.2]]), ten)).toMatchObject({ probabilities: { '10': expect.closeTo(0.7, 12), '9': expect.closeTo(0.2, 12) } });
    expect(scoreProbabilities(reply(['no', ' verdict'], 0, [['no', 1]]), likert)).toEqual({ problem: 'no score was found in the reply’s tokens' });
    const categorical = { problem: 'a categorical scale has no mean: the label written is the score' };
    expect(scoreProbabilities(reply(['{"score":', '"good"', '}'], 1, [['"good"', 1]]), { type: 'categorical', labels: ['good', 'bad'] })).toEqual(categorical);
    // Labels that look like numbers are still labels.
    expect(scoreProbabilities(reply(['{"score":', '1', '}'], 1, [['1', 0.6], ['2', 0.4]]), { type: 'categorical', labels: ['1', '2'] })).toEqual(categorical);
    expect(scoreProbabilities([], likert)).toEqual({ problem: 'the endpoint returned no logprobs' });
    const bare = reply(['{"score":', '4', '}'], 1, []);
    expect(scoreProbabilities(bare, likert)).toEqual({ problem: 'the endpoint returned no alternatives (top_logprobs) for the score token' });
  });

  it('skips a "score" key whose value is not a number and reads the next', () => {
    const tokens = reply(['{"score": "n/a"', ', "final" ', 'score', ':', '5', '}'], 4, [['5', 0.7], ['4', 0.3]]);
    expect(scoreProbabilities(tokens, likert)).toMatchObject({ mass: expect.closeTo(1, 12) });
  });
});

describe('the weighted score', () => {
  const settings = { mode: 'logprob' as const, fallback: 'fail' as const, minMass: 0.5 };

  it('is the mean over the points renormalised by the mass found (G-Eval), beside the score written', () => {
    expect(weightedScore(3, { probabilities: { '3': 0.5, '4': 0.3, '5': 0.1 }, mass: 0.9 }, settings)).toEqual({ ok: true, score: (1.5 + 1.2 + 0.5) / 0.9, sampled: 3, mass: 0.9 });
    expect(weightedScore(1, { probabilities: { '1': 1 }, mass: 1 }, settings)).toEqual({ ok: true, score: 1, sampled: 1, mass: 1 });
  });

  it('needs at least the minimum mass: equal passes, below fails or falls back as configured', () => {
    expect(weightedScore(2, { probabilities: { '2': 0.5 }, mass: 0.5 }, settings)).toMatchObject({ ok: true, score: 2, mass: 0.5 });
    expect(weightedScore(2, { probabilities: { '2': 0.4999 }, mass: 0.4999 }, settings)).toEqual({ ok: false, message: 'no logprob-weighted score: only 50.0% of the probability at the score token is on scale points (logprob_min_mass is 0.5)' });
    expect(weightedScore(2, { probabilities: { '2': 0.4 }, mass: 0.4 }, { ...settings, fallback: 'sampled' })).toEqual({ ok: true, score: 2, fellBack: 'only 40.0% of the probability at the score token is on scale points (logprob_min_mass is 0.5)' });
    expect(weightedScore(2, undefined, settings)).toEqual({ ok: false, message: 'no logprob-weighted score: the endpoint returned no logprobs' });
    expect(weightedScore(2, { problem: 'p' }, { ...settings, fallback: 'sampled' })).toEqual({ ok: true, score: 2, fellBack: 'p' });
  });

  it('is off unless a judge asks for it, with fail and 0.5 as the defaults', () => {
    expect(scoreModeOf({})).toBeUndefined();
    expect(scoreModeOf({ score_mode: 'sampled' })).toBeUndefined();
    expect(scoreModeOf({ score_mode: 'logprob' })).toEqual({ mode: 'logprob', fallback: 'fail', minMass: DEFAULT_MIN_MASS });
    expect(DEFAULT_MIN_MASS).toBe(0.5);
    expect(scoreModeOf({ score_mode: 'logprob', logprob_fallback: 'sampled', logprob_min_mass: 0.8 })).toEqual({ mode: 'logprob', fallback: 'sampled', minMass: 0.8 });
  });
});
