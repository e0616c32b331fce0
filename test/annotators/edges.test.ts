import { describe, expect, it } from 'vitest';
import { auditCriterion } from '../../src/annotators/audit.js';
import { unitConsensus, fitModel } from '../../src/annotators/consensus.js';
import { contestedItems, SURE_POSTERIOR } from '../../src/annotators/items.js';
import { withReportCriteria } from '../../src/annotators/judges.js';
import { labelTables, unitKey } from '../../src/annotators/table.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import type { Report } from '../../src/report/report.js';

const label = (item: string, annotator: string, score: number | string, extra: Partial<HumanLabel> = {}): HumanLabel => ({ item, criterion: 'c', annotator, score, ...extra });

describe('annotator tables', () => {
  it('keys units by item and turn, in id order, and keeps each unit\'s item and turn', () => {
    const [table] = labelTables([label('b', 'x', 1, { turn: 4 }), label('a', 'x', 2), label('b', 'x', 3, { turn: 2 })]);
    expect(table!.units).toEqual(['a', 'b#2', 'b#4']);
    expect(table!.items).toEqual(['a', 'b', 'b']);
    expect(table!.turns).toEqual([undefined, 2, 4]);
    expect(unitKey('a')).toBe('a');
    expect(unitKey('a', 0)).toBe('a#0');
  });

  it('leaves out labels off the scale and counts them; a gold file wins over an adjudicated label', () => {
    const scales = new Map([['c', { level: 'ordinal' as const, points: [1, 2, 3] }]]);
    const labels = [label('a', 'x', 1), label('a', 'y', 9), label('a', 'boss', 2, { adjudicated: true }), label('b', 'x', 'high')];
    const [table] = labelTables(labels, { scales, gold: [label('a', 'gold', 3), label('b', 'gold', 7)] });
    expect(table!.offScale).toBe(2);
    expect(table!.point.length).toBe(1);
    expect(table!.gold.get(table!.units.indexOf('a'))).toBe(2);
    expect(table!.units).toEqual(['a']);
    expect(table!.gold.size).toBe(1);
  });

  it('matches a numeric score to a nominal point written as text', () => {
    const scales = new Map([['c', { level: 'nominal' as const, points: ['1', '2'] }]]);
    const [table] = labelTables([label('a', 'x', 1), label('a', 'y', '2')], { scales });
    expect(Array.from(table!.point)).toEqual([0, 1]);
    expect(table!.offScale).toBe(0);
  });

  it('marks a criterion anonymous when any of its votes is, and not when none is', () => {
    const [mixed] = labelTables([label('a', 'x', 1), label('a', 'rater1', 1, { anonymous: true })]);
    expect(mixed!.anonymous).toBe(true);
    const [named] = labelTables([label('a', 'x', 1), label('a', 'y', 1)]);
    expect(named!.anonymous).toBe(false);
  });
});

describe('one annotator, repeated votes, and ties among one\'s own votes', () => {
  it('fits no model for a single annotator, and says why', () => {
    const [table] = labelTables([label('a', 'x', 1), label('b', 'x', 2)]);
    const out = auditCriterion(table!, { resamples: 100 });
    expect(out.model).toBeNull();
    expect(out.model_reason).toBe('one annotator: there is no one to weigh against anyone');
    expect(out.annotators![0]!.compared).toBe(0);
    expect(out.annotators![0]!.alpha.value).toBeNull();
    expect(out.pool_alpha).toBeNull();
  });

  it("takes an annotator's repeated votes on a unit as their majority, and a tie among them as no value", () => {
    const labels = [label('a', 'x', 'p'), label('a', 'x', 'p'), label('a', 'x', 'q'), label('a', 'y', 'p'), label('b', 'x', 'p'), label('b', 'x', 'q'), label('b', 'y', 'q')];
    const gold = [label('a', 'g', 'p'), label('b', 'g', 'q')];
    const [table] = labelTables(labels, { gold });
    const x = auditCriterion(table!, { resamples: 100 }).annotators!.find((r) => r.annotator === 'x')!;
    expect(x.units).toBe(2);
    expect(x.compared).toBe(1);
    expect(x.gold).toMatchObject({ units: 1, correct: 1 });
  });
});

describe('contested items', () => {
  it('calls a split "explained" at a posterior of 0.9 or more and "ambiguous" below', () => {
    expect(SURE_POSTERIOR).toBe(0.9);
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'q'), label('b', 'x', 'p'), label('b', 'y', 'p')]);
    const model = fitModel(table!);
    const sure = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.9, 0.1, 1, 0]) } };
    expect(contestedItems(table!, sure)[0]).toMatchObject({ item: 'a', kind: 'explained', model: { point: 'p', probability: 0.9 } });
    const unsure = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.89, 0.11, 1, 0]) } };
    expect(contestedItems(table!, unsure)[0]!.kind).toBe('ambiguous');
    const tie = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.5, 0.5, 1, 0]) } };
    expect(contestedItems(table!, tie)[0]).toMatchObject({ kind: 'ambiguous', model: { point: null } });
    expect(contestedItems(table!, tie)[1]).toMatchObject({ item: 'b', kind: 'unanimous', majority: 'p' });
  });

  it('orders equal entropy by the model\'s doubt, then by item and turn', () => {
    const labels = [label('b', 'x', 'p'), label('b', 'y', 'q'), label('a', 'x', 'p'), label('a', 'y', 'q'), label('c', 'x', 'p', { turn: 3 }), label('c', 'y', 'q', { turn: 3 }), label('c', 'x', 'p', { turn: 1 }), label('c', 'y', 'q', { turn: 1 })];
    const [table] = labelTables(labels);
    expect(contestedItems(table!, undefined).map((i) => `${i.item}${i.turn ?? ''}`)).toEqual(['a', 'b', 'c1', 'c3']);
    const model = fitModel(table!);
    // Units in table order: a, b, c#1, c#3. b is the least sure, so it comes first.
    const doubts = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.9, 0.1, 0.6, 0.4, 0.95, 0.05, 0.95, 0.05]) } };
    expect(contestedItems(table!, doubts).map((i) => `${i.item}${i.turn ?? ''}`)).toEqual(['b', 'a', 'c1', 'c3']);
  });

  it('dawid-skene consensus leaves a posterior tie undecided', () => {
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'q'), label('b', 'x', 'p'), label('b', 'y', 'p')]);
    const model = fitModel(table!);
    const tie = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.5, 0.5, 1, 0]) } };
    expect(unitConsensus(table!, 'dawid-skene', tie)).toEqual([null, 'p']);
  });
});

describe("the report's criterion names", () => {
  it('gives a bare name its rubric, unless two rubrics share it', () => {
    const report = { criteria: [{ rubric: 'r1', criterion: 'ok' }, { rubric: 'r2', criterion: 'ok' }, { rubric: 'r1', criterion: 'fit' }] } as unknown as Report;
    const out = withReportCriteria([label('a', 'x', 1), { ...label('a', 'x', 1), criterion: 'fit' }, { ...label('a', 'x', 1), criterion: 'r2/ok' }, { ...label('a', 'x', 1), criterion: 'other' }].map((l, i) => (i === 0 ? { ...l, criterion: 'ok' } : l)), report);
    expect(out.map((l) => l.criterion)).toEqual(['ok', 'r1/fit', 'r2/ok', 'other']);
  });
});
