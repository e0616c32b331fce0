import { beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS_REFUSAL, auditCriterion, type CriterionAudit } from '../../src/annotators/audit.js';
import { entropy, majority, median, unitConsensus, fitModel } from '../../src/annotators/consensus.js';
import { inferScale, labelTables } from '../../src/annotators/table.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { cohenKappa } from '../../src/stats/kappa.js';
import { wilsonInterval } from '../../src/stats/proportion.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i${String(i).padStart(2, '0')}`);

/** Four careful annotators who see the truth (one slip each on a different item), and one who says the opposite. */
function nominalLabels(): HumanLabel[] {
  const truth = (i: number) => (i % 3 === 0 ? 'bad' : 'good');
  const flip = (s: string) => (s === 'good' ? 'bad' : 'good');
  return ids(30).flatMap((item, i) => [
    ...['ann', 'bob', 'cat', 'dan'].map((annotator, a) => ({ item, criterion: 'r/ok', annotator, score: i === a * 7 ? flip(truth(i)) : truth(i) })),
    { item, criterion: 'r/ok', annotator: 'zed', score: i % 5 === 0 ? truth(i) : flip(truth(i)) },
  ]);
}

describe('the consensus helpers', () => {
  it('majority leaves a tie a tie, whatever order the votes come in', () => {
    expect(majority([2, 0, 2])).toBe(2);
    expect(majority([0, 2, 2, 0])).toBeNull();
    expect(majority([2, 0, 0, 2])).toBeNull();
    expect(majority([])).toBeNull();
  });

  it('median averages the middle two; entropy is 0 for agreement and 1 bit for an even split of two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(entropy([5, 0])).toBe(0);
    expect(entropy([3, 3])).toBe(1);
    expect(entropy([1, 1, 1, 1])).toBe(2);
    expect(entropy([2, 1, 1])).toBeCloseTo(1.5, 15);
  });

  it('infers an ordinal scale from numbers and a nominal one from anything else, in a fixed order', () => {
    const l = (score: number | string): HumanLabel => ({ item: 'a', criterion: 'c', annotator: 'x', score });
    expect(inferScale([l(3), l(1), l(2), l(1)])).toEqual({ level: 'ordinal', points: [1, 2, 3] });
    expect(inferScale([l('No'), l('Yes'), l('Unsure'), l(1)])).toEqual({ level: 'nominal', points: ['1', 'No', 'Unsure', 'Yes'] });
  });

  it('median consensus on an ordinal scale calls an even split between two points a tie', () => {
    const labels: HumanLabel[] = [
      { item: 'a', criterion: 'c', annotator: 'x', score: 2 }, { item: 'a', criterion: 'c', annotator: 'y', score: 3 },
      { item: 'b', criterion: 'c', annotator: 'x', score: 2 }, { item: 'b', criterion: 'c', annotator: 'y', score: 4 },
    ];
    const [table] = labelTables(labels, { scales: new Map([['c', { level: 'ordinal', points: [1, 2, 3, 4] }]]) });
    expect(unitConsensus(table!, 'median')).toEqual([null, 3]);
    expect(unitConsensus(table!, 'majority')).toEqual([null, null]);
  });
});

describe('jury annotators: one criterion audited', () => {
  let audit: CriterionAudit;
  beforeEach(() => {
    const [table] = labelTables(nominalLabels());
    audit = auditCriterion(table!, { resamples: 200 });
  });
  const row = (id: string) => audit.annotators!.find((r) => r.annotator === id)!;

  it('measures each annotator against the majority of the others, as alpha and kappa computed directly', () => {
    const labels = nominalLabels();
    for (const who of ['ann', 'zed']) {
      const mine: string[] = [];
      const rest: string[] = [];
      for (const item of ids(30)) {
        const votes = labels.filter((l) => l.item === item);
        const others = votes.filter((l) => l.annotator !== who).map((l) => String(l.score));
        const good = others.filter((s) => s === 'good').length;
        if (good * 2 === others.length) continue;
        mine.push(String(votes.find((l) => l.annotator === who)!.score));
        rest.push(good * 2 > others.length ? 'good' : 'bad');
      }
      expect(row(who).compared).toBe(mine.length);
      expect(row(who).alpha.value).toBeCloseTo(krippendorffAlpha(mine.map((m, i) => [m, rest[i]!]), 'nominal').value!, 12);
      expect(row(who).kappa.value).toBeCloseTo(cohenKappa(mine, rest).value!, 12);
    }
    expect(row('ann').units).toBe(30);
  });

  it('flags the annotator who says the opposite, against the median annotator, and no careful one', () => {
    const alphas = audit.annotators!.map((r) => r.alpha.value!).sort((a, b) => a - b);
    expect(audit.pool_alpha).toBe(alphas[2]);
    expect(row('zed').flags).toHaveLength(1);
    expect(row('zed').flags[0]).toContain(`against the median annotator's ${audit.pool_alpha!.toFixed(2)}`);
    for (const id of ['ann', 'bob', 'cat', 'dan']) expect(row(id).flags).toEqual([]);
  });

  it("shows a nominal annotator's label shares against the pool's, and how much of the scale they used", () => {
    const zed = nominalLabels().filter((l) => l.annotator === 'zed');
    expect(row('zed').distribution!.own.bad).toBeCloseTo(zed.filter((l) => l.score === 'bad').length / 30, 15);
    expect(row('zed').distribution!.pool.bad).toBeCloseTo(nominalLabels().filter((l) => l.score === 'bad').length / 150, 15);
    expect(row('zed').scale_used).toEqual({ points: ['bad', 'good'], share: 1 });
    expect(row('zed').mean_shift).toBeUndefined();
  });

  it('fits Dawid–Skene: the careful annotators come out more accurate than the contrarian, every item explained', () => {
    expect(audit.model).toMatchObject({ start: 'majority', converged: true });
    for (const id of ['ann', 'bob', 'cat', 'dan']) expect(row(id).model!.accuracy).toBeGreaterThan(row('zed').model!.accuracy + 0.5);
    expect(audit.items.every((i) => i.kind === 'explained' || i.kind === 'unanimous')).toBe(true);
    // The most contested first: entropy never rises down the list.
    for (let k = 1; k < audit.items.length; k++) expect(audit.items[k]!.entropy).toBeLessThanOrEqual(audit.items[k - 1]!.entropy);
  });

  it('scores gold accuracy with a Wilson interval and flags only an interval wholly below the threshold', () => {
    const gold = ids(30).map((item, i) => ({ item, criterion: 'r/ok', annotator: 'gold', score: i % 3 === 0 ? 'bad' : 'good' }));
    const [table] = labelTables(nominalLabels(), { gold });
    const strict = auditCriterion(table!, { resamples: 200, minGoldAccuracy: 0.99 });
    const ann = strict.annotators!.find((r) => r.annotator === 'ann')!;
    expect(ann.gold).toEqual({ units: 30, correct: 29, accuracy: 29 / 30, ci: wilsonInterval(29, 30) });
    // 29 of 30: the interval reaches past 0.9, so a 0.9 threshold flags no one careful, 0.99 flags ann.
    expect(ann.gold!.ci!.high).toBeGreaterThan(0.99);
    expect(ann.flags.some((f) => f.startsWith('gold accuracy'))).toBe(false);
    const zed = strict.annotators!.find((r) => r.annotator === 'zed')!;
    expect(zed.flags.some((f) => f.startsWith('gold accuracy 0.20'))).toBe(true);
    expect(strict.consensus_vs_gold!.majority).toMatchObject({ units: 30, decided: 30, correct: 30, ties: 0, accuracy: 1 });
    expect(strict.consensus_vs_gold!.dawid_skene).toMatchObject({ units: 30, correct: 30 });
  });

  it('counts an adjudicated label as gold and never as a vote', () => {
    const labels = [...nominalLabels(), { item: 'i01', criterion: 'r/ok', annotator: 'ann', score: 'bad', adjudicated: true as const }];
    const [table] = labelTables(labels);
    expect(table!.point.length).toBe(150);
    expect(table!.gold.get(table!.units.indexOf('i01'))).toBe(table!.scale.points.indexOf('bad'));
  });

  it('refuses per-annotator figures and the model for anonymous positions, but still ranks the items', () => {
    const anonymous = nominalLabels().map((l) => ({ ...l, anonymous: true as const }));
    const [table] = labelTables(anonymous);
    const out = auditCriterion(table!, { resamples: 200 });
    expect(out).toMatchObject({ anonymous: true, annotators: null, refused: ANONYMOUS_REFUSAL, model: null });
    expect(out.model_reason).toContain('anonymous');
    expect(out.items).toHaveLength(30);
    expect(out.items[0]!.kind).toBe('split');
    expect(out.items[0]!.model).toBeUndefined();
  });
});

describe('ordinal annotators', () => {
  it("shifts by the mean of (own − the others' median), ties between points left out", () => {
    // Three annotators on 1–5; `hi` is one point above the others everywhere below 5.
    const labels: HumanLabel[] = ids(12).flatMap((item, i) => {
      const t = 1 + (i % 4);
      return [
        { item, criterion: 'q', annotator: 'a', score: t },
        { item, criterion: 'q', annotator: 'b', score: i === 5 ? t + 1 : t },
        { item, criterion: 'q', annotator: 'hi', score: t + 1 },
      ];
    });
    const [table] = labelTables(labels, { scales: new Map([['q', { level: 'ordinal', points: [1, 2, 3, 4, 5] }]]) });
    const out = auditCriterion(table!, { resamples: 200 });
    const hi = out.annotators!.find((r) => r.annotator === 'hi')!;
    // Against a and b: their median is t except on item 5, where it is t + ½ (a tie, left out).
    expect(hi.compared).toBe(11);
    expect(hi.mean_shift!.value).toBe(1);
    expect(hi.kappa.weights).toBe('quadratic');
    const a = out.annotators!.find((r) => r.annotator === 'a')!;
    // a against the median of b and hi: (t + t+1)/2 is a tie everywhere except item 5 (t+1 and t+1).
    expect(a.compared).toBe(1);
    expect(a.mean_shift!.value).toBe(-1);
  });

  it('gives the same audit whatever order the labels come in', () => {
    const labels = nominalLabels();
    const [x] = labelTables(labels);
    const [y] = labelTables([...labels].reverse());
    expect(JSON.stringify(auditCriterion(x!, { resamples: 100 }))).toBe(JSON.stringify(auditCriterion(y!, { resamples: 100 })));
    expect(fitModel(x!).fit.logLikelihood).toBe(fitModel(y!).fit.logLikelihood);
  });
});

describe('Wilson interval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i: %f to %f', (x, n, low, high) => {
    const ci = wilsonInterval(x, n)!;
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('has no interval without trials, and stays within 0 and 1', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(5, 5)!.high).toBe(1);
    expect(wilsonInterval(0, 5)!.low).toBe(0);
  });
});
