import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { humanReference } from '../../src/calibrate/consensus.js';
import { compareAgainstPeople } from '../../src/calibrate/compare.js';
import { judgeLabels, withReportCriteria } from '../../src/annotators/judges.js';
import { parseLabels, type HumanLabel } from '../../src/labels/labels.js';
import { labelTables } from '../../src/annotators/table.js';
import { mergeLabels, readCompleted, serializeLabels } from '../../src/review/import.js';
import { leastCertain, selectForReview } from '../../src/review/select.js';
import { cohenKappa, cohenKappaIndexed } from '../../src/stats/kappa.js';
import { seededRng } from '../../src/stats/rng.js';
import { syntheticReport } from '../support/synthetic-report.js';

describe('labels files: anonymous and adjudicated', () => {
  it('reads the two flag columns (true/false, yes/no, 1/0, empty) and refuses anything else, naming line and column', () => {
    const text = 'item,criterion,annotator,score,anonymous,adjudicated\na,c,r1,3,true,\nb,c,r2,4,no,1\nc,c,r3,2,,yes\n';
    const parsed = parseLabels('l.csv', text);
    if (!parsed.ok) throw new Error('did not parse');
    expect(parsed.value).toEqual([
      { item: 'a', criterion: 'c', annotator: 'r1', score: 3, anonymous: true },
      { item: 'b', criterion: 'c', annotator: 'r2', score: 4, adjudicated: true },
      { item: 'c', criterion: 'c', annotator: 'r3', score: 2, adjudicated: true },
    ]);
    const bad = parseLabels('l.csv', 'item,criterion,annotator,score,anonymous\na,c,r1,3,maybe\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0]).toMatchObject({ file: 'l.csv', line: 2, path: ['anonymous'], message: '`anonymous` is "maybe"' });
  });

  it('a `gold` column marks a known answer: the unit\'s reference in the audit, never a vote, one per unit', () => {
    const parsed = parseLabels('l.csv', 'item,criterion,annotator,score,gold\na,c,x,Yes,\na,c,y,No,\na,c,key,Yes,true\nb,c,x,No,\n');
    if (!parsed.ok) throw new Error('did not parse');
    expect(parsed.value[2]).toEqual({ item: 'a', criterion: 'c', annotator: 'key', score: 'Yes', gold: true });
    const [table] = labelTables(parsed.value);
    expect(table!.annotators).toEqual(['x', 'y']);
    expect(table!.gold.get(table!.units.indexOf('a'))).toBe(table!.scale.points.indexOf('Yes'));
    expect(serializeLabels('l.csv', parsed.value).split('\n')[0]).toBe('item,criterion,turn,annotator,score,note,gold');
    const adjudicated: HumanLabel = { item: 'a', criterion: 'c', annotator: 'boss', score: 'No', adjudicated: true };
    expect(mergeLabels(parsed.value, [adjudicated]).conflicts).toHaveLength(1);
    expect(humanReference(parsed.value.filter((l) => l.item === 'a'), { type: 'categorical', labels: ['No', 'Yes'] })).toBe('Yes');
  });

  it('a gold file may leave out the annotator; a labels file may not', () => {
    const gold = parseLabels('g.csv', 'item,criterion,score\na,c,Yes\n', { annotator: 'gold' });
    expect(gold).toMatchObject({ ok: true, value: [{ item: 'a', criterion: 'c', annotator: 'gold', score: 'Yes' }] });
    expect(parseLabels('l.csv', 'item,criterion,score\na,c,Yes\n').ok).toBe(false);
  });

  it('writes the flag columns only when a label has one, and reads back what it wrote', () => {
    const plain: HumanLabel[] = [{ item: 'a', criterion: 'c', annotator: 'x', score: 1 }];
    expect(serializeLabels('l.csv', plain)).toBe('item,criterion,turn,annotator,score,note\na,c,,x,1,\n');
    const flagged: HumanLabel[] = [...plain, { item: 'a', criterion: 'c', annotator: 'boss', score: 2, adjudicated: true }];
    const text = serializeLabels('l.csv', flagged);
    expect(text.split('\n')[0]).toBe('item,criterion,turn,annotator,score,note,adjudicated');
    expect(parseLabels('l.csv', text)).toMatchObject({ ok: true, value: flagged });
    expect(parseLabels('l.jsonl', serializeLabels('l.jsonl', flagged))).toMatchObject({ ok: true, value: flagged });
  });

  it('keeps an adjudicated label apart from the same person\'s vote, and refuses a second, different answer', () => {
    const vote: HumanLabel = { item: 'a', criterion: 'c', annotator: 'boss', score: 1 };
    const answer: HumanLabel = { ...vote, score: 2, adjudicated: true };
    expect(mergeLabels([vote], [answer])).toMatchObject({ added: 1, conflicts: [] });
    const other: HumanLabel = { ...answer, annotator: 'chief', score: 3 };
    expect(mergeLabels([vote, answer], [other]).conflicts).toEqual([{ existing: answer, incoming: other }]);
    expect(mergeLabels([vote, answer], [{ ...answer, annotator: 'chief' }])).toMatchObject({ unchanged: 1, conflicts: [] });
    expect(mergeLabels([vote, answer], [other], true).labels).toEqual([vote, other]);
  });

  it('review import --adjudicated marks every label read as an answer', () => {
    const read = readCompleted('done.csv', 'item,criterion,annotator,score\na,c,boss,2\nb,c,boss,\n', undefined, true);
    expect(read).toMatchObject({ skipped: 1, labels: [{ item: 'a', criterion: 'c', annotator: 'boss', score: '2', adjudicated: true }] });
    expect(readCompleted('done.csv', 'item,criterion,annotator,score\na,c,boss,2\n').labels[0]!.adjudicated).toBeUndefined();
  });
});

describe('cohenKappaIndexed', () => {
  it('equals cohenKappa on random selections, unweighted and weighted', () => {
    const rng = seededRng(3);
    const values = [1, 2, 4, 5];
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + rng.int(30);
      const a = Int32Array.from({ length: n }, () => rng.int(4));
      const b = Int32Array.from({ length: n }, (_, i) => (rng.int(3) === 0 ? rng.int(4) : a[i]!));
      const sel = Int32Array.from({ length: n }, () => rng.int(n));
      const x = Array.from(sel, (i) => values[a[i]!]!);
      const y = Array.from(sel, (i) => values[b[i]!]!);
      for (const w of ['none', 'linear', 'quadratic'] as const) {
        const direct = cohenKappa(x, y, w);
        const indexed = cohenKappaIndexed(a, b, 4, sel, w, values);
        if (direct.value === null) expect(indexed).toEqual(direct);
        else expect(indexed.value).toBeCloseTo(direct.value, 12);
      }
    }
    expect(cohenKappaIndexed([0], [0], 2, [0])).toEqual({ value: null, reason: 'fewer than two items rated by both raters' });
    expect(cohenKappaIndexed([1, 1], [1, 1], 2, [0, 1])).toEqual({ value: null, reason: 'no disagreement is expected by chance: both raters used a single value' });
  });
});

describe('calibrate --consensus and adjudication', () => {
  const items = Array.from({ length: 12 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const report = syntheticReport({ items: 12, criteria: ['ok'], judges: ['j'], score: (_, item) => (Number(item.slice(5)) % 2 ? 3 : 2) });
  // Two annotators: they agree on even items and split 2 against 3 on odd ones (a tie, and a median of 2.5).
  const labels: HumanLabel[] = items.flatMap((item, i) => [
    { item, criterion: 'ok', annotator: 'x', score: i % 2 ? 3 : 2 },
    { item, criterion: 'ok', annotator: 'y', score: 2 },
  ]);

  it('the default, majority and median all leave the split units out and count them (never decided by label order)', () => {
    const base = calibrate(report, labels, { resamples: 100 }).criteria[0]!;
    expect(base.consensus).toEqual({ method: 'default', ties: 6, adjudicated: 0 });
    expect(base.labelled_units).toBe(6);
    for (const method of ['majority', 'median'] as const) {
      const c = calibrate(report, labels, { resamples: 100, consensus: method }).criteria[0]!;
      expect(c.labelled_units).toBe(6);
      expect(c.consensus).toEqual({ method, ties: 6, adjudicated: 0 });
      expect(c.raters.find((r) => r.rater === 'j')!.exact.value).toBe(1);
    }
  });

  it('an adjudicated label is the reference for its unit and not a vote in the human ceiling', () => {
    const answer: HumanLabel = { item: 'item-01', criterion: 'ok', annotator: 'boss', score: 3, adjudicated: true };
    const c = calibrate(report, [...labels, answer], { resamples: 100, consensus: 'majority' }).criteria[0]!;
    expect(c.consensus).toEqual({ method: 'majority', ties: 5, adjudicated: 1 });
    expect(c.labelled_units).toBe(7);
    expect(c.annotators).toBe(2);
    // Without --consensus the adjudicated label still decides its unit, and says so.
    const d = calibrate(report, [...labels, answer], { resamples: 100 }).criteria[0]!;
    expect(d.consensus).toEqual({ method: 'default', ties: 5, adjudicated: 1 });
  });

  it('dawid-skene: the model decides the split units by whom it trusts, and reports its iterations', () => {
    // A third annotator, z, agrees with x everywhere: the model sides with x and z on the odd items.
    const three = [...labels, ...items.map((item, i) => ({ item, criterion: 'ok', annotator: 'z', score: i % 2 ? 3 : 2 }))];
    const c = calibrate(report, three, { resamples: 100, consensus: 'dawid-skene' }).criteria[0]!;
    expect(c.consensus).toMatchObject({ method: 'dawid-skene', ties: 0, adjudicated: 0, model: { converged: true } });
    expect(c.labelled_units).toBe(12);
    expect(c.raters.find((r) => r.rater === 'j')!.exact.value).toBe(1);
  });

  it('the judge–human gap of review and the comparison of two reports measure against the adjudicated answer', () => {
    const scale = { type: 'likert' as const, min: 1, max: 5 };
    const votes: HumanLabel[] = [{ item: 'a', criterion: 'ok', annotator: 'x', score: 2 }, { item: 'a', criterion: 'ok', annotator: 'y', score: 2 }];
    expect(humanReference(votes, scale)).toBe(2);
    expect(humanReference([...votes, { item: 'a', criterion: 'ok', annotator: 'boss', score: 5, adjudicated: true }], scale)).toBe(5);
    // Judge j says 3 on odd items; the votes (2 and 2) put the gap at 1, the adjudicated 3 closes it.
    const agreed: HumanLabel[] = items.flatMap((item) => [{ item, criterion: 'ok', annotator: 'x', score: 2 }, { item, criterion: 'ok', annotator: 'y', score: 2 }]);
    const answers: HumanLabel[] = items.filter((_, i) => i % 2).map((item) => ({ item, criterion: 'ok', annotator: 'boss', score: 3, adjudicated: true as const }));
    expect(selectForReview(report, agreed, { top: 20, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement'))).toHaveLength(6);
    expect(selectForReview(report, [...agreed, ...answers], { top: 20, audit: 0 }).filter((u) => u.reasons.includes('judge_human_disagreement'))).toHaveLength(0);
    const [row] = compareAgainstPeople(report, report, [...agreed, ...answers]);
    expect(row!.error_a).toBe(0);
  });

  it('review export --uncertain picks the units the model is least sure of, never an adjudicated one', () => {
    const rng = seededRng(9);
    const noisy: HumanLabel[] = items.flatMap((item) => ['x', 'y', 'z'].map((annotator) => ({ item, criterion: 'ok', annotator, score: 2 + 2 * rng.int(2) })));
    const doubts = leastCertain(report, noisy);
    expect(doubts.length).toBeGreaterThan(0);
    for (let k = 1; k < doubts.length; k++) expect(doubts[k]!.doubt).toBeLessThanOrEqual(doubts[k - 1]!.doubt);
    const picked = selectForReview(report, noisy, { top: 0, audit: 0, uncertain: 2 });
    expect(picked.map((u) => `${u.item}|r/ok|`)).toEqual(doubts.slice(0, 2).map((d) => d.key));
    expect(picked.every((u) => u.reasons.includes('uncertain_consensus'))).toBe(true);
    const first = doubts[0]!.key.split('|')[0]!;
    const adjudicated = [...noisy, { item: first, criterion: 'ok', annotator: 'boss', score: 2, adjudicated: true as const }];
    expect(leastCertain(report, adjudicated).map((d) => d.key)).not.toContain(doubts[0]!.key);
  });
});

describe('judges as annotators', () => {
  it("makes one label of a judge's samples: the median rounded to the scale (a half going down), a categorical tie left out", () => {
    const numeric = syntheticReport({ items: 2, criteria: ['ok'], judges: ['a'], samples: 2, score: (_, item, __, ___, sample) => (item === 'item-00' ? [2, 3][sample!]! : [4, 4][sample!]!) });
    const people = [{ item: 'item-00', criterion: 'r/ok', annotator: 'x', score: 3 }, { item: 'item-01', criterion: 'r/ok', annotator: 'x', score: 3 }];
    expect(judgeLabels(numeric, people).map((l) => l.score)).toEqual([2, 4]);
    const categorical = syntheticReport({ items: 2, criteria: ['ok'], judges: ['a'], samples: 3, scales: { ok: { type: 'categorical', labels: ['yes', 'no', 'maybe'] } }, score: (_, item, __, ___, sample) => (item === 'item-00' ? ['yes', 'no', 'maybe'][sample!]! : ['no', 'yes', 'no'][sample!]!) });
    expect(judgeLabels(categorical, people)).toEqual([{ item: 'item-01', criterion: 'r/ok', annotator: 'judge:a', score: 'no' }]);
  });

  it("turns each judge's verdict on a labelled unit into one label, named judge:<id>, under the report's criterion name", () => {
    const report = syntheticReport({ items: 3, criteria: ['ok'], judges: ['a', 'b'], score: (judge, item) => (judge === 'a' ? 3 : Number(item.slice(5)) + 1) });
    const people = withReportCriteria([{ item: 'item-00', criterion: 'ok', annotator: 'x', score: 3 }, { item: 'item-02', criterion: 'ok', annotator: 'x', score: 3 }], report);
    expect(people[0]!.criterion).toBe('r/ok');
    expect(judgeLabels(report, people)).toEqual([
      { item: 'item-00', criterion: 'r/ok', annotator: 'judge:a', score: 3 },
      { item: 'item-00', criterion: 'r/ok', annotator: 'judge:b', score: 1 },
      { item: 'item-02', criterion: 'r/ok', annotator: 'judge:a', score: 3 },
      { item: 'item-02', criterion: 'r/ok', annotator: 'judge:b', score: 3 },
    ]);
  });
});
