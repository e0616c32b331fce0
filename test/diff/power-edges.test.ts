import { describe, expect, it } from 'vitest';
import { exactPanelScore, itemScores } from '../../src/diff/item-scores.js';
import { DEFAULT_POWER, detectableInDiff, judgeScoresByItem, reportPower, scaleRange } from '../../src/diff/power.js';
import type { UnitResult } from '../../src/report/report.js';
import { hodgesLehmann } from '../../src/stats/hodges-lehmann.js';
import { minimalDetectableEffect, resampledDifferences } from '../../src/stats/power.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Each test here pins a behaviour a planted bug got past (session-10 mutation run over src/diff).
const n = (item: string) => Number(item.slice(-2));
const likert = { type: 'likert' as const, min: 1, max: 5 };

describe('judgeScoresByItem', () => {
  it("averages a judge's samples, then its turns, and reads only the criterion asked for", () => {
    const report = syntheticReport({
      items: 3, criteria: ['c1', 'c2'], judges: ['a', 'b'], samples: 2, turns: 2,
      // a: samples 2 and 4 on turn 2, 4 and 4 on turn 4 → 3 and 4 → 3.5; b: 5 everywhere; c2: 1.
      score: (j, _item, c, turn, sample) => (c === 'c2' ? 1 : j === 'b' ? 5 : turn === 2 ? (sample ? 4 : 2) : 4),
    });
    expect(judgeScoresByItem(report, 'r', 'c1')).toEqual([[3.5, 5], [3.5, 5], [3.5, 5]]);
    expect(judgeScoresByItem(report, 'r', 'c2')).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect(judgeScoresByItem(report, 'other', 'c1')).toEqual([]);
  });

  it('leaves out failed verdicts and units without a panel score, and items left with nothing', () => {
    const report = syntheticReport({
      items: 4, criteria: ['c1'], judges: ['a', 'b', 'c'], score: () => 4,
      // item-01: only a answers (no majority quorum: unscored); item-02: c fails.
      missing: (j, item) => item === 'item-01' && j !== 'a', failed: (j, item) => item === 'item-02' && j === 'c',
    });
    expect(judgeScoresByItem(report, 'r', 'c1')).toEqual([[4, 4, 4], [4, 4], [4, 4, 4]]);
  });
});

describe('reportPower: which criteria, which items', () => {
  const report = syntheticReport({
    items: 12, criteria: ['c1', 'c2', 'kind'], judges: ['a', 'b'], scales: { kind: { type: 'categorical', labels: ['x', 'y'] } },
    score: (j, item, c) => (c === 'kind' ? 'x' : 2 + (n(item) % 3) + (j === 'b' && n(item) % 2 ? 1 : 0)),
  });
  const settings = { significance: 0.05, family: 2, simulations: 100, seed: 2 };

  it('reports numeric criteria only, the ones named (any of the names)', () => {
    expect(reportPower(report, settings).criteria.map((c) => c.criterion)).toEqual(['c1', 'c2']);
    expect(reportPower(report, settings, { criteria: ['c1', 'c2'] }).criteria.map((c) => c.criterion)).toEqual(['c1', 'c2']);
    expect(reportPower(report, settings, { criteria: ['r/c2'] }).criteria.map((c) => c.criterion)).toEqual(['c2']);
  });

  it('with a baseline: the items both reports scored, in id order; none when the baseline lacks the criterion', () => {
    const base = syntheticReport({ items: 8, criteria: ['c1'], judges: ['a', 'b'], label: 'base', score: (_j, item) => 2 + (n(item) % 3) });
    const result = reportPower(report, settings, { baseline: base, effect: 0.5 });
    const c1 = result.criteria.find((c) => c.criterion === 'c1')!;
    expect(c1.items).toBe(8);
    const cand = itemScores(report).get('r/c1')!;
    const was = itemScores(base).get('r/c1')!;
    const differences = [...was.keys()].sort().map((id) => cand.get(id)!.score - was.get(id)!.score);
    expect(c1.detectable).toEqual(minimalDetectableEffect(resampledDifferences(differences, hodgesLehmann(differences)!), 8, 4, { alpha: 0.025, power: DEFAULT_POWER, simulations: 100, seed: 2 }));
    const c2 = result.criteria.find((c) => c.criterion === 'c2')!;
    expect(c2).toMatchObject({ items: 0, detectable: { effect: null, reason: 'no scored item' }, needed: { items: null, reason: 'no scored item to learn the noise from', effect: 0.5 } });
  });

  it('pairs the items in id order whatever order the reports list them in', () => {
    const base = syntheticReport({ items: 12, criteria: ['c1'], judges: ['a', 'b'], label: 'base', score: (_j, item) => 1 + (n(item) % 4) });
    const reversed = { ...report, items: [...report.items].reverse() };
    expect(reportPower(reversed, settings, { baseline: base, criteria: ['c1'] })).toEqual(reportPower(report, settings, { baseline: base, criteria: ['c1'] }));
  });

  it('a uniform shift between the runs is not noise: the drop detectable is the same with or without it', () => {
    const base = syntheticReport({ items: 12, criteria: ['c1'], judges: ['a', 'b'], label: 'base', score: (_j, item) => 1 + (n(item) % 3) });
    const shifted = syntheticReport({ items: 12, criteria: ['c1'], judges: ['a', 'b'], label: 'base', score: (_j, item) => 2 + (n(item) % 3) });
    const a = reportPower(report, settings, { baseline: base, criteria: ['c1'] }).criteria[0]!;
    const b = reportPower(report, settings, { baseline: shifted, criteria: ['c1'] }).criteria[0]!;
    expect(a.detectable).toEqual(b.detectable);
  });
});

describe('detectableInDiff', () => {
  const differences = [-1, 0, 0.5, 1, 0, -0.5, 1, 0, 0, 1.5, -1, 0.5];
  const direct = (over: { power?: number; simulations?: number; seed?: number } = {}) =>
    minimalDetectableEffect(resampledDifferences(differences, hodgesLehmann(differences)!), differences.length, scaleRange(likert), { alpha: 0.05, power: over.power ?? 0.8, simulations: over.simulations ?? 200, seed: over.seed ?? 1, resolution: 1 / 128 });

  it('defaults to 80% power, 200 studies, seed 1, to 1/128 of the range', () => {
    expect(detectableInDiff(differences, likert, 0.05)).toEqual(direct());
  });

  it('takes power, studies and seed when given', () => {
    expect(detectableInDiff(differences, likert, 0.05, { power: 0.9 })).toEqual(direct({ power: 0.9 }));
    expect(detectableInDiff(differences, likert, 0.05, { simulations: 300 })).toEqual(direct({ simulations: 300 }));
    expect(detectableInDiff(differences, likert, 0.05, { seed: 5 })).toEqual(direct({ seed: 5 }));
    expect(direct({ power: 0.9 })).not.toEqual(direct());
  });
});

describe('itemScores and exactPanelScore', () => {
  it('skips unscored units and categorical panels', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1', 'kind'], judges: ['a', 'b', 'c'], scales: { kind: { type: 'categorical', labels: ['x', 'y'] } }, score: (_j, _item, c) => (c === 'kind' ? 'x' : 4), missing: (j, item) => item === 'item-01' && j !== 'a' });
    const scores = itemScores(report);
    expect([...scores.get('r/c1')!.keys()]).toEqual(['item-00', 'item-02']);
    expect(scores.has('r/kind')).toBe(false);
  });

  const unit = (verdicts: { judge: string; sample: number; score: number }[]): UnitResult => ({
    rubric: 'r', criterion: 'c', panel: { status: 'scored', score: 0, spread: 0, judges: 2 },
    verdicts: verdicts.map((v) => ({ ...v, status: 'scored' as const, reasoning: '', cited_turns: [] })),
  });

  it("combines each judge's samples before the judges: thirds stay exact", () => {
    // a: 4, 4, 5 → 13/3; b: 3 → (13/3 + 3) / 2 = 11/3, stored as 3.6667.
    const u = unit([{ judge: 'a', sample: 0, score: 4 }, { judge: 'a', sample: 1, score: 4 }, { judge: 'a', sample: 2, score: 5 }, { judge: 'b', sample: 0, score: 3 }]);
    expect(exactPanelScore(u, 3.6667, 'mean', likert)).toBe(11 / 3);
    // A stored score the verdicts do not give back is kept.
    expect(exactPanelScore(u, 3.5, 'mean', likert)).toBe(3.5);
  });

  it('accepts the exact score within 5e-5 of the stored one, boundary included', () => {
    const zero = unit([{ judge: 'a', sample: 0, score: 0 }, { judge: 'b', sample: 0, score: 0 }]);
    const binary = { type: 'binary' as const };
    expect(Math.abs(0 - 5e-5)).toBe(5e-5);
    expect(exactPanelScore(zero, 5e-5, 'mean', binary)).toBe(0);
    expect(exactPanelScore(zero, 6e-5, 'mean', binary)).toBe(6e-5);
  });
});
